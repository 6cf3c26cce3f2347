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


def _labels(g) -> list[str]:
    """Each node's display text: the op's symbol, the input's name, or the constant."""
    return [op.symbol if kind == "op" else (name if kind == "input" else const_label(v))
            for op, kind, name, v in zip(g.ops, g.kinds, g.names, g.values)]


def _nodes(g) -> list[dict]:
    """Every node's record (a hot loop: locals are bound once, finite floats skip jsonable)."""
    keys, labels, out = g.keys, _labels(g), []
    append, key_of = out.append, g.keys.__getitem__
    for i, (op, kind, args, shape, v, gr, (line, col)) in enumerate(
            zip(g.ops, g.kinds, g.args, g.shapes, g.values, g.grads, g.pos)):
        append({
            "id": keys[i], "op": op.name if op is not None else kind, "kind": kind, "label": labels[i],
            "name": g.names[i], "inputs": list(map(key_of, args)), "shape": list(shape) if shape else [],
            "value": v if type(v) is float and v - v == 0 else jsonable(v),
            "grad": gr if type(gr) is float and gr - gr == 0 else jsonable(gr),
            "line": line, "col": col, "group": g.group[i],
            "composite": op is not None and op.expansion is not None,
        })
    return out


def _edge_numbers(g):
    """(i, p, local, contribution) of every edge, in order: the parts that change with the values."""
    for i, op in enumerate(g.ops):
        if op is None:
            continue
        args, sent, vjps = g.args[i], g.contribs[i], g.vjps[i]
        loc = (g.locals[i] or g.local(i)) if g.fast[i] else None  # only scalar edges have numbers
        for p, j in enumerate(args):
            if loc is not None:
                local = loc[p]
                if type(local) is not float or local - local != 0:
                    local = number(local)
            elif vjps[p] is not None and g.shapes[i] == () and g.shapes[j] == ():
                local = number(g.tensor_local(i, p))  # a scalar edge into a gate with tensor operands
            else:
                local = None
            c = sent[p] if sent is not None else None
            yield i, p, local, c if type(c) is float and c - c == 0 else jsonable(c)


def _edges(g) -> list[dict]:
    """Every edge's record: formula, local derivative (scalar edges) and contribution."""
    keys, out = g.keys, []
    append = out.append
    for i, p, local, contribution in _edge_numbers(g):
        op, j, target = g.ops[i], g.args[i][p], keys[i]
        k = min(p, len(op.formulas) - 1)
        append({
            "id": f"{target}:{p}", "source": keys[j], "target": target, "port": p,
            "formula": op.formulas[k], "formula_tex": op.tex[k], "local": local,
            "contribution": contribution, "differentiable": g.vjps[i][p] is not None,
        })
    return out


def _refresh(g, node_bases: list[dict], edge_bases: list[dict]) -> tuple[list, list]:
    """Records of a graph whose structure was serialized before: copies with the new numbers."""
    nodes, edges = [], []
    for base, v, gr in zip(node_bases, g.values, g.grads):
        d = base.copy()
        d["inputs"], d["shape"] = list(d["inputs"]), list(d["shape"])  # fresh lists, callers may mutate
        d["value"] = v if type(v) is float and v - v == 0 else jsonable(v)
        d["grad"] = gr if type(gr) is float and gr - gr == 0 else jsonable(gr)
        nodes.append(d)
    for base, (_, _, local, contribution) in zip(edge_bases, _edge_numbers(g)):
        e = base.copy()
        e["local"], e["contribution"] = local, contribution
        edges.append(e)
    return nodes, edges


def graph_to_dict(g) -> dict:
    """The whole graph, as POST /api/graph returns it."""
    keys = g.keys
    bases = g.shared.get("records")
    if bases is None:
        nodes, edges = _nodes(g), _edges(g)
        # Kept for the next run of the same structure (a cached template's instances share `shared`).
        g.shared["records"] = ([{**d, "inputs": tuple(d["inputs"]), "shape": tuple(d["shape"])}
                                for d in nodes], [e.copy() for e in edges])
    else:
        nodes, edges = _refresh(g, *bases)
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
        "groups": {k: {**v, "nodes": list(v["nodes"]), "inputs": list(v["inputs"])}
                   for k, v in g.groups.items()},  # copies: the structure may be a cached template's
        "nodes": nodes,
        "edges": edges,
    }
