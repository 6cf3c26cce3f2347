"""GET /docs: the OpenAPI page with Swagger UI served from this app's own vendor files (no CDN)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from starlette.responses import Response

router = APIRouter(include_in_schema=False)
SWAGGER = "/vendor/swagger-ui-dist"


@router.get("/docs")
async def get_docs(request: Request) -> Response:
    """Swagger UI on /openapi.json; its JS, CSS and icon come from /vendor/swagger-ui-dist/."""
    return get_swagger_ui_html(openapi_url=request.app.openapi_url, title=f"{request.app.title} · API",
                               swagger_js_url=f"{SWAGGER}/swagger-ui-bundle.js",
                               swagger_css_url=f"{SWAGGER}/swagger-ui.css",
                               swagger_favicon_url=f"{SWAGGER}/favicon-32x32.png")
