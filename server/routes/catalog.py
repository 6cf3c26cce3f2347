"""GET /api/ops, /api/examples and /api/health: static answers, serialized once."""

from __future__ import annotations

from functools import lru_cache

from fastapi import APIRouter
from starlette.responses import Response

from gatewise import engine
from gatewise.server.examples import EXAMPLES
from gatewise.server.responses import JSONBytes, dumps, strict
from gatewise.server.schemas.catalog import Example, Health, OpInfo

router = APIRouter(prefix="/api", tags=["catalog"])
_HEALTH = b'{"status":"ok"}'


@lru_cache(maxsize=1)
def _ops() -> bytes:
    """The engine's operator table as JSON (it never changes while the process runs)."""
    return dumps(strict(engine.op_table()))


@lru_cache(maxsize=1)
def _examples() -> bytes:
    """The curated examples as JSON."""
    return dumps(EXAMPLES)


@router.get("/ops", response_model=list[OpInfo], summary="List every operator and function")
async def get_ops() -> Response:
    """Each op's syntax, arity, category, one-line doc and local-gradient formulas."""
    return JSONBytes(_ops())


@router.get("/examples", response_model=list[Example], summary="List the curated examples")
async def get_examples() -> Response:
    """Named programs with values, ready to POST to /api/graph."""
    return JSONBytes(_examples())


# HEAD is registered after GET (decorators apply bottom-up), so a 405's Allow names the documented GET.
@router.head("/health", include_in_schema=False)
@router.get("/health", response_model=Health, summary="Liveness check")
async def get_health() -> Response:
    """Always {"status": "ok"}; the cheapest route, the benchmarks' reference."""
    return JSONBytes(_HEALTH)
