"""Values an op's forward computes anyway and its derivative needs again (cross-entropy's softmax).

A record declares them with `saves={"p": "softmax(z)"}` and a forward that returns (y, p, …); its
formulas use the names. Each graph node gets its own forward, which keeps the residuals of its last
call, and vjps that reuse them when called with the same operands (the same step), else compute them
from their formulas. Everything else (codegen, formulas people read) sees the formulas inlined.
"""

from __future__ import annotations


def reuse(fallback, box: list):
    """residuals(*xs): the box's if its operands are these very objects, else fallback(*xs)."""
    def residuals(xs: tuple) -> tuple:
        kept = box[0]  # one read: another thread may replace the tuple, never change it
        if kept is not None and len(kept[0]) == len(xs) and all(a is b for a, b in zip(kept[0], xs)):
            return kept[1]
        return fallback(*xs)
    return residuals


def bind(raw_forward, raw_vjps: tuple, fallback) -> tuple:
    """(forward, vjps) for one node: the forward keeps its residuals for that node's vjps."""
    box: list = [None]
    residuals = reuse(fallback, box)

    def forward(*xs):
        y, *res = raw_forward(*xs)
        box[0] = (xs, tuple(res))
        return y

    def wrap(v):
        return None if v is None else (lambda g, y, *xs: v(g, y, *xs, *residuals(xs)))
    return forward, tuple(wrap(v) for v in raw_vjps)


def unbound(raw_forward, raw_vjps: tuple, fallback) -> tuple:
    """(forward, vjps) shared by every use outside a node: residuals always computed afresh."""
    def wrap(v):
        return None if v is None else (lambda g, y, *xs: v(g, y, *xs, *fallback(*xs)))
    return (lambda *xs: raw_forward(*xs)[0]), tuple(wrap(v) for v in raw_vjps)
