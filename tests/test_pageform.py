"""The page's lean graph ("format": "page"): rebuilt by its documented rules, it is the full contract.

Every field the page form leaves out (formulas, orders, edge records, scalar contributions) is
rebuilt here from the rules in server/schemas/page.py and GET /api/ops, and compared with to_dict:
numbers exactly, large tensors through their summaries and POST /api/tensor's windows.
"""

from __future__ import annotations

import math

import numpy as np
import orjson
import pytest
from gradutil import decode

from gatewise import engine
from gatewise.engine.export.pageform import to_page
from gatewise.engine.export.windows import INLINE, MAX_WINDOW

OPS = {o["name"]: o for o in engine.op_table()}
_SPECIAL = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}

PROGRAMS = [
    ("x = 3\ny = -4\nf = (x + sigmoid(y)) / (sigmoid(x) + (x + y)**2)", None, False),
    ("a = x * y\nb = a + x\nc = a * b - b", {"x": 1.5, "y": -0.5}, False),
    ("h = relu(X @ W + b)\ncross_entropy(h, labels)",
     {"X": [[1, 2], [3, -4], [0.5, 0.1]], "W": [[0.1, -0.2, 0.3], [0.4, 0.5, -0.6]], "b": [0.1, 0.2, -0.3],
      "labels": [0, 2, 1]}, True),
    ("s = softmax(z)\ns * w + s", {"z": [[1, 2, 3], [0, -1, 4]], "w": [1, 2, 3]}, False),
    ("v = [x, y, x * y]\nmse(v, t) + v[1] + sum(v.T)", {"x": 0.5, "y": 2.0, "t": [1, 2, 3]}, True),
    ("a = x * 2\nb = x + 1\nb * 3", {"x": 0.5}, False),  # dead code: no gradient reaches a
    ("y = log(x) * sqrt(x) + 1 / x\ny * 1e308 * 10", {"x": 0.0}, False),  # inf, nan, -inf on edges
    ("f = sigmoid(w0*x0 + w1*x1 + w2)", {"w0": 2, "x0": -1, "w1": -3, "x1": -2, "w2": -3}, True),
    ("z = W @ X + b\nsum(tanh(z))", {"W": np.linspace(-1, 1, 4800).reshape(80, 60).tolist(),
                                     "X": np.linspace(0, 2, 4200).reshape(60, 70).tolist(), "b": 0.5}, False),
]
DEF = "def layer(x, W, b): return sigmoid(x @ W + b)\nh = layer(X, W1, b1)\ny = sum(layer(h, W2, b2))"
DEF_VALUES = {"X": [[1.0, 2.0]], "W1": [[0.5, 0.1], [-1.0, 0.3]], "b1": [0.1, 0.2], "W2": [[1.0], [2.0]],
              "b2": [0.0]}
PROGRAMS.append((DEF, DEF_VALUES, False))
IDS = ["cs231n", "fanout", "mlp", "softmax", "stack", "dead", "nonfinite", "neuron", "large", "def-open"]


def number(v):
    """A strict-JSON number as a float."""
    return _SPECIAL[v] if isinstance(v, str) else v


def strict(x: float):
    """A float as strict JSON writes it."""
    return x if math.isfinite(x) else ("NaN" if x != x else ("Infinity" if x > 0 else "-Infinity"))


def rebuild(page: dict) -> dict:
    """The full contract from the page form, by the rules the page (static/js/lean.js) follows."""
    ids, ops = page["ids"], page["ops"]
    nodes, edges = [], []
    for i, (k, op) in enumerate(zip(ids, ops)):
        kind = op if op in ("input", "const") else "op"
        nodes.append({"id": k, "op": op, "kind": kind, "label": page["labels"].get(k) or OPS[op]["symbol"],
                      "name": page["names"].get(k), "inputs": [ids[j] for j in page["args"][i]],
                      "shape": page["shapes"].get(k, []), "value": page["value"][i], "grad": page["grad"][i],
                      "line": page["pos"][i][0], "col": page["pos"][i][1], "group": page["group"].get(k),
                      "composite": kind == "op" and OPS[op]["composite"]})
        for p, j in enumerate(page["args"][i]):
            edges.append(edge(page, i, p, j))
    return {"output": page["output"], "seed": page["seed"], "note": page["note"], "inputs": page["inputs"],
            "forward": list(ids), "backward": ids[::-1], "groups": page["groups"], "nodes": nodes,
            "edges": edges, "free": page["free"], "spelled": page["spelled"],
            "handwritten": page["handwritten"], "functions": page["functions"], "folded": page["folded"]}


def edge(page: dict, i: int, p: int, j: int) -> dict:
    """Edge p into node i, its formulas from the op table and its contribution derived."""
    ids, op = page["ids"], OPS[page["ops"][i]]
    eid = f"{ids[i]}:{p}"
    port = 0 if len(op["formulas"]) == 1 else p
    local = page["local"][i][p]
    if eid in page["contribution"]:
        c = page["contribution"][eid]
    elif local is not None and page["grad"][i] is not None and page["grad"][j] is not None:
        c = strict(number(page["grad"][i]) * number(local))
    else:
        c = None
    return {"id": eid, "source": ids[j], "target": ids[i], "port": p, "formula": op["formulas"][port],
            "formula_tex": op["formulas_tex"][port], "local": local, "contribution": c,
            "differentiable": eid not in page["nondiff"]}


