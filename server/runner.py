"""The one runner of every engine route: time budget, inline slice, admission, engine processes."""

from __future__ import annotations

import asyncio
import dataclasses
import math
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from starlette.concurrency import run_in_threadpool

from gatewise.engine import EngineError, Limits
from gatewise.server.admission import Admission, Overloaded
from gatewise.server.errors import ApiError
from gatewise.server.jobs import guarded, timeout_error
from gatewise.server.limits import Settings

T = TypeVar("T")
R = TypeVar("R")
_MISS = object()
Remote = Callable[[float | None], Awaitable[Any]]  # runs the request elsewhere with this much budget left


def overloaded(settings: Settings) -> ApiError:
    """503 with Retry-After: the one 5xx, only for overload."""
    budget = settings.limits.time_budget
    retry = max(1, math.ceil(budget)) if budget else 1
    return ApiError(503, "overloaded", "overloaded", headers={"Retry-After": str(retry)},
                    jobs=settings.engine_jobs, queue=settings.engine_queue, retry=retry)


async def _inline(settings: Settings, compute: Callable[[Limits], T], render: Callable[[T], R]) -> Any:
    """compute on the event loop within the short inline slice, or _MISS if it needs longer.

    The slice is wall time, so a loop descheduled by a busy machine misses it without working;
    then (the thread's CPU time tells) the request gets a second slice rather than a place in the
    queue behind expensive jobs.
    """
    for _ in range(2):
        cpu = time.thread_time()
        answer = await _slice(settings, compute, render)
        if answer is not _MISS or time.thread_time() - cpu > settings.inline_budget / 2:
            return answer
    return _MISS


async def _slice(settings: Settings, compute: Callable[[Limits], T], render: Callable[[T], R]) -> Any:
    """One attempt within the inline slice."""
    start = time.monotonic()
    try:
        result = guarded(compute, settings.inline_limits)
        # Serializing tensors costs a few times their computing: a quick computation is rendered
        # here, a slower one (big tensors from a short program) off the loop.
        if time.monotonic() - start < settings.inline_budget / 5:
            return guarded(render, result)
        return await run_in_threadpool(guarded, render, result)
    except EngineError as exc:
        if exc.kind != "timeout":
            raise
        return _MISS  # the slice ran out (rendering is bounded by it too): the full budget elsewhere


async def _in_thread(admission: Admission | None, limits: Limits, start: float,
                     compute: Callable[[Limits], T], render: Callable[[T], R]) -> R:
    """render(compute()) in a worker thread once admission grants a slot, with the budget left then."""
    def work() -> R:
        budget = limits.time_budget
        if budget is None:
            return guarded(render, guarded(compute, limits))
        left = budget - (time.monotonic() - start)
        if left <= 0:
            raise EngineError("waited_budget", kind="timeout")
        return guarded(render, guarded(compute, dataclasses.replace(limits, time_budget=left)))

    if admission is None:
        return await run_in_threadpool(work)
    await admission.enter(_left(limits, start))
    try:
        return await run_in_threadpool(work)
    finally:
        admission.leave()


def _left(limits: Limits, start: float) -> float | None:
    """Seconds of the time budget left (None: no budget)."""
    return None if limits.time_budget is None else limits.time_budget - (time.monotonic() - start)


async def run_engine(settings: Settings, compute: Callable[[Limits], T], render: Callable[[T], R],
                     size: int, admission: Admission | None = None, inline: bool = True,
                     remote: Remote | None = None, start: float | None = None) -> R | Any:
    """render(compute(limits)): small requests first inline with a short slice; the rest by remote
    (an engine process) if given, else in a thread. The budget counts from start (default: now),
    waiting for a slot included, so every request answers within its budget or is refused."""
    start = time.monotonic() if start is None else start
    limits = settings.limits
    budget, slice_ = limits.time_budget, settings.inline_budget
    if inline and slice_ and size <= settings.inline_max_bytes and (budget is None or budget > slice_):
        # Most requests finish in well under a millisecond; the process hop would cost more than the work.
        answer = await _inline(settings, compute, render)
        if answer is not _MISS:
            return answer
    try:
        if remote is not None:
            return await remote(_left(limits, start))
        return await _in_thread(admission, limits, start, compute, render)
    except Overloaded:
        raise overloaded(settings) from None
    except asyncio.TimeoutError:
        raise timeout_error(budget) from None
    except EngineError as exc:
        if exc.kind != "timeout":
            raise
        raise timeout_error(budget) from None
