"""Hostile input: every attempt gets a clear 4xx or a defined value, quickly, and the server lives on."""

from __future__ import annotations

import dataclasses
import json
import socket
import threading
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from gatewise.server.app import create_app
from gatewise.server.limits import Settings
from gatewise.server.local import serving

GENEROUS = 10.0  # seconds: a bound on "quickly" that no healthy machine comes near
MARKER = Path("/tmp/gatewise-hostile-marker")


@pytest.fixture(scope="module")
def client() -> TestClient:
    """A client on an app with the default (shipped) limits."""
    return TestClient(create_app(Settings()))


def post(client: TestClient, expression: str, values: dict | None = None, path: str = "/api/graph"):
    """POST a program; return (response, seconds taken)."""
    start = time.monotonic()
    response = client.post(path, json={"expression": expression, "values": values or {}})
    return response, time.monotonic() - start


def detail(response) -> dict:
    """The error detail, checking the 4xx error shape."""
    assert 400 <= response.status_code < 500, response.text
    body = response.json()["detail"]
    assert body["message"] and "line" in body and "column" in body
    return body


ESCAPES = [
    f"__import__('os').system('touch {MARKER}')",
    f"f = __import__(\"os\").system(\"touch {MARKER}\")",
    "f = x.__class__.__bases__[0].__subclasses__()",
    "f = x.__dict__",
    "f = open('/etc/passwd')",
    "f = open(x)",
    "f = lambda: 1",
    "f = (lambda y: y)(x)",
    "f = [i for i in x]",
    "f = {i: i for i in x}",
    "f = (i for i in x)",
    "f = 'abc'",
    'f = "abc"',
    "f = exec(x)",
    "f = eval(x)",
    "f = globals()",
    "f = getattr(x, 'T')",
    "import os",
    "from os import system",
    "f = x.shape",
    "f = x.T.T.__len__()",
    "f = x if x else x",
    "f = (x := 1)",
    "f = x < 1",
    "f = x % 2",
    "f = x; del x",
    "f = x\x00",
    "f = x + ⁹",
    "f = `x`",
    "@x\ndef f(): pass",
]


@pytest.mark.parametrize("expression", ESCAPES)
def test_escape_attempts_are_rejected(client, expression):
    response, seconds = post(client, expression, {"x": 1})
    body = detail(response)
    assert response.status_code == 400 and body["kind"] in {"syntax", "name", "arity", "value"}
    assert seconds < GENEROUS
    assert not MARKER.exists()


@pytest.mark.parametrize("expression", ESCAPES[:4])
def test_escape_attempts_do_nothing_in_gradcheck(client, expression):
    response, _ = post(client, expression, {"x": 1}, path="/api/gradcheck")
    assert response.status_code == 400 and not MARKER.exists()


HUGE = {
    "deep parentheses": "f = " + "(" * 100_000 + "x" + ")" * 100_000,
    "deep unary minus": "f = " + "-" * 100_000 + "x",
    "deep calls": "f = " + "sigmoid(" * 20_000 + "x" + ")" * 20_000,
    "deep lists": "f = " + "[" * 20_000 + "1" + "]" * 20_000,
    "deep indexing": "f = x" + "[0]" * 20_000,
    "over max_nodes": "f = " + "+".join(["x"] * 120_000),
    "over max_source_chars": "f = x" + " + 1" * 300_000,
    "over max_statements": "\n".join(f"a{i} = {i}" for i in range(60_000)),
    "huge literal": "f = 1" + "0" * 100_000,
    "huge name": "f = " + "a" * 500_000,
}


@pytest.mark.parametrize("expression", list(HUGE.values()), ids=list(HUGE))
def test_huge_and_deep_programs(client, expression):
    response, seconds = post(client, expression, {"x": 1})
    assert seconds < GENEROUS
    if response.status_code != 200:
        detail(response)


@pytest.mark.parametrize("expression", ["f = 9**9**9**9", "f = 2**2**2**2**2**2**2", "f = (-9)**0.5",
                                        "f = exp(exp(exp(x)))", "f = x / 0", "f = log(0 * x)",
                                        "f = 10**400 - 10**400"])
