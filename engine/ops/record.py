"""The op record and registry: the one place an op is defined.

An op is its forward (NumPy, and optionally a float version for the scalar fast path), how the
generated code and people write it, and one derivative formula per input, written in the language:
`g * out * (1 - out)`, `g @ b.T`. `g` is the gradient arriving at the op's output, `out` its value.
Registering parses each formula once with the language's parser and derives everything else from
it: the vector-Jacobian products, the scalar local derivatives, the Unicode and TeX formulas, the
generated NumPy lines (export/codegen) and the facts training needs (pass-through ports, the shape
a contribution has before broadcasting is undone).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache

import numpy as np

from ..core.errors import EngineError
from ..core.numeric import broadcast, same_shape
from . import formula as fm
from . import residuals
from .printers import ATOM, NoScalarForm, compile_function, python, show


@dataclass(frozen=True, eq=False)
class Op:
    """One op. Fields after `grads` have defaults; the derived ones are computed at registration.

    grads: one formula per input (None: not differentiable, such as class labels).
    scalar: the forward on Python floats (its presence gives the op a scalar fast path).
    infix: the operator symbol of the language ("+"), for ops written as operators.
    code/show/show_tex: templates ($0, $1, … the inputs) for generated NumPy, Unicode and TeX;
    code may be a callable (input texts, input shapes, attribute) for shape-dependent text.
    matrices: derivatives are written for matrices; vector operands are promoted (a row, a column).
    data: inputs that are data whatever their name (labels, targets); rows: inputs that are data
    when they have one row per sample (X in X @ W); labels: the input holding class labels.
    cost: multiply-adds of the op for the input shapes, charged to the work budget (None: linear).
    watch: what the gradient diagnostics look for at this gate: "dead" (its local gradient is 0
    where the input is off, as ReLU's) or "saturates" (it tends to 0 at the limits, as σ's).
    """

    name: str
    syntax: str
    symbol: str
    params: tuple[str, ...]
    category: str
    doc: str
    forward: Callable
    grads: tuple
    shape: Callable
    scalar: Callable | None = None
    infix: str | None = None
    code: object = None
    show: str | None = None
    show_tex: str | None = None
    expansion: str | None = None
    callable: bool = True
    variadic: bool = False
    with_attr: bool = False  # forward/vjps take a static attribute first (index positions)
    matrices: bool = False
    data: tuple[str, ...] = ()
    rows: tuple[str, ...] = ()
    labels: str | None = None
    cost: Callable | None = None
    helper: str | None = None  # a def generated code needs (softmax)
    watch: str | None = None
    loss: str | None = None  # a loss gate: what it scores its first operand against, "classes" or "values"
    saves: dict | None = None  # residuals: name -> formula; forward then returns (y, *residuals)
    trees: tuple = field(init=False, default=())  # the parsed formulas
    locals_: tuple = field(init=False, default=())  # per input: the formula divided by g, if a product
    vjps: tuple = field(init=False, default=())
    # matrices: the vjps for 2-D operands only, with no promotion and attributes for calls (.T).
    matrix_vjps: tuple = field(init=False, default=())
    local: Callable | None = field(init=False, default=None)
    formulas: tuple = field(init=False, default=())
    tex: tuple = field(init=False, default=())
    passes: tuple = field(init=False, default=())  # per input: the gradient passes through unchanged
    # Other ways programs write this op: "np.exp" (a module function), ".exp()" (a method), ".T"
    # (an attribute), "dot" (a plain function). The builder resolves them; /api/ops lists them.
    spellings: tuple[str, ...] = ()
    # The op in generated PyTorch code: a template over its inputs ($0, $1, …) or a callable
    # (input texts, input shapes, attribute) -> text where the spelling depends on shapes.
    torch: object = None
    bind: Callable | None = field(init=False, default=None)  # saving ops: a node's own (forward, vjps)

    def vjps_for(self, shapes: list[tuple]) -> tuple:
        """The vjps for operands of these static shapes (matrix ops skip promoting matrices)."""
        return self.matrix_vjps if self.matrices and all(len(s) == 2 for s in shapes) else self.vjps

    @property
    def arity(self) -> int:
        """Number of inputs; -1 for variadic ops."""
        return -1 if self.variadic else len(self.params)

    def describe(self) -> dict:
        """The op as JSON-ready data for clients (GET /api/ops)."""
        return {
            "name": self.name, "syntax": self.syntax, "symbol": self.symbol, "arity": self.arity,
            "category": self.category, "doc": self.doc, "params": list(self.params),
            "derivatives": list(self.grads), "formulas": list(self.formulas),
            "formulas_tex": list(self.tex), "composite": self.expansion is not None,
            "expansion": self.expansion, "callable": self.callable, "spellings": list(self.spellings),
        }


OPS: dict[str, Op] = {}
FUNCTIONS: dict[str, str] = {}  # name a program calls -> op name ("dot" -> "matmul")
SPELLINGS: dict[str, str] = {}  # every other spelling ("np.exp", ".exp()", ".T") -> op name


def lookup(name: str):
    """A function a formula calls: a registered op or a formula helper."""
    return OPS.get(name) or fm.HELPERS[name]


def constant(name: str, *values):
    """A function of the formulas applied to numbers (constant folding)."""
    return _runner(lookup)(name, *values)


def operators() -> dict:
    """(symbol, arity) -> op name, for the operators of the language."""
    return {(op.infix, len(op.params)): op.name for op in OPS.values() if op.infix}


def defop(name: str, syntax: str, symbol: str, params, category: str, doc: str, forward, grads,
          shape=None, **extra) -> Op:
    """Register an op; `shape` defaults to broadcasting (binary) or same shape (unary)."""
    if shape is None:
        shape = same_shape if len(params) == 1 else broadcast
    slots = ", ".join(f"${k}" for k in range(len(params)))
    extra.setdefault("show", f"{name}({slots})")
    extra.setdefault("show_tex", rf"\operatorname{{{name}}}({slots})")
    if isinstance(grads, dict):
        assert set(grads) <= set(params), f"{name}: derivatives for unknown inputs"
        grads = [grads.get(p) for p in params]
    op = Op(name, syntax, symbol, tuple(params), category, doc, forward, tuple(grads), shape, **extra)
    assert len(op.grads) == len(op.params), name
    if _DEFERRED is None:
        _derive(op)
    else:
        _DEFERRED.append(op)
    OPS[name] = op
    if op.callable:
        FUNCTIONS[name] = name
    for spelling in op.spellings:
        assert SPELLINGS.setdefault(spelling, name) == name, f"{spelling} spells two ops"
        if spelling.isidentifier():
            FUNCTIONS[spelling] = name
    return op


_DEFERRED: list | None = None


@contextmanager
def together():
    """Register ops whose formulas call each other (sin and cos): derived once all are registered."""
    global _DEFERRED
    _DEFERRED = []
    try:
        yield
        for op in _DEFERRED:
            _derive(op)
    finally:
        _DEFERRED = None


def unregister(name: str) -> None:
    """Remove an op (tests that register their own)."""
    OPS.pop(name, None)
    for table in (FUNCTIONS, SPELLINGS):
        for k in [k for k, v in table.items() if v == name]:
            del table[k]


def _resolver(op: Op):
    def resolve(fname: str, pos):
        if fname == op.name and op.callable:
            return op.name
        if fname in FUNCTIONS:
            return FUNCTIONS[fname]
        if fname in fm.HELPERS or fname in OPS:
            return fname
        raise EngineError("formula_function", *pos, "name", op=op.name, name=fname)
    return resolve


def _derive(op: Op) -> None:
    """Everything the engine needs, from the formulas alone."""
    look = (lambda n: op if n == op.name else lookup(n))
    variables = set(op.params) | {"g", "out", "p", "idx"} | set(op.saves or ())
    ops_map = {**operators(), **({(op.infix, len(op.params)): op.name} if op.infix else {})}
    read = lambda text, names: fm.parse(text, names, _resolver(op), ops_map)
    saved = {k: read(t, set(op.params)) for k, t in (op.saves or {}).items()}
    raw = tuple(None if g is None else read(g, variables) for g in op.grads)
    trees = tuple(None if t is None else fm.substitute(t, saved) for t in raw)  # residuals inlined
    run = _runner(look)
    locals_ = tuple(None if t is None else _fold(fm.factor_out(t, "g"), run) for t in trees)
    set_ = object.__setattr__
    set_(op, "trees", trees)
    set_(op, "locals_", locals_)
    set_(op, "passes", tuple(t == ("var", "g") for t in trees))
    set_(op, "vjps", tuple(None if t is None else _array_vjp(op, p, t, look) for p, t in enumerate(raw)))
    if op.matrices:
        set_(op, "matrix_vjps", tuple(None if t is None else _array_vjp(op, p, t, look, on_matrices=True)
                                      for p, t in enumerate(raw)))
    if saved:
        _residuals(op, saved, look, raw)
    if op.scalar is not None:
        set_(op, "local", _scalar_local(op, trees, look, run))
    texts = [_texts(op, p, look) for p in range(len(trees))]
    set_(op, "formulas", tuple(u for u, _ in texts))
    set_(op, "tex", tuple(t for _, t in texts))


def _residuals(op: Op, saved: dict, look, raw: tuple) -> None:
    """A saving op: forward and vjps that recompute residuals (nodes get reusing ones from bind())."""
    assert not op.matrices and not op.variadic and not op.with_attr, f"{op.name}: no residuals here"
    ns: dict = {}
    names = _names(op)
    body = ", ".join(python(t, False, names, ns, look)[0] for t in saved.values())
    fallback = compile_function(_signature(op, []), f"({body},)", ns, op.name)
    raw_forward = op.forward
    boxed = tuple(None if t is None else _boxed_vjp(op, t, look, fallback) for t in raw)
    set_ = object.__setattr__
    set_(op, "bind", lambda: residuals.bind(raw_forward, boxed))
    forward, vjps = residuals.unbound(raw_forward, boxed)
    set_(op, "forward", forward)
    set_(op, "vjps", vjps)


def _boxed_vjp(op: Op, tree, look, fallback):
    """vjp(box, g, y, *xs): the residuals from the box if its operands are these very xs, else fresh."""
    ns: dict = {"_fallback": fallback}
    body, _ = python(tree, False, _names(op), ns, look)
    xs = [f"_x{k}" for k in range(len(op.params))]
    same = " and ".join(f"_k[0][{k}] is {x}" for k, x in enumerate(xs))
    rs = "".join(f"_r{n}, " for n in range(len(op.saves)))
    # One read of the box: another thread may replace its tuple, never change it.
    prologue = f"_k = _box[0]\n{rs}= _k[1] if _k is not None and {same} else _fallback({', '.join(xs)})"
    return compile_function(["_box", "_g", "_y", *xs], body, ns, op.name, prologue)


def _fold(tree, run):
    return None if tree is None else fm.fold(tree, run)


def _runner(look):
    """run(name, *numbers) for constant folding: the op's NumPy forward or the helper's array form."""
    def run(name, *values):
        f = look(name)
        return _helper_function(f)(*values) if isinstance(f, fm.Helper) else f.forward(*values)
    return run


@cache
def _helper_function(h: fm.Helper):
    """A helper's array template as a function (for constant folding)."""
    params = [f"_a{k}" for k in range(10)]
    ns: dict = {}
    body, _ = python(("call", h.name, tuple(("var", p) for p in params[:h.array.count("$")])), False,
                     {p: p for p in params}, ns, lookup)
    return compile_function(params[:h.array.count("$")], body, ns, h.name)


