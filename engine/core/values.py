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
        raise EngineError(f"the value of '{name}' must be a number or a nested list of numbers",
                          kind="value")
    if _depth(value) > MAX_NDIM:
        raise EngineError(f"the value of '{name}' is nested more than {MAX_NDIM} lists deep", kind="budget")
    try:
        if isinstance(value, (int, float)):
            return float(value)
        arr = np.array(value, dtype=np.float64)
    except OverflowError:
        raise EngineError(f"the value of '{name}' is too large for a 64-bit float", kind="value") from None
    except (ValueError, TypeError):
        raise EngineError(f"the value of '{name}' must be a number or a rectangular nested list of "
                          "numbers (no ragged rows)", kind="shape") from None
    return arr if arr.ndim else float(arr)


def _depth(value) -> int:
    """How many lists deep value is, along its first elements (enough: NumPy refuses ragged ones)."""
    depth = 0
    while isinstance(value, (list, tuple)) and depth <= MAX_NDIM:
        depth += 1
        value = value[0] if value else None
    return depth
