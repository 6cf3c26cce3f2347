"""Run engine work under the configured limits without stalling the event loop."""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable
from typing import TypeVar

from starlette.concurrency import run_in_threadpool

from engine import EngineError, Limits
from server.errors import ApiError
from server.limits import Settings

T = TypeVar("T")
log = logging.getLogger("gatewise")


def _guarded(work: Callable[[Limits], T], limits: Limits) -> T:
    """work(limits), with Python's own resource errors turned into clear 4xx answers."""
    try:
        return work(limits)
    except RecursionError:
        raise ApiError(400, "The program is nested too deeply to evaluate.", "budget") from None
    except MemoryError:
        raise ApiError(413, "The program needs more memory than the server allows.", "budget") from None
    except EngineError:
        raise
    except Exception:
        # An engine bug, not bad input; no input may make the server answer 5xx, so log it loudly
        # and answer a 400 whose kind ("internal") tests and monitoring can look for.
        log.exception("engine failed on a request")
        message = "The engine failed on this program (an internal error, logged)."
        raise ApiError(400, message, "internal") from None


async def run_engine(settings: Settings, work: Callable[[Limits], T], size: int) -> T:
    """work(limits): for small requests first inline with a short slice, then in a worker thread."""
    limits = settings.limits
    budget, inline = limits.time_budget, settings.inline_budget
    if inline and size <= settings.inline_max_bytes and (budget is None or budget > inline):
        # Most requests finish in well under a millisecond; the thread hop would cost more than the work.
        start = time.monotonic()
        try:
            return _guarded(work, settings.inline_limits)
        except EngineError as exc:
            if exc.kind != "timeout":
                raise
        if budget is not None:
            remaining = max(budget - (time.monotonic() - start), 0.001)
            limits = dataclasses.replace(limits, time_budget=remaining)
    # The engine checks its deadline cooperatively, so the thread really stops when the budget runs out.
    try:
        return await run_in_threadpool(_guarded, work, limits)
    except EngineError as exc:
        if exc.kind != "timeout":
            raise
        # The engine's message names the remaining slice; the user wants the configured budget.
        budget_text = "its time budget" if budget is None else f"its time budget of {budget:g} s"
        message = f"The request ran past {budget_text} (GATEWISE_TIME_BUDGET) and was stopped."
        raise ApiError(400, message, "timeout") from None
