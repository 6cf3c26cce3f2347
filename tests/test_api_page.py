"""POST /api/graph's page form and POST /api/tensor's windows, through the app's HTTP interface."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from gatewise import engine
from gatewise.engine.export.windows import INLINE
from gatewise.server.app import create_app
from gatewise.server.limits import Settings
from gatewise.server.responses import dumps

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from engine_bench import MLP, mlp_values  # noqa: E402  (the seeds' MNIST-sized net)
from programs import staged_program  # noqa: E402

CS231N = "f = (x + sigmoid(y)) / (sigmoid(x) + (x + y)**2)"
TENSOR = "z = W @ X + b\nh = tanh(z)\nsum(h * h)"


@pytest.fixture(scope="module")
def client() -> TestClient:
    """A client on an app with the default settings."""
    return TestClient(create_app(Settings()))


@pytest.fixture(scope="module")
def mnist() -> dict:
    """The MNIST-sized net's values as JSON lists."""
    return {k: v.tolist() for k, v in mlp_values().items()}


def strict_json(text: str):
    """Parse text, failing on the non-standard NaN/Infinity literals."""
    def refuse(literal):
        raise AssertionError(f"non-strict JSON literal {literal}")
    return json.loads(text, parse_constant=refuse)


def tensor_values(rows=80, inner=60, cols=70) -> dict:
    """Inputs whose products are larger than INLINE, so the page form summarizes them."""
    rng = np.random.default_rng(1)
    return {"W": rng.normal(size=(rows, inner)).tolist(), "X": rng.normal(size=(inner, cols)).tolist(),
            "b": 0.1}


def test_the_full_contract_stays_the_default(client):
    body = {"expression": CS231N, "values": {"x": 3, "y": -4}}
    r = client.post("/api/graph", json=body)
    assert r.status_code == 200
    assert r.content == dumps(engine.to_dict(engine.evaluate(CS231N, {"x": 3, "y": -4})))
    assert client.post("/api/graph", json={**body, "format": "full"}).content == r.content
    page = client.post("/api/graph", json={**body, "format": "page"}).json()
    assert page["format"] == "page" and "nodes" not in page and len(page["ids"]) == len(r.json()["nodes"])


def test_unknown_format_is_a_422(client):
    r = client.post("/api/graph", json={"expression": CS231N, "values": {"x": 3, "y": -4}, "format": "lean"})
    assert r.status_code == 422


def test_mnist_sized_page_answer_is_small_and_leaves_out_the_batch_gradient(client, mnist):
    body = {"expression": MLP, "values": mnist, "format": "page"}
    r = client.post("/api/graph", json=body)
    assert r.status_code == 200
    assert len(r.content) <= 300_000, len(r.content)
    page = strict_json(r.text)
    x, w1 = page["ids"].index(page["inputs"]["X"]), page["ids"].index(page["inputs"]["W1"])
    assert page["grad"][x] is None and page["inputs"]["X"] in page["omitted"]
    assert page["grad"][w1]["summary"] and page["value"][x]["shape"] == [100, 784]
    asked = strict_json(client.post("/api/graph", json={**body, "data_grads": True}).text)
    assert asked["grad"][x]["summary"] and asked["omitted"] == []


def test_small_data_inputs_keep_their_gradients(client):
    values = {"X": [[1, 2], [3, -4]], "W": [[0.1, -0.2], [0.4, 0.5]], "labels": [0, 1]}
    src = "cross_entropy(X @ W, labels)"
    page = client.post("/api/graph", json={"expression": src, "values": values, "format": "page"}).json()
    x = page["ids"].index(page["inputs"]["X"])
    assert page["grad"][x] == engine.to_dict(engine.evaluate(src, values))["nodes"][x]["grad"]


def test_ten_thousand_scalar_nodes_take_under_150_bytes_each(client):
    src = staged_program(10_000)
    r = client.post("/api/graph", json={"expression": src, "format": "page"})
    assert r.status_code == 200
    n = len(r.json()["ids"])
    assert n >= 10_000 and len(r.content) / n <= 150, len(r.content) / n


