"""Gatewise engine: parse a program into a computational graph, run forward and backward passes."""

from __future__ import annotations

import numpy as np

from . import ops, ops_nn  # noqa: F401  (registers the op table)
from .builder import Builder
from .compiled import CompiledCache
from .errors import EngineError
from .gcpause import gc_paused
from .graph import Graph
from .limits import Deadline, Limits
from .optable import FUNCTIONS, OPS, op_table
from .parser import Parser, check_syntax

__all__ = ["evaluate", "build", "gradcheck", "op_table", "EngineError", "Limits", "Graph", "OPS",
           "FUNCTIONS"]

DEFAULT_LIMITS = Limits()


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


_SEMANTIC = ("name", "arity", "shape", "value")


def _syntax_first(source: str, limits: Limits, deadline: Deadline) -> None:
    """Raise a syntax error anywhere in the program in place of a semantic one, as Python does."""
    try:
        check_syntax(source, limits, deadline)
    except EngineError as e:
        if e.kind == "syntax":
            raise e from None


_COMPILED = CompiledCache()


def evaluate(source: str, values: dict | None = None, expand=False,
             limits: Limits | None = None) -> Graph:
    """Build the graph (or reuse the same program's), run forward and backward; returns the graph."""
    if not isinstance(source, str):
        raise EngineError("the program must be text", kind="syntax")
    if values is not None and not isinstance(values, dict):
        raise EngineError("values must map input names to numbers or nested lists", kind="value")
    with gc_paused(), np.errstate(all="ignore"):
        graph = _COMPILED.graph(source, values, expand, limits or DEFAULT_LIMITS, build)
        graph.forward()
        graph.backward()
    return graph


from .gradcheck import gradcheck  # noqa: E402  (needs evaluate's helpers above)
