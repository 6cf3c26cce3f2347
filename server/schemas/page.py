"""The page's lean graph (POST /api/graph with "format": "page") and POST /api/tensor's windows."""

from __future__ import annotations

from typing import Annotated, Literal

from annotated_types import Ge, Le
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StrictStr

from gatewise.engine.export.windows import INLINE, MAX_WINDOW
from gatewise.server.schemas import CS231N, Names, Number, OutNumber, OutTensor, Values
from gatewise.server.schemas.graph import Function, Group, HandwrittenLine
from gatewise.server.schemas.train import _no_bool as no_bool

Index = Annotated[int, Ge(0), Le(2**31 - 1), BeforeValidator(no_bool)]


class Summary(BaseModel):
    """A tensor of more than INLINE entries, summarized: its entries come from POST /api/tensor."""

    summary: Literal[True]
    shape: list[int]
    size: int
    min: OutNumber = Field(description="Smallest finite entry (NaN if none is finite).")
    max: OutNumber = Field(description="Largest finite entry (NaN if none is finite).")
    norm: OutNumber = Field(description="Euclidean norm of all entries.")
    nonfinite: int = Field(description="How many entries are NaN or infinite.")
    preview: list[OutNumber] = Field(description="The first entries, in row-major order.")


PageTensor = OutTensor | Summary


class PageGraph(BaseModel):
    """The evaluated graph in the page's form: node columns in forward order, nothing derivable.

    Node i is `ids[i]`; its inputs are `args[i]` (indices); edge `"<id>:<port>"` runs from
    `ids[args[i][port]]` to `ids[i]`. Backward order is the reverse of node order. Formula texts of an
    edge are GET /api/ops's `formulas[port]` and `formulas_tex[port]` of `ops[i]` (its only one for a
    variadic op). An edge's contribution is `contribution[edge]` where listed, else `grad[i] ×
    local[i][port]` when both that gradient and the source's are not null (exactly as the engine
    computes it), else null. A gate's label is GET /api/ops's `symbol` unless `labels` has it (leaves),
    and it is a composite (it can be expanded) where that op's `composite` is true.
    """

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "format": "page", "output": "n2", "seed": "scalar", "note": None, "inputs": {"x": "n0", "y": "n1"},
        "groups": {}, "free": [], "spelled": {}, "handwritten": [], "functions": {}, "folded": [],
        "ids": ["n0", "n1", "n2"],
        "ops": ["input", "input", "mul"], "args": [[], [], [0, 1]], "pos": [[1, 1], [1, 5], [1, 1]],
        "value": [3.0, -4.0, -12.0], "grad": [-4.0, 3.0, 1.0], "omitted": [],
        "local": [None, None, [-4.0, 3.0]],
        "labels": {"n0": "x", "n1": "y"}, "names": {"n0": "x", "n1": "y"}, "shapes": {}, "group": {},
        "nondiff": [], "contribution": {}}]})
    format: Literal["page"]
    output: str
    seed: Literal["scalar", "ones", "given"]
    note: str | None = None
    inputs: dict[str, str]
    groups: dict[str, Group]
    free: list[str]
    spelled: dict[str, str]
    handwritten: list[HandwrittenLine]
    functions: dict[str, Function] = Field(description="The program's user functions (def).")
    folded: list[str] = Field(description="Always empty: a graph with folded calls is answered in the "
                              "full form (GraphResponse), whose folded gates have formulas of their own.")
    ids: list[str] = Field(description="Node ids in forward (topological) order.")
    ops: list[str] = Field(description="Each node's op; \"input\" or \"const\" for leaves.")
    args: list[list[int]] = Field(description="Each node's input nodes, as indices into `ids`.")
    pos: list[list[int]] = Field(description="Each node's (line, column) in the program.")
    value: list[PageTensor | None] = Field(description=f"Each node's value: tensors of up to {INLINE} "
                                           "entries whole, larger ones as a summary.")
    grad: list[PageTensor | None] = Field(description="Each node's gradient (null: none flows, or left out).")
    omitted: list[str] = Field(description="Nodes whose gradient was left out: data inputs, unless the "
                               "request's `data_grads` is true (POST /api/tensor still serves it).")
    local: list[list[OutNumber | None] | None] = Field(
        description="Per node, its edges' local derivatives (numbers on scalar edges; null for leaves).")
    labels: dict[str, str] = Field(description="Leaves' labels (an input's name, a constant's number).")
    names: dict[str, str] = Field(description="Node id -> the program's name for it.")
    shapes: dict[str, list[int]] = Field(description="Node id -> shape, for every node that is not a scalar.")
    group: dict[str, str] = Field(description="Node id -> the expanded composite it belongs to.")
    nondiff: list[str] = Field(description="Edges (target:port) that carry no gradient.")
    contribution: dict[str, PageTensor] = Field(description="Edge id -> contribution, for the edges of "
                                                "tensor gates (all others are derived, see above).")


class TensorRequest(BaseModel):
    """A window of a node's value or gradient, from the same program and values as POST /api/graph."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "expression": "D = W @ X", "values": {"W": [[1, 2], [3, 4]], "X": [[5], [6]]}, "node": "n2",
        "field": "value", "rows": [0, 2], "cols": [0, 1]}]})
    expression: StrictStr = Field(description="The program, as for POST /api/graph.")
    values: Values = Field(default_factory=dict, description="Input name -> number or nested list.")
    expand: StrictBool | Names = Field(default=False, description="As for POST /api/graph.")
    free: Number | None = Field(default=None, description="As for POST /api/graph.")
    node: StrictStr = Field(description="The node's id, as the graph lists it.")
    field: Literal["value", "grad"] = "value"
    rows: list[Index] = Field(min_length=2, max_length=2, description="Rows start:stop of the tensor as "
                            "a matrix (1-D: one row; leading axes fold into rows). At most "
                            f"{MAX_WINDOW} entries in all "
                            "(a 400 of kind budget, before anything is evaluated).")
    cols: list[Index] = Field(min_length=2, max_length=2, description="Columns start:stop.")


class TensorWindow(BaseModel):
    """Entries of a node's value or gradient: `data[r][c]` is entry (rows[0] + r, cols[0] + c)."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "node": "n2", "field": "value", "shape": [2, 1], "matrix": [2, 1], "rows": [0, 2], "cols": [0, 1],
        "data": [[17.0], [39.0]]}]})
    node: str
    field: Literal["value", "grad"]
    shape: list[int] = Field(description="The tensor's shape.")
    matrix: list[int] = Field(description="Its (rows, columns) as a matrix.")
    rows: list[int] = Field(description="The rows sent (cut to the matrix).")
    cols: list[int] = Field(description="The columns sent.")
    data: list[list[OutNumber]] | None = Field(description="The entries (null: the node has no gradient).")


TENSOR_EXAMPLES = {"matmul": {"summary": "A window of a matrix product", "value": {
    "expression": "D = W @ X", "values": {"W": [[1, 2], [3, 4]], "X": [[5], [6]]}, "node": "n2",
    "field": "value", "rows": [0, 2], "cols": [0, 1]}}, "cs231n": {"summary": "A scalar's value", "value": {
    "expression": CS231N, "values": {"x": 3, "y": -4}, "node": "n0", "rows": [0, 1], "cols": [0, 1]}}}