def _names(op: Op) -> dict:
    """Formula variables -> the closure's parameter names."""
    names = {"g": "_g", "out": "_y", "p": "_p", "idx": "_i"}
    names.update({k: f"_r{n}" for n, k in enumerate(op.saves or ())})
    if op.variadic:
        names[op.params[0]] = "_xs[_p]"
    else:
        names.update({p: f"_x{k}" for k, p in enumerate(op.params)})
    return names


def _signature(op: Op, first: list[str]) -> list[str]:
    lead = ["_p"] if op.variadic else ["_i"] if op.with_attr else []
    rest = [f"_r{n}" for n in range(len(op.saves or ()))] if "_g" in first else []
    return lead + first + (["*_xs"] if op.variadic else [f"_x{k}" for k in range(len(op.params))]) + rest


def _array_vjp(op: Op, port: int, tree, look, on_matrices: bool = False):
    """vjp(g, y, *xs) on arrays: the formula as NumPy (on_matrices: every operand is a 2-D array)."""
    ns: dict = {}
    body, _ = python(tree, False, _names(op), ns, look, arrays=on_matrices)
    fn = compile_function(_signature(op, ["_g", "_y"]), body, ns, op.name)
    return _promoting(fn, port) if op.matrices and not on_matrices else fn


def _promoting(fn, port: int):
    """A vjp written for matrices, made to serve vectors: a is a row, b a column, g reshaped to fit."""
    def vjp(g, y, a, b):
        if a.ndim == 2 and b.ndim == 2:
            return fn(g, y, a, b)
        a2 = a.reshape(1, -1) if a.ndim == 1 else a
        b2 = b.reshape(-1, 1) if b.ndim == 1 else b
        return fn(np.reshape(g, (a2.shape[0], b2.shape[1])), y, a2, b2).reshape((a, b)[port].shape)
    return vjp


