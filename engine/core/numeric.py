"""Numeric helpers shared by the op table: broadcasting, shape rules, formatting of shapes."""

from __future__ import annotations

import numpy as np

from .errors import EngineError
from .messages import message


def fmt_shape(shape: tuple) -> str:
    """A shape as people read it: 'scalar', '(3,)', '(2, 3)'."""
    return "scalar" if shape == () else str(tuple(shape))


def shape_param(shape: tuple):
    """A shape as a message parameter: '(2, 3)', or the word for a scalar in the reader's language."""
    return message("shape_scalar") if shape == () else str(tuple(shape))


def shape_error(code: str, **params) -> EngineError:
    """A shape error; the builder attaches the position."""
    return EngineError(code, kind="shape", **params)


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
        raise shape_error("broadcast", shapes=[shape_param(s) for s in shapes]) from None


def to_scalar(*shapes: tuple) -> tuple:
    """Reductions over all elements give a scalar."""
    return ()


def matmul_shape(a: tuple, b: tuple) -> tuple:
    """Vector/matrix products as NumPy's matmul for 1-D and 2-D operands."""
    if not a or not b or len(a) > 2 or len(b) > 2:
        raise shape_error("matmul_rank", a=shape_param(a), b=shape_param(b))
    if a[-1] != b[0]:
        raise shape_error("matmul_inner", a=shape_param(a), b=shape_param(b), columns=a[-1], rows=b[0])
    return a[:-1] + b[1:]


def transpose_shape(a: tuple) -> tuple:
    """Transpose reverses the axes (a vector stays a vector)."""
    return a[::-1]


def needs_axis(name: str):
    """Shape rule for ops over the last axis that keep the shape."""
    def rule(a: tuple) -> tuple:
        if not a:
            raise shape_error("axis_scalar", op=name)
        if not a[-1]:  # a maximum over nothing is undefined (NumPy raises)
            raise shape_error("axis_empty", op=name, shape=shape_param(a))
        return a
    return rule


def row_shape(a: tuple) -> tuple:
    """Reducing the last axis while keeping it (size 1), so the result broadcasts back."""
    if not a:
        raise shape_error("row_scalar")
    if not a[-1]:
        raise shape_error("row_empty", shape=shape_param(a))
    return a[:-1] + (1,)


def labels_shape(z: tuple, labels: tuple) -> tuple:
    """Class scores (N, C) or (C,) with labels (N,) or (); returns the shape of the picked scores."""
    if not z or len(z) > 2:
        raise shape_error("scores_rank", shape=shape_param(z))
    if not z[-1]:
        raise shape_error("scores_empty", shape=shape_param(z))
    if labels != z[:-1]:
        raise shape_error("labels_shape", labels=shape_param(labels), scores=shape_param(z),
                          expected=shape_param(z[:-1]))
    return z[:-1]


class CheckedLabels(np.ndarray):
    """Integer labels already checked against every label port of the graph they feed (training
    checks its whole data set once): rows of them, a mini-batch, stay checked without a reduction.
    Arithmetic on them is refused (TypeError), since its result would no longer be checked."""

    __array_ufunc__ = None


def check_labels(labels, classes: int) -> np.ndarray:
    """Labels must be whole numbers in [0, classes); returns them as integers."""
    if type(labels) is CheckedLabels:
        return labels
    lab = np.asarray(labels)
    if lab.dtype == np.intp:  # whole already (training converts its checked labels once): range only
        # One reduction: viewed unsigned, a negative label is huge, so max() alone finds both ends.
        if lab.size and _umax(lab.view(np.uintp), None) >= classes:
            _range_error(lab, classes)
        return lab
    with np.errstate(invalid="ignore"):  # NaN and inf cast to garbage, which the test below catches
        idx = lab.astype(np.intp)
    if (idx != lab).any():
        raise EngineError("labels_whole", kind="value")
    if idx.size and (idx.min() < 0 or idx.max() >= classes):
        _range_error(idx, classes)
    return idx


_umax = np.maximum.reduce  # ndarray.max's reduction without its Python wrapper
_ROWS: dict[int, np.ndarray] = {}


def row_index(n: int) -> np.ndarray:
    """np.arange(n), kept read-only for the few batch sizes a program uses (every step asks again)."""
    rows = _ROWS.get(n)
    if rows is None:
        if len(_ROWS) >= 64:  # a bound: other sizes come and go
            _ROWS.clear()
        rows = _ROWS[n] = np.arange(n)
        rows.flags.writeable = False
    return rows


def _range_error(idx: np.ndarray, classes: int):
    """The error naming the first label outside [0, classes)."""
    bad = idx[(idx < 0) | (idx >= classes)].flat[0]
    raise EngineError("label_range", kind="value", label=int(bad), classes=classes, last=classes - 1)


def stack_shape(*shapes: tuple) -> tuple:
    """A list of expressions stacks equal shapes along a new first axis."""
    first = shapes[0] if shapes else ()
    for s in shapes:
        if s != first:
            raise shape_error("stack_shapes", a=shape_param(first), b=shape_param(s))
    return (len(shapes),) + first


def index_shape(shape: tuple, idx: tuple) -> tuple:
    """Integer indexing drops one leading axis per index; bounds are checked here."""
    if len(idx) > len(shape):
        raise shape_error("index_count", count=len(idx), shape=shape_param(shape))
    for axis, (k, n) in enumerate(zip(idx, shape)):
        if not -n <= k < n:
            raise EngineError("index_range", kind="value", index=k, axis=axis, size=n)
    return shape[len(idx):]
