"""User functions on the page: each call a group that folds and unfolds like σ, with the same numbers."""

from __future__ import annotations

import pytest
from browser_helpers import api_graph, edge_labels, evals, node_states, open_app, run_program, wait_drawn

pytestmark = pytest.mark.browser

PROGRAM = """def neuron(w, x, b):
    s = w * x + b
    return tanh(s)
h = neuron(w1, x, b1)
f = neuron(w2, h, b2) * 2
"""
VALUES = {"w1": 0.5, "x": -1.5, "b1": 0.2, "w2": -1.2, "b2": 0.3}


def output_text(page) -> tuple[str, str]:
    return (page.text_content("[data-edge-id='__output__'] .val"),
            page.text_content("[data-edge-id='__output__'] .grad"))


def test_fold_and_unfold_a_user_function_call(page):
    open_app(page)
    run_program(page, PROGRAM, VALUES)
    graph = api_graph(page, PROGRAM, VALUES)
    calls = graph["functions"]["neuron"]["calls"]
    assert page.locator("[data-group-id]").count() == 2  # small program: calls open as frames
    title = page.text_content(f"[data-group-id='{calls[0]}']")
    assert "neuron" in title
    opened, out = node_states(page), output_text(page)
    wires = edge_labels(page)

    before = evals(page)
    page.click(f"[data-fold='{calls[0]}']")  # fold the first call, as σ's frame folds
    wait_drawn(page, before)
    gate = page.locator(f".node.composite[data-node-id='{calls[0]}']")
    assert gate.count() == 1 and "neuron" in gate.text_content()
    assert page.locator("[data-group-id]").count() == 1
    assert output_text(page) == out  # the numbers agree folded and unfolded
    shut = node_states(page)
    assert len(shut) < len(opened) and calls[0] in shut
    # Each input's wire into the folded block shows the gradient its wires into the body showed.
    body = {"expression": PROGRAM, "values": VALUES, "fold": [calls[0]]}
    folded = page.request.post("/api/graph", data=body).json()
    now = edge_labels(page)
    for name in ("w1", "x", "b1"):
        key = graph["inputs"][name]
        (before_id,) = [e["id"] for e in graph["edges"] if e["source"] == key]
        (after_id,) = [e["id"] for e in folded["edges"] if e["source"] == key]
        assert after_id.startswith(calls[0] + ":") and now[after_id]["grad"] == wires[before_id]["grad"]

    # Its explanation shows the block's local gradients, as a composite's does.
    page.click(f"[data-node-id='{calls[0]}']")
    page.wait_for_selector("#expand-selected")
    assert "Expand neuron" in page.text_content("#expand-selected")
    assert "∂neuron/∂w" in page.text_content("#explain")

    before = evals(page)
    page.dblclick(f"[data-node-id='{calls[0]}']")
    wait_drawn(page, before)
    assert page.locator("[data-group-id]").count() == 2
    assert node_states(page).keys() == opened.keys()
    assert output_text(page) == out


def test_a_large_program_opens_with_its_repeated_calls_folded(page):
    """60 calls of a 5-gate block (300 gates, above the 200 where folding starts) open folded.

    (The engine's test folds a 2,000-gate program the same way; drawing it here would time the
    layout, which is not this test's subject.)"""
    lines = ["def block(a, w, b):\n    h = tanh(a * w + b)\n    return h + a * 0.5", "a0 = x"]
    lines += [f"a{i} = block(a{i - 1}, w, b)" for i in range(1, 61)]
    program = "\n".join(lines)
    values = {"x": 0.1, "w": 0.9, "b": 0.1}
    open_app(page)
    run_program(page, program, values)
    graph = api_graph(page, program, values)
    assert len(graph["folded"]) == 60
    # Rows out of view leave the document, so the drawing is read from the page's layout model.
    laid = page.evaluate("""() => { const m = window.gatewise.getLayout(), g = window.gatewise.getGraph();
        return {nodes: Object.keys(m.nodes), groups: Object.keys(m.groups),
                folded: g.nodes.filter(n => n.composite && n.function).map(n => n.id)}; }""")
    assert sorted(laid["folded"]) == sorted(graph["folded"]) and set(graph["folded"]) <= set(laid["nodes"])
    # (the layout adds a ghost tag where a value enters a later row)
    assert laid["groups"] == [] and {n["id"] for n in graph["nodes"]} <= set(laid["nodes"])
    assert len(graph["nodes"]) < 70
    assert page.locator(".node.composite").count() > 0 and page.locator("[data-group-id]").count() == 0
    last = graph["folded"][-1]
    before = evals(page)
    page.evaluate("id => window.gatewise.expand(id)", last)  # the gate may lie in a row out of view
    wait_drawn(page, before)
    assert page.evaluate("() => Object.keys(window.gatewise.getLayout().groups)") == [last]
    assert page.evaluate("() => window.gatewise.getGraph().nodes.filter(n => n.function).length") == 59


