"""Record a PyTorch run as Gatewise statements, through PyTorch's own __torch_function__ mode.

Every call PyTorch makes on a tensor passes through `Recorder.__torch_function__` at the level the
user wrote it (`F.linear`, `F.cross_entropy`, `x.T`, `a @ b`), before PyTorch decomposes it. The
run itself is real: the call is executed on float64 copies of the inputs and parameters, so the
same run is the autograd reference the translation is checked against. Calls whose operands do
not depend on an input are constants; calls with no Gatewise spelling are collected, each with
the user's source line, and reported together at the end.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field

import torch
from torch.nn.modules import module as nn_module
from torch.overrides import TorchFunctionMode

from gatewise.engine.core.messages import message, show

from .literals import NotRepresentable, literal
from .rules import METADATA, METADATA_PROPERTIES, RULES, Emit, Unsupported

_OUTSIDE = (os.path.dirname(torch.__file__) + os.sep, os.path.dirname(__file__) + os.sep)
# Results that depend only on a tensor's shape: constants whatever the input's values.
_SHAPE_ONLY = {torch.zeros_like, torch.ones_like, torch.full_like, torch.Tensor.new_zeros,
               torch.Tensor.new_ones, torch.Tensor.new_full, torch.Tensor.new_tensor}


@dataclass(frozen=True)
class Where:
    """A place in the user's source, or the module that ran the call where no line of theirs did."""

    path: str
    line: int = 0

    def __str__(self) -> str:
        return f"{os.path.basename(self.path)}:{self.line}" if self.line else self.path


@dataclass(eq=False)
class Var:
    """A value of the Gatewise program: an input, or the result of one statement."""

    base: str  # what its name is made from: the input's origin, or the PyTorch call
    origin: str | None = None  # inputs: where the tensor came from ("arg0", "fc1.weight")
    module: str | None = None  # results: the module whose output this is ("fc1")
    name: str = ""  # given when the program is written


@dataclass
class Stmt:
    """One PyTorch call as one Gatewise statement: out = template(args)."""

    out: Var
    template: str
    args: tuple  # Var, or a constant operand (tensor or number) written as a literal
    where: Where


@dataclass
class Refusal:
    """A call with no Gatewise spelling, and where the user made it."""

    op: str  # the call, or the form of it that has no spelling ("sum(dim=1)")
    where: Where
    reason: str = ""  # what is supported instead
    said: tuple = ()  # (op, reason) as texts or catalog messages, for the command's language

    def __str__(self) -> str:
        return f"{self.op} at {self.where}" + (f" ({self.reason})" if self.reason else "")


@dataclass
class Recording:
    """What a run left: inputs in order, statements, refusals, and the float64 leaves."""

    inputs: list = field(default_factory=list)  # (Var, float64 tensor)
    stmts: list = field(default_factory=list)
    refusals: list = field(default_factory=list)


def user_frame(boundary=None) -> Where | None:
    """The innermost frame outside PyTorch and this bridge, below `boundary` (the call of fn)."""
    f = sys._getframe(1)
    while f is not None and f is not boundary and f.f_code.co_filename.startswith(_OUTSIDE):
        f = f.f_back
    return Where(f.f_code.co_filename, f.f_lineno) if f is not None and f is not boundary else None


def op_name(func) -> str:
    """How a refused call is named: `conv2d`, `view`, `.data`."""
    owner = getattr(func, "__self__", None)
    if type(owner).__name__ == "getset_descriptor":
        return "." + owner.__name__
    name = getattr(func, "__name__", repr(func))
    return name[2:-2] if name.startswith("__") and name.endswith("__") else name


