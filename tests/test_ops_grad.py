"""Every op in the op table, checked against NumPy by hand and against central differences.

The spec below has one entry per op name in engine.OPS (a test fails if a new op has none), with
scalar, tensor and broadcasting cases on each op's domain. Each case is wrapped as
`y = <expr>; sum(cot * y)` with a random cotangent `cot`, so the upstream gradient reaching the op is
not all ones (a vjp that ignored its upstream gradient would pass under a ones seed).
"""

from __future__ import annotations

import zlib
from typing import NamedTuple

import numpy as np
import pytest
from gradutil import as_value, assert_grads_match, cross_entropy, decode, nodes_by_id, softmax

from gatewise import engine


class Case(NamedTuple):
    """One program for one op: its expression, input shapes, samplers, reference and labels."""

    op: str
    expr: str
    inputs: dict  # name -> (shape, sampler(shape, rng)) ; labels give a fixed array instead
    ref: object  # numpy reference of the expression, on a dict of arrays
    labels: tuple = ()  # inputs that are class labels: no gradient


def anyv(shape, rng):
    """Anywhere in a moderate range."""
    return rng.uniform(-2.0, 2.0, shape)


def pos(shape, rng):
    """Strictly positive (log, sqrt, the base of pow)."""
    return rng.uniform(0.5, 2.5, shape)


def nonzero(shape, rng):
    """Away from zero (a divisor; abs and relu away from their kink)."""
    return rng.choice([-1.0, 1.0], shape) * rng.uniform(0.3, 2.0, shape)


def grid_a(shape, rng):
    """Quarter-offset grid: never within 0.25 of grid_b, so max/min have no ties."""
    return rng.integers(-4, 4, shape) * 0.5 + 0.25


def grid_b(shape, rng):
    """Half-integer grid."""
    return rng.integers(-4, 4, shape) * 0.5


def distinct(shape, rng):
    """Values at least 0.5 apart, so row maxima are unique."""
    return rng.permutation(int(np.prod(shape))).reshape(shape) * 0.5 + rng.uniform(0, 0.1, shape)


def fixed(arr):
    """A sampler that always returns the given array (class labels)."""
    return lambda shape, rng: np.array(arr, dtype=np.float64)


def sigmoid(x):
    """Logistic function by hand."""
    return 1.0 / (1.0 + np.exp(-x))


def pick(x, labels):
    """x[i, labels[i]] by hand."""
    if x.ndim == 1:
        return x[int(labels)]
    return x[np.arange(x.shape[0]), labels.astype(int)]


BINARY = {
    "add": ("a + b", np.add, anyv, anyv),
    "sub": ("a - b", np.subtract, anyv, anyv),
    "mul": ("a * b", np.multiply, anyv, anyv),
    "div": ("a / b", np.divide, anyv, nonzero),
    "pow": ("a ** b", np.power, pos, anyv),
    "max": ("max(a, b)", np.maximum, grid_a, grid_b),
    "min": ("min(a, b)", np.minimum, grid_a, grid_b),
}
# scalar/scalar, equal shapes, (3,1) with (1,4), (2,3) with (3,), scalar with matrix both ways
BROADCASTS = [((), ()), ((2, 3), (2, 3)), ((3, 1), (1, 4)), ((2, 3), (3,)), ((), (2, 3)), ((2, 3), ())]

UNARY = {
    "neg": ("-x", np.negative, anyv),
    "exp": ("exp(x)", np.exp, anyv),
    "log": ("log(x)", np.log, pos),
    "sqrt": ("sqrt(x)", np.sqrt, pos),
    "abs": ("abs(x)", np.abs, nonzero),
    "sin": ("sin(x)", np.sin, anyv),
    "cos": ("cos(x)", np.cos, anyv),
    "tanh": ("tanh(x)", np.tanh, anyv),
    "relu": ("relu(x)", lambda x: np.maximum(x, 0.0), nonzero),
    "sigmoid": ("sigmoid(x)", sigmoid, anyv),
    "sum": ("sum(x)", np.sum, anyv),
    "mean": ("mean(x)", np.mean, anyv),
}
UNARY_SHAPES = [(), (4,), (2, 3)]


