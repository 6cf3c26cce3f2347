"""The API on a real server: pasted code, per-line verdicts, free names and the spellings in /api/ops."""

from __future__ import annotations

import httpx
import pytest
from pasted import STAGED, VECTORIZED

from gatewise.server.local import serving


@pytest.fixture(scope="module")
def base():
    """uvicorn serving the app with its default settings; yields the base URL."""
    with serving() as url:
        yield url


def test_the_staged_code_and_its_verdicts(base):
    body = httpx.post(base + "/api/graph", json={"expression": STAGED}, timeout=30).json()
    assert [v["verdict"] for v in body["handwritten"]] == ["right"] * 12
    assert body["handwritten"][-1]["target"] == "dy"
    ids = {n["id"]: n for n in body["nodes"]}
    assert all(v["node"] in ids for v in body["handwritten"])
    assert {n["name"] for n in body["nodes"] if n["name"]} >= {"x", "y", "f", "sigx", "den"}
    assert not any((n["name"] or "").startswith("dx") for n in body["nodes"])  # not forward code


def test_a_wrong_line_is_named_in_the_response(base):
    planted = STAGED.replace("dx += ((1 - sigx)", "dx = ((1 - sigx)")
    body = httpx.post(base + "/api/graph", json={"expression": planted}, timeout=30).json()
    wrong = [v for v in body["handwritten"] if v["verdict"] == "wrong"]
    assert wrong[0]["mistake"] == "overwrite" and wrong[0]["line"] == 28
    assert wrong[0]["expected"] != wrong[0]["value"]


def test_the_vectorized_code_with_a_given_gradient(base):
    body = httpx.post(base + "/api/graph", json={"expression": VECTORIZED}, timeout=30).json()
    assert body["seed"] == "given" and "dD" in body["note"]
    assert [v["verdict"] for v in body["handwritten"]] == ["given", "right", "right"]
    assert "matmul" in {n["op"] for n in body["nodes"]}
    assert ".dot()" in body["spelled"].values()


def test_free_names_on_request(base):
    error = httpx.post(base + "/api/graph", json={"expression": "f = x * y"}, timeout=30)
    assert error.status_code == 400 and error.json()["detail"]["kind"] == "name"
    body = httpx.post(base + "/api/graph", json={"expression": "f = x * y", "values": {"y": 4}, "free": 1},
                      timeout=30).json()
    assert body["free"] == ["x"] and set(body["inputs"]) == {"x", "y"}
    assert next(n for n in body["nodes"] if n["name"] == "x")["grad"] == 4.0
    bad = httpx.post(base + "/api/graph", json={"expression": "f = x", "free": "1"}, timeout=30)
    assert bad.status_code == 422


def test_ops_list_their_spellings(base):
    ops = {o["name"]: o for o in httpx.get(base + "/api/ops", timeout=30).json()}
    assert {"np.exp", "math.exp", ".exp()"} <= set(ops["exp"]["spellings"])
    assert {"np.dot", ".dot()", "dot"} <= set(ops["matmul"]["spellings"])
    assert ops["add"]["spellings"] == []
