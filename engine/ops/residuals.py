"""Values an op's forward computes anyway and its derivative needs again (cross-entropy's softmax).

A record declares them with `saves={"p": "softmax(z)"}` and a forward that returns (y, p, …); its
formulas use the names. Each graph node gets its own forward, which keeps the residuals of its last
call in a box, and vjps that reuse them when called with the same operands (the same step), else
compute them from their formulas. Everything else (codegen, formulas people read) sees the formulas
inlined. The vjps are compiled with the box as their first parameter (see record._boxed_vjp), so a
reusing vjp is one call, as fast as the fused kernels this replaced.
"""

from __future__ import annotations

from functools import partial


def bind(raw_forward, boxed_vjps: tuple) -> tuple:
    """(forward, vjps) for one node: the forward keeps its residuals for that node's vjps."""
    box: list = [None]

    def forward(*xs):
        out = raw_forward(*xs)
        box[0] = (xs, out[1:])  # one write of a new tuple: a reader in another thread sees old or new
        return out[0]
    return forward, tuple(None if v is None else partial(v, box) for v in boxed_vjps)


def unbound(raw_forward, boxed_vjps: tuple) -> tuple:
    """(forward, vjps) shared by every use outside a node: residuals always computed afresh."""
    empty = (None,)  # a box that never holds residuals
    return (lambda *xs: raw_forward(*xs)[0]), tuple(None if v is None else partial(v, empty)
                                                     for v in boxed_vjps)
