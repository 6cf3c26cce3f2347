"""The code people already have, pasted as it is: the seed notes' Python and NumPy, and micrograd."""

import math

import numpy as np
import pytest
from pasted import MICROGRAD_MORE_OPS, MICROGRAD_SANITY, NEURON, STAGED, VECTORIZED
from test_seeds import CS231N_STAGED, _cs231n_by_hand

from gatewise.engine import evaluate, to_dict


def _named(graph):
    """User names to (value, grad): the last node of each name (rebinding keeps the latest)."""
    return {n["name"]: (n["value"], n["grad"]) for n in to_dict(graph)["nodes"] if n["name"]}


def _grades(graph):
    """The verdicts on the hand-written lines, in program order."""
    return to_dict(graph)["handwritten"]


def test_the_sigmoid_neuron_as_pasted():
    graph = evaluate(NEURON)
    named = _named(graph)
    f = 1.0 / (1 + math.exp(-(2 * -1 + -3 * -2 + -3)))
    assert named["f"][0] == pytest.approx(f, rel=1e-15)
    assert named["f"][0] == pytest.approx(0.73, abs=5e-3)  # the notes' 0.73
    ddot = (1 - f) * f
    assert ddot == pytest.approx(0.2, abs=5e-3)  # the notes' local gradient (1 - 0.73) * 0.73 ~= 0.2
    np.testing.assert_allclose(named["x"][1], [2 * ddot, -3 * ddot], rtol=1e-12)
    np.testing.assert_allclose(named["w"][1], [-1 * ddot, -2 * ddot, ddot], rtol=1e-12)
    grades = _grades(graph)
    assert [(g["target"], g["verdict"]) for g in grades] == [("ddot", "right"), ("dx", "right"),
                                                             ("dw", "right")]
    np.testing.assert_allclose(grades[2]["value"], named["w"][1], rtol=1e-12)


def test_the_staged_circuit_as_pasted_with_every_backward_line_right():
    f, dx, dy = _cs231n_by_hand()
    graph = evaluate(STAGED)
    named = _named(graph)
    assert named["f"][0] == pytest.approx(f, rel=1e-15)
    assert named["x"][1] == pytest.approx(dx, rel=1e-12)
    assert named["y"][1] == pytest.approx(dy, rel=1e-12)
    grades = _grades(graph)
    targets = ["dnum", "dinvden", "dden", "dsigx", "dxpysqr", "dxpy", "dx", "dy", "dx", "dx", "dsigy", "dy"]
    assert [g["target"] for g in grades] == targets
    assert [g["how"] for g in grades].count("+=") == 3
    assert all(g["verdict"] == "right" for g in grades), [g["message"] for g in grades]
    # The notes' numbers: the last dx and dy lines hold the whole gradients.
    last = {g["target"]: g for g in grades}
    assert last["dx"]["value"] == pytest.approx(2.0595697955721652, rel=1e-12)
    assert last["dy"]["value"] == pytest.approx(1.5922327514838093, rel=1e-12)
    # The first dx line (#(4)) holds only the branch through xpy, and is right as such.
    first_dx = grades[targets.index("dx")]
    assert first_dx["value"] == pytest.approx(2 * (3 - 4) * named["xpysqr"][1], rel=1e-12)
    assert first_dx["value"] != pytest.approx(dx)


def test_the_staged_circuit_is_the_same_graph_as_the_gatewise_spelling():
    ours, theirs = to_dict(evaluate(CS231N_STAGED)), to_dict(evaluate(STAGED))
    strip = [{k: n[k] for k in ("op", "value", "grad", "name")} for n in ours["nodes"]]
    assert strip == [{k: n[k] for k in ("op", "value", "grad", "name")} for n in theirs["nodes"]]


def test_the_vectorized_product_as_pasted():
    graph = evaluate(VECTORIZED)
    named = _named(graph)
    W, X = np.array(named["W"][0]), np.array(named["X"][0])
    assert W.shape == (5, 10) and X.shape == (10, 3)
    np.testing.assert_allclose(named["D"][0], W.dot(X), rtol=1e-12)
    grades = _grades(graph)
    assert [(g["target"], g["verdict"]) for g in grades] == [("dD", "given"), ("dW", "right"),
                                                             ("dX", "right")]
    dD = np.array(grades[0]["value"])
    assert dD.shape == (5, 3)
    np.testing.assert_allclose(named["W"][1], dD.dot(X.T), rtol=1e-12)  # the notes' dW
    np.testing.assert_allclose(named["X"][1], W.T.dot(dD), rtol=1e-12)  # the notes' dX
    assert to_dict(graph)["seed"] == "given"
    # Reproducible: the same program draws the same numbers.
    np.testing.assert_array_equal(_named(evaluate(VECTORIZED))["W"][0], named["W"][0])


def test_a_seed_line_draws_numpys_own_numbers():
    graph = evaluate("np.random.seed(0)\n" + VECTORIZED)
    named = _named(graph)
    rng = np.random.RandomState(0)
    W, X, dD = rng.randn(5, 10), rng.randn(10, 3), rng.randn(5, 3)
    np.testing.assert_array_equal(named["W"][0], W)
    np.testing.assert_array_equal(named["X"][0], X)
    np.testing.assert_array_equal(_grades(graph)[0]["value"], dD)
    np.testing.assert_allclose(named["W"][1], dD.dot(X.T), rtol=1e-12)


def _torch_sanity(torch):
    """micrograd's test_sanity_check, its PyTorch half."""
    x = torch.Tensor([-4.0]).double()
    x.requires_grad = True
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    y = h + q + q * x
    y.backward()
    return {"y": y.item()}, {"x": x.grad.item()}


def _torch_more_ops(torch):
    """micrograd's test_more_ops, its PyTorch half."""
    a = torch.Tensor([-4.0]).double()
    b = torch.Tensor([2.0]).double()
    a.requires_grad = True
    b.requires_grad = True
    c = a + b
    d = a * b + b**3
    c = c + c + 1
    c = c + 1 + c + (-a)
    d = d + d * 2 + (b + a).relu()
    d = d + 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g = g + 10.0 / f
    g.backward()
    return {"g": g.item()}, {"a": a.grad.item(), "b": b.grad.item()}


@pytest.mark.parametrize("body,reference", [(MICROGRAD_SANITY, _torch_sanity),
                                            (MICROGRAD_MORE_OPS, _torch_more_ops)],
                         ids=["test_sanity_check", "test_more_ops"])
def test_micrograds_engine_tests_against_pytorch(body, reference):
    torch = pytest.importorskip("torch")
    values, grads = reference(torch)
    graph = evaluate(body)
    named = _named(graph)
    out = graph.names[graph.output]
    assert out in values  # y.backward() / g.backward() chose the output
    assert abs(graph.values[graph.output] - values[out]) <= 1e-12 * max(1.0, abs(values[out]))
    for name, want in grads.items():
        assert abs(named[name][1] - want) <= 1e-12 * max(1.0, abs(want)), (name, named[name][1], want)
