"""The standalone HTML export in Chinese (issue 15): POST /api/export/html follows Accept-Language (and
the page's language), and the file, opened from file:// with no server, is Chinese throughout."""

from __future__ import annotations

import pytest
from browser_helpers import open_app, run_program
from conftest import require_chromium
from test_html_export import open_file
from zh_text import CJK, graph_names, lowered, op_names, untranslated, visible_texts

import gatewise
from gatewise.server.local import serving

pytestmark = pytest.mark.browser
CS231N = "f = (x + sigmoid(y)) / (sigmoid(x) + (x + y)**2)"
VALUES = {"x": 3, "y": -4}
W = ".gatewise-widget"


@pytest.fixture(scope="module")
def files(browser, tmp_path_factory):
    """The file as the API writes it for Accept-Language: zh-CN, as the page's Export ▸ HTML writes it in
    ?lang=zh, and the API's English default; with the Chinese op table (for the names that are code)."""
    require_chromium()
    folder = tmp_path_factory.mktemp("export-zh")
    with serving() as url:
        context = browser.new_context(base_url=url, viewport={"width": 1400, "height": 860})
        body = {"expression": CS231N, "values": VALUES}
        texts = {name: context.request.post("/api/export/html", data=body, headers=headers).json()["html"]
                 for name, headers in (("api", {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"}), ("en", {}))}
        ops = context.request.get("/api/ops?lang=zh").json()
        page = context.new_page()
        open_app(page, "?lang=zh")
        run_program(page, CS231N, VALUES)
        page.hover(".menu-button")
        with page.expect_download() as dl:
            page.click("#export-html")
        dl.value.save_as(folder / "page.html")
        context.close()
    for name, text in texts.items():
        (folder / f"{name}.html").write_text(text, encoding="utf-8")
    return {name: (folder / f"{name}.html").as_uri() for name in ("api", "page", "en")}, ops


def english_words(page, ops, root: str = W) -> list[tuple[str, str]]:
    """The file's untranslated English words (the program's names and the ops' are code)."""
    graph = gatewise.to_dict(gatewise.evaluate(CS231N, VALUES))
    return untranslated(visible_texts(page, root), lowered(graph_names(graph) | op_names(ops)))


@pytest.mark.parametrize("made_by", ["api", "page"])
def test_the_chinese_file_has_no_english_word_left(browser, files, made_by):
    uris, ops = files
    context, page = open_file(browser, uris[made_by])
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    assert page.get_attribute(W, "lang") == "zh-CN"
    assert page.text_content(f"{W} [data-gw='evaluate']") == "计算"
    assert page.text_content(f"{W} [data-edge-id='__output__'] .val") == "1.546"
    graph = gatewise.to_dict(gatewise.evaluate(CS231N, VALUES))
    div = next(n["id"] for n in graph["nodes"] if n["op"] == "div")
    page.click(f"[data-node-id='{div}']")
    page.wait_for_selector(f"{W} [data-gw='explain'] .katex")
    page.click(f"{W} [data-gw='gradcheck']")
    page.wait_for_selector(".badge.ok")
    assert page.text_content(f"{W} [data-gw='engine']").startswith("梯度检验通过")
    assert sum(bool(CJK.search(t)) for t, _ in visible_texts(page, W)) > 20  # the walk sees the file
    assert english_words(page, ops) == []
    sig = page.get_attribute(".node.composite", "data-node-id")
    page.dblclick(f"[data-node-id='{sig}']")  # expanding needs the engine: said in Chinese
    page.wait_for_selector("[data-gw='error']:not([hidden])")
    assert CJK.search(page.text_content("[data-gw='error']"))
    assert english_words(page, ops, f"{W} [data-gw='error']") == []
    context.close()
    assert not page.outside and not page.errors, (page.outside, page.errors)


def test_the_api_default_stays_english(browser, files):
    uris, _ = files
    context, page = open_file(browser, uris["en"])
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.text_content(f"{W} [data-gw='evaluate']") == "Evaluate"
    assert "needs an engine" in page.text_content(".train-panel")
    context.close()
