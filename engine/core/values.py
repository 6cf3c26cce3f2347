"""Input values: numbers and nested lists from callers become floats and float64 arrays."""

from __future__ import annotations

import numpy as np

from .errors import EngineError


def as_value(value, name: str | None):
    """A caller's or literal value as a float or a float64 array."""
    if type(value) is float:
        return value
    if isinstance(value, np.ndarray):
        return value.astype(np.float64) if value.ndim else float(value)
    if isinstance(value, bool) or not isinstance(value, (int, float, list, tuple)):
        raise EngineError(f"the value of '{name}' must be a number or a nested list of numbers",
                          kind="value")
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
