"""Tests generated from the op records (as JAX's LAX_GRAD_OPS): every registered op, on every shape
its shape rule accepts among a few, gets its gradient checked against central differences in float64.

The graph is built through the builder's own `apply` (no program text), so an op needs no syntax
here: a new record is covered by adding it. tests/test_new_ops.py runs the same check on ops
registered by a test.
"""

from __future__ import annotations

import itertools
import zlib

import numpy as np
import pytest

from gatewise import engine
from gatewise.engine.core.graph import objective
from gatewise.engine.core.limits import Limits
from gatewise.engine.lang.builder import Builder

SHAPES = [(2, 3), (3, 2), (3,), ()]
STEP = 1e-6
POS = (1, 1)


def _accepts(op, shapes, attr) -> bool:
    try:
        op.shape(*shapes, attr) if op.with_attr else op.shape(*shapes)
        return True
    except engine.EngineError:
        return False


def cases(op) -> list[tuple]:
    """(input shapes, attribute) the op's shape rule accepts; labels take the rows of the scores."""
    attr = (1,) if op.with_attr else None
    arity = 3 if op.variadic else len(op.params)
    found = []
    for combo in itertools.product(SHAPES, repeat=arity):
        shapes = list(combo)
        if op.labels is not None:
            k = op.params.index(op.labels)
            shapes[k] = shapes[0][:-1]
        if op.variadic and len(set(shapes)) > 1:
            continue
        if tuple(shapes) not in [c[0] for c in found] and _accepts(op, shapes, attr):
            found.append((tuple(shapes), attr))
    return found


def sample(op, shapes, rng, signed: bool) -> list:
    """Inputs away from kinks and ties: magnitudes in [0.5, 2], signed or not; labels in range."""
    out = []
    for p, s in enumerate(shapes):
        if op.labels is not None and p == op.params.index(op.labels):
            out.append(rng.integers(0, shapes[0][-1], s).astype(float))
            continue
        v = rng.uniform(0.5, 2.0, s) * (rng.choice([-1.0, 1.0], s) if signed else 1.0)
        out.append(float(v) if s == () else v)
    return out


def built(op, values, attr, cot):
    """sum(cot * op(inputs)) as a graph, through the builder (the scalar fast path where it applies)."""
    b = Builder({}, False, Limits())
    names = [f"x{p}" for p in range(len(values))]
    ins = [b.leaf("input", v, POS, n) for n, v in zip(names, values)]
    y = b.apply(op, ins, POS, attr=attr)
    c = b.leaf("const", cot, POS)
    g = b.graph
    g.output = b.apply(engine.OPS["sum"], [b.apply(engine.OPS["mul"], [y, c], POS)], POS)
    return g, ins


def numeric(g, i, k) -> float:
    """Central difference of the objective in element k of input node i."""
    base = g.values[i]
    fx = []
    for sign in (1.0, -1.0):
        if np.ndim(base):
            bumped = base.copy()
            bumped.flat[k] += sign * STEP
        else:
            bumped = base + sign * STEP
        g.values[i] = bumped
        g.forward()
        fx.append(objective(g))
    g.values[i] = base
    return (fx[0] - fx[1]) / (2 * STEP)


def check_record(op, shapes, attr, seed: int) -> None:
    """The op's gradient on these shapes equals central differences (signed inputs where finite)."""
    rng = np.random.default_rng(seed)
    with np.errstate(all="ignore"):
        for signed in (True, False):
            values = sample(op, shapes, rng, signed)
            g, ins = built(op, values, attr, 1.0)
            g.forward()
            if np.all(np.isfinite(g.values[g.args[g.output][0]])):
                break
        y_shape = g.shapes[g.args[g.args[g.output][0]][0]]
        cot = rng.uniform(0.5, 1.5, y_shape) * rng.choice([-1.0, 1.0], y_shape)
        g, ins = built(op, values, attr, float(cot) if y_shape == () else cot)
        g.forward()
        g.backward()
        for p, i in enumerate(ins):
            if op.vjps[min(p, len(op.vjps) - 1)] is None:
                assert g.grads[i] is None
                continue
            want = np.array([numeric(g, i, k) for k in range(int(np.prod(shapes[p], dtype=int)))])
            got = np.ravel(np.asarray(g.grads[i], dtype=np.float64))
            np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-7,
                                       err_msg=f"{op.name} d/d input {p}, shapes {shapes}")


CASES = [(name, s, a) for name, op in engine.OPS.items() for s, a in cases(op)]


def test_every_op_has_a_case():
    assert {name for name, _, _ in CASES} == set(engine.OPS)


@pytest.mark.parametrize("name,shapes,attr", CASES, ids=[f"{n}-{'x'.join(map(str, s))}" for n, s, _ in CASES])
def test_record_gradient_matches_central_differences(name, shapes, attr):
    check_record(engine.OPS[name], shapes, attr, zlib.crc32(f"{name}{shapes}".encode()))


def test_every_derived_closure_exists():
    for op in engine.OPS.values():
        assert len(op.vjps) == len(op.params) == len(op.formulas) == len(op.tex)
        assert all((v is None) == (t is None) for v, t in zip(op.vjps, op.trees))
        assert (op.local is None) == (op.scalar is None), op.name
