"""The static front end and an allow-listed slice of node_modules (no path traversal)."""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from pathlib import Path

from fastapi import APIRouter, Request
from starlette.responses import FileResponse, Response

from gatewise.server.errors import ApiError

# ES modules must be served as JavaScript or browsers refuse them; some systems map .mjs to nothing.
mimetypes.add_type("text/javascript", ".js")
mimetypes.add_type("text/javascript", ".mjs")
mimetypes.add_type("font/woff2", ".woff2")

router = APIRouter(include_in_schema=False)


def _single(*suffixes: str) -> Callable[[list[str]], bool]:
    """Allow one file directly in the folder, with one of these suffixes."""
    return lambda parts: len(parts) == 1 and parts[0].endswith(suffixes)


def _katex(parts: list[str]) -> bool:
    """KaTeX: its css, mjs and js at the top of dist/, and anything in dist/fonts/."""
    return _single(".css", ".mjs", ".js")(parts) or (len(parts) == 2 and parts[0] == "fonts")


SWAGGER_FILES = _single("swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png")
# package -> (folder under node_modules, which relative paths may be served)
VENDOR: dict[str, tuple[str, Callable[[list[str]], bool]]] = {
    "elkjs": ("elkjs/lib", _single(".js")),
    "katex": ("katex/dist", _katex),
    "swagger-ui-dist": ("swagger-ui-dist", SWAGGER_FILES),
}


def safe_file(base: Path, path: str, allowed: Callable[[list[str]], bool] = lambda parts: True) -> Path:
    """The file at path under base, or a 404 for anything absent, hidden, outside base or not allowed."""
    parts = path.split("/")
    if any(not p or p.startswith(".") or "\\" in p or "\0" in p for p in parts) or not allowed(parts):
        raise ApiError(404, "Not Found", "not_found")
    root = base.resolve()
    target = root.joinpath(*parts).resolve()
    # resolve() follows symlinks, so a link pointing outside base is refused too.
    if not target.is_relative_to(root) or not target.is_file():
        raise ApiError(404, "Not Found", "not_found")
    return target


@router.api_route("/", methods=["GET", "HEAD"])
async def get_index(request: Request) -> Response:
    """The front end's index.html."""
    return FileResponse(safe_file(request.app.state.settings.static_dir, "index.html"))


@router.api_route("/static/{path:path}", methods=["GET", "HEAD"])
async def get_static_file(request: Request, path: str) -> Response:
    """Any non-hidden file under static/."""
    return FileResponse(safe_file(request.app.state.settings.static_dir, path))


@router.api_route("/vendor/{package}/{path:path}", methods=["GET", "HEAD"])
async def get_vendor_file(request: Request, package: str, path: str) -> Response:
    """elkjs's lib/, KaTeX's dist/ (css, js, mjs, fonts) and Swagger UI's files from node_modules."""
    if package not in VENDOR:
        raise ApiError(404, "Not Found", "not_found")
    folder, allowed = VENDOR[package]
    return FileResponse(safe_file(request.app.state.settings.node_modules / folder, path, allowed))
