"""The lines of staged NumPy code: a gate's forward right-hand side and what it sends back.

Each is printed from the op record's code template and derivative formula (export/codegen puts
the lines in order, at the top level or inside the function of a user-defined def).
"""

from __future__ import annotations

import builtins
import keyword
import math

import numpy as np

from ..core.errors import EngineError
from ..core.graph import Graph
from ..core.numeric import sum_axes
from ..ops.formula import fold, substitute
from ..ops.printers import ATOM, code, infix, shape_of
from ..ops.record import constant, lookup

RESERVED = set(keyword.kwlist) | set(dir(builtins)) | {"np", "grads"}


class Names:
    """Python identifiers for values and gradients: the program's names where they are free."""

    def __init__(self):
        self.taken = set(RESERVED)
        self.count: dict[str, int] = {}  # base -> how many names were derived from it

    def new(self, base: str) -> str:
        base = base if base.isidentifier() else "v"
        name = base
        # base, base_, then numbered: a name rebound N times must not grow to N underscores (N² text).
        while name in self.taken:
            k = self.count[base] = self.count.get(base, 0) + 1
            name = base + "_" if k == 1 else f"{base}_{k}"
        self.taken.add(name)
        return name


def num(v: float, wrap: bool = True) -> str:
    """A scalar as a Python literal that parses back to the same float (negatives in parentheses)."""
    v = float(v)
    if math.isnan(v):
        return "np.nan"
    if math.isinf(v):
        return "np.inf" if v > 0 else "(-np.inf)" if wrap else "-np.inf"
    text = repr(v)
    return f"({text})" if v < 0 and wrap else text


def array(a: np.ndarray) -> str:
    """A tensor as np.array([...]) with exact floats."""
    def nested(x):
        return "[" + ", ".join(nested(e) for e in x) + "]" if isinstance(x, list) else num(x, False)
    return f"np.array({nested(a.tolist())})"


def _unbroadcast(expr: str, have: tuple, want: tuple) -> str:
    """Sum a contribution of shape `have` over the axes broadcasting added, back to shape `want`."""
    if have == want:
        return expr
    if want == ():
        return f"np.sum({expr})"
    lead, keep = sum_axes(have, want)
    if lead:
        expr = f"np.sum({expr}, axis={lead[0] if len(lead) == 1 else lead})"
    if keep:
        expr = f"np.sum({expr}, axis={keep[0] if len(keep) == 1 else keep}, keepdims=True)"
    return expr


def forward_rhs(graph: Graph, i: int, var: list[str]) -> str:
    """The right-hand side of a gate's forward line, from the op record's code template."""
    op, ins = graph.ops[i], graph.args[i]
    args = [(var[j], ATOM) for j in ins]  # negative literals come in parentheses
    if all(graph.kinds[j] == "const" and type(graph.values[j]) is float for j in ins):
        # Python's floats raise on 1/0 and overflow where the engine (NumPy) answers inf and nan.
        args[0] = (f"np.float64({num(graph.values[ins[0]], False)})", ATOM)
    if op.code is None:
        if op.infix:
            return (f"-{args[0][0]}" if len(args) == 1 else infix(op.infix, *args)[0])
        raise EngineError("export_code", kind="value", op=op.name)
    if callable(op.code):
        return op.code([a for a, _ in args], [graph.shapes[j] for j in ins], attr_of(graph, i))
    return code(("call", op.name, tuple(("var", str(k)) for k in range(len(ins)))),
                {str(k): a for k, (a, _) in enumerate(args)}, {}, lookup)[0] if not op.infix \
        else infix(op.infix, *args)[0]



def attr_of(graph: Graph, i: int):
    """The static attribute of an index gate (bound into its forward), else None."""
    f = graph.fwd[i]
    return f.args[0] if graph.ops[i].with_attr else None



