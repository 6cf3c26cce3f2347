"""Reductions, linear algebra, structure ops and the neural-network composites, one block per op.

A composite (sigmoid, softmax, cross_entropy, mse) has a fused forward and vjp, and an `expansion`
written in the language itself; the builder can emit the expansion instead, with identical values.
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
    row_shape,
    stack_shape,
    to_scalar,
    transpose_shape,
)
from .record import OPS, defop

# ---- reductions -------------------------------------------------------------------------------

defop("sum", "sum(x)", "Σ", "x", "reduction", "Sum of all elements (a scalar).",
      np.sum, (lambda g, y, x: np.full(np.shape(x), g),), ("∂Σx/∂xᵢ = 1",),
      (r"\frac{\partial \sum_j x_j}{\partial x_i} = 1",), shape=to_scalar, scalar=lambda x: x,
      local=lambda y, x: (1.0,), spellings=("np.sum", ".sum()"),
      torch="torch.sum($0)")

defop("mean", "mean(x)", "mean", "x", "reduction", "Mean of all elements (a scalar).",
      # sum / n rather than np.mean: the same float64 result, and NaN for an empty tensor without a
      # warning; its gradient is then empty too (g / n would divide a float by zero).
      lambda x: np.sum(x) / np.size(x),
      (lambda g, y, x: np.full(np.shape(x), g / np.size(x) if np.size(x) else 0.0),),
      ("∂mean(x)/∂xᵢ = 1/n",),
      (r"\frac{\partial\, \mathrm{mean}(x)}{\partial x_i} = \frac{1}{n}",), shape=to_scalar,
      scalar=lambda x: x, local=lambda y, x: (1.0,), spellings=("np.mean", ".mean()"),
      torch="torch.mean($0)")

defop("rowsum", "rowsum(x)", "Σ→", "x", "reduction",
      "Sum over the last axis, keeping it (size 1) so the result broadcasts back.",
      lambda x: np.sum(x, axis=-1, keepdims=True), (lambda g, y, x: g * np.ones_like(x),),
      ("∂rowsum(x)ᵢ/∂xᵢⱼ = 1",), (r"\frac{\partial \sum_k x_{ik}}{\partial x_{ij}} = 1",), shape=row_shape,
      torch="torch.sum($0, dim=-1, keepdim=True)")


def _rowmax_vjp(g, y, x):
    """Ties share the gradient evenly, as PyTorch's amax does."""
    mask = x == y
    return g * mask / mask.sum(axis=-1, keepdims=True)


defop("rowmax", "rowmax(x)", "max→", "x", "reduction",
      "Maximum over the last axis, keeping it (size 1); ties share the gradient evenly.",
      lambda x: np.max(x, axis=-1, keepdims=True), (_rowmax_vjp,),
      ("∂rowmax(x)ᵢ/∂xᵢⱼ = 1 where xᵢⱼ is the row's maximum (shared on ties), else 0",),
      (r"\frac{\partial \max_k x_{ik}}{\partial x_{ij}} = [x_{ij} = \max_k x_{ik}] / \#\mathrm{ties}",),
      shape=row_shape, torch="torch.amax($0, dim=-1, keepdim=True)")  # amax also shares ties evenly

# ---- linear algebra ---------------------------------------------------------------------------


def _as_matrices(g, a, b):
    """Promote vector operands of @ to matrices so one rule serves every case."""
    a2 = a.reshape(1, -1) if a.ndim == 1 else a
    b2 = b.reshape(-1, 1) if b.ndim == 1 else b
    return a2, b2, np.reshape(g, (a2.shape[0], b2.shape[1]))


def _matmul_da(g, y, a, b):
    """dA = dY · Bᵀ."""
    a2, b2, g2 = _as_matrices(g, a, b)
    return (g2 @ b2.T).reshape(a.shape)


def _matmul_db(g, y, a, b):
    """dB = Aᵀ · dY."""
    a2, b2, g2 = _as_matrices(g, a, b)
    return (a2.T @ g2).reshape(b.shape)


defop("matmul", "a @ b", "@", "ab", "linalg",
      "Matrix product of vectors and matrices (dot(a, b) is the same).",
      np.matmul, (_matmul_da, _matmul_db), ("∂(a@b)/∂a = g·bᵀ", "∂(a@b)/∂b = aᵀ·g"),
      (r"\frac{\partial L}{\partial A} = \frac{\partial L}{\partial Y} B^\top",
       r"\frac{\partial L}{\partial B} = A^\top \frac{\partial L}{\partial Y}"),
      shape=matmul_shape, callable=False, spellings=("dot", "np.dot", "np.matmul", ".dot()"),
      torch="$0 @ $1")


