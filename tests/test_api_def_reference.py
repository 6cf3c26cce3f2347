"""GET /api/ops documents `def` (user-defined functions) in English and Chinese, and what it says holds."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from gatewise.engine import OPS
from gatewise.engine.lang.functions import FOLD_ABOVE, MAX_CALL_DEPTH
from gatewise.server.app import create_app
from gatewise.server.limits import Settings

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(Settings()))


def node(g: dict, key: str) -> dict:
    (found,) = [n for n in g["nodes"] if n["id"] == key]
    return found


def entry(client, lang: str) -> dict:
    (found,) = [o for o in client.get(f"/api/ops?lang={lang}").json() if o["name"] == "def"]
    return found


def test_ops_serve_a_def_entry_in_both_languages(client):
    ops = client.get("/api/ops").json()
    assert ops[-1]["name"] == "def" and all("kind" not in o for o in ops if o["name"] in OPS)
    en, zh = entry(client, "en"), entry(client, "zh")
    assert en["kind"] == "construct" and en["category"] == "language" and en["composite"] is True
    assert en["syntax"].startswith("def ") and ": return " in en["syntax"]
    assert any("\n    return " in form for form in en["spellings"])  # the indented body
    for word in ("fold", "composite", "recursion is refused", "budget", str(FOLD_ABOVE), str(MAX_CALL_DEPTH)):
        assert word in en["doc"], word
    for word in ("折叠", "复合门单元", "递归", "预算", str(FOLD_ABOVE)):
        assert word in zh["doc"], word
    assert CJK.search(zh["doc"]) and not CJK.search(en["doc"])
    assert {k: v for k, v in en.items() if k != "doc"} == {k: v for k, v in zh.items() if k != "doc"}


def test_the_openapi_schema_documents_the_construct_kind(client):
    info = client.get("/openapi.json").json()["components"]["schemas"]["OpInfo"]["properties"]
    assert info["kind"]["enum"] == ["op", "construct"] and "def" in info["kind"]["description"]
    assert "example program" in info["expansion"]["description"]


def test_both_forms_of_the_syntax_evaluate(client):
    en = entry(client, "en")
    one_line = en["syntax"].replace("expression", "a * b") + "\nf = name(x, 3)"
    body = en["spellings"][0].replace("…", "a * b").replace("expression", "t + b") + "\nf = name(x, 3)"
    for program, want in ((one_line, 6.0), (body, 9.0)):
        r = client.post("/api/graph", json={"expression": program, "values": {"x": 2}})
        assert r.status_code == 200, (program, r.text)
        g = r.json()
        assert list(g["functions"]) == ["name"] and node(g, g["output"])["value"] == want
        assert node(g, g["inputs"]["x"])["grad"] == 3.0


def test_the_example_runs_and_a_folded_call_keeps_its_numbers(client):
    program = entry(client, "en")["expansion"]
    opened = client.post("/api/graph", json={"expression": program, "values": {"x": 0.3}}).json()
    assert set(opened["functions"]) == {"layer", "shift"} and opened["folded"] == []
    first = opened["functions"]["layer"]["calls"][0]
    body = {"expression": program, "values": {"x": 0.3}, "fold": [first]}
    shut = client.post("/api/graph", json=body).json()
    assert shut["folded"] == [first] and len(shut["nodes"]) < len(opened["nodes"])
    numbers = [(k, node(g, k)["value"], node(g, k)["grad"]) for g in (opened, shut)
               for k in [g["output"], *g["inputs"].values()]]
    assert numbers[:len(numbers) // 2] == numbers[len(numbers) // 2:]


def test_recursion_is_refused_as_the_entry_says(client):
    program = "def f(x): return f(x) + 1\ny = f(2)"
    r = client.post("/api/graph", json={"expression": program})
    assert r.status_code == 400 and r.json()["detail"]["code"].startswith("def_recursion")
