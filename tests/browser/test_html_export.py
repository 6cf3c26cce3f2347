"""The standalone HTML export, opened from file:// with no server: it draws, animates and explains."""

from __future__ import annotations

import pytest
from browser_helpers import open_app, run_program
from conftest import require_chromium

import gatewise
from gatewise.server.local import serving

pytestmark = pytest.mark.browser
CS231N = "f = (x + sigmoid(y)) / (sigmoid(x) + (x + y)**2)"
W = "W"
TENSOR = "D = W @ X"
TENSOR_VALUES = {"W": [[0, 1, 0], [1, 0, 1]], "X": [[3, -2], [0, 0], [-1, -2]]}


@pytest.fixture(scope="module")
def exported(browser, tmp_path_factory) -> str:
    """The page's Export ▸ HTML of the CS231n circuit, saved; the server is stopped afterwards."""
    require_chromium()
    target = tmp_path_factory.mktemp("export") / "cs231n.html"
    with serving() as url:
        context = browser.new_context(base_url=url, viewport={"width": 1400, "height": 860})
        page = context.new_page()
        open_app(page)
        run_program(page, CS231N, {"x": 3, "y": -4})
        page.hover(".menu-button")
        with page.expect_download() as dl:
            page.click("#export-html")
        dl.value.save_as(target)
        context.close()
    return target.as_uri()


def open_file(browser, uri: str):
    """A page on the file with every non-file request refused; fails on console errors."""
    context = browser.new_context(viewport={"width": 1300, "height": 820})
    page = context.new_page()
    page.outside, page.errors = [], []
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "blob:", "data:")) else
               (page.outside.append(r.request.url), r.abort()))
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto(uri)
    page.wait_for_selector(".gatewise-widget[data-status='ready'] svg [data-node-id]")
    return context, page


def states(page) -> list[str]:
    return page.eval_on_selector_all("[data-node-id]", "els => els.map(e => e.dataset.state)")


def test_the_exported_file_animates_and_explains_offline(browser, exported):
    context, page = open_file(browser, exported)
    assert page.text_content("[data-edge-id='__output__'] .val") == "1.546"
    grads = {t.replace("Σ ", "") for t in page.locator("[data-node-id] .node-grad").all_text_contents()}
    assert {"2.06", "1.592"} <= grads
    assert set(states(page)) == {"backward"}
    page.click("[data-gw='reset']")
    assert set(states(page)) == {"pending"}
    page.click("[data-gw='next']")
    assert states(page).count("forward") == 1
    status = page.text_content("[data-gw='status']")
    page.click("[data-gw='play']")  # the animation steps on its own
    page.wait_for_function(f"document.querySelector(\"[data-gw='status']\").textContent !== {status!r}")
    page.click("[data-gw='play']")
    graph = gatewise.to_dict(gatewise.evaluate(CS231N, {"x": 3, "y": -4}))
    div = next(n["id"] for n in graph["nodes"] if n["op"] == "div")
    page.click("[data-gw='next']")
    page.click(f"[data-node-id='{div}']")
    page.wait_for_selector("[data-gw='explain'] .katex")  # KaTeX from the file itself
    assert "Local gradients" in page.text_content("[data-gw='explain']")
    assert "needs an engine" in page.text_content(".train-panel")
    assert "needs an engine" in page.text_content(".inputs-panel")
    context.close()
    assert not page.outside and not page.errors, (page.outside, page.errors)


def test_save_html_keeps_the_inspector_and_the_gradient_check(browser, tmp_path):
    path = gatewise.Circuit(TENSOR, TENSOR_VALUES).save_html(tmp_path / "tensor.html")
    context, page = open_file(browser, path.as_uri())
    graph = gatewise.to_dict(gatewise.evaluate(TENSOR, TENSOR_VALUES))
    page.click(f"[data-node-id='{graph['inputs'][W]}']")
    page.wait_for_selector(".inspector[open]")
    values = page.locator(".inspector .matrix-block.value td").all_text_contents()
    assert values == ["0", "1", "0", "1", "0", "1"]
    assert page.locator(".inspector .matrix-block.gradient td").all_text_contents()[:3] == ["1", "0", "-3"]
    page.click("[data-gw='gradcheck']")
    page.wait_for_selector(".badge.ok")
    assert page.locator(".badge.bad").count() == 0
    context.close()
    assert not page.outside and not page.errors, (page.outside, page.errors)


def test_what_needs_an_engine_says_so(browser, tmp_path):
    path = gatewise.Circuit("f = sigmoid(x) * y", {"x": 1, "y": 2}).save_html(tmp_path / "c.html")
    context, page = open_file(browser, path.as_uri())
    sig = page.get_attribute(".node.composite", "data-node-id")
    page.dblclick(f"[data-node-id='{sig}']")  # expanding needs the engine: a message, the circuit stays
    page.wait_for_selector("[data-gw='error']:not([hidden])")
    assert "needs an engine" in page.text_content("[data-gw='error']")
    assert page.locator(f"[data-node-id='{sig}']").count() == 1
    assert page.get_attribute("[data-gw='expression']", "readonly") is not None
    context.close()
    assert not page.errors, page.errors
