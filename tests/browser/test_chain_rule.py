"""The chain rule made plain (issue 12): tensor rules with names, shapes and matrices, broadcasting,
the NN composites, the CS231n gate patterns, inputs named by name, and `**` drawn as `**`."""

from __future__ import annotations

import numpy as np
import pytest
from browser_helpers import api_graph, open_app, run_program

pytestmark = pytest.mark.browser

XOR = "h = sigmoid(X @ W1 + b1)\np = sigmoid(h @ W2 + b2)\nloss = mse(p, Y)"
XOR_VALUES = {"X": [[0, 0], [0, 1], [1, 0], [1, 1]], "Y": [[0], [1], [1], [0]],
              "W1": [[0.5, -0.4, 0.3, 0.1], [-0.2, 0.6, -0.5, 0.4]], "b1": [[0, 0, 0, 0]],
              "W2": [[0.3], [-0.6], [0.2], [0.5]], "b2": [[0]]}
GATES = "q = x * y\nm = max(z, w)\ns = q + m\nf = 2 * s"
GATES_VALUES = {"x": 3, "y": -4, "z": 2, "w": -1}


def gate(graph: dict, op: str, n: int = 0) -> dict:
    """The n-th gate of an op."""
    return [node for node in graph["nodes"] if node["op"] == op][n]


def explain(page, node_id: str) -> str:
    """Pins the explainer on a node and returns its text (once KaTeX has drawn it)."""
    page.click(f"[data-node-id='{node_id}']")
    page.keyboard.press("Escape")  # closes the inspector a tensor opens
    page.mouse.move(2, 2)
    page.wait_for_selector("#explain .katex")
    return page.text_content("#explain")


def figure_values(page, row: int) -> list[list[list[float]]]:
    """The matrices shown beside the tensor rule of the explainer's `row`-th input."""
    return page.evaluate("""(i) => [...document.querySelectorAll('#explain .tensor-rule')[i]
        .querySelectorAll('table.matrix')]
        .map(t => [...t.rows].map(r => [...r.cells]
            .map(c => Number(c.textContent.replace('−', '-')))))""", row)


def test_a_matmul_gate_shows_its_rule_with_names_shapes_and_matrices(page):
    open_app(page)
    run_program(page, XOR, XOR_VALUES)
    graph = api_graph(page, XOR, XOR_VALUES)
    mm = gate(graph, "matmul")
    text = explain(page, mm["id"])
    rules = page.locator("#explain .tensor-rule .rule-shapes").all_text_contents()
    assert rules == ["[4×2] = [4×4] · [2×4]ᵀ", "[2×4] = [4×2]ᵀ · [4×4]"]
    assert "X@W1" in text and "for X:" in text and "for W1:" in text and "input 1" not in text
    # ∂L/∂W1 = Xᵀ · ∂L/∂(X@W1): the three matrices are drawn, and they multiply out.
    result, xt, upstream = figure_values(page, 1)
    assert np.allclose(xt, np.array(XOR_VALUES["X"]).T)
    assert np.allclose(result, np.array(xt) @ np.array(upstream), atol=2e-3)
    assert np.allclose(upstream, mm["grad"], atol=1e-3)


def test_a_broadcast_bias_gradient_is_the_sum_over_rows(page):
    open_app(page)
    run_program(page, XOR, XOR_VALUES)
    graph = api_graph(page, XOR, XOR_VALUES)
    add = gate(graph, "add")
    explain(page, add["id"])
    rule = page.locator("#explain .tensor-rule").nth(1)
    assert rule.locator(".rule-shapes").text_content() == "[1×4] = Σ rows of [4×4]"
    assert "summed over the rows" in rule.text_content()
    upstream, bias = figure_values(page, 1)
    assert np.allclose(bias, np.array(upstream).sum(axis=0, keepdims=True), atol=2e-3)


def test_the_nn_composites_say_their_rules(page):
    open_app(page)
    run_program(page, XOR, XOR_VALUES)
    graph = api_graph(page, XOR, XOR_VALUES)
    text = explain(page, gate(graph, "mse")["id"])
    assert "N = 4 entries" in text
    assert "2(p−Y)" in "".join(text.split())
    text = explain(page, gate(graph, "sigmoid")["id"])
    assert "elementwise" in text and "⊙" in text
    program = "z = X @ W\nloss = cross_entropy(z, y)"
    values = {"X": [[1, 2], [3, -1]], "y": [0, 1], "W": [[0.1, -0.2, 0.3], [0.4, 0.0, -0.1]]}
    run_program(page, program, values)
    graph = api_graph(page, program, values)
    text = explain(page, gate(graph, "cross_entropy")["id"])
    assert "onehot" in text and "N = 2 rows" in text and "true class" in text
    assert "no gradient flows here" in text  # the labels


def test_the_cs231n_gate_patterns_in_their_words(page):
    open_app(page)
    run_program(page, GATES, GATES_VALUES)
    graph = api_graph(page, GATES, GATES_VALUES)
    assert "distributes the gradient equally to all its inputs" in explain(page, gate(graph, "add")["id"])
    text = explain(page, gate(graph, "max")["id"])
    assert "routes the gradient to the input that was larger" in text and "here z (2) gets all of it" in text
    text = explain(page, gate(graph, "mul")["id"])
    assert "swaps its inputs' values, times the upstream gradient" in text
    assert "∂L/∂x = y × upstream = -4 × upstream" in text


def test_inputs_are_named_and_powers_drawn_as_stars(page):
    open_app(page)
    program = "f = (x + sigmoid(y)) / (sigmoid(x) + (x + y)**2)"
    run_program(page, program, {"x": 3, "y": -4})
    graph = api_graph(page, program, {"x": 3, "y": -4})
    pow_ = gate(graph, "pow")
    assert page.text_content(f"[data-node-id='{pow_['id']}'] .label").strip() == "**"
    text = explain(page, pow_["id"])
    assert "for x + y:" in text and "for 2:" in text and "input 1" not in text
    page.click("#help")
    page.wait_for_selector("#help-dialog[open] .op-entry")
    symbols = page.locator("#help-dialog .op-symbol").all_text_contents()
    assert "**" in symbols and "^" not in symbols


def test_totals_are_prominent_and_the_legend_says_what_each_number_is(page):
    open_app(page)
    run_program(page, "x = 3\ny = -4\nq = x * y\nf = q + x")
    x = page.evaluate("window.gatewise.getGraph().inputs.x")
    total = page.locator(f"[data-node-id='{x}'] .node-grad")
    style = total.evaluate("e => [getComputedStyle(e).fontWeight, parseFloat(getComputedStyle(e).fontSize)]")
    assert int(style[0]) >= 700 and style[1] >= 12.5
    page.click("#legend summary")
    legend = " ".join(page.text_content("#legend").split())
    assert "total gradient" in legend and "sum of its wires' shares" in legend and "norm" in legend
    text = explain(page, x)
    assert "Fan-out: x is used 2×" in text and "=-4+1=-3" in text.replace("−", "-")
