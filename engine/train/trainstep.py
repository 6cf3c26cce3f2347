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

from ..core.graph import Graph
from ..core.numeric import broadcast, unbroadcast
from .kernels import kernels

_FALLBACK = (ArithmeticError, ValueError)  # Python floats raise where NumPy answers inf or nan


def _kernels(graph: Graph, i: int) -> tuple:
    """Node i's forward and vjps: lean ones for matrix operands (kernels.py), else the op table's."""
    lean = kernels(graph.ops[i].name, [graph.shapes[j] for j in graph.args[i]])
    return lean or (graph.fwd[i], graph.vjps[i])


_BROADCASTING = frozenset({"add", "sub", "mul", "div", "pow", "max", "min", "mse"})


def _reducer(graph: Graph, i: int, j: int):
    """The axes to sum node i's contribution over so it fits input j, fixed by the static shapes.

    (axes, None) sums with keepdims; (leading, axes) first drops the axes broadcasting prepended.
    None when no sum is needed, or when the rule is not known here (unbroadcast then decides).
    """
    want = graph.shapes[j]
    if graph.ops[i].name not in _BROADCASTING or want == ():
        return None
    have = broadcast(*[graph.shapes[k] for k in graph.args[i]])
    extra = len(have) - len(want)
    keep = tuple(k for k, n in enumerate(want) if n == 1 and have[extra + k] != 1)
    if not extra:
        return (keep, None) if keep else None
    return (tuple(range(extra)), keep)


def _passes(graph: Graph, i: int, p: int) -> bool:
    """Whether node i's gradient reaches its input p unchanged (the add gate, the − gate's left side)."""
    name = graph.ops[i].name
    return name == "add" or (name == "sub" and p == 0)


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
            ports = [(j, None if _passes(g, i, p) else self.kern[i][1][p], g.shapes[j], _reducer(g, i, j))
                     for p, j in enumerate(g.args[i]) if wanted[j] and g.vjps[i][p] is not None]
            plan.append((i, ports, any(vjp is not None for _, vjp, _, _ in ports)))
        return plan

    def forward(self) -> None:
        """Recompute the nodes that change (NumPy forwards answer inf/nan rather than raise)."""
        vals = self.graph.values
        for i, f, a, scalar in self.fplan:
            n = len(a)  # unary and binary gates skip building an argument list
            v = f(vals[a[0]]) if n == 1 else f(vals[a[0]], vals[a[1]]) if n == 2 else f(*[vals[j] for j in a])
            vals[i] = float(v) if scalar else v

    def backward(self) -> None:
        """Gradients of the output with respect to the trained inputs (in self.grads)."""
        vals, args = self.graph.values, self.graph.args
        grads = self.grads = [None] * len(vals)
        grads[self.graph.output] = self.seed
        for i, ports, local in self.bplan:
            g = grads[i]
            if g is None:
                continue
            y = vals[i]
            xs = [vals[j] for j in args[i]] if local else None
            for j, vjp, shape, axes in ports:
                if vjp is None:  # passed on unchanged; safe to share, as += below is never in place
                    c = g
                else:
                    try:
                        c = vjp(g, y, *xs)
                    except _FALLBACK:
                        c = vjp(np.float64(g), np.float64(y), *[np.float64(x) for x in xs])
                if shape == ():
                    c = float(np.sum(c)) if np.ndim(c) else float(c)
                elif axes is not None:
                    c = c.sum(axis=axes[0], keepdims=True) if axes[1] is None else \
                        c.sum(axis=axes[0]).sum(axis=axes[1], keepdims=True)
                elif c.shape != shape:
                    c = unbroadcast(c, shape)
                gj = grads[j]
                grads[j] = c if gj is None else gj + c
