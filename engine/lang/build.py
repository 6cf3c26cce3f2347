"""A program's text to a graph with its inputs' values: parse, check, build; nothing is computed."""

from __future__ import annotations

from ..core.errors import EngineError
from ..core.graph import Graph
from ..core.limits import DEFAULT_LIMITS, Deadline, Limits
from .builder import Builder
from .parser import Parser, check_syntax

_SEMANTIC = ("name", "arity", "shape", "value")


def build(source: str, values: dict | None = None, expand=False, limits: Limits | None = None,
          deadline: Deadline | None = None) -> Graph:
    """Parse a program into a graph with its inputs' values; nothing is computed yet."""
    if not isinstance(source, str):
        raise EngineError("the program must be text", kind="syntax")
    limits = limits or DEFAULT_LIMITS
    deadline = deadline or Deadline(limits.time_budget)
    builder = Builder(values, expand, limits)
    builder.graph.deadline = deadline
    try:
        Parser(builder, limits, deadline).parse(source)
    except EngineError as e:
        if e.kind in _SEMANTIC:
            _syntax_first(source, limits, deadline)
        raise
    return builder.graph


def _syntax_first(source: str, limits: Limits, deadline: Deadline) -> None:
    """Raise a syntax error anywhere in the program in place of a semantic one, as Python does."""
    try:
        check_syntax(source, limits, deadline)
    except EngineError as e:
        if e.kind == "syntax":
            raise e from None
