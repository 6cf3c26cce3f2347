"""Staged forward and backward NumPy code for a graph, in the style of the CS231n notes.

One line per gate forward (composites fused with their formula), then one line per local gradient
backward in reverse order: `dx = (local) * dout`, with `+=` where a value fans out, `dW = dD.dot(X.T)`
for products, and `np.sum(..., axis=…)` where broadcasting has to be undone. The text only needs
NumPy; it is for the user to read and run, the server never executes it.
"""

from __future__ import annotations

import builtins
import keyword
import math
from dataclasses import dataclass, field

import numpy as np

from ..core.errors import EngineError
from ..core.graph import Graph
from ..core.numeric import sum_axes
from ..ops.formula import HELPERS as FORMULA_HELPERS
from ..ops.formula import fold, substitute
from ..ops.printers import ATOM, code, infix, shape_of
from ..ops.record import OPS, constant, lookup


def _helper_defs() -> dict[str, str]:
    """The defs generated code may need (softmax, …), by function name, from the op records."""
    texts = [op.helper for op in OPS.values()] + [h.helper for h in FORMULA_HELPERS.values()]
    return {t[4:t.index("(")]: t for t in texts if t}


RESERVED = set(keyword.kwlist) | set(dir(builtins)) | {"np", "grads"}


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


def _forward(graph: Graph, i: int, var: list[str]) -> str:
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
        return op.code([a for a, _ in args], [graph.shapes[j] for j in ins], _attr(graph, i))
    return code(("call", op.name, tuple(("var", str(k)) for k in range(len(ins)))),
                {str(k): a for k, (a, _) in enumerate(args)}, {}, lookup)[0] if not op.infix \
        else infix(op.infix, *args)[0]


@dataclass
class Staged:
    """Generated code, with the variable names of every node's value and of every input's gradient.

    `lines` has one entry per line of `code`: None, or (node id, phase) for the lines a node owns,
    phase "input" (its literal), "forward" (its gate) or "backward" (what its gate sends back).
    """

    code: str
    values: dict[str, str]
    grads: dict[str, str]
    lines: list[tuple[str, str] | None] = field(default_factory=list)


def _needs_grad(g: Graph) -> list[bool]:
    """Nodes that both depend on an input and reach the output through differentiable edges."""
    n = len(g)
    req, reach = [False] * n, [False] * n
    for i in range(n):
        req[i] = g.kinds[i] == "input" or (g.ops[i] is not None and any(
            req[j] and v is not None for j, v in zip(g.args[i], g.vjps[i])))
    reach[g.output] = True
    for i in range(n - 1, -1, -1):
        if reach[i] and g.ops[i] is not None:
            for j, v in zip(g.args[i], g.vjps[i]):
                reach[j] = reach[j] or v is not None
    return [r and q for r, q in zip(req, reach)]


class _Names:
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


def generate(graph: Graph, title: str | None = None) -> Staged:
    """Staged forward and backward code for a built graph (values are those in the graph)."""
    names, n = _Names(), len(graph)
    var: list[str] = [""] * n
    rhs: list[str] = [""] * n
    head, body, owners = [], [], {"input": [], "forward": []}
    for i in range(n):
        if not i & 255:
            graph.deadline.check()
        kind, v = graph.kinds[i], graph.values[i]
        if kind == "const" and not isinstance(v, np.ndarray):
            var[i] = num(v)
            continue
        base = graph.names[i] or (f"c{i}" if kind == "const" else f"{graph.ops[i].name}{i}")
        var[i] = names.new(base)
        if kind == "op":
            rhs[i] = _forward(graph, i, var)
            body.append(f"{var[i]} = {rhs[i]}")
            owners["forward"].append(graph.keys[i])
        else:
            lit = array(v) if isinstance(v, np.ndarray) else f"np.float64({num(v, False)})"
            head.append(f"{var[i]} = {lit}")
            owners["input"].append(graph.keys[i])
    grads, back, owners["backward"] = _emit_backward(graph, names, var, rhs)
    text = "\n".join(body + back)
    defs = _helper_defs()
    used = [defs[h] for h in sorted(defs) if f"{h}(" in text]
    code_text = _assemble(title, used, head, body, back, var[graph.output], grads)
    lines = _line_owners(code_text, [(head, "input"), (body, "forward"), (back, "backward")], owners)
    return Staged(code_text, {graph.keys[i]: var[i] for i in range(n)}, grads, lines)


