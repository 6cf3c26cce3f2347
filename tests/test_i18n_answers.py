"""Texts inside successful answers in the request's language (issue 15): the verdicts on a hand-written
backward pass, the diagnostics' flags and the graph's note are rendered from their codes in the
language of `?lang=` or Accept-Language, English by default, cached per language; every code found
in these answers has a template in both catalogs."""

from __future__ import annotations

import re

import httpx
import pytest
from fastapi.testclient import TestClient
from test_messages_teach import FLAG_CASES, VERDICT_CASES

from gatewise.engine.core.messages import render
from gatewise.engine.core.messages_en import MESSAGES as EN
from gatewise.engine.core.messages_zh import MESSAGES as ZH
from gatewise.server.app import create_app
from gatewise.server.local import started

CJK = re.compile(r"[\u4e00-\u9fff]")
SLOT = re.compile(r"\{\w+\}")
ZH_HEADER = {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"}
CLIENT = TestClient(create_app())
# (program, values, the note's code, its params): programs whose answer has a note.
NOTE_CASES = [
    ("D = W @ X", {"W": [[1, 2], [3, 4]], "X": [[1], [2]]}, "note_ones", {"shape": "(2, 1)"}),
    ("D = W * 2\ndD = [[1, 2]]", {"W": [[1, 2]]}, "note_given", {"name": "D", "target": "dD", "line": 2}),
]
# Each route whose 200 answer carries texts, and the requests (one per case) that produce them.
ROUTES = {
    "graph": ("/api/graph", [{"expression": src} for src, _ in VERDICT_CASES]
              + [{"expression": src, "values": v} for src, v, *_ in NOTE_CASES]),
    "page": ("/api/graph", [{"expression": src, "format": "page"} for src, _ in VERDICT_CASES]
             + [{"expression": src, "values": v, "format": "page"} for src, v, *_ in NOTE_CASES]),
    "diagnostics": ("/api/diagnostics", [{"expression": src, "values": v} for src, v, _ in FLAG_CASES]),
}


def _records(data) -> list[dict]:
    """Every record of a JSON answer that carries a text with its code (a verdict, a flag), anywhere."""
    if isinstance(data, list):
        return [r for item in data for r in _records(item)]
    if not isinstance(data, dict):
        return []
    own = [data] if "message" in data and "code" in data else []
    return own + [r for value in data.values() for r in _records(value)]


def _codes(value) -> set[str]:
    """The codes of a parameter value and of the messages nested in it ({code, params})."""
    if isinstance(value, list):
        return {c for item in value for c in _codes(item)}
    if isinstance(value, dict) and "code" in value:
        return {value["code"]} | _codes(value.get("params") or {})
    if isinstance(value, dict):
        return {c for item in value.values() for c in _codes(item)}
    return set()


def _post(path: str, body: dict, **kw) -> dict:
    response = CLIENT.post(path, json=body, **kw)
    assert response.status_code == 200, response.text
    return response.json()


def _texts(record: dict, lang: str) -> tuple[str, str | None]:
    """What a record's message and title must be in lang: rendered from its codes and params."""
    title = render(record["title_code"], record["params"], lang) if "title_code" in record else None
    return render(record["code"], record["params"], lang), title


@pytest.mark.parametrize("route", ROUTES)
def test_accept_language_zh_gives_chinese_texts_and_the_default_stays_english(route):
    path, bodies = ROUTES[route]
    found = 0
    for body in bodies:
        en, zh = _post(path, body), _post(path, body, headers=ZH_HEADER)
        pairs = list(zip(_records(en), _records(zh), strict=True))
        for e, z in pairs:
            assert (e["code"], e["params"]) == (z["code"], z["params"])
            if e["code"] is None:  # a right line that says nothing
                assert e["message"] == z["message"] == ""
                continue
            assert (e["message"], e.get("title")) == _texts(e, "en")
            assert (z["message"], z.get("title")) == _texts(z, "zh") and CJK.search(z["message"]), z
            assert z["message"] != e["message"]
            found += 1
        # Nothing else differs: the values, gradients and structure are the same in both languages.
        assert _without_texts(en) == _without_texts(zh)
    assert found >= len(bodies) - len(NOTE_CASES)


def _without_texts(data):
    """The answer with its language's texts blanked."""
    if isinstance(data, list):
        return [_without_texts(x) for x in data]
    if isinstance(data, dict):
        return {k: None if k in ("message", "title", "note") else _without_texts(v) for k, v in data.items()}
    return data


@pytest.mark.parametrize("src,values,code,params", NOTE_CASES, ids=[c for *_, c, _ in NOTE_CASES])
@pytest.mark.parametrize("form", ["full", "page"])
def test_the_note_follows_the_language(src, values, code, params, form):
    body = {"expression": src, "values": values, "format": form}
    assert _post("/api/graph", body)["note"] == render(code, params, "en")
    zh = _post("/api/graph", body, headers=ZH_HEADER)["note"]
    assert zh == render(code, params, "zh") and CJK.search(zh)
    assert _post("/api/graph?lang=zh", body)["note"] == zh  # the lang parameter too
    assert _post("/api/graph?lang=en", body, headers=ZH_HEADER)["note"] == render(code, params, "en")


def test_every_code_in_a_successful_answer_has_a_template_in_both_catalogs():
    # The codes are collected from the answers themselves, for every case of every route.
    codes: set[str] = set()
    for path, bodies in ROUTES.values():
        for body in bodies:
            for record in _records(_post(path, body, headers=ZH_HEADER)):
                if record["code"] is not None:
                    codes |= {record["code"], *_codes(record["params"])}
                    codes |= {record["title_code"]} if "title_code" in record else set()
    expected = {c for _, c in VERDICT_CASES} | {c for *_, c in FLAG_CASES}
    assert expected <= codes, expected - codes
    for code in codes:
        assert code in EN and code in ZH, code
        words = re.search(r"[A-Za-z]{2,}", SLOT.sub("", EN[code]))
        assert not words or CJK.search(ZH[code]), code


def test_answers_are_cached_per_language():
    body = {"expression": VERDICT_CASES[0][0]}
    first = [_post("/api/graph", body, headers=h)["handwritten"][-1]["message"]
             for h in ({}, ZH_HEADER, {}, ZH_HEADER, {"Accept-Language": "en"})]
    assert first[0] == first[2] == first[4] and first[1] == first[3] and CJK.search(first[1])
    assert not CJK.search(first[0])


def test_a_verdict_from_an_engine_process_is_in_the_request_language():
    # Over the inline size, the answer is computed (and its texts rendered) in an engine process.
    program = "x = 3\n" + "y0 = x * 2\n" + "".join(f"y{i} = y{i - 1} + 1\n" for i in range(1, 1500))
    program += "dy1499 = 1\ndx = 3 * dy1499"
    with started({"GATEWISE_ENGINE_PROCESSES": "1"}) as (url, _):
        answers = {lang: httpx.post(f"{url}/api/graph?lang={lang}", json={"expression": program}, timeout=60)
                   for lang in ("zh", "en")}
    verdicts = {lang: a.json()["handwritten"] for lang, a in answers.items()}
    last = {lang: v[-1] for lang, v in verdicts.items()}
    assert last["en"]["code"] == last["zh"]["code"] == "mistake_wrong"
    assert last["zh"]["message"] == render("mistake_wrong", last["zh"]["params"], "zh")
    assert last["en"]["message"] == render("mistake_wrong", last["en"]["params"], "en")
