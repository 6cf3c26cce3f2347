"""A hand-written backward pass is graded line by line; each classic mistake is named at its line."""

import numpy as np
import pytest
from pasted import NEURON, STAGED, VECTORIZED

from gatewise.engine import evaluate, gradcheck, to_dict
from gatewise.engine.core.messages import render


def _line_of(src: str, text: str) -> int:
    """The 1-based line of the first line that starts with `text`."""
    return next(k for k, line in enumerate(src.split("\n"), 1) if line.startswith(text))


def _verdicts(src: str) -> dict:
    """Line number -> verdict."""
    return {g["line"]: g for g in to_dict(evaluate(src))["handwritten"]}


def _plant(src: str, old: str, new: str) -> tuple[str, int]:
    """The program with one line's start replaced, and that line's number."""
    assert old in src
    return src.replace(old, new, 1), _line_of(src, old)


# (program, the line as the notes write it, the mistake planted, the mistake's name)
MISTAKES = [
    (STAGED, "dx += ((1 - sigx) * sigx) * dsigx", "dx = ((1 - sigx) * sigx) * dsigx", "overwrite"),
    (STAGED, "dy += ((1 - sigy) * sigy) * dsigy", "dy = ((1 - sigy) * sigy) * dsigy", "overwrite"),
    (STAGED, "dden = (-1.0 / (den**2)) * dinvden", "dden = (-1.0 / (den**2))", "upstream"),
    (STAGED, "dxpy = (2 * xpy) * dxpysqr", "dxpy = (2 * xpy)", "upstream"),
    (STAGED, "dden = (-1.0 / (den**2)) * dinvden", "dden = (1.0 / (den**2)) * dinvden", "sign"),
    (STAGED, "dx += (1) * dnum", "dx += (1) * dnum * 2", "wrong"),
    (VECTORIZED, "dW = dD.dot(X.T)", "dW = X.dot(dD.T)", "transposed"),
    (VECTORIZED, "dX = W.T.dot(dD)", "dX = W.T.dot(dD) + 1", "wrong"),
    (VECTORIZED, "dW = dD.dot(X.T)", "dW = dD.dot(X)", "shape"),
    (NEURON, "ddot = (1 - f) * f", "ddot = f * f", "wrong"),
]


@pytest.mark.parametrize("src,old,new,mistake", MISTAKES, ids=[f"{m[3]}:{m[2]}" for m in MISTAKES])
def test_a_planted_mistake_is_marked_wrong_at_its_line(src, old, new, mistake):
    planted, where = _plant(src, old, new)
    verdicts = _verdicts(planted)
    assert all(v["verdict"] in ("right", "given") for k, v in verdicts.items() if k < where)
    v = verdicts[where]
    assert v["verdict"] in ("wrong", "error") and v["mistake"] == mistake, v
    assert v["target"] == new.split()[0]
    if mistake in ("transposed", "shape"):
        assert "dW = dD.dot(X.T)" in v["message"]  # the product rule, in the program's names
        # Printed from matmul's record (its forward and both derivatives), as generated code writes them.
        assert "For D = W.dot(X): dW = dD.dot(X.T), dX = W.T.dot(dD)." in v["message"]
        hint = v["params"]["hint"]
        zh = " 对于 D = W.dot(X)：dW = dD.dot(X.T)、dX = W.T.dot(dD)。"
        assert render(hint["code"], hint["params"], "zh") == zh
    if mistake == "overwrite":
        assert "+=" in v["message"]


def test_the_unplanted_programs_are_all_right():
    for src in (STAGED, NEURON, VECTORIZED):
        assert {v["verdict"] for v in _verdicts(src).values()} <= {"right", "given"}


def test_a_mistake_downstream_is_inherited_not_blamed():
    planted, where = _plant(STAGED, "dden = (-1.0 / (den**2)) * dinvden", "dden = (-1.0 / (den**2))")
    verdicts = _verdicts(planted)
    dsigx = verdicts[_line_of(planted, "dsigx")]
    assert dsigx["verdict"] == "wrong" and dsigx["mistake"] == "propagated"
    assert f"line {where}" in dsigx["message"] and "dden" in dsigx["message"]


