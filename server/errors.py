"""Every failure becomes a 4xx with {"detail": {"message", "line", "column", "kind"}}."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response

from gatewise.engine import EngineError
from gatewise.server.responses import json_response
from gatewise.server.schemas import ErrorResponse

log = logging.getLogger("gatewise")

# Documented on every body-taking operation (and replacing FastAPI's default 422 schema, which differs).
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "The program is invalid or over a budget (detail.kind)."},
    413: {"model": ErrorResponse, "description": "The request body is over GATEWISE_MAX_BODY_BYTES."},
    422: {"model": ErrorResponse, "description": "The request is not valid JSON of the documented shape."},
    503: {"model": ErrorResponse, "description": "Overloaded: too many engine jobs (kind `overloaded`); "
          "retry after the Retry-After header's seconds."},
}
MAX_ERRORS = 20
MAX_MESSAGE = 500  # characters of a message; the rest of a huge quoted input is elided
_HTTP_KINDS = {404: "not_found", 405: "method", 413: "too_large"}
# Pydantic adds union-branch names to error locations; they mean nothing to the user.
_TYPE_TAGS = frozenset({"float", "bool", "str", "int", "function-after", "function-plain"})


class ApiError(Exception):
    """A 4xx the routes raise for failures that are not EngineErrors."""

    def __init__(self, status: int, message: str, kind: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.kind, self.headers = status, message, kind, headers


def capped(text: str, limit: int = MAX_MESSAGE) -> str:
    """text, cut in the middle with an ellipsis if longer than limit (messages may quote huge input)."""
    if len(text) <= limit:
        return text
    half = (limit - 25) // 2
    return f"{text[:half]} … ({len(text) - 2 * half} characters) … {text[-half:]}"


def error_body(message: str, kind: str, line: int | None = None, column: int | None = None) -> dict:
    """The JSON body of an error answer."""
    return {"detail": {"message": capped(message), "line": line, "column": column, "kind": kind}}


def _position(doc: Any, pos: Any) -> tuple[int | None, int | None]:
    """1-based line and column of offset pos in the JSON text doc."""
    if not isinstance(pos, int) or not isinstance(doc, (str, bytes)):
        return None, None
    newline = "\n" if isinstance(doc, str) else b"\n"
    line = doc.count(newline, 0, pos) + 1
    return line, pos - (doc.rfind(newline, 0, pos) + 1) + 1


def _where(loc: tuple) -> str:
    """A readable field path such as values.W[0] from a pydantic location."""
    path = ""
    for part in loc[1:] if loc and loc[0] == "body" else loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part not in _TYPE_TAGS and "[" not in str(part):
            path += f".{part}" if path else str(part)
    return path or "request body"


def _clean(errors: list[dict]) -> list[dict]:
    """Validation errors without their inputs (which may be NaN, or megabytes)."""
    return [{"loc": [p if isinstance(p, int) else capped(str(p), 100) for p in e.get("loc", ())],
             "msg": capped(str(e.get("msg", ""))), "type": str(e.get("type", ""))} for e in errors]


def validation_body(errors: list[dict], doc: Any, content_type: str) -> dict:
    """The 422 body for pydantic errors (locations start with "body") of the JSON text doc."""
    # The deepest location is the most specific: for [1, "a"] it is the "a", not the list as a number.
    first = max(errors, key=lambda e: len(e.get("loc", ()))) if errors else {"loc": (), "msg": "Invalid"}
    line = column = None
    if first.get("type") == "json_invalid":
        loc = first.get("loc", ())
        line, column = _position(doc, loc[1] if len(loc) > 1 else None)
        message = f"The body is not valid JSON: {first.get('ctx', {}).get('error', 'decode error')}"
    elif "json" not in content_type and first.get("loc", ())[:1] == ("body",):
        message = "The body must be JSON sent with Content-Type: application/json."
    else:
        message = f"{_where(tuple(first.get('loc', ())))}: {first.get('msg', 'invalid')}"
    body = error_body(message, "request", line, column)
    # The first few are enough to act on; thousands would only inflate the answer.
    body["detail"]["errors"] = _clean(errors[:MAX_ERRORS])
    return body


def engine_error_body(exc: EngineError) -> dict:
    """The 400 body for a program the engine rejects, with the source position."""
    detail = exc.to_dict()
    return error_body(str(detail.get("message") or exc), str(detail.get("kind") or "value"),
                      detail.get("line"), detail.get("column"))


async def on_validation_error(request: Request, exc: RequestValidationError) -> Response:
    """422 for bodies that are not JSON, not finite, or not of the documented shape."""
    content_type = request.headers.get("content-type", "")
    return json_response(validation_body(list(exc.errors()), getattr(exc, "body", None), content_type),
                         status_code=422)


async def on_engine_error(request: Request, exc: EngineError) -> Response:
    """400 for programs the engine rejects, with the source position."""
    return json_response(engine_error_body(exc), status_code=400)


async def on_api_error(request: Request, exc: ApiError) -> Response:
    """The status and message the route chose."""
    return json_response(error_body(exc.message, exc.kind), status_code=exc.status, headers=exc.headers)


async def on_http_error(request: Request, exc: HTTPException) -> Response:
    """404, 405 and friends in the same shape as every other error."""
    kind = _HTTP_KINDS.get(exc.status_code, "request")
    return json_response(error_body(str(exc.detail), kind), status_code=exc.status_code, headers=exc.headers)


async def on_unexpected(request: Request, exc: Exception) -> Response:
    """A bug, not bad input: log it and answer a JSON 500 rather than a bare page."""
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return json_response(error_body("Internal error.", "internal"), status_code=500)


def install(app: FastAPI) -> None:
    """Register the handlers on app."""
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(EngineError, on_engine_error)
    app.add_exception_handler(ApiError, on_api_error)
    app.add_exception_handler(HTTPException, on_http_error)
    app.add_exception_handler(Exception, on_unexpected)
