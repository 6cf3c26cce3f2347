"""Composite expand/fold, the tensor inspector, sharing, export, gradient check, live inputs, help."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from browser_helpers import api_graph, evals, node_states, open_app, run_program, wait_drawn

pytestmark = pytest.mark.browser

NEURON = "f = sigmoid(w0*x0 + w1*x1 + w2)"
NEURON_VALUES = {"w0": 2, "x0": -1, "w1": -3, "x1": -2, "w2": -3}
FANOUT = "x = 3\ny = -4\nq = x * y\nf = q + x"


def output_text(page) -> tuple[str, str]:
    """The output wire's value and gradient texts."""
    return (page.text_content("[data-edge-id='__output__'] .val"),
            page.text_content("[data-edge-id='__output__'] .grad"))


def set_slider(page, name: str, value: str) -> None:
    """Moves an input's slider as a user would (an input event)."""
    script = "(e, v) => { e.value = v; e.dispatchEvent(new Event('input', {bubbles: true})); }"
    page.eval_on_selector(f"#inputs .input-row[data-name='{name}'] input", script, value)


def test_expand_and_fold_a_composite_gate(page):
    open_app(page)
    run_program(page, NEURON, NEURON_VALUES)
    folded = node_states(page)
    out = output_text(page)
    sig = page.get_attribute(".node.composite", "data-node-id")
    before = evals(page)
    page.dblclick(f"[data-node-id='{sig}']")
    wait_drawn(page, before)
    expanded = node_states(page)
    assert len(expanded) > len(folded)
    assert page.locator(f"[data-group-id='{sig}']").count() == 1
    assert output_text(page) == out  # the numbers agree
    graph = api_graph(page, NEURON, NEURON_VALUES, expand=[sig])
    assert set(expanded) == {n["id"] for n in graph["nodes"]}
    before = evals(page)
    page.click(f"[data-fold='{sig}']")
    wait_drawn(page, before)
    assert node_states(page).keys() == folded.keys()
    assert page.locator("[data-group-id]").count() == 0
    assert output_text(page) == out


def test_expand_from_the_explainer(page):
    open_app(page)
    run_program(page, NEURON, NEURON_VALUES)
    sig = page.get_attribute(".node.composite", "data-node-id")
    page.click(f"[data-node-id='{sig}']")
    before = evals(page)
    page.click("#expand-selected")
    wait_drawn(page, before)
    assert page.locator(f"[data-group-id='{sig}']").count() == 1


def test_tensor_inspector_shows_value_and_gradient_matrices(page):
    open_app(page)
    run_program(page, "D = W @ X", {"W": [[0, 1, 0], [1, 0, 1]], "X": [[3, -2], [0, 0], [-1, -2]]})
    graph = api_graph(page, "D = W @ X", {"W": [[0, 1, 0], [1, 0, 1]], "X": [[3, -2], [0, 0], [-1, -2]]})
    w = graph["inputs"]["W"]
    page.click(f"[data-node-id='{w}']")
    page.wait_for_selector("#inspector[open]")
    assert "2×3" in page.text_content("#inspector .inspector-title")
    values = page.locator("#inspector .matrix-block.value td").all_text_contents()
    grads = page.locator("#inspector .matrix-block.gradient td").all_text_contents()
    assert values == ["0", "1", "0", "1", "0", "1"]
    assert len(grads) == 6  # dW = dD @ X.T with dD = ones: row sums of X
    assert grads[:3] == ["1", "0", "-3"]
    assert "ones" in page.text_content("#note")  # a tensor output: gradient seeded with ones
    page.click("#inspector .close")
    assert page.locator("#inspector[open]").count() == 0


def test_share_url_round_trip(page, browser, live_server):
    open_app(page)
    run_program(page, FANOUT)
    before = evals(page)
    set_slider(page, "y", "-2")
    wait_drawn(page, before)
    out = output_text(page)
    url = page.url
    assert "#program=" in url
    other = browser.new_page(base_url=live_server)
    try:
        other.goto(url)
        wait_drawn(other, 0)
        assert other.input_value("#expression") == FANOUT
        assert output_text(other) == out == ("-3", "1")
    finally:
        other.close()


