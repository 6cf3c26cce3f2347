"""Hostile sizes and shapes of programs, IEEE values, and the numeric gradient check tool."""

from __future__ import annotations

import dataclasses
import math
import time

import numpy as np
import pytest
from gradutil import decode, graph, input_grads, nodes_by_id, numeric_grad, objective, output

from gatewise.engine import EngineError, Limits, evaluate, gradcheck


def budget_error(src, **kw) -> EngineError:
    """A program that must be refused with a budget error (never RecursionError or a crash)."""
    with pytest.raises(EngineError) as info:
        evaluate(src, **kw)
    assert info.value.kind == "budget"
    return info.value


@pytest.mark.parametrize("src", [
    "-" * 100_000 + "1",
    "(" * 100_000 + "1" + ")" * 100_000,
    "(" * 100_000 + "1",  # and never closed
    "x = 1\n" + "sin(" * 100_000 + "x" + ")" * 100_000,
    "[" * 100_000 + "1" + "]" * 100_000,
    "2 ** " * 100_000 + "1",
], ids=["minus", "parens", "unclosed", "calls", "lists", "pow-chain"])
def test_deep_nesting_is_a_budget_error(src):
    e = budget_error(src)
    assert e.line == 1 or e.line == 2


def test_deep_nesting_within_a_raised_budget_works():
    # The parser and both passes are iterative: depth is a setting, not a stack limit.
    limits = dataclasses.replace(Limits(), max_depth=300_000)
    assert output(graph("-" * 100_000 + "1", limits=limits)) == 1.0
    assert output(graph("(" * 100_000 + "2" + ")" * 100_000, limits=limits)) == 2.0
    d = graph("x = 0.5\n" + "sin(" * 20_000 + "x" + ")" * 20_000, limits=limits)
    v, g = 0.5, 1.0
    for _ in range(20_000):  # chain rule by hand
        g *= math.cos(v)
        v = math.sin(v)
    assert output(d) == pytest.approx(v, rel=1e-12)
    assert input_grads(d)["x"] == pytest.approx(g, rel=1e-9)


def test_sum_of_ten_thousand_terms_on_one_line():
    n = 10_000
    src = " + ".join(f"{k % 7 + 1} * x{k % 3}" for k in range(n))
    d = graph(src, {"x0": 1.5, "x1": -2.0, "x2": 0.25})
    coef = [sum(k % 7 + 1 for k in range(n) if k % 3 == j) for j in range(3)]
    assert output(d) == pytest.approx(coef[0] * 1.5 - coef[1] * 2.0 + coef[2] * 0.25, rel=1e-12)
    g = input_grads(d)
    assert [g["x0"], g["x1"], g["x2"]] == coef  # integer sums: exact


def test_five_thousand_statements():
    n = 5_000
    src = "\n".join(["v0 = x"] + [f"v{i} = v{i - 1} * 0.999 + 1" for i in range(1, n)])
    d = graph(src, {"x": 2.0})
    v = 2.0
    for _ in range(1, n):
        v = v * 0.999 + 1
    assert output(d) == pytest.approx(v, rel=1e-12)
    assert input_grads(d)["x"] == pytest.approx(0.999 ** (n - 1), rel=1e-10)
    assert len(d["nodes"]) >= n


def test_power_tower_is_inf_at_once():
    start = time.monotonic()
    d = graph("9**9**9**9")
    assert output(d) == math.inf and time.monotonic() - start < 1.0
    assert output(graph("2 ** 3 ** 2")) == 512.0  # right-associative
    assert output(graph("x = 3\n-x ** 2")) == -9.0  # ** binds tighter than unary minus
    assert output(graph("2 ** -1")) == 0.5


@pytest.mark.parametrize("src,check", [
    ("log(0)", lambda v: v == -math.inf),
    ("0/0", math.isnan),
    ("exp(1000)", lambda v: v == math.inf),
    ("x = 0\n1 / x", lambda v: v == math.inf),
    ("x = -1\nsqrt(x)", math.isnan),
    ("x = [1000, 0]\nsoftmax(x)", lambda v: list(v) == [1.0, 0.0]),
    ("x = 1e308\nx * 10 - x * 10", math.isnan),
])
def test_ieee_results_are_values_not_errors(src, check):
    assert check(output(graph(src)))


def test_large_tensor_program():
    rng = np.random.default_rng(0)
    W, x = rng.normal(size=(200, 300)), rng.normal(size=300)
    d = graph("h = tanh(W @ x)\nsum(h * h)", {"W": W.tolist(), "x": x.tolist()})
    h = np.tanh(W @ x)
    assert output(d) == pytest.approx(float(h @ h), rel=1e-12)
    np.testing.assert_allclose(input_grads(d)["x"], W.T @ (2 * h * (1 - h**2)), rtol=1e-10)


# ---- engine.gradcheck ---------------------------------------------------------------------------

SMOOTH = [
    ("x * y + x", {"x": 3, "y": -4}),
    ("x = 3\ny = -4\n(x + sigmoid(y)) / (sigmoid(x) + (x + y)**2)", None),
    ("sum(tanh(W @ x + b) ** 2)", {"W": [[0.1, -0.2], [0.3, 0.4], [0.5, -0.6]], "x": [1.0, 2.0],
                                   "b": [0.1, 0.0, -0.1]}),
    ("cross_entropy(z, labels) + mse(softmax(z), t)", {"z": [[1.0, -1.0, 0.5], [0.2, 0.3, -2.0]],
                                                       "labels": [2, 0], "t": [0.2, 0.3, 0.5]}),
]


