"""API routers; their requests parse JSON with orjson, which also rejects NaN, Infinity and 1e400."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

import orjson
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response


class OrjsonRequest(Request):
    """A Request whose json() is orjson's strict, fast parser."""

    async def json(self) -> Any:
        """The body as strict JSON; orjson.JSONDecodeError subclasses json's, so FastAPI still 422s."""
        if not hasattr(self, "_json"):
            self._json = orjson.loads(await self.body())
        return self._json


class OrjsonRoute(APIRoute):
    """An APIRoute that hands its endpoint an OrjsonRequest."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """The default handler, fed an OrjsonRequest."""
        handler = super().get_route_handler()

        async def orjson_handler(request: Request) -> Response:
            return await handler(OrjsonRequest(request.scope, request.receive))

        return orjson_handler
