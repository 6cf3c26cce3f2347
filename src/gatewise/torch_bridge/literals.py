"""Gatewise spellings of PyTorch's names and constants: identifiers and exact literals."""

from __future__ import annotations

import math
import re

import torch

from gatewise.engine.core.messages import message, show


class NotRepresentable(ValueError):
    """A constant with no literal in the language (inf, NaN, complex): a catalog message (`said`)."""

    def __init__(self, said: dict):
        super().__init__(show(said))
        self.said = said


def identifier(text: str) -> str:
    """A Gatewise name made from a PyTorch path: fc1.weight -> fc1_weight, 0.weight -> layer0_weight."""
    name = re.sub(r"\W+", "_", text).strip("_") or "v"
    return f"layer{name}" if name[0].isdigit() else name


def number(v) -> str:
    """A Python number as a literal that parses back to the same float."""
    if isinstance(v, bool) or (isinstance(v, int) and not isinstance(v, bool)):
        return str(int(v))
    if isinstance(v, complex) or not math.isfinite(v):
        raise NotRepresentable(message("cli_torch_why_literal", value=repr(v)))
    return repr(float(v))


def literal(value) -> str:
    """A constant operand (a number, or a tensor without gradient) as a Gatewise literal."""
    if isinstance(value, torch.Tensor):
        if value.is_complex():
            raise NotRepresentable(message("cli_torch_why_complex"))
        value = value.detach().tolist()
    if isinstance(value, list):
        return _nested(value)
    text = number(value)
    return f"({text})" if text.startswith("-") else text


def _nested(value) -> str:
    return "[" + ", ".join(map(_nested, value)) + "]" if isinstance(value, list) else number(value)