def _reversed_axes(shape: tuple) -> str:
    """PyTorch's permute arguments for NumPy's transpose (all axes reversed)."""
    return ", ".join(map(str, range(len(shape) - 1, -1, -1)))


defop("transpose", "transpose(x)", "ᵀ", "x", "linalg", "Transpose (x.T is the same); reverses the axes.",
      np.transpose, (lambda g, y, x: np.transpose(g),), ("∂xᵀ/∂x: the gradient is transposed back",),
      (r"\frac{\partial L}{\partial X} = \left(\frac{\partial L}{\partial X^\top}\right)^\top",),
      shape=transpose_shape, scalar=lambda x: x, local=lambda y, x: (1.0,),
      spellings=("np.transpose", ".transpose()", ".T"),
      torch=lambda a, s, attr: a[0] if len(s[0]) < 2 else f"{a[0]}.permute({_reversed_axes(s[0])})")

# ---- structure --------------------------------------------------------------------------------

defop("stack", "[a, b, …]", "[ ]", ("x",), "structure",
      "A list of expressions of equal shape, stacked along a new first axis.",
      lambda *xs: np.stack(xs), (lambda p, g, y, *xs: g[p],), ("∂[x₀, x₁, …]/∂xₚ picks element p",),
      (r"\frac{\partial L}{\partial x_p} = \left(\frac{\partial L}{\partial Y}\right)_p",),
      shape=stack_shape, variadic=True, callable=False,
      torch=lambda a, s, attr: f"torch.stack([{', '.join(a)}])")


def _index_vjp(idx, g, y, x):
    """Scatter the gradient back into the indexed position."""
    out = np.zeros(np.shape(x))
    out[idx] = g
    return out


defop("index", "x[i]", "[i]", "x", "structure", "Element or row of a tensor by constant integer index.",
      lambda idx, x: np.array(x[idx], dtype=np.float64), (_index_vjp,),
      ("∂x[i]/∂x is 1 at position i, else 0",), (r"\frac{\partial x_i}{\partial x_j} = [i = j]",),
      shape=index_shape, with_attr=True, callable=False,
      torch=lambda a, s, attr: f"{a[0]}[{', '.join(map(str, attr))}]")


def _pick(x, labels):
    """The score of each row's labelled class: x[i, labels[i]] (or x[label] for a vector)."""
    lab = check_labels(labels, x.shape[-1])
    if x.ndim == 1:
        return np.array(x[lab])
    return x[np.arange(x.shape[0]), lab]


def _pick_vjp(g, y, x, labels):
    """Scatter each row's gradient into its labelled class."""
    out = np.zeros_like(x)
    lab = np.asarray(labels).astype(np.intp)
    if x.ndim == 1:
        out[lab] = g
    else:
        out[np.arange(x.shape[0]), lab] = g
    return out


def _rows(shape: tuple) -> str:
    """The row indices of a pick from a matrix of scores, in PyTorch."""
    return f"torch.arange({shape[0]}), " if len(shape) == 2 else ""


defop("pick", "pick(x, labels)", "pick", ("x", "labels"), "nn",
      "Each row's score at its integer class label: x[i, labels[i]].",
      _pick, (_pick_vjp, None), ("∂pick/∂xᵢⱼ = 1 where j = labelsᵢ, else 0", "labels are not differentiable"),
      (r"\frac{\partial x_{i,y_i}}{\partial x_{ij}} = [j = y_i]", r"\text{not differentiable}"),
      shape=labels_shape,
      torch=lambda a, s, attr: f"{a[0]}[{_rows(s[0])}{a[1]}.long()]")

# ---- neural-network composites ----------------------------------------------------------------

defop("sigmoid", "sigmoid(x)", "σ", "x", "nn", "Logistic sigmoid 1 / (1 + e^(−x)).",
      lambda x: 1.0 / (1.0 + np.exp(-x)), (lambda g, y, x: g * (1.0 - y) * y,),
      ("∂σ(x)/∂x = (1 − σ(x))·σ(x)",), (r"\frac{\partial \sigma(x)}{\partial x} = (1-\sigma(x))\,\sigma(x)",),
      scalar=lambda x: 1.0 / (1.0 + math.exp(-x)), local=lambda y, x: ((1.0 - y) * y,),
      expansion="1 / (1 + exp(-x))", spellings=(".sigmoid()",),
      torch="torch.sigmoid($0)")


