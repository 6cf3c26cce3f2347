"""A program's text to a graph with its inputs' values: parse, check, build; nothing is computed."""

from __future__ import annotations

import math

from ..core.errors import EngineError
from ..core.graph import Graph
from ..core.limits import DEFAULT_LIMITS, Deadline, Limits
from ..syntax.parser import Parser, check_syntax
from .builder import Builder

_SEMANTIC = ("name", "arity", "shape", "value")


def build(source: str, values: dict | None = None, expand=False, limits: Limits | None = None,
          deadline: Deadline | None = None, free: float | None = None) -> Graph:
    """Parse a program into a graph with its inputs' values; nothing is computed yet.

    `free`: None (a name used but never assigned nor given is an error), or the value such names
    take as inputs (the page gives each a slider).
    """
    if not isinstance(source, str):
        raise EngineError("source_type", kind="syntax")
    limits = limits or DEFAULT_LIMITS
    deadline = deadline or Deadline(limits.time_budget)
    builder = Builder(values, expand, limits, free_value(free), source)
    builder.graph.deadline = deadline
    try:
        Parser(builder, limits, deadline).parse(source)
    except EngineError as e:
        if e.kind in _SEMANTIC:
            _syntax_first(source, limits, deadline)
        raise
    return builder.graph


def free_value(free) -> float | None:
    """The free-name option as a float, or None; anything else is an error."""
    if free is None:
        return None
    if isinstance(free, bool) or not isinstance(free, (int, float)) or not math.isfinite(free):
        raise EngineError("free_type", kind="value")
    return float(free)


def _syntax_first(source: str, limits: Limits, deadline: Deadline) -> None:
    """Raise a syntax error anywhere in the program in place of a semantic one, as Python does."""
    try:
        check_syntax(source, limits, deadline)
    except EngineError as e:
        if e.kind == "syntax":
            raise e from None