def test_exponent_towers_give_defined_values(client, expression):
    response, seconds = post(client, expression, {"x": 10})
    assert seconds < GENEROUS
    assert response.status_code in (200, 400), response.text
    if response.status_code == 200:
        graph = response.json()  # strict JSON: non-finite values are strings
        output = next(n for n in graph["nodes"] if n["id"] == graph["output"])
        assert output["value"] in ("Infinity", "-Infinity", "NaN") or isinstance(output["value"], float)
        assert b"NaN," not in response.content and b":Infinity" not in response.content


def test_broadcast_blow_up_is_a_budget_error(client):
    column = [[1.0]] * 3000
    row = [[1.0] * 3000]
    response, seconds = post(client, "f = sum(c * r)", {"c": column, "r": row})
    assert detail(response)["kind"] == "budget" and seconds < GENEROUS


def test_matmul_blow_up_is_a_budget_error(client):
    w = [[0.5] * 400 for _ in range(400)]
    response, seconds = post(client, "a = W @ W\nb = a @ a\nc = b @ b\nf = sum(c)", {"W": w})
    assert detail(response)["kind"] == "budget" and seconds < GENEROUS


def test_tensor_literal_budget(client):
    # 360,000 elements: over GATEWISE_MAX_TENSOR_ELEMENTS (250,000), a 400 as the README documents
    # (kind budget; timeout where tokenizing 720,000 tokens outlasts the time budget first).
    literal = "[" + ",".join(["[" + ",".join(["1"] * 600) + "]"] * 600) + "]"
    response, seconds = post(client, "f = sum(" + literal + ")")
    assert seconds < GENEROUS and response.status_code == 400
    assert detail(response)["kind"] in ("budget", "timeout")


def test_oversized_bodies_get_413(client):
    big = b'{"expression": "f = x", "values": {"x": [' + b"1," * (5 * 1024 * 1024) + b"1]}}"
    response = client.post("/api/graph", content=big, headers={"content-type": "application/json"})
    assert response.status_code == 413 and detail(response)["kind"] == "too_large"

    def stream():
        for start in range(0, len(big), 1 << 20):
            yield big[start:start + (1 << 20)]
    response = client.post("/api/graph", content=stream(), headers={"content-type": "application/json"})
    assert response.status_code == 413


def test_large_tensor_under_the_body_limit_is_a_budget_error(client):
    body = b'{"expression": "f = sum(x)", "values": {"x": [' + b"1.5," * 1_500_000 + b"1]}}"
    start = time.monotonic()
    response = client.post("/api/graph", content=body, headers={"content-type": "application/json"})
    assert detail(response)["kind"] == "budget" and time.monotonic() - start < GENEROUS


@pytest.mark.parametrize("literal", [b"NaN", b"-NaN", b"Infinity", b"-Infinity", b"1e400", b"-1e400",
                                     b"[1, NaN]", b"[[1e999]]", b"1" + b"0" * 400, b"nan", b"inf"])
def test_non_finite_json_is_422(client, literal):
    raw = b'{"expression": "f = sum(x)", "values": {"x": ' + literal + b"}}"
    response = client.post("/api/graph", content=raw, headers={"content-type": "application/json"})
    assert response.status_code == 422 and detail(response)["kind"] == "request"


@pytest.mark.parametrize("depth", [100, 1_000, 5_000, 100_000])
def test_deeply_nested_json_values(client, depth):
    raw = b'{"expression": "f = sum(x)", "values": {"x": ' + b"[" * depth + b"1" + b"]" * depth + b"}}"
    start = time.monotonic()
    response = client.post("/api/graph", content=raw, headers={"content-type": "application/json"})
    assert response.status_code in (200, 400, 422), response.text
    assert time.monotonic() - start < GENEROUS


def test_many_value_names_and_expand_ids(client):
    response, _ = post(client, "f = x", {f"v{i}": 1 for i in range(50_000)} | {"x": 1})
    assert detail(response)["kind"] == "name"
    response = client.post("/api/graph", json={"expression": "f = sigmoid(x)", "values": {"x": 1},
                                               "expand": [f"n{i}" for i in range(50_000)]})
    # The README: an id that names no composite gate of the program is an error of kind value.
    assert response.status_code == 400 and detail(response)["kind"] == "value"
    assert len(response.content) < 2_000


