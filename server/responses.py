"""Strict-JSON responses serialized with orjson (FastAPI's default encoder is ~100x slower here)."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import Response

from gatewise.engine.export.jsonsafe import strict  # noqa: F401  (re-exported for the routes)

# numpy scalars and arrays may slip into small engine dicts; orjson can write them natively.
_OPTIONS = orjson.OPT_SERIALIZE_NUMPY


def dumps(obj: Any) -> bytes:
    """obj as JSON bytes."""
    return orjson.dumps(obj, option=_OPTIONS)


class JSONBytes(Response):
    """A JSON response whose body is already serialized."""

    media_type = "application/json"


def json_response(obj: Any, status_code: int = 200, headers: dict[str, str] | None = None) -> Response:
    """obj serialized with orjson into a plain Response (no re-validation)."""
    return JSONBytes(dumps(obj), status_code=status_code, headers=headers)
