"""Evaluate a program: build it (or reuse the same program's graph), then run both passes."""

from __future__ import annotations

import numpy as np

from ..core.errors import EngineError
from ..core.gcpause import gc_paused
from ..core.graph import Graph
from ..core.limits import DEFAULT_LIMITS, Limits
from .compiled import CompiledCache

_COMPILED = CompiledCache()


def evaluate(source: str, values: dict | None = None, expand=False,
             limits: Limits | None = None) -> Graph:
    """Build the graph (or reuse the same program's), run forward and backward; returns the graph."""
    if not isinstance(source, str):
        raise EngineError("the program must be text", kind="syntax")
    if values is not None and not isinstance(values, dict):
        raise EngineError("values must map input names to numbers or nested lists", kind="value")
    with gc_paused(), np.errstate(all="ignore"):
        graph = _COMPILED.graph(source, values, expand, limits or DEFAULT_LIMITS)
        graph.forward()
        graph.backward()
    return graph
