"""Request and response bodies of POST /api/optimize and POST /api/codegen."""

from __future__ import annotations

from typing import Annotated, Literal

from annotated_types import Ge, Le
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StrictStr

from gatewise.server.schemas import Number, OutNumber, OutTensor, Tensor
from gatewise.server.schemas.layout import Layout


def _no_bool(v: object) -> object:
    """Only JSON numbers are counts: pydantic's lax int would take true/false as 1 and 0, and "10" as 10."""
    if isinstance(v, bool):
        raise ValueError("expected an integer, not a boolean")
    if not isinstance(v, (int, float)):
        raise ValueError(f"expected an integer, not {type(v).__name__ if v is not None else 'null'}")
    return v


# An integer: 3 or 3.0 (JSON Schema's integer), never true/false, "3" or 3.5.
Int = Annotated[int, BeforeValidator(_no_bool)]
MAX_STEPS = 100_000
BOWL = "f = x*x + y*y + 2*x + 2"
XOR = "h = sigmoid(X @ W1 + b1)\np = sigmoid(h @ W2 + b2)\nloss = mse(p, Y)"


class InitSpec(BaseModel):
    """Random start of one parameter, reproducible from the request's seed."""

    model_config = ConfigDict(extra="forbid")
    shape: list[Annotated[int, Ge(1), Le(1_000_000), BeforeValidator(_no_bool)]] = Field(
        default_factory=list, max_length=4, description="[] for a scalar.")
    dist: Literal["normal", "uniform", "zeros"] = "normal"
    scale: Annotated[Number, Ge(0)] | None = Field(
        default=None, description="Standard deviation (normal) or bound (uniform); default "
        "1/sqrt(shape[0]) for matrices, 1 otherwise.")


class LandscapeSpec(BaseModel):
    """A grid of the loss over two scalar inputs (others at their final values), for a contour plot."""

    model_config = ConfigDict(extra="forbid")
    x: StrictStr
    y: StrictStr
    xrange: tuple[Number, Number] | None = Field(default=None, description="Default: around the path.")
    yrange: tuple[Number, Number] | None = None
    n: Int = Field(default=41, ge=2, le=101, description="Grid points per axis.")


class OptimizerState(BaseModel):
    """Step count and moment estimates, to continue a run in a later request."""

    model_config = ConfigDict(extra="forbid")
    t: Int = Field(default=0, ge=0)
    slots: dict[str, dict[str, Tensor]] = Field(default_factory=dict)


class OptimizeRequest(BaseModel):
    """A program to train: which inputs, how, for how long, from which seed."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"expression": BOWL, "values": {"x": 1, "y": 4}, "lr": 0.01, "steps": 4000}]})
    expression: StrictStr
    values: dict[str, Tensor] = Field(default_factory=dict)
    params: list[StrictStr] | None = Field(default=None, description="Inputs to train; default: every "
                                           "input that is not data (see `data` in the answer).")
    lr: Number = Field(default=0.01, gt=0, description="Learning rate.")
    steps: Int = Field(default=100, ge=0, le=MAX_STEPS)
    optimizer: Literal["sgd", "momentum", "adam"] = "sgd"
    momentum: Number = Field(default=0.9, ge=0, lt=1)
    seed: Int = Field(default=0, ge=0, le=2**32 - 1, description="Seeds init and mini-batch order.")
    batch_size: Annotated[int, Ge(1), BeforeValidator(_no_bool)] | None = Field(
        default=None,
        description="Rows of the data inputs per step.")
    init: dict[str, InitSpec] = Field(default_factory=dict, description="Random starts by input name.")
    state: OptimizerState | None = Field(default=None, description="The `state` of an earlier answer.")
    max_points: Int = Field(default=200, ge=2, le=2000, description="Trajectory points kept at most.")
    landscape: LandscapeSpec | None = None


class StepView(BaseModel):
    """One parameter in the last update: p_after = p_before − lr·grad (for SGD)."""

    before: OutTensor
    grad: OutTensor | None
    after: OutTensor


class Trajectory(BaseModel):
    """Parameters (up to 64 elements each) at evenly thinned steps; step 0 is the start."""

    steps: list[int]
    values: dict[str, list[OutTensor]]


class Landscape(BaseModel):
    """loss[j][i] is the loss at (xs[i], ys[j])."""

    x: str
    y: str
    xs: list[float]
    ys: list[float]
    loss: list[list[OutNumber]]


class OptimizeResponse(BaseModel):
    """The loss at every step, the final values and the parameters' path."""

    losses: list[OutNumber] = Field(description="losses[k]: the loss before update k + 1 (mini-batch).")
    final_loss: OutNumber = Field(description="The loss at the final values on all the data.")
    steps: int
    stopped: Literal["time_budget", "diverged"] | None
    params: list[str]
    data: list[str]
    values: dict[str, OutTensor] = Field(description="Every input but the data, after training.")
    trajectory: Trajectory
    last_step: dict[str, StepView] | None
    state: OptimizerState
    batch_size: int | None
    optimizer: str
    lr: float
    landscape: Landscape | None = None
    landscape_stopped: Literal["time_budget"] | None = Field(
        default=None, description="Set when a landscape was asked for and the time budget ran out first.")


