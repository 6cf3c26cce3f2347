"""Reductions, linear algebra, structure ops and the neural-network composites, one block per op.

A composite (sigmoid, softmax, cross_entropy, mse) has a fused forward, one derivative formula per
input, and an `expansion` written in the language itself; the builder can emit the expansion
instead, with identical values.
"""

from __future__ import annotations

import math

import numpy as np

from ..core.numeric import (
    broadcast,
    check_labels,
    index_shape,
    labels_shape,
    matmul_shape,
    needs_axis,
    row_index,
    row_shape,
    stack_shape,
    to_scalar,
    transpose_shape,
)
from .record import OPS, defop

# ---- reductions -------------------------------------------------------------------------------

defop("sum", "sum(x)", "Σ", "x", "reduction", "Sum of all elements (a scalar).",
      np.sum, {"x": "g * ones(x)"}, shape=to_scalar, scalar=lambda x: x,
      code="np.sum($0)", show="Σ$0", show_tex=r"\textstyle\sum $0", spellings=("np.sum", ".sum()"),
      torch="torch.sum($0)")

defop("mean", "mean(x)", "mean", "x", "reduction", "Mean of all elements (a scalar).",
      # sum / n rather than np.mean: the same float64 result, and NaN for an empty tensor without a
      # warning; its gradient is then empty too.
      lambda x: np.sum(x) / np.size(x), {"x": "g * ones(x) / size(x)"}, shape=to_scalar,
      scalar=lambda x: x, code="np.mean($0)", show="mean($0)", show_tex=r"\mathrm{mean}($0)",
      spellings=("np.mean", ".mean()"),
      torch="torch.mean($0)")

defop("rowsum", "rowsum(x)", "Σ→", "x", "reduction",
      "Sum over the last axis, keeping it (size 1) so the result broadcasts back.",
      lambda x: np.sum(x, axis=-1, keepdims=True), {"x": "g * ones(x)"}, shape=row_shape,
      code="np.sum($0, axis=-1, keepdims=True)", show="rowsum($0)", show_tex=r"\textstyle\sum_k $0",
      torch="torch.sum($0, dim=-1, keepdim=True)")

defop("rowmax", "rowmax(x)", "max→", "x", "reduction",
      "Maximum over the last axis, keeping it (size 1); ties share the gradient evenly.",
      lambda x: np.max(x, axis=-1, keepdims=True), {"x": "g * eq(x, out) / rowsum(eq(x, out))"},
      shape=row_shape, code="np.max($0, axis=-1, keepdims=True)", show="rowmax($0)",
      show_tex=r"\max_k $0", torch="torch.amax($0, dim=-1, keepdim=True)")  # amax shares ties evenly too

def _reversed_axes(shape: tuple) -> str:
    """PyTorch's permute arguments for NumPy's transpose (all axes reversed)."""
    return ", ".join(map(str, range(len(shape) - 1, -1, -1)))


def _torch_rows(shape: tuple) -> str:
    """The row indices of a pick from a matrix of scores, in PyTorch."""
    return f"torch.arange({shape[0]}), " if len(shape) == 2 else ""


# ---- linear algebra ---------------------------------------------------------------------------

defop("transpose", "transpose(x)", "ᵀ", "x", "linalg", "Transpose (x.T is the same); reverses the axes.",
      np.transpose, {"x": "g.T"}, shape=transpose_shape, scalar=lambda x: x, code="$0.T",
      show="$0ᵀ", show_tex=r"$0^\top", spellings=("np.transpose", ".transpose()", ".T"),
      torch=lambda a, s, attr: a[0] if len(s[0]) < 2 else f"{a[0]}.permute({_reversed_axes(s[0])})")

defop("matmul", "a @ b", "@", "ab", "linalg",
      "Matrix product of vectors and matrices (dot(a, b) is the same).",
      np.matmul, {"a": "g @ b.T", "b": "a.T @ g"}, shape=matmul_shape, infix="@", code="$0.dot($1)",
      matrices=True, rows=("a",), cost=lambda a, b: 3 * math.prod(a) * (b[1] if len(b) == 2 else 1),
      callable=False, spellings=("dot", "np.dot", "np.matmul", ".dot()"),
      torch="$0 @ $1")

# ---- structure --------------------------------------------------------------------------------

defop("stack", "[a, b, …]", "[ ]", ("x",), "structure",
      "A list of expressions of equal shape, stacked along a new first axis.",
      lambda *xs: np.stack(xs), {"x": "g[p]"}, shape=stack_shape, variadic=True, callable=False,
      code=lambda a, s, attr=None: f"np.stack([{', '.join(a)}])", show="[x₀, x₁, …]",
      show_tex=r"[x_0, x_1, \dots]",
      torch=lambda a, s, attr: f"torch.stack([{', '.join(a)}])")

defop("index", "x[i]", "[i]", "x", "structure", "Element or row of a tensor by constant integer index.",
      lambda idx, x: np.array(x[idx], dtype=np.float64), {"x": "scatter(g, x, idx)"},
      shape=index_shape, with_attr=True, callable=False,
      code=lambda a, s, attr=None: f"{a[0]}[{', '.join(map(str, attr))}]", show="$0[i]",
      show_tex="$0_i",
      torch=lambda a, s, attr: f"{a[0]}[{', '.join(map(str, attr))}]")


def _pick(x, labels):
    """The score of each row's labelled class: x[i, labels[i]] (or x[label] for a vector)."""
    lab = check_labels(labels, x.shape[-1])
    if x.ndim == 1:
        return np.array(x[lab])
    return x[row_index(x.shape[0]), lab]


