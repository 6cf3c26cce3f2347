"""Derivative formulas: written in the language, read by its own parser into small trees.

A tree is ("num", value), ("var", name) or ("call", function, args). Functions are the registered
ops and the few helpers below that only formulas use (comparisons, masks, one-hot rows). The trees
are rewritten here (substitution, constant folding) and printed by printers.py.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..core.errors import EngineError
from ..core.limits import Deadline, Limits
from ..core.numeric import broadcast, row_index
from ..syntax.parser import Parser

CONSTANTS = {"pi": math.pi, "e": math.e}  # the language's
_NAMED = {**CONSTANTS, "inf": math.inf, "nan": math.nan}  # and a formula's


@dataclass(frozen=True, eq=False)
class Helper:
    """A function only formulas use: how it runs on arrays and floats, and how each printer writes it.

    `array`/`scalar` are Python source templates ($0, $1, … the arguments) or None (no scalar form);
    `code` is the generated NumPy text (a template, or a callable of the argument texts and shapes);
    `uni`/`tex` are what people read; `shape` maps argument shapes to the result's.
    """

    name: str
    array: str
    scalar: str | None
    code: object
    uni: str
    tex: str
    shape: object
    helper: str | None = None  # a def the generated code needs
    impl: object = None  # a callable the array template may call as _h_<name>
    less: object = None  # x − helper(…) as one callable less(x, …) on arrays, where it saves work
    constant: bool = False  # the value depends on shapes only (codegen writes the number)


def _first(*shapes):
    return shapes[0]


def _onehot(labels, z):
    """Rows of zeros with a 1 at each row's class label (z's shape; labels already checked)."""
    out = np.zeros(np.shape(z))
    out[_label_index(labels, out)] = 1.0
    return out


def _label_index(labels, out: np.ndarray):
    """The index of each row's labelled entry of out: labels (a vector) or (rows, labels)."""
    lab = np.asarray(labels).astype(np.intp, copy=False)
    return lab if out.ndim == 1 else (row_index(out.shape[0]), lab)


def _less_onehot(x, labels, z):
    """x − onehot(labels, z) as a copy of x with 1 taken from each row's labelled entry: the same
    numbers as the subtraction, without building the one-hot rows (cross-entropy's every step)."""
    if np.shape(x) != np.shape(z):
        return x - _onehot(labels, z)
    out = np.array(x, dtype=np.float64)
    out[_label_index(labels, out)] -= 1.0
    return out


def _scatter(g, x, idx):
    """Zeros of x's shape with g at the index idx."""
    out = np.zeros(np.shape(x))
    out[idx] = g
    return out


_EMPTY = np.float64(0.0)  # an empty tensor's size: 2 / size(x) is then inf (times nothing), not an exception


def _size(x) -> float:
    """np.size(x) without its Python wrapper (arrays and NumPy scalars know it; a float is one), as a
    float: Python's arithmetic on it costs less than NumPy scalars' (mse's and mean's every step)."""
    try:
        n = x.size
    except AttributeError:
        return 1.0
    return float(n) if n else _EMPTY


def _rows(x) -> int:
    """N of an (N, C) array, else 1 (np.ndim's dispatch costs more than cross-entropy's scale)."""
    try:
        return len(x) if x.ndim == 2 else 1
    except AttributeError:
        return 1


def _rows_code(args, shapes):
    return str(shapes[0][0] if len(shapes[0]) == 2 else 1)


def _onehot_code(args, shapes):
    lab = f"{args[0]}.astype(int)" if shapes[0] else f"int({args[0]})"
    return f"np.eye({shapes[1][-1]})[{lab}]"


# name: (Python, Unicode, TeX)
_CMP = {"gt": (">", ">", ">"), "lt": ("<", "<", "<"), "ge": (">=", "≥", r"\ge"), "eq": ("==", "=", "=")}
HELPERS: dict[str, Helper] = {
    name: Helper(name, f"($0 {py} $1)", f"(1.0 if $0 {py} $1 else 0.0)", f"($0 {py} $1)",
                 f"[$0 {uni} $1]", f"[$0 {tex} $1]", broadcast)
    for name, (py, uni, tex) in _CMP.items()}
