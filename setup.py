"""Build hook: the wheel carries the page, the vendor files it serves and the notebook bundle.

They are copied from static/ and node_modules/ (and bundled by tools/build_web.mjs) when the wheel is
built, never committed. An sdist carries them prebuilt in web/, so a wheel built from it needs no
node. Editable installs skip this: a checkout serves static/ and node_modules/ directly.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

ROOT = Path(__file__).resolve().parent
PREBUILT = ROOT / "web"
# What the page and /docs load, per folder of node_modules (globs relative to it).
VENDOR = {
    "elkjs/lib": ["elk.bundled.js"],
    "katex/dist": ["katex.min.css", "katex.mjs", "fonts/*"],
    "swagger-ui-dist": ["swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png"],
}


def make_web(out: Path) -> None:
    """Writes static/, vendor/ and widget/ into out."""
    if out.exists():
        shutil.rmtree(out)
    if PREBUILT.is_dir():
        shutil.copytree(PREBUILT, out)
        return
    modules = ROOT / "node_modules"
    if not (modules / "esbuild").is_dir():
        raise SystemExit("building the wheel needs the front end's packages: run `npm ci` first")
    shutil.copytree(ROOT / "static", out / "static")
    for folder, patterns in VENDOR.items():
        for pattern in patterns:
            files = sorted((modules / folder).glob(pattern))
            if not files:
                raise SystemExit(f"node_modules/{folder}/{pattern} is missing: run `npm ci`")
            for src in files:
                dest = out / "vendor" / folder / src.relative_to(modules / folder)
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, dest)
    subprocess.run(["node", str(ROOT / "tools" / "build_web.mjs"), str(out / "widget")], check=True, cwd=ROOT)


class BuildPy(build_py):
    """build_py that adds gatewise/web/ to a regular (non-editable) build."""

    def run(self) -> None:
        super().run()
        if not getattr(self, "editable_mode", False):
            make_web(Path(self.build_lib) / "gatewise" / "web")


class Sdist(sdist):
    """sdist whose tree carries web/ prebuilt."""

    def make_release_tree(self, base_dir: str, files: list[str]) -> None:
        super().make_release_tree(base_dir, files)
        make_web(Path(base_dir) / "web")


setup(cmdclass={"build_py": BuildPy, "sdist": Sdist})
