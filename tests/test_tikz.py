"""TikZ export: the document compiles with pdflatex, and its page, rendered by pdftoppm, is not blank."""

from __future__ import annotations

import os
import shutil
import subprocess

import numpy as np
import pytest

from gatewise import engine
from gatewise.engine.export.layered import layout
from gatewise.engine.export.tikz import tex_text, tikz
from gatewise.server.examples import EXAMPLES

TOOLS = ("pdflatex", "pdftoppm")


def require_tex() -> None:
    """Skips without TeX Live, except under CI (where .ci/run installs it)."""
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if not missing:
        return
    reason = f"{', '.join(missing)} missing (install texlive-latex-base texlive-pictures poppler-utils)"
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def compile_png(tex: str, tmp_path) -> np.ndarray:
    """pdflatex the document and render its one page to a grey-scale array."""
    (tmp_path / "c.tex").write_text(tex)
    cmd = ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "c.tex"]
    run = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-2000:]
    subprocess.run(["pdftoppm", "-r", "40", "-gray", "-singlefile", "c.pdf", "c"], cwd=tmp_path, check=True,
                   timeout=60)
    return read_pgm(tmp_path / "c.pgm")


def read_pgm(path) -> np.ndarray:
    """A binary PGM (P5) image as an array."""
    data = path.read_bytes()
    parts = data.split(maxsplit=4)
    assert parts[0] == b"P5"
    w, h = int(parts[1]), int(parts[2])
    return np.frombuffer(parts[4][-w * h:], dtype=np.uint8).reshape(h, w)


@pytest.mark.parametrize("ex", [e for e in EXAMPLES if e["id"] in ("cs231n", "softmax", "matmul")],
                         ids=lambda e: e["id"])
def test_examples_compile_to_a_drawn_page(ex, tmp_path):
    require_tex()
    g = engine.to_dict(engine.evaluate(ex["expression"], ex["values"]))
    img = compile_png(tikz(g, formulas=True), tmp_path)
    ink = np.mean(img < 128)
    assert 0.002 < ink < 0.5, ink  # lines and text drawn, not a black page
    info = subprocess.run(["pdfinfo", "c.pdf"], cwd=tmp_path, capture_output=True, text=True).stdout
    assert "Pages:           1" in info  # the picture alone, on a page of its own size


def test_page_positions_are_used(tmp_path):
    g = engine.to_dict(engine.evaluate("f = x * y", {"x": 3, "y": -4}))
    lay = layout(g)
    lay["nodes"]["n2"] = {**lay["nodes"]["n2"], "x": 400.0}
    text = tikz(g, lay)
    assert "at (419.0," in text  # the gate's centre, from the given box
    require_tex()
    assert np.mean(compile_png(text, tmp_path) < 128) > 0.001


def test_values_gradients_and_names_are_written():
    g = engine.to_dict(engine.evaluate("my_f = x * y", {"x": 3, "y": -4}))
    text = tikz(g)
    assert "my\\_f" in text and "{$-$4}" in text and "{3}" in text and "\\node[grad]" in text


def test_text_is_escaped_for_tex():
    assert tex_text("a_b%{}") == r"a\_b\%\{\}"
    assert tex_text("σ×") == r"$\sigma$$\times$"
    assert "\\" not in tex_text("é").replace("?", "")


def test_layered_layout_puts_every_edge_left_to_right():
    g = engine.to_dict(engine.evaluate(EXAMPLES[0]["expression"], EXAMPLES[0]["values"]))
    lay = layout(g)
    for e in g["edges"]:
        assert lay["nodes"][e["source"]]["x"] < lay["nodes"][e["target"]]["x"]
