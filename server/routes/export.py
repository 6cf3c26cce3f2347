"""POST /api/export/html: the circuit as one self-contained HTML file (what Circuit.save_html writes)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel
from starlette.responses import Response

from gatewise.engine import Limits
from gatewise.html import standalone_html
from gatewise.server.errors import ERROR_RESPONSES
from gatewise.server.jobs import Job, register
from gatewise.server.responses import dumps
from gatewise.server.routes import run
from gatewise.server.schemas.graph import GraphRequest

# A plain route (not EngineRoute): these answers are megabytes (the bundle is inline), not worth caching.
router = APIRouter(prefix="/api", tags=["export"], responses=ERROR_RESPONSES)
FILENAME = "gatewise_circuit.html"


class HtmlExport(BaseModel):
    """The file's name and text."""

    filename: str
    html: str


def _html(body: GraphRequest, limits: Limits) -> str:
    """The standalone file's text."""
    return standalone_html(body.expression, body.values, body.expand, limits=limits)


def _file(text: str) -> bytes:
    """The answer's JSON."""
    return dumps({"filename": FILENAME, "html": text})


register("/api/export/html", Job(GraphRequest, _html, _file, lambda text: False))


@router.post("/export/html", response_model=HtmlExport, summary="The circuit as a standalone HTML file")
async def post_export_html(request: Request, body: GraphRequest) -> Response:
    """One file with the drawing's code, KaTeX, ELK and the numbers inline: it opens offline, with no
    server, and animates and explains the circuit; scrubbing and training there say they need an engine."""

    return await run(request, "/api/export/html", body)
