"""Two ops a test adds without touching the engine: one block each (used by test_new_ops and the
browser test). The derivatives are one formula per input; everything else is derived."""

from __future__ import annotations

import contextlib
import math

import numpy as np

from gatewise.engine.core.numeric import row_shape
from gatewise.engine.ops.record import defop, unregister


def _logsumexp(z):
    m = np.max(z, axis=-1, keepdims=True)
    return m + np.log(np.sum(np.exp(z - m), axis=-1, keepdims=True))


@contextlib.contextmanager
def registered():
    """log1p (elementwise, with a scalar fast path) and logsumexp (a composite over the last axis)."""
    defop("log1p", "log1p(x)", "ln1p", "x", "elementwise", "ln(1 + x), exact for small x.",
          np.log1p, {"x": "g / (1 + x)"}, scalar=math.log1p,
          code="np.log1p($0)", show="ln(1 + $0)", show_tex=r"\ln(1 + $0)")

    defop("logsumexp", "logsumexp(z)", "LSE", "z", "nn",
          "log Σ exp(z) over the last axis, kept (size 1); shifted by the row maximum.",
          _logsumexp, {"z": "g * exp(z - out)"}, shape=row_shape,
          code="np.log(np.sum(np.exp($0 - np.max($0, axis=-1, keepdims=True)), axis=-1, keepdims=True))"
               " + np.max($0, axis=-1, keepdims=True)",
          show="logsumexp($0)", show_tex=r"\log\textstyle\sum_k e^{$0}",
          expansion="m = rowmax(z)\nm + log(rowsum(exp(z - m)))")
    try:
        yield
    finally:
        unregister("log1p")
        unregister("logsumexp")
