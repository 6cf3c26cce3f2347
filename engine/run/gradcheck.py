"""Numeric gradient check: central differences in float64 against the backward pass, per input."""

from __future__ import annotations

import numpy as np

from ..core.graph import Graph, objective
from ..core.limits import Limits
from .evaluate import evaluate

STEP = 1e-6  # h = STEP·max(1, |x|): an absolute 1e-6 vanishes next to x = 1e12 (its ulp is 1e-4)
MAX_CHECKED = 64  # elements checked per input, spread evenly, so large tensors stay cheap
TOLERANCE = 1e-5
# Central differences cannot resolve a component much below eps·|f|/h (~1e-10·|f| at h = 1e-6):
# exp(x) at x = -20 in a sum worth 21 reads 1.8e-9 for 2.1e-9. Relative errors are therefore
# measured against at least FLOOR·max(1, |f|)·STEP/h, so such components are compared in absolute
# terms (to TOLERANCE times that floor).
FLOOR = 1e-3


def _objective(graph: Graph) -> float:
    """The objective after a fresh forward pass with the perturbed input."""
    graph.forward()
    return objective(graph)


def _step(x: float) -> float:
    """The central-difference step for an input element of value x."""
    return STEP * max(1.0, abs(x)) if abs(x) < np.inf else STEP


def _numeric(graph: Graph, i: int, flat_index: int) -> float:
    """Central difference of the objective in one element of input node i."""
    graph.deadline.check()  # small graphs never reach the forward loop's periodic check
    base = graph.values[i]
    scalar = not isinstance(base, np.ndarray)
    h = _step(float(base) if scalar else float(base.flat[flat_index]))
    results = []
    for sign in (1.0, -1.0):
        if scalar:
            graph.values[i] = base + sign * h
        else:
            bumped = base.copy()
            bumped.flat[flat_index] += sign * h
            graph.values[i] = bumped
        results.append(_objective(graph))
    graph.values[i] = base
    return (results[0] - results[1]) / (2 * h)


def rel_error(analytic: np.ndarray, numeric: np.ndarray, floor=0.0) -> float:
    """Largest relative error |a − n| / max(|a|, |n|, floor), counting two zeros as agreement."""
    den = np.maximum(np.maximum(np.abs(analytic), np.abs(numeric)), floor)
    err = np.where(den > 0, np.abs(analytic - numeric) / np.where(den > 0, den, 1.0), 0.0)
    err = np.where(np.isnan(analytic) | np.isnan(numeric), np.inf, err)
    return float(err.max()) if err.size else 0.0


def label_inputs(graph: Graph) -> set[int]:
    """Nodes whose value reaches a labels port (directly or through other gates): data, never perturbed."""
    feeds = [False] * len(graph)
    for i in range(len(graph) - 1, -1, -1):  # reverse creation order: every user before its inputs
        if graph.ops[i] is not None:
            for j, vjp in zip(graph.args[i], graph.vjps[i]):
                feeds[j] = feeds[j] or feeds[i] or vjp is None
    return {i for i, f in enumerate(feeds) if f}


def _check_input(graph: Graph, name: str, i: int, floor: float, labels: set[int]) -> dict:
    """Compare analytic and numeric gradients of one input on evenly spread elements."""
    graph.deadline.check()
    shape = graph.shapes[i]
    size = int(np.prod(shape, dtype=np.int64))
    grad = graph.grads[i]
    # An input with no gradient (unused) has nothing to check. Labels are data even where they also
    # feed a differentiable gate (cross_entropy(z, l) + sum(l)): perturbing them would make the
    # program invalid (labels must be whole numbers), so they are reported as not checked.
    count = 0 if grad is None or i in labels else min(size, MAX_CHECKED)
    picks = np.unique(np.linspace(0, size - 1, count).astype(np.int64))
    full = np.zeros(size) if grad is None else np.ravel(np.asarray(grad, dtype=np.float64))
    analytic = full[picks]
    numeric = np.array([_numeric(graph, i, int(k)) for k in picks])
    x = np.ravel(np.asarray(graph.values[i], dtype=np.float64))[picks]
    floors = floor * STEP / np.array([_step(v) for v in x])  # a larger step resolves finer
    return {"id": graph.keys[i], "shape": list(shape), "rel_error": rel_error(analytic, numeric, floors),
            "checked": int(picks.size), "total": size, "indices": picks.tolist(),
            "skipped": "labels" if i in labels else None,
            "analytic": analytic.tolist(), "numeric": numeric.tolist()}


def gradcheck(source: str, values: dict | None = None, limits: Limits | None = None) -> dict:
    """Check every input's backpropagated gradient against central differences."""
    graph = evaluate(source, values, limits=limits)
    with np.errstate(all="ignore"):
        f = abs(float(np.sum(graph.values[graph.output])))
        floor = FLOOR * max(1.0, f) if f < np.inf else 0.0  # nan/inf: no floor, the check fails
        labels = label_inputs(graph)
        report = {name: _check_input(graph, name, i, floor, labels) for name, i in graph.inputs.items()}
        graph.forward()  # restore the unperturbed values
    worst = max((r["rel_error"] for r in report.values()), default=0.0)
    return {"ok": bool(worst < TOLERANCE), "max_rel_error": worst, "tolerance": TOLERANCE,
            "step": STEP, "floor": floor, "inputs": report}
