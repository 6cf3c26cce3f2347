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

from ..core.graph import Graph
from ..core.numeric import broadcast

BROADCASTING = {"add", "sub", "mul", "div", "pow", "max", "min", "mse"}
HELPERS = {
    "softmax": ("def softmax(z):\n    e = np.exp(z - np.max(z, axis=-1, keepdims=True))\n"
                "    return e / np.sum(e, axis=-1, keepdims=True)\n"),
    "log_softmax": ("def log_softmax(z):\n    s = z - np.max(z, axis=-1, keepdims=True)\n"
                    "    return s - np.log(np.sum(np.exp(s), axis=-1, keepdims=True))\n"),
}
RESERVED = set(keyword.kwlist) | set(dir(builtins)) | {"np", "grads"} | set(HELPERS)


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
    extra = len(have) - len(want)
    if extra:
        expr = f"np.sum({expr}, axis={0 if extra == 1 else tuple(range(extra))})"
    axes = tuple(k for k, n in enumerate(want) if n == 1 and have[extra + k] != 1)
    if axes:
        expr = f"np.sum({expr}, axis={axes[0] if len(axes) == 1 else axes}, keepdims=True)"
    return expr


def _labels(lab: str, shape: tuple) -> str:
    """Integer class indices from a labels value (a vector of them, or one)."""
    return f"{lab}.astype(int)" if shape else f"int({lab})"


def _forward(op: str, a: list[str], s: list[tuple], attr) -> str:
    """The right-hand side of a gate's forward line."""
    infix = {"add": "+", "sub": "-", "mul": "*", "div": "/", "pow": "**"}
    calls = {"exp": "np.exp", "log": "np.log", "sqrt": "np.sqrt", "abs": "np.abs", "sin": "np.sin",
             "cos": "np.cos", "tanh": "np.tanh", "max": "np.maximum", "min": "np.minimum", "sum": "np.sum",
             "mean": "np.mean", "softmax": "softmax"}
    if op in infix:
        return f"{a[0]} {infix[op]} {a[1]}"
    if op in calls:
        return f"{calls[op]}({', '.join(a)})"
    if op in ("pick", "cross_entropy"):
        rows = f"np.arange({s[0][0]}), " if len(s[0]) == 2 else ""
        where = f"[{rows}{_labels(a[1], s[1])}]"
    return {
        "neg": lambda: f"-{a[0]}",
        "relu": lambda: f"np.maximum({a[0]}, 0.0)",
        "rowsum": lambda: f"np.sum({a[0]}, axis=-1, keepdims=True)",
        "rowmax": lambda: f"np.max({a[0]}, axis=-1, keepdims=True)",
        "matmul": lambda: f"{a[0]}.dot({a[1]})",
        "transpose": lambda: f"{a[0]}.T",
        "stack": lambda: f"np.stack([{', '.join(a)}])",
        "index": lambda: f"{a[0]}[{', '.join(map(str, attr))}]",
        "pick": lambda: f"{a[0]}{where}",
        "sigmoid": lambda: f"1.0 / (1.0 + np.exp(-{a[0]}))",
        "cross_entropy": lambda: f"-np.mean(log_softmax({a[0]}){where})",
        "mse": lambda: f"np.mean(({a[0]} - {a[1]}) ** 2)",
    }[op]()


def _pow_local(p: int, a: list[str], y: str, consts: list) -> str:
    """Local derivative of a ** b: a constant exponent is written out, as (2 * xpy) in the notes."""
    if p == 1:
        return f"np.where(({a[0]} == 0) & ({a[1]} >= 0), 0.0, {y} * np.log({a[0]}))"
    c = consts[1]
    if c is None:
        return f"np.where({a[1]} == 0, 0.0, {a[1]} * {a[0]} ** ({a[1]} - 1))"
    if c == 0:
        return "0.0"
    return f"2 * {a[0]}" if c == 2 else f"{num(c)} * {a[0]} ** {num(c - 1)}"


def _local(op: str, p: int, a: list[str], y: str, consts: list) -> str | None:
    """The local derivative of an elementwise gate (multiplied by the upstream gradient)."""
    tie = f"({a[p]} {'>' if op == 'max' else '<'} {a[1 - p]}) + 0.5 * ({a[0]} == {a[1]})" \
        if op in ("max", "min") else None
    table = {
        "add": lambda: "1", "sub": lambda: "1" if p == 0 else "-1", "neg": lambda: "-1",
        "mul": lambda: a[1 - p], "div": lambda: f"1 / {a[1]}" if p == 0 else f"-{a[0]} / {a[1]} ** 2",
        "pow": lambda: _pow_local(p, a, y, consts), "exp": lambda: y, "log": lambda: f"1 / {a[0]}",
        "sqrt": lambda: f"0.5 / {y}", "abs": lambda: f"np.sign({a[0]})", "sin": lambda: f"np.cos({a[0]})",
        "cos": lambda: f"-np.sin({a[0]})", "tanh": lambda: f"1 - {y} ** 2", "relu": lambda: f"{a[0]} > 0",
        "max": lambda: tie, "min": lambda: tie, "sigmoid": lambda: f"(1 - {y}) * {y}",
    }
    return table[op]() if op in table else None


