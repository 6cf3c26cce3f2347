"""Conventions at kinks (PyTorch's) and agreement with PyTorch on the neural-network ops.

Each kink is checked on both engine paths: a scalar input (the float fast path) and a tensor input
(the NumPy path). Torch comparisons skip when torch is not installed.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from gradutil import as_value, decode, graph, input_grads, output

INF, NAN = math.inf, math.nan


def grads(src, values):
    """Input gradients of a program as arrays."""
    return input_grads(graph(src, values))


def both_paths(value):
    """The value as a scalar input and as a one-element tensor input."""
    return [value, [value]]


@pytest.mark.parametrize("x", both_paths(0.0))
@pytest.mark.parametrize("fn", ["relu", "abs"])
def test_relu_and_abs_at_zero_have_zero_gradient(fn, x):
    assert np.all(grads(f"{fn}(x)", {"x": x})["x"] == 0.0)


@pytest.mark.parametrize("x,relu,absd", [(1e-300, 1.0, 1.0), (-1e-300, 0.0, -1.0), (-0.0, 0.0, 0.0)])
def test_relu_and_abs_next_to_zero(x, relu, absd):
    for v in both_paths(x):
        assert np.all(grads("relu(x)", {"x": v})["x"] == relu)
        assert np.all(grads("abs(x)", {"x": v})["x"] == absd)


@pytest.mark.parametrize("fn", ["max", "min"])
@pytest.mark.parametrize("a", both_paths(1.5))
def test_max_min_ties_split_evenly(fn, a):
    g = grads(f"3 * {fn}(a, b)", {"a": a, "b": 1.5})
    assert np.all(g["a"] == 1.5) and np.all(g["b"] == 1.5)


def test_max_tie_under_broadcasting_sums_the_halves():
    # b is broadcast against three elements: two ties (1/2 each) and one win (1).
    g = grads("max(a, b)", {"a": [0.0, 0.0, -1.0], "b": 0.0})
    np.testing.assert_array_equal(g["a"], [0.5, 0.5, 0.0])
    assert g["b"] == 2.0


def test_rowmax_ties_share_the_gradient():
    g = grads("sum(w * rowmax(x))", {"x": [[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]], "w": [[2.0], [3.0]]})
    np.testing.assert_allclose(g["x"], [[0.0, 1.0, 1.0], [1.0, 1.0, 1.0]], rtol=1e-15)


# Base-0 gradients of a**b (PyTorch masks them): (a, b, d/da, d/db).
POW_AT_ZERO = [
    (0.0, 2.0, 0.0, 0.0),
    (0.0, 1.0, 1.0, 0.0),
    (0.0, 0.0, 0.0, 0.0),  # 0**0 = 1; both gradients masked
    (0.0, 0.5, INF, 0.0),
    (0.0, -1.0, -INF, -INF),  # y = inf, y·ln 0 = inf·(−inf)
    (2.0, 0.0, 0.0, math.log(2.0)),
]


@pytest.mark.parametrize("tensor", [False, True], ids=["scalar", "tensor"])
@pytest.mark.parametrize("a,b,da,db", POW_AT_ZERO)
def test_pow_gradient_conventions(a, b, da, db, tensor):
    wrap = (lambda v: [v]) if tensor else (lambda v: v)
    g = grads("a ** b", {"a": wrap(a), "b": wrap(b)})
    np.testing.assert_array_equal(np.ravel(g["a"]), [da])
    np.testing.assert_allclose(np.ravel(g["b"]), [db], rtol=1e-15)


def test_pow_of_negative_base():
    # Integer exponent: a real value and gradient; fractional exponent: NaN, as in IEEE and torch.
    d = graph("a ** 3", {"a": -2.0})
    assert output(d) == -8.0 and input_grads(d)["a"] == 12.0
    d = graph("a ** b", {"a": -2.0, "b": 0.5})
    assert math.isnan(output(d)) and math.isnan(input_grads(d)["a"])


# ---- PyTorch -----------------------------------------------------------------------------------


def torch_grads(fn, values):
    """Gradients of sum(fn(**tensors)) in torch float64."""
    torch = pytest.importorskip("torch")
    ts = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in values.items()}
    out = fn(torch, **ts)
    out.sum().backward()
    return out.detach().numpy(), {k: t.grad.numpy() for k, t in ts.items()}


def assert_like_torch(src, values, fn, labels=None):
    """Engine value and gradients equal torch's (labels are passed to both, not differentiated)."""
    torch = pytest.importorskip("torch")
    ref_out, ref = torch_grads(lambda mod, **ts: fn(mod, **ts, **({"labels": torch.tensor(labels)}
                                                              if labels is not None else {})), values)
    vals = dict(values, **({"labels": as_value(labels)} if labels is not None else {}))
    d = graph(src, vals)
    np.testing.assert_allclose(output(d), ref_out, rtol=1e-12, atol=1e-15, equal_nan=True)
    got = input_grads(d)
    for k in values:
        np.testing.assert_allclose(got[k], ref[k], rtol=1e-10, atol=1e-15, equal_nan=True, err_msg=k)


