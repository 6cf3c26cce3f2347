"""Response bodies of GET /api/ops, /api/examples and /api/health."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from gatewise.server.schemas import Tensor


class OpInfo(BaseModel):
    """One operator or function of the language, with its local-gradient formulas."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "name": "mul", "syntax": "a * b", "symbol": "×", "arity": 2, "category": "arithmetic",
        "doc": "Elementwise product; the gradient of each side is the other side.", "params": ["a", "b"],
        "derivatives": ["g * b", "g * a"],
        "formulas": ["∂(a·b)/∂a = b", "∂(a·b)/∂b = a"],
        "formulas_tex": ["\\frac{\\partial (a b)}{\\partial a} = b",
                         "\\frac{\\partial (a b)}{\\partial b} = a"],
        "composite": False, "expansion": None, "callable": False}]})
    name: str
    kind: Literal["op", "construct"] = Field(default="op", description="op: an operator or function (ops "
                                             "leave this out); construct: a form of the language, `def`.")
    syntax: str
    symbol: str
    arity: int = Field(description="Number of operands; -1 means variadic.")
    category: str
    doc: str
    params: list[str]
    derivatives: list[str | None] = Field(description="Each input's derivative formula, in the language.")
    formulas: list[str]
    formulas_tex: list[str]
    composite: bool
    expansion: str | None = Field(default=None, description="A composite's expansion; a construct's "
                                  "example program.")
    callable: bool
    spellings: list[str] = Field(default_factory=list, description="Other ways to write it: np.exp (a "
                                 "module function), .exp() (a method), .T (an attribute); a construct's "
                                 "other forms (def with an indented body).")


class TrainPreset(BaseModel):
    """Settings of the page's Train panel that make an example visibly learn."""

    params: list[str] | None = None
    lr: float
    steps: int
    optimizer: Literal["sgd", "momentum", "adam"] = "sgd"


class Example(BaseModel):
    """A curated, named program ready to send to POST /api/graph."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": "bowl", "title": "Gradient-descent bowl", "description": "f = x² + y² + 2x + 2 from (1, 4).",
        "expression": "f = x*x + y*y + 2*x + 2", "values": {"x": 1, "y": 4}, "expand": False}]})
    id: str
    title: str
    description: str
    expression: str
    values: dict[str, Tensor] = Field(default_factory=dict)
    expand: bool = False
    train: TrainPreset | None = None


class Health(BaseModel):
    """Liveness answer."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"status": "ok"}]})
    status: Literal["ok"]
