"""The page in Chinese (?lang=zh): no English word left in what a student reads, errors in Chinese at
their line and column, and a language switch that keeps the program, its values and the view."""

from __future__ import annotations

import re

import pytest
from browser_helpers import api_graph, evals, open_app, run_program, wait_drawn
from zh_text import CJK, graph_names, lowered, op_names, untranslated, visible_texts

pytestmark = pytest.mark.browser

ZH = "?lang=zh"
CS231N = "f = (x + sigmoid(y)) / (sigmoid(x) + (x + y)**2)"
TENSOR = "X = np.ones((2, 3))\nW = np.ones((3, 2))\nh = tanh(X @ W)\nL = sum(h * h)"
# Texts that must never be cut or push the page sideways, whatever the language's widths.
WHOLE = (".panel, .panel button, .panel label, .panel h2, .panel h3, "
         "header button, header select, .player button")


def identifiers(page) -> set[str]:
    """The names a student reads as code: the program's names and the language's ops and spellings."""
    names = graph_names(page.evaluate("() => window.gatewise.getGraph()"))
    return lowered(names | op_names(page.request.get("/api/ops?lang=zh").json()))


def example_names(page) -> set[str]:
    """The names in the examples' programs (their menu entries describe them) and their d<name>s."""
    names = set()
    for ex in page.request.get("/api/examples?lang=zh").json():
        names.update(re.findall(r"[A-Za-z_]\w*", ex["expression"]))
    return {w.lower() for n in names for w in (n, f"d{n}")}


def english_words(page, root: str = "body") -> list[tuple[str, str]]:
    """(word, where) of every English word in root's visible texts and labels that is not allowed."""
    allowed = identifiers(page)
    menu = allowed | example_names(page)  # the Examples menu describes the examples' programs
    return untranslated(visible_texts(page, root), allowed, menu)


def drawn_after(page, action) -> None:
    """Runs action (a callable) and waits for the drawing it causes."""
    before = evals(page)
    action()
    wait_drawn(page, before)


def test_the_page_in_chinese_has_no_english_word_left(page):
    open_app(page, ZH)
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    assert page.text_content("#evaluate") == "计算"
    assert english_words(page) == []
    page.click("[data-node-id] .body >> nth=2")  # a gate: the explainer with its chain rule
    assert english_words(page, "#explain") == []
    page.click("#help")
    page.wait_for_selector("#help-body .op-entry")
    assert english_words(page, "#help-dialog") == []
    page.keyboard.press("Escape")


def test_train_panel_inspector_practice_and_toasts_in_chinese(page):
    open_app(page, ZH)
    run_program(page, TENSOR)
    drawn_after(page, lambda: page.click("#train-panel [data-role=step]"))
    page.wait_for_selector("#train-panel [data-role=onestep]:not([hidden]) tr[data-param=W]")
    page.fill("#train-panel [data-role=steps]", "5")
    page.click("#train-panel [data-role=run]")
    page.wait_for_function("document.querySelector('#train-panel').dataset.trained === '5'")
    assert CJK.search(page.text_content("#train-panel [data-role=status]"))
    assert english_words(page, "#train-panel") == []
    w = page.evaluate("window.gatewise.getGraph().inputs.W")
    page.evaluate("(id) => window.gatewise.select(id)", w)
    page.wait_for_selector("#inspector[open] table.matrix")
    assert english_words(page, "#inspector") == [] and english_words(page, "#explain") == []
    page.click("#gradcheck")
    page.wait_for_selector("#toast:not([hidden])")
    assert CJK.search(page.text_content("#toast")) and english_words(page, "#toast") == []
    page.click("#inspector .close")
    page.click("#practice")
    page.wait_for_selector(".practice-layer .practice-input")
    assert english_words(page, "#practice-panel") == [] and english_words(page, ".practice-layer") == []


def test_a_syntax_error_typed_live_is_in_chinese_at_its_line_and_column(page):
    page.allow_http_errors = True
    open_app(page, ZH)
    text = "x = 3\ny = (x *"
    detail = page.request.post("/api/graph?lang=zh", data={"expression": text, "values": {}}).json()["detail"]
    assert detail["line"] == 2
    page.fill("#expression", "")
    page.locator("#expression").type(text)
    where = f"第 {detail['line']} 行,第 {detail['column']} 列"
    page.wait_for_function("(w) => document.querySelector('#error .where')?.textContent === w", arg=where)
    page.wait_for_selector("body[data-status=error]")
    message = page.text_content("#error .message")
    assert CJK.search(message), message
    # The page wrote it from the server catalog's template for the error's code, with its params.
    catalog = page.request.get("/api/messages?lang=zh").json()
    assert detail["code"] in catalog and message == detail["message"]
    assert english_words(page, "#error") == []
    assert page.locator("#marks .err-line .err-col").count() == 1  # and marked at that column


