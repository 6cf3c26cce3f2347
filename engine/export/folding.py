"""Folded calls of user functions: each drawn as one gate, with the numbers of the unfolded graph.

The graph always holds every call's body; folding is a view. A folded call is one node with the
call's id, its output's value and gradient, and one edge per distinct argument carrying what the
body sends back to it (the sum of the body's own edges from that argument, so the argument's
gradient is the same either way) and, on a scalar edge of a scalar call, the local derivative
d(call)/d(argument) from a backward pass over the body alone, as a composite gate shows its own.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from .jsonsafe import jsonable


def functions_of(g) -> dict:
    """The program's user functions for the answer: params, line, column and call ids."""
    return {name: {**info, "params": list(info["params"]), "calls": list(info["calls"])}
            for name, info in g.functions.items()}


def fold_view(d: dict, g) -> dict:
    """Rewrite a graph answer so that the folded calls are single gates."""
    d["functions"], d["folded"] = functions_of(g), []
    if not g.folded:
        return d
    depth = Counter(key for k in g.folded for key in g.groups[k]["nodes"])  # folded calls around
    shown = [k for k in g.folded if depth[g.groups[k]["output"]] == 1]  # not inside another
    alias = {g.groups[k]["output"]: k for k in shown}
    index = {key: i for i, key in enumerate(g.keys)}
    summaries = {g.groups[k]["output"]: _summary(g, k, index, alias) for k in shown}
    nodes = [_shown_node(n, summaries, alias) for n in d["nodes"]
             if n["id"] in summaries or n["id"] not in depth]
    edges = [e if e["source"] not in alias else {**e, "source": alias[e["source"]]}
             for e in d["edges"] if e["target"] not in depth]
    for _, extra in summaries.values():
        edges += extra
    d.update(nodes=nodes, edges=edges, folded=sorted(shown, key=_order))
    d["output"] = alias.get(d["output"], d["output"])
    d["forward"] = [n["id"] for n in nodes]
    d["backward"] = d["forward"][::-1]
    d["groups"] = {k: v for k, v in d["groups"].items() if v.get("output", k) not in depth}
    d["spelled"] = {k: v for k, v in d["spelled"].items() if k not in depth or k in alias}
    for line in d["handwritten"]:
        line["node"] = alias.get(line.get("node"), line.get("node"))
    return d


def _shown_node(n: dict, summaries: dict, alias: dict) -> dict:
    """A node of the folded answer: a call's summary in place of its output, inputs renamed."""
    if n["id"] in summaries:
        return {**n, **summaries[n["id"]][0]}
    if any(s in alias for s in n["inputs"]):
        return {**n, "inputs": [alias.get(s, s) for s in n["inputs"]]}
    return n


def _order(key: str) -> tuple:
    """Node ids in creation order (n3 before n12)."""
    return tuple(int(x) for x in key[1:].split("."))


def _summary(g, k: str, index: dict, alias: dict) -> tuple[dict, list]:
    """The folded call's node fields and its edges, one per distinct argument."""
    group, name = g.groups[k], g.groups[k]["op"]
    inner, out = [index[key] for key in group["nodes"]], index[group["output"]]
    args = [index[key] for key in group["inputs"]]
    sources = [alias.get(g.keys[j], g.keys[j]) for j in args]
    node = {"id": k, "op": name, "label": name, "inputs": sources, "line": group["line"],
            "col": group["column"], "composite": True, "function": name,
            "group": None if g.group[out] == k else g.group[out]}
    sent = _sent(g, inner, set(args))
    scalar = g.shapes[out] == () and any(g.shapes[j] == () for j in args)
    local = _locals(g, inner, out) if scalar else {}
    edges = []
    for p, j in enumerate(args):
        if j in args[:p]:
            continue  # the same value passed twice: one wire, carrying both parameters' share
        params = [q for q, a in zip(g.functions[name]["params"], args) if a == j]
        c, differentiable = sent.get(j, (None, False))
        loc = local.get(j) if g.shapes[j] == () else None
        edges.append({"id": f"{k}:{p}", "source": sources[p], "target": k, "port": p,
                      "formula": " + ".join(f"∂{name}/∂{q}" for q in params),
                      "formula_tex": " + ".join(rf"\partial\,\mathrm{{{name}}}/\partial {q}" for q in params),
                      "local": None if loc is None else jsonable(loc), "contribution": jsonable(c),
                      "differentiable": differentiable})
    return node, edges


def _sent(g, inner: list[int], args: set) -> dict:
    """Per argument: the sum of what the body's edges send back to it, and whether any edge can."""
    out: dict = {}
    for i in inner:
        if g.ops[i] is None:
            continue
        sent = g.contribs[i] if i < len(g.contribs) else None
        for p, j in enumerate(g.args[i]):
            if j not in args:
                continue
            c = sent[p] if sent is not None else None
            total, differentiable = out.get(j, (None, False))
            if c is not None:
                total = c if total is None else total + c
            out[j] = total, differentiable or g.vjps[i][p] is not None
    return out


def _locals(g, inner: list[int], out: int) -> dict:
    """d(output)/d(each value the body reads), by a backward pass over the body with seed 1."""
    grads = {out: 1.0}
    for i in reversed(inner):
        gi = grads.get(i)
        if gi is None or g.ops[i] is None:
            continue
        ins = g.args[i]
        locs = (g.locals[i] if i < len(g.locals) and g.locals[i] else g.local(i)) if g.fast[i] else None
        for p, j in enumerate(ins):
            if g.vjps[i][p] is None:
                continue
            c = gi * locs[p] if locs is not None else g.vjp(i, p, gi)
            grads[j] = c if j not in grads else grads[j] + c
    return {j: float(v) for j, v in grads.items() if type(v) is float or np.ndim(v) == 0}
