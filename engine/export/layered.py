"""A small layered layout of the graph JSON, left to right, for exports made without the page's layout.

Layers are longest paths from the leaves; two barycenter sweeps order each layer to cut crossings.
The result has the page's layout shape: node boxes, edge polylines and a label anchor per edge.
"""

from __future__ import annotations

LAYER_GAP = 150.0  # px between layer left edges: room for the value and gradient labels of a wire
ROW_GAP = 74.0
PAD = 24.0


def node_size(node: dict, arity: int) -> tuple[float, float]:
    """Box size of a node, as the page draws it (gates are circles or pills, leaves are tags)."""
    label = str(node.get("label") or "")
    if node["kind"] == "input":
        return max(46.0, len(str(node.get("name") or label)) * 9.3 + 26), 42.0 if node.get("shape") else 32.0
    if node["kind"] == "const":
        return max(30.0, len(label) * 7.5 + 16), 24.0
    h = max(38.0, arity * 13.0 + 10)
    return (h if len(label) <= 2 else len(label) * 8.7 + 24), h


def _layers(graph: dict) -> dict[str, int]:
    """Each node's layer: one more than its deepest input's (the node list is topological)."""
    layer: dict[str, int] = {}
    used: dict[str, list[str]] = {}
    for n in graph["nodes"]:
        layer[n["id"]] = 1 + max((layer[i] for i in n["inputs"] if i in layer), default=-1)
        for i in n["inputs"]:
            used.setdefault(i, []).append(n["id"])
    for n in graph["nodes"]:  # a leaf sits just before its first use, not at the far left
        if not n["inputs"] and n["id"] in used:
            layer[n["id"]] = max(0, min(layer[c] for c in used[n["id"]]) - 1)
    return layer


def _order(graph: dict, layer: dict[str, int]) -> dict[str, float]:
    """A row for each node within its layer, from barycenters of its inputs, then of its consumers."""
    rows = {}
    by_layer: dict[int, list[str]] = {}
    for n in graph["nodes"]:
        by_layer.setdefault(layer[n["id"]], []).append(n["id"])
    for ids in by_layer.values():
        rows.update({i: float(k) for k, i in enumerate(ids)})
    ins = {n["id"]: n["inputs"] for n in graph["nodes"]}
    outs: dict[str, list[str]] = {i: [] for i in ins}
    for n in graph["nodes"]:
        for i in n["inputs"]:
            outs[i].append(n["id"])
    for links, keys in ((ins, sorted(by_layer)), (outs, sorted(by_layer, reverse=True))):
        for k in keys:
            ids = by_layer[k]
            bary = {i: sum(rows[j] for j in links[i]) / len(links[i]) if links[i] else rows[i] for i in ids}
            ids.sort(key=lambda i: (bary[i], rows[i]))
            rows.update({i: float(r) for r, i in enumerate(ids)})
    return rows


def layout(graph: dict) -> dict:
    """Node boxes {id: {x, y, w, h}}, edges {id: {points, label}}, and the drawing's width and height."""
    layer, arity = _layers(graph), {n["id"]: len(n["inputs"]) for n in graph["nodes"]}
    rows = _order(graph, layer)
    tallest = max((sum(1 for v in layer.values() if v == k) for k in set(layer.values())), default=1)
    nodes = {}
    for n in graph["nodes"]:
        w, h = node_size(n, arity[n["id"]])
        count = sum(1 for v in layer.values() if v == layer[n["id"]])
        cy = PAD + (rows[n["id"]] + (tallest - count) / 2) * ROW_GAP + ROW_GAP / 2
        nodes[n["id"]] = {"x": PAD + layer[n["id"]] * LAYER_GAP, "y": cy - h / 2, "w": w, "h": h}
    edges = {e["id"]: _route(nodes[e["source"]], nodes[e["target"]], e["port"], arity[e["target"]])
             for e in graph["edges"]}
    out = nodes[graph["output"]]
    sx, sy = out["x"] + out["w"], out["y"] + out["h"] / 2
    edges["__output__"] = {"points": [{"x": sx, "y": sy}, {"x": sx + 90, "y": sy}],
                           "label": {"x": sx + 45, "y": sy}}
    width = max(b["x"] + b["w"] for b in nodes.values()) + 90 + PAD
    height = max(b["y"] + b["h"] for b in nodes.values()) + PAD
    return {"nodes": nodes, "edges": edges, "width": width, "height": height}


def _route(src: dict, dst: dict, port: int, arity: int) -> dict:
    """An orthogonal wire that bends just after its source, so its labels sit on the run into the target."""
    sx, sy = src["x"] + src["w"], src["y"] + src["h"] / 2
    gap = min(13.0, (dst["h"] - 10) / (arity - 1)) if arity > 1 else 0.0
    tx, ty = dst["x"], dst["y"] + dst["h"] / 2 + (port - (arity - 1) / 2) * gap
    bend = sx + 14
    points = [{"x": sx, "y": sy}, {"x": bend, "y": sy}, {"x": bend, "y": ty}, {"x": tx, "y": ty}]
    return {"points": points, "label": {"x": (bend + tx) / 2, "y": ty}}
