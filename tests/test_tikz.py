"""TikZ export: the document compiles with pdflatex, and its page, rendered by pdftoppm, is not blank."""

from __future__ import annotations

import pytest
from texcheck import compile_png, ink, require_tex

from gatewise import engine
from gatewise.engine.export.layered import layout
from gatewise.engine.export.tikz import tex_text, tikz
from gatewise.server.examples import EXAMPLES


@pytest.mark.parametrize("ex", [e for e in EXAMPLES if e["id"] in ("cs231n", "softmax", "matmul")],
                         ids=lambda e: e["id"])
def test_examples_compile_to_a_drawn_page(ex, tmp_path):
    require_tex()
    g = engine.to_dict(engine.evaluate(ex["expression"], ex["values"]))
    share = ink(compile_png(tikz(g, formulas=True), tmp_path))
    assert 0.002 < share < 0.5, share  # lines and text drawn, not a blank or black page


def test_page_positions_are_used(tmp_path):
    g = engine.to_dict(engine.evaluate("f = x * y", {"x": 3, "y": -4}))
    lay = layout(g)
    lay["nodes"]["n2"] = {**lay["nodes"]["n2"], "x": 400.0}
    text = tikz(g, lay)
    assert "at (419.0," in text  # the gate's centre, from the given box
    require_tex()
    assert ink(compile_png(text, tmp_path)) > 0.001


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