def _scalar_local(op: Op, trees, look, run):
    """local(y, *xs) on floats: every input's formula with g = 1, as one tuple."""
    assert all(t is not None for t in trees), f"{op.name}: a scalar fast path needs every derivative"
    ns: dict = {}
    try:
        parts = [python(_fold(fm.substitute(t, {"g": ("num", 1.0)}), run), True, _names(op), ns, look)[0]
                 for t in trees]
    except NoScalarForm as e:
        raise AssertionError(f"{op.name}: its derivative uses {e}, which has no float form") from None
    return compile_function(_signature(op, ["_y"]), f"({', '.join(parts)},)", ns, op.name)


def _texts(op: Op, port: int, look) -> tuple[str, str]:
    """The Unicode and TeX formula of one input: ∂f/∂x = local, or ∂L/∂x = the vjp (g = ∂L/∂y)."""
    param, tree, local = op.params[port], op.trees[port], op.locals_[port]
    if tree is None:
        return f"{param}: not differentiable", r"\text{not differentiable}"
    me = ("call", op.name, tuple(("var", p) for p in op.params))
    out = []
    for tex in (False, True):
        names = {p: p for p in op.params} | {"p": "p", "idx": "i"}
        self_text, prec = show(me, tex, names, look)
        if local is not None:
            names["out"] = self_text
            wrapped = self_text if prec >= ATOM else f"({self_text})"
            lhs = rf"\frac{{\partial {wrapped}}}{{\partial {param}}}" if tex else f"∂{wrapped}/∂{param}"
            out.append(f"{lhs} = {show(local, tex, names, look)[0]}")
            continue
        names |= {"out": "y", "g": r"\frac{\partial L}{\partial y}" if tex else ("∂L/∂y", 20)}
        lhs = rf"\frac{{\partial L}}{{\partial {param}}}" if tex else f"∂L/∂{param}"
        where = "" if not fm.uses(tree, "out") else \
            (rf",\quad y = {self_text}" if tex else f", y = {self_text}")
        out.append(f"{lhs} = {show(tree, tex, names, look)[0]}{where}")
    return out[0], out[1]
