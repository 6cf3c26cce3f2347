"""POST /api/graph and POST /api/gradcheck: the two routes that run the engine."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Request
from starlette.responses import Response

from gatewise import engine
from gatewise.engine import to_dict
from gatewise.server.errors import ERROR_RESPONSES
from gatewise.server.responses import JSONBytes, dumps, strict
from gatewise.server.routes import EngineRoute
from gatewise.server.runner import run_engine
from gatewise.server.schemas import (
    GRADCHECK_EXAMPLES,
    GRAPH_EXAMPLES,
    GradcheckRequest,
    GradcheckResponse,
    GraphRequest,
    GraphResponse,
)

router = APIRouter(prefix="/api", tags=["graph"], route_class=EngineRoute, responses=ERROR_RESPONSES)


@router.post("/graph", response_model=GraphResponse, summary="Evaluate a program into its graph")
async def post_graph(
    request: Request, body: Annotated[GraphRequest, Body(openapi_examples=GRAPH_EXAMPLES)]
) -> Response:
    """Forward values, backward gradients and every chain-rule step of the program's graph."""

    def compute(limits: engine.Limits) -> engine.Graph:
        return engine.evaluate(body.expression, body.values, expand=body.expand, limits=limits,
                               free=body.free)

    def render(graph: engine.Graph) -> bytes:
        return dumps(to_dict(graph))

    size = len(await request.body())
    return JSONBytes(await run_engine(request.app.state.settings, compute, render, size))


@router.post("/gradcheck", response_model=GradcheckResponse, summary="Check gradients numerically")
async def post_gradcheck(
    request: Request, body: Annotated[GradcheckRequest, Body(openapi_examples=GRADCHECK_EXAMPLES)]
) -> Response:
    """Analytic against central-difference gradients for every input, with relative errors."""

    def compute(limits: engine.Limits) -> dict:
        return engine.gradcheck(body.expression, body.values, limits=limits)

    def render(result: dict) -> bytes:
        return dumps(strict(result))

    size = len(await request.body())
    return JSONBytes(await run_engine(request.app.state.settings, compute, render, size))
