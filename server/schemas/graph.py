"""Request and response bodies of POST /api/graph and POST /api/gradcheck."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr

from gatewise.server.schemas import CS231N, Names, Number, OutNumber, OutTensor, Values


class GraphRequest(BaseModel):
    """A program to evaluate, with optional input values and composite expansion."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"expression": CS231N, "values": {"x": 3, "y": -4}}]},
    )
    expression: StrictStr = Field(description="The program: `name = expr` statements or one expression.")
    values: Values = Field(default_factory=dict, description="Input name -> number or nested list.")
    expand: StrictBool | Names = Field(
        default=False, description="true: expand every composite; or the ids of the composites to expand."
    )
    fold: StrictBool | Names = Field(
        default=False, description="true: draw every call of a user function (def) folded; or the ids of "
        "the calls to fold. By default the calls of functions called twice or more start folded in a "
        "program of more than 200 nodes."
    )
    free: Number | None = Field(
        default=None, description="null (default): a name used but never assigned nor given is an error. "
        "A number: such names become inputs with this value (listed in the response's `free`)."
    )
    format: Literal["full", "page"] = Field(
        default="full", description="full (default): the contract below (GraphResponse). page: the lean "
        "form the page reads (PageGraph): node columns, formulas by op and port, large tensors summarized "
        "(their entries from POST /api/tensor).")
    data_grads: StrictBool = Field(
        default=False, description="Page form only: also send the gradients of data inputs (X, labels); "
        "by default they are left out.")


class HandwrittenLine(BaseModel):
    """The verdict on one line of the program's own backward pass (`d<name> = …` or `+=`)."""

    line: int
    column: int
    target: str = Field(description="The d-name the line assigns, such as dx.")
    name: str = Field(description="The forward name whose gradient it is, such as x.")
    node: str = Field(description="That name's node (mark the verdict at this gate).")
    how: Literal["=", "+=", "-=", "*=", "/="]
    verdict: Literal["right", "wrong", "error", "given"] = Field(
        description="right or wrong against the engine's gradient of `name` so far (summed over the "
        "branches the user has accumulated); error: the line cannot be evaluated; given: the output's "
        "gradient, where the backward pass starts.")
    mistake: Literal["overwrite", "upstream", "transposed", "shape", "sign", "propagated", "incomplete",
                     "wrong"] | None = Field(
        default=None, description="overwrite: `=` where `+=` was needed at a fan-out; upstream: the "
        "upstream factor is missing; transposed: a product transposed (dW = dD.dot(X.T)); propagated: "
        "right given the true values of the d-names it reads; incomplete: the last line of a name "
        "lacks a branch.")
    message: str = Field(description="The verdict in the request's language (`?lang=`, else "
                         "Accept-Language, else English; empty for some right lines).")
    code: str | None = Field(default=None, description="The message's code (GET /api/messages), to render "
                             "it in another language with params.")
    params: dict[str, Any] = Field(default_factory=dict, description="The message's parameters.")
    value: OutTensor | None = Field(default=None, description="The user's value after the line.")
    expected: OutTensor | None = Field(default=None, description="The engine's value it should equal.")
    gates: list[str] = Field(default_factory=list, description="The edges (target:port) this line "
                             "accounts for: the gates where its branch enters.")


