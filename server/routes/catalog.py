"""GET /api/ops, /api/examples, /api/messages and /api/health: static answers, serialized once per
language (`?lang=zh`, else Accept-Language; English by default)."""

from __future__ import annotations

from functools import lru_cache

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from gatewise import engine
from gatewise.engine.core.messages import LANGS, catalog
from gatewise.server.examples import EXAMPLES
from gatewise.server.examples_zh import localized_examples
from gatewise.server.locale import scope_lang
from gatewise.server.responses import JSONBytes, dumps, strict
from gatewise.server.schemas.catalog import Example, Health, OpInfo

router = APIRouter(prefix="/api", tags=["catalog"])
_HEALTH = b'{"status":"ok"}'
# The answers differ by language, so caches between here and the client key them by the header too.
_VARY = {"Vary": "Accept-Language"}
LANG_QUERY = Query(None, description="The language: en or zh (zh-CN, zh-Hans … too); it wins over "
                                     "Accept-Language. Default: Accept-Language, else en.")


@lru_cache(maxsize=len(LANGS))
def _ops(lang: str) -> bytes:
    """The engine's operator table and constructs as JSON (it never changes while the process runs)."""
    return dumps(strict(engine.language_table(lang)))


@lru_cache(maxsize=len(LANGS))
def _examples(lang: str) -> bytes:
    """The curated examples as JSON."""
    return dumps(localized_examples(EXAMPLES, lang))


@lru_cache(maxsize=len(LANGS))
def _messages(lang: str) -> bytes:
    """Every message template of the engine and the server, by code."""
    return dumps(catalog(lang))


@router.get("/ops", response_model=list[OpInfo], summary="List every operator, function and construct")
async def get_ops(request: Request, lang: str | None = LANG_QUERY) -> Response:
    """Each op's syntax, arity, category, one-line doc (in the language) and local-gradient formulas;
    then the language's constructs (kind "construct"): `def`, user-defined functions, with both of
    its forms (syntax and spellings), a doc on folding, recursion and budgets, and an example program
    (expansion)."""
    return JSONBytes(_ops(scope_lang(request.scope)), headers=_VARY)


@router.get("/examples", response_model=list[Example], summary="List the curated examples")
async def get_examples(request: Request, lang: str | None = LANG_QUERY) -> Response:
    """Named programs with values, ready to POST to /api/graph; titles and descriptions in the language."""
    return JSONBytes(_examples(scope_lang(request.scope)), headers=_VARY)


@router.get("/messages", response_model=dict[str, str], summary="Every error message template, by code")
async def get_messages(request: Request, lang: str | None = LANG_QUERY) -> Response:
    """{code: template} in the language: an error's detail.code picks the template, and its
    detail.params fill the {slots} (a list joined with ', ' in en and '、' in zh, each item quoted when
    the slot is written '{name}'; an object {code, params} is rendered as a message itself)."""
    return JSONBytes(_messages(scope_lang(request.scope)), headers=_VARY)


# HEAD is registered after GET (decorators apply bottom-up), so a 405's Allow names the documented GET.
@router.head("/health", include_in_schema=False)
@router.get("/health", response_model=Health, summary="Liveness check")
async def get_health() -> Response:
    """Always {"status": "ok"}; the cheapest route, the benchmarks' reference."""
    return JSONBytes(_HEALTH)
