"""Issue 9's classes in the engine and through the app: bounded work, budgets before allocation,
no crash path, files, labels, caches and the smaller promises. Real-server classes: test_serving.py."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from fastapi.testclient import TestClient

from gatewise import engine
from gatewise.engine import Deadline, EngineError, evaluate, to_dict
from gatewise.engine.export.codegen import generate
from gatewise.engine.run.compiled import MAX_BYTES, CompiledCache
from gatewise.engine.train import optimizers
from gatewise.engine.train.optimize import optimize
from gatewise.server.app import create_app
from gatewise.server.limits import Settings

ROUTES = ["/api/graph", "/api/gradcheck", "/api/codegen", "/api/optimize"]


@pytest.fixture(scope="module")
def client() -> TestClient:
    """A client on an app with the shipped settings (2 s budget)."""
    return TestClient(create_app(Settings()))


def stack(n: int) -> str:
    """f = sum([x, x, …]) with n elements."""
    return "f = sum([" + ", ".join(["x"] * n) + "])"


def expired() -> Deadline:
    """A deadline already past."""
    deadline = Deadline(0.0)
    deadline.end -= 1.0
    return deadline


# --- 1. work bounded by the budgets -----------------------------------------------------------------

@pytest.fixture(scope="module")
def roomy() -> TestClient:
    """A 10 s budget: room on a loaded machine, and still a fifth of what N² work took."""
    settings = Settings()
    return TestClient(create_app(dataclasses.replace(
        settings, limits=dataclasses.replace(settings.limits, time_budget=10.0))))


def test_a_stacked_list_of_100k_answers_within_the_budget(roomy):
    # Its backward pass was N²: 43 s. Linear, it is a fraction of a second.
    response = roomy.post("/api/graph", json={"expression": stack(100_000), "values": {"x": 2}})
    assert response.status_code == 200, response.text[:300]
    graph = response.json()
    assert next(n for n in graph["nodes"] if n["name"] == "x")["grad"] == 100_000.0


def test_codegen_of_a_stacked_list_of_30k_answers(roomy):
    response = roomy.post("/api/codegen", json={"expression": stack(30_000), "values": {"x": 2}})  # was 109 s
    assert response.status_code == 200, response.text[:300]


def test_the_stack_vjp_gets_no_operands():
    graph = evaluate(stack(5), {"x": 1.0})
    node = next(i for i, op in enumerate(graph.ops) if op is not None and op.name == "stack")
    assert graph.vjps[node][3](np.arange(5.0), None) == 3.0  # (g, y) only: N operands each were N²


def test_codegen_names_of_a_rebound_name_stay_short():
    n = 5_000
    code = generate(evaluate("a = x\n" + "a = a * 1.0001\n" * n, {"x": 2.0})).code
    assert len(code) < 200 * n  # "a", "a_", "a__"… grew to N underscores: N² characters


@pytest.mark.parametrize("stage", ["to_dict", "codegen"])
def test_serialization_and_codegen_stop_at_the_deadline(stage):
    graph = evaluate("\n".join(["a0 = x"] + [f"a{i} = a{i - 1} * x" for i in range(1, 3000)]), {"x": 1.0})
    graph.deadline = expired()
    with pytest.raises(EngineError) as info:
        to_dict(graph) if stage == "to_dict" else generate(graph)
    assert info.value.kind == "timeout"


def test_a_landscape_past_the_deadline_says_so():
    limits = dataclasses.replace(engine.Limits(), time_budget=0.3)
    # Training takes its share of the budget; 101² forward passes of this program do not fit the rest.
    program = "\n".join(["f0 = x*x + y*y"] + [f"f{i} = f{i - 1} * 1.0 + x * y" for i in range(1, 400)])
    result = optimize(program, {"x": 1.0, "y": 2.0}, steps=10**5, lr=1e-6,
                      landscape={"x": "x", "y": "y", "n": 101}, limits=limits)
    assert result["landscape"] is None and result["landscape_stopped"] == "time_budget"
    done = optimize("f = x*x + y*y", {"x": 1.0, "y": 2.0}, steps=5, landscape={"x": "x", "y": "y", "n": 5})
    assert done["landscape_stopped"] is None and len(done["landscape"]["loss"]) == 5


def test_contributions_are_charged_before_they_are_allocated():
    # Each sum(x) sends back all of x; the values alone (x and scalars) are far under the budget.
    limits = dataclasses.replace(engine.Limits(), max_total_elements=1_000_000)
    program = "f = " + " + ".join(["sum(x)"] * 20)
    with pytest.raises(EngineError) as info:
        evaluate(program, {"x": [1.0] * 100_000}, limits=limits)
    assert info.value.kind == "budget"
    assert evaluate(program, {"x": [1.0] * 1000}, limits=limits).grads[0].sum() == 20_000


# --- 2. allocation checked before it happens --------------------------------------------------------

def test_init_shapes_are_checked_together_before_any_is_allocated(client, monkeypatch):
    drawn = []
    monkeypatch.setattr(optimizers, "init_value", lambda *args: drawn.append(args))
    body = {"expression": "f = x * x", "values": {"x": 1},
            "init": {f"p{i}": {"shape": [500, 500]} for i in range(1500)}}
    response = client.post("/api/optimize", json=body)
    assert response.status_code == 400 and response.json()["detail"]["kind"] == "budget"
    assert drawn == []


def test_a_big_value_is_refused_before_it_becomes_an_array(client):
    body = {"expression": "f = sum(x)", "values": {"x": [[1.5] * 1000] * 300}}
    response = client.post("/api/graph", json=body)
    assert response.status_code == 400 and response.json()["detail"]["kind"] == "budget"


# --- 3. no crash path: never a 5xx, never kind "internal" ------------------------------------------

def nested(depth: int, leaf=1.0):
    """A value `depth` lists deep."""
    for _ in range(depth):
        leaf = [leaf]
    return leaf


CRASHERS = {
    "float index": ("f = x[1e999]", {"x": [1, 2]}),
    "400-digit index": ("f = x[" + "9" * 400 + "]", {"x": [1, 2]}),
    "NaN index": ("f = x[0 * 1e999]", {"x": [1, 2]}),
    "list literal 40 deep": ("f = sum(" + "[" * 40 + "1" + "]" * 40 + ")", {}),
    "stacks 40 deep": ("f = sum(" + "[" * 40 + "x" + "]" * 40 + ")", {"x": 1}),
    "value 40 deep": ("f = sum(x)", {"x": nested(40)}),
    "value 70 deep": ("f = sum(x)", {"x": nested(70)}),
}


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("name", list(CRASHERS))
def test_crash_paths_are_clear_400s_on_every_route(client, route, name):
    expression, values = CRASHERS[name]
    response = client.post(route, json={"expression": expression, "values": values})
    assert response.status_code == 400, (response.status_code, response.text[:300])
    assert response.json()["detail"]["kind"] in {"value", "budget", "syntax"}, response.text[:300]


# --- 7. gradcheck never perturbs labels -------------------------------------------------------------

@pytest.mark.parametrize("labels", ["l", "l * 1"])
def test_labels_that_also_feed_a_gate_are_not_perturbed(client, labels):
    body = {"expression": f"cross_entropy(z, {labels}) + sum(l)",
            "values": {"z": [[1.0, 2.0, 3.0], [0.5, 1.0, 0.0]], "l": [2, 0]}}
    assert client.post("/api/graph", json=body).status_code == 200
    response = client.post("/api/gradcheck", json=body)
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["inputs"]["l"]["checked"] == 0 and result["inputs"]["l"]["skipped"] == "labels"
    assert result["inputs"]["z"]["checked"] == 6 and result["inputs"]["z"]["skipped"] is None
    assert result["ok"] is True


# --- 8. caches bounded in bytes, nothing kept from failures ----------------------------------------

def test_a_failing_program_leaves_nothing_in_the_compiled_cache():
    cache = CompiledCache()

    def passes(graph):
        graph.forward()

    for k in range(20):
        with pytest.raises(EngineError):
            cache.graph(f"f = cross_entropy(z, l) + {k}", {"z": [[1.0, 2.0]] * 500, "l": [5.0] * 500},
                        False, engine.Limits(), run=passes)
    assert not cache.templates and cache.bytes == 0


def test_the_compiled_cache_is_bounded_in_bytes():
    cache = CompiledCache(max_bytes=MAX_BYTES // 16)
    for k in range(40):
        cache.graph(f"f = sum(x) * {k}", {"x": [1.0] * 20_000}, False, engine.Limits())
    assert 0 < cache.bytes <= cache.max_bytes
    assert cache.bytes == sum(t.values[t.inputs["x"]].nbytes + 512 * len(t) for t in cache.templates.values())


# --- 11. smaller things -----------------------------------------------------------------------------

def test_messages_quote_huge_inputs_briefly(client):
    values = {f"unused{i}": 1 for i in range(200_000)} | {"x": 1}
    response = client.post("/api/graph", json={"expression": "f = x", "values": values})
    assert response.status_code == 400 and response.json()["detail"]["kind"] == "name"
    assert len(response.content) < 2_000 and "199995 more" in response.json()["detail"]["message"]
    response = client.post("/api/graph", json={"expression": "f = " + "q" * 300_000})
    assert response.status_code == 400 and len(response.content) < 2_000


@pytest.mark.parametrize("field,value", [("steps", "10"), ("seed", "1"), ("max_points", "3"),
                                         ("steps", True), ("steps", 2.5)])
def test_counts_are_strict_integers(client, field, value):
    body = {"expression": "f = x * x", "values": {"x": 1}, field: value}
    response = client.post("/api/optimize", json=body)
    assert response.status_code == 422 and response.json()["detail"]["kind"] == "request"
    assert client.post("/api/optimize", json={"expression": "f = x * x", "values": {"x": 1},
                                              "steps": 10.0}).status_code == 200


def test_a_refused_cors_preflight_is_json():
    strict = TestClient(create_app(dataclasses.replace(Settings(), cors_origins=("https://class.example",))))
    for origin, method in [("https://evil.example", "POST"), ("https://class.example", "PUT")]:
        headers = {"Origin": origin, "Access-Control-Request-Method": method}
        response = strict.options("/api/graph", headers=headers)
        assert response.status_code == 400 and response.headers["content-type"] == "application/json"
        assert response.json()["detail"]["kind"] == "request"
    allowed = strict.options("/api/graph", headers={"Origin": "https://class.example",
                                                    "Access-Control-Request-Method": "POST"})
    assert allowed.status_code == 200


# --- 4. files ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/static/" + "a" * 256, "/static/" + "/".join(["b" * 200] * 40),
                                  "/vendor/katex/" + "c" * 300 + ".css", "/static/%00x", "/" + "d" * 5000])
def test_impossible_paths_are_404(client, path):
    response = client.get(path)
    assert response.status_code == 404 and response.json()["detail"]["kind"] == "not_found"


def test_head_health_and_static_headers(client):
    head = client.head("/api/health")
    assert head.status_code == 200 and head.content == b""
    assert client.get("/api/health").headers["x-content-type-options"] == "nosniff"
    if (Settings().static_dir / "index.html").is_file():
        page = client.get("/")
        assert page.headers["x-content-type-options"] == "nosniff"
        assert page.headers["cache-control"] == "no-cache"
        assert "etag" in page.headers
