"""Input values: numbers and nested lists from callers become floats and float64 arrays."""

from __future__ import annotations

import numpy as np

from .errors import EngineError
from .limits import MAX_NDIM


def as_value(value, name: str | None):
    """A caller's or literal value as a float or a float64 array."""
    if type(value) is float:
        return value
    if isinstance(value, np.ndarray):
        return value.astype(np.float64) if value.ndim else float(value)
    if isinstance(value, bool) or not isinstance(value, (int, float, list, tuple)):
        raise EngineError("value_type", kind="value", name=name)
    if _depth(value) > MAX_NDIM:
        raise EngineError("value_depth", kind="budget", name=name, limit=MAX_NDIM)
    try:
        if isinstance(value, (int, float)):
            return float(value)
        arr = np.array(value, dtype=np.float64)
    except OverflowError:
        raise EngineError("value_overflow", kind="value", name=name) from None
    except (ValueError, TypeError):
        raise EngineError("value_ragged", kind="shape", name=name) from None
    return arr if arr.ndim else float(arr)


def _depth(value) -> int:
    """How many lists deep value is, along its first elements (enough: NumPy refuses ragged ones)."""
    depth = 0
    while isinstance(value, (list, tuple)) and depth <= MAX_NDIM:
        depth += 1
        value = value[0] if value else None
    return depth
