"""The op records: the record type and the op families that register into it."""

from __future__ import annotations

from . import arith, nn  # noqa: F401  (each family registers its ops on import)
from .record import FUNCTIONS, OPS, Op, defop

__all__ = ["FUNCTIONS", "OPS", "Op", "defop", "op_table"]


def op_table() -> list[dict]:
    """Every op, as clients list and explain them."""
    return [op.describe() for op in OPS.values()]
