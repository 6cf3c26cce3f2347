"""Graph to strict-JSON-ready data: non-finite numbers become "NaN", "Infinity", "-Infinity"."""

from __future__ import annotations

import numpy as np

from ..core.gcpause import gc_paused
from ..core.messages import DEFAULT_LANG, localized, message, show
from .folding import fold_view
from .jsonsafe import jsonable


def const_label(v) -> str:
    """How a constant is written on its gate: the number, or a tensor's shape."""
    if isinstance(v, np.ndarray):
        return "×".join(map(str, v.shape)) if v.ndim else f"{float(v):.6g}"
    return f"{v:.6g}"


def _labels(g) -> list[str]:
    """Each node's display text: the op's symbol, the input's name, or the constant."""
    return [op.symbol if kind == "op" else (name if kind == "input" else const_label(v))
            for op, kind, name, v in zip(g.ops, g.kinds, g.names, g.values)]


CHUNK = 1024  # nodes between deadline checks: serializing is a stage of the request's budget too


_PLAIN = frozenset((float, type(None)))  # entries that pass through as they are, when finite


def json_column(col: list, check, convert=jsonable) -> list:
    """Values or gradients as JSON-ready data; finite floats pass through untouched, the rest (tensors,
    non-finite numbers) through `convert`; the deadline is checked every CHUNK entries."""
    out = []
    for start in range(0, len(col), CHUNK):
        check()
        chunk = col[start:start + CHUNK]
        # A chunk of floats and Nones whose sum is finite has no inf or nan: it is copied whole
        # (an overflowing sum only sends the chunk the entry-by-entry way).
        if _PLAIN.issuperset(map(type, chunk)):
            total = sum(filter(None, chunk))
            if total - total == 0:
                out += chunk
                continue
        out += [v if type(v) is float and v - v == 0 else convert(v) for v in chunk]
    return out


def _nodes(g) -> list[dict]:
    """Every node's record, zipped from columns (one dict display per node: the hot loop)."""
    key_of = g.keys.__getitem__
    ops = g.ops
    opnames = [kind if op is None else op.name for op, kind in zip(ops, g.kinds)]
    composite = [op is not None and op.expansion is not None for op in ops]
    inputs = [list(map(key_of, a)) for a in g.args]
    shapes = [list(s) for s in g.shapes]
    return [{"id": k, "op": o, "kind": kd, "label": lb, "name": nm, "inputs": ins, "shape": sh,
             "value": v, "grad": gr, "line": pos[0], "col": pos[1], "group": grp, "composite": cmp}
            for k, o, kd, lb, nm, ins, sh, v, gr, pos, grp, cmp in zip(
                g.keys, opnames, g.kinds, _labels(g), g.names, inputs, shapes,
                json_column(g.values, g.deadline.check), json_column(g.grads, g.deadline.check), g.pos,
                g.group, composite)]


_PORTS: dict = {}  # op name -> ((formula, formula_tex), ...) per port: text shared by every edge


def _ports(op, count: int) -> tuple:
    """An op's formula texts per input port (a variadic op's ports all read its one formula)."""
    if op.variadic:  # not kept: one entry per distinct count would let requests grow the table
        return ((op.formulas[0], op.tex[0]),) * count
    meta = _PORTS[op.name] = tuple(zip(op.formulas, op.tex))
    return meta


def _tensor_edge_locals(g, i: int) -> list:
    """Local derivatives of a tensor gate's edges: a number only on a scalar edge into a scalar gate."""
    scalar, vjps, shapes = g.shapes[i] == (), g.vjps[i], g.shapes
    return [g.tensor_local(i, p) if scalar and vjps[p] is not None and shapes[j] == () else None
            for p, j in enumerate(g.args[i])]


def _edges(g) -> list[dict]:
    """Every edge's record: formula, local derivative (scalar edges) and contribution."""
    keys, fast, out = g.keys, g.fast, []
    append = out.append
    contribs = g.contribs or [None] * len(keys)
    check = g.deadline.check
    for i, op in enumerate(g.ops):
        if op is None:
            continue
        if not i & (CHUNK - 1):
            check()
        target, ins, sent, vjps = keys[i], g.args[i], contribs[i], g.vjps[i]
        ports = _PORTS.get(op.name) or _ports(op, len(ins))
        locs = (g.locals[i] or g.local(i)) if fast[i] else _tensor_edge_locals(g, i)
        for p, j in enumerate(ins):
            loc, c = locs[p], sent[p] if sent is not None else None
            formula, tex = ports[p]
            append({"id": f"{target}:{p}", "source": keys[j], "target": target, "port": p,
                    "formula": formula, "formula_tex": tex,
                    "local": loc if type(loc) is float and loc - loc == 0 else jsonable(loc),
                    "contribution": c if type(c) is float and c - c == 0 else jsonable(c),
                    "differentiable": vjps[p] is not None})
    return out


def graph_to_dict(g, lang: str = DEFAULT_LANG) -> dict:
    """The whole graph, as POST /api/graph returns it (its note and verdicts in lang)."""
    keys = g.keys
    seed, note = _seed(g, lang)
    return {
        "output": keys[g.output],
        "seed": seed,
        "note": note,
        "inputs": {name: keys[i] for name, i in g.inputs.items()},
        "forward": list(keys),
        "backward": keys[::-1],
        "groups": {k: {**v, "nodes": list(v["nodes"]), "inputs": list(v["inputs"])}
                   for k, v in g.groups.items()},  # copies: the structure may be a cached template's
        "nodes": _nodes(g),
        "edges": _edges(g),
        "free": list(g.free),
        "spelled": {keys[i]: text for i, text in g.spelled.items()},
        "handwritten": verdicts(g, lang),
    }


def verdicts(g, lang: str = DEFAULT_LANG) -> list[dict]:
    """The hand-written lines' verdicts in program order, their messages in lang."""
    return [localized(v, lang) for v in sorted(g.grades, key=lambda v: (v["line"], v["column"]))]


def _seed(g, lang: str = DEFAULT_LANG) -> tuple[str, str | None]:
    """Where backpropagation starts: 1, ones, or the gradient the program gives (dD = …); and the note
    that says so, in lang."""
    given = [v for v in g.grades if v["verdict"] == "given" and v["value"] is not None]
    if given:
        line = given[-1]
        note = message("note_given", name=line["name"], target=line["target"], line=line["line"])
        return "given", show(note, lang)
    shape = g.shapes[g.output]
    if shape == ():
        return "scalar", None
    return "ones", show(message("note_ones", shape=str(tuple(shape))), lang)


def to_dict(graph, lang: str = DEFAULT_LANG) -> dict:
    """The graph as strict-JSON-ready data (what the server sends), its texts in lang."""
    with gc_paused(), np.errstate(all="ignore"):
        return fold_view(graph_to_dict(graph, lang), graph)
