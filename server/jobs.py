"""Engine jobs by route, and running one from the raw request bytes to the answer's bytes.

A job is the route's request model, its compute (body, limits) -> result and its render
result -> bytes. The same job runs inline on the event loop (small requests), or in an engine
process from the raw body: there the body is parsed and validated too, so a megabyte of JSON
never holds the event loop's GIL. Every failure is mapped here to the same answers as the app's
exception handlers give.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable
from typing import Any, NamedTuple

import orjson
from pydantic import BaseModel, ValidationError

from gatewise.engine import EngineError, Limits
from gatewise.engine.core.messages import DEFAULT_LANG
from gatewise.server.errors import ApiError, engine_error_body, error_body, validation_body
from gatewise.server.responses import dumps

log = logging.getLogger("gatewise")


@dataclasses.dataclass(frozen=True)
class Job:
    """What an engine route does with its validated body."""

    model: type[BaseModel]
    compute: Callable[[Any, Limits], Any]
    render: Callable[[Any], bytes]
    cacheable: Callable[[Any], bool] = lambda result: True
    inline: bool = True  # may try the short inline slice first (training may not: it stops at its deadline)
    speaks: bool = False  # render takes the request's language too: the answer has texts (verdicts, notes)

    def answer(self, result: Any, lang: str = DEFAULT_LANG) -> bytes:
        """The result's bytes, its texts in lang where the answer has any."""
        return self.render(result, lang) if self.speaks else self.render(result)


class Outcome(NamedTuple):
    """An answer as plain data (it crosses the process boundary)."""

    status: int
    content: bytes
    headers: dict[str, str] | None = None
    cacheable: bool = False


JOBS: dict[str, Job] = {}


def register(path: str, job: Job) -> Job:
    """Make job the one of the route at path."""
    JOBS[path] = job
    return job


def guarded(fn: Callable[..., Any], *args: Any) -> Any:
    """fn(*args), with every exception but EngineError and ApiError mapped to a clear 4xx answer."""
    try:
        return fn(*args)
    except RecursionError:
        raise ApiError(400, "recursion", "budget") from None
    except MemoryError:
        raise ApiError(413, "memory", "budget") from None
    except (EngineError, ApiError):
        raise
    except Exception:
        # An engine bug, not bad input; no input may make the server answer 5xx, so log it loudly
        # and answer a 400 whose kind ("internal") tests and monitoring can look for.
        log.exception("engine failed on a request")
        raise ApiError(400, "engine_failed", "internal") from None


def timeout_error(budget: float | None) -> ApiError:
    """The timeout answer, naming the configured budget (the engine's message names the slice left)."""
    if budget is None:
        return ApiError(400, "request_timeout", "timeout")
    return ApiError(400, "request_timeout_budget", "timeout", seconds=f"{budget:g}")


def _error(status: int, body: dict, headers: dict[str, str] | None = None) -> Outcome:
    """An error answer."""
    return Outcome(status, dumps(body), headers)


def parse(job: Job, raw: bytes) -> Any:
    """The validated request body, or an Outcome with the 422 the app would give."""
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        errors = [{"type": "json_invalid", "loc": ("body", exc.pos), "msg": "JSON decode error",
                   "ctx": {"error": exc.msg}}]
        return _error(422, validation_body(errors, raw, "application/json"))
    try:
        return job.model.model_validate(data)
    except ValidationError as exc:
        found = exc.errors(include_url=False, include_input=False)
        errors = [{**e, "loc": ("body", *e["loc"])} for e in found]
        return _error(422, validation_body(errors, raw, "application/json"))


def execute(path: str, raw: bytes, limits: Limits, budget: float | None, lang: str = DEFAULT_LANG) -> Outcome:
    """The answer of the route at path to the JSON body raw, under limits (budget: as configured), its
    texts in lang.

    Parsing and validating count against the time budget too: a 4 MB body costs ~0.3 s.
    """
    start = time.monotonic()
    job = JOBS[path]
    body = parse(job, raw)
    if isinstance(body, Outcome):
        return body
    if limits.time_budget is not None:
        left = limits.time_budget - (time.monotonic() - start)
        limits = dataclasses.replace(limits, time_budget=left) if left > 0 else limits
        if left <= 0:
            failure = timeout_error(budget)
            return _error(400, error_body(failure.code, "timeout", params=failure.params))
    try:
        result = guarded(job.compute, body, limits)
        return Outcome(200, guarded(job.answer, result, lang), None, job.cacheable(result))
    except EngineError as exc:
        if exc.kind != "timeout":
            return _error(400, engine_error_body(exc))
        failure = timeout_error(budget)
    except ApiError as exc:
        failure = exc
    body = error_body(failure.code, failure.kind, params=failure.params)
    return _error(failure.status, body, failure.headers)
