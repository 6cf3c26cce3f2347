"""Request and response bodies of the teaching routes: diagnostics, data sets, decision boundaries."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr

from gatewise.server.schemas import Names, Number, OutNumber, Values
from gatewise.server.schemas.train import Int

CLASSIFIER = "h = tanh(X @ W1 + b1)\nz = h @ W2 + b2\nloss = cross_entropy(z, y)"


class DiagnosticsRequest(BaseModel):
    """A program to diagnose (as for POST /api/graph)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"expression": "f = relu(x) * y + sigmoid(z)", "values": {"x": -2, "y": 3, "z": 12}}]})
    expression: StrictStr
    values: Values = Field(default_factory=dict)
    expand: StrictBool | Names = False


class Flag(BaseModel):
    """One finding, with the words that explain it."""

    model_config = ConfigDict(extra="allow")
    kind: Literal["dead_relu", "saturated", "vanishing", "exploding", "no_influence", "top_contributions"]
    node: str
    severity: Literal["warning", "info"]
    title: str = Field(description="The flag's title in the request's language (its code: title_code).")
    message: str = Field(description="The explanation in the request's language (from code and params).")


class DiagnosticsResponse(BaseModel):
    """Largest absolute gradient per node and contribution per edge (null: none), and the flags."""

    nodes: dict[str, OutNumber | None]
    edges: dict[str, OutNumber | None]
    flags: list[Flag]
    thresholds: dict[str, float]


class DatasetRequest(BaseModel):
    """A CSV table (header optional; comma, semicolon or tab) to read as features and labels."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"csv": "x1,x2,label\n0.1,0.2,0\n0.9,0.8,1\n", "label": "label"}]})
    csv: StrictStr
    label: StrictStr | StrictInt = Field(default=-1, description="Column name, or 0-based number (-1: last).")
    features: list[StrictStr | StrictInt] | None = Field(default=None, max_length=10_000,
                                                         description="Default: every other column.")
    task: Literal["auto", "classification", "regression"] = "auto"


class DatasetResponse(BaseModel):
    """Features X (rows × features) and labels y: class indices, or numbers for regression."""

    X: list[list[float]]
    y: list[float]
    task: Literal["classification", "regression"]
    classes: list[str] | None
    features: list[str]
    label: str
    rows: int


class GenerateRequest(BaseModel):
    """A toy data set from a seeded generator."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"name": "moons", "n": 100, "noise": 0.1, "seed": 0}]})
    name: Literal["moons", "spirals"]
    n: Int = Field(default=100, ge=4, le=5000)
    noise: Annotated[Number, Field(ge=0, le=2)] = 0.1
    seed: Int = Field(default=0, ge=0, le=2**32 - 1)
    classes: Int = Field(default=2, ge=2, le=6, description="Spiral arms (spirals only).")


class BoundaryRequest(BaseModel):
    """A classifier over two features, and the grid to predict on."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "expression": "z = X @ W\nloss = cross_entropy(z, y)",
        "values": {"X": [[0, 1], [1, 0]], "y": [0, 1], "W": [[1, -1], [-1, 1]]},
        "xrange": [-1, 2], "yrange": [-1, 2], "n": 20}]})
    expression: StrictStr
    values: Values = Field(default_factory=dict)
    features: StrictStr = "X"
    xrange: tuple[Number, Number] = (-1.0, 1.0)
    yrange: tuple[Number, Number] = (-1.0, 1.0)
    n: Int = Field(default=40, ge=2, le=101)


class BoundaryResponse(BaseModel):
    """classes[j][i] and confidence[j][i] at (xs[i], ys[j]); k classes."""

    xs: list[float]
    ys: list[float]
    classes: list[list[int]]
    confidence: list[list[float]]
    k: int
