"""REST API: every endpoint, every error class, CORS, static files and the OpenAPI page."""

from __future__ import annotations

import dataclasses
import json
import math

import pytest
from fastapi.testclient import TestClient

from gatewise.server.app import create_app
from gatewise.server.examples import EXAMPLES
from gatewise.server.limits import Settings

CS231N = "f = (x + sigmoid(y)) / (sigmoid(x) + (x + y)**2)"


@pytest.fixture(scope="module")
def client() -> TestClient:
    """A client on an app with the default settings (not the environment's)."""
    return TestClient(create_app(Settings()))


def strict_json(text: str):
    """Parse text, failing on the non-standard NaN/Infinity literals."""
    def refuse(literal):
        raise AssertionError(f"non-strict JSON literal {literal}")
    return json.loads(text, parse_constant=refuse)


def cs231n_reference(x: float, y: float) -> tuple[float, float, float]:
    """f, df/dx, df/dy by the staged backward pass of the CS231n notes."""
    sig = lambda v: 1 / (1 + math.exp(-v))
    sigy, sigx = sig(y), sig(x)
    num, den = x + sigy, sigx + (x + y) ** 2
    f = num / den
    dnum, dden = 1 / den, -num / den**2
    dx = dnum + (1 - sigx) * sigx * dden + 2 * (x + y) * dden
    dy = (1 - sigy) * sigy * dnum + 2 * (x + y) * dden
    return f, dx, dy


def node_map(graph: dict) -> dict:
    """Nodes by id."""
    return {node["id"]: node for node in graph["nodes"]}


