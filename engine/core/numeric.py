"""Numeric helpers shared by the op table: broadcasting, shape rules, formatting of shapes."""

from __future__ import annotations

import numpy as np

from .errors import EngineError


def fmt_shape(shape: tuple) -> str:
    """A shape as people read it: 'scalar', '(3,)', '(2, 3)'."""
    return "scalar" if shape == () else str(tuple(shape))


def shape_error(message: str) -> EngineError:
    """A shape error; the builder attaches the position."""
    return EngineError(message, kind="shape")


def sum_axes(have: tuple, want: tuple) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The axes to sum a gradient of shape `have` over, so it gets the shape `want` broadcasting
    made it from: first the leading axes broadcasting prepended (dropped), then the axes of size 1
    in `want` (kept, size 1). The one statement of this rule: the passes, training and codegen use it.
    """
    extra = len(have) - len(want)
    return tuple(range(extra)), tuple(k for k, n in enumerate(want) if n == 1 and have[extra + k] != 1)


def unbroadcast(grad, shape: tuple):
    """Sum a gradient over the axes broadcasting added, so it has the input's shape again."""
    gshape = np.shape(grad)
    if gshape == shape:
        return grad
    if shape == ():
        return float(np.sum(grad))
    lead, keep = sum_axes(gshape, shape)
    if lead:
        grad = grad.sum(axis=lead)
    if keep:
        grad = grad.sum(axis=keep, keepdims=True)
    return grad


# Shape rules: each takes the input shapes and returns the output shape or raises a shape error.
# They run before any value is computed, so budgets are checked before memory is allocated.

def same_shape(a: tuple) -> tuple:
    """Elementwise unary ops keep the shape."""
    return a


def broadcast(*shapes: tuple) -> tuple:
    """NumPy broadcasting, computed without allocating anything."""
    try:
        return tuple(np.broadcast_shapes(*shapes))
    except ValueError:
        names = " and ".join(fmt_shape(s) for s in shapes)
        raise shape_error(f"shapes {names} cannot be broadcast together") from None


def to_scalar(*shapes: tuple) -> tuple:
    """Reductions over all elements give a scalar."""
    return ()


def matmul_shape(a: tuple, b: tuple) -> tuple:
    """Vector/matrix products as NumPy's matmul for 1-D and 2-D operands."""
    if not a or not b or len(a) > 2 or len(b) > 2:
        raise shape_error(f"@ needs vectors or matrices, got {fmt_shape(a)} and {fmt_shape(b)}"
                          " (use * to scale by a scalar)")
    if a[-1] != b[0]:
        raise shape_error(f"@ cannot multiply shapes {fmt_shape(a)} and {fmt_shape(b)}: "
                          f"{a[-1]} columns against {b[0]} rows")
    return a[:-1] + b[1:]


def transpose_shape(a: tuple) -> tuple:
    """Transpose reverses the axes (a vector stays a vector)."""
    return a[::-1]


def needs_axis(name: str):
    """Shape rule for ops over the last axis that keep the shape."""
    def rule(a: tuple) -> tuple:
        if not a:
            raise shape_error(f"{name} needs a vector or a matrix, got a scalar")
        if not a[-1]:  # a maximum over nothing is undefined (NumPy raises)
            raise shape_error(f"{name} needs at least one element along the last axis, got {fmt_shape(a)}")
        return a
    return rule


def row_shape(a: tuple) -> tuple:
    """Reducing the last axis while keeping it (size 1), so the result broadcasts back."""
    if not a:
        raise shape_error("a row reduction needs a vector or a matrix, got a scalar")
    if not a[-1]:
        raise shape_error(f"a row reduction needs at least one element per row, got {fmt_shape(a)}")
    return a[:-1] + (1,)


def labels_shape(z: tuple, labels: tuple) -> tuple:
    """Class scores (N, C) or (C,) with labels (N,) or (); returns the shape of the picked scores."""
    if not z or len(z) > 2:
        raise shape_error(f"class scores must be a vector (C,) or a matrix (N, C), got {fmt_shape(z)}")
    if not z[-1]:
        raise shape_error(f"class scores need at least one class, got {fmt_shape(z)}")
    if labels != z[:-1]:
        raise shape_error(f"labels of shape {fmt_shape(labels)} do not match scores of shape "
                          f"{fmt_shape(z)}: expected {fmt_shape(z[:-1])}")
    return z[:-1]


def check_labels(labels, classes: int) -> np.ndarray:
    """Labels must be whole numbers in [0, classes); returns them as integers."""
    lab = np.asarray(labels)
    with np.errstate(invalid="ignore"):  # NaN and inf cast to garbage, which the test below catches
        idx = lab.astype(np.intp)
    if (idx != lab).any():
        raise EngineError("labels must be whole numbers (class indices)", kind="value")
    if idx.size and (idx.min() < 0 or idx.max() >= classes):
        bad = idx[(idx < 0) | (idx >= classes)].flat[0]
        raise EngineError(f"label {int(bad)} is out of range for {classes} classes "
                          f"(0 to {classes - 1})", kind="value")
    return idx


def stack_shape(*shapes: tuple) -> tuple:
    """A list of expressions stacks equal shapes along a new first axis."""
    first = shapes[0] if shapes else ()
    for s in shapes:
        if s != first:
            raise shape_error(f"list elements must have equal shapes, got {fmt_shape(first)} "
                              f"and {fmt_shape(s)}")
    return (len(shapes),) + first


def index_shape(shape: tuple, idx: tuple) -> tuple:
    """Integer indexing drops one leading axis per index; bounds are checked here."""
    if len(idx) > len(shape):
        raise shape_error(f"too many indices ({len(idx)}) for shape {fmt_shape(shape)}")
    for axis, (k, n) in enumerate(zip(idx, shape)):
        if not -n <= k < n:
            raise EngineError(f"index {k} is out of range for axis {axis} of size {n}", kind="value")
    return shape[len(idx):]
