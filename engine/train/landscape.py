"""The loss over a grid of two scalar inputs, for drawing a trajectory over the loss's contours."""

from __future__ import annotations

import time

import numpy as np

from ..core.errors import EngineError
from ..core.graph import Graph, objective
from ..core.limits import Deadline

MAX_GRID = 101


def _range(given, path: list) -> tuple[float, float]:
    """The requested range, or the trajectory's extent padded so the path sits inside the plot."""
    if given is not None:
        lo, hi = float(given[0]), float(given[1])
        if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
            raise EngineError("landscape_range", kind="value")
        return lo, hi
    finite = [v for v in path if np.isfinite(v)] or [0.0]
    lo, hi = min(finite), max(finite)
    pad = max(0.25 * (hi - lo), 0.5)
    return lo - pad, hi + pad


def loss_landscape(graph: Graph, spec: dict, trajectory: dict, deadline: Deadline) -> dict | None:
    """Loss at n×n points of (x, y), other inputs at their current values; None past the deadline
    (the caller says so in its answer)."""
    xname, yname = spec.get("x"), spec.get("y")
    for name in (xname, yname):
        if name not in graph.inputs or graph.shapes[graph.inputs[name]] != ():
            raise EngineError("landscape_inputs", kind="value", name=name)
    n = max(2, min(int(spec.get("n", 41)), MAX_GRID))
    paths = trajectory["values"]
    xs = np.linspace(*_range(spec.get("xrange"), paths.get(xname, [])), n)
    ys = np.linspace(*_range(spec.get("yrange"), paths.get(yname, [])), n)
    ix, iy = graph.inputs[xname], graph.inputs[yname]
    vals = graph.values
    saved = vals[ix], vals[iy]
    rows = []
    try:
        graph.deadline = deadline  # each forward pass checks it too: one pass of a big graph is long
        for y in ys:
            vals[iy] = float(y)
            row = []
            for x in xs:
                if deadline.end is not None and time.monotonic() > deadline.end:
                    return None
                vals[ix] = float(x)
                graph.forward()
                row.append(objective(graph))
            rows.append(row)
    except EngineError as e:
        if e.kind != "timeout":
            raise
        return None
    finally:
        vals[ix], vals[iy] = saved
    return {"x": xname, "y": yname, "xs": xs.tolist(), "ys": ys.tolist(), "loss": rows}
