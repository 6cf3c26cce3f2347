"""POST /api/optimize and POST /api/codegen through the ASGI app."""

from __future__ import annotations

import dataclasses
import runpy

import numpy as np
import pytest
from fastapi.testclient import TestClient

from gatewise import engine
from gatewise.server.app import create_app
from gatewise.server.limits import Settings, server_limits

XOR_BODY = {
    "expression": "h = sigmoid(X @ W1 + b1)\np = sigmoid(h @ W2 + b2)\nloss = mse(p, Y)",
    "values": {"X": [[0, 0], [0, 1], [1, 0], [1, 1]], "Y": [[0], [1], [1], [0]]},
    "init": {"W1": {"shape": [2, 4]}, "b1": {"shape": [1, 4], "dist": "zeros"},
             "W2": {"shape": [4, 1]}, "b2": {"shape": [1, 1], "dist": "zeros"}},
    "lr": 2.0, "steps": 3000, "seed": 0,
}
BOWL = {"expression": "f = x*x + y*y + 2*x + 2", "values": {"x": 1, "y": 4}, "lr": 0.01, "steps": 4000}


def make_app(settings: Settings | None = None):
    """The server's app (server/app.py wires the train router), without the response cache."""
    return create_app(settings or Settings(cache_bytes=0))


@pytest.fixture(scope="module")
def client():
    with TestClient(make_app()) as c:
        yield c


def test_bowl(client):
    r = client.post("/api/optimize", json={**BOWL, "landscape": {"x": "x", "y": "y", "n": 15}})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["values"]["x"] == pytest.approx(-1, abs=1e-6) and body["values"]["y"] == pytest.approx(0)
    assert body["final_loss"] == pytest.approx(1) and len(body["losses"]) == 4000
    assert body["params"] == ["x", "y"] and body["stopped"] is None
    traj = body["trajectory"]
    assert len(traj["steps"]) <= 200 and traj["values"]["x"][0] == 1 and traj["values"]["y"][0] == 4
    assert len(body["landscape"]["loss"]) == 15
    assert body["last_step"]["x"]["after"] == body["values"]["x"]


def test_xor_reproducible_from_seed(client):
    a = client.post("/api/optimize", json=XOR_BODY).json()
    b = client.post("/api/optimize", json=XOR_BODY).json()
    assert a["final_loss"] < 0.01 and a["losses"] == b["losses"]
    assert a["data"] == ["X", "Y"] and set(a["values"]) == {"W1", "b1", "W2", "b2"}
    g = engine.evaluate(XOR_BODY["expression"], {**XOR_BODY["values"], **a["values"]})
    p = g.values[g.names.index("p")]
    assert ((p > 0.5) == np.array(XOR_BODY["values"]["Y"], dtype=bool)).all()


def test_chunks_continue_with_state(client):
    base = {**XOR_BODY, "optimizer": "adam", "lr": 0.05, "steps": 30}
    whole = client.post("/api/optimize", json=base).json()
    first = client.post("/api/optimize", json={**base, "steps": 10}).json()
    second = client.post("/api/optimize", json={
        **base, "init": {}, "steps": 20, "values": {**base["values"], **first["values"]},
        "state": first["state"]}).json()
    assert first["losses"] + second["losses"] == pytest.approx(whole["losses"], rel=1e-9)


@pytest.mark.parametrize("patch,status,kind", [
    ({"params": ["nope"]}, 400, "name"),
    ({"expression": "f = x * (y"}, 400, "syntax"),
    ({"optimizer": "lbfgs"}, 422, "request"),
    ({"lr": 0}, 422, "request"),
    ({"steps": 10**7}, 422, "request"),
    ({"steps": True}, 422, "request"),
    ({"steps": 2.5}, 422, "request"),
    ({"batch_size": True}, 422, "request"),
    ({"batch_size": 0}, 422, "request"),
    ({"state": {"t": 1, "extra": 2}}, 422, "request"),
    ({"surprise": 1}, 422, "request"),
    ({"landscape": {"x": "x", "y": "nope"}}, 400, "value"),
    ({"batch_size": 2}, 200, None),  # no data inputs: every step uses the whole (absent) data set
])
def test_errors(client, patch, status, kind):
    r = client.post("/api/optimize", json={**BOWL, "steps": 5, **patch})
    assert r.status_code == status, r.text
    if kind:
        detail = r.json()["detail"]
        assert detail["kind"] == kind and detail["message"]
        assert set(detail) >= {"message", "line", "column"}


def test_syntax_error_has_a_position(client):
    detail = client.post("/api/optimize", json={**BOWL, "expression": "f = x *"}).json()["detail"]
    assert detail["line"] == 1 and detail["column"] is not None


def test_time_budget_returns_the_steps_done():
    limits = dataclasses.replace(server_limits(), time_budget=0.2)
    with TestClient(make_app(Settings(limits=limits))) as c:
        r = c.post("/api/optimize", json={**XOR_BODY, "steps": 100_000})
        assert r.status_code == 200
        body = r.json()
        assert body["stopped"] == "time_budget" and 0 < body["steps"] < 100_000


def test_diverging_run_reports_non_finite_losses_as_strings(client):
    r = client.post("/api/optimize", json={"expression": "f = x**4", "values": {"x": 10}, "lr": 10,
                                           "steps": 50})
    body = r.json()
    assert r.status_code == 200 and body["stopped"] == "diverged"
    assert body["losses"][-1] in ("Infinity", "NaN")


def test_codegen(client, tmp_path):
    body = {"expression": "f = (x + sigmoid(y)) / (sigmoid(x) + (x + y)**2)", "values": {"x": 3, "y": -4}}
    r = client.post("/api/codegen", json=body)
    assert r.status_code == 200, r.text
    code = r.json()["code"]
    assert "dx += " in code and r.json()["filename"].endswith(".py")
    path = tmp_path / "gen.py"
    path.write_text(code)
    ns = runpy.run_path(str(path))
    g = engine.evaluate(body["expression"], body["values"])
    assert ns["grads"]["x"] == pytest.approx(g.grads[g.inputs["x"]])
    bad = client.post("/api/codegen", json={"expression": "f = q"})
    assert bad.status_code == 400 and bad.json()["detail"]["kind"] == "name"


def test_openapi_documents_the_routes(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert "/api/optimize" in paths and "/api/codegen" in paths