def test_a_missing_branch_marks_the_last_line_of_that_name():
    planted, _ = _plant(STAGED, "dx += (1) * dnum", "# dx += (1) * dnum")
    verdicts = _verdicts(planted)
    last_dx = verdicts[_line_of(planted, "dx += ((1 - sigx)")]
    assert last_dx["verdict"] == "wrong" and last_dx["mistake"] == "incomplete"
    assert "num (line" in last_dx["message"]
    graph = evaluate(planted)
    assert last_dx["expected"] == pytest.approx(graph.grads[graph.inputs["x"]], rel=1e-12)


def test_partial_sums_at_a_fan_out_are_right_in_any_order():
    src = "x = 3\na = x * x\nb = 2 * x\nf = a + b\ndb = 1\nda = 1\ndx = 2 * x * da\ndx += 2 * db"
    assert [v["verdict"] for v in _verdicts(src).values()] == ["right"] * 4
    src = "x = 3\na = x * x\nb = 2 * x\nf = a + b\ndx = 2\ndx += 2 * x"  # b's branch first
    assert [v["verdict"] for v in _verdicts(src).values()] == ["right"] * 2


def test_verdicts_carry_values_positions_and_gates():
    graph = evaluate(STAGED)
    out = to_dict(graph)
    ids = {n["id"] for n in out["nodes"]}
    edges = {e["id"] for e in out["edges"]}
    for v in out["handwritten"]:
        assert v["node"] in ids and set(v["gates"]) <= edges and v["gates"]
        assert v["column"] == 1 and v["value"] == pytest.approx(v["expected"], rel=1e-12)
    dnum = out["handwritten"][0]
    num = next(n for n in out["nodes"] if n["id"] == dnum["node"])
    assert num["name"] == "num" and dnum["value"] == pytest.approx(num["grad"], rel=1e-12)


def test_a_broken_line_is_an_error_verdict_not_a_failed_request():
    src = STAGED.replace("dsigx = (1) * dden", "dsigx = (1) * ddem")
    verdicts = _verdicts(src)
    broken = verdicts[_line_of(src, "dsigx =")]
    assert broken["verdict"] == "error" and "'ddem'" in broken["message"]
    later = verdicts[_line_of(src, "dx += ((1 - sigx)")]
    assert later["verdict"] == "error" and "dsigx" in later["message"]


def test_accumulating_before_assigning_is_an_error_verdict():
    v = _verdicts("x = 2\nf = x * x\ndx += 2 * x")
    assert v[3]["verdict"] == "error" and "before any 'dx = …'" in v[3]["message"]


def test_forward_code_cannot_read_a_backward_name():
    with pytest.raises(Exception) as info:
        evaluate("x = 2\nf = x * x\ndx = 2 * x\ng = dx + 1")
    assert "hand-written backward pass" in str(info.value)


def test_d_names_before_any_gate_stay_forward_code():
    graph = evaluate("x = 2\ndx = x * x\nddx = dx * x")
    assert graph.names[graph.output] == "ddx" and graph.values[graph.output] == 8.0
    assert not graph.handwritten


def test_the_given_upstream_gradient_drives_the_engines_backward_pass():
    graph = evaluate("np.random.seed(3)\nW = np.random.randn(2, 3)\nX = np.random.randn(3, 4)\nD = W.dot(X)\n"
                     "dD = np.ones(D.shape) * 2")
    W, X = graph.values[graph.inputs["W"]], graph.values[graph.inputs["X"]]
    np.testing.assert_allclose(graph.grads[graph.inputs["W"]], (2 * np.ones((2, 4))).dot(X.T), rtol=1e-12)
    assert to_dict(graph)["seed"] == "given" and W.shape == (2, 3)


def test_gradients_from_a_given_upstream_pass_the_numeric_check():
    report = gradcheck(VECTORIZED)
    assert report["ok"] and report["max_rel_error"] < 1e-6


def test_backward_lines_share_the_programs_element_budget():
    from gatewise.engine import EngineError, Limits

    limits = Limits(max_total_elements=100_000)
    src = "W = np.ones((100, 100))\nf = sum(W * W)\n" + "dW = W * 2\n" * 10
    with pytest.raises(EngineError) as info:
        evaluate(src, limits=limits)
    assert info.value.kind == "budget" and "elements in all" in info.value.message
    evaluate("W = np.ones((100, 100))\nf = sum(W * W)\ndW = W * 2", limits=limits)  # one line fits
