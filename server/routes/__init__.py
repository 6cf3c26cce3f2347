"""Route class of the engine routes: strict orjson parsing and the response cache."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

import orjson
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response

from gatewise.server.responses import JSONBytes


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
        handler = _fast_path(super().get_route_handler(), self)
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


def _fast_path(handler, route: APIRoute):
    """The handler, with well-formed JSON bodies validated and passed to the endpoint directly.

    FastAPI's general request handling (dependencies, body parsing) costs more than evaluating a
    small program. A body that is valid JSON of the right shape goes straight to the endpoint; any
    other body takes FastAPI's own path, so every error keeps its usual 422 answer.
    """
    model = route.body_field.field_info.annotation if route.body_field else None
    if model is None or [p.name for p in route.dependant.body_params] != ["body"]:
        return handler
    endpoint = route.endpoint

    async def fast_handler(request: Request) -> Response:
        if request.headers.get("content-type", "").split(";")[0].strip() == "application/json":
            try:
                body = model.model_validate(await request.json())
            except (ValueError, TypeError):  # orjson's and pydantic's errors: FastAPI answers them
                return await handler(request)
            return await endpoint(request=request, body=body)
        return await handler(request)

    return fast_handler
