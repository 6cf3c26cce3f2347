"""Where a function's tensors come from: modules' parameters and captured tensors, by their paths."""

from __future__ import annotations

import functools
import inspect
from dataclasses import dataclass, field

import torch


@dataclass
class Sources:
    """Ids of the user's parameters and tensors -> origin, of modules -> path, and a prefix to drop."""

    origins: dict = field(default_factory=dict)
    modules: dict = field(default_factory=dict)
    prefix: str = ""  # "model." when a function uses one module: its names read fc1_weight, not model_fc1_…


def _add_module(src: Sources, module: torch.nn.Module, prefix: str) -> None:
    for path, m in module.named_modules():
        src.modules.setdefault(id(m), f"{prefix}{path}".rstrip("."))
    for path, p in module.named_parameters():
        src.origins.setdefault(id(p), prefix + path)


def _captured(fn) -> dict:
    """The names a function refers to outside itself (closure cells and globals), with their objects."""
    while isinstance(fn, functools.partial):
        fn = fn.func
    if not inspect.isfunction(fn):
        return {}
    found = inspect.getclosurevars(fn)
    return {**found.globals, **found.nonlocals}


def find_sources(fn) -> Sources:
    """Name what fn can reach: a Module's own parameters, or the modules and tensors a function captures."""
    src = Sources()
    owner = getattr(fn, "__self__", None)
    if isinstance(fn, torch.nn.Module) or isinstance(owner, torch.nn.Module):
        _add_module(src, fn if isinstance(fn, torch.nn.Module) else owner, "")
        return src
    captured = _captured(fn)
    modules = {k: v for k, v in captured.items() if isinstance(v, torch.nn.Module)}
    for name, module in modules.items():
        _add_module(src, module, name + ".")
    for name, value in captured.items():
        if isinstance(value, torch.Tensor):
            src.origins.setdefault(id(value), name)
    owners = [name for name, m in modules.items() if any(True for _ in m.parameters())]
    if len(owners) == 1:  # a loss module beside the model has no parameters to confuse
        src.prefix = owners[0] + "."
    return src
