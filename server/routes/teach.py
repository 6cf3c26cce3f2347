"""The teaching routes: POST /api/diagnostics, /api/dataset, /api/dataset/generate, /api/boundary."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from gatewise import engine
from gatewise.engine.core.messages import localized
from gatewise.engine.export.diagnostics import diagnose
from gatewise.engine.train.boundary import boundary
from gatewise.engine.train.datasets import GENERATORS, read_csv
from gatewise.server.errors import ERROR_RESPONSES
from gatewise.server.jobs import Job, register
from gatewise.server.responses import dumps, strict
from gatewise.server.routes import EngineRoute, run
from gatewise.server.schemas.teach import (
    BoundaryRequest,
    BoundaryResponse,
    DatasetRequest,
    DatasetResponse,
    DiagnosticsRequest,
    DiagnosticsResponse,
    GenerateRequest,
)

router = APIRouter(prefix="/api", tags=["teach"], route_class=EngineRoute, responses=ERROR_RESPONSES)


def _json(result: Any) -> bytes:
    """A result as strict JSON."""
    return dumps(strict(result))


def _diagnostics(body: DiagnosticsRequest, limits: engine.Limits) -> dict:
    """Gradient magnitudes and flags of the evaluated program."""
    return diagnose(engine.evaluate(body.expression, body.values, expand=body.expand, limits=limits))


def _flags_in(result: dict, lang: str) -> bytes:
    """The diagnostics with each flag's title and message in lang (from its codes)."""
    return _json({**result, "flags": [localized(f, lang) for f in result["flags"]]})


def _dataset(body: DatasetRequest, limits: engine.Limits) -> dict:
    """The CSV table as features and labels."""
    return read_csv(body.csv, body.label, body.features, body.task, limits)


def _generate(body: GenerateRequest, limits: engine.Limits) -> dict:
    """A seeded toy data set."""
    extra = {"classes": body.classes} if body.name == "spirals" else {}
    data = GENERATORS[body.name](body.n, noise=body.noise, seed=body.seed, **extra)
    k = max(data["y"]) + 1
    return {**data, "task": "classification", "classes": [str(c) for c in range(k)],
            "features": ["x1", "x2"], "label": "label", "rows": body.n}


def _boundary(body: BoundaryRequest, limits: engine.Limits) -> dict:
    """The predicted class over the grid."""
    return boundary(body.expression, body.values, body.features, body.xrange, body.yrange, body.n, limits)


register("/api/diagnostics", Job(DiagnosticsRequest, _diagnostics, _flags_in, speaks=True))
register("/api/dataset", Job(DatasetRequest, _dataset, _json))
register("/api/dataset/generate", Job(GenerateRequest, _generate, _json))
register("/api/boundary", Job(BoundaryRequest, _boundary, _json))


@router.post("/diagnostics", response_model=DiagnosticsResponse, summary="What is wrong with the gradients")
async def post_diagnostics(request: Request, body: DiagnosticsRequest) -> Response:
    """Gradient magnitudes and flags: dead ReLUs, saturation, vanishing or exploding paths, no influence."""
    return await run(request, "/api/diagnostics", body)


@router.post("/dataset", response_model=DatasetResponse, summary="Read a CSV table as features and labels")
async def post_dataset(request: Request, body: DatasetRequest) -> Response:
    """The table's features and labels; errors name the row and column (line and column of the file)."""
    return await run(request, "/api/dataset", body)


@router.post("/dataset/generate", response_model=DatasetResponse, summary="A seeded toy data set")
async def post_generate(request: Request, body: GenerateRequest) -> Response:
    """Two moons or spirals: X (n × 2) and class labels y, the same for the same seed."""
    return await run(request, "/api/dataset/generate", body)


@router.post("/boundary", response_model=BoundaryResponse, summary="A classifier's decision boundary")
async def post_boundary(request: Request, body: BoundaryRequest) -> Response:
    """The predicted class over an n × n grid of the two features (the program's other inputs as given)."""
    return await run(request, "/api/boundary", body)
