"""Engine processes behind admission control: the event loop's process only moves bytes.

Measured (benchmarks/attack_bench.py): with engine work in threads, 24 expensive requests in
flight kept GET /api/health at p50 100 ms and p99 1.5 s, even with only two jobs admitted at a
time: parsing a megabyte body, validating it and converting it to arrays are long native calls
that hold the process's GIL. In processes of their own they hold only theirs, and a process can
be killed if it ever runs on past its budget (a thread cannot).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from gatewise.engine.core.messages import DEFAULT_LANG
from gatewise.server import worker
from gatewise.server.admission import Admission, Overloaded
from gatewise.server.jobs import Outcome
from gatewise.server.limits import Settings

log = logging.getLogger("gatewise")
GRACE = 0.5  # seconds past its budget after which a job's process is killed (its checks failed)


class EnginePool:
    """`engine_jobs` engine processes, at most that many jobs running and `engine_queue` waiting."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.admission = Admission(settings.engine_jobs, settings.engine_queue)
        self.executor = self._executor()

    def _executor(self) -> ProcessPoolExecutor:
        """A new pool, forked from a fork server that has imported the engine once: never from this
        process (it has threads and a running loop), and in milliseconds, not a second of imports."""
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["gatewise.server.worker"])
        return ProcessPoolExecutor(self.settings.engine_jobs, mp_context=context,
                                   initializer=worker.start, initargs=(self.settings,))

    async def warm(self) -> None:
        """Start every engine process now rather than on the first requests."""
        loop = asyncio.get_running_loop()
        jobs = [loop.run_in_executor(self.executor, worker.ping) for _ in range(self.settings.engine_jobs)]
        await asyncio.gather(*jobs)

    async def run(self, path: str, raw: bytes, left: float | None, lang: str = DEFAULT_LANG) -> Outcome:
        """The route's answer (its texts in lang) computed in an engine process; Overloaded if no slot
        comes free in time."""
        start = time.monotonic()
        await self.admission.enter(left)
        executor = self.executor
        try:
            if left is not None:
                left -= time.monotonic() - start  # the wait for a slot came out of the budget
                if left <= 0:
                    raise Overloaded
            future = executor.submit(worker.run, path, raw, left, lang)
            wait = None if left is None else left + GRACE
            return await asyncio.wait_for(asyncio.wrap_future(future), wait)
        except asyncio.TimeoutError:
            log.error("an engine process ran %.1f s past its budget on %s: restarting the pool", GRACE, path)
            self.restart(executor)
            raise
        except BrokenProcessPool:
            log.error("an engine process died (on %s or a neighbour): restarting the pool", path)
            self.restart(executor)
            raise Overloaded from None
        finally:
            self.admission.leave()

    def restart(self, broken: ProcessPoolExecutor) -> None:
        """Kill the broken pool's processes and start a fresh pool, once (its other jobs answer 503)."""
        if broken is not self.executor:
            return  # another job's failure has restarted it already
        old, self.executor = self.executor, self._executor()
        for proc in list(getattr(old, "_processes", {}).values()):  # the executor has no kill of its own
            proc.kill()
        old.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        """Stop the engine processes."""
        self.executor.shutdown(wait=True, cancel_futures=True)
