"""Graph to strict-JSON-ready data: non-finite numbers become "NaN", "Infinity", "-Infinity"."""

from __future__ import annotations

import numpy as np


def number(v: float):
    """A float as strict JSON allows it."""
    if v - v == 0:  # false exactly for inf and nan
        return float(v)
    if v != v:
        return "NaN"
    return "Infinity" if v > 0 else "-Infinity"


def tensor(a: np.ndarray) -> list:
    """A float64 array as nested lists, with non-finite entries as strings."""
    if np.isfinite(a).all():
        return a.tolist()
    out = a.astype(object)
    out[np.isnan(a)] = "NaN"
    out[np.isposinf(a)] = "Infinity"
    out[np.isneginf(a)] = "-Infinity"
    return out.tolist()


def jsonable(v):
    """A value or gradient (float, array or None) as JSON-ready data."""
    if v is None:
        return None
    if isinstance(v, np.ndarray):
        return tensor(v)
    return number(v)


def const_label(v) -> str:
    """How a constant is written on its gate: the number, or a tensor's shape."""
    if isinstance(v, np.ndarray):
        return "×".join(map(str, v.shape)) if v.ndim else f"{float(v):.6g}"
    return f"{v:.6g}"


def _node(g, i: int) -> dict:
    """One node's record."""
    op, kind = g.ops[i], g.kinds[i]
    if kind == "op":
        label = op.symbol
    elif kind == "input":
        label = g.names[i]
    else:
        label = const_label(g.values[i])
    keys = g.keys
    return {
        "id": keys[i], "op": op.name if op is not None else kind, "kind": kind, "label": label,
        "name": g.names[i], "inputs": [keys[j] for j in g.args[i]], "shape": list(g.shapes[i]),
        "value": jsonable(g.values[i]), "grad": jsonable(g.grads[i]),
        "line": g.pos[i][0], "col": g.pos[i][1], "group": g.group[i],
        "composite": op is not None and op.expansion is not None,
    }


def _edges(g, i: int, out: list) -> None:
    """Append the records of node i's input edges."""
    op, keys, shapes, args = g.ops[i], g.keys, g.shapes, g.args[i]
    last = len(op.formulas) - 1
    sent = g.contribs[i]
    xs = [g.values[j] for j in args] if shapes[i] == () else None
    for p, j in enumerate(args):
        k = min(p, last)
        diff = g.vjps[i][p] is not None
        local = number(g.local(i, p, xs)) if diff and xs is not None and shapes[j] == () else None
        out.append({
            "id": f"{keys[i]}:{p}", "source": keys[j], "target": keys[i], "port": p,
            "formula": op.formulas[k], "formula_tex": op.tex[k], "local": local,
            "contribution": jsonable(sent[p]) if sent is not None else None,
            "differentiable": diff,
        })


def graph_to_dict(g) -> dict:
    """The whole graph, as POST /api/graph returns it."""
    n, keys = len(g.keys), g.keys
    nodes, edges = [], []
    for i in range(n):
        nodes.append(_node(g, i))
        if g.kinds[i] == "op":
            _edges(g, i, edges)
    out_shape = g.shapes[g.output]
    scalar = out_shape == ()
    return {
        "output": keys[g.output],
        "seed": "scalar" if scalar else "ones",
        "note": None if scalar else (
            f"The output has shape {tuple(out_shape)}, so backpropagation starts from a gradient of "
            "ones: the gradients shown are those of sum(output)."),
        "inputs": {name: keys[i] for name, i in g.inputs.items()},
        "forward": list(keys),
        "backward": keys[::-1],
        "groups": g.groups,
        "nodes": nodes,
        "edges": edges,
    }