def answers(src, values, expand):
    """(full, page) of one evaluation, both through orjson as the server sends them."""
    g = engine.evaluate(src, values, expand=expand)
    return orjson.loads(orjson.dumps(engine.to_dict(g))), orjson.loads(orjson.dumps(to_page(g))), g


def same_tensor(page_v, full_v):
    """A page value equals the full one: whole, or summarized with the right shape, range and norm."""
    if isinstance(page_v, dict):
        a = decode(full_v)
        assert page_v["summary"] is True and page_v["shape"] == list(a.shape)
        assert page_v["size"] == a.size > INLINE
        finite = a[np.isfinite(a)]
        assert number(page_v["min"]) == finite.min() and number(page_v["max"]) == finite.max()
        assert number(page_v["norm"]) == pytest.approx(np.sqrt(np.sum(a * a)), rel=1e-12)
        assert [number(x) for x in page_v["preview"]] == a.reshape(-1)[:len(page_v["preview"])].tolist()
        return
    assert page_v == full_v


@pytest.mark.parametrize("src,values,expand", PROGRAMS, ids=IDS)
def test_rebuilt_page_form_is_the_full_contract(src, values, expand):
    full, page, _ = answers(src, values, expand)
    rebuilt = rebuild(page)
    for key in ("nodes", "edges"):
        for got, want in zip(rebuilt[key], full[key], strict=True):
            for field in want:
                if field in ("value", "grad", "contribution"):
                    same_tensor(got[field], want[field])
                else:
                    assert got[field] == want[field], (key, want["id"], field)
    for key in set(full) - {"nodes", "edges"}:
        assert rebuilt[key] == full[key], key


def test_page_form_leaves_out_what_it_derives():
    _, page, _ = answers(*PROGRAMS[0])
    assert {"forward", "backward", "nodes", "edges"}.isdisjoint(page)
    raw = orjson.dumps(page).decode()
    assert "partial" not in raw and "∂" not in raw  # no formula text: the page has /api/ops's
    assert page["contribution"] == {}  # a scalar program's contributions are all derived


def test_strict_json_on_every_column():
    _, page, _ = answers(*PROGRAMS[6])
    raw = orjson.dumps(page).decode()
    assert "Infinity" in raw and "NaN" in raw
    flat = [x for col in page["local"] if col for x in col] + page["value"] + page["grad"]
    assert all(isinstance(x, (float, str)) or x is None for x in flat)


def test_summaries_of_nonfinite_tensors():
    src = "y = log(X) * 1"
    x = np.linspace(-1, 1, 5000).reshape(50, 100)
    _, page, g = answers(src, {"X": x.tolist()}, False)
    s = page["value"][g.output]
    a = g.values[g.output]
    assert s["summary"] and s["nonfinite"] == int((~np.isfinite(a)).sum()) > 0
    assert s["norm"] == "NaN" and number(s["max"]) == np.nanmax(a[np.isfinite(a)])
    assert "NaN" in s["preview"]


def test_skipped_gradients_are_listed_and_their_edges_carry_none():
    src, values, _ = PROGRAMS[2]
    g = engine.evaluate(src, values)
    x = g.inputs["X"]
    page = orjson.loads(orjson.dumps(to_page(g, frozenset({x}))))
    assert page["grad"][x] is None and page["omitted"] == ["n0"]
    assert not any(k.startswith(page["ids"][i]) for k in page["contribution"] for i in (x,))
    assert all(page["ids"][x] != page["ids"][j] or f"{page['ids'][i]}:{p}" not in page["contribution"]
               for i, a in enumerate(page["args"]) for p, j in enumerate(a))
    assert page["grad"][g.inputs["W"]] is not None


def test_every_op_port_has_the_formula_the_full_form_sends():
    for src, values, expand in PROGRAMS:
        full, _, _ = answers(src, values, expand)
        for e in full["edges"]:
            op = OPS[next(n["op"] for n in full["nodes"] if n["id"] == e["target"])]
            assert e["formula_tex"] in op["formulas_tex"]


def test_window_budget_is_checked_before_copying():
    from gatewise.engine.export.windows import window
    a = np.arange(200 * 100, dtype=float).reshape(200, 100)
    assert window(a, (10, 12), (95, 120))["data"] == a[10:12, 95:100].tolist()
    with pytest.raises(engine.EngineError, match=str(MAX_WINDOW)):
        window(a, (0, 100), (0, 100))
    assert window(a, (500, 600), (0, 3))["data"] == []


def test_folded_calls_are_answered_in_the_full_form():
    g = engine.evaluate(DEF, DEF_VALUES, fold=True)
    page = to_page(g)
    assert "format" not in page and page == engine.to_dict(g) and page["folded"]


def test_the_same_program_with_new_values_reuses_its_structure_and_sends_the_new_numbers():
    src = "a = x * y\nb = tanh(a) + x\nc = a * b - sin(b)"
    first = to_page(engine.evaluate(src, {"x": 1.5, "y": -0.5}))
    g = engine.evaluate(src, {"x": 0.25, "y": 2.0})
    second = orjson.loads(orjson.dumps(to_page(g)))
    assert to_page(g)["ids"] is first["ids"]  # the cached template's structure, not rebuilt
    assert second["value"][:2] == [0.25, 2.0] and first["value"][:2] == [1.5, -0.5]
    full = orjson.loads(orjson.dumps(engine.to_dict(g)))
    assert rebuild(second)["edges"] == full["edges"] and rebuild(second)["nodes"] == full["nodes"]