@pytest.mark.parametrize("a", [0.0, -2.0, 2.0, 0.5])
@pytest.mark.parametrize("b", [0.0, 1.0, 2.0, 3.0, 0.5, -1.0, -2.0])
def test_pow_matches_torch(a, b):
    assert_like_torch("a ** b", {"a": a, "b": b}, lambda t, a, b: a**b)
    assert_like_torch("a ** b", {"a": [a, 1.0], "b": [b, b]}, lambda t, a, b: a**b)


KINK_PROGRAMS = [
    ("relu(x)", {"x": [0.0, -1.0, 2.0]}, lambda t, x: t.relu(x)),
    ("abs(x)", {"x": [0.0, -1.0, 2.0]}, lambda t, x: t.abs(x)),
    ("abs(x)", {"x": [NAN, 0.0]}, lambda t, x: t.abs(x)),
    ("max(a, b)", {"a": [0.0, 1.0, 2.0], "b": [0.0, 2.0, 2.0]}, lambda t, a, b: t.maximum(a, b)),
    ("min(a, b)", {"a": [0.0, 1.0, 2.0], "b": [0.0, 2.0, 2.0]}, lambda t, a, b: t.minimum(a, b)),
    ("max(a, b)", {"a": 1.0, "b": 1.0}, lambda t, a, b: t.maximum(a, b)),
    ("rowmax(x)", {"x": [[1.0, 3.0, 3.0], [2.0, 2.0, 2.0], [5.0, 0.0, 1.0]]},
     lambda t, x: t.amax(x, dim=-1, keepdim=True)),
]


@pytest.mark.parametrize("src,values,fn", KINK_PROGRAMS, ids=[p[0] for p in KINK_PROGRAMS])
def test_kinks_match_torch(src, values, fn):
    assert_like_torch(src, values, fn)


@pytest.mark.parametrize("shape", [(5,), (3, 4)])
def test_nn_ops_match_torch_on_random_inputs(shape):
    rng = np.random.default_rng(len(shape))
    z, t = rng.normal(size=shape) * 3, rng.normal(size=shape)
    labels = rng.integers(0, shape[-1], shape[:-1])
    assert_like_torch("softmax(z)", {"z": z.tolist()}, lambda T, z: T.softmax(z, dim=-1))
    assert_like_torch("sum(t * softmax(z))", {"z": z.tolist(), "t": t.tolist()},
                      lambda T, z, t: (t * T.softmax(z, dim=-1)).sum())
    assert_like_torch("sigmoid(z)", {"z": z.tolist()}, lambda T, z: T.sigmoid(z))
    assert_like_torch("mse(z, t)", {"z": z.tolist(), "t": t.tolist()},
                      lambda T, z, t: T.nn.functional.mse_loss(z, t))
    assert_like_torch("cross_entropy(z, labels)", {"z": z.tolist()},
                      lambda T, z, labels: T.nn.functional.cross_entropy(z, labels), labels=labels.tolist())


def test_scalar_fast_paths_match_torch():
    rng = np.random.default_rng(7)
    for x, y in rng.normal(size=(5, 2)) * 2:
        assert_like_torch("sigmoid(x) * y", {"x": x, "y": y}, lambda T, x, y: T.sigmoid(x) * y)
        assert_like_torch("mse(x, y)", {"x": x, "y": y}, lambda T, x, y: (x - y) ** 2)


