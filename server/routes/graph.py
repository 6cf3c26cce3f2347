"""POST /api/graph and POST /api/gradcheck: the program's graph, and its gradients checked."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Request
from starlette.responses import Response

from gatewise import engine
from gatewise.engine import to_dict
from gatewise.server.errors import ERROR_RESPONSES
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

router = APIRouter(prefix="/api", tags=["graph"], route_class=EngineRoute, responses=ERROR_RESPONSES)


def _graph(body: GraphRequest, limits: engine.Limits) -> engine.Graph:
    """The evaluated graph."""
    return engine.evaluate(body.expression, body.values, expand=body.expand, limits=limits, free=body.free,
                           fold=body.fold)


def _gradcheck(body: GradcheckRequest, limits: engine.Limits) -> dict:
    """The gradient check's report."""
    return engine.gradcheck(body.expression, body.values, limits=limits)


register("/api/graph", Job(GraphRequest, _graph, lambda graph: dumps(to_dict(graph))))
register("/api/gradcheck", Job(GradcheckRequest, _gradcheck, lambda result: dumps(strict(result))))


@router.post("/graph", response_model=GraphResponse, summary="Evaluate a program into its graph")
async def post_graph(
    request: Request, body: Annotated[GraphRequest, Body(openapi_examples=GRAPH_EXAMPLES)]
) -> Response:
    """Forward values, backward gradients and every chain-rule step of the program's graph."""
    return await run(request, "/api/graph", body)


@router.post("/gradcheck", response_model=GradcheckResponse, summary="Check gradients numerically")
async def post_gradcheck(
    request: Request, body: Annotated[GradcheckRequest, Body(openapi_examples=GRADCHECK_EXAMPLES)]
) -> Response:
    """Analytic against central-difference gradients for every input, with relative errors."""
    return await run(request, "/api/gradcheck", body)
