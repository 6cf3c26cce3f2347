"""Route class of the engine routes (strict orjson parsing, the response cache) and their one runner."""

from __future__ import annotations

import time
from collections.abc import Callable, Coroutine
from typing import Any

import orjson
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response

from gatewise.engine import EngineError
from gatewise.server.errors import ApiError, on_api_error, on_engine_error
from gatewise.server.jobs import JOBS, Outcome
from gatewise.server.locale import scope_lang
from gatewise.server.responses import JSONBytes
from gatewise.server.runner import run_engine

_START = "gatewise.start"  # the scope key of the time the whole body had arrived


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
        """The default handler (orjson, the cache); big JSON bodies go straight to an engine process."""
        handler = _fast_path(super().get_route_handler(), self)
        path = self.path

        async def engine_handler(request: Request) -> Response:
            start = time.monotonic()
            request = OrjsonRequest(request.scope, request.receive)
            state = request.app.state
            raw = await request.body()
            cache = state.cache
            # The content type is part of the key: the same bytes sent as text/plain must still 422;
            # so is the language, for any text an answer carries in it.
            lang = scope_lang(request.scope)
            key = (path, request.headers.get("content-type", ""), lang, raw)
            hit = cache.get(key) if cache is not None else None
            if hit is not None:
                return JSONBytes(hit)
            try:
                if state.pool is not None and path in JOBS and len(raw) > state.settings.inline_max_bytes \
                        and _is_json(request):
                    # Parsing and validating a big body is long native work: the engine process does it.
                    response = _response(await run_remote(state, path, raw, start, lang))
                else:
                    request.scope[_START] = start  # (request.state would make a State per request)
                    response = await handler(request)
            except ApiError as exc:  # answered here, so that it carries Server-Timing too
                response = await on_api_error(request, exc)
            except EngineError as exc:
                response = await on_engine_error(request, exc)
            if cache is not None and response.status_code == 200 and isinstance(response, JSONBytes):
                cache.put(key, bytes(response.body))
            # The time this answer cost the server, from the whole body received to the answer.
            # Appended raw: the answer has no such header yet, and MutableHeaders costs 2 µs a request.
            took = 1000 * (time.monotonic() - start)
            response.raw_headers.append((b"server-timing", b"app;dur=%.1f" % took))
            return response

        return engine_handler


def _is_json(request: Request) -> bool:
    """Whether the body is declared as JSON (other bodies take FastAPI's path to their 422)."""
    return request.headers.get("content-type", "").split(";")[0].strip() == "application/json"


def _response(outcome: Outcome) -> Response:
    """An Outcome as a response: JSONBytes (cacheable) only for a cacheable 200."""
    if outcome.status == 200 and outcome.cacheable:
        return JSONBytes(outcome.content)
    return Response(outcome.content, status_code=outcome.status, headers=outcome.headers,
                    media_type="application/json")


async def run_remote(state: Any, path: str, raw: bytes, start: float, lang: str) -> Outcome:
    """The route's answer from an engine process (its texts in lang), with the budget left since start."""
    remote = lambda left: state.pool.run(path, raw, left, lang)
    return await run_engine(state.settings, None, None, len(raw), inline=False, remote=remote, start=start)


async def run(request: Request, path: str, body: Any) -> Response:
    """The answer of the engine route at path for its validated body (its texts in the request's
    language): inline, or in an engine process."""
    state, job, lang = request.app.state, JOBS[path], scope_lang(request.scope)
    raw = await request.body()
    start = request.scope.get(_START)
    pool = state.pool
    remote = None if pool is None else (lambda left: pool.run(path, raw, left, lang))
    compute = lambda limits: job.compute(body, limits)
    render = lambda result: Outcome(200, job.answer(result, lang), None, job.cacheable(result))
    return _response(await run_engine(state.settings, compute, render, len(raw), state.admission, job.inline,
                                      remote, start))


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
        if _is_json(request):
            try:
                body = model.model_validate(await request.json())
            except (ValueError, TypeError):  # orjson's and pydantic's errors: FastAPI answers them
                return await handler(request)
            return await endpoint(request=request, body=body)
        return await handler(request)

    return fast_handler