def test_windows_equal_the_full_values(client):
    values = tensor_values()
    full = engine.evaluate(TENSOR, values)
    page = client.post("/api/graph", json={"expression": TENSOR, "values": values, "format": "page"}).json()
    for i, k in enumerate(page["ids"]):
        for field, col in (("value", full.values), ("grad", full.grads)):
            whole = col[i]
            if not isinstance(whole, np.ndarray) or whole.size <= INLINE:
                continue
            left_out = field == "grad" and k in page["omitted"]  # X: data, its gradient is asked for
            assert page[field][i] is None if left_out else page[field][i]["summary"]
            m = whole.reshape(-1, whole.shape[-1])
            for rows, cols in (((0, 64), (0, 64)), ((30, 45), (20, 50)), ((39, 99), (48, 70))):
                r = client.post("/api/tensor", json={"expression": TENSOR, "values": values, "node": k,
                                                     "field": field, "rows": rows, "cols": cols})
                assert r.status_code == 200, r.text
                w = r.json()
                assert w["data"] == m[w["rows"][0]:w["rows"][1], w["cols"][0]:w["cols"][1]].tolist()
                assert w["rows"] == [min(rows[0], m.shape[0]), min(rows[1], m.shape[0])]
                assert w["shape"] == list(whole.shape) and w["matrix"] == list(m.shape)


def test_window_of_an_omitted_gradient_and_of_nothing(client, mnist):
    body = {"expression": MLP, "values": mnist, "node": "n0", "field": "grad", "rows": [0, 4], "cols": [0, 5]}
    w = client.post("/api/tensor", json=body).json()
    graph = engine.evaluate(MLP, mlp_values())
    assert w["data"] == graph.grads[0][:4, :5].tolist()
    labels = graph.keys[graph.inputs["labels"]]
    assert client.post("/api/tensor", json={**body, "node": labels}).json()["data"] is None


def test_window_errors_are_4xx(client):
    base = {"expression": TENSOR, "values": tensor_values(), "node": "n3", "rows": [0, 2], "cols": [0, 2]}
    r = client.post("/api/tensor", json={**base, "rows": [0, 100], "cols": [0, 100]})
    assert r.status_code == 400 and r.json()["detail"]["kind"] == "budget"
    huge = {**base, "rows": [0, 2**30], "cols": [0, 2**30]}
    assert client.post("/api/tensor", json=huge).status_code == 400
    assert client.post("/api/tensor", json={**base, "rows": [5, 2]}).status_code == 400
    assert client.post("/api/tensor", json={**base, "cols": [-1, 2]}).status_code == 422
    assert client.post("/api/tensor", json={**base, "rows": [0, 2**40]}).status_code == 422
    r = client.post("/api/tensor", json={**base, "node": "n999"})
    assert r.status_code == 400 and "n999" in r.json()["detail"]["message"]
    assert client.post("/api/tensor", json={**base, "expression": "f = ("}).status_code == 400


def test_windows_are_strict_json(client):
    values = {"X": np.linspace(-1, 1, 20).reshape(4, 5).tolist()}
    r = client.post("/api/tensor", json={"expression": "log(X)", "values": values, "node": "n1",
                                         "rows": [0, 4], "cols": [0, 5]})
    assert "NaN" in strict_json(r.text)["data"][0] and "-Infinity" not in r.text


def test_openapi_documents_the_page_form_and_the_windows(client):
    spec = client.get("/openapi.json").json()
    req = spec["components"]["schemas"]["GraphRequest"]["properties"]
    assert req["format"]["default"] == "full" and set(req["format"]["enum"]) == {"full", "page"}
    assert "data_grads" in req
    answer = spec["paths"]["/api/graph"]["post"]["responses"]["200"]["content"]["application/json"]["schema"]
    refs = {x["$ref"].rsplit("/", 1)[1] for x in answer["anyOf"]}
    assert refs == {"GraphResponse", "PageGraph"}
    assert "Summary" in spec["components"]["schemas"]
    assert "/api/tensor" in spec["paths"]
