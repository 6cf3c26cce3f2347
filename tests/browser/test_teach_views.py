"""The code view in step with the animation, and the diagnostics overlay's flags, in Chromium."""

from __future__ import annotations

import json

import pytest
from browser_helpers import api_graph, open_app, run_program

from gatewise.server.examples import EXAMPLES

pytestmark = pytest.mark.browser

CS231N = "f = (x + sigmoid(y)) / (sigmoid(x) + (x + y)**2)"
# A dead ReLU (a·w < 0), a saturated sigmoid (z·20 = 20) and an input multiplied by 0.
BROKEN = "h = relu(a * w)\ns = sigmoid(z * 20)\nq = u * 0\nf = h + s + q + w"
BROKEN_VALUES = {"a": -1, "w": 2, "z": 1, "u": 3}


def open_code(page, program: str, values: dict) -> dict:
    """Runs a program, opens the code view and returns the API's codegen answer."""
    open_app(page)
    run_program(page, program, values)
    page.click("#code-toggle")
    page.wait_for_selector("#code-view[data-loaded] .code-line[data-code-node]")
    body = {"expression": program, "values": values, "expand": []}
    res = page.request.post("/api/codegen", data=json.dumps(body),
                            headers={"Content-Type": "application/json"})
    return res.json()


def highlighted(page) -> list[dict]:
    """The highlighted code lines: owner, phase, text and inline numbers."""
    return page.eval_on_selector_all("#code-view .code-line[data-current]", """rows => rows.map(r => ({
        node: r.dataset.codeNode, phase: r.dataset.codePhase, text: r.querySelector('code').textContent,
        nums: r.querySelector('.inline-nums').textContent}))""")


def walk_steps(page, program: str, values: dict) -> int:
    """Steps through the whole animation checking the highlighted lines; returns the steps with lines."""
    code = open_code(page, program, values)
    graph = api_graph(page, program, values)
    text = code["code"].split("\n")
    owned = {}
    for line, own in zip(text, code["lines"]):
        if own:
            owned.setdefault((own[0], "backward" if own[1] == "backward" else "forward"), []).append(line)
    steps = len(graph["forward"]) + len(graph["backward"])
    seen = 0
    for pos in range(1, steps + 1):
        page.evaluate("p => window.gatewise.seekTo(p)", pos)
        active = page.get_attribute(".node.active", "data-node-id")
        kind = "forward" if pos <= len(graph["forward"]) else "backward"
        rows = highlighted(page)
        assert all(r["node"] == active for r in rows), (pos, active, rows)
        assert [r["text"] for r in rows] == owned.get((active, kind), [])  # exactly the gate's lines
        seen += bool(rows)
        node = next(n for n in graph["nodes"] if n["id"] == active)
        if kind == "forward" and node["kind"] == "op":
            assert len(rows) == 1 and rows[0]["phase"] == "forward" and rows[0]["nums"].startswith("= ")
    return seen


def test_at_every_step_the_highlighted_lines_belong_to_the_active_gate(page):
    seen = walk_steps(page, CS231N, {"x": 3, "y": -4})
    assert seen >= 14  # 7 gates forward, 7 backward blocks (inputs and the constant own a line too)


@pytest.mark.parametrize("ex", [e for e in EXAMPLES if e["id"] not in ("cs231n",)], ids=lambda e: e["id"])
def test_the_code_view_follows_every_example(page, ex):
    assert walk_steps(page, ex["expression"], ex["values"]) > 0


def test_inline_numbers_and_the_plus_equals_of_fan_out(page):
    open_code(page, "f = x * y + x", {"x": 3, "y": -4})
    graph = api_graph(page, "f = x * y + x", {"x": 3, "y": -4})
    mul = next(n["id"] for n in graph["nodes"] if n["op"] == "mul")
    pos = len(graph["forward"]) + graph["backward"].index(mul) + 1
    page.evaluate("p => window.gatewise.seekTo(p)", pos)
    rows = {r["text"]: r["nums"] for r in highlighted(page)}
    # x's second contribution adds to the first (+=), from the gate that used x second.
    assert rows["dx += (y) * dmul2"] == "→ -4" and rows["dy = (x) * dmul2"] == "→ 3"
    assert rows["# backprop mul2 = x * y"] == "upstream 1"
    page.evaluate("p => window.gatewise.seekTo(p)", len(graph["forward"]) + 1)  # the output's step
    seed, *rest = highlighted(page)
    assert seed["text"].startswith("df = ") and seed["nums"] == "= 1"  # the seed, before the block
    assert {r["text"]: r["nums"] for r in rest}["dx = (1) * df"] == "→ 1"


def test_clicking_a_line_selects_its_gate_and_a_gate_marks_its_lines(page):
    open_code(page, CS231N, {"x": 3, "y": -4})
    line = page.locator("#code-view .code-line[data-code-phase='forward']").nth(2)
    node = line.get_attribute("data-code-node")
    line.click()
    assert page.get_attribute(f"[data-node-id='{node}']", "class").split().count("selected") == 1
    forward = page.locator("#code-view .code-line[data-code-phase='forward']")
    other = forward.nth(4).get_attribute("data-code-node")
    page.click(f"[data-node-id='{other}'] .body", force=True)
    marked = page.eval_on_selector_all("#code-view [data-code-selected]",
                                       "rs => rs.map(r => r.dataset.codeNode)")
    assert marked and set(marked) == {other} and len(marked) >= 2  # its forward line and backward block


def test_diagnostics_flag_a_dead_relu_a_saturated_sigmoid_and_an_input_without_influence(page):
    open_app(page)
    run_program(page, BROKEN, BROKEN_VALUES)
    graph = api_graph(page, BROKEN, BROKEN_VALUES)
    by_name = {n["name"]: n["id"] for n in graph["nodes"] if n["name"]}
    page.click("#diagnostics")
    page.wait_for_function("document.body.dataset.diagnosed")
    flags = page.eval_on_selector_all("[data-node-id][data-flag]", "gs => Object.fromEntries(gs.map(g => "
                                      "[g.dataset.nodeId, g.dataset.flag.split(' ')]))")
    assert "dead_relu" in flags[by_name["h"]]
    assert "saturated" in flags[by_name["s"]]
    assert "no_influence" in flags[by_name["u"]]
    assert by_name["w"] not in flags and by_name["f"] not in flags  # healthy: w reaches f directly
    levels = page.eval_on_selector_all("[data-node-id]", "gs => Object.fromEntries(gs.map(g => "
                                       "[g.dataset.nodeId, g.dataset.diagLevel]))")
    assert levels[by_name["f"]] == "0" and levels[by_name["u"]] == "zero"
    assert int(levels[by_name["z"]]) <= -7  # through the saturated sigmoid: about 4e-8
    page.click(f"[data-node-id='{by_name['h']}'] .body", force=True)
    explain = page.locator("#explain .diag-explain")
    assert "Dead ReLU" in explain.inner_text() and "no gradient flows back" in explain.inner_text()
    page.click(f"#diagnostics-legend li[data-flag-node='{by_name['s']}']")
    saturated = page.locator("#explain .diag-explain [data-flag-kind='saturated']")
    assert "local gradient" in saturated.inner_text()
    page.click("#diagnostics")
    assert page.locator("[data-node-id][data-flag]").count() == 0  # off: the overlay is gone
