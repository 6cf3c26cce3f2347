"""Shared helpers for the engine tests: JSON decoding and an independent central-difference check.

The finite differences here use only the public API (evaluate + to_dict, perturbing `values`), so
they do not share code with engine.gradcheck or with any vjp.
"""

from __future__ import annotations

import math

import numpy as np

from gatewise.engine import evaluate, to_dict

STEP = 1e-6
_SPECIAL = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


def decode(v):
    """A JSON value or grad (number, special string, nested list, None) as a float64 array or None."""
    if v is None:
        return None
    if isinstance(v, str):
        return np.float64(_SPECIAL[v])
    if isinstance(v, list):
        return np.array([decode(x) for x in v], dtype=np.float64)
    return np.float64(v)


def graph(src: str, values: dict | None = None, **kw) -> dict:
    """Evaluate a program and return its to_dict()."""
    return to_dict(evaluate(src, values, **kw))


def nodes_by_id(d: dict) -> dict:
    """Node records keyed by id."""
    return {n["id"]: n for n in d["nodes"]}


def output(d: dict) -> np.ndarray:
    """The output node's value."""
    return decode(nodes_by_id(d)[d["output"]]["value"])


def input_grads(d: dict) -> dict:
    """Input name -> gradient array (None if the input gets no gradient)."""
    by_id = nodes_by_id(d)
    return {name: decode(by_id[key]["grad"]) for name, key in d["inputs"].items()}


def as_value(a: np.ndarray):
    """An array as a `values` entry: a float for 0-d, a nested list otherwise."""
    a = np.asarray(a, dtype=np.float64)
    return float(a) if a.ndim == 0 else a.tolist()


def objective(src: str, values: dict, **kw) -> float:
    """What backward() differentiates: the output, or the sum of a tensor output."""
    return float(np.sum(output(graph(src, values, **kw))))


def numeric_grad(src: str, values: dict, name: str, step: float = STEP, **kw) -> np.ndarray:
    """Central differences of the objective in every element of one input, via `values`."""
    base = np.array(values[name], dtype=np.float64)
    out = np.zeros(base.shape)
    for k in np.ndindex(base.shape):
        fx = []
        for sign in (1.0, -1.0):
            bumped = base.copy()
            bumped[k] += sign * step
            fx.append(objective(src, {**values, name: as_value(bumped)}, **kw))
        out[k] = (fx[0] - fx[1]) / (2 * step)
    return out


def assert_grads_match(src: str, values: dict, skip=(), rtol=1e-6, atol=1e-7, **kw) -> dict:
    """Every input's engine gradient equals central differences; returns the graph dict."""
    d = graph(src, values, **kw)
    grads = input_grads(d)
    assert set(grads) == set(values), (set(grads), set(values))
    for name in values:
        if name in skip:
            continue
        num = numeric_grad(src, values, name, **kw)
        got = grads[name]
        assert got is not None, f"{name} got no gradient"
        assert np.shape(got) == num.shape, (name, np.shape(got), num.shape)
        np.testing.assert_allclose(got, num, rtol=rtol, atol=atol, err_msg=f"d/d{name} of {src!r}")
    return d


# ---- references written by hand, shared by the op-table and shape-property tests ----

def softmax(z):
    """Softmax over the last axis by hand."""
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def cross_entropy(z, labels):
    """Mean negative log-likelihood, as F.cross_entropy, by hand."""
    z2, lab = np.atleast_2d(z), np.atleast_1d(labels).astype(int)
    logp = z2 - z2.max(axis=1, keepdims=True)
    logp = logp - np.log(np.exp(logp).sum(axis=1, keepdims=True))
    return -np.mean(logp[np.arange(len(lab)), lab])
