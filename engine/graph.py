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


def _np_call(fn, args):
    """Redo a scalar computation in NumPy, which answers inf/nan where math raises."""
    return float(fn(*[np.float64(a) for a in args]))


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
        self.fwd: list = []  # per-node forward (an op's, or bound to a static attribute)
        self.vjps: list = []
        self.svjps: list = []
        self.fast: list[bool] = []  # all inputs and the output scalar, and a float fast path exists
        self.sfwd: list = []
        self.values: list = []
        self.grads: list = []
        self.contribs: list = []  # per node: the contribution sent back along each input edge
        self.inputs: dict[str, int] = {}
        self.groups: dict[str, dict] = {}
        self.output: int = -1
        self.has_grad: list[bool] = []
        self.deadline = Deadline(None)

    def __len__(self) -> int:
        return len(self.keys)

    def add(self, key, op, kind, args, shape, pos, value=None, name=None, fwd=None, vjps=None,
            fast=False) -> int:
        """Append a node; ops get their values in forward()."""
        i = len(self.keys)
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
        self.sfwd.append(op.scalar if fast else None)
        self.svjps.append((op.scalar_vjps or op.vjps) if fast else None)
        return i

    def finish(self, output: int) -> None:
        """Fix the output and work out which nodes receive a gradient (as PyTorch's requires_grad)."""
        self.output = output
        n = len(self.keys)
        req = [False] * n
        for i in range(n):
            if self.kinds[i] == "input":
                req[i] = True
            elif self.kinds[i] == "op":
                vj = self.vjps[i]
                req[i] = any(req[j] and vj[p] is not None for p, j in enumerate(self.args[i]))
        reach = [False] * n
        reach[output] = True
        for i in range(n - 1, -1, -1):
            if reach[i] and self.kinds[i] == "op":
                vj = self.vjps[i]
                for p, j in enumerate(self.args[i]):
                    if vj[p] is not None:
                        reach[j] = True
        self.has_grad = [r and q for r, q in zip(reach, req)]

    def forward(self) -> None:
        """Compute every op's value from its inputs, in creation (topological) order."""
        vals, args, fast, check = self.values, self.args, self.fast, self.deadline.check
        for i in range(len(vals)):
            if self.kinds[i] != "op":
                continue
            if not i & 255:
                check()
            xs = [vals[j] for j in args[i]]
            if fast[i]:
                try:
                    vals[i] = self.sfwd[i](*xs)
                except _FALLBACK:
                    vals[i] = _np_call(self.fwd[i], xs)
            else:
                vals[i] = self._tensor_forward(i, xs)

    def _tensor_forward(self, i: int, xs: list):
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

    def backward(self) -> None:
        """Reverse pass: each node sends upstream × local back along its input edges (+= on fan-out)."""
        n, out = len(self.keys), self.output
        grads = [None] * n
        self.grads = grads
        self.contribs = [None] * n
        has, vals, args, check = self.has_grad, self.values, self.args, self.deadline.check
        grads[out] = 1.0 if self.shapes[out] == () else np.ones(self.shapes[out])
        for i in range(n - 1, -1, -1):
            g = grads[i]
            if g is None or self.kinds[i] != "op":
                continue
            if not i & 255:
                check()
            xs = [vals[j] for j in args[i]]
            sent = self.contribs[i] = [None] * len(xs)
            for p, j in enumerate(args[i]):
                if has[j]:
                    c = self.vjp(i, p, g, xs)
                    sent[p] = c
                    grads[j] = c if grads[j] is None else grads[j] + c

    def vjp(self, i: int, p: int, g, xs: list):
        """The contribution node i sends to its input p, shaped like that input."""
        j = self.args[i][p]
        if self.fast[i]:
            try:
                return self.svjps[i][p](g, self.values[i], *xs)
            except _FALLBACK:
                return _np_call(self.vjps[i][p], [g, self.values[i], *xs])
        c = unbroadcast(self.vjps[i][p](g, self.values[i], *xs), self.shapes[j])
        if self.shapes[j] == ():
            return float(c)
        assert c.shape == self.shapes[j], (self.keys[i], p, c.shape, self.shapes[j])
        return c

    def local(self, i: int, p: int, xs: list):
        """The local derivative of a scalar edge as a number (the vjp of an upstream 1)."""
        return self.vjp(i, p, 1.0, xs)

    def to_dict(self) -> dict:
        """The graph as strict-JSON-ready data (what the server sends)."""
        from .serialize import graph_to_dict

        with np.errstate(all="ignore"):
            return graph_to_dict(self)
