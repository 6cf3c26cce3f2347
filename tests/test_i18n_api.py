"""The API in two languages (issue 15): error codes and parameters, messages in the request's
language (`?lang=`, then Accept-Language, English by default), op docs and examples in Chinese,
and the message catalog at GET /api/messages."""

from __future__ import annotations

import asyncio
import dataclasses
import re
import threading
import time

import pytest
from fastapi.testclient import TestClient

from gatewise.engine import OPS, EngineError
from gatewise.engine.core.messages import CATALOGS, accept_language, language, render
from gatewise.engine.lang.reference import def_doc
from gatewise.server.admission import Admission
from gatewise.server.app import create_app
from gatewise.server.errors import ApiError
from gatewise.server.examples import EXAMPLES
from gatewise.server.jobs import guarded, timeout_error
from gatewise.server.limits import Settings
from gatewise.server.runner import _in_thread, run_engine

CJK = re.compile(r"[\u4e00-\u9fff]")
ZH = {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"}
SETTINGS = dataclasses.replace(Settings(), cors_origins=("http://allowed.example",), max_body_bytes=4096)
CLIENT = TestClient(create_app(SETTINGS))
SLOW = TestClient(create_app(dataclasses.replace(Settings(), limits=dataclasses.replace(
    Settings().limits, time_budget=0.05))))
LONG = "\n".join(["a0 = x"] + [f"a{i} = sigmoid(a{i - 1}) * x + y" for i in range(1, 20000)])


def _answer(response) -> tuple[int, dict]:
    return response.status_code, response.json()["detail"]


def _raised(fn, *args) -> tuple[int, dict]:
    """The status and code of the ApiError or EngineError fn raises."""
    try:
        fn(*args)
    except ApiError as exc:
        return exc.status, {"code": exc.code, "params": exc.params}
    except EngineError as exc:  # the server answers it with a 400
        return 400, {"code": exc.code, "params": exc.params}
    raise AssertionError("nothing raised")


def _in_own_loop(coro) -> None:
    """asyncio.run(coro) in a thread of its own: the browser tests' Playwright keeps an event loop
    running in this thread when the whole suite runs, and asyncio.run refuses to nest."""
    raised: list[BaseException] = []

    def main() -> None:
        try:
            asyncio.run(coro)
        except BaseException as exc:  # handed to the caller's thread
            raised.append(exc)
    worker = threading.Thread(target=main)
    worker.start()
    worker.join()
    if raised:
        raise raised[0]


def _throw(error: BaseException):
    raise error


def _fail(error: type[BaseException]):
    def fn():
        raise error
    return fn


async def _overload():
    admission = Admission(1, 0)
    await admission.enter(None)  # the one slot is taken, and nothing may wait
    await run_engine(SETTINGS, lambda limits: 1, lambda r: r, 10, admission, inline=False)


async def _waited():
    limits = SLOW.app.state.settings.limits  # a budget, and the request arrived 10 s ago
    await _in_thread(None, limits, time.monotonic() - 10, lambda limits: 1, lambda r: r)


# (what answers, status, code): the server's own codes, each raised by a request or by the server's code.
WINDOW = {"expression": "D = W @ X", "values": {"W": [[1, 2]], "X": [[3], [4]]}, "node": "n2",
          "rows": [0, 1], "cols": [0, 1]}  # POST /api/tensor
SERVER_CASES = [
    (lambda: _answer(CLIENT.post("/api/graph", content=b'{"expression": ', headers={
        "content-type": "application/json"})), 422, "json_invalid"),
    (lambda: _answer(CLIENT.post("/api/graph", content=b'{"expression": "x"}', headers={
        "content-type": "text/plain"})), 422, "json_content_type"),
    (lambda: _answer(CLIENT.post("/api/graph", json={"expression": "x", "values": {"x": "a"}})), 422,
     "validation"),
    (lambda: _answer(CLIENT.get("/api/nothing-here")), 404, "not_found"),
    (lambda: _answer(CLIENT.get("/static/.hidden")), 404, "not_found"),
    (lambda: _answer(CLIENT.delete("/api/graph")), 405, "method_not_allowed"),
    (lambda: _answer(CLIENT.post("/api/graph", content=b"[" + b"1," * 4096 + b"1]", headers={
        "content-type": "application/json"})), 413, "too_large"),
    (lambda: _answer(CLIENT.options("/api/graph", headers={
        "Origin": "http://elsewhere.example", "Access-Control-Request-Method": "POST"})), 400,
     "cors_refused"),
    (lambda: _answer(SLOW.post("/api/graph", json={"expression": LONG, "values": {"x": 1, "y": 2}})), 400,
     "request_timeout_budget"),
    (lambda: _raised(lambda: guarded(_fail(RecursionError))), 400, "recursion"),
    (lambda: _raised(lambda: guarded(_fail(MemoryError))), 413, "memory"),
    (lambda: _raised(lambda: guarded(_fail(KeyError))), 400, "engine_failed"),
    (lambda: _raised(_throw, timeout_error(None)), 400, "request_timeout"),
    (lambda: _raised(_in_own_loop, _overload()), 503, "overloaded"),
    (lambda: _raised(_in_own_loop, _waited()), 400, "waited_budget"),
    (lambda: _answer(CLIENT.post("/api/tensor", json={**WINDOW, "rows": [5, 2]})), 400, "window_range"),
    (lambda: _answer(CLIENT.post("/api/tensor", json={**WINDOW, "rows": [0, 100], "cols": [0, 100]})), 400,
     "window_too_large"),
    (lambda: _answer(CLIENT.post("/api/tensor", json={**WINDOW, "node": "n99"})), 400, "no_such_node"),
]


@pytest.mark.parametrize("answer,status,code", SERVER_CASES, ids=[c for *_, c in SERVER_CASES])
def test_every_server_code_is_raised_and_has_a_message_in_both_languages(answer, status, code):
    got_status, detail = answer()
    assert (got_status, detail["code"]) == (status, code), detail
    for lang in ("en", "zh"):
        text = render(code, detail["params"], lang)
        assert text and not re.search(r"\{\w+\}", text), text
    assert CJK.search(render(code, detail["params"], "zh")) or code in ("cors_refused",)



@pytest.mark.parametrize("header,lang", [
    ("zh-CN", "zh"), ("zh", "zh"), ("zh-Hans-CN", "zh"), ("zh-TW", "zh"), ("en-US,en;q=0.9", "en"),
    ("fr-FR,zh;q=0.5", "zh"), ("fr,de", "en"), ("", "en"), (None, "en"), ("*", "en"),
    ("en;q=0.3,zh-CN;q=0.8", "zh"), ("zh;q=0,en", "en"), ("zh;q=abc,en", "en"), ("ZH-cn", "zh"),
])
def test_accept_language_honours_q_values(header, lang):
    assert accept_language(header) == lang


def test_one_tag_maps_to_a_catalog_language():
    assert [language(t) for t in ("zh_CN.UTF-8", "zh-Hans", "en_GB", "C.UTF-8", "fr", "", None)] == \
        ["zh", "zh", "en", None, None, None, None]


def test_accept_language_zh_gives_chinese_error_messages_and_the_default_stays_english():
    body = {"expression": "f = sigmod(x)", "values": {"x": 1}}
    en = CLIENT.post("/api/graph", json=body).json()["detail"]
    zh = CLIENT.post("/api/graph", json=body, headers=ZH).json()["detail"]
    assert en["code"] == zh["code"] == "unknown_function_hint" and en["params"] == zh["params"]
    assert en["params"]["name"] == "sigmod" and en["params"]["suggestions"] == ["sigmoid"]
    assert en["message"].startswith("unknown function 'sigmod'; did you mean sigmoid?")
    assert zh["message"].startswith("未知函数 'sigmod'；你是不是想写 sigmoid？")
    assert (en["line"], en["column"], en["kind"]) == (zh["line"], zh["column"], zh["kind"]) == (1, 5, "name")


def test_a_syntax_error_in_chinese_keeps_its_line_and_column():
    zh = CLIENT.post("/api/graph", json={"expression": "x = 1\ny = (x"}, headers=ZH).json()["detail"]
    assert zh == {"message": "'(' 没有闭合", "line": 2, "column": 5, "kind": "syntax", "code": "unclosed",
                  "params": {"opener": "("}}


def test_the_lang_parameter_wins_over_the_header():
    body = {"expression": "f = x *"}
    assert CJK.search(CLIENT.post("/api/graph?lang=zh", json=body).json()["detail"]["message"])
    en = CLIENT.post("/api/graph?lang=en", json=body, headers=ZH).json()["detail"]["message"]
    assert en == "expected a value, found the end of the program"
    # An unknown lang falls back to the header, then to English.
    assert CJK.search(CLIENT.post("/api/graph?lang=xx", json=body, headers=ZH).json()["detail"]["message"])


def test_server_errors_answer_in_chinese_too():
    assert _answer(CLIENT.get("/api/nothing", headers=ZH))[1]["message"] == "未找到"
    status, detail = _answer(CLIENT.post("/api/graph", json={"expression": 3}, headers=ZH))
    assert status == 422 and detail["message"] == "expression：应是有效的字符串"
    big = CLIENT.post("/api/graph?lang=zh", content=b"x" * 5000, headers={"content-type": "application/json"})
    assert big.status_code == 413 and big.json()["detail"]["message"].startswith("请求体超过了 4096 字节")
    assert int(big.headers["content-length"]) == len(big.content)


def test_ops_docs_follow_the_language():
    en, zh = CLIENT.get("/api/ops").json(), CLIENT.get("/api/ops", headers=ZH).json()
    # Every op, then the language's constructs (def), whose docs live beside the table.
    assert [o["name"] for o in en] == [o["name"] for o in zh] == [*OPS, "def"]
    for a, b in zip(en, zh):
        doc = OPS[a["name"]].doc if a["name"] in OPS else def_doc("en")
        assert a["doc"] == doc and CJK.search(b["doc"]), b
        assert {k: v for k, v in a.items() if k != "doc"} == {k: v for k, v in b.items() if k != "doc"}
    assert CLIENT.get("/api/ops?lang=zh").json() == zh
    assert CLIENT.get("/api/ops?lang=en", headers=ZH).json() == en
    assert "Accept-Language" in CLIENT.get("/api/ops").headers["vary"]


def test_examples_follow_the_language():
    en, zh = CLIENT.get("/api/examples").json(), CLIENT.get("/api/examples?lang=zh").json()
    assert en == EXAMPLES
    for a, b in zip(en, zh):
        assert CJK.search(b["title"]) and CJK.search(b["description"]), b["id"]
        assert {**b, "title": a["title"], "description": a["description"]} == a
    gates = next(e for e in zh if e["id"] == "gates")["description"]
    for pattern in ("加法门单元把梯度相等地分发给它所有的输入", "取最大值门单元对梯度做路由",
                    "乘法门单元的局部梯度是相互交换之后的输入值"):
        assert pattern in gates


def test_the_messages_catalog_is_served_by_language():
    en, zh = CLIENT.get("/api/messages").json(), CLIENT.get("/api/messages", headers=ZH).json()
    assert en == CATALOGS["en"] and zh == CATALOGS["zh"] and set(en) == set(zh)
    assert CLIENT.get("/api/messages?lang=zh-Hans").json() == zh
    # A client renders any error from its code and params with the template it fetched.
    detail = CLIENT.post("/api/graph", json={"expression": "f = x * y", "values": {"x": 1, "q": 2, "r": 3}},
                         headers=ZH).json()["detail"]
    assert render(detail["code"], detail["params"], "zh") == detail["message"]


def test_the_openapi_schema_documents_code_params_and_lang():
    schema = CLIENT.get("/openapi.json").json()
    detail = schema["components"]["schemas"]["ErrorDetail"]
    assert {"code", "params"} <= set(detail["properties"]) and "code" in detail["required"]
    assert any(p["name"] == "lang" for p in schema["paths"]["/api/ops"]["get"]["parameters"])
    assert "/api/messages" in schema["paths"]


def test_an_error_from_an_engine_process_is_in_the_request_language():
    from gatewise.server.local import started

    program = "x = 1\n" + "y = x + 1\n" * 2000 + "f = y *"  # over the inline size: an engine process
    with started({"GATEWISE_ENGINE_PROCESSES": "1"}) as (url, _):
        import httpx

        answer = httpx.post(f"{url}/api/graph", json={"expression": program}, headers=ZH, timeout=30)
        cached = httpx.post(f"{url}/api/graph", json={"expression": "f = 2 * 3"}, headers=ZH, timeout=30)
        english = httpx.post(f"{url}/api/graph", json={"expression": program}, timeout=30)
    detail = answer.json()["detail"]
    assert answer.status_code == 400 and detail["code"] == "expected_value"
    assert detail["message"] == "这里应是一个值，却遇到了程序末尾" and detail["line"] == 2002
    assert english.json()["detail"]["message"] == "expected a value, found the end of the program"
    assert cached.status_code == 200


def test_the_servers_message_lists_every_function_and_caps_huge_lists():
    body = {"expression": "f = blorp(x)", "values": {"x": 1}}
    detail = CLIENT.post("/api/graph", json=body).json()["detail"]
    assert detail["params"]["functions"][-1] == "transpose" and "…" not in detail["params"]["functions"]
    header = ",".join(f"c{k}" for k in range(300))
    csv = f"{header}\n" + ",".join(["1"] * 300) + "\n"
    big = CLIENT.post("/api/dataset", json={"csv": csv, "label": "zz"})
    detail = big.json()["detail"]
    assert big.status_code == 400 and detail["code"] == "csv_no_label_column"
    assert len(detail["params"]["columns"]) == 41 and detail["params"]["columns"][-1] == "…"
    assert len(detail["message"]) <= 500