def test_the_code_view_of_a_program_with_defs_follows_the_steps(page):
    """The staged code has a function pair per def; stepping onto a folded call highlights its lines."""
    from test_teach_views import highlighted, open_code

    answer = open_code(page, PROGRAM, VALUES)
    assert "def neuron(w, x, b):" in answer["code"] and "def neuron_backward(dout, cache):" in answer["code"]
    graph = api_graph(page, PROGRAM, VALUES)
    calls = graph["functions"]["neuron"]["calls"]
    for call in calls:
        before = evals(page)
        page.dispatch_event(f"[data-fold='{call}']", "click")  # the code view covers part of the circuit
        wait_drawn(page, before)
    assert set(calls) <= set(node_states(page))
    shown = page.evaluate("() => window.gatewise.getGraph().forward")
    steps = len(shown)
    lines = answer["code"].split("\n")
    for pos, active in enumerate(shown + shown[::-1], 1):
        if active not in calls:
            continue
        page.evaluate("p => window.gatewise.seekTo(p)", pos)
        rows = highlighted(page)
        phase = "forward" if pos <= steps else "backward"
        want = [line for line, own in zip(lines, answer["lines"]) if own and own[0] == active
                and (own[1] == "backward") == (phase == "backward")]
        assert rows and [r["text"] for r in rows] == want, (active, phase, rows)
        assert ("= neuron" in want[0]) if phase == "forward" else any("neuron_backward(" in w for w in want)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_help_lists_def_with_its_forms_and_an_example(page, lang):
    """The language reference heads with def: both forms, the doc in the page's language, an example
    that runs as it is written."""
    ops = {o["name"]: o for o in page.request.get(f"/api/ops?lang={lang}").json()}
    open_app(page, f"?lang={lang}")
    page.click("#help")
    entry = page.locator("#help-dialog[open] .op-entry[data-op='def']")
    entry.wait_for()
    # the first entry after the pasting notes, under the language heading
    assert page.eval_on_selector("#help-body", "b => b.querySelector('.op-entry').dataset.op") == "def"
    heading = page.eval_on_selector("#help-body .op-entry[data-op='def']",
                                    "e => e.previousElementSibling.textContent")
    assert heading == {"en": "language", "zh": "语言结构"}[lang]
    assert entry.locator(".op-head code").text_content() == ops["def"]["syntax"]
    assert entry.locator(".op-doc").text_content() == ops["def"]["doc"]
    assert ("折叠" if lang == "zh" else "fold") in ops["def"]["doc"]
    assert entry.locator("pre.op-form").all_text_contents() == ops["def"]["spellings"]
    example = entry.locator("pre.op-example").text_content()
    assert example == ops["def"]["expansion"] and example.startswith("def ")
    page.keyboard.press("Escape")
    run_program(page, example, {"x": 0.3})
    assert page.locator("[data-group-id]").count() == 3  # two calls of layer, one of shift


def drawn_groups(page) -> dict:
    """What the drawing folds and opens: the frames, the folded call gates and every node's numbers."""
    return page.evaluate("""() => ({
        frames: [...document.querySelectorAll('[data-group-id]')].map(e => e.dataset.groupId).sort(),
        folded: window.gatewise.getGraph().folded,
        numbers: window.gatewise.getGraph().nodes.map(n => [n.id, n.value, n.grad])})""")


