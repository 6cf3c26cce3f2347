"""Tensors for the page: small ones whole, large ones as a summary, and windows of their entries."""

from __future__ import annotations

import numpy as np

from ..core.errors import EngineError
from .jsonsafe import jsonable, number, tensor

INLINE = 4096  # entries: a tensor up to this size is sent whole (figures, plots, practice answers)
PREVIEW = 8  # leading entries a summary shows
MAX_WINDOW = 4096  # entries one window may hold (64 × 64: what the inspector shows at once)


def page_tensor(v):
    """A value, gradient or contribution as the page form sends it: whole, or a summary."""
    if not isinstance(v, np.ndarray) or v.size <= INLINE:
        return jsonable(v)
    return summary(v)


def summary(a: np.ndarray) -> dict:
    """Shape, range, norm and the first entries of a tensor (strict JSON: non-finite as strings)."""
    finite = a[np.isfinite(a)] if not np.isfinite(a).all() else a
    low, high = (float(finite.min()), float(finite.max())) if finite.size else (float("nan"),) * 2
    return {"summary": True, "shape": list(a.shape), "size": int(a.size), "min": number(low),
            "max": number(high), "norm": number(float(np.sqrt(np.sum(a * a)))),
            "nonfinite": int(a.size - finite.size), "preview": tensor(a.reshape(-1)[:PREVIEW])}


def as_matrix(a) -> np.ndarray:
    """Rows and columns as the inspector shows a tensor: 1-D is one row, leading axes fold into rows."""
    a = np.asarray(a, dtype=np.float64)
    if a.ndim == 0:
        return a.reshape(1, 1)
    return a.reshape(1, -1) if a.ndim == 1 else a.reshape(-1, a.shape[-1])


def window(a, rows: tuple[int, int], cols: tuple[int, int]) -> dict:
    """Entries rows[0]:rows[1] × cols[0]:cols[1] of a tensor's matrix, cut to its bounds."""
    m = as_matrix(a)
    r0, r1 = _span(rows, m.shape[0])
    c0, c1 = _span(cols, m.shape[1])
    if (r1 - r0) * (c1 - c0) > MAX_WINDOW:  # checked before the slice is copied out
        raise EngineError("window_too_large", kind="budget", limit=MAX_WINDOW)
    return {"rows": [r0, r1], "cols": [c0, c1], "matrix": list(m.shape),
            "data": tensor(np.ascontiguousarray(m[r0:r1, c0:c1]))}


def _span(span: tuple[int, int], size: int) -> tuple[int, int]:
    """A start:stop range clipped to 0..size (start past the end gives an empty range at the end)."""
    start, stop = span
    start = min(max(start, 0), size)
    return start, min(max(stop, start), size)
