"""Budgets: every limit is a setting, checked before the work is done or the memory allocated."""

from __future__ import annotations

import time
from dataclasses import dataclass

from .errors import EngineError


@dataclass(frozen=True)
class Limits:
    """Engine budgets; the defaults admit a 100,000-node program, servers set tighter ones."""

    max_source_chars: int = 8_000_000
    max_statements: int = 200_000
    max_nodes: int = 1_000_000
    max_depth: int = 1_000
    max_tensor_elements: int = 10_000_000
    max_total_elements: int = 50_000_000
    max_matmul_work: int = 4_000_000_000
    time_budget: float | None = None


DEFAULT_LIMITS = Limits()
# Axes of a tensor at most. NumPy stops at 64 with a ValueError; nothing a student writes needs more.
MAX_NDIM = 32


class Deadline:
    """A cooperative time budget: long loops call check() so the work really stops."""

    __slots__ = ("end",)

    def __init__(self, seconds: float | None):
        self.end = None if seconds is None else time.monotonic() + seconds

    def extended(self, seconds: float) -> Deadline:
        """A deadline `seconds` after this one (for a last, bounded step after the budget ran out)."""
        later = Deadline(None)
        later.end = None if self.end is None else self.end + seconds
        return later

    def check(self) -> None:
        """Raise a timeout error once the budget is spent."""
        if self.end is not None and time.monotonic() > self.end:
            raise EngineError("time_budget", kind="timeout")
