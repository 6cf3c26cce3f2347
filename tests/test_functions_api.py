"""POST /api/graph with user functions: the `fold` field, the answer's functions, and 400s."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from gatewise.server.app import create_app
from gatewise.server.limits import Settings
from gatewise.server.schemas.graph import GraphResponse

PROGRAM = "def layer(x, W, b): return sigmoid(x @ W + b)\nh = layer(X, W1, b1)\ny = sum(layer(h, W2, b2))"
VALUES = {"X": [[1.0, 2.0]], "W1": [[0.5, 0.1], [-1.0, 0.3]], "b1": [0.1, 0.2], "W2": [[1.0], [2.0]],
          "b2": [0.0]}


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(Settings()))


def test_fold_true_draws_every_call_as_one_gate(client):
    r = client.post("/api/graph", json={"expression": PROGRAM, "values": VALUES, "fold": True})
    assert r.status_code == 200, r.text
    body = GraphResponse.model_validate(r.json()).model_dump()
    calls = body["functions"]["layer"]["calls"]
    assert body["folded"] == calls and len(calls) == 2
    folded = [n for n in body["nodes"] if n["id"] in calls]
    assert [n["function"] for n in folded] == ["layer", "layer"] and all(n["composite"] for n in folded)


def test_expand_opens_a_folded_call_and_fold_closes_an_open_one(client):
    r = client.post("/api/graph", json={"expression": PROGRAM, "values": VALUES})
    calls = r.json()["functions"]["layer"]["calls"]
    assert r.json()["folded"] == [] and set(calls) <= set(r.json()["groups"])
    r = client.post("/api/graph", json={"expression": PROGRAM, "values": VALUES, "fold": [calls[1]]})
    assert r.json()["folded"] == [calls[1]] and calls[0] in r.json()["groups"]


@pytest.mark.parametrize("program, kind, line, column", [
    ("def f(x):\nreturn x", "syntax", 2, 1),
    ("def f(a): return f(a)\ny = f(1)", "name", 1, 18),
    ("def f(a, b): return a\ny = f(1)", "arity", 2, 5),
])
def test_function_errors_are_400_with_their_position(client, program, kind, line, column):
    r = client.post("/api/graph", json={"expression": program})
    assert r.status_code == 400, r.text
    err = r.json()["detail"]
    assert (err["kind"], err["line"], err["column"]) == (kind, line, column)


def test_an_unknown_fold_id_is_a_400(client):
    r = client.post("/api/graph", json={"expression": PROGRAM, "values": VALUES, "fold": ["n77"]})
    assert r.status_code == 400 and "fold names 'n77'" in r.json()["detail"]["message"]
