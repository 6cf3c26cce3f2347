"""Every failure becomes a 4xx with {"detail": {"message", "line", "column", "kind", "code", "params"}}.

The message is rendered in English from the code and its parameters; server/locale.py renders it
again in the request's language.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response

from gatewise.engine import EngineError
from gatewise.engine.core.messages import catalog, message, render
from gatewise.server.locale import MAX_MESSAGE, capped
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
MAX_ITEMS = 40  # items of a list parameter (a CSV's columns, …); the lists of functions are shorter
_HTTP_KINDS = {404: "not_found", 405: "method", 413: "too_large"}
_HTTP_CODES = {404: "not_found", 405: "method_not_allowed"}
# Pydantic adds union-branch names to error locations; they mean nothing to the user.
_TYPE_TAGS = frozenset({"float", "bool", "str", "int", "function-after", "function-plain"})


class ApiError(Exception):
    """A 4xx the routes raise for failures that are not EngineErrors."""

    def __init__(self, status: int, code: str, kind: str, headers: dict[str, str] | None = None,
                 **params) -> None:
        super().__init__(render(code, params))
        self.status, self.code, self.kind, self.headers, self.params = status, code, kind, headers, params

    @property
    def message(self) -> str:
        """The message in English."""
        return render(self.code, self.params)


def capped_param(value: Any) -> Any:
    """A parameter cut to size: long strings elided in the middle, long lists shortened."""
    if isinstance(value, str):
        return capped(value, MAX_MESSAGE // 2)
    if isinstance(value, (list, tuple)):
        return [capped_param(v) for v in value[:MAX_ITEMS]] + (["…"] if len(value) > MAX_ITEMS else [])
    if isinstance(value, dict):
        return {str(k): capped_param(v) for k, v in value.items()}
    return value


def error_body(code: str, kind: str, line: int | None = None, column: int | None = None,
               params: dict | None = None) -> dict:
    """The JSON body of an error answer: the English message, the code and its parameters."""
    params = capped_param(params or {})
    return {"detail": {"message": capped(render(code, params)), "line": line, "column": column, "kind": kind,
                       "code": code, "params": params}}


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


def _reason(error: dict) -> str | dict:
    """pydantic's message, as the catalog's message of its type where that renders it word for word."""
    code = f"pydantic_{error.get('type')}"
    ctx = {str(k): v for k, v in (error.get("ctx") or {}).items() if isinstance(v, (str, int, float))}
    text = str(error.get("msg", "invalid"))
    return message(code, **ctx) if code in catalog("en") and render(code, ctx) == text else text


def validation_body(errors: list[dict], doc: Any, content_type: str) -> dict:
    """The 422 body for pydantic errors (locations start with "body") of the JSON text doc."""
    # The deepest location is the most specific: for [1, "a"] it is the "a", not the list as a number.
    first = max(errors, key=lambda e: len(e.get("loc", ()))) if errors else {"loc": (), "msg": "Invalid"}
    line = column = None
    if first.get("type") == "json_invalid":
        loc = first.get("loc", ())
        line, column = _position(doc, loc[1] if len(loc) > 1 else None)
        code, params = "json_invalid", {"error": str(first.get("ctx", {}).get("error", "decode error"))}
    elif "json" not in content_type and first.get("loc", ())[:1] == ("body",):
        code, params = "json_content_type", {}
    else:
        code = "validation"
        params = {"field": _where(tuple(first.get("loc", ()))), "reason": _reason(first),
                  "type": str(first.get("type", ""))}
    body = error_body(code, "request", line, column, params)
    # The first few are enough to act on; thousands would only inflate the answer.
    body["detail"]["errors"] = _clean(errors[:MAX_ERRORS])
    return body


def engine_error_body(exc: EngineError) -> dict:
    """The 400 body for a program the engine rejects, with the source position."""
    return error_body(exc.code, exc.kind, exc.line, exc.column, exc.params)


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
    return json_response(error_body(exc.code, exc.kind, params=exc.params), status_code=exc.status,
                         headers=exc.headers)


async def on_http_error(request: Request, exc: HTTPException) -> Response:
    """404, 405 and friends in the same shape as every other error."""
    kind = _HTTP_KINDS.get(exc.status_code, "request")
    code = _HTTP_CODES.get(exc.status_code, "http_error")
    body = error_body(code, kind, params={"status": exc.status_code, "detail": str(exc.detail)})
    return json_response(body, status_code=exc.status_code, headers=exc.headers)


async def on_unexpected(request: Request, exc: Exception) -> Response:
    """A bug, not bad input: log it and answer a JSON 500 rather than a bare page."""
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return json_response(error_body("internal", "internal"), status_code=500)


def install(app: FastAPI) -> None:
    """Register the handlers on app."""
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(EngineError, on_engine_error)
    app.add_exception_handler(ApiError, on_api_error)
    app.add_exception_handler(HTTPException, on_http_error)
    app.add_exception_handler(Exception, on_unexpected)
