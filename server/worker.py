"""The entry point of engine processes: settings once at start, then one job per call."""

from __future__ import annotations

import dataclasses
import os

from gatewise.engine.core.messages import DEFAULT_LANG
from gatewise.server.jobs import Outcome, execute
from gatewise.server.limits import Settings
from gatewise.server.routes import export, graph, teach, train  # noqa: F401  (each registers its routes' jobs)

_SETTINGS: list[Settings] = []


NICENESS = 10  # engine processes yield the CPU to the event loop's process when cores are busy


def start(settings: Settings) -> None:
    """Initializer of an engine process."""
    _SETTINGS[:] = [settings]
    # What threads cannot do: a lower priority for engine work than for the loop that answers
    # health checks and cheap requests, so a saturated machine still answers those at once.
    os.nice(NICENESS)


def ping() -> bool:
    """A no-op job: starting the processes before the first request needs them."""
    return True


def run(path: str, raw: bytes, left: float | None, lang: str = DEFAULT_LANG) -> Outcome:
    """The answer to one request, with `left` seconds of its budget (None: no budget), in lang."""
    limits = _SETTINGS[0].limits
    if left is not None:
        limits = dataclasses.replace(limits, time_budget=left)
    return execute(path, raw, limits, _SETTINGS[0].limits.time_budget, lang)
