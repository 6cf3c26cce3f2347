"""POST /api/export/html: the circuit as one self-contained HTML file (what Circuit.save_html writes)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel
from starlette.responses import Response

from gatewise.engine import Limits
from gatewise.html import standalone_html
from gatewise.server.errors import ERROR_RESPONSES
from gatewise.server.responses import JSONBytes, dumps
from gatewise.server.runner import run_engine
from gatewise.server.schemas import GraphRequest

# A plain route (not EngineRoute): these answers are megabytes (the bundle is inline), not worth caching.
router = APIRouter(prefix="/api", tags=["export"], responses=ERROR_RESPONSES)
FILENAME = "gatewise_circuit.html"


class HtmlExport(BaseModel):
    """The file's name and text."""

    filename: str
    html: str


@router.post("/export/html", response_model=HtmlExport, summary="The circuit as a standalone HTML file")
async def post_export_html(request: Request, body: GraphRequest) -> Response:
    """One file with the drawing's code, KaTeX, ELK and the numbers inline: it opens offline, with no
    server, and animates and explains the circuit; scrubbing and training there say they need an engine."""

    def compute(limits: Limits) -> str:
        return standalone_html(body.expression, body.values, body.expand, limits=limits)

    def render(text: str) -> bytes:
        return dumps({"filename": FILENAME, "html": text})

    size = len(await request.body())
    return JSONBytes(await run_engine(request.app.state.settings, compute, render, size))
