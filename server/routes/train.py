"""POST /api/optimize (training on the circuit) and POST /api/codegen (the backward pass as code)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Request
from starlette.responses import Response

from gatewise import engine
from gatewise.engine import to_dict
from gatewise.engine.export.codegen import generate
from gatewise.engine.export.tikz import tikz
from gatewise.engine.export.torchcode import generate_torch
from gatewise.engine.train.optimize import TrainConfig, optimize
from gatewise.server.errors import ERROR_RESPONSES
from gatewise.server.jobs import Job, register
from gatewise.server.responses import dumps, strict
from gatewise.server.routes import EngineRoute, run
from gatewise.server.schemas.train import (
    OPTIMIZE_EXAMPLES,
    CodegenRequest,
    CodegenResponse,
    OptimizeRequest,
    OptimizeResponse,
)

router = APIRouter(prefix="/api", tags=["train"], route_class=EngineRoute, responses=ERROR_RESPONSES)


def _optimize(body: OptimizeRequest, limits: engine.Limits) -> dict:
    """The training run's answer."""
    config = TrainConfig(**body.model_dump(exclude={"expression", "values"}, exclude_none=True))
    return optimize(body.expression, body.values, config, limits=limits)


def _finished(result: dict) -> bool:
    """A run cut short by the time budget is not a fixed answer: it stays out of the response cache."""
    return result["stopped"] != "time_budget" and not result.get("landscape_stopped")


def _codegen(body: CodegenRequest, limits: engine.Limits) -> bytes:
    """The staged code (or TikZ) as the answer's JSON, made here: within the budget too."""
    graph = engine.evaluate(body.expression, body.values, expand=body.expand, limits=limits)
    if body.target == "tikz":
        layout = body.layout.model_dump() if body.layout else None
        code = tikz(to_dict(graph), layout, body.formulas)
        return dumps({"code": code, "filename": "gatewise_circuit.tex"})
    if body.target == "torch":
        return dumps({"code": generate_torch(graph), "filename": "gatewise_torch.py"})
    staged = generate(graph)
    return dumps({"code": staged.code, "filename": "gatewise_backprop.py", "lines": staged.lines,
                  "inside": staged.inside})


# Training returns partial results at its deadline, so it never runs in the short inline slice.
register("/api/optimize", Job(OptimizeRequest, _optimize, lambda result: dumps(strict(result)), _finished,
                              inline=False))
register("/api/codegen", Job(CodegenRequest, _codegen, lambda content: content))


@router.post("/optimize", response_model=OptimizeResponse, summary="Train inputs of a program")
async def post_optimize(
    request: Request, body: Annotated[OptimizeRequest, Body(openapi_examples=OPTIMIZE_EXAMPLES)]
) -> Response:
    """Gradient descent on the program's output; stops early at the time budget (`stopped`)."""
    return await run(request, "/api/optimize", body)


@router.post("/codegen", response_model=CodegenResponse, summary="The forward and backward pass as code")
async def post_codegen(request: Request, body: CodegenRequest) -> Response:
    """Staged NumPy code in the CS231n style (text; never run here), or the circuit as TikZ."""
    return await run(request, "/api/codegen", body)