def assert_error(response, status: int, kind: str | None = None) -> dict:
    """Check the shape of an error answer and return its detail."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    detail = strict_json(response.text)["detail"]
    assert isinstance(detail["message"], str) and detail["message"]
    assert "line" in detail and "column" in detail
    if kind:
        assert detail["kind"] == kind, detail
    return detail

# --- health, ops, examples -------------------------------------------------------------------------

def test_health(client):
    response = client.get("/api/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_ops_lists_every_operator_with_formulas(client):
    ops = strict_json(client.get("/api/ops").text)
    names = {op["name"] for op in ops}
    assert {"add", "mul", "sigmoid", "exp", "log", "max", "softmax", "cross_entropy"} <= names
    for op in ops:
        assert isinstance(op["arity"], int) and op["category"] and op["doc"]
        assert isinstance(op["formulas"], list) and isinstance(op["formulas_tex"], list)


def test_examples_cover_the_curated_set(client):
    examples = client.get("/api/examples").json()
    ids = {example["id"] for example in examples}
    assert {"cs231n", "cs231n-staged", "neuron", "gates", "bowl", "xor", "softmax", "matmul"} <= ids
    assert all(example["title"] and example["description"] and example["expression"] for example in examples)


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["id"] for e in EXAMPLES])
def test_every_example_evaluates_and_gradchecks(client, example):
    body = {"expression": example["expression"], "values": example["values"], "expand": example["expand"]}
    response = client.post("/api/graph", json=body)
    assert response.status_code == 200, response.text
    graph = strict_json(response.text)
    assert graph["output"] in node_map(graph)
    check = client.post("/api/gradcheck", json={"expression": body["expression"], "values": body["values"]})
    assert check.status_code == 200, check.text
    assert strict_json(check.text)["ok"], check.text


# --- POST /api/graph -------------------------------------------------------------------------------

def test_graph_cs231n_values_and_gradients(client):
    response = client.post("/api/graph", json={"expression": CS231N, "values": {"x": 3, "y": -4}})
    assert response.status_code == 200
    graph = strict_json(response.text)
    nodes = node_map(graph)
    f, dx, dy = cs231n_reference(3, -4)
    assert nodes[graph["output"]]["value"] == pytest.approx(f)
    assert nodes[graph["inputs"]["x"]]["grad"] == pytest.approx(dx)
    assert nodes[graph["inputs"]["y"]]["grad"] == pytest.approx(dy)
    assert graph["seed"] == "scalar"
    assert set(graph["forward"]) == set(nodes) == set(graph["backward"])
    x_edges = [e for e in graph["edges"] if e["source"] == graph["inputs"]["x"]]
    assert len(x_edges) == 3  # x is used three times: three contributions sum to its gradient
    assert sum(e["contribution"] for e in x_edges) == pytest.approx(dx)


def test_graph_values_default_to_literals(client):
    staged = next(e for e in EXAMPLES if e["id"] == "cs231n-staged")
    graph = strict_json(client.post("/api/graph", json={"expression": staged["expression"]}).text)
    assert node_map(graph)[graph["output"]]["value"] == pytest.approx(cs231n_reference(3, -4)[0])
    body = {"expression": staged["expression"], "values": {"x": 1, "y": 2}}
    overridden = client.post("/api/graph", json=body)
    graph = strict_json(overridden.text)
    assert node_map(graph)[graph["output"]]["value"] == pytest.approx(cs231n_reference(1, 2)[0])


def test_graph_expand_all_and_by_id(client):
    body = {"expression": "f = sigmoid(x * y)", "values": {"x": 1, "y": 2}}
    folded = strict_json(client.post("/api/graph", json=body).text)
    composite = [n["id"] for n in folded["nodes"] if n["composite"]]
    assert composite, "sigmoid should be a folded composite"
    expanded = strict_json(client.post("/api/graph", json={**body, "expand": True}).text)
    assert len(expanded["nodes"]) > len(folded["nodes"]) and expanded["groups"]
    by_id = strict_json(client.post("/api/graph", json={**body, "expand": composite}).text)
    assert set(by_id["groups"]) == set(composite)
    assert node_map(by_id)[by_id["output"]]["value"] == pytest.approx(1 / (1 + math.exp(-2)))


def test_graph_tensor_inputs_and_ones_seed(client):
    body = {"expression": "D = W @ X", "values": {"W": [[1, 2], [3, 4]], "X": [[5], [6]]}}
    graph = strict_json(client.post("/api/graph", json=body).text)
    nodes = node_map(graph)
    assert nodes[graph["output"]]["value"] == [[17.0], [39.0]]
    assert nodes[graph["output"]]["shape"] == [2, 1]
    assert graph["seed"] == "ones" and graph["note"]
    assert nodes[graph["inputs"]["W"]]["grad"] == [[5.0, 6.0], [5.0, 6.0]]  # dW = dD @ X.T


def test_graph_non_finite_results_are_strings(client):
    body = {"expression": "f = log(x) + 0 * y", "values": {"x": -1, "y": 1}}
    response = client.post("/api/graph", json=body)
    assert response.status_code == 200
    graph = strict_json(response.text)
    assert node_map(graph)[graph["output"]]["value"] == "NaN"
    body = {"expression": "f = exp(x)", "values": {"x": 1000}}
    huge = strict_json(client.post("/api/graph", json=body).text)
    assert node_map(huge)[huge["output"]]["value"] == "Infinity"


# --- engine errors: 400 with kind, line and column -------------------------------------------------

@pytest.mark.parametrize(("body", "kind"), [
    ({"expression": "f = (x + ", "values": {"x": 1}}, "syntax"),
    ({"expression": "f = x +* y", "values": {"x": 1, "y": 2}}, "syntax"),
    ({"expression": "f = nosuch(x)", "values": {"x": 1}}, "name"),
    ({"expression": "f = sigmoid(x, y)", "values": {"x": 1, "y": 2}}, "arity"),
    ({"expression": "f = W @ X", "values": {"W": [[1, 2]], "X": [[1, 2]]}}, "shape"),
    ({"expression": "f = x * 2", "values": {"x": 1, "nope": 3}}, None),
    ({"expression": "f = x", "values": {"x": [[1, 2], [3]]}}, None),
    ({"expression": ""}, None),
])
def test_program_errors_are_400(client, body, kind):
    detail = assert_error(client.post("/api/graph", json=body), 400, kind)
    assert detail["kind"] in {"syntax", "name", "arity", "shape", "value", "budget", "timeout"}


def test_syntax_error_has_line_and_column(client):
    detail = assert_error(client.post("/api/graph", json={"expression": "a = 1\nb = a + )"}), 400, "syntax")
    assert detail["line"] == 2 and detail["column"] == 9


def test_expand_unknown_id_is_a_clear_400(client):
    response = client.post("/api/graph", json={"expression": "f = sigmoid(x)", "values": {"x": 1},
                                               "expand": ["n999", "", "../x"]})
    detail = assert_error(response, 400, "value")
    assert "'n999'" in detail["message"] and "n1" in detail["message"]  # the typo and the real id
    response = client.post("/api/graph", json={"expression": "f = sigmoid(x)", "values": {"x": 1},
                                               "expand": ["n1"]})
    assert response.status_code == 200 and response.json()["groups"]


def test_budget_error_is_400(client):
    tight = TestClient(create_app(dataclasses.replace(
        Settings(), limits=dataclasses.replace(Settings().limits, max_nodes=10))))
    assert_error(tight.post("/api/graph", json={"expression": "f = " + " + ".join(["x"] * 20),
                                                "values": {"x": 1}}), 400, "budget")


def test_time_budget_stops_the_request(client):
    settings = Settings()
    slow = TestClient(create_app(dataclasses.replace(
        settings, limits=dataclasses.replace(settings.limits, time_budget=0.05))))
    program = "\n".join(["a0 = x"] + [f"a{i} = sigmoid(a{i - 1}) * x + y" for i in range(1, 20000)])
    detail = assert_error(slow.post("/api/graph", json={"expression": program, "values": {"x": 1, "y": 2}}),
                          400, "timeout")
    assert "time budget" in detail["message"]


def test_work_past_the_inline_slice_still_completes():
    settings = dataclasses.replace(Settings(), inline_budget=1e-6, inline_max_bytes=10**9)
    program = "\n".join(["a0 = x"] + [f"a{i} = a{i - 1} * x + y" for i in range(1, 2000)])
    response = TestClient(create_app(settings)).post(
        "/api/graph", json={"expression": program, "values": {"x": 1, "y": 0}})
    assert response.status_code == 200, response.text


# --- gradcheck -------------------------------------------------------------------------------------

def test_gradcheck_cs231n(client):
    result = strict_json(client.post("/api/gradcheck", json={"expression": CS231N,
                                                             "values": {"x": 3, "y": -4}}).text)
    assert result["ok"] is True
    assert set(result["inputs"]) == {"x", "y"}
    assert result["max_rel_error"] < 1e-5
    _, dx, _ = cs231n_reference(3, -4)
    assert result["inputs"]["x"]["analytic"] == [pytest.approx(dx)]
    assert result["inputs"]["x"]["numeric"] == [pytest.approx(dx, rel=1e-5)]