class CodegenRequest(BaseModel):
    """A program whose forward and backward pass are written out as NumPy code."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"expression": "f = (x + sigmoid(y)) / (sigmoid(x) + (x + y)**2)", "values": {"x": 3, "y": -4}}]})
    expression: StrictStr
    values: dict[str, Tensor] = Field(default_factory=dict)
    expand: StrictBool | list[StrictStr] = False
    target: Literal["python", "tikz", "torch"] = Field(
        default="python", description="python: staged NumPy code; tikz: the annotated circuit as a "
        "standalone TikZ picture; torch: the forward pass as a PyTorch module and function (autograd "
        "gives the gradients).")
    layout: Layout | None = Field(default=None, description="tikz: the page's positions (default: a layered "
                                  "layout made on the server).")
    formulas: StrictBool = Field(default=False, description="tikz: each gate's local gradients under it.")


class CodegenResponse(BaseModel):
    """Python that prints the gradients: staged NumPy, or PyTorch (target torch); LaTeX for tikz."""

    code: str
    filename: str = "gatewise_backprop.py"
    lines: list[Annotated[list[str], Field(min_length=2, max_length=2)] | None] | None = Field(
        default=None, description="python: per line of code, null or [node id, phase] with phase input, "
        "forward or backward (the lines a gate owns).")
    inside: list[list[Annotated[list[str], Field(min_length=2, max_length=2)]]] | None = Field(
        default=None, description="python: per line of code, the [node id, phase] of the node that a line "
        "of a def's function writes in each call it serves (calls whose code reads alike share one "
        "function), phase forward or backward, or call_forward or call_backward for the lines of a call "
        "inside the body (its id is also its output's); [] elsewhere. A page stepping through an open "
        "call highlights these lines.")


OPTIMIZE_EXAMPLES = {
    "bowl": {"summary": "Gradient descent on the bowl from (1, 4)", "value": {
        "expression": BOWL, "values": {"x": 1, "y": 4}, "lr": 0.01, "steps": 4000,
        "landscape": {"x": "x", "y": "y"}}},
    "xor": {"summary": "The XOR network from a seeded random start", "value": {
        "expression": XOR, "values": {"X": [[0, 0], [0, 1], [1, 0], [1, 1]], "Y": [[0], [1], [1], [0]]},
        "init": {"W1": {"shape": [2, 4]}, "b1": {"shape": [1, 4], "dist": "zeros"},
                 "W2": {"shape": [4, 1]}, "b2": {"shape": [1, 1], "dist": "zeros"}},
        "lr": 2.0, "steps": 3000, "seed": 0}},
}