def test_a_share_link_keeps_the_fold_choices(page, browser, live_server):
    """Fold a call that opens by default and expand σ inside the other one: the link reopens both."""
    program = PROGRAM.replace("return tanh(s)", "return sigmoid(s)")
    open_app(page)
    run_program(page, program, VALUES)
    calls = api_graph(page, program, VALUES)["functions"]["neuron"]["calls"]
    before = evals(page)
    page.click(f"[data-fold='{calls[0]}']")
    wait_drawn(page, before)
    sigma = page.evaluate("c => window.gatewise.getGraph().nodes.find(n => n.group === c && n.composite).id",
                          calls[1])
    before = evals(page)
    page.evaluate("id => window.gatewise.expand(id)", sigma)
    wait_drawn(page, before)
    shown = drawn_groups(page)
    assert shown["folded"] == [calls[0]] and shown["frames"] == sorted([calls[1], sigma])
    link = page.evaluate("() => window.gatewise.getLink().hash")
    page.wait_for_function("h => location.hash === h", arg=link)
    assert "fold=" in page.url and "expand=" in page.url
    other = browser.new_page(base_url=live_server)
    try:
        other.goto(page.url)
        wait_drawn(other, 0)
        assert other.input_value("#expression") == program
        assert drawn_groups(other) == shown  # the same groups folded and open, the same numbers
        assert other.text_content("[data-edge-id='__output__'] .val") == output_text(page)[0]
        # The same program with other choices in the hash (a pasted link) draws those.
        before = evals(other)
        other.evaluate("h => { location.hash = h; }", link.replace(f"&fold={calls[0]}", ""))
        wait_drawn(other, before)
        assert drawn_groups(other)["folded"] == [] and calls[0] in drawn_groups(other)["frames"]
    finally:
        other.close()


def editor_marks(page) -> list:
    """The program editor's marked lines: ["step", line] and ["call", line], top to bottom."""
    return page.evaluate("""() => [...document.querySelectorAll('#marks .row')].flatMap((r, i) =>
        r.hasAttribute('data-step') ? [['step', i + 1]]
        : r.hasAttribute('data-step-call') ? [['call', i + 1]] : [])""")


def test_stepping_inside_an_expanded_call_highlights_its_def_body_lines(page):
    """Fold a call, expand it again, and step: each node of the call lights up its line of the def's
    Python function (with its number), and the call's own line is marked as the place it runs."""
    from test_teach_views import highlighted, open_code

    answer = open_code(page, PROGRAM, VALUES)
    calls = api_graph(page, PROGRAM, VALUES)["functions"]["neuron"]["calls"]
    for act in (f"() => window.gatewise.fold('{calls[0]}')", f"() => window.gatewise.expand('{calls[0]}')"):
        before = evals(page)
        page.evaluate(act)
        wait_drawn(page, before)
    assert calls[0] in page.evaluate("() => Object.keys(window.gatewise.getGraph().groups)")
    text = answer["code"].split("\n")
    shown = page.evaluate("() => window.gatewise.getGraph().forward")
    inner = set(page.evaluate("g => window.gatewise.getGraph().groups[g].nodes", calls[0]))
    checked = 0
    for pos, active in enumerate(shown + shown[::-1], 1):
        is_gate = "id => window.gatewise.getIndex().byId.get(id).kind === 'op'"
        if active not in inner or not page.evaluate(is_gate, active):
            continue
        phase = "forward" if pos <= len(shown) else "backward"
        page.evaluate("p => window.gatewise.seekTo(p)", pos)
        rows = highlighted(page)
        want = [text[k] for k, pairs in enumerate(answer["inside"]) if [active, phase] in pairs]
        assert want and [r["text"] for r in rows] == want, (active, phase, rows)
        assert all(r["text"].startswith("    ") and r["node"] is None for r in rows)  # in def neuron…
        assert rows[0]["nums"]  # …with the node's numbers inline
        call = page.eval_on_selector_all("#code-view .code-line[data-call]",
                                         "rs => rs.map(r => r.textContent)")
        mine = [text[k] for k, own in enumerate(answer["lines"]) if own == [calls[0], phase]]
        assert call and all(any(m in c for c in call) for m in mine), (active, call, mine)
        # The program editor marks the def body's line of the node, and the call's line.
        marked = editor_marks(page)
        body_line = 3 if active == calls[0] else 2  # s = w * x + b, then return tanh(s)
        assert marked == [["step", body_line], ["call", 4]], (active, marked)
        checked += 1
    assert checked == 2 * 3  # mul, add and tanh of the call, forward and backward
    page.evaluate("p => window.gatewise.seekTo(p)", len(shown))  # the output: f = neuron(…) * 2
    assert editor_marks(page) == [["step", 5]]
    first_body = next(k for k, pairs in enumerate(answer["inside"]) if [f"{calls[0]}.0", "forward"] in pairs)
    assert text[first_body - 2].startswith("def neuron(")  # the body's first line: s = w * x (the mul)