def test_the_switch_changes_language_and_keeps_program_values_and_view(page):
    open_app(page, ZH)
    run_program(page, CS231N, {"x": 2.5, "y": -1})
    page.click("#zoom-in")
    scale = page.evaluate("window.gatewise.viewScale()")
    page.evaluate("window.gatewise.seekTo(5)")
    page.select_option("#lang", "en")
    page.wait_for_function("document.querySelector('#step-status').textContent.startsWith('Forward 5/')")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.text_content("#evaluate") == "Evaluate" and page.text_content("#help") == "Help"
    assert page.input_value("#expression") == CS231N
    assert page.evaluate("window.gatewise.getProgram().values") == {"x": 2.5, "y": -1}
    assert page.evaluate("window.gatewise.viewScale()") == scale
    page.select_option("#lang", "zh")
    page.wait_for_function("document.querySelector('#step-status').textContent.startsWith('前向传播 5/')")
    assert page.input_value("#expression") == CS231N
    status = "(s) => document.querySelector('#train-panel [data-role=status]').textContent.startsWith(s)"
    page.click("#train-panel [data-role=step]")
    page.wait_for_function(status, arg="一步 SGD")
    assert page.text_content("#train-panel .rule").startswith("新值 = 旧值")
    page.select_option("#lang", "en")  # a status and a table already written are written again
    page.wait_for_function(status, arg="one SGD step")
    assert page.text_content("#train-panel .rule").startswith("after = before")
    page.select_option("#lang", "zh")
    page.wait_for_function(status, arg="一步 SGD")
    # Remembered: the page opens in Chinese without ?lang=, and ?lang=en still wins.
    open_app(page)
    assert page.text_content("#evaluate") == "计算"
    open_app(page, "?lang=en")
    assert page.text_content("#evaluate") == "Evaluate"


def test_the_browser_language_picks_chinese(browser, live_server):
    context = browser.new_context(locale="zh-CN", base_url=live_server)
    try:
        pg = context.new_page()
        open_app(pg)
        assert pg.evaluate("document.documentElement.lang") == "zh-CN"
        assert pg.text_content("#help") == "帮助"
    finally:
        context.close()


@pytest.mark.parametrize("width", [1440, 1024, 768, 390])
def test_chinese_panels_and_buttons_fit_every_width(page, width):
    page.set_viewport_size({"width": width, "height": 900})
    open_app(page, ZH)
    page.click("#practice")
    page.click("#data-panel summary")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    cut = page.evaluate("""(sel) => [...document.querySelectorAll(sel)]
      .filter(e => e.offsetParent && e.scrollWidth > e.clientWidth + 1)
      .map(e => e.id || e.className || e.tagName)""", WHOLE)
    assert cut == []


NOTES = ["x = 2\nv = np.ones(3) * x", "X = np.ones((2, 3))\nY = X * 2", "x = 2\nf = x * x\ndf = 3"]


def test_the_note_is_the_engines_in_english_and_chinese_in_chinese(page):
    open_app(page)
    for program in NOTES:
        run_program(page, program)
        assert page.text_content("#note") == api_graph(page, program)["note"]
    open_app(page, ZH)
    for program in NOTES:
        run_program(page, program)
        assert CJK.search(page.text_content("#note")) and english_words(page, "#note") == []


GRADED = "x = 3\ny = -4\nq = x * y\nf = q + x\ndf = 1\ndq = df\ndx = df * y\ndy = x"
DEAD = "x = -2\nh = relu(x)\nf = h * 3"


def test_grading_diagnostics_code_and_data_in_chinese(page):
    page.allow_http_errors = True
    open_app(page, ZH)
    run_program(page, GRADED)  # right, wrong (dx misses a branch) and given lines, each with its message
    assert page.locator("#grading .grade-wrong").count() == 1
    assert english_words(page, "#grading") == [] and english_words(page, "#gutter") == []
    run_program(page, DEAD)
    page.click("#diagnostics")
    page.wait_for_selector("#diagnostics-legend li[data-flag-kind]")
    page.click(f"[data-node-id='{page.evaluate('window.gatewise.getGraph().output')}'] .body", force=True)
    page.wait_for_selector("#explain .diag-explain")
    assert english_words(page, "#diagnostics-legend") == [] and english_words(page, "#explain") == []
    page.click("#diagnostics")
    page.click("#code-toggle")
    page.wait_for_selector("#code-view .code-line")
    assert english_words(page, "#code-view") == []
    page.click("#code-toggle")
    page.click("#data-panel summary")
    page.fill("#data-csv", "a,b,c\n1,2,0\n3,x,1\n")
    page.click("#data-load")
    page.wait_for_selector("#data-error:not([hidden])")
    assert CJK.search(page.text_content("#data-error")) and english_words(page, "#data-error") == []
    drawn_after(page, lambda: page.click("#data-moons"))
    page.wait_for_selector("#boundary:not([hidden])")
    assert english_words(page, "#data-panel") == [] and english_words(page, "#boundary") == []