def test_live_input_slider_updates_numbers_in_place(page):
    open_app(page)
    run_program(page, FANOUT)
    node = page.query_selector("[data-node-id]")
    before = evals(page)
    set_slider(page, "x", "5")
    wait_drawn(page, before)
    assert output_text(page)[0] == "-15"  # 5 * -4 + 5
    assert node.evaluate("e => e.isConnected")  # keyed update: same elements, new numbers


def test_svg_export_parses(page):
    open_app(page)
    run_program(page, FANOUT)
    page.hover(".menu-button")
    with page.expect_download() as dl:
        page.click("#export-svg")
    root = ET.parse(dl.value.path()).getroot()
    assert root.tag.endswith("svg")
    ids = {e.get("data-node-id") for e in root.iter() if e.get("data-node-id")}
    assert ids == set(node_states(page))


def test_png_and_json_export(page):
    open_app(page)
    run_program(page, FANOUT)
    page.hover(".menu-button")
    with page.expect_download() as dl:
        page.click("#export-png")
    with open(dl.value.path(), "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"
    page.hover(".menu-button")
    with page.expect_download() as dl:
        page.click("#export-json")
    with open(dl.value.path(), encoding="utf-8") as f:
        assert '"output"' in f.read()


def test_gradient_check_badges_each_input(page):
    open_app(page)
    run_program(page, FANOUT)
    page.click("#gradcheck")
    page.wait_for_selector(".badge")
    assert page.locator(".badge.ok").count() == 2
    assert page.locator(".badge.bad").count() == 0


def test_explainer_shows_formulas_and_chain_rule(page):
    open_app(page)
    run_program(page, FANOUT)
    graph = api_graph(page, FANOUT)
    mul = next(n["id"] for n in graph["nodes"] if n["op"] == "mul")
    page.hover(f"[data-node-id='{mul}']")
    page.wait_for_selector("#explain .katex")
    text = page.text_content("#explain")
    assert "Local gradients" in text and "Chain rule" in text
    x = graph["inputs"]["x"]
    page.click(f"[data-node-id='{x}']")
    page.mouse.move(5, 300)
    page.wait_for_function("document.querySelector('#explain').textContent.includes('Fan-out')")


def test_examples_menu_and_help(page):
    open_app(page)
    options = page.locator("#examples option").all_inner_texts()[1:]
    assert options
    for i in range(len(options)):
        before = evals(page)
        page.select_option("#examples", str(i))
        wait_drawn(page, before)
        assert set(node_states(page).values()) == {"backward"}
    page.click("#help")
    page.wait_for_selector("#help-dialog[open] .op-entry")
    ops = page.request.get("/api/ops").json()
    assert page.locator("#help-dialog .op-entry").count() == len(ops)


def test_pan_zoom_and_fit(page):
    open_app(page)
    run_program(page, FANOUT)
    scale = "() => document.querySelector('#circuit .viewport').getAttribute('transform')"
    fitted = page.evaluate(scale)
    page.click("#zoom-in")
    assert page.evaluate(scale) != fitted
    page.click("#fit")
    assert page.evaluate(scale) == fitted
    box = page.locator("#circuit").bounding_box()
    page.mouse.move(box["x"] + 40, box["y"] + 40)
    page.mouse.wheel(0, -300)
    assert page.evaluate(scale) != fitted


def test_fast_scrubbing_ends_on_the_last_value(page):
    open_app(page)
    run_program(page, FANOUT)
    page.eval_on_selector("#inputs .input-row[data-name='x'] input", """e => {
        for (let i = 1; i <= 20; i++) {
            e.value = String(i / 4);
            e.dispatchEvent(new Event('input', {bubbles: true}));
        }
    }""")
    # x = 5: 5 * -4 + 5 = -15, once the last of the coalesced requests is drawn.
    out = "document.querySelector(\"[data-edge-id='__output__'] .val\").textContent"
    page.wait_for_function(f"{out} === '-15'")
    assert page.text_content("#inputs .input-row[data-name='x'] .input-value") == "5"