class GradcheckRequest(BaseModel):
    """A program whose analytic gradients are compared with numeric ones."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"expression": CS231N, "values": {"x": 3, "y": -4}}]},
    )
    expression: StrictStr = Field(description="The program, as for POST /api/graph.")
    values: Values = Field(default_factory=dict, description="Input name -> number or list.")


class Node(BaseModel):
    """One gate (or input, or constant) of the graph."""

    id: str
    op: str
    kind: Literal["input", "const", "op"]
    label: str
    name: str | None = None
    inputs: list[str]
    shape: list[int]
    value: OutTensor
    grad: OutTensor | None = None
    line: int | None = None
    col: int | None = None
    group: str | None = None
    composite: bool = False
    function: str | None = Field(default=None, description="On a folded call of a user function: "
                                 "the function's name (expand its id to open it).")


class Edge(BaseModel):
    """One wire from a source node to port `port` of a target node, with its chain-rule step."""

    id: str
    source: str
    target: str
    port: int
    formula: str | None = None
    formula_tex: str | None = None
    local: OutNumber | None = None
    contribution: OutTensor | None = None
    differentiable: bool = True


class Group(BaseModel):
    """An expanded composite, or an open call of a user function: the nodes that make it up."""

    op: str = Field(description="The composite op, or the user function's name.")
    nodes: list[str]
    inputs: list[str]
    function: bool = Field(default=False, description="A call of a user function (def).")
    output: str | None = Field(default=None, description="A call's output node (its id, or a nested "
                               "call's or composite's where the body returns one).")
    line: int | None = None
    column: int | None = None


class Function(BaseModel):
    """A function the program defines (def)."""

    params: list[str]
    line: int
    column: int
    calls: list[str] = Field(description="The group id of each call, in order.")


class GraphResponse(BaseModel):
    """The evaluated graph: nodes in forward order, edges, and the backward order."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "output": "n2", "seed": "scalar", "note": None, "inputs": {"x": "n0", "y": "n1"},
        "forward": ["n0", "n1", "n2"], "backward": ["n2", "n1", "n0"], "groups": {},
        "nodes": [
            {"id": "n0", "op": "input", "kind": "input", "label": "x", "name": "x", "inputs": [], "shape": [],
             "value": 3.0, "grad": -4.0, "line": 1, "col": 1, "group": None, "composite": False},
            {"id": "n1", "op": "input", "kind": "input", "label": "y", "name": "y", "inputs": [], "shape": [],
             "value": -4.0, "grad": 3.0, "line": 1, "col": 5, "group": None, "composite": False},
            {"id": "n2", "op": "mul", "kind": "op", "label": "×", "name": None, "inputs": ["n0", "n1"],
             "shape": [], "value": -12.0, "grad": 1.0, "line": 1, "col": 1, "group": None,
             "composite": False},
        ],
        "edges": [
            {"id": "n2:0", "source": "n0", "target": "n2", "port": 0, "formula": "∂(a·b)/∂a = b",
             "formula_tex": "\\frac{\\partial (a b)}{\\partial a} = b", "local": -4.0, "contribution": -4.0,
             "differentiable": True},
            {"id": "n2:1", "source": "n1", "target": "n2", "port": 1, "formula": "∂(a·b)/∂b = a",
             "formula_tex": "\\frac{\\partial (a b)}{\\partial b} = a", "local": 3.0, "contribution": 3.0,
             "differentiable": True},
        ],
    }]})
    output: str
    seed: Literal["scalar", "ones", "given"]
    note: str | None = Field(default=None, description="Where backpropagation starts when the output is "
                             "no scalar, in the request's language.")
    inputs: dict[str, str]
    forward: list[str]
    backward: list[str]
    groups: dict[str, Group]
    nodes: list[Node]
    edges: list[Edge]
    free: list[str] = Field(default_factory=list, description="Names that took the request's `free` value.")
    spelled: dict[str, str] = Field(default_factory=dict, description="Node id -> how the program spelled "
                                    "its op, where it used another form (np.dot, .exp(), math.exp).")
    handwritten: list[HandwrittenLine] = Field(default_factory=list, description="The program's own "
                                               "backward lines, each graded against the engine.")
    functions: dict[str, Function] = Field(default_factory=dict, description="The program's user "
                                           "functions (def), with the ids of their calls.")
    folded: list[str] = Field(default_factory=list, description="The calls drawn folded, as one gate each "
                              "(the request's `fold`, or by default the calls of functions called twice or "
                              "more in a program of more than 200 nodes; `expand` opens them).")


class GradcheckInput(BaseModel):
    """Analytic against numeric gradient of one input."""

    id: str
    shape: list[int]
    rel_error: OutNumber
    checked: int
    total: int
    skipped: Literal["labels"] | None = Field(
        default=None, description="\"labels\": class labels are data, never perturbed (checked is 0).")
    analytic: list[OutNumber]
    numeric: list[OutNumber]


class GradcheckResponse(BaseModel):
    """Per-input relative errors between analytic and central-difference gradients."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "ok": True, "max_rel_error": 1.2e-10, "inputs": {"x": {
            "id": "n0", "shape": [], "rel_error": 1.2e-10, "checked": 1, "total": 1,
            "analytic": [2.0], "numeric": [2.0000000001]}}}]})
    ok: bool
    max_rel_error: OutNumber
    inputs: dict[str, GradcheckInput]


GRAPH_EXAMPLES = {
    "cs231n": {"summary": "The CS231n circuit", "value": {
        "expression": CS231N, "values": {"x": 3, "y": -4}, "expand": False}},
    "neuron": {"summary": "A sigmoid neuron, composites expanded", "value": {
        "expression": "f = sigmoid(w0*x0 + w1*x1 + w2)",
        "values": {"w0": 2, "x0": -1, "w1": -3, "x1": -2, "w2": -3}, "expand": True}},
    "matmul": {"summary": "A matrix product with tensor inputs", "value": {
        "expression": "D = W @ X", "values": {"W": [[1, 2], [3, 4]], "X": [[5], [6]]}}},
}
GRADCHECK_EXAMPLES = {
    "cs231n": {"summary": "Check the CS231n example",
               "value": {"expression": CS231N, "values": {"x": 3, "y": -4}}},
}
