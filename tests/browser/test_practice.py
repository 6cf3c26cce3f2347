"""Practice mode in Chromium: answers from the API move the backward pass on, wrong ones are hinted,
fan-out asks each contribution then the sum, tensors ask their shape first, and exercise links open
straight into practice without carrying any answer."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from browser_helpers import api_graph, edge_labels, evals, node_states, open_app, run_program, wait_drawn

from gatewise.server.examples import EXAMPLES

pytestmark = pytest.mark.browser

CS231N = "f = (x + sigmoid(y)) / (sigmoid(x) + (x + y)**2)"
FANOUT = "f = x * y + x"
BOX = "input[data-practice-node]"


def answers(graph: dict) -> dict[str, object]:
    """Practice part id -> the right answer, from the API's graph."""
    out: dict[str, object] = {e["id"]: e["contribution"] for e in graph["edges"]}
    out.update({f"sum:{n['id']}": n["grad"] for n in graph["nodes"]})
    return out


def typed(value, ask: str, shape: list[int], element: str = "") -> str:
    """How a student types an answer (element: the asked entry's index, "i,j")."""
    if ask == "shape":
        return "x".join(map(str, shape))
    if ask == "element":
        for k in element.split(","):
            value = value[int(k)]
        return repr(value)
    if ask == "whole":
        flat = json.loads(json.dumps(value))
        while flat and isinstance(flat[0], list):
            flat = [v for row in flat for v in row]
        return "; ".join(repr(v) for v in flat)
    return repr(value)


def current(page) -> dict:
    """The awaiting answer box: its gate, part and what it asks."""
    page.wait_for_selector(BOX)
    return page.eval_on_selector(BOX, "e => ({node: e.dataset.practiceNode, part: e.dataset.practicePart, "
                                      "ask: e.dataset.practiceAsk, mark: e.dataset.practice || '', "
                                      "element: e.dataset.practiceElement || ''})")


def answer(page, text: str) -> None:
    """Types an answer in the awaiting box and presses Enter."""
    page.fill(BOX, text)
    page.press(BOX, "Enter")


def solve(page, graph: dict) -> list[dict]:
    """Answers every question with the API's numbers; returns the questions in the order asked."""
    right, shapes = answers(graph), {n["id"]: n["shape"] for n in graph["nodes"]}
    source = {e["id"]: e["source"] for e in graph["edges"]}
    asked = []
    while page.get_attribute("body", "data-practice-done") != "true":
        q = current(page)
        assert node_states(page)[q["node"]] == "forward"  # the gate waits for its answers
        part = q["part"].removeprefix("shape:")
        owner = part[4:] if part.startswith("sum:") else source[part]
        asked.append(q)
        answer(page, typed(right[part], q["ask"], shapes[owner], q["element"]))
        page.wait_for_function(f"() => document.body.dataset.practiceDone === 'true' || document."
                               f"querySelector('{BOX}')?.dataset.practicePart !== {json.dumps(q['part'])}")
    return asked


def test_right_answers_from_the_api_advance_the_backward_pass(page):
    open_app(page)
    run_program(page, CS231N, {"x": 3, "y": -4})
    graph = api_graph(page, CS231N, {"x": 3, "y": -4})
    page.click("#practice")
    assert page.get_attribute("#practice", "aria-checked") == "true"
    current(page)
    labels = edge_labels(page)
    assert not [e for e, v in labels.items() if v["showGrad"]]  # every gradient hidden
    assert all(v["showVal"] for e, v in labels.items())  # the forward pass is done
    asked = solve(page, graph)
    ops = [n for n in graph["nodes"] if n["kind"] == "op"]
    inputs_of = sum(1 for e in graph["edges"] if graph["nodes"][int(e["source"][1:])]["kind"] != "const")
    fanned = [n for n in graph["nodes"] if sum(e["source"] == n["id"] for e in graph["edges"]) > 1]
    assert len(asked) == inputs_of + len(fanned)  # each contribution, and each fan-out's sum
    states = node_states(page)
    assert all(states[n["id"]] == "backward" for n in ops)
    assert all(v["showGrad"] for v in edge_labels(page).values())
    score = page.eval_on_selector("#practice-score", "e => ({...e.dataset})")
    assert score["first"] == score["right"] == str(len(asked)) and score["wrong"] == "0"


def test_a_wrong_answer_is_marked_and_hinted_in_three_steps(page):
    open_app(page)
    run_program(page, "f = x * y", {"x": 3, "y": -4})
    page.click("#practice")
    first = current(page)
    assert first["part"] == "n2:0"
    answer(page, "12345")
    page.wait_for_selector(f"{BOX}[data-practice='wrong']")
    hint = page.locator("#practice-hint")
    assert hint.get_attribute("data-hint-level") == "1" and "upstream × local" in hint.inner_text()
    answer(page, "not a number")
    page.wait_for_selector("#practice-hint[data-hint-level='2'] .hint-2")
    assert "Type a number" in page.text_content("#practice-prompt")
    answer(page, "-3")
    page.wait_for_selector("#practice-hint[data-hint-level='3'] .hint-3")
    assert "1 × -4 = ?" in page.text_content("#practice-hint .hint-3")  # the numbers: upstream × local
    assert node_states(page)["n2"] == "forward"  # nothing revealed yet
    answer(page, "-4.01")  # within 1% of the gradient's size
    page.wait_for_function(f"document.querySelector('{BOX}')?.dataset.practicePart === 'n2:1'")
    assert page.get_attribute(BOX, "data-practice") is None
    page.click("#practice-show")  # "show me" fills in 3 and finishes the pass
    page.wait_for_function("document.body.dataset.practiceDone === 'true'")
    score = page.eval_on_selector("#practice-score", "e => ({...e.dataset})")
    assert (score["first"], score["right"], score["shown"], score["wrong"]) == ("0", "1", "1", "3")


