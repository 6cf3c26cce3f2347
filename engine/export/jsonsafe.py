"""Strict JSON's numbers: non-finite floats become "NaN", "Infinity", "-Infinity" (the one place)."""

from __future__ import annotations

import numpy as np


def number(v: float):
    """A float as strict JSON allows it."""
    if v - v == 0:  # false exactly for inf and nan
        return float(v)
    if v != v:
        return "NaN"
    return "Infinity" if v > 0 else "-Infinity"


def tensor(a: np.ndarray) -> list:
    """A float64 array as nested lists, with non-finite entries as strings."""
    if np.isfinite(a).all():
        return a.tolist()
    out = a.astype(object)
    out[np.isnan(a)] = "NaN"
    out[np.isposinf(a)] = "Infinity"
    out[np.isneginf(a)] = "-Infinity"
    return out.tolist()


def jsonable(v):
    """A value or gradient (float, array or None) as JSON-ready data."""
    if v is None:
        return None
    if isinstance(v, np.ndarray):
        return tensor(v)
    return number(v)


def strict(obj):
    """A copy of nested dicts, lists and numbers with every non-finite float as its string."""
    if isinstance(obj, float):
        return number(obj)
    if isinstance(obj, dict):
        return {key: strict(value) for key, value in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [strict(value) for value in obj]
    if isinstance(obj, np.ndarray):
        return tensor(obj.astype(np.float64)) if obj.dtype.kind == "f" else strict(obj.tolist())
    if isinstance(obj, np.generic):  # NumPy scalars
        return strict(obj.item())
    return obj
