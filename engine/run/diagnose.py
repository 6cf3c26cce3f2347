"""Name the mistake in a wrong hand-written backward line: the classic ones first (CS231n's warnings)."""

from __future__ import annotations

import numpy as np

from ..core.messages import message, render
from ..core.numeric import fmt_shape
from ..export.codelines import backward_expr, forward_rhs
from ..ops.printers import ATOM, fill
from .linevalues import close as _close
from .linevalues import combine, run_line


def said(code: str, **params) -> dict:
    """A verdict's message: its English text, and its code and parameters for other languages."""
    return {"message": render(code, params), "code": code, "params": params}


def _show(v):
    """A value as a message shows it (a message parameter)."""
    return f"{float(v):.6g}" if np.ndim(v) == 0 else message("value_array", shape=fmt_shape(np.shape(v)))


def diagnose(ctx: dict) -> dict:
    """{"mistake", "message", "code", "params"} for a line whose value is not the gradient it should be."""
    line, grader = ctx["line"], ctx["grader"]
    for check in (_overwrite, _propagated, _shape, _transposed, _sign, _upstream):
        found = check(ctx, line, grader)
        if found:
            return {"mistake": found[0], **found[1]}
    return {"mistake": "wrong", **said("mistake_wrong", target=line.target, expected=_show(ctx["expected"]),
                                       user=_show(ctx["user"]))}


def _overwrite(ctx, line, grader):
    """`dx = …` at a fan-out: the branch is right, but what earlier lines gave dx is lost."""
    if ctx["lost"] and ctx["matched"]:
        earlier = [grader.statement(s) for s in sorted(ctx["lost"])]
        return "overwrite", said("mistake_overwrite", target=line.target, earlier=earlier, name=line.name)
    return None


def _propagated(ctx, line, grader):
    """Right given the true values of the d-names it reads: the mistake is on an earlier line."""
    culprits = [(ref, grader.state[ref]) for kind, ref in line.refs.values()
                if kind == "backward" and grader.state[ref].wrong]
    base = ctx["name"] if line.how != "=" and ctx["name"] is not None and ctx["name"].wrong else None
    if not culprits and base is None:
        return None
    fixed = combine(line.how, ctx["base_exp"], run_line(line, ctx["true"], grader.g.deadline))
    if not _close(fixed, ctx["expected"]):
        return None
    first = min([(c.line, ref) for ref, c in culprits] + ([(base.line, line.target)] if base else []))
    return "propagated", said("mistake_propagated", ref=first[1], ref_line=first[0], target=line.target,
                              expected=_show(ctx["expected"]))


def matmul_hint(grader, node: int, chosen: set):
    """For a product D = W.dot(X) a branch goes through (an op on matrices): each operand's
    gradient in the program's names, printed from the op's record as generated code writes it."""
    g, branches = grader.g, grader.branches[node]
    index = {k: i for i, k in enumerate(g.keys)}
    for s in sorted(chosen):
        for gate in branches[s][1]:
            i = index[gate.rsplit(":", 1)[0]]
            op = g.ops[i]
            if op is not None and op.matrices and all(len(g.shapes[j]) == 2 for j in g.args[i]):
                return _product_hint(g, i)
    return ""


def _product_hint(g, i: int) -> dict:
    """The hint's message for gate i: its forward line and one derivative per operand."""
    var = [n or "?" for n in g.names]
    for j, fallback in zip(g.args[i], "AB"):
        var[j] = g.names[j] or fallback
    out = var[i] = g.names[i] or "D"
    grads = [f"d{var[j]} = {backward_expr(g, i, p, var, 'd' + out)}" for p, j in enumerate(g.args[i])]
    op = g.ops[i]
    # The record's code template (W.dot(X), as the grads are written), not the infix forward_rhs prefers.
    forward = fill(op.code, [(var[j], ATOM) for j in g.args[i]])[0] if isinstance(op.code, str) \
        else forward_rhs(g, i, var)
    return message("matmul_hint", out=out, forward=forward, grads=grads)


def _matmul_hint(ctx, grader):
    """The product hint for the branches this line accounts for."""
    return matmul_hint(grader, ctx["line"].node, ctx["chosen"])


def _shape(ctx, line, grader):
    """The value's shape is not the variable's (a transposed product, most often)."""
    user, expected = ctx["user"], ctx["expected"]
    if np.shape(user) == np.shape(expected):
        return None
    if np.ndim(user) == 2 and _close(np.transpose(user), expected):
        return "transposed", said("mistake_transposed_shape", target=line.target,
                                  hint=_matmul_hint(ctx, grader))
    return "shape", said("mistake_shape", target=line.target, shape=fmt_shape(np.shape(user)), name=line.name,
                         expected=fmt_shape(np.shape(expected)), hint=_matmul_hint(ctx, grader))


def _due(ctx, grader):
    """What the line's increment should have been: the chosen branches' contributions."""
    branches = grader.branches[ctx["line"].node]
    return sum((branches[s][0] for s in sorted(ctx["chosen"])), 0.0)


def _transposed(ctx, line, grader):
    """A square product transposed: same shape, the transposed values."""
    if np.ndim(ctx["inc"]) == 2 and _close(np.transpose(ctx["inc"]), _due(ctx, grader)):
        return "transposed", said("mistake_transposed", target=line.target, hint=_matmul_hint(ctx, grader))
    return None


def _sign(ctx, line, grader):
    """The right size with the wrong sign."""
    if _close(np.negative(ctx["inc"]), _due(ctx, grader)):
        return "sign", said("mistake_sign", target=line.target, expected=_show(ctx["expected"]))
    return None


def _upstream(ctx, line, grader):
    """The local gradient alone: the chain rule's upstream factor d<t> is missing."""
    if len(ctx["chosen"]) != 1:
        return None
    (s,) = ctx["chosen"]
    _, target, _, node = grader.g.stmts[s]
    up = None if node is None else grader.g.grads[node]
    if up is None or _close(up, np.ones(np.shape(up)) if np.ndim(up) else 1.0):
        return None
    try:
        scaled = np.multiply(ctx["inc"], up)
    except ValueError:
        return None
    if _close(scaled, _due(ctx, grader)):
        return "upstream", said("mistake_upstream", target=target)
    return None