HELPERS.update({h.name: h for h in (
    Helper("where", "_np.where($0, $1, $2)", "($1 if $0 else $2)", "np.where($0, $1, $2)",
           "($1 if $0, else $2)", r"\begin{cases}$1 & \text{if } $0\\ $2 & \text{else}\end{cases}",
           broadcast),
    # sign(NaN) is NaN in NumPy but 0 in PyTorch's abs backward: NaN counts as 0 here.
    Helper("sign", "_np.sign(_np.nan_to_num($0))", "float(($0 > 0) - ($0 < 0))",
           "np.sign(np.nan_to_num($0))", "sign($0)", r"\operatorname{sign}($0)", _first),
    Helper("ones", "_np.ones(_np.shape($0))", "1.0", "np.ones_like($0)", "1", "1", _first),
    Helper("full", "_np.full(_np.shape($0), $1)", "$1", "np.full_like($0, $1)", "$1", "$1",
           lambda x, v: x),
    Helper("size", "_h_size($0)", "1.0", None, "n", "n", lambda x: (), impl=_size, constant=True),
    Helper("rows", "_h_rows($0)", "1.0", _rows_code, "N", "N", lambda x: (), impl=_rows,
           constant=True),
    Helper("onehot", "_h_onehot($0, $1)", None, _onehot_code, "[j = $0]", "[j = $0]",
           lambda lab, z: z, impl=_onehot, less=_less_onehot),
    Helper("col", "_np.expand_dims($0, -1)", None, "$0[..., None]", "$0", "$0",
           lambda g: g + (1,)),
    Helper("item", "$0[$1]", None, "$0[$1]", "$0ₚ", "($0)_p", lambda g, p: g[1:]),
    Helper("scatter", "_h_scatter($0, $1, $2)", None, "scatter($0, $1, $2)", "$0 at i",
           r"$0 \text{ at } i", lambda g, x, i: x, impl=_scatter,
           helper="def scatter(g, x, idx):\n    out = np.zeros_like(x)\n    out[idx] = g\n"
                  "    return out\n"),
)})


class _Reader:
    """A parser sink that builds a formula tree; `resolve` maps a called name to a function name."""

    def __init__(self, variables, resolve, operators):
        self.variables, self.resolve, self.operators = set(variables), resolve, operators
        self.tree = None

    def num(self, value, pos):
        return ("num", float(value))

    def name(self, ident, pos):
        if ident in self.variables:
            return ("var", ident)
        if ident in _NAMED:
            return ("num", _NAMED[ident])
        raise EngineError("formula_name", *pos, "name", name=ident)

    def unary(self, sym, h, pos):
        if sym == "+":
            return h
        return ("num", -h[1]) if h[0] == "num" else ("call", self.operators[("-", 1)], (h,))

    def binary(self, sym, a, b, pos):
        return ("call", self.operators[(sym, 2)], (a, b))

    def call(self, fname, args, pos):
        return ("call", self.resolve(fname, pos), tuple(args))

    def attr(self, h, name, pos):
        return ("call", "transpose", (h,))

    def index(self, h, items, pos):
        return ("call", "item", (h, *items))

    def expr(self, h, pos):
        if self.tree is not None:
            raise EngineError("formula_one", *pos, "syntax")
        self.tree = h

    def begin(self, target, pos):
        """An assignment starts: its right-hand side is read here too, then refused by assign."""
        return self

    def assign(self, target, h, pos):
        raise EngineError("formula_assign", *pos, "syntax")

    def list(self, items, pos):
        raise EngineError("formula_list", *pos, "syntax")

    def finish(self):
        """Nothing to do: the tree is complete."""


def parse(text: str, variables, resolve, operators) -> tuple:
    """A formula's tree, read by the language's own parser."""
    reader = _Reader(variables, resolve, operators)
    Parser(reader, Limits(), Deadline(None)).parse(text)
    return reader.tree


def substitute(node: tuple, env: dict) -> tuple:
    """The tree with variables replaced by the trees in env."""
    if node[0] == "var":
        return env.get(node[1], node)
    if node[0] == "call":
        return ("call", node[1], tuple(substitute(a, env) for a in node[2]))
    return node


def uses(node: tuple, name: str) -> int:
    """How often variable `name` occurs in the tree."""
    if node[0] == "var":
        return int(node[1] == name)
    return sum(uses(a, name) for a in node[2]) if node[0] == "call" else 0


def factor_out(node: tuple, name: str):
    """node / name when node is a product with `name` as one factor and nowhere else; else None."""
    if uses(node, name) != 1:
        return None
    if node == ("var", name):
        return ("num", 1.0)
    if node[0] == "call" and node[1] == "neg":
        inner = factor_out(node[2][0], name)
        return None if inner is None else ("call", "neg", (inner,))
    if node[0] == "call" and node[1] in ("mul", "div"):
        a, b = node[2]
        if uses(a, name):
            inner = factor_out(a, name)
            return None if inner is None else ("call", node[1], (inner, b))
        if node[1] == "mul":
            inner = factor_out(b, name)
            return None if inner is None else ("call", "mul", (a, inner))
    return None


def fold(node: tuple, run) -> tuple:
    """Constant folding with NumPy's IEEE rules (1/0 is inf); `run(name, *values)` evaluates."""
    if node[0] != "call":
        return node
    name, args = node[1], tuple(fold(a, run) for a in node[2])
    if name == "where" and args[0][0] == "num":
        return args[1] if args[0][1] else args[2]
    if all(a[0] == "num" for a in args) and name not in ("size", "rows", "ones", "full"):
        with np.errstate(all="ignore"):
            value = run(name, *[np.float64(a[1]) for a in args])
        if np.ndim(value) == 0:
            return ("num", float(value))
    one = ("num", 1.0)
    if name == "mul" and one in args:
        return args[1] if args[0] == one else args[0]
    if name in ("div", "pow") and args[1] == one:
        return args[0]
    return ("call", name, args)
