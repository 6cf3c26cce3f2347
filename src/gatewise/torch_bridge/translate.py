"""from_torch: a PyTorch module or function and its example inputs, as a checked Gatewise program."""

from __future__ import annotations

import inspect
import re
import sys
from dataclasses import dataclass, field

import numpy as np
import torch

from gatewise.engine import EngineError, Graph, evaluate, to_torch
from gatewise.engine.core.messages import CatalogError

from .literals import literal
from .program import live, write
from .sources import Sources, find_sources
from .trace import Recorder, Refusal, Var

TOLERANCE = 1e-9  # float64 round-off, with room for the different orders of summation


class UnsupportedOperations(TypeError):
    """The PyTorch code uses calls that Gatewise cannot express; `refusals` lists each with its line."""

    def __init__(self, refusals: list[Refusal]):
        self.refusals = refusals
        unique = list(dict.fromkeys(map(str, refusals)))
        lines = "\n".join(f"  {r}" for r in unique)
        super().__init__(f"from_torch cannot translate {len(unique)} operation{'s' * (len(unique) != 1)} "
                         f"(see gatewise.torch_bridge.SUPPORTED for what it can):\n{lines}")


class NotTranslatable(CatalogError, TypeError):
    """fn is no Module or function of tensors, or its result has nothing to draw: a catalog code."""


class TranslationMismatch(AssertionError):
    """The Gatewise program disagrees with PyTorch's autograd beyond float64 round-off (a bug)."""


@dataclass
class Reference:
    """PyTorch's own answer at the example inputs: the output and each input's gradient."""

    output: np.ndarray
    grads: dict = field(default_factory=dict)  # Gatewise input name -> gradient (None: no gradient)


@dataclass(repr=False)
class Translation:
    """A translated program: source, input values and origins, the evaluated graph, the reference."""

    program: str
    values: dict
    names: dict
    graph: Graph
    reference: Reference

    def __repr__(self) -> str:
        lines = sum(1 for line in self.program.splitlines() if line and not line.startswith("#"))
        return f"<Translation: {lines} statements; inputs {', '.join(self.names)}>"

    def standalone(self) -> str:
        """The program with its inputs' values written in (name = literal): it runs as it stands."""
        lines = self.program.splitlines(keepends=True)
        head = [line for line in lines if line.startswith("#")]
        values = [f"{name} = {literal(value)}\n" for name, value in self.values.items()]
        return "".join(head + values + lines[len(head):])

    def to_torch(self) -> str:
        """The program back as a PyTorch file: parameters held by its Program module, arguments passed."""
        params = [name for name, origin in self.names.items() if not re.fullmatch(r"arg\d+", origin)]
        return to_torch(self.program, self.values, params=params)

    def check(self) -> dict:
        """Largest relative differences from PyTorch: {"output": r, "grads": {name: r}, "max": r}.

        The program and values are evaluated afresh, so an edited program is compared too.
        """
        g, ref = evaluate(self.program, self.values), self.reference
        floor = 1e-6 * max(_largest(ref.output), *map(_largest, ref.grads.values()))
        out = rel_diff(g.values[g.output], ref.output, floor)
        grads = {}
        for name, want in ref.grads.items():
            if want is not None:
                got = g.grads[g.inputs[name]] if name in g.inputs else None
                grads[name] = float("inf") if got is None else rel_diff(got, want, floor)
        return {"output": out, "grads": grads, "max": max([out, *grads.values()])}


def rel_diff(got, want, floor: float = 0.0) -> float:
    """max |got − want| / max(max |want|, floor): 0 where they agree exactly (NaN with NaN too).

    `floor` keeps a gradient that is zero up to round-off (1e-17 against 0) from counting as
    wholly different: check() sets it to a millionth of the largest number it compares.
    """
    a, b = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
    if a.shape != b.shape:
        return float("inf")
    differ = ~((a == b) | (np.isnan(a) & np.isnan(b)))
    if not differ.any():
        return 0.0
    if not (np.isfinite(a[differ]).all() and np.isfinite(b[differ]).all()):
        return float("inf")
    finite = np.abs(b[np.isfinite(b)])
    scale = max(float(finite.max()) if finite.size else 0.0, floor, np.finfo(np.float64).tiny)
    return float(np.max(np.abs(a[differ] - b[differ])) / scale)


