"""A cache of built programs: the same program with new input values skips parsing and building.

The page re-evaluates one program many times while a slider is scrubbed, and API clients send the
same program with new numbers. The graph's structure depends only on the source, `expand`, the
budgets and the names and shapes of the given values, so a built graph is kept as a template and
each evaluation runs on a fresh instance of it with the new values in place.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import astuple, replace
from functools import lru_cache

from ..core.graph import Graph
from ..core.limits import Deadline, Limits
from ..core.values import as_value
from ..lang.build import build

MAX_ENTRIES = 128
MAX_NODES = 20_000  # larger programs cost more to keep than to parse again, relative to their run
MAX_TOTAL_NODES = 100_000  # all templates together: bounds the cache's memory (~0.5 KB a node)
MAX_SOURCE = 200_000


class CompiledCache:
    """Least-recently-used templates of built graphs, safe to share between threads."""

    def __init__(self, entries: int = MAX_ENTRIES):
        self.entries = entries
        self.templates: OrderedDict[tuple, Graph] = OrderedDict()
        self.nodes = 0
        self.lock = threading.Lock()

    def graph(self, source: str, values: dict | None, expand, limits: Limits, free=None) -> Graph:
        """A graph ready for forward(): from a template if one matches, else from build()."""
        converted = {name: as_value(v, name) for name, v in (values or {}).items()}
        key = _key(source, converted, expand, limits)
        key = key if key is None or free is None else (*key, ("free", free))
        with self.lock:
            template = self.templates.get(key) if key is not None else None
            if template is not None:
                self.templates.move_to_end(key)
        if template is None:
            graph = build(source, converted, expand, limits, None, free)
            if key is not None and len(graph) <= MAX_NODES:
                self._keep(key, graph.instance())
            return graph
        graph = template.instance()
        for name, value in converted.items():
            graph.values[graph.inputs[name]] = value
        graph.deadline = Deadline(limits.time_budget)
        return graph

    def _keep(self, key: tuple, template: Graph) -> None:
        """Store a template, dropping the least recently used beyond the size."""
        with self.lock:
            if key in self.templates:
                return
            self.templates[key] = template
            self.nodes += len(template)
            while len(self.templates) > self.entries or self.nodes > MAX_TOTAL_NODES:
                self.nodes -= len(self.templates.popitem(last=False)[1])


def _key(source: str, values: dict, expand, limits: Limits) -> tuple | None:
    """What a graph's structure depends on; None where it is not worth caching or not hashable."""
    if len(source) > MAX_SOURCE:
        return None
    shapes = tuple(sorted((name, () if type(v) is float else v.shape) for name, v in values.items()))
    try:
        how = expand if isinstance(expand, bool) else frozenset(expand)
        return source, how, shapes, _budgets(limits)
    except TypeError:
        return None


@lru_cache(maxsize=64)
def _budgets(limits: Limits) -> tuple:
    """The budgets that shape a graph (not the time budget), once per Limits value."""
    return astuple(replace(limits, time_budget=None))
