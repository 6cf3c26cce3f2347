"""The op record and registry: the one place an op is defined (see ops.py and ops_nn.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..core.numeric import broadcast, same_shape


@dataclass(frozen=True, eq=False)
class Op:
    """One op: its forward, one vector-Jacobian product per input, and the formulas people read.

    `forward` works on NumPy arrays. Each vjp is `vjp(g, y, *xs)`: the upstream gradient g, this
    op's output y and its inputs; None marks an input that is not differentiable (class labels).
    Broadcasting is undone by the graph, not here. For scalars there is a fast path on Python
    floats: `scalar` (forward) and `local(y, *xs)`, the local derivatives, one per input, that the
    edges show; the contribution is upstream × local. Where math raises (ArithmeticError,
    ValueError), the NumPy rules give the IEEE answer (inf, nan) instead.
    """

    name: str
    syntax: str
    symbol: str
    params: tuple[str, ...]
    category: str
    doc: str
    forward: Callable
    vjps: tuple
    formulas: tuple[str, ...]
    tex: tuple[str, ...]
    shape: Callable
    scalar: Callable | None = None
    local: Callable | None = None
    expansion: str | None = None
    callable: bool = True
    variadic: bool = False
    with_attr: bool = False  # forward/vjps take a static attribute first (index positions)
    # Other ways programs write this op: "np.exp" (a module function), ".exp()" (a method), ".T"
    # (an attribute), "dot" (a plain function). The builder resolves them; /api/ops lists them.
    spellings: tuple[str, ...] = ()
    # The op in generated PyTorch code: a template over its inputs ($0, $1, …) or a callable
    # (input texts, input shapes, attribute) -> text where the spelling depends on shapes.
    torch: object = None

    @property
    def arity(self) -> int:
        """Number of inputs; -1 for variadic ops."""
        return -1 if self.variadic else len(self.params)

    def describe(self) -> dict:
        """The op as JSON-ready data for clients (GET /api/ops)."""
        return {
            "name": self.name, "syntax": self.syntax, "symbol": self.symbol, "arity": self.arity,
            "category": self.category, "doc": self.doc, "params": list(self.params),
            "formulas": list(self.formulas), "formulas_tex": list(self.tex),
            "composite": self.expansion is not None, "expansion": self.expansion,
            "callable": self.callable, "spellings": list(self.spellings),
        }


OPS: dict[str, Op] = {}
FUNCTIONS: dict[str, str] = {}  # name a program calls -> op name ("dot" -> "matmul")
SPELLINGS: dict[str, str] = {}  # every other spelling ("np.exp", ".exp()", ".T") -> op name


def defop(name: str, syntax: str, symbol: str, params, category: str, doc: str, forward, vjps,
          formulas, tex, shape=None, **extra) -> Op:
    """Register an op; `shape` defaults to broadcasting (binary) or same shape (unary)."""
    if shape is None:
        shape = same_shape if len(params) == 1 else broadcast
    op = Op(name, syntax, symbol, tuple(params), category, doc, forward, tuple(vjps), tuple(formulas),
            tuple(tex), shape, **extra)
    assert len(op.vjps) == len(op.params) == len(op.formulas) == len(op.tex) or op.variadic, name
    assert (op.scalar is None) == (op.local is None), f"{name}: a scalar fast path needs both rules"
    OPS[name] = op
    if op.callable:
        FUNCTIONS[name] = name
    for spelling in op.spellings:
        assert SPELLINGS.setdefault(spelling, name) == name, f"{spelling} spells two ops"
        if spelling.isidentifier():
            FUNCTIONS[spelling] = name
    return op


def unary(name: str, symbol: str, doc: str, forward, scalar, deriv, formula: str, tex: str,
          scalar_deriv=None, category: str = "elementwise", **extra) -> Op:
    """An elementwise function of one input: vjp = g * deriv(y, x); scalar_deriv uses math.

    PyTorch has each one under the same name, with the same conventions at kinks."""
    sd = scalar_deriv or deriv
    extra.setdefault("torch", f"torch.{name}($0)")
    return defop(name, f"{name}(x)", symbol, ("x",), category, doc, forward,
                 (lambda g, y, x: g * deriv(y, x),), (formula,), (tex,), scalar=scalar,
                 local=lambda y, x: (sd(y, x),), **extra)


def as_array(v) -> np.ndarray:
    """A float64 array view of a value (floats become 0-d arrays)."""
    return np.asarray(v, dtype=np.float64)

