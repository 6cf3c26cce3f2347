"""A classifier's prediction over a grid of its two features (the decision-boundary view).

The program is evaluated once more with its feature matrix replaced by the grid's points and its
labels by zeros of the grid's length; the prediction is what the loss gate reads (the logits of
cross_entropy, the first operand of mse).
"""

from __future__ import annotations

import dataclasses
import time

import numpy as np

from ..core.errors import EngineError
from ..core.graph import Graph
from ..core.limits import DEFAULT_LIMITS, Limits
from ..core.numeric import shape_param
from ..run.evaluate import evaluate
from .optimize import data_inputs


def prediction_node(graph: Graph) -> int:
    """The node whose value is the model's prediction: the loss gate's first operand."""
    out = graph.output
    op = graph.ops[out]
    if op is None or op.loss is None:
        raise EngineError("boundary_loss", kind="value")
    return graph.args[out][0]


def _targets(graph: Graph, features: str) -> list[str]:
    """The labels and targets: data inputs other than the features (replaced by zeros on the grid)."""
    return [n for n in data_inputs(graph) if n != features]


def _axis(rng, n: int) -> np.ndarray:
    """n evenly spaced points over a (lo, hi) range."""
    lo, hi = float(rng[0]), float(rng[1])
    if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
        raise EngineError("boundary_range", kind="value")
    return np.linspace(lo, hi, n)


def boundary(source: str, values: dict, features: str = "X", xrange=(-1.0, 1.0), yrange=(-1.0, 1.0),
             n: int = 40, limits: Limits | None = None) -> dict:
    """The predicted class (or value) at each point of an n × n grid over the two features."""
    limits = limits or DEFAULT_LIMITS
    start = time.monotonic()
    graph = evaluate(source, values, limits=limits)
    if features not in graph.inputs:
        raise EngineError("boundary_features", kind="name", name=features)
    shape = graph.shapes[graph.inputs[features]]
    if len(shape) != 2 or shape[1] != 2:
        raise EngineError("boundary_columns", kind="shape", name=features, shape=shape_param(shape))
    pred = prediction_node(graph)
    xs, ys = _axis(xrange, n), _axis(yrange, n)
    gx, gy = np.meshgrid(xs, ys)
    grid = {**values, features: np.c_[gx.ravel(), gy.ravel()]}
    for name in _targets(graph, features):
        s = graph.shapes[graph.inputs[name]]
        grid[name] = np.zeros((n * n, *s[1:]))
    scored = evaluate(source, grid, limits=_rest(limits, start))
    z = np.asarray(scored.values[pred], dtype=np.float64).reshape(n * n, -1)
    return {"xs": xs.tolist(), "ys": ys.tolist(), **_classes(z, graph.ops[graph.output].loss, n)}


def _rest(limits: Limits, start: float) -> Limits:
    """The limits with what is left of the time budget (both evaluations share one budget)."""
    if limits.time_budget is None:
        return limits
    left = limits.time_budget - (time.monotonic() - start)
    if left <= 0:
        raise EngineError("time_budget", kind="timeout")
    return dataclasses.replace(limits, time_budget=left)


def _classes(z: np.ndarray, loss: str, n: int) -> dict:
    """Class and confidence per grid point: argmax of the logits, or p > 0.5 for one output column."""
    if z.shape[1] > 1:
        e = np.exp(z - z.max(axis=1, keepdims=True))
        p = e / e.sum(axis=1, keepdims=True)
        cls, conf = p.argmax(axis=1), p.max(axis=1)
    elif loss == "values":  # one score column: a regression's output, read as p > 0.5
        v = z[:, 0]
        cls, conf = (v > 0.5).astype(int), np.clip(np.abs(v - 0.5) * 2, 0, 1)
    else:
        raise EngineError("boundary_one_column", kind="shape")
    conf = np.nan_to_num(conf, nan=0.0)
    return {"classes": cls.reshape(n, n).tolist(), "confidence": np.round(conf.reshape(n, n), 4).tolist(),
            "k": int(max(z.shape[1], 2))}
