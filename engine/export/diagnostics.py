"""Diagnostics of an evaluated graph: gradient magnitudes and flags for what is wrong. Pure data.

Flags: dead ReLUs, saturated sigmoid/tanh gates, vanishing or exploding gradients along the path
into an input, inputs with no influence on the output, and the largest contributions into each
input. Every flag carries a message that explains it in words, for the page's explain panel.
"""

from __future__ import annotations

import math

import numpy as np

from ..core.gcpause import gc_paused
from ..core.graph import Graph
from ..core.messages import DEFAULT_LANG, localized, message, render

SATURATED = 1e-3  # a sigmoid/tanh local gradient under this passes almost nothing back
VANISHING = 1e-5  # an input gradient this much smaller than the output's seed (1) ...
EXPLODING = 1e5  # ... or this much larger, is flagged along its dominant path
TOP = 3  # contributions listed per input
MOSTLY = 0.5  # a tensor gate with at least this share of saturated elements is flagged too
MAX_PATHS = 50  # inputs whose dominant path is traced (each walk is as long as the graph is deep) ...
MAX_HOPS = 500  # ... and stops after this many gates (the flag still names the worst one it saw)


def magnitude(v) -> float | None:
    """The largest absolute entry of a value or gradient (None for no gradient; NaN stays NaN)."""
    if v is None:
        return None
    if type(v) is float:  # the commonest case, without NumPy's per-call cost
        return abs(v)
    a = np.abs(np.asarray(v, dtype=np.float64))
    if a.size == 0:
        return 0.0
    return float("nan") if np.isnan(a).any() else float(a.max())


def _flag(kind: str, node: str, severity: str, code: str, params: dict, **extra) -> dict:
    """One flag record: its title and message in English, rendered from code_title and code with params
    (which render them in another language too)."""
    return {"kind": kind, "node": node, "severity": severity, "title": render(f"{code}_title", params),
            "message": render(code, params), "title_code": f"{code}_title", "code": code, "params": params,
            **extra}


def _name(g: Graph, i: int):
    """How a message names node i: its user name, else its op and id (a message parameter)."""
    if g.names[i]:
        return g.names[i]
    op = g.ops[i]
    return message("node_gate", op=op.name, id=g.keys[i]) if op is not None else g.keys[i]


def _units(mask: np.ndarray) -> list[int]:
    """Columns (hidden units) where mask holds for every row of a batch."""
    return [int(k) for k in np.flatnonzero(mask.all(axis=0))] if mask.ndim == 2 else []


def _local(g: Graph, i: int) -> np.ndarray:
    """A one-input gate's local gradient on every element: its record's vjp with an upstream of 1."""
    y, x = g.values[i], g.values[g.args[i][0]]
    return np.asarray(g.ops[i].vjps[0](np.ones(np.shape(y)), y, x), dtype=np.float64)


def _dead_relu(g: Graph, i: int) -> dict | None:
    """A ReLU whose input is <= 0 everywhere (all of it, or whole units over the batch) passes no gradient."""
    x = np.asarray(g.values[g.args[i][0]], dtype=np.float64)
    dead = ~(_local(g, i) != 0)  # NaN counts as dead, as ~(x > 0) did
    who = _name(g, i)
    if dead.all():
        return _flag("dead_relu", g.keys[i], "warning", "dead_relu_all", {"who": who})
    units = _units(dead)
    if not units:
        return None
    return _flag("dead_relu", g.keys[i], "warning", "dead_relu_units",
                 {"who": who, "count": len(units), "total": x.shape[1], "columns": _list(units)}, units=units)


def _saturated(g: Graph, i: int) -> dict | None:
    """A sigmoid or tanh whose local gradient is under SATURATED (all of it, or whole units)."""
    y = np.asarray(g.values[i], dtype=np.float64)
    op = g.ops[i].name
    local = _local(g, i)
    low = local < SATURATED
    said = {"who": _name(g, i), "op": op, "formula": g.ops[i].formulas[0].split(" = ", 1)[1],
            "threshold": f"{SATURATED:g}"}
    if low.all():
        return _flag("saturated", g.keys[i], "warning", "saturated_all",
                     {**said, "local": f"{float(local.max()):.2g}"}, local=float(local.max()))
    units, share = _units(low), float(low.mean()) if low.size else 0.0
    if units:
        return _flag("saturated", g.keys[i], "warning", "saturated_units",
                     {**said, "count": len(units), "total": y.shape[1], "columns": _list(units)}, units=units,
                     share=share)
    if share < MOSTLY:
        return None
    return _flag("saturated", g.keys[i], "warning", "saturated_mostly", {**said, "share": f"{share:.0%}"},
                 share=share)


def _list(ks: list[int], most: int = 8) -> str:
    """A short list of indices."""
    return ", ".join(map(str, ks[:most])) + (", …" if len(ks) > most else "")