def _backward(op: str, p: int, a: list[str], s: list[tuple], y: str, dy: str, consts: list) -> str:
    """The contribution a gate sends back to its input p (before broadcasting is undone)."""
    local = _local(op, p, a, y, consts)
    if local is not None:
        return f"({local}) * {dy}"
    n = math.prod(broadcast(*s)) if op == "mse" else math.prod(s[0])
    if op == "matmul":
        return _matmul_back(p, a, s, dy)
    onehot = f"np.eye({s[0][-1]})[{_labels(a[1], s[1])}]" if op in ("pick", "cross_entropy") else ""
    return {
        "sum": lambda: f"np.ones_like({a[0]}) * {dy}",
        "mean": lambda: f"np.ones_like({a[0]}) * {dy} / {n}",
        "rowsum": lambda: f"np.ones_like({a[0]}) * {dy}",
        "rowmax": lambda: f"({a[0]} == {y}) / np.sum({a[0]} == {y}, axis=-1, keepdims=True) * {dy}",
        "transpose": lambda: f"{dy}.T",
        "stack": lambda: f"{dy}[{p}]",
        "pick": lambda: f"{onehot} * {dy}[:, None]" if len(s[0]) == 2 else f"{onehot} * {dy}",
        "softmax": lambda: f"{y} * ({dy} - np.sum({dy} * {y}, axis=-1, keepdims=True))",
        "cross_entropy": lambda: f"(softmax({a[0]}) - {onehot}) / {s[0][0] if len(s[0]) == 2 else 1} * {dy}",
        "mse": lambda: f"({'' if p == 0 else '-'}2 * ({a[0]} - {a[1]}) / {n}) * {dy}",
    }[op]()


def _matmul_back(p: int, a: list[str], s: list[tuple], dy: str) -> str:
    """dA = dY·Bᵀ and dB = Aᵀ·dY, with outer products where an operand is a vector."""
    va, vb = len(s[0]) == 1, len(s[1]) == 1
    if va and vb:
        return f"{dy} * {a[1 - p]}"
    if p == 0:
        return f"np.outer({dy}, {a[1]})" if vb else f"{dy}.dot({a[1]}.T)"
    return f"np.outer({a[0]}, {dy})" if va else f"{a[0]}.T.dot({dy})"


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

    def new(self, base: str) -> str:
        name = base if base.isidentifier() else "v"
        while name in self.taken:
            name += "_"
        self.taken.add(name)
        return name


def generate(graph: Graph, title: str | None = None) -> Staged:
    """Staged forward and backward code for a built graph (values are those in the graph)."""
    names, n = _Names(), len(graph)
    var: list[str] = [""] * n
    rhs: list[str] = [""] * n
    head, body, owners = [], [], {"input": [], "forward": []}
    for i in range(n):
        kind, v = graph.kinds[i], graph.values[i]
        if kind == "const" and not isinstance(v, np.ndarray):
            var[i] = num(v)
            continue
        base = graph.names[i] or (f"c{i}" if kind == "const" else f"{graph.ops[i].name}{i}")
        var[i] = names.new(base)
        if kind == "op":
            rhs[i] = _forward(graph.ops[i].name, [var[j] for j in graph.args[i]], _in_shapes(graph, i),
                              _attr(graph, i))
            body.append(f"{var[i]} = {rhs[i]}")
            owners["forward"].append(graph.keys[i])
        else:
            lit = array(v) if isinstance(v, np.ndarray) else f"np.float64({num(v, False)})"
            head.append(f"{var[i]} = {lit}")
            owners["input"].append(graph.keys[i])
    grads, back, owners["backward"] = _emit_backward(graph, names, var, rhs)
    used = {h for h in HELPERS if f"{h}(" in "\n".join(body + back)}
    code = _assemble(title, [HELPERS[h] for h in sorted(used)], head, body, back, var[graph.output], grads)
    lines = _line_owners(code, [(head, "input"), (body, "forward"), (back, "backward")], owners)
    return Staged(code, {graph.keys[i]: var[i] for i in range(n)}, grads, lines)


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


def _in_shapes(graph: Graph, i: int) -> list[tuple]:
    """Shapes of node i's inputs."""
    return [graph.shapes[j] for j in graph.args[i]]


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
        seed = "1.0" if graph.shapes[out] == () else f"np.ones_like({var[out]})  # seeded with ones: d sum()"
        back.append(f"{dvar[out]} = {seed}")
        own.append(graph.keys[out])
    for i in range(len(graph) - 1, -1, -1):
        if graph.ops[i] is None or not need[i] or i not in dvar:
            continue
        back.append(f"# backprop {var[i]} = {rhs[i]}")
        for p, j in enumerate(graph.args[i]):
            if need[j] and graph.vjps[i][p] is not None:
                first = j not in dvar
                if first:
                    dvar[j] = names.new("d" + var[j])
                back += _contribution(graph, i, p, var, dvar, first)
        own += [graph.keys[i]] * (len(back) - len(own))
    grads = {name: dvar[j] for name, j in graph.inputs.items() if j in dvar}
    return grads, back, own


def _contribution(graph: Graph, i: int, p: int, var: list[str], dvar: dict, first: bool) -> list[str]:
    """The line (two for an index gate's scatter) that sends node i's gradient to its input p."""
    op, j, s = graph.ops[i].name, graph.args[i][p], _in_shapes(graph, i)
    a, d, dy = [var[k] for k in graph.args[i]], dvar[graph.args[i][p]], dvar[i]
    if op == "index":
        idx = ", ".join(map(str, _attr(graph, i)))
        return ([f"{d} = np.zeros_like({a[0]})"] if first else []) + [f"{d}[{idx}] += {dy}"]
    consts = [graph.values[k] if graph.kinds[k] == "const" and np.ndim(graph.values[k]) == 0 else None
              for k in graph.args[i]]
    expr = _backward(op, p, a, s, var[i], dy, consts)
    # Elementwise gates of two inputs produce the broadcast shape; every other rule gives the input's.
    have = broadcast(*s) if op in BROADCASTING else graph.shapes[j]
    return [f"{d} {'=' if first else '+='} {_unbroadcast(expr, have, graph.shapes[j])}"]


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
