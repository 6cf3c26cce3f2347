"""The widget's language (issue 15) on its Python side: the trait, the kernel's answers and the
errors in it, the standalone HTML in it, and POST /api/export/html following the request's language."""

from __future__ import annotations

import json
import re

import orjson
import pytest
import traitlets
from fastapi.testclient import TestClient

from gatewise import kernel
from gatewise.engine import EngineError, evaluate
from gatewise.engine.core.messages import render
from gatewise.locales import catalog
from gatewise.server.app import create_app
from gatewise.widget import Circuit, CircuitError, _on_message

CJK = re.compile(r"[\u4e00-\u9fff]")


def recording(circuit: Circuit) -> list[dict]:
    """The messages the circuit sends to its front end, kept in a list."""
    sent: list[dict] = []
    circuit.send = lambda content, buffers=None: sent.append(content)
    return sent


@pytest.mark.parametrize(("env", "lang"), [
    ({"LANG": "zh_CN.UTF-8"}, "zh"), ({"LC_ALL": "zh_TW", "LANG": "en_US.UTF-8"}, "zh"),
    ({"LANG": "en_GB.UTF-8"}, "en"), ({"LANG": "C.UTF-8"}, "en"), ({}, "en"), ({"LANG": "fr_FR"}, "en")])
def test_the_default_language_is_the_kernels_locale_as_the_clis(monkeypatch, env, lang):
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert Circuit("f = x").lang == lang


def test_lang_takes_a_tag_and_refuses_a_language_without_a_catalog():
    assert Circuit("f = x", lang="zh-CN").lang == "zh"
    c = Circuit("f = x", lang="en")
    c.lang = "zh_CN.UTF-8"
    assert c.lang == "zh"
    with pytest.raises(traitlets.TraitError, match="fr"):
        c.lang = "fr"
    assert c.lang == "zh"


def test_an_error_is_in_the_widgets_language_with_its_code_params_and_place():
    c = Circuit("f = sigmod(x)", {"x": 1}, lang="zh")
    detail = c.error
    assert detail["code"] == "unknown_function_hint" and detail["params"]["name"] == "sigmod"
    assert detail["message"] == render(detail["code"], detail["params"], "zh")
    assert CJK.search(detail["message"])
    with pytest.raises(CircuitError) as raised:
        _ = c.graph
    e = raised.value
    assert isinstance(e, ValueError) and (e.code, e.line, e.column) == ("unknown_function_hint", 1, 5)
    assert str(e) == f"第 1 行,第 5 列:{detail['message']}"
    c.lang = "en"  # the same program, asked again in English
    assert c.error["message"] == render(detail["code"], detail["params"], "en")
    assert str(pytest.raises(CircuitError, lambda: c.graph).value).startswith("line 1, column 5: ")


def test_the_front_ends_requests_are_answered_in_the_widgets_language():
    c = Circuit("f = x", lang="zh")
    sent = recording(c)
    bad = json.dumps({"expression": "f = (x *", "values": {}})
    _on_message(c, {"kind": "request", "id": "1", "method": "POST", "path": "/api/graph", "body": bad}, [])
    _on_message(c, {"kind": "request", "id": "2", "method": "GET", "path": "/api/ops", "body": None}, [])
    detail = orjson.loads(sent[0]["body"])["detail"]
    assert sent[0]["status"] == 400 and CJK.search(detail["message"]) and detail["code"]
    english = {op["name"]: op["doc"] for op in orjson.loads(kernel.call("GET", "/api/ops")[1])}
    chinese = {op["name"]: op["doc"] for op in orjson.loads(sent[1]["body"])}
    assert CJK.search(chinese["sigmoid"]) and chinese["sigmoid"] != english["sigmoid"]


def test_a_request_that_fails_in_the_kernel_is_still_answered(monkeypatch):
    c = Circuit("f = x", lang="zh")
    sent = recording(c)

    def broken(*args, **kwargs):
        raise TimeoutError("the kernel's loop did not answer")

    monkeypatch.setattr(kernel, "call", broken)
    _on_message(c, {"kind": "request", "id": "7", "method": "GET", "path": "/api/ops", "body": None}, [])
    assert len(sent) == 1 and sent[0]["id"] == "7" and sent[0]["status"] == 400  # never left waiting
    detail = orjson.loads(sent[0]["body"])["detail"]
    assert detail["code"] == "engine_failed" and detail["message"] == render("engine_failed", {}, "zh")


def test_train_sends_numbers_the_widget_writes_in_its_language_and_fails_in_it():
    c = Circuit("f = (x * w - 2)**2", {"x": 1.5, "w": 0.2}, lang="zh")
    sent = recording(c)
    run = c.train(lr=0.1, steps=4, params=["w"])
    last = [m for m in sent if m["kind"] == "train"][-1]
    assert (last["steps"], last["total"], last["loss"]) == (4, 4, run["final_loss"])
    assert "status" not in last  # no English sentence: the front end has the catalog's widget.train_progress
    assert "widget.train_progress" in catalog("zh")
    c.program = "f = (sigmod(w) - 2)**2"
    with pytest.raises(CircuitError) as raised:
        c.train(lr=0.1, steps=3)
    assert raised.value.code == "unknown_function_hint" and CJK.search(str(raised.value))


def data_of(text: str) -> dict:
    return json.loads(re.search(r'id="gatewise-data">(.*?)</script>', text, re.S).group(1))


def test_save_html_is_in_the_widgets_language_or_the_one_asked_for(tmp_path):
    c = Circuit("f = x * 2", {"x": 1}, lang="zh")
    text = c.save_html(tmp_path / "zh.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN"' in text and data_of(text)["lang"] == "zh"
    text = c.save_html(tmp_path / "en.html", lang="en").read_text(encoding="utf-8")
    assert '<html lang="en"' in text and data_of(text)["lang"] == "en"
    c.program = "f = (x *"
    with pytest.raises(CircuitError) as raised:
        c.save_html(tmp_path / "bad.html")
    with pytest.raises(EngineError) as engine:
        evaluate("f = (x *", {})
    assert raised.value.code == engine.value.code and raised.value.message == engine.value.render("zh")


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app()) as c:
        yield c


BODY = {"expression": "f = x * 2", "values": {"x": 1}}


@pytest.mark.parametrize(("how", "lang", "tag"), [
    ({"headers": {"Accept-Language": "zh-CN,zh;q=0.9"}}, "zh", "zh-CN"), ({}, "en", "en"),
    ({"params": {"lang": "zh"}, "headers": {"Accept-Language": "en"}}, "zh", "zh-CN"),
    ({"params": {"lang": "en"}, "headers": {"Accept-Language": "zh-CN"}}, "en", "en")])
def test_the_html_export_route_follows_the_request_language(client, how, lang, tag):
    res = client.post("/api/export/html", **{"json": BODY, **how})
    assert res.status_code == 200
    text = res.json()["html"]
    assert f'<html lang="{tag}"' in text and data_of(text)["lang"] == lang
    # The check is in the file: a server's short inline slice running out is retried with the full budget.
    assert data_of(text)["gradcheck"]["ok"] is True
