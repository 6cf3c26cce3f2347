"""A lean forward + backward over a built graph for training loops (same results as Graph's passes).

Graph.forward()/backward() serve the visualizer: they keep every edge's contribution and check
shapes on every node. A training step needs less, so this plan is fixed once per run:

- nodes whose inputs never change between steps (constants, data that is not batched, X.T) are
  computed once and skipped afterwards;
- only the edges on a path from the output to a trained parameter are differentiated;
- each step is two flat loops over prepared tuples, with scalar fast paths as in Graph.
"""

from __future__ import annotations

import numpy as np

from .graph import Graph
from .numeric import unbroadcast

_FALLBACK = (ArithmeticError, ValueError)  # Python floats raise where NumPy answers inf or nan


def _mse(p, t):
    """mean((p − t)²) in two NumPy calls (np.mean's Python wrapper costs more than the sum)."""
    d = np.subtract(p, t)
    return float(np.vdot(d, d)) / d.size if isinstance(d, np.ndarray) else d * d


def _mse_dp(g, y, p, t):
    """2(p − t)/n, with the scalar factor folded in Python."""
    d = np.subtract(p, t)
    return (2.0 * g / np.size(d)) * d


# Leaner kernels for the hottest ops of training programs, used when the operands are matrices;
# test_optimize checks that they agree with the op table's own.
_MATRIX_KERNELS = {
    "matmul": (np.matmul, (lambda g, y, a, b: g @ b.T, lambda g, y, a, b: a.T @ g)),
    "mse": (_mse, (_mse_dp, lambda g, y, p, t: -_mse_dp(g, y, p, t))),
    "mean": (lambda x: float(np.add.reduce(x, axis=None)) / x.size,
             (lambda g, y, x: np.full(x.shape, g / x.size),)),
}


def _kernels(graph: Graph, i: int) -> tuple:
    """Node i's forward and vjps: the lean ones for 2-D operands, else the op table's."""
    op, shapes = graph.ops[i], [graph.shapes[j] for j in graph.args[i]]
    lean = _MATRIX_KERNELS.get(op.name)
    if lean and all(len(s) == 2 for s in shapes):
        return lean
    return graph.fwd[i], graph.vjps[i]


def _varying(graph: Graph, changing: set[int]) -> list[bool]:
    """Which nodes depend on an input that changes between steps."""
    var = [False] * len(graph)
    for i in range(len(graph)):
        var[i] = i in changing or (graph.ops[i] is not None and any(var[j] for j in graph.args[i]))
    return var


class TrainStep:
    """Forward and backward restricted to what one training step needs; grads land in `grads`."""

    def __init__(self, graph: Graph, trained: list[int], changing: set[int]):
        self.graph = graph
        graph.forward()  # every node gets a value once; the static ones keep it
        var = _varying(graph, changing | set(trained))
        self.kern = {i: _kernels(graph, i) for i in range(len(graph)) if graph.ops[i] is not None}
        self.fplan = [(i, self.kern[i][0], graph.args[i], graph.shapes[i] == ())
                      for i in range(len(graph)) if graph.ops[i] is not None and var[i]]
        self.bplan = self._backward_plan(trained)
        out = graph.output
        self.seed = 1.0 if graph.shapes[out] == () else np.ones(graph.shapes[out])
        self.grads: list = [None] * len(graph)

    def _backward_plan(self, trained: list[int]) -> list[tuple]:
        """Per op node, in reverse order: the ports whose input leads to a trained parameter."""
        g = self.graph
        n = len(g)
        wanted = [False] * n
        for i in trained:
            wanted[i] = True
        for i in range(n):
            if g.ops[i] is not None:
                wanted[i] = any(wanted[j] and g.vjps[i][p] is not None for p, j in enumerate(g.args[i]))
        plan = []
        for i in range(n - 1, -1, -1):
            if g.ops[i] is None or not wanted[i]:
                continue
            ports = [(j, self.kern[i][1][p], g.shapes[j]) for p, j in enumerate(g.args[i])
                     if wanted[j] and g.vjps[i][p] is not None]
            plan.append((i, ports))
        return plan

    def forward(self) -> None:
        """Recompute the nodes that change (NumPy forwards answer inf/nan rather than raise)."""
        vals = self.graph.values
        for i, f, a, scalar in self.fplan:
            v = f(*[vals[j] for j in a])
            vals[i] = float(v) if scalar else v

    def backward(self) -> None:
        """Gradients of the output with respect to the trained inputs (in self.grads)."""
        vals, args = self.graph.values, self.graph.args
        grads = self.grads = [None] * len(vals)
        grads[self.graph.output] = self.seed
        for i, ports in self.bplan:
            g = grads[i]
            if g is None:
                continue
            y = vals[i]
            xs = [vals[j] for j in args[i]]
            for j, vjp, shape in ports:
                try:
                    c = vjp(g, y, *xs)
                except _FALLBACK:
                    c = vjp(np.float64(g), np.float64(y), *[np.float64(x) for x in xs])
                if shape == ():
                    c = float(np.sum(c)) if np.ndim(c) else float(c)
                elif c.shape != shape:
                    c = unbroadcast(c, shape)
                gj = grads[j]
                grads[j] = c if gj is None else gj + c