def test_heavy_gradcheck_ends_quickly(client):
    w = [[0.01 * (i + j) for j in range(300)] for i in range(300)]
    response, seconds = post(client, "f = sum(W @ W)", {"W": w}, path="/api/gradcheck")
    assert response.status_code in (200, 400) and seconds < GENEROUS


def test_gradcheck_respects_the_time_budget():
    settings = Settings()
    tight = TestClient(create_app(dataclasses.replace(
        settings, limits=dataclasses.replace(settings.limits, time_budget=0.05))))
    # 128 central differences of a 400×400 product: seconds of work on any machine, far over 0.05 s.
    w = [[0.01 * (i + j) for j in range(400)] for i in range(400)]
    response, _ = post(tight, "f = sum(W @ W)", {"W": w}, path="/api/gradcheck")
    assert response.status_code == 400 and detail(response)["kind"] == "timeout", response.text[:300]


def test_still_healthy_afterwards(client):
    assert client.get("/api/health").json() == {"status": "ok"}
    response, _ = post(client, "f = x * y", {"x": 2, "y": 3})
    assert response.status_code == 200


# --- a real server: a request over its time budget is stopped while others are answered -----------------

@pytest.fixture(scope="module")
def live_server():
    """uvicorn serving the app with a 1 s time budget and room for big programs; yields its base URL."""
    # Loose size budgets, so that only the time budget can stop the long program below.
    with serving({"GATEWISE_TIME_BUDGET": "1", "GATEWISE_MAX_NODES": "1000000",
                  "GATEWISE_MAX_SOURCE_CHARS": "8000000", "GATEWISE_MAX_STATEMENTS": "1000000"}) as base:
        yield base


def test_long_request_is_stopped_while_others_are_served(live_server):
    # About 300,000 gates: several seconds of work unbounded, stopped after 1 s.
    program = "\n".join(["a0 = x"] + [f"a{i} = sigmoid(a{i - 1}) * x + y" for i in range(1, 100_000)])
    result = {}

    def slow():
        response = httpx.post(live_server + "/api/graph", timeout=30,
                              json={"expression": program, "values": {"x": 1, "y": 2}})
        result["status"], result["body"] = response.status_code, response.json()

    worker = threading.Thread(target=slow)
    worker.start()
    time.sleep(0.3)
    answered_meanwhile = 0
    while worker.is_alive():
        if httpx.get(live_server + "/api/health", timeout=GENEROUS).json() == {"status": "ok"}:
            answered_meanwhile += worker.is_alive()
        time.sleep(0.05)
    worker.join(GENEROUS)
    assert result["status"] == 400 and result["body"]["detail"]["kind"] == "timeout", result["status"]
    assert "time budget" in result["body"]["detail"]["message"]
    assert answered_meanwhile >= 1
    assert httpx.get(live_server + "/api/health", timeout=GENEROUS).status_code == 200


def test_live_server_survives_garbage(live_server):
    host, port = live_server.removeprefix("http://").split(":")
    for garbage in [b"\x00\xff" * 100, b"GET / HTTP/9.9\r\n\r\n",
                    b"POST /api/graph HTTP/1.1\r\nContent-Length: 5\r\n\r\n"]:
        with socket.create_connection((host, int(port)), timeout=GENEROUS) as sock:
            sock.sendall(garbage)
            sock.shutdown(socket.SHUT_WR)
            sock.recv(1024)
    raw = json.dumps({"expression": "f = x", "values": {"x": 1}}).encode()
    headers = {"content-type": "application/json"}
    assert httpx.post(live_server + "/api/graph", content=raw, headers=headers).status_code == 200


@pytest.mark.parametrize("body", [
    {"expression": "f = x", "values": {"x": ["a"] * 500_000}},
    {"expression": "f = x", "values": {f"k{i}": None for i in range(100_000)}},
    {"expression": "f = x", "expand": [1] * 500_000},
    {"expression": "f = x", **{f"extra{i}": 1 for i in range(50_000)}},
], ids=["bad elements", "bad values", "bad expand ids", "extra fields"])
def test_error_storms_answer_small_and_fast(client, body):
    start = time.monotonic()
    headers = {"content-type": "application/json"}
    response = client.post("/api/graph", content=json.dumps(body), headers=headers)
    assert response.status_code == 422 and time.monotonic() - start < GENEROUS
    assert len(response.content) < 10_000 and len(detail(response)["errors"]) <= 20
