"""Pydantic models shared by every route: numbers and tensors in and out, and the error body.

Each route module has its models beside it: graph.py (POST /api/graph, /api/gradcheck), train.py
(POST /api/optimize, /api/codegen) and catalog.py (GET /api/ops, /api/examples, /api/health).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictStr
from typing_extensions import TypeAliasType

# Requests: finite JSON numbers only (NaN, Infinity and 1e400 are rejected with a 422). fail_fast stops
# at the first bad element: a megabyte of bad elements would otherwise cost seconds of error objects.
Number = Annotated[float, Field(strict=True, allow_inf_nan=False)]
Tensor = TypeAliasType("Tensor", Number | Annotated[list["Tensor"], Field(fail_fast=True)])
Values = Annotated[dict[str, Tensor], Field(fail_fast=True)]
Names = Annotated[list[StrictStr], Field(fail_fast=True)]

# Responses: strict JSON, so non-finite numbers travel as these three strings.
NonFinite = Literal["NaN", "Infinity", "-Infinity"]
OutNumber = float | NonFinite
OutTensor = TypeAliasType("OutTensor", float | NonFinite | list["OutTensor"])

CS231N = "f = (x + sigmoid(y)) / (sigmoid(x) + (x + y)**2)"


class ErrorDetail(BaseModel):
    """What went wrong, and where in the program when that applies (1-based)."""

    message: str
    line: int | None = None
    column: int | None = None
    kind: str | None = Field(default=None, description="syntax, name, arity, shape, value, budget, timeout, "
                                                       "request, too_large, not_found, method.")
    code: str = Field(description="The stable code of the message (a key of GET /api/messages), such as "
                                  "unknown_name; the same in every language.")
    params: dict[str, Any] = Field(default_factory=dict, description=(
        "The message's parameters, plain JSON values filling the template's {slots}: a list is joined "
        "with ', ' (each item quoted when the slot is written '{name}'), an object {code, params} is a "
        "message itself."))
    errors: list[dict] | None = Field(default=None, description="Every validation error, for 422s.")


class ErrorResponse(BaseModel):
    """The body of every 4xx answer."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"detail": {
        "message": "unmatched ')'", "line": 1, "column": 9, "kind": "syntax", "code": "unmatched",
        "params": {"bracket": ")"}}}]})
    detail: ErrorDetail
