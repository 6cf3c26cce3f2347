"""The page's lean graph (POST /api/graph with "format": "page"): what the page reads, in columns.

The full contract (serialize.to_dict) repeats per node and per edge what the page can derive:
formula texts (the same as GET /api/ops serves), the forward and backward orders (node order and
its reverse), ids of edges, and each scalar edge's contribution, which is exactly the target's
gradient times the edge's local derivative (the engine computes it so, in float64). This form sends
node columns, per-node local derivatives, and only what cannot be derived; large tensors go as
summaries whose entries the page asks for in windows (POST /api/tensor).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from itertools import chain, compress

import numpy as np

from ..core.gcpause import gc_paused
from ..core.messages import DEFAULT_LANG
from .folding import functions_of
from .jsonsafe import jsonable
from .serialize import _seed, _tensor_edge_locals, const_label, json_column, to_dict, verdicts
from .windows import page_tensor


def to_page(graph, skip_grads=frozenset(), lang: str = DEFAULT_LANG) -> dict:
    """The graph in the page's form (its texts in lang); gradients of the nodes in skip_grads are left out.

    A graph with folded calls of user functions is answered in the full form: a folded call's gate
    has formulas and contributions of its own, which no op record holds (the page reads either form).
    """
    if graph.folded:
        return to_dict(graph, lang)
    with gc_paused(), np.errstate(all="ignore"):
        return _page(graph, skip_grads, lang)


def _page(g, skip, lang: str) -> dict:
    """Every field of the page form (see the module's docstring, and server/schemas/page.py)."""
    keys = g.keys
    seed, note = _seed(g, lang)
    return {
        "format": "page", "output": keys[g.output], "seed": seed, "note": note, **_structure(g),
        "handwritten": verdicts(g, lang),
        "value": _column(g.values, g.deadline.check),
        "grad": _column([None if i in skip else v for i, v in enumerate(g.grads)] if skip else g.grads,
                        g.deadline.check),
        "omitted": [keys[i] for i in sorted(skip) if i < len(g.grads) and g.grads[i] is not None],
        "local": _locals(g), "contribution": _contributions(g, skip),
    }


_STRUCTURES: OrderedDict = OrderedDict()  # id(graph.keys) -> (keys, fields): a template's, while cached
_LOCK = threading.Lock()
KEPT = 8


def _structure(g) -> dict:
    """The fields that depend only on the built graph, once per template (shared: never mutated).

    Instances of a cached template share its lists (run.compiled), so the same program with new
    values reuses these; the keys list is held with them, so its id stays that graph's.
    """
    ident = id(g.keys)
    with _LOCK:
        kept = _STRUCTURES.get(ident)
        if kept is not None and kept[0] is g.keys:
            _STRUCTURES.move_to_end(ident)
            return kept[1]
    fields = _fields(g)
    with _LOCK:
        _STRUCTURES[ident] = (g.keys, fields)
        while len(_STRUCTURES) > KEPT:
            _STRUCTURES.popitem(last=False)
    return fields


def _fields(g) -> dict:
    """Ids, ops, inputs, positions, names, shapes, groups: the graph's structure as the page reads it."""
    keys, ops, names = g.keys, g.ops, g.names
    leaves = [i for i, op in enumerate(ops) if op is None]
    return {
        "inputs": {name: keys[i] for name, i in g.inputs.items()},
        "groups": {k: {**v, "nodes": list(v["nodes"]), "inputs": list(v["inputs"])}
                   for k, v in g.groups.items()},  # copies: the structure may be a cached template's
        "free": list(g.free), "spelled": {keys[i]: text for i, text in g.spelled.items()},
        "functions": functions_of(g), "folded": [],
        "ids": keys, "ops": [kind if op is None else op.name for op, kind in zip(ops, g.kinds)],
        "args": g.args, "pos": g.pos,
        "labels": {keys[i]: names[i] if g.kinds[i] == "input" else const_label(g.values[i]) for i in leaves},
        # compress() and filter() keep the entries that are set (None, and the scalar shape (), are false).
        "names": dict(zip(compress(keys, names), filter(None, names))),
        "shapes": dict(zip(compress(keys, g.shapes), map(list, filter(None, g.shapes)))),
        "group": dict(zip(compress(keys, g.group), filter(None, g.group))),
        "nondiff": _nondiff(g),
    }


def _nondiff(g) -> list:
    """Edges that carry no gradient (class labels); most graphs share a few vjps tuples, none such."""
    keys, vjps = g.keys, g.vjps
    if not any(v is not None and None in v for v in set(vjps)):
        return []
    return [f"{keys[i]}:{p}" for i, v in enumerate(vjps) if v is not None and None in v
            for p, f in enumerate(v) if f is None]


def _column(col: list, check) -> list:
    """Values or gradients: finite floats as they are, tensors whole or summarized."""
    return json_column(col, check, page_tensor)


def _locals(g) -> list:
    """Per node its edges' local derivatives (null for leaves and for tensor edges)."""
    locs = list(g.locals) if g.locals else [None] * len(g.ops)  # the backward pass's, per fast node
    fast, ops = g.fast, g.ops
    tensor_gates = []
    for i in [i for i, loc in enumerate(locs) if loc is None and ops[i] is not None]:
        if fast[i]:
            locs[i] = g.local(i)  # a gate no gradient reached
        else:
            tensor_gates.append(i)
    # One sum tells whether every fast local is finite (an overflow to inf only sends it the slow way).
    total = sum(chain.from_iterable(filter(None, locs)))
    if total - total != 0:
        locs = [loc if loc is None or all(x - x == 0 for x in loc) else [jsonable(x) for x in loc]
                for loc in locs]
    for i in tensor_gates:
        locs[i] = [jsonable(v) for v in _tensor_edge_locals(g, i)]
    return locs


def _contributions(g, skip) -> dict:
    """Contributions the page cannot derive: those of tensor gates (edge id -> value or summary)."""
    out, keys, fast = {}, g.keys, g.fast
    for i, sent in enumerate(g.contribs or ()):
        if sent is None or fast[i]:
            continue
        for p, c in enumerate(sent):
            if c is not None and g.args[i][p] not in skip:
                out[f"{keys[i]}:{p}"] = page_tensor(c)
    return out
