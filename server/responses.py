"""Strict-JSON responses serialized with orjson (FastAPI's default encoder is ~100x slower here)."""

from __future__ import annotations

import math
from typing import Any

import orjson
from starlette.responses import Response

_NON_FINITE = {math.inf: "Infinity", -math.inf: "-Infinity"}
# numpy scalars and arrays may slip into small engine dicts; orjson can write them natively.
_OPTIONS = orjson.OPT_SERIALIZE_NUMPY


def strict(obj: Any) -> Any:
    """Copy of obj with non-finite floats replaced by "NaN", "Infinity", "-Infinity" (for small dicts)."""
    if isinstance(obj, float):
        if math.isfinite(obj):
            return obj
        return "NaN" if math.isnan(obj) else _NON_FINITE[obj]
    if isinstance(obj, dict):
        return {key: strict(value) for key, value in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [strict(value) for value in obj]
    if hasattr(obj, "tolist"):  # numpy arrays and scalars
        return strict(obj.tolist())
    return obj


def dumps(obj: Any) -> bytes:
    """obj as JSON bytes."""
    return orjson.dumps(obj, option=_OPTIONS)


class JSONBytes(Response):
    """A JSON response whose body is already serialized."""

    media_type = "application/json"


def json_response(obj: Any, status_code: int = 200, headers: dict[str, str] | None = None) -> Response:
    """obj serialized with orjson into a plain Response (no re-validation)."""
    return JSONBytes(dumps(obj), status_code=status_code, headers=headers)
