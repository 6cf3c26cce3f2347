"""POST /api/graph and POST /api/gradcheck: the program's graph, and its gradients checked."""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import APIRouter, Body, Request
from starlette.responses import Response

from gatewise import engine
from gatewise.engine import to_dict
from gatewise.engine.core.messages import DEFAULT_LANG
from gatewise.engine.export.pageform import to_page
from gatewise.engine.export.windows import INLINE, MAX_WINDOW, window
from gatewise.engine.train.optimize import data_inputs
from gatewise.server.errors import ERROR_RESPONSES, ApiError
from gatewise.server.jobs import Job, register
from gatewise.server.responses import dumps, strict
from gatewise.server.routes import EngineRoute, run
from gatewise.server.schemas.graph import (
    GRADCHECK_EXAMPLES,
    GRAPH_EXAMPLES,
    GradcheckRequest,
    GradcheckResponse,
    GraphRequest,
    GraphResponse,
)
from gatewise.server.schemas.page import TENSOR_EXAMPLES, PageGraph, TensorRequest, TensorWindow

router = APIRouter(prefix="/api", tags=["graph"], route_class=EngineRoute, responses=ERROR_RESPONSES)


def _graph(body: GraphRequest, limits: engine.Limits) -> tuple[engine.Graph, GraphRequest]:
    """The evaluated graph, and the request (it says which form to answer in)."""
    graph = engine.evaluate(body.expression, body.values, expand=body.expand, limits=limits, free=body.free,
                            fold=body.fold)
    return graph, body


def _render_graph(result: tuple[engine.Graph, GraphRequest], lang: str) -> bytes:
    """The full contract, or the page's lean form; the note and the verdicts in lang."""
    graph, body = result
    return dumps(to_dict(graph, lang)) if body.format == "full" else page_answer(graph, body.data_grads, lang)


def page_answer(graph: engine.Graph, data_grads: bool = False, lang: str = DEFAULT_LANG) -> bytes:
    """The page form's bytes; large data inputs' gradients left out unless asked for (a small
    example's dX is part of the lesson, an MNIST batch's is 78,400 numbers nobody reads)."""
    big = not data_grads and any(_size(graph.shapes[i]) > INLINE for i in graph.inputs.values())
    skip = frozenset(i for i in map(graph.inputs.__getitem__, data_inputs(graph))  # a pass over the
                     if _size(graph.shapes[i]) > INLINE) if big else frozenset()  # graph: only if needed
    return dumps(to_page(graph, skip, lang))


def _size(shape: tuple) -> int:
    """Entries of a tensor of this shape."""
    return math.prod(shape)


def _gradcheck(body: GradcheckRequest, limits: engine.Limits) -> dict:
    """The gradient check's report."""
    return engine.gradcheck(body.expression, body.values, limits=limits)


def _tensor(body: TensorRequest, limits: engine.Limits) -> dict:
    """A window of one node's value or gradient (the same program again: the compiled cache's reuse)."""
    (r0, r1), (c0, c1) = body.rows, body.cols
    if r1 < r0 or c1 < c0:
        raise ApiError(400, "window_range", "request")
    if (r1 - r0) * (c1 - c0) > MAX_WINDOW:  # before anything is evaluated
        raise ApiError(400, "window_too_large", "budget", limit=MAX_WINDOW)
    graph = engine.evaluate(body.expression, body.values, expand=body.expand, limits=limits, free=body.free)
    try:
        i = graph.keys.index(body.node)
    except ValueError:
        raise ApiError(400, "no_such_node", "request", node=body.node) from None
    v = graph.values[i] if body.field == "value" else graph.grads[i]
    shape = list(graph.shapes[i])
    if v is None:
        return {"node": body.node, "field": body.field, "shape": shape, "matrix": [], "rows": [0, 0],
                "cols": [0, 0], "data": None}
    return {"node": body.node, "field": body.field, "shape": shape, **window(v, body.rows, body.cols)}


register("/api/tensor", Job(TensorRequest, _tensor, lambda result: dumps(result)))
register("/api/graph", Job(GraphRequest, _graph, _render_graph, speaks=True))
register("/api/gradcheck", Job(GradcheckRequest, _gradcheck, lambda result: dumps(strict(result))))


def _example(model) -> dict:
    """A model's first example, as a named OpenAPI example."""
    examples = model.model_config["json_schema_extra"]["examples"]
    return {"summary": model.__doc__.splitlines()[0], "value": examples[0]}


# The answer is one of two models, so its examples are named on the response itself.
_GRAPH_ANSWERS = {200: {"content": {"application/json": {"examples": {
    "full": _example(GraphResponse), "page": _example(PageGraph)}}}}}


@router.post("/graph", response_model=GraphResponse | PageGraph, responses=_GRAPH_ANSWERS,
             summary="Evaluate a program into its graph")
async def post_graph(
    request: Request, body: Annotated[GraphRequest, Body(openapi_examples=GRAPH_EXAMPLES)]
) -> Response:
    """Forward values, backward gradients and every chain-rule step of the program's graph.

    `"format": "page"` answers the lean form the page reads (PageGraph) instead of GraphResponse.
    """
    return await run(request, "/api/graph", body)


@router.post("/gradcheck", response_model=GradcheckResponse, summary="Check gradients numerically")
async def post_gradcheck(
    request: Request, body: Annotated[GradcheckRequest, Body(openapi_examples=GRADCHECK_EXAMPLES)]
) -> Response:
    """Analytic against central-difference gradients for every input, with relative errors."""
    return await run(request, "/api/gradcheck", body)


@router.post("/tensor", response_model=TensorWindow, summary="A window of a node's value or gradient")
async def post_tensor(
    request: Request, body: Annotated[TensorRequest, Body(openapi_examples=TENSOR_EXAMPLES)]
) -> Response:
    """Entries rows × cols of a tensor the page form summarized (the inspector asks when it opens)."""
    return await run(request, "/api/tensor", body)