class Recorder(TorchFunctionMode):
    """The mode: swaps in float64 copies, records supported calls, collects the rest."""

    def __init__(self, origins: dict[int, str], modules: dict[int, str]):
        super().__init__()
        self.origins, self.modules = origins, modules  # id of the user's tensor / module -> its path
        self.rec = Recording()
        self.vars: dict[int, Var] = {}
        self.swaps: dict[int, torch.Tensor] = {}
        self.viewed: set[int] = set()  # tensors that some traced view shares memory with
        self.alive: list = []  # keeps every seen tensor alive, so no id is reused during the run
        self.stack: list = []  # modules being run: (module, index of their first statement)
        self.hooks: list = []
        self.boundary = None  # the frame that calls fn: the user's code is below it

    def where(self) -> Where:
        """The user's line, or else the innermost module running (nn.Sequential's layers have no line)."""
        found = user_frame(self.boundary)
        if found is not None:
            return found
        if self.stack:
            module = self.stack[-1][0]
            path = self.modules.get(id(module))
            return Where(f"module {path} ({type(module).__name__})" if path else f"a {type(module).__name__}")
        return Where("<unknown>")

    # ---- inputs ---------------------------------------------------------------------------

    def add_input(self, tensor: torch.Tensor, origin: str, base: str) -> torch.Tensor:
        """A float64 leaf for an input (an argument or a parameter); labels stay integers."""
        copy = tensor.detach().to(torch.float64) if tensor.is_floating_point() else tensor.detach().clone()
        if copy.is_floating_point():
            copy.requires_grad_()
        var = Var(base, origin)
        self.vars[id(copy)] = var
        self.alive += [tensor, copy]
        self.rec.inputs.append((var, copy))
        return copy

    def _operand(self, t):
        """A call's operand as the run uses it: a tensor from outside is swapped for its copy."""
        if not isinstance(t, torch.Tensor) or id(t) in self.vars:
            return t
        key = id(t)
        if key not in self.swaps:
            origin = self.origins.get(key)
            if t.requires_grad and t.is_floating_point():
                base = origin or "p"
                self.swaps[key] = self.add_input(t, origin or f"tensor {tuple(t.shape)} at {self.where()}",
                                                 base)
            else:  # buffers and captured tensors without gradients are constants
                self.swaps[key] = t.detach().to(torch.float64) if t.is_floating_point() else t
                self.alive.append(t)
        return self.swaps[key]

    def _operands(self, args, kwargs):
        def swap(a):
            return type(a)(map(self._operand, a)) if isinstance(a, (list, tuple)) else self._operand(a)
        return tuple(map(swap, args)), {k: swap(v) for k, v in kwargs.items()}

    def _traced(self, values) -> bool:
        for a in values:
            if isinstance(a, (list, tuple)) and self._traced(a):
                return True
            if isinstance(a, torch.Tensor) and id(a) in self.vars:
                return True
        return False

    # ---- the mode -------------------------------------------------------------------------

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        if func in METADATA or (op_name(func)[1:] in METADATA_PROPERTIES and op_name(func)[0] == "."):
            return func(*args, **kwargs)
        args, kwargs = self._operands(args, kwargs)
        traced = self._traced(args) or self._traced(kwargs.values())
        if traced and func in _SHAPE_ONLY:
            traced = False
        result = func(*args, **kwargs)
        if traced and not torch.is_grad_enabled():
            self._refuse(message("cli_torch_form_no_grad", name=op_name(func)), result,
                         message("cli_torch_why_grad_everywhere"))
        elif traced:
            self._record(func, args, kwargs, result)
        elif isinstance(result, torch.Tensor):
            self.alive.append(result)
        return result

    def _record(self, func, args, kwargs, result) -> None:
        """Write the call as a statement, or refuse it (and keep tracing to find every refusal)."""
        rule = RULES.get(func)
        if rule is None:
            return self._refuse(func, result)
        try:
            emit = rule(*args, **kwargs)
        except Unsupported as e:
            return self._refuse(e.said[0], result, e.said[1])
        except TypeError:
            return self._refuse(message("cli_torch_form_arguments", name=op_name(func)), result)
        if emit.inplace and not self._may_rebind(args[0]):
            return self._refuse(message("cli_torch_form_inplace_view", name=op_name(func)), result,
                                message("cli_torch_why_inplace"))
        for a in emit.operands:
            if not (isinstance(a, torch.Tensor) and id(a) in self.vars):
                try:
                    literal(a)
                except NotRepresentable as e:
                    form = message("cli_torch_form_constant", name=op_name(func))
                    return self._refuse(form, result, e.said)
        self._emit(op_name(func), emit, result)

    def _emit(self, name: str, emit: Emit, result) -> None:
        operands = tuple(self.vars.get(id(a), a) if isinstance(a, torch.Tensor) else a for a in emit.operands)
        if emit.template == "{0}" and isinstance(operands[0], Var):
            var = operands[0]
        else:
            var = Var(name)
            self.rec.stmts.append(Stmt(var, emit.template, operands, self.where()))
        self.vars[id(result)] = var
        self.alive.append(result)
        if result._is_view():
            self.viewed.add(id(result._base))
            self.viewed.add(id(result))

    def _may_rebind(self, target: torch.Tensor) -> bool:
        """An in-place op rebinds its tensor to the new value; views of it would go stale."""
        return not target._is_view() and id(target) not in self.viewed

    def _refuse(self, op, result, reason: str | dict = "") -> None:
        """Note a call with no spelling (op: the callable, its form's text or a catalog message); keep
        tracing, so that every such call is found."""
        op = op if isinstance(op, (str, dict)) else op_name(op)
        text = show(reason) if reason else ""
        self.rec.refusals.append(Refusal(show(op), self.where(), text, (op, reason)))
        outs = result if isinstance(result, (list, tuple)) else (result,)
        for r in outs:
            if isinstance(r, torch.Tensor):  # keeps tracing what follows from it
                self.vars[id(r)] = Var("refused")
                self.alive.append(r)

    # ---- module structure -----------------------------------------------------------------

    def __enter__(self):
        self.hooks = [nn_module.register_module_forward_pre_hook(self._enter_module),
                      nn_module.register_module_forward_hook(self._leave_module)]
        return super().__enter__()

    def __exit__(self, *exc):
        for h in self.hooks:
            h.remove()
        return super().__exit__(*exc)

    def _enter_module(self, module, inputs) -> None:
        self.stack.append((module, len(self.rec.stmts)))

    def _leave_module(self, module, inputs, output) -> None:
        """Name a module's result after the module (fc1), the innermost module first."""
        start = self.stack.pop()[1] if self.stack else 0
        path = self.modules.get(id(module))
        var = self.vars.get(id(output)) if isinstance(output, torch.Tensor) else None
        if path and var is not None and var.module is None and \
                any(s.out is var for s in self.rec.stmts[start:]):
            var.module = path
