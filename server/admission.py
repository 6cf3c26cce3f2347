"""Admission control: a few engine jobs at a time per worker, a short queue, and 503 beyond it.

Engine work holds the GIL; forty threads of it starve the event loop (health checks waited
seconds). A small bound on concurrent jobs keeps the loop responsive, and the bounded queue turns
overload into an immediate 503 with Retry-After instead of answers that come late for everyone.
"""

from __future__ import annotations

import asyncio
from collections import deque


class Overloaded(Exception):
    """The queue is full, or a queued job's time ran out before a slot came free."""


class Admission:
    """At most `jobs` jobs run at once and at most `queue` wait (first come, first served)."""

    def __init__(self, jobs: int, queue: int) -> None:
        self.jobs, self.queue = max(1, jobs), max(0, queue)
        self.running = 0
        self.waiters: deque[asyncio.Future] = deque()

    async def enter(self, timeout: float | None) -> None:
        """Take a slot, waiting at most timeout seconds; Overloaded if the queue is full or time runs out."""
        if self.running < self.jobs and not self.waiters:
            self.running += 1
            return
        if len(self.waiters) >= self.queue:
            raise Overloaded
        waiter = asyncio.get_running_loop().create_future()
        self.waiters.append(waiter)
        try:
            await asyncio.wait_for(asyncio.shield(waiter), timeout)
        except (asyncio.TimeoutError, asyncio.CancelledError) as exc:
            if waiter.done() and not waiter.cancelled():
                self.leave()  # the slot was handed over just as the wait ended: pass it on
            else:
                waiter.cancel()
                self.waiters.remove(waiter)
            if isinstance(exc, asyncio.CancelledError):
                raise  # the client went away
            raise Overloaded from None

    def leave(self) -> None:
        """Release a slot: hand it to the oldest waiter, or free it."""
        while self.waiters:
            waiter = self.waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)  # the slot passes on; `running` stays the same
                return
        self.running -= 1
