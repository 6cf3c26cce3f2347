"""The graph as plain data, and the forward and backward passes over one topological order.

Nodes live in parallel lists indexed by position; creation order is already topological (an op is
created after its inputs), so both passes are flat loops: no recursion, whatever the program's size.
Scalars are Python floats (NumPy scalars cost ~10x per op); tensors are float64 arrays.
"""

from __future__ import annotations

import numpy as np

from .errors import EngineError
from .limits import Deadline
from .numeric import unbroadcast

_FALLBACK = (ArithmeticError, ValueError)


class Graph:
    """Nodes (key, op, inputs, shape, value, grad, name, position, group) and both passes."""

    def __init__(self):
        self.keys: list[str] = []
        self.ops: list = []  # Op, or None for leaves
        self.kinds: list[str] = []  # "input" | "const" | "op"
        self.args: list[tuple[int, ...]] = []
        self.shapes: list[tuple] = []
        self.names: list[str | None] = []
        self.pos: list[tuple[int, int]] = []
        self.group: list[str | None] = []
        self.fwd: list = []  # per-node forward (the op's, or bound to a static attribute)
        self.vjps: list = []
        self.fast: list[bool] = []  # scalar inputs and output, and the op has a float fast path
        self.req: list[bool] = []  # depends on an input through differentiable edges
        self.values: list = []
        self.grads: list = []
        self.contribs: list = []  # per node: the contribution sent back along each input edge
        self.locals: list = []  # per fast node: its local derivatives, one per input edge
        self.inputs: dict[str, int] = {}
        self.groups: dict[str, dict] = {}
        self.functions: dict[str, dict] = {}  # user function -> its params, line and call group ids
        self.folded: frozenset = frozenset()  # the call groups shown folded (export.folding)
        self.output: int = -1
        self.seed = None  # the output's gradient when the program gives it (dD = …), else None
        self.deadline = Deadline(None)
        # What the language keeps beside the nodes (lang.builder, lang.handwritten, run.grade):
        self.spelled: dict[int, str] = {}  # node -> how the program spelled its op (np.dot, .exp())
        self.free: list[str] = []  # names used but never assigned that took the free-name value
        self.stmts: list[tuple] = []  # per forward statement: (end index, target, position, node)
        self.handwritten: list = []  # the program's hand-written backward lines (d<name> = …)
        self.handwriting: bool | None = None  # whether its d<name> lines are a backward pass
        self.backward_names: dict[str, int] = {}  # d-name -> the line where it is first assigned
        self.backward_shapes: dict[str, tuple | None] = {}  # d-name -> its shape (None: an error)
        self.grades: list[dict] = []  # the verdict on each hand-written line, once evaluated

    def __len__(self) -> int:
        return len(self.keys)

    def add(self, key, op, kind, args, shape, pos, *, value=None, name=None, fwd=None, vjps=None,
            fast=False, req=False) -> int:
        """Append a node (req: it depends on an input); ops get their values in forward()."""
        self.keys.append(key)
        self.ops.append(op)
        self.kinds.append(kind)
        self.args.append(args)
        self.shapes.append(shape)
        self.names.append(name)
        self.pos.append(pos)
        self.group.append(None)
        self.values.append(value)
        self.fwd.append(fwd)
        self.vjps.append(vjps)
        self.fast.append(fast)
        self.req.append(req)
        return len(self.keys) - 1

    def instance(self) -> Graph:
        """A copy that shares the read-only structure and has its own values (a cached template)."""
        g = Graph.__new__(Graph)
        g.__dict__.update(self.__dict__)
        g.values, g.req = list(self.values), list(self.req)
        g.grads, g.contribs, g.locals, g.grades = [], [], [], []
        return g

    def add_scalar_op(self, key, op, args, pos) -> int:
        """add() for the commonest node, an op on scalars with a float fast path.

        The same appends as add(), written out: a 10,000-gate program makes 10,000 of these calls,
        and add()'s keyword arguments cost a tenth of building the graph.
        """
        req = self.req
        self.keys.append(key)
        self.ops.append(op)
        self.kinds.append("op")
        self.args.append(args)
        self.shapes.append(())
        self.names.append(None)
        self.pos.append(pos)
        self.group.append(None)
        self.values.append(None)
        self.fwd.append(op.forward)
        self.vjps.append(op.vjps)
        self.fast.append(True)
        n = len(args)  # by arity, as forward() unpacks: any(map(…)) costs a third of this call
        req.append(req[args[0]] if n == 1 else req[args[0]] or req[args[1]] if n == 2 else
                   any(map(req.__getitem__, args)))
        return len(req) - 1

    def require_grads(self, leaves) -> None:
        """Recompute which nodes need a gradient when only these leaf indices do (training)."""
        leaves, req = set(leaves), self.req
        for i, op in enumerate(self.ops):
            if op is None:
                req[i] = i in leaves
            else:
                req[i] = any(req[j] and v is not None for j, v in zip(self.args[i], self.vjps[i]))

    def forward(self) -> None:
        """Compute every op's value from its inputs, in creation (topological) order."""
        vals, args, fast, ops, fwd, check = self.values, self.args, self.fast, self.ops, self.fwd, \
            self.deadline.check
        check()
        for i, op in enumerate(ops):
            if op is None:
                continue
            if not i & 255:
                check()
            ins = args[i]
            if not fast[i]:
                vals[i] = self._tensor_forward(i, tuple(map(vals.__getitem__, ins)))
                continue
            try:  # called by arity: a tuple of operands per node would cost as much as the arithmetic
                vals[i] = op.scalar(vals[ins[0]]) if len(ins) == 1 else \
                    op.scalar(vals[ins[0]], vals[ins[1]]) if len(ins) == 2 else \
                    op.scalar(*map(vals.__getitem__, ins))
            except _FALLBACK:
                vals[i] = float(fwd[i](*[np.float64(vals[j]) for j in ins]))

    def _tensor_forward(self, i: int, xs: tuple):
        """Run one op in NumPy, attaching the node's position to value errors (labels)."""
        try:
            v = self.fwd[i](*xs)
        except EngineError as e:
            raise e.at(self.pos[i]) from None
        if self.shapes[i] == ():
            return float(v)
        v = np.asarray(v, dtype=np.float64)
        assert v.shape == self.shapes[i], (self.keys[i], v.shape, self.shapes[i])
        return v

    def backward(self, seed=None) -> None:
        """Reverse pass: each node sends upstream × local back along its input edges (+= on fan-out).

        `seed` is the output's gradient (a given upstream gradient); by default 1, or ones.
        """
        n, out = len(self.keys), self.output
        grads, sent_all, locs = [None] * n, [None] * n, [None] * n
        self.grads, self.contribs, self.locals = grads, sent_all, locs
        req, vals, args, fast, check = self.req, self.values, self.args, self.fast, self.deadline.check
        self.seed = seed  # objective() weighs the output by it
        if seed is None:
            seed = 1.0 if self.shapes[out] == () else np.ones(self.shapes[out])
        grads[out] = seed
        ops = self.ops
        for i in range(n - 1, -1, -1):
            g = grads[i]
            if g is None or ops[i] is None:
                continue
            if not i & 255:
                check()
            ins = args[i]
            sent = sent_all[i] = [None] * len(ins)
            if not fast[i]:
                self._tensor_edges(i, g, tuple(map(vals.__getitem__, ins)), sent)
                continue
            try:  # by arity, as in forward()
                loc = locs[i] = ops[i].local(vals[i], vals[ins[0]]) if len(ins) == 1 else \
                    ops[i].local(vals[i], vals[ins[0]], vals[ins[1]]) if len(ins) == 2 else \
                    ops[i].local(vals[i], *map(vals.__getitem__, ins))
            except _FALLBACK:
                loc = locs[i] = self._np_local(i, tuple(map(vals.__getitem__, ins)))
            if len(ins) > 2:
                for p, j in enumerate(ins):
                    if req[j]:
                        c = sent[p] = g * loc[p]
                        grads[j] = c if grads[j] is None else grads[j] + c
                continue
            j = ins[0]  # one or two inputs (the commonest gates): the loop above, unrolled
            if req[j]:
                c = sent[0] = g * loc[0]
                grads[j] = c if grads[j] is None else grads[j] + c
            if len(ins) == 2 and req[ins[1]]:  # after the first edge: x * x sends both to x
                j = ins[1]
                c = sent[1] = g * loc[1]
                grads[j] = c if grads[j] is None else grads[j] + c

    def _tensor_edges(self, i: int, g, xs: tuple, sent: list) -> None:
        """A tensor gate's backward step: each differentiable edge's contribution, summed into its input."""
        grads, req, vjps = self.grads, self.req, self.vjps[i]
        for p, j in enumerate(self.args[i]):
            if req[j] and vjps[p] is not None:
                c = sent[p] = self._tensor_vjp(i, p, g, xs)
                grads[j] = c if grads[j] is None else grads[j] + c

    def local(self, i: int) -> tuple:
        """A fast node's local derivatives as floats (NumPy's rules where math raises)."""
        xs = [self.values[j] for j in self.args[i]]
        try:
            return self.ops[i].local(self.values[i], *xs)
        except _FALLBACK:
            return self._np_local(i, xs)

    def _np_local(self, i: int, xs) -> tuple:
        """Local derivatives from the NumPy vjps with an upstream 1: IEEE inf/nan, no exceptions."""
        y, xs = np.float64(self.values[i]), [np.float64(x) for x in xs]
        return tuple(float(v(1.0, y, *xs)) for v in self.vjps[i])

    def vjp(self, i: int, p: int, g):
        """What node i sends to its input p for an upstream gradient g (its input's shape)."""
        return self._tensor_vjp(i, p, g, [self.values[j] for j in self.args[i]])

    def tensor_local(self, i: int, p: int) -> float:
        """The local derivative of a scalar edge into a scalar gate that has tensor operands."""
        return self._tensor_vjp(i, p, 1.0, [self.values[j] for j in self.args[i]])

    def _tensor_vjp(self, i: int, p: int, g, xs):
        """The contribution node i sends to its input p, reduced back to that input's shape.

        A variadic op's vjps get no operands (its formula reads only g and p): passing all N of them
        to each of N vjps made the backward pass of a stacked list cost N² (100,000 elements: 43 s).
        """
        shape, vjp = self.shapes[self.args[i][p]], self.vjps[i][p]
        xs = () if self.ops[i].variadic else xs
        try:
            c = vjp(g, self.values[i], *xs)
        except _FALLBACK:  # Python floats among the operands raise where NumPy answers inf or nan
            c = vjp(np.float64(g), np.float64(self.values[i]), *[_np_value(x) for x in xs])
        c = unbroadcast(c, shape)
        if shape == ():
            return float(c)
        assert c.shape == shape, (self.keys[i], p, c.shape, shape)
        return c


def _np_value(x):
    """A float as a NumPy scalar (IEEE answers instead of exceptions); arrays unchanged."""
    return np.float64(x) if type(x) is float else x


def objective(graph: Graph) -> float:
    """The loss backward() differentiates: the output, its sum, or sum(D * dD) for a given dD."""
    v = graph.values[graph.output]
    if graph.seed is not None:
        return float(np.sum(np.multiply(v, graph.seed)))
    return v if type(v) is float else float(np.sum(v))
