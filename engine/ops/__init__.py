"""The op records: the record type and the op families that register into it."""

from __future__ import annotations

from . import arith, nn  # noqa: F401  (each family registers its ops on import)
from .docs_zh import DOCS_ZH
from .record import FUNCTIONS, OPS, Op, defop

# Each language's op docs beside the records' English (an op registered later, without one, keeps
# its English doc there).
DOCS = {"zh": DOCS_ZH}

__all__ = ["FUNCTIONS", "OPS", "Op", "defop", "op_table"]


def op_table(lang: str = "en") -> list[dict]:
    """Every op, as clients list and explain them, with its doc in lang."""
    docs = DOCS.get(lang, {})
    return [{**op.describe(), "doc": docs.get(op.name, op.doc)} for op in OPS.values()]