def _rows(shape: tuple) -> str:
    """The row index of pick's generated line: np.arange(N) for a matrix, nothing for a vector."""
    return f"np.arange({shape[0]}), " if len(shape) == 2 else ""


def _labels(text: str, shape: tuple) -> str:
    return f"{text}.astype(int)" if shape else f"int({text})"


defop("pick", "pick(x, labels)", "pick", ("x", "labels"), "nn",
      "Each row's score at its integer class label: x[i, labels[i]].",
      _pick, {"x": "col(g) * onehot(labels, x)"}, shape=labels_shape, labels="labels",
      code=lambda a, s, attr=None: f"{a[0]}[{_rows(s[0])}{_labels(a[1], s[1])}]",
      torch=lambda a, s, attr: f"{a[0]}[{_torch_rows(s[0])}{a[1]}.long()]")

# ---- neural-network composites ----------------------------------------------------------------

defop("sigmoid", "sigmoid(x)", "σ", "x", "nn", "Logistic sigmoid 1 / (1 + e^(−x)).",
      lambda x: 1.0 / (1.0 + np.exp(-x)), {"x": "g * (1 - out) * out"}, watch="saturates",
      scalar=lambda x: 1.0 / (1.0 + math.exp(-x)), code="1.0 / (1.0 + np.exp(-$0))", show="σ($0)",
      show_tex=r"\sigma($0)", expansion="1 / (1 + exp(-x))", spellings=(".sigmoid()",),
      torch="torch.sigmoid($0)")


def _softmax(z):
    """Softmax over the last axis, shifted by the row maximum so exp cannot overflow."""
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


defop("softmax", "softmax(z)", "softmax", "z", "nn", "Softmax over the last axis.",
      _softmax, {"z": "out * (g - rowsum(g * out))"}, shape=needs_axis("softmax"),
      code="softmax($0)", show="softmax($0)", show_tex=r"\mathrm{softmax}($0)",
      helper=("def softmax(z):\n    e = np.exp(z - np.max(z, axis=-1, keepdims=True))\n"
              "    return e / np.sum(e, axis=-1, keepdims=True)\n"),
      expansion="m = rowmax(z)\nez = exp(z - m)\nez / rowsum(ez)",
      torch="torch.softmax($0, dim=-1)")


def _cross_entropy(z, labels):
    """Mean over rows of −log softmax(z)[i, labels[i]], as PyTorch's F.cross_entropy; and the
    softmax, which the derivative needs (saved for it)."""
    s = z - np.maximum.reduce(z, -1, keepdims=True)  # the expansion's steps, keeping exp(s)
    e = np.exp(s)
    total = np.add.reduce(e, -1, keepdims=True)
    # pick(s - log(total)) with the N picked entries' subtractions only: the same numbers, bit for bit
    picked = _pick(s, labels) - np.log(total[..., 0])
    # mean's arithmetic (sum / n: NaN for 0 rows, no warning)
    return -(np.add.reduce(picked, None) / picked.size), e / total


defop("cross_entropy", "cross_entropy(z, labels)", "CE", ("z", "labels"), "nn",
      "Mean over rows of −log softmax(z)[i, labels[i]], with integer class labels (PyTorch's).",
      _cross_entropy, {"z": "(probs - onehot(labels, z)) * (g / rows(z))"}, saves={"probs": "softmax(z)"},
      loss="classes",
      shape=lambda z, labels: (labels_shape(z, labels), ())[1], labels="labels",
      code=lambda a, s, attr=None: f"-np.mean(log_softmax({a[0]})[{_rows(s[0])}{_labels(a[1], s[1])}])",
      show="CE($0, $1)", show_tex=r"\mathrm{CE}($0, $1)",
      helper=("def log_softmax(z):\n    s = z - np.max(z, axis=-1, keepdims=True)\n"
              "    return s - np.log(np.sum(np.exp(s), axis=-1, keepdims=True))\n"),
      expansion="s = z - rowmax(z)\nlogp = s - log(rowsum(exp(s)))\n-mean(pick(logp, labels))",
      torch="F.cross_entropy($0, $1.long())")


def _mse(p, t):
    """mean((p − t)²) with mean's arithmetic (sum / n, NaN for empty tensors); and p − t, which the
    derivative needs (saved for it)."""
    d = np.subtract(p, t)  # an ndarray or a NumPy scalar
    d2 = d * d  # what the expansion's d ** 2 computes (NumPy squares for the exponent 2)
    # mean's own reduction (np.sum's, without its wrappers): the composite and its expansion agree
    # to the last bit, which tests/test_properties.py checks.
    return np.add.reduce(d2, None) / d2.size, d


defop("mse", "mse(pred, target)", "MSE", ("pred", "target"), "nn",
      "Mean squared error mean((pred − target)²).",
      _mse, {"pred": "g * (2 / size(d)) * d", "target": "g * (-2 / size(d)) * d"},
      saves={"d": "pred - target"}, loss="values",
      shape=lambda p, t: (broadcast(p, t), ())[1], scalar=lambda p, t: math.pow(p - t, 2.0),
      data=("target",), code="np.mean(($0 - $1) ** 2)", show="mse($0, $1)",
      show_tex=r"\mathrm{mse}($0, $1)", expansion="mean((pred - target)**2)",
      torch="torch.mean(($0 - $1) ** 2)")

COMPOSITES = tuple(name for name, op in OPS.items() if op.expansion)