def test_two_layer_network_matches_torch():
    rng = np.random.default_rng(3)
    values = {"X": rng.normal(size=(4, 3)), "W1": rng.normal(size=(3, 5)), "b1": rng.normal(size=(5,)),
              "W2": rng.normal(size=(5, 2))}
    values = {k: v.tolist() for k, v in values.items()}
    src = "h = relu(X @ W1 + b1)\nloss = cross_entropy(h @ W2, labels)"
    assert_like_torch(src, values, lambda T, X, W1, b1, W2, labels: T.nn.functional.cross_entropy(
        T.relu(X @ W1 + b1) @ W2, labels), labels=[0, 1, 1, 0])


def test_json_grad_strings_decode():
    # Guards the helper used above: the engine's non-finite strings round-trip to floats.
    assert math.isinf(decode("Infinity")) and math.isnan(decode(["NaN"])[0])


# The expanded sigmoid 1 / (1 + exp(-x)) has a NaN gradient below x ≈ -709 (exp overflows and the
# chain rule multiplies 0 by inf, as torch's autograd of the same formula does); the fused gate gives 0.
SIGMOID_TERM = {False: " + sum(sigmoid(z) * w)", True: " + sum(sigmoid(z / 10) * w)"}


@pytest.mark.parametrize("expand", [False, True], ids=["folded", "expanded"])
def test_extreme_logits_match_torch(expand):
    # Shifted by the row maximum, folded and expanded: no overflow at ±1000, exact agreement with torch.
    torch = pytest.importorskip("torch")
    z = [[1000.0, -1000.0, 0.0], [-800.0, -800.0, -801.0], [1e-300, 0.0, -1e-300]]
    src = "cross_entropy(z, labels) + sum(softmax(z) * w)" + SIGMOID_TERM[expand]
    d = graph(src, {"z": z, "labels": [1, 2, 0], "w": [1.0, 2.0, 3.0]}, expand=expand)
    t = torch.tensor(z, dtype=torch.float64, requires_grad=True)
    w = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)
    ref = (torch.nn.functional.cross_entropy(t, torch.tensor([1, 2, 0])) + (t.softmax(-1) * w).sum()
           + ((t / 10 if expand else t).sigmoid() * w).sum())
    ref.backward()
    assert output(d) == pytest.approx(ref.item(), rel=1e-14)
    np.testing.assert_allclose(input_grads(d)["z"], t.grad.numpy(), rtol=1e-12, atol=1e-15)


# ---- the scalar fast path and the NumPy path agree on IEEE special values -----------------------

SPECIAL = [math.nan, INF, -INF, 0.0, -0.0, 1.0, -1.0, 0.5, 2.0, 1e308, 5e-324, 710.0, -710.0]
UNARY_SRC = ["-x", "exp(x)", "log(x)", "sqrt(x)", "abs(x)", "sin(x)", "cos(x)", "tanh(x)", "relu(x)",
             "sigmoid(x)", "sum(x)", "mean(x)"]
BINARY_SRC = ["x + y", "x - y", "x * y", "x / y", "x ** y", "max(x, y)", "min(x, y)", "mse(x, y)"]


def _same_on_both_paths(src, values):
    """Scalar and one-element-tensor runs agree (math and NumPy may differ by an ulp in values)."""
    a, b = graph(src, values), graph(src, {k: [v] for k, v in values.items()})
    np.testing.assert_allclose(np.ravel(output(a)), np.ravel(output(b)), rtol=1e-15, atol=0, equal_nan=True,
                               err_msg=f"{src} {values}")
    ga, gb = input_grads(a), input_grads(b)
    for k in values:
        np.testing.assert_allclose(np.ravel(ga[k]), np.ravel(gb[k]), rtol=1e-15, atol=0, equal_nan=True,
                                   err_msg=f"d/d{k} {src} {values}")


@pytest.mark.parametrize("src", UNARY_SRC)
def test_unary_paths_agree_on_special_values(src):
    for v in SPECIAL:
        _same_on_both_paths(src, {"x": v})


@pytest.mark.parametrize("src", BINARY_SRC)
def test_binary_paths_agree_on_special_values(src):
    for v in SPECIAL:
        for w in SPECIAL:
            _same_on_both_paths(src, {"x": v, "y": w})
