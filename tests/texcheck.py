"""Compiling a TikZ export with pdflatex and rendering its page with pdftoppm (shared by two test files)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

TOOLS = ("pdflatex", "pdftoppm", "pdfinfo")


def require_tex() -> None:
    """Skips without TeX Live, except under CI (where .ci/run installs it)."""
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if not missing:
        return
    reason = f"{', '.join(missing)} missing (install texlive-latex-base texlive-pictures poppler-utils)"
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def compile_png(tex: str, folder: Path) -> np.ndarray:
    """pdflatex the document (one page, asserted) and render that page to a grey-scale array."""
    (folder / "c.tex").write_text(tex)
    cmd = ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "c.tex"]
    run = subprocess.run(cmd, cwd=folder, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-2000:]
    info = subprocess.run(["pdfinfo", "c.pdf"], cwd=folder, capture_output=True, text=True, timeout=60).stdout
    assert "Pages:           1" in info  # the picture alone, on a page of its own size
    subprocess.run(["pdftoppm", "-r", "40", "-gray", "-singlefile", "c.pdf", "c"], cwd=folder, check=True,
                   timeout=60)
    return read_pgm(folder / "c.pgm")


def read_pgm(path: Path) -> np.ndarray:
    """A binary PGM (P5) image as an array."""
    data = path.read_bytes()
    parts = data.split(maxsplit=4)
    assert parts[0] == b"P5"
    w, h = int(parts[1]), int(parts[2])
    return np.frombuffer(parts[4][-w * h:], dtype=np.uint8).reshape(h, w)


def ink(img: np.ndarray) -> float:
    """The share of dark pixels: 0 for a blank page."""
    return float(np.mean(img < 128))