def _softmax(z):
    """Softmax over the last axis, shifted by the row maximum so exp cannot overflow."""
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


defop("softmax", "softmax(z)", "softmax", "z", "nn", "Softmax over the last axis.",
      _softmax, (lambda g, y, z: y * (g - np.sum(g * y, axis=-1, keepdims=True)),),
      ("∂softmax(z)ᵢ/∂zⱼ = sᵢ(δᵢⱼ − sⱼ)",),
      (r"\frac{\partial s_i}{\partial z_j} = s_i(\delta_{ij} - s_j)",), shape=needs_axis("softmax"),
      expansion="m = rowmax(z)\nez = exp(z - m)\nez / rowsum(ez)", torch="torch.softmax($0, dim=-1)")


def _log_softmax(z):
    """Log-softmax over the last axis, in the same steps as the expansion."""
    s = z - z.max(axis=-1, keepdims=True)  # methods: the same reductions as rowmax/rowsum, less wrapping
    return s - np.log(np.exp(s).sum(axis=-1, keepdims=True))


def _cross_entropy(z, labels):
    """Mean over rows of −log softmax(z)[i, labels[i]], as PyTorch's F.cross_entropy."""
    picked = _pick(_log_softmax(z), labels)
    return -(picked.sum() / picked.size)  # mean's arithmetic, NaN without a warning for 0 rows


def _cross_entropy_dz(g, y, z, labels):
    """(softmax(z) − onehot(labels)) / N."""
    p = np.exp(_log_softmax(z))
    lab = np.asarray(labels).astype(np.intp)
    if z.ndim == 1:
        p[lab] -= 1.0
        return g * p
    p[np.arange(z.shape[0]), lab] -= 1.0
    return g * p / z.shape[0]


defop("cross_entropy", "cross_entropy(z, labels)", "CE", ("z", "labels"), "nn",
      "Mean over rows of −log softmax(z)[i, labels[i]], with integer class labels (PyTorch's).",
      _cross_entropy, (_cross_entropy_dz, None),
      ("∂L/∂zᵢⱼ = (softmax(z)ᵢⱼ − [j = labelsᵢ]) / N", "labels are not differentiable"),
      (r"\frac{\partial L}{\partial z_{ij}} = \frac{\mathrm{softmax}(z)_{ij} - [j = y_i]}{N}",
       r"\text{not differentiable}"),
      shape=lambda z, labels: (labels_shape(z, labels), ())[1],
      expansion="s = z - rowmax(z)\nlogp = s - log(rowsum(exp(s)))\n-mean(pick(logp, labels))",
      torch="F.cross_entropy($0, $1.long())")


def _mse(p, t):
    """mean((p − t)²) with mean's arithmetic (sum / n): NaN without a warning for empty tensors."""
    d2 = np.power(np.subtract(p, t), 2.0)
    return np.sum(d2) / np.size(d2)


def _mse_grad(sign):
    """∂mse/∂pred = 2(pred − target)/n, and its negative for the target."""
    return lambda g, y, p, t: g * sign * 2.0 * (p - t) / np.size(np.subtract(p, t))


defop("mse", "mse(pred, target)", "MSE", ("pred", "target"), "nn",
      "Mean squared error mean((pred − target)²).",
      _mse, (_mse_grad(1.0), _mse_grad(-1.0)),
      ("∂mse/∂pred = 2(pred − target)/n", "∂mse/∂target = −2(pred − target)/n"),
      (r"\frac{\partial L}{\partial \hat y_i} = \frac{2(\hat y_i - y_i)}{n}",
       r"\frac{\partial L}{\partial y_i} = -\frac{2(\hat y_i - y_i)}{n}"),
      shape=lambda p, t: (broadcast(p, t), ())[1], scalar=lambda p, t: math.pow(p - t, 2.0),
      local=lambda y, p, t: (2.0 * (p - t), -2.0 * (p - t)),
      expansion="mean((pred - target)**2)", torch="torch.mean(($0 - $1) ** 2)")

COMPOSITES = tuple(name for name, op in OPS.items() if op.expansion)