def _consumers(g: Graph) -> list[list[tuple[int, int]]]:
    """For each node, the (gate, port) pairs that read it."""
    out: list[list[tuple[int, int]]] = [[] for _ in range(len(g))]
    for i, args in enumerate(g.args):
        for p, j in enumerate(args):
            out[j].append((i, p))
    return out


def _sent(g: Graph, i: int, p: int):
    """The contribution gate i sent back along input edge p, or None."""
    row = g.contribs[i] if g.contribs else None
    return row[p] if row is not None else None


def _dominant_path(g: Graph, j: int, cons) -> list[int]:
    """From node j to the output, always along the consumer edge that carries the largest contribution."""
    path = [j]
    while path[-1] != g.output:
        best, size = None, -1.0
        for i, p in cons[path[-1]]:
            m = magnitude(_sent(g, i, p))
            if m is not None and not math.isnan(m) and m > size:
                best, size = i, m
        if best is None or len(path) > MAX_HOPS:
            break
        path.append(best)
    return path


def _path_flag(g: Graph, j: int, cons) -> dict | None:
    """Vanishing or exploding gradient into input j, and the gate on its path that changes it most."""
    m = magnitude(g.grads[j])
    if m is None or m == 0 or math.isnan(m) or VANISHING <= m <= EXPLODING:
        return None
    path = _dominant_path(g, j, cons)
    mags = [magnitude(g.grads[k]) or 0.0 for k in path]
    ratios = [(mags[k] / mags[k + 1]) if mags[k + 1] else 1.0 for k in range(len(path) - 1)]
    vanish = m < VANISHING
    worst = path[1 + int(np.argmin(ratios) if vanish else np.argmax(ratios))] if ratios else g.output
    what = "vanishing" if vanish else "exploding"
    return _flag(what, g.keys[j], "warning", what, {"who": _name(g, j), "size": f"{m:.2g}",
                                                    "worst": _name(g, worst)},
                 path=[g.keys[k] for k in reversed(path)], worst=g.keys[worst])


def _influence(g: Graph, j: int, cons) -> dict | None:
    """An input that cannot move the output: no differentiable path, or a gradient of exactly 0."""
    uses = cons[j]
    if uses and all(g.vjps[i][p] is None for i, p in uses):
        return None  # labels and indices: data the loss reads, not a flaw
    who = _name(g, j)
    if g.grads[j] is None:
        return _flag("no_influence", g.keys[j], "warning", "no_influence_path", {"who": who})
    if magnitude(g.grads[j]) == 0:
        return _flag("no_influence", g.keys[j], "warning", "no_influence_zero", {"who": who})
    return None


def _top_contributions(g: Graph, j: int, cons) -> dict | None:
    """The consumer edges that send input j the largest contributions, with their share of the total."""
    parts = [(i, p, magnitude(_sent(g, i, p))) for i, p in cons[j]]
    parts = [(i, p, m) for i, p, m in parts if m is not None and not math.isnan(m)]
    total = sum(m for *_, m in parts)
    if not parts or total == 0:
        return None
    parts.sort(key=lambda t: -t[2])
    top = [{"edge": f"{g.keys[i]}:{p}", "gate": g.keys[i], "magnitude": m, "share": m / total}
           for i, p, m in parts[:TOP]]
    who, lead = _name(g, j), top[0]
    said = {"who": who, "uses": len(parts), "gate": _name(g, parts[0][0]), "share": f"{lead['share']:.0%}"}
    return _flag("top_contributions", g.keys[j], "info", "top_many" if len(parts) > 1 else "top_one", said,
                 contributions=top)


def diagnose(g: Graph, lang: str = DEFAULT_LANG) -> dict:
    """Magnitudes of every node's gradient and edge's contribution, and the flags (their texts in lang)."""
    with gc_paused(), np.errstate(all="ignore"):  # many small records: the collector would rescan them
        cons = _consumers(g)
        nodes = {g.keys[i]: magnitude(g.grads[i]) if g.grads else None for i in range(len(g))}
        edges = {f"{g.keys[i]}:{p}": magnitude(_sent(g, i, p))
                 for i, op in enumerate(g.ops) if op is not None for p in range(len(g.args[i]))}
        flags = []
        for i, op in enumerate(g.ops):
            watch = op.watch if op is not None else None
            if watch == "dead":
                flags.append(_dead_relu(g, i))
            elif watch == "saturates":
                flags.append(_saturated(g, i))
        traced = 0
        for j in g.inputs.values():
            path = _path_flag(g, j, cons) if traced < MAX_PATHS else None
            traced += path is not None
            flags += [_influence(g, j, cons), path, _top_contributions(g, j, cons)]
    return {"nodes": nodes, "edges": edges, "flags": [localized(f, lang) for f in flags if f is not None],
            "thresholds": {"saturated": SATURATED, "vanishing": VANISHING, "exploding": EXPLODING}}