def backward_expr(graph: Graph, i: int, p: int, var: list[str], dy: str) -> str:
    """What node i sends to its input p: the record's formula printed as NumPy, summed back over
    broadcast axes. Elementwise formulas are written (local) * dout, as in the notes."""
    op, ins = graph.ops[i], graph.args[i]
    # A variadic gate's edge reads only its own operand: looking at all N for each of N edges is N².
    params, ins = ([op.params[0]], [ins[p]]) if op.variadic else (list(op.params), ins)
    env = {"out": var[i], "g": dy, "p": str(p), "idx": repr(tuple(attr_of(graph, i) or ()))}
    shapes = {"out": graph.shapes[i], "g": graph.shapes[i], "p": (), "idx": ()}
    consts = {}
    for name, j in zip(params, ins):
        env[name], shapes[name] = var[j], graph.shapes[j]
        if graph.kinds[j] == "const" and type(graph.values[j]) is float:
            consts[name] = ("num", graph.values[j])  # written out: (2 * x) for x ** 2
    want = graph.shapes[graph.args[i][p]]
    reshape = _promote(op, ins, graph, env, shapes)
    q = 0 if op.variadic else p
    tree, local = op.trees[q], op.locals_[q]
    have = shape_of(tree, shapes, lookup)
    if local is not None and not reshape:
        expr = f"({code(fold(substitute(local, consts), constant), env, shapes, lookup)[0]}) * {dy}"
    else:
        expr = code(fold(substitute(tree, consts), constant), env, shapes, lookup)[0]
    if reshape:
        expr, have = f"np.reshape({expr}, {want})", want
    return _unbroadcast(expr, have, want)


def _promote(op, ins, graph: Graph, env: dict, shapes: dict) -> bool:
    """Matrix formulas on vector operands: a as a row, b as a column, the gradient reshaped to fit."""
    if not op.matrices or all(len(graph.shapes[j]) == 2 for j in ins):
        return False
    (sa, sb), (na, nb) = [graph.shapes[j] for j in ins], op.params
    ra, cb = (sa[0] if len(sa) == 2 else 1), (sb[1] if len(sb) == 2 else 1)
    if len(sa) == 1:
        env[na], shapes[na] = f"{env[na]}.reshape(1, -1)", (1, sa[0])
    if len(sb) == 1:
        env[nb], shapes[nb] = f"{env[nb]}.reshape(-1, 1)", (sb[0], 1)
    env["g"], shapes["g"] = f"np.reshape({env['g']}, ({ra}, {cb}))", (ra, cb)
    return True


def forward_lines(graph: Graph, items: list, var, names, rhs, calls, head: list, body: list,
                  owners: dict | None, first: int = 0, out: int = -1) -> None:
    """One scope's forward lines: literals into `head`, gates and calls into `body`.

    `items` are ("node", index) and ("call", group id) in order; `calls` writes the calls. Unnamed
    values are numbered from the scope's `first` node and a function's `out` ignores the name its
    caller gives it, so that calls of one def read alike.
    """
    for n, (what, i) in enumerate(items):
        if not n & 255:
            graph.deadline.check()
        if what == "call":
            body.append(calls.call_line(i, var, names))
            if owners is not None:
                owners["forward"].append(i)
            continue
        kind, v = graph.kinds[i], graph.values[i]
        if kind == "const" and not isinstance(v, np.ndarray):
            var[i] = num(v)
            continue
        k = i - first
        given = graph.names[i] if i != out else None
        base = given or (f"c{k}" if kind == "const" else f"{graph.ops[i].name}{k}")
        var[i] = names.new(base)
        if kind == "op":
            rhs[i] = forward_rhs(graph, i, var)
            body.append(f"{var[i]} = {rhs[i]}")
        else:
            lit = array(v) if isinstance(v, np.ndarray) else f"np.float64({num(v, False)})"
            head.append(f"{var[i]} = {lit}")
        if owners is not None:
            owners["input" if kind != "op" else "forward"].append(graph.keys[i])


def backward_lines(graph: Graph, items: list, need: list, var, dvar: dict, names, rhs, calls,
                   back: list, own: list | None) -> None:
    """One scope's backward lines in reverse order: `=` for a first contribution, `+=` after."""
    for n, (what, i) in enumerate(reversed(items)):
        if not n & 255:
            graph.deadline.check()
        if what == "call":
            calls.backward_call(i, var, dvar, names, back)
        elif graph.ops[i] is not None and need[i] and i in dvar:
            back.append(f"# backprop {var[i]} = {rhs[i]}")
            for p, j in enumerate(graph.args[i]):
                if need[j] and graph.vjps[i][p] is not None:
                    first = j not in dvar
                    if first:
                        dvar[j] = names.new("d" + var[j])
                    expr = backward_expr(graph, i, p, var, dvar[i])
                    back.append(f"{dvar[j]} {'=' if first else '+='} {expr}")
        else:
            continue
        if own is not None:
            own += [i if what == "call" else graph.keys[i]] * (len(back) - len(own))
