"""The ASGI app: routers, CORS, the body-size limit and the error handlers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from gatewise.server import errors
from gatewise.server.admission import Admission
from gatewise.server.cache import ResponseCache
from gatewise.server.limits import Settings, load_settings
from gatewise.server.locale import LocaleMiddleware
from gatewise.server.middleware import BodyLimitMiddleware, HeadersMiddleware, JSONCORSMiddleware
from gatewise.server.pool import EnginePool
from gatewise.server.routes import catalog, docs, export, files, graph, teach, train

DESCRIPTION = """\
Evaluate small programs into computational graphs with every gate's value, gradient and chain-rule
step. Errors are always `{"detail": {"message", "line", "column", "kind", "code", "params"}}` with a
4xx status; `message` is in the request's language (`?lang=zh`, else Accept-Language; English by default),
rendered from the stable `code` and its `params` (every template: GET /api/messages).
Non-finite numbers in answers are the strings "NaN", "Infinity" and "-Infinity".
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    """A configured app; settings default to the GATEWISE_* environment."""
    settings = settings or load_settings()
    # /docs is served by routes/docs.py from vendor files (FastAPI's own loads Swagger UI from a CDN);
    # ReDoc is dropped for the same reason.
    app = FastAPI(title="Gatewise", version="0.1.0", description=DESCRIPTION, docs_url=None, redoc_url=None,
                  lifespan=_lifespan)
    app.state.settings = settings
    app.state.cache = ResponseCache(settings.cache_bytes) if settings.cache_bytes else None
    # Without the lifespan (a TestClient not used as a context manager) jobs run in threads.
    app.state.admission = Admission(settings.engine_jobs, settings.engine_queue)
    app.state.pool = None
    errors.install(app)
    app.include_router(graph.router)
    app.include_router(train.router)
    app.include_router(teach.router)
    app.include_router(catalog.router)
    app.include_router(files.router)
    app.include_router(docs.router)
    app.include_router(export.router)
    # Each add_middleware wraps the previous: the body limit refuses oversized bodies before the app
    # reads them, CORS labels every answer (that 413 too) for the browser, and the fixed headers,
    # outermost, go on everything.
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(JSONCORSMiddleware, allow_origins=list(settings.cors_origins), allow_credentials=False,
                       allow_methods=["GET", "HEAD", "POST"], allow_headers=["*"])
    # Every error answer, whoever made it, is rendered in the request's language.
    app.add_middleware(LocaleMiddleware)
    app.add_middleware(HeadersMiddleware, headers={"X-Content-Type-Options": "nosniff"})
    return app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start the engine processes with the server (GATEWISE_ENGINE_PROCESSES=0: threads instead)."""
    settings = app.state.settings
    if settings.engine_processes:
        app.state.pool = EnginePool(settings)
        await app.state.pool.warm()
    try:
        yield
    finally:
        if app.state.pool is not None:
            app.state.pool.close()
            app.state.pool = None


app = create_app()
