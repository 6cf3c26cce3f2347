"""The widget in Chinese in a real JupyterLab (issue 15): Circuit(..., lang="zh") shows no English word,
the kernel's errors are Chinese at their line and column, and c.lang switches and keeps the program."""

from __future__ import annotations

import orjson
import pytest
from conftest import require_chromium
from jupyter import jupyterlab, open_notebook, write_notebook
from test_notebook import evals, output_value, run_cell, wait_evals
from zh_text import CJK, graph_names, lowered, op_names, untranslated, visible_texts

from gatewise import engine, kernel

pytestmark = pytest.mark.browser
CS231N = "f = (x + sigmoid(y)) / (sigmoid(x) + (x + y)**2)"
BROKEN = "x = 3\nf = (x *"
W = ".gatewise-widget"
CELLS = [
    f"import gatewise\nc = gatewise.Circuit({CS231N!r}, {{'x': 3, 'y': -4}}, lang='zh')\nc",
    "run = c.train(lr=0.01, steps=3, params=['x'])\nprint('trained', run['steps'])",
    f"c.program = {BROKEN!r}",
    f"c.program = {CS231N!r}",
    "before = dict(c.values)\nc.lang = 'en'",
    f"print('kept', c.values == before, c.program == {CS231N!r})",
    "c.lang = 'zh'",
]


@pytest.fixture(scope="module")
def notebook(tmp_path_factory, browser):
    """The notebook open in JupyterLab with a live kernel."""
    require_chromium()
    root = tmp_path_factory.mktemp("lab-zh")
    write_notebook(root / "circuit.ipynb", CELLS)
    with jupyterlab(root) as where, open_notebook(browser, *where.split("|")) as page:
        yield page


def english_words(page, root: str = W) -> list[tuple[str, str]]:
    """The widget's untranslated English words (its program's names and the ops' are code)."""
    graph = engine.to_dict(engine.evaluate(CS231N, {"x": 3, "y": -4}))
    ops = orjson.loads(kernel.call("GET", "/api/ops", lang="zh")[1])
    return untranslated(visible_texts(page, root), lowered(graph_names(graph) | op_names(ops)))


STATUS = f"(s) => document.querySelector(\"{W} [data-gw='status']\").textContent.startsWith(s)"


def text(page, role: str) -> str:
    return page.text_content(f"{W} [data-gw='{role}']")


def test_a_chinese_widget_shows_no_english_word(notebook):
    run_cell(notebook, 0)
    wait_evals(notebook, 0)
    assert notebook.get_attribute(W, "lang") == "zh-CN"
    assert text(notebook, "evaluate") == "计算" and text(notebook, "engine") == "引擎:这个内核"
    graph = engine.to_dict(engine.evaluate(CS231N, {"x": 3, "y": -4}))
    div = next(n["id"] for n in graph["nodes"] if n["op"] == "div")
    notebook.click(f"{W} [data-node-id='{div}']")  # the explainer: local gradients, chain rule
    notebook.wait_for_selector(f"{W} [data-gw='explain'] .katex")
    notebook.click(f"{W} [data-gw='gradcheck']")
    notebook.wait_for_selector(f"{W} .badge.ok")
    assert text(notebook, "engine").startswith("梯度检验通过")
    assert sum(bool(CJK.search(t)) for t, _ in visible_texts(notebook, W)) > 20  # the walk sees the widget
    assert english_words(notebook) == []
    run_cell(notebook, 1)  # c.train in the kernel: the status line is the widget's, in Chinese
    notebook.wait_for_selector(f"{W} .train-panel[data-trained='3']")
    status = notebook.text_content(f"{W} .train-panel [data-role='status']")
    assert status.startswith("内核:第 3/3 步") and english_words(notebook, f"{W} .train-panel") == []
    assert not notebook.errors, notebook.errors


def test_a_kernel_error_is_chinese_at_its_line_and_column(notebook):
    run_cell(notebook, 2)
    box = notebook.locator(f"{W} [data-gw='error']")
    box.wait_for()
    body = orjson.dumps({"expression": BROKEN, "values": {}})
    detail = orjson.loads(kernel.call("POST", "/api/graph", body, lang="zh")[1])["detail"]
    assert box.locator(".where").text_content() == f"第 {detail['line']} 行,第 {detail['column']} 列"
    message = box.locator(".message").text_content()
    assert CJK.search(message) and message == detail["message"]
    assert english_words(notebook, f"{W} [data-gw='error']") == []
    before = evals(notebook)
    run_cell(notebook, 3)
    wait_evals(notebook, before)
    assert box.is_hidden()


def test_switching_lang_keeps_the_program_its_values_and_the_step(notebook):
    out = output_value(notebook)
    notebook.click(f"{W} [data-gw='reset']")
    for _ in range(3):
        notebook.click(f"{W} [data-gw='next']")
    assert text(notebook, "status").startswith("前向传播 3/")
    run_cell(notebook, 4)
    notebook.wait_for_function(STATUS, arg="Forward 3/")
    assert notebook.get_attribute(W, "lang") == "en"
    assert text(notebook, "evaluate") == "Evaluate" and text(notebook, "gradcheck") == "Gradient check"
    assert notebook.input_value(f"{W} [data-gw='expression']") == CS231N and output_value(notebook) == out
    run_cell(notebook, 5)
    printed = notebook.locator(".jp-Notebook .jp-Cell").nth(5).locator(".jp-OutputArea-output")
    printed.wait_for()
    assert printed.text_content().strip() == "kept True True"  # c.values and c.program, in the kernel
    run_cell(notebook, 6)
    notebook.wait_for_function(STATUS, arg="前向传播 3/")
    assert text(notebook, "evaluate") == "计算" and english_words(notebook) == []
    assert notebook.input_value(f"{W} [data-gw='expression']") == CS231N
    assert not notebook.errors, notebook.errors
