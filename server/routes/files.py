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


NAME_MAX = 255  # bytes of one path component on the file systems we serve from
# The page's own files change with each release: revalidate (ETag, Last-Modified) on every use.
# The vendored libraries change only with package-lock.json: a day is safe.
PAGE_CACHE = {"Cache-Control": "no-cache"}
VENDOR_CACHE = {"Cache-Control": "public, max-age=86400"}


def _refused(parts: list[str]) -> bool:
    """Components that are empty, hidden, escaping, or longer than any file name can be."""
    return any(not p or p.startswith(".") or "\\" in p or "\0" in p or len(p.encode()) > NAME_MAX
               for p in parts)


def safe_file(base: Path, path: str, allowed: Callable[[list[str]], bool] = lambda parts: True) -> Path:
    """The file at path under base, or a 404 for anything absent, hidden, outside base or not allowed."""
    parts = path.split("/")
    if _refused(parts) or not allowed(parts):
        raise ApiError(404, "not_found", "not_found")
    root = base.resolve()
    try:
        target = root.joinpath(*parts).resolve()
        # resolve() follows symlinks, so a link pointing outside base is refused too.
        found = target.is_relative_to(root) and target.is_file()
    except (OSError, ValueError):  # ENAMETOOLONG for a whole path too long, ELOOP, EACCES, ...
        found = False
    if not found:
        raise ApiError(404, "not_found", "not_found")
    return target


@router.api_route("/", methods=["GET", "HEAD"])
async def get_index(request: Request) -> Response:
    """The front end's index.html."""
    return FileResponse(safe_file(request.app.state.settings.static_dir, "index.html"), headers=PAGE_CACHE)


@router.api_route("/static/{path:path}", methods=["GET", "HEAD"])
async def get_static_file(request: Request, path: str) -> Response:
    """Any non-hidden file under static/."""
    return FileResponse(safe_file(request.app.state.settings.static_dir, path), headers=PAGE_CACHE)


@router.api_route("/vendor/{package}/{path:path}", methods=["GET", "HEAD"])
async def get_vendor_file(request: Request, package: str, path: str) -> Response:
    """elkjs's lib/, KaTeX's dist/ (css, js, mjs, fonts) and Swagger UI's files from node_modules."""
    if package not in VENDOR:
        raise ApiError(404, "not_found", "not_found")
    folder, allowed = VENDOR[package]
    return FileResponse(safe_file(request.app.state.settings.node_modules / folder, path, allowed),
                        headers=VENDOR_CACHE)