def _line_owners(code: str, sections: list, owners: dict) -> list:
    """(node id, phase) per line of code: each section's lines are found in order after the last."""
    out: list = [None] * code.count("\n")
    text, at = code.split("\n"), 0
    for lines, phase in sections:
        for line, key in zip(lines, owners[phase]):
            while text[at] != line:
                at += 1
            out[at] = (key, phase)
            at += 1
    return out


def _attr(graph: Graph, i: int):
    """The static attribute of an index gate (bound into its forward), else None."""
    f = graph.fwd[i]
    return f.args[0] if graph.ops[i].with_attr else None


def _emit_backward(graph: Graph, names: _Names, var: list[str], rhs: list[str]):
    """The backward lines in reverse order, `=` for a gradient's first contribution and `+=` after."""
    need, out = _needs_grad(graph), graph.output
    dvar: dict[int, str] = {}
    back, own = [], []
    if need[out]:
        dvar[out] = names.new("d" + var[out])
        # A NumPy scalar, not 1.0: Python floats raise on 1/0 (and have no .T) where NumPy answers.
        seed = "np.float64(1.0)" if graph.shapes[out] == () else \
            f"np.ones_like({var[out]})  # seeded with ones: d sum()"
        back.append(f"{dvar[out]} = {seed}")
        own.append(graph.keys[out])
    for i in range(len(graph) - 1, -1, -1):
        if graph.ops[i] is None or not need[i] or i not in dvar:
            continue
        if not i & 255:
            graph.deadline.check()
        back.append(f"# backprop {var[i]} = {rhs[i]}")
        for p, j in enumerate(graph.args[i]):
            if need[j] and graph.vjps[i][p] is not None:
                first = j not in dvar
                if first:
                    dvar[j] = names.new("d" + var[j])
                expr = _backward(graph, i, p, var, dvar[i])
                back.append(f"{dvar[j]} {'=' if first else '+='} {expr}")
        own += [graph.keys[i]] * (len(back) - len(own))
    grads = {name: dvar[j] for name, j in graph.inputs.items() if j in dvar}
    return grads, back, own


def _backward(graph: Graph, i: int, p: int, var: list[str], dy: str) -> str:
    """What node i sends to its input p: the record's formula printed as NumPy, summed back over
    broadcast axes. Elementwise formulas are written (local) * dout, as in the notes."""
    op, ins = graph.ops[i], graph.args[i]
    # A variadic gate's edge reads only its own operand: looking at all N for each of N edges is N².
    params, ins = ([op.params[0]], [ins[p]]) if op.variadic else (list(op.params), ins)
    env = {"out": var[i], "g": dy, "p": str(p), "idx": repr(tuple(_attr(graph, i) or ()))}
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


def _assemble(title, helpers, head, body, back, out: str, grads: dict) -> str:
    """The whole file: imports, helpers, inputs, forward, backward, and the printed gradients."""
    lines = [f"# {title or 'Gatewise: forward and backward pass, staged as in the CS231n notes'}",
             "# Runs on its own: python this_file.py (needs only numpy).", "import numpy as np", "",
             "np.seterr(all='ignore')  # 1/0 is inf and log(-1) is nan, as in Gatewise", ""]
    for h in helpers:
        lines += [h.rstrip("\n"), "", ""]
    lines += ["# inputs", *head, "", "# forward pass: one line per gate", *body, "",
              "# backward pass: one line per local gradient, += where a value fans out", *back, "",
              f'print("{out} =", {out})']
    lines += [f'print("{d} =", {d})' for d in grads.values()]
    lines.append("grads = {" + ", ".join(f'"{k}": {d}' for k, d in grads.items()) + "}")
    return "\n".join(lines) + "\n"