@pytest.mark.parametrize("src,values", SMOOTH, ids=["cs231n-min", "cs231n", "layer", "nn"])
def test_gradcheck_is_ok_on_smooth_programs(src, values):
    r = gradcheck(src, values)
    assert r["ok"] is True and r["max_rel_error"] < 1e-6
    d = graph(src, values)
    assert set(r["inputs"]) == set(d["inputs"])
    grads = input_grads(d)
    # every input's value, literal ones included, so our own differences can perturb them
    given = {name: nodes_by_id(d)[key]["value"] for name, key in d["inputs"].items()}
    for name, rep in r["inputs"].items():
        assert rep["id"] == d["inputs"][name]
        assert rep["shape"] == nodes_by_id(d)[rep["id"]]["shape"]
        assert rep["total"] == int(np.prod(rep["shape"]))
        if grads[name] is None:  # class labels: nothing to check
            assert rep["checked"] == 0 and rep["rel_error"] == 0.0
            continue
        assert rep["checked"] == rep["total"] == len(rep["analytic"]) == len(rep["numeric"])
        np.testing.assert_array_equal(rep["analytic"], np.ravel(grads[name]))
        ours = numeric_grad(src, given, name).ravel()
        np.testing.assert_allclose(rep["numeric"], ours, rtol=1e-6, atol=1e-8)
    assert r["max_rel_error"] == max(rep["rel_error"] for rep in r["inputs"].values())


def _documented_rel_error(a, n, floors):
    """max |a − n| / max(|a|, |n|, floor), two zeros agreeing (gradcheck's documented measure)."""
    worst = 0.0
    for x, y, fl in zip(a, n, floors):
        den = max(abs(x), abs(y), fl)
        worst = max(worst, abs(x - y) / den if den else 0.0)
    return worst


def test_gradcheck_rel_error_is_as_documented():
    # step h = step·max(1, |x|) per element; floor = floor·step/h per element
    values = {"x": [0.3, -1.2, 2.0, 0.0, 40.0], "y": 1.5}
    src = "sum(sin(x) * y + relu(x) * x)"
    r = gradcheck(src, values)
    f = objective(src, values)
    assert r["floor"] == pytest.approx(1e-3 * max(1.0, abs(f)), rel=1e-12)
    for name, rep in r["inputs"].items():
        xs = np.ravel(values[name])[rep["indices"]]
        ours = [numeric_grad(src, values, name, step=r["step"] * max(1.0, abs(v))).ravel()[k]
                for k, v in zip(rep["indices"], xs)]
        np.testing.assert_allclose(rep["numeric"], ours, rtol=1e-9, atol=1e-12)
        floors = [r["floor"] / max(1.0, abs(v)) for v in xs]
        want = _documented_rel_error(rep["analytic"], rep["numeric"], floors)
        assert rep["rel_error"] == pytest.approx(want, rel=1e-9, abs=1e-300)


@pytest.mark.parametrize("x", [1e9, 1e12, -1e200])
def test_gradcheck_steps_relative_to_large_inputs(x):
    # An absolute step of 1e-6 vanishes next to 1e12 (x + h == x): the step scales with |x|.
    r = gradcheck("x * 2 + sum(v * x)", {"x": x, "v": [1.0, 3.0]})
    assert r["ok"] is True
    assert r["inputs"]["x"]["numeric"][0] == pytest.approx(6.0, rel=1e-6)
    assert r["inputs"]["v"]["numeric"] == pytest.approx([x, x], rel=1e-9)


@pytest.mark.parametrize("src,values", [
    ("sum(exp(x))", {"x": [-20.0, 0.0, 3.0]}),  # exp(-20) = 2e-9 is below the differences' resolution
    ("cross_entropy(z, labels)", {"z": [[9.0, -7.0, 0.5], [1.0, 12.0, -3.0]], "labels": [0, 1]}),
    ("x * 1e-6 + y * 1e6", {"x": 1.0, "y": 2.0}),
])
def test_gradcheck_is_ok_on_tiny_gradient_components(src, values):
    # Correct gradients far below eps·|f|/h must not read as errors (they did before the floor).
    r = gradcheck(src, values)
    assert r["ok"] is True, r


def test_gradcheck_flags_a_kink():
    # relu'(0) = 0 by convention but the central difference sees 1/2: relative error 1.
    r = gradcheck("sum(relu(x))", {"x": [0.0, 1.0]})
    assert r["ok"] is False
    assert r["inputs"]["x"]["rel_error"] == pytest.approx(1.0, rel=1e-6)
    assert r["max_rel_error"] >= r["tolerance"]


def test_gradcheck_samples_large_inputs():
    values = {"W": np.linspace(-1, 1, 1000).reshape(10, 100).tolist()}
    r = gradcheck("sum(W * W)", values)
    rep = r["inputs"]["W"]
    assert rep["total"] == 1000 and 1 < rep["checked"] <= 64
    assert rep["indices"] == sorted(set(rep["indices"])) and rep["indices"][0] == 0
    assert rep["indices"][-1] == 999
    w = np.ravel(values["W"])
    np.testing.assert_allclose(rep["analytic"], 2 * w[rep["indices"]], rtol=1e-15)


def test_gradcheck_non_finite_gradient_is_not_ok():
    r = gradcheck("log(x)", {"x": 0.0})
    assert r["ok"] is False
    assert math.isinf(r["max_rel_error"]) or math.isnan(decode(r["inputs"]["x"]["analytic"][0]))


def test_gradcheck_leaves_values_unperturbed():
    # Inputs restored after perturbation: the same report twice, and the graph's values intact.
    a = gradcheck("x * y", {"x": 2.0, "y": 3.0})
    b = gradcheck("x * y", {"x": 2.0, "y": 3.0})
    assert a == b and a["inputs"]["x"]["analytic"] == [3.0]
