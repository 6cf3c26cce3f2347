"""The toolbar's switch rewrites what the page wrote once (issue 15): texts made by code from a key and
params (the Train panel's parameter tooltips, a toast already shown, the data panel's error and status
lines, the train status) are written again in the new language, with nothing of the old one left."""

from __future__ import annotations

import re

import pytest
from browser_helpers import evals, open_app, run_program, wait_drawn
from test_chinese import english_words
from zh_text import CJK

pytestmark = pytest.mark.browser

TENSOR = "X = np.ones((2, 3))\nW = np.ones((3, 2))\nb = 0.5\nh = tanh(X @ W + b)\nL = sum(h * h)"
BAD_CSV = "a,b,c\n1,2,0\n3,x,1\n"


# Every visible text and label of an English page, but what is marked as Chinese (the switch's
# 简体中文, lang=zh-CN) and program text.
ENGLISH_WALK = """() => {
  const skip = 'textarea, script, style, .katex, [lang|="zh"]';
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const e = n.parentElement;
    if (e && n.textContent.trim() && !e.closest(skip) && e.checkVisibility({ checkVisibilityCSS: true })) {
      out.push([n.textContent.trim(), e.id || e.tagName]);
    }
  }
  for (const e of document.body.querySelectorAll('[aria-label], [title], [placeholder]')) {
    if (e.closest(skip)) continue;
    for (const a of ['aria-label', 'title', 'placeholder']) {
      if (e.getAttribute(a)) out.push([e.getAttribute(a), a]);
    }
  }
  return out;
}"""


def chinese_texts(page) -> list[tuple[str, str]]:
    """(text, where) of every visible text and label of an English page with a Chinese character."""
    found = page.evaluate(ENGLISH_WALK)
    assert len(found) > 50  # the walk sees the page
    return [(text, where) for text, where in found if CJK.search(text)]


def show_everything(page) -> None:
    """A trained step, parameter tooltips, a toast and an error line, all written by the page's code."""
    run_program(page, TENSOR)
    page.wait_for_selector("#train-panel label.train-param[title]")
    page.click("#train-panel [data-role=step]")
    page.wait_for_selector("#train-panel [data-role=onestep]:not([hidden]) tr[data-param=W]")
    page.click("#data-panel summary")
    page.fill("#data-csv", BAD_CSV)
    page.click("#data-load")
    page.wait_for_selector("#data-error:not([hidden])")
    page.click("#gradcheck")
    page.wait_for_selector("#toast:not([hidden])")


def hold_toast(page) -> None:
    """Keeps the toast on screen while the test reads it (it hides itself after a few seconds)."""
    page.evaluate("""() => {
      const toast = document.querySelector('#toast');
      new MutationObserver(() => { if (toast.hidden) toast.hidden = false; })
        .observe(toast, { attributes: true, attributeFilter: ['hidden'] });
    }""")


def tooltips(page) -> list[str]:
    """The Train panel's parameter checkboxes' tooltips."""
    return page.eval_on_selector_all("#train-panel label.train-param", "ls => ls.map(l => l.title)")


def switch(page, lang: str) -> None:
    """Chooses lang in the toolbar and waits until the server's templates for it are in and the
    program is drawn again."""
    before = evals(page)
    page.select_option("#lang", lang)
    page.wait_for_function("(l) => document.body.dataset.messages === l", arg=lang)
    wait_drawn(page, before)


def test_the_switch_rewrites_what_the_page_wrote_once(page):
    page.allow_http_errors = True
    open_app(page, "?lang=en")
    hold_toast(page)
    show_everything(page)
    assert "b: scalar" in tooltips(page)
    toast, error = page.text_content("#toast"), page.text_content("#data-error")
    assert toast.startswith("Gradient check") and not CJK.search(toast + error)
    assert chinese_texts(page) == []
    switch(page, "zh")
    page.wait_for_function("(t) => document.querySelector('#toast').textContent !== t", arg=toast)
    page.wait_for_function("/[\\u4e00-\\u9fff]/.test(document.querySelector('#data-error').textContent)")
    assert "b: 标量" in tooltips(page)
    assert CJK.search(page.text_content("#toast")) and CJK.search(page.text_content("#data-error"))
    assert english_words(page) == []
    switch(page, "en")
    page.wait_for_function("(t) => document.querySelector('#toast').textContent === t", arg=toast)
    page.wait_for_function("(t) => document.querySelector('#data-error').textContent === t", arg=error)
    assert "b: scalar" in tooltips(page)
    assert chinese_texts(page) == [], chinese_texts(page)
    assert re.search(r"\d", page.text_content("#toast"))


DEAD = "x = -2\nh = relu(x)\nf = h * 3"


@pytest.mark.parametrize("view", ["inspector", "diagnostics", "practice", "code"])
def test_an_open_view_follows_the_switch(page, view):
    open_app(page, "?lang=en")
    run_program(page, TENSOR if view == "inspector" else DEAD)
    if view == "inspector":
        w = page.evaluate("window.gatewise.getGraph().inputs.W")
        page.evaluate("(id) => window.gatewise.select(id)", w)
        page.wait_for_selector("#inspector[open] table.matrix")
    elif view == "diagnostics":
        page.click("#diagnostics")
        page.wait_for_selector("#diagnostics-legend li[data-flag-kind]")
        page.click(f"[data-node-id='{page.evaluate('window.gatewise.getGraph().output')}'] .body", force=True)
        page.wait_for_selector("#explain .diag-explain")
    elif view == "practice":
        page.click("#practice")
        page.wait_for_selector(".practice-layer .practice-input")
    else:
        page.click("#code-toggle")
        page.wait_for_selector("#code-view .code-line")
    assert chinese_texts(page) == []
    switch(page, "zh")
    assert english_words(page) == []
    switch(page, "en")
    assert chinese_texts(page) == []
