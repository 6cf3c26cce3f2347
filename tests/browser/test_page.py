"""The page in a real browser: typing, evaluating, the circuit's numbers, animation and errors."""

from __future__ import annotations

import pytest
from browser_helpers import api_graph, edge_labels, evals, node_states, open_app, run_program, wait_drawn

pytestmark = pytest.mark.browser

FANOUT = "x = 3\ny = -4\nq = x * y\nf = q + x"


def test_typing_and_evaluating_draws_every_node(page):
    open_app(page)
    before = evals(page)
    page.fill("#expression", "")
    page.click("#expression")
    page.keyboard.type("a = 2\nb = 5\nf = a - b")
    page.keyboard.press("Control+Enter")
    wait_drawn(page, before)
    graph = api_graph(page, "a = 2\nb = 5\nf = a - b")
    assert set(node_states(page)) == {n["id"] for n in graph["nodes"]}
    assert page.text_content("[data-edge-id='__output__'] .val") == "-3"


def test_evaluate_button_and_live_edits(page):
    open_app(page)
    before = evals(page)
    page.fill("#expression", "x = 2\nf = x * x")
    page.click("#evaluate")
    wait_drawn(page, before)
    assert page.text_content("[data-edge-id='__output__'] .val") == "4"
    before = evals(page)
    page.fill("#expression", "x = 2\nf = x * x * x")  # no button: the debounced live evaluation
    wait_drawn(page, before)
    assert page.text_content("[data-edge-id='__output__'] .val") == "8"


def test_every_gate_shows_its_value_and_gradient(page):
    open_app(page)
    run_program(page, FANOUT)
    graph = api_graph(page, FANOUT)
    states = node_states(page)
    assert states and all(s == "backward" for s in states.values())
    labels = edge_labels(page)
    for edge in graph["edges"]:
        lab = labels[edge["id"]]
        assert lab["showVal"] and lab["showGrad"], edge["id"]
        assert lab["val"] and lab["grad"], edge["id"]
    # x fans out: -4 through the multiply gate, 1 through the add gate, and their sum under x.
    assert labels["n2:0"]["val"] == "3" and labels["n2:0"]["grad"] == "-4"
    x = graph["inputs"]["x"]
    assert page.text_content(f"[data-node-id='{x}'] .node-grad") == "Σ -3"
    assert page.is_visible(f"[data-node-id='{x}'] .node-grad")


def test_reset_step_to_the_end_and_back(page):
    open_app(page)
    run_program(page, FANOUT)
    graph = api_graph(page, FANOUT)
    n = len(graph["forward"]) + len(graph["backward"])
    page.click("#reset")
    assert set(node_states(page).values()) == {"pending"}
    assert not any(v["showVal"] or v["showGrad"] for v in edge_labels(page).values())
    first = graph["forward"][0]
    page.click("#step-next")
    assert node_states(page)[first] == "forward"
    for _ in range(len(graph["forward"]) - 1):
        page.click("#step-next")
    assert set(node_states(page).values()) == {"forward"}
    assert not any(v["showGrad"] for v in edge_labels(page).values())
    for _ in range(n):
        page.keyboard.press("ArrowRight")
    assert set(node_states(page).values()) == {"backward"}
    page.click("#step-prev")
    assert node_states(page)[graph["backward"][-1]] == "forward"
    for _ in range(n):
        page.keyboard.press("ArrowLeft")
    assert set(node_states(page).values()) == {"pending"}


def test_play_runs_the_whole_animation(page):
    open_app(page)
    run_program(page, FANOUT)
    page.click("#reset")
    page.select_option("#speed", "10")
    page.click("#play")
    page.wait_for_function(
        "[...document.querySelectorAll('[data-node-id]')].every(e => e.dataset.state === 'backward')")
    page.click("#reset")
    page.keyboard.press("Space")  # space plays too
    page.wait_for_function("document.querySelector('[data-node-id]').dataset.state !== 'pending'")


def test_errors_are_shown_and_the_last_circuit_stays(page):
    page.allow_http_errors = True
    open_app(page)
    run_program(page, FANOUT)
    assert page.is_hidden("#error")
    drawn = node_states(page)
    page.fill("#expression", "x = 3\nf = (x +")
    page.click("#evaluate")
    page.wait_for_selector("#error", state="visible")
    assert "Line 2" in page.text_content("#error")
    assert page.is_visible("#marks .err-line")
    assert page.text_content("#gutter .err") == "2"
    assert node_states(page) == drawn  # the last good circuit stays on screen
    before = evals(page)
    page.fill("#expression", "x = 3\nf = (x + 1)")
    wait_drawn(page, before)
    assert page.is_hidden("#error")


def test_non_finite_numbers(page):
    open_app(page)
    run_program(page, "x = 0\nf = log(x)")
    assert page.text_content("[data-edge-id='__output__'] .val") == "−∞"
    assert edge_labels(page)["n1:0"]["grad"] == "∞"
    run_program(page, "x = 0\nf = x / x")
    assert page.text_content("[data-edge-id='__output__'] .val") == "NaN"


def test_no_console_errors(page):
    open_app(page)
    run_program(page, FANOUT)
    page.click("#reset")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    page.click("#help")
    page.keyboard.press("Escape")
    assert page.console_errors == []  # (every test also checks this when it ends)
