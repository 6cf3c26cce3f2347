"""How each supported PyTorch call is written in Gatewise: one rule per call, keyed by the callable.

A rule takes the call's own arguments (so Python binds them as PyTorch would) and returns an
`Emit`: a statement template over its operands (`{0} @ {1}.T + {2}`), or raises `Unsupported`
with the reason a form of a supported call has no Gatewise spelling. A template of exactly "{0}"
is an alias: the result is the same value (a cast, `.contiguous()`, a 1-D `.t()`).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F

from gatewise.engine.core.messages import message, show

T = torch.Tensor


class Unsupported(Exception):
    """A supported call in a form Gatewise cannot express: the form, and what is supported instead.

    Each is a text (a call's own spelling) or a catalog message {code, params}; `form` and `reason`
    are their English texts, `said` keeps them for the command to render in its language."""

    def __init__(self, form: str | dict, reason: str | dict = ""):
        self.said = (form, reason)
        self.form, self.reason = show(form), show(reason) if reason else ""
        super().__init__(self.form, self.reason)


@dataclass(frozen=True)
class Emit:
    """A statement's right-hand side: a template over operands (tensors or Python numbers)."""

    template: str
    operands: tuple
    inplace: bool = False


def _ndim(x) -> int:
    return x.ndim if isinstance(x, torch.Tensor) else 0


def _matrix_or_vector(name: str, *xs) -> None:
    """Gatewise's @ and transpose take vectors and matrices only."""
    for x in xs:
        if not 1 <= _ndim(x) <= 2:
            raise Unsupported(message("cli_torch_form_ndim", name=name, n=_ndim(x)),
                              message("cli_torch_why_vectors"))


def _infix(sym: str, swap: bool = False):
    def rule(input, other, *, out=None):
        _no_out(out)
        return Emit(f"{{0}} {sym} {{1}}", (other, input) if swap else (input, other))
    return rule


def _scaled(sym: str):
    """add/sub with PyTorch's `alpha` (other is scaled first)."""
    def rule(input, other, *, alpha=1, out=None):
        _no_out(out)
        if alpha == 1:
            return Emit(f"{{0}} {sym} {{1}}", (input, other))
        return Emit(f"{{0}} {sym} {{1}} * {{2}}", (input, alpha, other))
    return rule


def _div(input, other, *, rounding_mode=None, out=None):
    _no_out(out)
    if rounding_mode is not None:
        raise Unsupported(f"div(rounding_mode={rounding_mode!r})", message("cli_torch_why_true_division"))
    return Emit("{0} / {1}", (input, other))


def _no_out(out) -> None:
    if out is not None:
        raise Unsupported("out=", message("cli_torch_why_new_tensor"))


def _call(fname: str):
    def rule(input, *, out=None):
        _no_out(out)
        return Emit(f"{fname}({{0}})", (input,))
    return rule


def _relu(input, inplace=False):
    return Emit("relu({0})", (input,), inplace=bool(inplace))


def _neg(input, *, out=None):
    _no_out(out)
    return Emit("-{0}", (input,))


def _matmul(input, other, *, out=None):
    _no_out(out)
    _matrix_or_vector("matmul", input, other)
    return Emit("{0} @ {1}", (input, other))


def _rmatmul(input, other):
    return _matmul(other, input)


def _transpose_all(input):
    """t() and .T: 2-D tensors are transposed; for 0-D and 1-D they are the tensor itself."""
    if _ndim(input) > 2:
        raise Unsupported(message("cli_torch_form_ndim", name="transpose", n=_ndim(input)),
                          message("cli_torch_why_2d"))
    return Emit("{0}.T" if _ndim(input) == 2 else "{0}", (input,))


def _transpose(input, dim0, dim1):
    n = _ndim(input)
    if n > 2:
        raise Unsupported(message("cli_torch_form_ndim", name="transpose", n=n), message("cli_torch_why_2d"))
    # PyTorch has already checked the dims; swapping an axis with itself changes nothing.
    return Emit("{0}.T" if n == 2 and dim0 % 2 != dim1 % 2 else "{0}", (input,))


def _linear(input, weight, bias=None):
    """x @ W.T + b: PyTorch stores a Linear's weight as (out, in)."""
    _matrix_or_vector("linear", input)
    if _ndim(weight) != 2:
        raise Unsupported(message("cli_torch_form_linear_weight", n=_ndim(weight)),
                          message("cli_torch_why_matrix"))
    if bias is None:
        return Emit("{0} @ {1}.T", (input, weight))
    return Emit("{0} @ {1}.T + {2}", (input, weight, bias))


def _all_elements(name: str, input, dim, keepdim, dtype) -> None:
    """sum and mean of every element only, as Gatewise's sum(x) and mean(x)."""
    dims = () if dim is None else (dim,) if isinstance(dim, int) else tuple(dim)
    everything = not dims or sorted(d % max(_ndim(input), 1) for d in dims) == list(range(_ndim(input)))
    if not everything or (keepdim and _ndim(input) > 0):
        raise Unsupported(f"{name}(dim={dim}{', keepdim=True' if keepdim else ''})",
                          message("cli_torch_why_all_elements"))
    if dtype not in (None, torch.float64):
        raise Unsupported(f"{name}(dtype={dtype})", message("cli_torch_why_float64"))


def _reduction(name: str):
    def rule(input, dim=None, keepdim=False, *, dtype=None, out=None):
        _no_out(out)
        _all_elements(name, input, dim, keepdim, dtype)
        return Emit(f"{name}({{0}})", (input,))
    return rule


def _softmax(input, dim=None, _stacklevel=3, dtype=None):
    n = _ndim(input)
    if dim is None:  # PyTorch's implicit choice (with a warning): axis 0 for 0-, 1- and 3-D, else 1
        dim = 0 if n in (0, 1, 3) else 1
    if n == 0 or dim % n != n - 1:
        raise Unsupported(message("cli_torch_form_softmax", dim=dim, n=n), message("cli_torch_why_last_axis"))
    if dtype not in (None, torch.float64):
        raise Unsupported(f"softmax(dtype={dtype})", message("cli_torch_why_float64"))
    return Emit("softmax({0})", (input,))


def _extreme(fname: str, torch_name: str):
    """torch.maximum/minimum and the two-tensor form of torch.max/min (elementwise)."""
    def rule(input, other=None, *args, out=None, **kwargs):
        _no_out(out)
        if not isinstance(other, torch.Tensor) or args or kwargs:
            raise Unsupported(message("cli_torch_form_one_tensor", name=torch_name),
                              message("cli_torch_why_two_tensors", name=torch_name))
        return Emit(f"{fname}({{0}}, {{1}})", (input, other))
    return rule


def _legacy(size_average, reduce) -> None:
    if size_average is not None or reduce is not None:
        raise Unsupported(message("cli_torch_form_legacy"), message("cli_torch_why_reduction"))


def _mse_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    _legacy(size_average, reduce)
    if weight is not None:
        raise Unsupported(message("cli_torch_form_mse_weight"), message("cli_torch_why_unweighted"))
    forms = {"mean": "mse({0}, {1})", "sum": "sum(({0} - {1}) ** 2)", "none": "({0} - {1}) ** 2"}
    if reduction not in forms:
        raise Unsupported(f"mse_loss(reduction={reduction!r})", message("cli_torch_why_mse_reduction"))
    return Emit(forms[reduction], (input, target))


def _cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
                   reduction="mean", label_smoothing=0.0):
    _legacy(size_average, reduce)
    if weight is not None or label_smoothing:
        raise Unsupported(message("cli_torch_form_ce_weight"), message("cli_torch_why_plain_ce"))
    if not 1 <= _ndim(input) <= 2:
        raise Unsupported(message("cli_torch_form_ce_scores", n=_ndim(input)),
                          message("cli_torch_why_ce_shape"))
    if target.is_floating_point():
        raise Unsupported(message("cli_torch_form_ce_probabilities"), message("cli_torch_why_integer_labels"))
    if bool((target == ignore_index).any()):
        raise Unsupported(message("cli_torch_form_ce_ignore", index=ignore_index),
                          message("cli_torch_why_every_label"))
    if reduction == "mean":
        return Emit("cross_entropy({0}, {1})", (input, target))
    if reduction == "sum":
        rows = input.shape[0] if _ndim(input) == 2 else 1
        return Emit("cross_entropy({0}, {1}) * {2}", (input, target, rows))
    raise Unsupported(f"cross_entropy(reduction={reduction!r})", message("cli_torch_why_ce_reduction"))


