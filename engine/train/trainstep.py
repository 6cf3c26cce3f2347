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
from ..core.numeric import sum_axes, unbroadcast
from ..ops.printers import shape_of
from ..ops.record import lookup

_FALLBACK = (ArithmeticError, ValueError)  # Python floats raise where NumPy answers inf or nan


def _port(graph: Graph, i: int, p: int) -> int:
    """The record's input a port reads its formula from (a variadic op has one)."""
    return 0 if graph.ops[i].variadic else p


def _reducer(graph: Graph, i: int, p: int):
    """The axes to sum node i's contribution to input p over, fixed by the static shapes.

    The contribution's shape is the record's formula's, from the input shapes (its shape rule);
    (lead, keep) as numeric.sum_axes gives them; None when no sum is needed.
    """
    op, args = graph.ops[i], graph.args[i]
    want = graph.shapes[args[p]]
    if want == () or op.matrices:  # scalars: float(sum); matrix formulas reshape to their input
        return None
    params = [op.params[0]] * len(args) if op.variadic else op.params
    shapes = {name: graph.shapes[j] for name, j in zip(params, args)} | \
        {"g": graph.shapes[i], "out": graph.shapes[i], "p": (), "idx": ()}
    have = shape_of(op.trees[_port(graph, i, p)], shapes, lookup)
    if have == want:
        return None
    lead, keep = sum_axes(have, want)
    return (keep, None) if not lead else (lead, keep)


def _passes(graph: Graph, i: int, p: int) -> bool:
    """Whether node i's gradient reaches its input p unchanged (the add gate, the − gate's left side)."""
    return graph.ops[i].passes[_port(graph, i, p)]


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
        self.fplan = [(i, graph.fwd[i], graph.args[i], graph.shapes[i] == ())
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
            ports = [(j, None if _passes(g, i, p) else g.vjps[i][p], g.shapes[j], _reducer(g, i, p))
                     for p, j in enumerate(g.args[i]) if wanted[j] and g.vjps[i][p] is not None]
            # A variadic op's vjps take no operands (see Graph._tensor_vjp): N of them each, N² in all.
            operands = any(vjp is not None for _, vjp, _, _ in ports) and not g.ops[i].variadic
            plan.append((i, ports, operands))
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
            xs = [vals[j] for j in args[i]] if local else ()
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
                        c.sum(axis=axes[0]).sum(axis=axes[1], keepdims=True) if axes[1] else \
                        c.sum(axis=axes[0])
                elif c.shape != shape:
                    c = unbroadcast(c, shape)
                gj = grads[j]
                grads[j] = c if gj is None else gj + c
