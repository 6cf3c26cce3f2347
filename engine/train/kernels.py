"""Lean per-node kernels for the hottest ops of training programs (used by trainstep.TrainStep).

Each factory makes the forward and vjps of one node. The forward keeps what its vjp needs (p − t,
the softmax) so the backward pass does not compute it again; a vjp called with other operands than
the last forward recomputes. Labels are checked once, by the full forward pass before training
(every batch is rows of checked data). test_optimize checks them against the op table's kernels.
"""

from __future__ import annotations

import numpy as np


def _matmul():
    """dA = dY·Bᵀ and dB = Aᵀ·dY on matrices, without the vector-promotion the op table does."""
    return np.matmul, (lambda g, y, a, b: g @ b.T, lambda g, y, a, b: a.T @ g)


def _mean():
    """mean(x) as one reduction (np.mean's Python wrapper costs more than the sum)."""
    return (lambda x: float(np.add.reduce(x, axis=None)) / x.size,
            (lambda g, y, x: np.full(x.shape, g / x.size),))


def _mse():
    """mean((p − t)²), keeping p − t for both vjps."""
    box = [None, None, None]

    def forward(p, t):
        d = np.subtract(p, t)
        box[:] = p, t, d
        return float(np.vdot(d, d)) / d.size

    def diff(p, t):
        return box[2] if box[0] is p and box[1] is t else np.subtract(p, t)

    def dp(g, y, p, t):
        d = diff(p, t)
        return (2.0 * g / d.size) * d

    def dt(g, y, p, t):
        d = diff(p, t)
        return (-2.0 * g / d.size) * d

    return forward, (dp, dt)


def _cross_entropy():
    """Mean softmax cross-entropy of (N, C) scores, keeping the softmax for the vjp."""
    box = [None, None, None]

    def forward(z, labels):
        s = z - z.max(axis=1, keepdims=True)
        e = np.exp(s)
        total = e.sum(axis=1, keepdims=True)
        rows, lab = np.arange(len(z)), labels.astype(np.intp)
        box[:] = z, labels, e / total
        return -float(np.add.reduce(s[rows, lab] - np.log(total[:, 0]))) / len(z)

    def dz(g, y, z, labels):
        if box[0] is not z or box[1] is not labels:
            forward(z, labels)
        p = box[2]
        box[0] = None  # p is changed in place below: a second call must recompute it
        p[np.arange(len(z)), labels.astype(np.intp)] -= 1.0
        p *= g / len(z)
        return p

    return forward, (dz, None)


MATRIX_KERNELS = {"matmul": _matmul, "mean": _mean, "mse": _mse, "cross_entropy": _cross_entropy}


def kernels(op: str, shapes: list[tuple]):
    """(forward, vjps) of a lean kernel for these operand shapes, or None to use the op table's."""
    make = MATRIX_KERNELS.get(op)
    if make is None:
        return None
    if op == "cross_entropy":
        fits = len(shapes[0]) == 2 and len(shapes[1]) == 1
    else:
        fits = all(len(s) == 2 for s in shapes)
    return make() if fits else None
