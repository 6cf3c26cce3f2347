"""The teaching routes over HTTP: diagnostics, CSV data, toy sets, decision boundaries, codegen targets."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from gatewise.server.app import create_app
from gatewise.server.examples import EXAMPLES
from gatewise.server.limits import Settings


@pytest.fixture(scope="module")
def client() -> TestClient:
    """A client on an app with the default settings."""
    return TestClient(create_app(Settings()))


def strict(text: str):
    """Parse, refusing NaN/Infinity literals."""
    def refuse(literal):
        raise AssertionError(f"non-strict JSON literal {literal}")
    return json.loads(text, parse_constant=refuse)


def test_diagnostics_flags_and_strict_json(client):
    r = client.post("/api/diagnostics", json={"expression": "f = relu(x) * y + sigmoid(z) + sqrt(w)",
                                               "values": {"x": -2, "y": 3, "z": 12, "w": 0}})
    assert r.status_code == 200
    body = strict(r.text)
    kinds = {f["kind"] for f in body["flags"]}
    assert {"dead_relu", "saturated", "no_influence"} <= kinds
    assert body["nodes"]["n7"] == "Infinity"  # sqrt's gradient at 0, as a strict-JSON string


def test_diagnostics_errors_are_4xx(client):
    r = client.post("/api/diagnostics", json={"expression": "f = (x"})
    assert r.status_code == 400 and r.json()["detail"]["kind"] == "syntax"
    assert client.post("/api/diagnostics", json={"expression": "f = 1", "extra": 1}).status_code == 422


def test_dataset_reads_and_errors_name_row_and_column(client):
    r = client.post("/api/dataset", json={"csv": "a,b,kind\n1,2,cat\n3,4,dog\n", "label": "kind"})
    assert r.status_code == 200 and r.json()["y"] == [0, 1] and r.json()["classes"] == ["cat", "dog"]
    r = client.post("/api/dataset", json={"csv": "a,b,c\n1,2,0\n3,oops,1\n"})
    assert r.status_code == 400
    d = r.json()["detail"]
    assert (d["line"], d["column"], d["kind"]) == (3, 2, "value") and "row 3, column 2" in d["message"]


def test_dataset_respects_the_servers_element_budget(client):
    rows = "\n".join("1,2,3,0" for _ in range(70_000))
    r = client.post("/api/dataset", json={"csv": "a,b,c,d\n" + rows})
    assert r.status_code == 400 and "element budget" in r.json()["detail"]["message"]


def test_generated_sets_are_seeded(client):
    a = client.post("/api/dataset/generate", json={"name": "moons", "n": 30, "seed": 4}).json()
    b = client.post("/api/dataset/generate", json={"name": "moons", "n": 30, "seed": 4}).json()
    assert a == b and len(a["X"]) == 30 and set(a["y"]) == {0, 1}
    assert client.post("/api/dataset/generate", json={"name": "circles"}).status_code == 422
    assert client.post("/api/dataset/generate", json={"name": "moons", "n": 10**6}).status_code == 422


def test_boundary_route(client):
    ex = next(e for e in EXAMPLES if e["id"] == "moons")
    r = client.post("/api/boundary", json={"expression": ex["expression"], "values": ex["values"],
                                           "xrange": [-1.5, 2.5], "yrange": [-1, 1.5], "n": 12})
    assert r.status_code == 200
    b = r.json()
    assert len(b["classes"]) == 12 and len(b["classes"][0]) == 12 and b["k"] == 2
    r = client.post("/api/boundary", json={"expression": "f = x", "values": {"x": 1}, "features": "x"})
    assert r.status_code == 400 and r.json()["detail"]["kind"] == "shape"
    r = client.post("/api/boundary", json={"expression": ex["expression"], "values": ex["values"],
                                           "xrange": [1, 0]})
    assert r.status_code == 400


def test_codegen_python_has_a_line_map(client):
    r = client.post("/api/codegen", json={"expression": "f = x * y + x", "values": {"x": 3, "y": -4}})
    body = r.json()
    assert len(body["lines"]) == body["code"].count("\n")
    owners = {tuple(o) for o in body["lines"] if o}
    assert ("n0", "input") in owners and ("n3", "backward") in owners


def test_codegen_tikz_with_and_without_the_pages_layout(client):
    req = {"expression": "f = x * y", "values": {"x": 3, "y": -4}, "target": "tikz"}
    r = client.post("/api/codegen", json=req)
    assert r.status_code == 200 and r.json()["filename"].endswith(".tex")
    assert r.json()["code"].startswith("%") and "\\begin{tikzpicture}" in r.json()["code"]
    lay = {"width": 300, "height": 120, "nodes": {
        "n0": {"x": 10, "y": 10, "w": 46, "h": 32}, "n1": {"x": 10, "y": 70, "w": 46, "h": 32},
        "n2": {"x": 150, "y": 40, "w": 38, "h": 38}},
        "edges": {"n2:0": {"points": [{"x": 56, "y": 26}, {"x": 150, "y": 55}],
                           "label": {"x": 100, "y": 40}}}}
    r = client.post("/api/codegen", json={**req, "layout": lay, "formulas": True})
    code = r.json()["code"]
    assert "at (169.0,59.0)" in code and "\\frac{\\partial (a b)}{\\partial a} = b" in code
    bad = {**lay, "nodes": {"n0": {"x": "NaN", "y": 0, "w": 1, "h": 1}}}
    assert client.post("/api/codegen", json={**req, "layout": bad}).status_code == 422
    assert client.post("/api/codegen", json={**req, "target": "latex"}).status_code == 422


def test_hostile_requests_to_the_teaching_routes_are_4xx(client):
    chain = "\n".join(["h0 = x"] + [f"h{k + 1} = h{k} * 1.0001 + 1" for k in range(6000)] + ["f = h6000"])
    r = client.post("/api/codegen", json={"expression": chain, "values": {"x": 1}, "target": "tikz"})
    assert r.status_code == 400 and r.json()["detail"]["kind"] == "budget"
    r = client.post("/api/dataset", json={"csv": "a,b\n" + "1,2\n" * 200_000})
    assert r.status_code == 400 and "element budget" in r.json()["detail"]["message"]
    r = client.post("/api/dataset", json={"csv": "a,b\n1,2\n", "features": [True]})
    assert r.status_code == 422
    r = client.post("/api/boundary", json={"expression": "z = X @ W\nloss = cross_entropy(z, y)",
                                           "values": {"X": [[1, 2]], "y": [0], "W": [[1, 0], [0, 1]]},
                                           "n": 102})
    assert r.status_code == 422  # the grid is bounded: at most 101 × 101 points

