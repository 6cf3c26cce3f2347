"""POST /api/optimize (training on the circuit) and POST /api/codegen (the backward pass as code)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar

from fastapi import APIRouter, Body, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from gatewise import engine
from gatewise.engine import to_dict
from gatewise.engine.export.codegen import generate
from gatewise.engine.export.tikz import tikz
from gatewise.engine.export.torchcode import generate_torch
from gatewise.engine.train.optimize import TrainConfig, optimize
from gatewise.server.errors import ERROR_RESPONSES, ApiError
from gatewise.server.responses import JSONBytes, dumps, strict
from gatewise.server.routes import EngineRoute
from gatewise.server.schemas_train import (
    OPTIMIZE_EXAMPLES,
    CodegenRequest,
    CodegenResponse,
    OptimizeRequest,
    OptimizeResponse,
)

router = APIRouter(prefix="/api", tags=["train"], route_class=EngineRoute, responses=ERROR_RESPONSES)
T = TypeVar("T")


def _guarded(work: Callable[[engine.Limits], T], limits: engine.Limits) -> T:
    """work(limits), with Python's own resource errors as 4xx answers and timeouts named."""
    try:
        return work(limits)
    except RecursionError:
        raise ApiError(400, "The program is nested too deeply to evaluate.", "budget") from None
    except MemoryError:
        raise ApiError(413, "The program needs more memory than the server allows.", "budget") from None
    except engine.EngineError as exc:
        if exc.kind != "timeout":
            raise
        budget = "its time budget" if limits.time_budget is None else \
            f"its time budget of {limits.time_budget:g} s"
        raise ApiError(400, f"The request ran past {budget} (GATEWISE_TIME_BUDGET) and was stopped.",
                       "timeout") from None


async def _run(request: Request, work: Callable[[engine.Limits], T]) -> T:
    """Always in a worker thread: training returns partial results at its deadline, so the server's
    short inline slice (retried in a thread on timeout) would cut runs short."""
    return await run_in_threadpool(_guarded, work, request.app.state.settings.limits)


@router.post("/optimize", response_model=OptimizeResponse, summary="Train inputs of a program")
async def post_optimize(
    request: Request, body: Annotated[OptimizeRequest, Body(openapi_examples=OPTIMIZE_EXAMPLES)]
) -> Response:
    """Gradient descent on the program's output; stops early at the time budget (`stopped`)."""

    def work(limits: engine.Limits) -> tuple[bytes, bool]:
        config = TrainConfig(**body.model_dump(exclude={"expression", "values"}, exclude_none=True))
        result = optimize(body.expression, body.values, config, limits=limits)
        return dumps(strict(result)), result["stopped"] == "time_budget"

    content, cut_short = await _run(request, work)
    # A run cut short by the time budget is not a fixed answer: keep it out of the response cache.
    return Response(content, media_type="application/json") if cut_short else JSONBytes(content)


@router.post("/codegen", response_model=CodegenResponse, summary="The forward and backward pass as code")
async def post_codegen(request: Request, body: CodegenRequest) -> Response:
    """Staged NumPy code in the CS231n style (text; never run here), or the circuit as TikZ."""

    def work(limits: engine.Limits) -> bytes:
        graph = engine.evaluate(body.expression, body.values, expand=body.expand, limits=limits)
        if body.target == "tikz":
            layout = body.layout.model_dump() if body.layout else None
            code = tikz(to_dict(graph), layout, body.formulas)
            return dumps({"code": code, "filename": "gatewise_circuit.tex"})
        if body.target == "torch":
            return dumps({"code": generate_torch(graph), "filename": "gatewise_torch.py"})
        staged = generate(graph)
        return dumps({"code": staged.code, "filename": "gatewise_backprop.py", "lines": staged.lines})

    return JSONBytes(await _run(request, work))
