"""REST API errors: request validation (422), HTTP errors, body size limit, CORS."""

from __future__ import annotations

import dataclasses
import json

import pytest
from fastapi.testclient import TestClient
from test_api import assert_error

from gatewise.server.app import create_app
from gatewise.server.limits import Settings


@pytest.fixture(scope="module")
def client() -> TestClient:
    """A client on an app with the default settings (not the environment's)."""
    return TestClient(create_app(Settings()))


# --- request validation: 422 -----------------------------------------------------------------------

RAW_422 = [
    b'{"expression": "f = x", "values": {"x": NaN}}',
    b'{"expression": "f = x", "values": {"x": Infinity}}',
    b'{"expression": "f = x", "values": {"x": -Infinity}}',
    b'{"expression": "f = x", "values": {"x": 1e400}}',
    b'{"expression": "f = x", "values": {"x": [[1, -1e999]]}}',
    b'{"expression": "f = x",}',
    b"not json at all",
    b'"just a string"',
    b"[1, 2, 3]",
    b"",
    b'\xff\xfe{"expression": "x"}',
]


@pytest.mark.parametrize("raw", RAW_422)
def test_malformed_bodies_are_422(client, raw):
    response = client.post("/api/graph", content=raw, headers={"content-type": "application/json"})
    assert_error(response, 422, "request")


def test_invalid_json_reports_line_and_column(client):
    raw = b'{\n  "expression": "f = x",\n  "values": {"x": NaN}\n}'
    response = client.post("/api/graph", content=raw, headers={"content-type": "application/json"})
    detail = assert_error(response, 422)
    assert (detail["line"], detail["column"]) == (3, 19)


@pytest.mark.parametrize("body", [
    {},
    {"values": {"x": 1}},
    {"expression": 3},
    {"expression": None},
    {"expression": ["f = x"]},
    {"expression": "f = x", "values": {"x": "3"}},
    {"expression": "f = x", "values": {"x": True}},
    {"expression": "f = x", "values": {"x": None}},
    {"expression": "f = x", "values": {"x": {"a": 1}}},
    {"expression": "f = x", "values": [1, 2]},
    {"expression": "f = x", "expand": "yes"},
    {"expression": "f = x", "expand": [1, 2]},
    {"expression": "f = x", "unknown": 1},
])
def test_wrong_shapes_are_422(client, body):
    detail = assert_error(client.post("/api/graph", json=body), 422, "request")
    assert detail["errors"]


def test_non_json_content_type_is_422(client):
    response = client.post("/api/graph", content=b"f = x", headers={"content-type": "text/plain"})
    assert "Content-Type: application/json" in assert_error(response, 422)["message"]
    form = client.post("/api/graph", data={"expression": "f = 2"})
    assert "Content-Type: application/json" in assert_error(form, 422)["message"]
    missing = client.post("/api/graph", content=b'{"expression": "f = 2"}')
    assert "Content-Type: application/json" in assert_error(missing, 422)["message"]


def test_gradcheck_validates_too(client):
    assert_error(client.post("/api/gradcheck", json={"values": {}}), 422)
    body = {"expression": "f = (x", "values": {"x": 1}}
    assert_error(client.post("/api/gradcheck", json=body), 400, "syntax")


# --- HTTP-level errors, body size, CORS ------------------------------------------------------------

def test_unknown_route_and_method_are_json(client):
    assert_error(client.get("/api/nope"), 404, "not_found")
    response = client.put("/api/graph", json={})
    assert_error(response, 405, "method")
    assert "POST" in response.headers.get("allow", "")


def test_body_limit_declared_and_streamed():
    small = TestClient(create_app(dataclasses.replace(Settings(), max_body_bytes=1000)))
    body = json.dumps({"expression": "f = x", "values": {"x": [1.0] * 400}}).encode()
    assert_error(small.post("/api/graph", content=body, headers={"content-type": "application/json"}),
                 413, "too_large")

    def chunks():
        yield body[:500]
        yield body[500:]
    assert_error(small.post("/api/graph", content=chunks(), headers={"content-type": "application/json"}),
                 413, "too_large")
    ok = small.post("/api/graph", json={"expression": "f = x * 2", "values": {"x": 1}})
    assert ok.status_code == 200


def test_cors_allows_any_origin_without_credentials(client):
    preflight = client.options("/api/graph", headers={"origin": "https://example.org",
                                                      "access-control-request-method": "POST",
                                                      "access-control-request-headers": "content-type"})
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in preflight.headers
    simple = client.get("/api/health", headers={"origin": "https://example.org"})
    assert simple.headers["access-control-allow-origin"] == "*"


def test_an_engine_bug_is_a_logged_400_not_a_5xx(client, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise IndexError("a bug")
    monkeypatch.setattr("gatewise.engine.evaluate", broken)
    response = client.post("/api/graph", json={"expression": "f = x * 2", "values": {"x": 1.25}})
    assert assert_error(response, 400, "internal")["message"]
    assert "engine failed" in caplog.text


def test_deep_recursion_in_the_engine_is_a_400(client, monkeypatch):
    def deep(*args, **kwargs):
        raise RecursionError
    monkeypatch.setattr("gatewise.engine.gradcheck", deep)
    response = client.post("/api/gradcheck", json={"expression": "f = x", "values": {"x": 3.5}})
    assert_error(response, 400, "budget")
