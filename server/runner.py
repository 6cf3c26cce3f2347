"""Run engine work under the configured limits without stalling the event loop."""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from starlette.concurrency import run_in_threadpool

from gatewise.engine import EngineError, Limits
from gatewise.server.errors import ApiError
from gatewise.server.limits import Settings

T = TypeVar("T")
log = logging.getLogger("gatewise")
_MISS = object()


def _guarded(fn: Callable[..., T], *args: Any) -> T:
    """fn(*args), with Python's own resource errors and engine bugs turned into clear 4xx answers."""
    try:
        return fn(*args)
    except RecursionError:
        raise ApiError(400, "The program is nested too deeply to evaluate.", "budget") from None
    except MemoryError:
        raise ApiError(413, "The program needs more memory than the server allows.", "budget") from None
    except (EngineError, ApiError):
        raise
    except Exception:
        # An engine bug, not bad input; no input may make the server answer 5xx, so log it loudly
        # and answer a 400 whose kind ("internal") tests and monitoring can look for.
        log.exception("engine failed on a request")
        message = "The engine failed on this program (an internal error, logged)."
        raise ApiError(400, message, "internal") from None


async def _inline(settings: Settings, compute: Callable[[Limits], T], render: Callable[[T], bytes]) -> Any:
    """compute on the event loop within the short inline slice, or _MISS if it needs longer."""
    start = time.monotonic()
    try:
        result = _guarded(compute, settings.inline_limits)
    except EngineError as exc:
        if exc.kind != "timeout":
            raise
        return _MISS
    # Serializing tensors costs a few times their computing: a quick computation is rendered here,
    # a slower one (big tensors from a short program) off the loop.
    if time.monotonic() - start < settings.inline_budget / 5:
        return _guarded(render, result)
    return await run_in_threadpool(_guarded, render, result)


async def run_engine(settings: Settings, compute: Callable[[Limits], T], render: Callable[[T], bytes],
                     size: int) -> bytes:
    """render(compute(limits)): small requests first inline with a short slice, the rest in a thread."""
    limits = settings.limits
    budget, inline = limits.time_budget, settings.inline_budget
    if inline and size <= settings.inline_max_bytes and (budget is None or budget > inline):
        # Most requests finish in well under a millisecond; the thread hop would cost more than the work.
        start = time.monotonic()
        answer = await _inline(settings, compute, render)
        if answer is not _MISS:
            return answer
        if budget is not None:
            limits = dataclasses.replace(limits, time_budget=max(budget - (time.monotonic() - start), 0.001))
    # The engine checks its deadline cooperatively, so the thread really stops when the budget runs out.
    try:
        return await run_in_threadpool(lambda: _guarded(render, _guarded(compute, limits)))
    except EngineError as exc:
        if exc.kind != "timeout":
            raise
        # The engine's message names the remaining slice; the user wants the configured budget.
        budget_text = "its time budget" if budget is None else f"its time budget of {budget:g} s"
        message = f"The request ran past {budget_text} (GATEWISE_TIME_BUDGET) and was stopped."
        raise ApiError(400, message, "timeout") from None
