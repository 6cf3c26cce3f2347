"""Property-based tests over random shapes: broadcasting pairs, products, row ops, labels, indices.

Each program is `y = <expr>; sum(cot * y)` with a random cotangent, checked against NumPy for the
value and against central differences for every input's gradient.
"""

from __future__ import annotations

import numpy as np
from gradutil import as_value, assert_grads_match, cross_entropy, decode, softmax
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gatewise.engine import EngineError, evaluate

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DIM = st.integers(1, 3)


# expression, numpy reference, sampler of the second operand (the first is always moderate)
BINARY = {
    "add": ("a + b", np.add, "any"), "sub": ("a - b", np.subtract, "any"),
    "mul": ("a * b", np.multiply, "any"), "div": ("a / b", np.divide, "nonzero"),
    "pow": ("a ** b", np.power, "any"), "max": ("max(a, b)", np.maximum, "offgrid"),
    "min": ("min(a, b)", np.minimum, "offgrid"),
    "mse": ("mse(a, b)", lambda a, b: np.mean((a - b) ** 2), "any"),
}


@st.composite
def broadcast_shapes(draw):
    """Two shapes that broadcast together (dims dropped on the left or set to 1)."""
    full = draw(st.lists(DIM, max_size=3))

    def side():
        """One operand's shape."""
        nd = draw(st.integers(0, len(full)))
        return tuple(d if draw(st.booleans()) else 1 for d in full[len(full) - nd:])

    return side(), side()


def _sample(kind, shape, rng):
    """Values for one operand, on the op's domain."""
    if kind == "pos":
        return rng.uniform(0.5, 2.0, shape)
    if kind == "nonzero":
        return rng.choice([-1.0, 1.0], shape) * rng.uniform(0.3, 2.0, shape)
    if kind == "grid":
        return rng.integers(-4, 4, shape) * 0.5
    if kind == "offgrid":  # a quarter away from every grid value: no ties
        return rng.integers(-4, 4, shape) * 0.5 + 0.25
    return rng.uniform(-2.0, 2.0, shape)


def check(expr, arrays, ref, labels=()):
    """Value against NumPy, gradients against central differences, through a random cotangent."""
    rng = np.random.default_rng(len(expr))
    want = np.asarray(ref(**arrays), dtype=np.float64)
    arrays = dict(arrays, cot=rng.uniform(0.5, 1.5, want.shape))
    values = {k: as_value(v) for k, v in arrays.items()}
    d = assert_grads_match(f"y = {expr}\nsum(cot * y)", values, skip=labels)
    (y,) = [n for n in d["nodes"] if n["name"] == "y"]
    np.testing.assert_allclose(decode(y["value"]), want, rtol=1e-12, atol=1e-14)


@SETTINGS
@given(st.sampled_from(sorted(BINARY)), broadcast_shapes(), st.integers(0, 2**32 - 1))
def test_broadcasting_binary_ops(op, shapes, seed):
    expr, fn, kind_b = BINARY[op]
    rng = np.random.default_rng(seed)
    kind_a = {"pow": "pos", "max": "grid", "min": "grid"}.get(op, "any")
    a, b = _sample(kind_a, shapes[0], rng), _sample(kind_b, shapes[1], rng)
    check(expr, {"a": a, "b": b}, lambda a, b, cot=None: fn(a, b))


@SETTINGS
@given(st.sampled_from([1, 2]), st.sampled_from([1, 2]), DIM, DIM, DIM, st.integers(0, 2**32 - 1))
def test_matmul_shapes(a_nd, b_nd, n, k, m, seed):
    rng = np.random.default_rng(seed)
    a = rng.uniform(-2, 2, (n, k) if a_nd == 2 else (k,))
    b = rng.uniform(-2, 2, (k, m) if b_nd == 2 else (k,))
    check("a @ b", {"a": a, "b": b}, lambda a, b: a @ b)
    # a mismatched inner dimension is a shape error naming both shapes
    bad = rng.uniform(-2, 2, (k + 1, m) if b_nd == 2 else (k + 1,))
    try:
        evaluate("a @ b", {"a": as_value(a), "b": as_value(bad)})
        raise AssertionError("expected a shape error")
    except EngineError as e:
        assert e.kind == "shape" and str(tuple(a.shape)) in e.message


SHAPE_OPS = ["softmax", "rowsum", "rowmax", "cross_entropy", "pick", "transpose", "index", "stack"]


@SETTINGS
@given(st.sampled_from(SHAPE_OPS), st.booleans(), DIM, st.integers(1, 4), st.integers(0, 2**32 - 1))
def test_shape_ops(op, matrix, n, m, seed):
    rng = np.random.default_rng(seed)
    shape = (n, m) if matrix else (m,)
    # distinct values (rowmax has no ties), spread like moderate inputs
    size = int(np.prod(shape))
    x = (rng.permutation(size).reshape(shape) - size / 2) * 0.5 + rng.uniform(0, 0.1, shape)
    if op in ("cross_entropy", "pick"):
        lab = rng.integers(0, m, shape[:-1]).astype(float)
        ref = cross_entropy if op == "cross_entropy" else (
            lambda x, labels: x[int(labels)] if x.ndim == 1 else x[np.arange(n), labels.astype(int)])
        check(f"{op}(x, labels)", {"x": x, "labels": lab}, lambda x, labels: ref(x, labels),
              labels=("labels",))
    elif op == "index":
        i = int(rng.integers(-shape[0], shape[0]))
        check(f"x[{i}]", {"x": x}, lambda x: x[i])
        if matrix:
            j = int(rng.integers(-m, m))
            check(f"x[{i}, {j}]", {"x": x}, lambda x: x[i, j])
    elif op == "stack":
        check("[x, 2 * x, x * x]", {"x": x}, lambda x: np.stack([x, 2 * x, x * x]))
    else:
        fns = {"softmax": softmax, "rowsum": lambda x: x.sum(-1, keepdims=True),
               "rowmax": lambda x: x.max(-1, keepdims=True), "transpose": np.transpose}
        check(f"{op}(x)", {"x": x}, lambda x: fns[op](x))
