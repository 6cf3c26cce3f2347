"""Code lines of the nodes inside user-function calls: each node of a call owns the lines of its def's
Python function that write it, so stepping through an open call can highlight them."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from gatewise import engine
from gatewise.engine.export.codegen import generate
from gatewise.server.app import create_app
from gatewise.server.limits import Settings

PROGRAM = """def neuron(w, x, b):
    s = w * x + b
    return tanh(s)

def pair(a, b):
    u = neuron(a, b, 0.5)
    return u * neuron(b, a, 0.5)

h = neuron(w1, x, b1)
k = neuron(w2, h, b1)
f = pair(h, k) + k"""
VALUES = {"w1": 0.5, "x": -1.5, "b1": 0.2, "w2": -1.2}


def staged():
    graph = engine.evaluate(PROGRAM, VALUES)
    return graph, engine.to_dict(graph), generate(graph)


def test_every_node_inside_a_call_owns_its_def_lines_forward_and_backward():
    graph, d, s = staged()
    text = s.code.split("\n")
    assert len(s.inside) == len(s.lines) == len(text) - 1
    owners: dict = {}
    for k, pairs in enumerate(s.inside):
        for key, phase in pairs:
            owners.setdefault((key, phase), []).append(k)
    inner = [n for n in d["nodes"] if n["group"] and d["groups"][n["group"]].get("function")
             and n["kind"] == "op"]
    assert len(inner) >= 12
    for n in inner:
        # One forward line in a def's function (a call nested in a body, whose id is its output's,
        # owns its call line in the caller's function as call_forward).
        (fwd,) = owners[(n["id"], "forward")]
        assert text[fwd].startswith("    ") and " = " in text[fwd]
        back = [text[k] for k in owners[(n["id"], "backward")]]
        rhs = text[fwd].strip().split(" = ", 1)[1]
        assert back[0].startswith("    # backprop ") and back[0].endswith(rhs)
    top = {n["id"] for n in d["nodes"] if not n["group"]} - set(graph.groups)
    assert not any(key in top for key, _ in owners)  # top-level gates own only their own lines
    assert all(not pairs for pairs, own in zip(s.inside, s.lines) if own)


def test_calls_that_read_alike_share_their_lines():
    _, d, s = staged()
    text = s.code.split("\n")
    h, k = d["functions"]["neuron"]["calls"][:2]  # h and k: the same body text, one function
    line = {key: i for i, pairs in enumerate(s.inside) for key, phase in pairs if phase == "forward"}
    for a, b in ((f"{h}.0", f"{k}.0"), (h, k)):
        assert line[a] == line[b]
    assert text[line[h]].strip() == "tanh2 = np.tanh(s)" and text[line[f"{h}.0"]].strip().startswith("mul")
    # A call inside pair's body: its call line is owned by the nested call, forward and backward.
    nested = [c for c in d["functions"]["neuron"]["calls"] if d["groups"][c].get("function")
              and any(c in d["groups"][p]["nodes"] for p in d["functions"]["pair"]["calls"])]
    assert len(nested) == 2
    for c in nested:
        (fwd,) = [i for i, pairs in enumerate(s.inside) if (c, "call_forward") in pairs]
        assert text[fwd].startswith("    ") and re.search(r"_cache = neuron(_\d+)?\(", text[fwd])
        back = [text[i] for i, pairs in enumerate(s.inside) if (c, "call_backward") in pairs]
        assert back[0].startswith("    # backprop ") and re.search(r"neuron(_\d+)?_backward\(", back[1])


def test_codegen_answers_the_inside_owners():
    client = TestClient(create_app(Settings()))
    answer = client.post("/api/codegen", json={"expression": PROGRAM, "values": VALUES}).json()
    _, _, s = staged()
    assert answer["inside"] == [[list(p) for p in pairs] for pairs in s.inside]
    assert len(answer["inside"]) == len(answer["lines"]) and any(answer["inside"])
    schema = client.get("/openapi.json").json()["components"]["schemas"]["CodegenResponse"]["properties"]
    assert "call_forward" in schema["inside"]["description"]
