"""The seeds' worked examples, with their exact numbers (CS231n backprop notes and MLP notes)."""

import math

import numpy as np
import pytest

from gatewise.engine import evaluate, to_dict

CS231N_ONE_LINE = """x = 3
y = -4
f = (x + sigmoid(y)) / (sigmoid(x) + (x + y)**2)"""

CS231N_STAGED = """x = 3
y = -4
sigy = 1.0 / (1 + exp(-y))
num = x + sigy
sigx = 1.0 / (1 + exp(-x))
xpy = x + y
xpysqr = xpy**2
den = sigx + xpysqr
invden = 1.0 / den
f = num * invden"""


def _cs231n_by_hand():
    """The notes' own staged forward and backward pass, in plain floats."""
    x, y = 3.0, -4.0
    sigy = 1.0 / (1 + math.exp(-y))
    num = x + sigy
    sigx = 1.0 / (1 + math.exp(-x))
    xpy = x + y
    xpysqr = xpy**2
    den = sigx + xpysqr
    invden = 1.0 / den
    f = num * invden
    dnum = invden
    dinvden = num
    dden = (-1.0 / (den**2)) * dinvden
    dsigx = dden
    dxpysqr = dden
    dxpy = (2 * xpy) * dxpysqr
    dx = dxpy
    dy = dxpy
    dx += ((1 - sigx) * sigx) * dsigx
    dx += dnum
    dsigy = dnum
    dy += ((1 - sigy) * sigy) * dsigy
    return f, dx, dy


def _named(graph):
    """Map user names to (value, grad)."""
    return {n["name"]: (n["value"], n["grad"]) for n in to_dict(graph)["nodes"] if n["name"]}


@pytest.mark.parametrize("source", [CS231N_ONE_LINE, CS231N_STAGED], ids=["one-line", "staged"])
def test_cs231n_circuit(source):
    f, dx, dy = _cs231n_by_hand()
    named = _named(evaluate(source))
    assert named["f"][0] == pytest.approx(f, rel=1e-15)
    assert named["f"][0] == pytest.approx(1.5456448841066441, rel=1e-12)
    assert named["x"][1] == pytest.approx(dx, rel=1e-12)
    assert named["y"][1] == pytest.approx(dy, rel=1e-12)
    assert named["x"][1] == pytest.approx(2.0595697955721652, rel=1e-12)
    assert named["y"][1] == pytest.approx(1.5922327514838093, rel=1e-12)


def test_cs231n_staged_intermediates():
    named = _named(evaluate(CS231N_STAGED))
    f, dx, dy = _cs231n_by_hand()
    den = 1 / (1 + math.exp(-3)) + 1.0
    assert named["den"][0] == pytest.approx(den)
    assert named["num"][1] == pytest.approx(1 / den)  # dnum = invden
    assert named["invden"][1] == pytest.approx(named["num"][0])  # dinvden = num
    assert named["xpy"][0] == -1.0


def test_sigmoid_neuron():
    src = "w = [2, -3, -3]\nx = [-1, -2]\ndot = w[0]*x[0] + w[1]*x[1] + w[2]\nf = sigmoid(dot)"
    named = _named(evaluate(src))
    assert named["f"][0] == pytest.approx(0.73, abs=5e-3)
    np.testing.assert_allclose(named["x"][1], [0.39, -0.59], atol=5e-3)
    np.testing.assert_allclose(named["w"][1], [-0.20, -0.39, 0.20], atol=5e-3)
    ddot = (1 - named["f"][0]) * named["f"][0]
    np.testing.assert_allclose(named["w"][1], [-1 * ddot, -2 * ddot, ddot], rtol=1e-12)


def test_matrix_product_gradients():
    rng = np.random.default_rng(0)
    W, X, dD = rng.normal(size=(5, 10)), rng.normal(size=(10, 3)), rng.normal(size=(5, 3))
    g = evaluate("D = W @ X\nL = sum(D * dD)", {"W": W.tolist(), "X": X.tolist(), "dD": dD.tolist()})
    named = _named(g)
    np.testing.assert_allclose(named["D"][0], W @ X, rtol=1e-12)
    np.testing.assert_allclose(named["W"][1], dD.dot(X.T), rtol=1e-12)
    np.testing.assert_allclose(named["X"][1], W.T.dot(dD), rtol=1e-12)