def test_fan_out_asks_each_contribution_then_their_sum(page):
    open_app(page)
    run_program(page, FANOUT, {"x": 3, "y": -4})
    graph = api_graph(page, FANOUT, {"x": 3, "y": -4})
    x = graph["inputs"]["x"]
    page.click("#practice")
    asked = [q["part"] for q in solve(page, graph)]
    into_x = [e["id"] for e in graph["edges"] if e["source"] == x]
    assert len(into_x) == 2 and set(into_x) <= set(asked)
    assert asked.index(f"sum:{x}") > max(asked.index(e) for e in into_x)  # parts first, then the sum
    assert [p for p in asked if p.startswith("sum:")] == [f"sum:{x}"]  # y is used once: no sum


def test_tensor_gates_ask_the_shape_first_then_the_numbers(page):
    values = {"W": [[1, 2], [3, 4]], "X": [[5], [6]]}
    open_app(page)
    run_program(page, "D = W @ X", values)
    graph = api_graph(page, "D = W @ X", values)
    page.click("#practice")
    q = current(page)
    assert (q["part"], q["ask"]) == ("shape:n2:0", "shape")
    answer(page, "2x1")  # the shape of D, not of W
    page.wait_for_selector(f"{BOX}[data-practice='wrong']")
    answer(page, "2 x 2")
    page.wait_for_function(f"document.querySelector('{BOX}')?.dataset.practiceAsk === 'whole'")
    asked = [q, *solve(page, graph)]
    assert [a["ask"] for a in asked] == ["shape", "whole", "shape", "whole"]


def test_an_exercise_link_opens_in_practice_with_no_answers_in_it(page, browser, live_server):
    values = {"x": 3, "y": -4}
    open_app(page)
    run_program(page, CS231N, values)
    graph = api_graph(page, CS231N, values)
    page.click("#practice")
    page.click("#practice-link")
    url = page.input_value("#practice-link-url")
    params = parse_qs(urlsplit(url).fragment)
    assert set(params) == {"program", "values", "practice"} and params["practice"] == ["1"]
    assert json.loads(params["values"][0]) == values  # the inputs only: no gradient travels
    grads = {repr(float(n["grad"])) for n in graph["nodes"] if n["kind"] == "op"} - {"1.0"}
    assert not [g for g in grads if g in url]
    other = browser.new_context(viewport={"width": 1400, "height": 860}, base_url=live_server).new_page()
    try:
        other.goto(url)
        other.wait_for_selector(BOX)
        assert other.get_attribute("#practice", "aria-checked") == "true"
        assert other.input_value("#expression") == CS231N
        assert not [e for e, v in edge_labels(other).items() if v["showGrad"]]
        assert "practice=1" in other.evaluate("location.hash")
    finally:
        other.context.close()


@pytest.mark.parametrize("ex", EXAMPLES, ids=[e["id"] for e in EXAMPLES])
def test_every_example_can_be_practised_to_the_end(page, ex):
    open_app(page)
    run_program(page, ex["expression"], ex["values"])
    graph = api_graph(page, ex["expression"], ex["values"])
    page.click("#practice")
    asked = solve(page, graph)
    assert asked and all(s == "backward" for i, s in node_states(page).items()
                         if next(n for n in graph["nodes"] if n["id"] == i)["kind"] == "op")


def test_an_expanded_composite_is_practised_gate_by_gate(page):
    open_app(page)
    run_program(page, "f = sigmoid(w * x)", {"w": 2, "x": -1})
    sig = page.get_attribute(".node.composite", "data-node-id")
    before = evals(page)
    page.dblclick(f"[data-node-id='{sig}']")
    wait_drawn(page, before)
    graph = api_graph(page, "f = sigmoid(w * x)", {"w": 2, "x": -1}, expand=[sig])
    page.click("#practice")
    asked = solve(page, graph)
    assert len(asked) >= 5  # the sigmoid's primitives (÷, +, exp, −) each ask, then the product


def test_show_me_works_for_any_gate(page):
    open_app(page)
    run_program(page, FANOUT, {"x": 3, "y": -4})
    graph = api_graph(page, FANOUT, {"x": 3, "y": -4})
    mul = next(n["id"] for n in graph["nodes"] if n["op"] == "mul")
    page.click("#practice")
    assert current(page)["node"] == graph["output"]
    page.click(f"[data-node-id='{mul}'] .body", force=True)  # a gate further down the pass
    page.click("#practice-show")
    shown = page.locator(f"#practice-revealed[data-node='{mul}'] .revealed").all_inner_texts()
    assert len(shown) == 2 and shown[0].endswith("= -4") and shown[1].endswith("= 3")
    assert current(page)["node"] == graph["output"]  # the pass has not moved
    assert page.get_attribute("#practice-score", "data-shown") == "2"
