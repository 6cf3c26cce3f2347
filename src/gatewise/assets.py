"""Where the front end's files are: package data in an installed wheel, the checkout's folders otherwise.

A wheel carries `gatewise/web/` (built by setup.py): `static/` (the page), `vendor/` (the slice of
node_modules the page serves, laid out as in node_modules) and `widget/` (the notebook bundle). A
checkout has none of that: the page is served from `static/` and `node_modules/`, and the bundle is
built into `build/web/` on first use (and again when a front-end file changed).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
WEB = PACKAGE / "web"
CHECKOUT = PACKAGE.parent.parent  # src/gatewise -> the repository (meaningless in site-packages)
BUILD_SCRIPT = CHECKOUT / "tools" / "build_web.mjs"
BUNDLE_FILES = ("gatewise.js", "gatewise.css")


def installed() -> bool:
    """True when this package carries its own front end (an installed wheel)."""
    return (WEB / "static" / "index.html").is_file()


def static_dir() -> Path:
    """The page's folder (index.html, js/, css/)."""
    return WEB / "static" if installed() else CHECKOUT / "static"


def vendor_dir() -> Path:
    """The folder laid out like node_modules that /vendor/ serves (elkjs, katex, swagger-ui-dist)."""
    return WEB / "vendor" if installed() else CHECKOUT / "node_modules"


def bundle_dir() -> Path:
    """The folder holding gatewise.js and gatewise.css, the widget's and the HTML export's bundle."""
    if (WEB / "widget" / BUNDLE_FILES[0]).is_file():
        return WEB / "widget"
    out = CHECKOUT / "build" / "web"
    if _stale(out):
        build_bundle(out)
    return out


def _stale(out: Path) -> bool:
    """True when a bundle file is missing or older than a front-end source or the build script."""
    built = [out / name for name in BUNDLE_FILES]
    if not all(p.is_file() for p in built):
        return True
    oldest = min(p.stat().st_mtime for p in built)
    sources = [BUILD_SCRIPT, *(CHECKOUT / "static").rglob("*.js"), *(CHECKOUT / "static").rglob("*.css")]
    return any(p.stat().st_mtime > oldest for p in sources)


def build_bundle(out: Path) -> None:
    """Bundles the front end with esbuild (a checkout needs node and `npm ci` for this)."""
    if not BUILD_SCRIPT.is_file() or not (CHECKOUT / "node_modules" / "esbuild").is_dir():
        raise FileNotFoundError("the widget bundle is missing: install the built wheel, or run `npm ci` "
                                "in the checkout so it can be built")
    out.mkdir(parents=True, exist_ok=True)
    # Built aside, then moved in file by file: a server, a kernel and the tests may build at once.
    with tempfile.TemporaryDirectory(dir=out.parent) as tmp:
        subprocess.run(["node", str(BUILD_SCRIPT), tmp], check=True, cwd=CHECKOUT)
        for name in BUNDLE_FILES:
            os.replace(Path(tmp) / name, out / name)


def bundle() -> tuple[str, str]:
    """(JavaScript, CSS) of the bundle."""
    folder = bundle_dir()
    return tuple((folder / name).read_text(encoding="utf-8") for name in BUNDLE_FILES)
