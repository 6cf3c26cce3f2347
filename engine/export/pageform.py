"""The page's lean graph (POST /api/graph with "format": "page"): what the page reads, in columns.

The full contract (serialize.to_dict) repeats per node and per edge what the page can derive:
formula texts (the same as GET /api/ops serves), the forward and backward orders (node order and
its reverse), ids of edges, and each scalar edge's contribution, which is exactly the target's
gradient times the edge's local derivative (the engine computes it so, in float64). This form sends
node columns, per-node local derivatives, and only what cannot be derived; large tensors go as
summaries whose entries the page asks for in windows (POST /api/tensor).
"""

from __future__ import annotations

import numpy as np

from ..core.gcpause import gc_paused
from .folding import functions_of
from .jsonsafe import jsonable
from .serialize import CHUNK, _seed, _tensor_edge_locals, const_label, to_dict
from .windows import page_tensor


def to_page(graph, skip_grads=frozenset()) -> dict:
    """The graph in the page's form; gradients of the nodes in skip_grads are left out.

    A graph with folded calls of user functions is answered in the full form: a folded call's gate
    has formulas and contributions of its own, which no op record holds (the page reads either form).
    """
    if graph.folded:
        return to_dict(graph)
    with gc_paused(), np.errstate(all="ignore"):
        return _page(graph, skip_grads)


def _page(g, skip) -> dict:
    """Every field of the page form (see the module's docstring, and server/schemas/page.py)."""
    keys = g.keys
    seed, note = _seed(g)
    return {
        "format": "page", "output": keys[g.output], "seed": seed, "note": note,
        "inputs": {name: keys[i] for name, i in g.inputs.items()},
        "groups": {k: {**v, "nodes": list(v["nodes"]), "inputs": list(v["inputs"])}
                   for k, v in g.groups.items()},  # copies: the structure may be a cached template's
        "free": list(g.free), "spelled": {keys[i]: text for i, text in g.spelled.items()},
        "handwritten": sorted(g.grades, key=lambda v: (v["line"], v["column"])),
        "functions": functions_of(g), "folded": [],
        "ids": keys, "ops": [kind if op is None else op.name for op, kind in zip(g.ops, g.kinds)],
        "args": g.args, "pos": g.pos,
        "value": _column(g.values, g.deadline.check),
        "grad": _column([None if i in skip else v for i, v in enumerate(g.grads)] if skip else g.grads,
                        g.deadline.check),
        "omitted": [keys[i] for i in sorted(skip) if i < len(g.grads) and g.grads[i] is not None],
        "local": _locals(g), **_sparse(g), "contribution": _contributions(g, skip),
    }


def _column(col: list, check) -> list:
    """Values or gradients: finite floats as they are, tensors whole or summarized."""
    out = []
    for start in range(0, len(col), CHUNK):
        check()
        out += [v if type(v) is float and v - v == 0 else page_tensor(v) for v in col[start:start + CHUNK]]
    return out


def _locals(g) -> list:
    """Per node its edges' local derivatives (null for leaves and for tensor edges)."""
    out, fast, check = [], g.fast, g.deadline.check
    append = out.append
    for i, op in enumerate(g.ops):
        if op is None:
            append(None)
            continue
        if not i & (CHUNK - 1):
            check()
        locs = (g.locals[i] or g.local(i)) if fast[i] else _tensor_edge_locals(g, i)
        for x in locs:
            if x is None or x - x != 0:  # a rare non-finite or missing one: the slow path
                locs = [jsonable(v) for v in locs]
                break
        append(locs)
    return out


def _sparse(g) -> dict:
    """Fields most nodes lack, keyed by node (or edge) id."""
    keys, ops = g.keys, g.ops
    return {
        "labels": {keys[i]: name if kind == "input" else const_label(v)
                   for i, (kind, name, v) in enumerate(zip(g.kinds, g.names, g.values)) if kind != "op"},
        "names": {keys[i]: n for i, n in enumerate(g.names) if n is not None},
        "shapes": {keys[i]: list(s) for i, s in enumerate(g.shapes) if s != ()},
        "group": {keys[i]: grp for i, grp in enumerate(g.group) if grp is not None},
        "nondiff": [f"{keys[i]}:{p}" for i, op in enumerate(ops) if op is not None
                    for p, v in enumerate(g.vjps[i]) if v is None],
    }


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
