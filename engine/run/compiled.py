"""A cache of built programs: the same program with new input values skips parsing and building.

The page re-evaluates one program many times while a slider is scrubbed, and API clients send the
same program with new numbers. The graph's structure depends only on the source, `expand`, the
budgets and the names and shapes of the given values, so a built graph is kept as a template and
each evaluation runs on a fresh instance of it with the new values in place.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import astuple, replace
from functools import lru_cache
from itertools import compress, repeat
from operator import is_not

import numpy as np

from ..core.graph import Graph
from ..core.limits import Deadline, Limits
from ..core.values import as_value
from ..lang.build import build

MAX_ENTRIES = 128
MAX_NODES = 20_000  # larger programs cost more to keep than to parse again, relative to their run
MAX_TOTAL_NODES = 100_000  # all templates together: bounds the cache's memory (~0.5 KB a node)
MAX_SOURCE = 200_000
MAX_BYTES = 64 * 1024 * 1024  # all templates together, their input and constant tensors included
NODE_BYTES = 512  # what a node's entries in the parallel lists cost, about


class CompiledCache:
    """Least-recently-used templates of built graphs, safe to share between threads."""

    def __init__(self, entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES):
        self.entries, self.max_bytes = entries, max_bytes
        self.templates: OrderedDict[tuple, Graph] = OrderedDict()
        self.nodes = 0
        self.bytes = 0
        self.lock = threading.Lock()

    def graph(self, source: str, values: dict | None, expand, limits: Limits, free=None,
              run: Callable[[Graph], None] | None = None) -> Graph:
        """A graph from a template if one matches, else from build(), after run(graph) if given.

        A new graph is kept as a template only once run() succeeded: a program whose passes fail
        (labels out of range, the time budget) must not hold the cache's memory.
        """
        converted = {name: as_value(v, name) for name, v in (values or {}).items()}
        key = _key(source, converted, expand, limits)
        key = key if key is None or free is None else (*key, ("free", free))
        with self.lock:
            template = self.templates.get(key) if key is not None else None
            if template is not None:
                self.templates.move_to_end(key)
        if template is None:
            graph = build(source, converted, expand, limits, None, free)
            # The snapshot is taken before the passes: it holds no computed values.
            snapshot = graph.instance() if key is not None and len(graph) <= MAX_NODES else None
            if run is not None:
                run(graph)
            if snapshot is not None:
                self._keep(key, snapshot)
            return graph
        graph = template.instance()
        for name, value in converted.items():
            graph.values[graph.inputs[name]] = value
        graph.deadline = Deadline(limits.time_budget)
        if run is not None:
            run(graph)
        return graph

    def _keep(self, key: tuple, template: Graph) -> None:
        """Store a template, dropping the least recently used beyond the entries, nodes and bytes."""
        cost = _bytes(template)
        if cost > self.max_bytes // 8:  # one program may not push out most of the others
            return
        with self.lock:
            if key in self.templates:
                return
            self.templates[key] = template
            self.nodes += len(template)
            self.bytes += cost
            while len(self.templates) > self.entries or self.nodes > MAX_TOTAL_NODES \
                    or self.bytes > self.max_bytes:
                old = self.templates.popitem(last=False)[1]
                self.nodes -= len(old)
                self.bytes -= _bytes(old)


def _bytes(template: Graph) -> int:
    """Memory a template holds: its nodes, and the tensors of its inputs and constants."""
    values = template.values  # a template's gates have no values yet: only its leaves are looked at
    leaves = compress(values, map(is_not, values, repeat(None)))
    return NODE_BYTES * len(template) + sum(v.nbytes for v in leaves if isinstance(v, np.ndarray))


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
