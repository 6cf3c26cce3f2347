"""Each example's training preset, sent as the page's Train panel sends it, visibly learns."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from gatewise.server.app import create_app
from gatewise.server.limits import Settings

# Examples whose loss has a floor to reach; the others (a linear gate circuit, sum(W @ X)) are
# unbounded below, and their preset only has to move the loss down.
FLOORS = {"xor": 0.05, "softmax": 0.05, "neuron": 0.01, "neuron-gate": 0.01, "bowl": 1.0 + 1e-6,
          "moons": 0.05, "spirals": 0.1}


@pytest.fixture(scope="module")
def client() -> TestClient:
    """A client on an app with the default settings."""
    return TestClient(create_app(Settings()))


def test_every_example_has_a_preset_that_lowers_its_loss(client):
    for ex in client.get("/api/examples").json():
        preset = ex["train"]
        body = {"expression": ex["expression"], "values": ex["values"], "lr": preset["lr"],
                "steps": preset["steps"], "optimizer": preset["optimizer"]}
        if preset["params"]:
            body["params"] = preset["params"]
        res = client.post("/api/optimize", json=body)
        assert res.status_code == 200, (ex["id"], res.text)
        out = res.json()
        assert out["stopped"] is None, ex["id"]
        assert out["final_loss"] < out["losses"][0], ex["id"]
        if ex["id"] in FLOORS:
            assert out["final_loss"] < FLOORS[ex["id"]], (ex["id"], out["final_loss"])


def test_the_xor_preset_trains_the_weights_not_the_data(client):
    xor = next(ex for ex in client.get("/api/examples").json() if ex["id"] == "xor")
    settings = {k: xor["train"][k] for k in ("lr", "steps", "optimizer")}
    body = {"expression": xor["expression"], "values": xor["values"], **settings}
    out = client.post("/api/optimize", json=body).json()
    assert set(out["params"]) == {"W1", "b1", "W2", "b2"} and set(out["data"]) == {"X", "Y"}
    assert out["losses"][0] > 0.25 and out["final_loss"] < 0.05