def _getitem(input, index):
    """Indexing with integer constants: x[i], x[i, j]."""
    items = index if isinstance(index, tuple) else (index,)
    if not items or not all(type(i) is int for i in items):
        kinds = sorted({type(i).__name__ for i in items if type(i) is not int})
        empty = message("cli_torch_form_empty_index")
        form = message("cli_torch_form_indexing", kinds=kinds) if kinds else empty
        raise Unsupported(form, message("cli_torch_why_integer_indices"))
    return Emit(f"{{0}}[{', '.join(map(str, items))}]", (input,))


def _same(input, *args, **kwargs):
    """Casts and copies: every value is float64 in Gatewise, so they are the value itself."""
    return Emit("{0}", (input,))


def _to(input, *args, **kwargs):
    targets = list(args) + list(kwargs.values())
    for t in targets:
        if isinstance(t, torch.dtype) and not t.is_floating_point:
            raise Unsupported(f"to({t})", message("cli_torch_why_float_casts"))
    return _same(input)


_UNARY = ("exp", "log", "sqrt", "abs", "sin", "cos", "tanh", "sigmoid")


def _build() -> dict:
    """The rules, keyed by the callables PyTorch hands to __torch_function__."""
    rules = {
        (torch.add, T.add, T.__add__, T.__radd__): _scaled("+"),
        (torch.sub, torch.subtract, T.sub, T.subtract, T.__sub__): _scaled("-"),
        (torch.rsub, T.__rsub__): _infix("-", swap=True),
        (torch.mul, torch.multiply, T.mul, T.multiply, T.__mul__, T.__rmul__): _infix("*"),
        (torch.div, torch.divide, T.div, T.divide, T.__truediv__): _div,
        (torch.true_divide, T.true_divide): _infix("/"),
        (T.__rdiv__, T.__rtruediv__): _infix("/", swap=True),
        (torch.pow, T.pow, T.__pow__): _infix("**"),
        (T.__rpow__,): _infix("**", swap=True),
        (torch.neg, torch.negative, T.neg, T.negative, T.__neg__): _neg,
        (torch.matmul, torch.mm, T.matmul, T.mm, T.__matmul__): _matmul,
        (T.__rmatmul__,): _rmatmul,
        (torch.t, T.t, T.T.__get__): _transpose_all,
        (torch.transpose, T.transpose): _transpose,
        (F.linear,): _linear,
        (torch.relu, T.relu, F.relu): _relu,
        (torch.maximum, T.maximum, torch.max, T.max): _extreme("max", "max"),
        (torch.minimum, T.minimum, torch.min, T.min): _extreme("min", "min"),
        (torch.sum, T.sum): _reduction("sum"),
        (torch.mean, T.mean): _reduction("mean"),
        (torch.softmax, T.softmax, F.softmax): _softmax,
        (F.mse_loss,): _mse_loss,
        (F.cross_entropy,): _cross_entropy,
        (T.__getitem__,): _getitem,
        (T.__pos__, torch.positive, T.positive, T.float, T.double, T.clone, torch.clone,
         T.contiguous): _same,
        (T.to,): _to,
    }
    for name in _UNARY:
        rules[(getattr(torch, name), getattr(T, name))] = _call(name)
    rules[(F.sigmoid,)], rules[(F.tanh,)] = _call("sigmoid"), _call("tanh")
    table = {func: rule for funcs, rule in rules.items() for func in funcs}
    for name in ("relu", *_UNARY):  # in-place forms: x.exp_() rebinds x to the new value
        inplace = getattr(T, name + "_", None)
        if inplace is not None:
            table[inplace] = _inplace(table[getattr(T, name)])
    for name, dunder in (("add", "add"), ("sub", "sub"), ("mul", "mul"), ("div", "truediv"), ("pow", "pow")):
        rule = _inplace(table[getattr(T, name)])
        table[getattr(T, name + "_")] = table[getattr(T, f"__i{dunder}__")] = rule
    return table


def _inplace(rule):
    def inplace(*args, **kwargs):
        e = rule(*args, **kwargs)
        return Emit(e.template, e.operands, inplace=True)
    return inplace


RULES = _build()

# Calls that only read a tensor's metadata: not operations, so they are neither recorded nor refused.
METADATA = {T.size, T.dim, T.ndimension, T.numel, T.nelement, T.is_floating_point, T.is_complex,
            T.__len__, T.__repr__, T.__format__, T.__hash__, T.stride, T.is_contiguous, T.element_size,
            T.requires_grad_, T.retain_grad, T.data_ptr, T.storage_offset, T.__str__}
METADATA_PROPERTIES = {"shape", "ndim", "dtype", "device", "requires_grad", "is_leaf", "grad_fn", "layout",
                       "names", "grad", "is_cuda", "is_sparse", "is_quantized", "is_meta", "output_nr",
                       "_version", "_base", "itemsize", "nbytes"}
