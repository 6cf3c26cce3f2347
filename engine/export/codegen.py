"""Staged forward and backward NumPy code for a graph, in the style of the CS231n notes.

One line per gate forward (composites fused with their formula; each user function's calls through
the Python function written for it, export/codefuncs), then one line per local gradient
backward in reverse order: `dx = (local) * dout`, with `+=` where a value fans out, `dW = dD.dot(X.T)`
for products, and `np.sum(..., axis=…)` where broadcasting has to be undone. The text only needs
NumPy; it is for the user to read and run, the server never executes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core.graph import Graph
from ..ops.formula import HELPERS as FORMULA_HELPERS
from ..ops.record import OPS
from .codefuncs import Calls
from .codelines import RESERVED, Names, array, backward_lines, forward_lines, num

__all__ = ["RESERVED", "Staged", "array", "generate", "num"]


def _helper_defs() -> dict[str, str]:
    """The defs generated code may need (softmax, …), by function name, from the op records."""
    texts = [op.helper for op in OPS.values()] + [h.helper for h in FORMULA_HELPERS.values()]
    return {t[4:t.index("(")]: t for t in texts if t}


@dataclass
class Staged:
    """Generated code, with the variable names of every node's value and of every input's gradient.

    `lines` has one entry per line of `code`: None, or (node id, phase) for the lines a node owns,
    phase "input" (its literal), "forward" (its gate) or "backward" (what its gate sends back).
    `inside` has one entry per line too: for a line of a def's Python function, the (node id, phase)
    of the node it writes in each call the function serves (calls whose code reads alike share one);
    a call inside a body owns its lines there with phase call_forward or call_backward.
    """

    code: str
    values: dict[str, str]
    grads: dict[str, str]
    lines: list[tuple[str, str] | None] = field(default_factory=list)
    inside: list[list[tuple[str, str]]] = field(default_factory=list)


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


def generate(graph: Graph, title: str | None = None) -> Staged:
    """Staged forward and backward code for a built graph (values are those in the graph)."""
    names, n, need = Names(), len(graph), _needs_grad(graph)
    calls = Calls(graph, need, names)
    var: list[str] = [""] * n
    rhs: list[str] = [""] * n
    head, body, owners = [], [], {"input": [], "forward": []}
    items = calls.items(0, n - 1)
    forward_lines(graph, items, var, names, rhs, calls, head, body, owners)
    grads, back, owners["backward"] = _emit_backward(graph, items, need, names, var, rhs, calls)
    text = "\n".join(body + back + calls.versions)
    defs = _helper_defs()
    used = [defs[h] for h in sorted(defs) if f"{h}(" in text]
    code_text = _assemble(title, used + calls.versions, head, body, back, var[graph.output], grads)
    lines = _line_owners(code_text, [(head, "input"), (body, "forward"), (back, "backward")], owners)
    inside = _inside_owners(code_text, calls)
    return Staged(code_text, {graph.keys[i]: var[i] for i in range(n)}, grads, lines, inside)


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


def _inside_owners(code: str, calls: Calls) -> list:
    """Per line of code, the nodes of the calls its def's function line writes (empty elsewhere)."""
    text = code.split("\n")[:-1]
    out: list = [[] for _ in text]
    where = {line: k for k, line in enumerate(text) if line.startswith("def ")}
    for version, inner in zip(calls.versions, calls.inner):
        at = where[version.split("\n", 1)[0]]  # a version's first line, def name(…):, is unique
        out[at:at + len(inner)] = inner
    return out


def _emit_backward(graph: Graph, items: list, need: list, names: Names, var: list[str], rhs: list[str],
                   calls: Calls):
    """The seed, then the backward lines in reverse order; the inputs' gradient names."""
    out = graph.output
    dvar: dict[int, str] = {}
    back, own = [], []
    if need[out]:
        dvar[out] = names.new("d" + var[out])
        # A NumPy scalar, not 1.0: Python floats raise on 1/0 (and have no .T) where NumPy answers.
        seed = "np.float64(1.0)" if graph.shapes[out] == () else \
            f"np.ones_like({var[out]})  # seeded with ones: d sum()"
        back.append(f"{dvar[out]} = {seed}")
        own.append(graph.keys[out])
    backward_lines(graph, items, need, var, dvar, names, rhs, calls, back, own)
    grads = {name: dvar[j] for name, j in graph.inputs.items() if j in dvar}
    return grads, back, own


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