def _largest(value) -> float:
    """The largest finite magnitude in a tensor (0 for none, or for no gradient)."""
    a = np.abs(np.asarray(value if value is not None else 0.0, dtype=np.float64))
    a = a[np.isfinite(a)]
    return float(a.max()) if a.size else 0.0


def from_torch(fn, *example_args) -> Translation:
    """Translate `fn(*example_args)` (a Module or a function of tensors) into a checked Gatewise program."""
    if not callable(fn):
        raise NotTranslatable("cli_torch_not_callable")
    sources = find_sources(fn)
    recorder, out = _run(fn, example_args, sources)
    rec = recorder.rec
    if rec.refusals:
        raise UnsupportedOperations(rec.refusals)
    var = recorder.vars.get(id(out)) if isinstance(out, torch.Tensor) else None
    _check_output(out, var, rec.stmts)
    stmts = live(rec, var)
    program, values, names = write(rec, stmts, sources.prefix)
    reference = _reference(out, rec.inputs, names)
    try:
        graph = evaluate(program, values)
    except EngineError as e:
        raise TranslationMismatch(f"the translated program does not run in Gatewise: {e}\n{program}") from e
    t = Translation(program, values, names, graph, reference)
    worst = t.check()
    if not worst["max"] <= TOLERANCE:
        raise TranslationMismatch(f"the translation disagrees with PyTorch's autograd: {worst}\n{program}")
    return t


def _run(fn, example_args, sources: Sources):
    """Call fn under the recorder, on float64 copies of the example inputs, with float64 defaults."""
    recorder = Recorder(sources.origins, sources.modules)
    names = _arg_names(fn, len(example_args))
    args = [recorder.add_input(a, f"arg{i}", names[i]) if isinstance(a, torch.Tensor) else a
            for i, a in enumerate(example_args)]
    dtype = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)  # tensors made inside fn are float64, as everything is
    try:
        with torch.enable_grad(), recorder:
            recorder.boundary = sys._getframe()
            out = fn(*args)
    finally:
        torch.set_default_dtype(dtype)
    return recorder, out


def _arg_names(fn, n: int) -> list[str]:
    """The inputs' names: fn's own parameter names where it has them, else arg0, arg1, …"""
    try:
        target = fn.forward if isinstance(fn, torch.nn.Module) else fn
        params = [p.name for p in inspect.signature(target).parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        params = []
    return [params[i] if i < len(params) else f"arg{i}" for i in range(n)]


def _check_output(out, var: Var | None, stmts) -> None:
    if not isinstance(out, torch.Tensor):
        raise NotTranslatable("cli_torch_one_tensor", type=type(out).__name__)
    if var is None:
        raise NotTranslatable("cli_torch_independent")
    if not any(s.out is var for s in stmts):
        raise NotTranslatable("cli_torch_unchanged")
    if not out.is_floating_point():
        raise NotTranslatable("cli_torch_float_result", dtype=str(out.dtype))


def _reference(out: torch.Tensor, inputs: list, names: dict) -> Reference:
    """PyTorch autograd on the same run: d out (d sum(out) for a tensor) for each float input."""
    by_name = {var.name: t for var, t in inputs if var.name in names}
    floats = {n: t for n, t in by_name.items() if t.is_floating_point()}
    total = out if out.ndim == 0 else out.sum()
    grads = torch.autograd.grad(total, list(floats.values()), allow_unused=True) if floats else ()
    ref = Reference(out.detach().numpy().copy())
    for name in by_name:
        ref.grads[name] = None
    for (name, t), g in zip(floats.items(), grads):
        ref.grads[name] = (g if g is not None else torch.zeros_like(t)).detach().numpy().copy()
    return ref
