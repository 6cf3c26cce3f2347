"""POST /api/export/html: the circuit as one self-contained HTML file (what Circuit.save_html writes)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel
from starlette.responses import Response

from gatewise.engine import Limits
from gatewise.html import circuit_data, page
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


def _data(body: GraphRequest, limits: Limits) -> dict:
    """What the file shows (the engine's work, in no language)."""
    return circuit_data(body.expression, body.values, body.expand, limits=limits)


def _file(data: dict, lang: str) -> bytes:
    """The answer's JSON: the file in the request's language."""
    return dumps({"filename": FILENAME, "html": page(data, lang)})


register("/api/export/html", Job(GraphRequest, _data, _file, lambda data: False, speaks=True))


@router.post("/export/html", response_model=HtmlExport, summary="The circuit as a standalone HTML file")
async def post_export_html(request: Request, body: GraphRequest) -> Response:
    """One file with the drawing's code, KaTeX, ELK and the numbers inline: it opens offline, with no
    server, and animates and explains the circuit; scrubbing and training there say they need an engine.
    Its texts (and `<html lang>`) are in the request's language (`lang` query parameter, else
    Accept-Language)."""

    return await run(request, "/api/export/html", body)
