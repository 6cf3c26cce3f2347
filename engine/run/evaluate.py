"""Evaluate a program: build it (or reuse the same program's graph), then run both passes."""

from __future__ import annotations

import numpy as np

from ..core.errors import EngineError
from ..core.gcpause import gc_paused
from ..core.graph import Graph
from ..core.limits import DEFAULT_LIMITS, Limits
from ..lang.build import free_value
from ..lang.functions import folded_calls
from .compiled import CompiledCache
from .grade import given_seed, grade

_COMPILED = CompiledCache()


def evaluate(source: str, values: dict | None = None, expand=False,
             limits: Limits | None = None, free: float | None = None, fold=None) -> Graph:
    """Build the graph (or reuse the same program's), run forward and backward; returns the graph.

    `free`: the value of names used but never assigned (None: such a name is an error). Lines
    `d<name> = …` are the user's backward pass: graded into `graph.grades` after the engine's.
    `fold`: true or the ids of user-function calls to draw folded (None: the default for its size).
    """
    if not isinstance(source, str):
        raise EngineError("source_type", kind="syntax")
    if values is not None and not isinstance(values, dict):
        raise EngineError("values_type", kind="value")
    with gc_paused(), np.errstate(all="ignore"):
        graph = _COMPILED.graph(source, values, expand, limits or DEFAULT_LIMITS, free_value(free),
                                run=_passes)
    if fold is not None and fold is not False:
        graph.folded = folded_calls(graph, expand, fold)
    return graph


def _passes(graph: Graph) -> None:
    """Forward, then backward (a hand-written backward pass graded after the engine's)."""
    graph.forward()
    if graph.handwritten:
        seed, given = given_seed(graph)
        graph.backward(seed)
        graph.grades = given + grade(graph)
    else:
        graph.backward()