def _spec() -> dict[str, list[Case]]:
    """The test spec, keyed by op name."""
    spec: dict[str, list[Case]] = {}
    for op, (expr, fn, sa, sb) in BINARY.items():
        spec[op] = [Case(op, expr, {"a": (s, sa), "b": (t, sb)}, lambda v, fn=fn: fn(v["a"], v["b"]))
                    for s, t in BROADCASTS]
    spec["pow"].append(Case("pow", "a ** 3", {"a": ((2, 2), anyv)}, lambda v: v["a"] ** 3))
    for op, (expr, fn, sampler) in UNARY.items():
        spec[op] = [Case(op, expr, {"x": (s, sampler)}, lambda v, fn=fn: fn(v["x"])) for s in UNARY_SHAPES]
    rows = {
        "rowsum": ("rowsum(x)", lambda x: x.sum(axis=-1, keepdims=True), anyv),
        "rowmax": ("rowmax(x)", lambda x: x.max(axis=-1, keepdims=True), distinct),
        "softmax": ("softmax(x)", softmax, anyv),
    }
    for op, (expr, fn, sampler) in rows.items():
        spec[op] = [Case(op, expr, {"x": (s, sampler)}, lambda v, fn=fn: fn(v["x"])) for s in [(4,), (2, 3)]]
    mm = lambda v: v["a"] @ v["b"]
    spec["matmul"] = [Case("matmul", "a @ b", {"a": (s, anyv), "b": (t, anyv)}, mm)
                      for s, t in [((2, 3), (3, 4)), ((3,), (3, 4)), ((2, 3), (3,)), ((3,), (3,))]]
    spec["matmul"].append(Case("matmul", "dot(a, b)", {"a": ((2, 2), anyv), "b": ((2, 3), anyv)}, mm))
    tr = lambda v: np.transpose(v["x"])
    spec["transpose"] = [Case("transpose", e, {"x": (s, anyv)}, tr)
                         for e, s in [("x.T", (2, 3)), ("transpose(x)", (3, 2)), ("x.T", (3,)),
                                      ("transpose(x)", ())]]
    ab = {"a": ((), anyv), "b": ((), anyv)}
    spec["stack"] = [
        Case("stack", "[a, b]", ab, lambda v: np.stack([v["a"], v["b"]])),
        Case("stack", "[[a, b], [b, 2 * a]]", ab,
             lambda v: np.array([[v["a"], v["b"]], [v["b"], 2 * v["a"]]])),
        Case("stack", "[a, b, a * b]", {"a": ((3,), anyv), "b": ((3,), anyv)},
             lambda v: np.stack([v["a"], v["b"], v["a"] * v["b"]])),
    ]
    spec["index"] = [Case("index", e, {"x": (s, anyv)}, lambda v, f=f: f(v["x"]))
                     for e, s, f in [("x[1]", (3,), lambda x: x[1]), ("x[1]", (2, 3), lambda x: x[1]),
                                     ("x[1, 2]", (2, 3), lambda x: x[1, 2]), ("x[-1]", (4,), lambda x: x[-1]),
                                     ("x[0][2]", (2, 3), lambda x: x[0][2])]]
    for op, fn in (("pick", pick), ("cross_entropy", cross_entropy)):
        spec[op] = [
            Case(op, f"{op}(x, labels)", {"x": ((4,), anyv), "labels": ((), fixed(3))},
                 lambda v, fn=fn: fn(v["x"], v["labels"]), labels=("labels",)),
            Case(op, f"{op}(x, labels)", {"x": ((3, 4), anyv), "labels": ((3,), fixed([2, 0, 3]))},
                 lambda v, fn=fn: fn(v["x"], v["labels"]), labels=("labels",)),
        ]
    mse = lambda v: np.mean((v["a"] - v["b"]) ** 2)
    spec["mse"] = [Case("mse", "mse(a, b)", {"a": (s, anyv), "b": (t, anyv)}, mse)
                   for s, t in [((), ()), ((2, 3), (2, 3)), ((2, 3), (3,)), ((), (4,))]]
    return spec


SPEC = _spec()
CASES = [(k, c) for cases in SPEC.values() for k, c in enumerate(cases)]


def _case_id(kc) -> str:
    """A readable test id: op, case number and input shapes."""
    k, c = kc
    shapes = "x".join(str(list(s)).replace(" ", "") for s, _ in c.inputs.values())
    return f"{c.op}-{k}-{shapes}"


def test_spec_covers_every_op():
    # A new op in the table must come with a spec entry here (and therefore gradient tests).
    assert set(SPEC) == set(engine.OPS)
    assert all(SPEC[name] for name in engine.OPS)


def test_every_callable_function_is_exercised():
    called = " ".join(c.expr for _, c in CASES)
    for fname in engine.FUNCTIONS:
        assert f"{fname}(" in called, fname


@pytest.mark.parametrize("kc", CASES, ids=[_case_id(kc) for kc in CASES])
def test_op_value_and_gradient(kc):
    k, case = kc
    rng = np.random.default_rng(zlib.crc32(f"{case.op}-{k}".encode()))  # stable across runs
    arrays = {name: np.asarray(sampler(shape, rng), dtype=np.float64)
              for name, (shape, sampler) in case.inputs.items()}
    expected = np.asarray(case.ref(arrays), dtype=np.float64)
    arrays["cot"] = rng.uniform(0.5, 1.5, expected.shape) * rng.choice([-1.0, 1.0], expected.shape)
    values = {name: as_value(a) for name, a in arrays.items()}
    src = f"y = {case.expr}\nsum(cot * y)"

    d = assert_grads_match(src, values, skip=case.labels)
    nodes = nodes_by_id(d)
    ops_used = {n["op"] for n in d["nodes"]}
    assert case.op in ops_used, (case.op, ops_used)
    (y,) = [n for n in d["nodes"] if n["name"] == "y"]
    assert y["shape"] == list(expected.shape)
    np.testing.assert_allclose(decode(y["value"]), expected, rtol=1e-12, atol=1e-14)
    out = decode(nodes[d["output"]]["value"])
    assert out == pytest.approx(float(np.sum(arrays["cot"] * expected)), rel=1e-12, abs=1e-14)
    for name in case.labels:
        assert nodes[d["inputs"][name]]["grad"] is None
