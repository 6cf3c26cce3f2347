"""Route class of the engine routes: strict orjson parsing and the response cache."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

import orjson
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response

from server.responses import JSONBytes


class OrjsonRequest(Request):
    """A Request whose json() is orjson's strict, fast parser."""

    async def json(self) -> Any:
        """The body as strict JSON; orjson.JSONDecodeError subclasses json's, so FastAPI still 422s."""
        if not hasattr(self, "_json"):
            self._json = orjson.loads(await self.body())
        return self._json


class EngineRoute(APIRoute):
    """An APIRoute that parses with orjson and answers repeated requests from the app's ResponseCache."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """The default handler, fed an OrjsonRequest, behind the cache."""
        handler = super().get_route_handler()
        path = self.path

        async def engine_handler(request: Request) -> Response:
            request = OrjsonRequest(request.scope, request.receive)
            cache = request.app.state.cache
            if cache is None:
                return await handler(request)
            # The content type is part of the key: the same bytes sent as text/plain must still 422.
            key = (path, request.headers.get("content-type", ""), await request.body())
            hit = cache.get(key)
            if hit is not None:
                return JSONBytes(hit)
            response = await handler(request)
            if response.status_code == 200 and isinstance(response, JSONBytes):
                cache.put(key, bytes(response.body))
            return response

        return engine_handler
