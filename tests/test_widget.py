"""The notebook widget's Python side and the in-kernel API, without a browser (see tests/browser/)."""

from __future__ import annotations

import json
import math
import re

import numpy as np
import orjson
import pytest

import gatewise
from gatewise import kernel
from gatewise.engine.train.optimize import optimize
from gatewise.widget import Circuit, _on_message

CS231N = "f = (x + sigmoid(y)) / (sigmoid(x) + (x + y)**2)"


def recording(circuit: Circuit) -> list[dict]:
    """The messages the circuit sends to its front end, kept in a list."""
    sent: list[dict] = []
    circuit.send = lambda content, buffers=None: sent.append(content)
    return sent


def test_the_kernel_api_answers_as_the_server_does():
    request = orjson.dumps({"expression": CS231N, "values": {"x": 3, "y": -4}})
    status, body = kernel.call("POST", "/api/graph", request)
    graph = orjson.loads(body)
    assert status == 200
    out = next(n for n in graph["nodes"] if n["id"] == graph["output"])
    assert out["value"] == pytest.approx(1.5456448841066441)
    status, body = kernel.call("POST", "/api/graph", b'{"expression": "f = x +"}')
    assert status == 400 and orjson.loads(body)["detail"]["column"] == 8
    assert kernel.call("POST", "/api/graph", b"{not json")[0] == 422
    assert kernel.call("GET", "/api/nothing-here")[0] == 404
    assert kernel.call("GET", "/api/ops")[0] == 200


def test_graph_and_error_follow_the_program():
    c = Circuit(CS231N, {"x": 3, "y": -4})
    assert c.error is None
    assert c.graph["inputs"].keys() == {"x", "y"}
    c.program = "f = x +"
    assert c.error["line"] == 1 and c.error["column"] == 8
    with pytest.raises(ValueError, match="line 1, column 8"):
        _ = c.graph


def test_a_change_from_python_is_sent_with_the_kernels_answer_and_one_from_the_widget_is_not():
    c = Circuit("f = x * y", {"x": 2, "y": 3})
    sent = recording(c)
    c.values = {"x": 5, "y": 3}
    (show,) = sent
    assert show["kind"] == "show" and show["status"] == 200 and show["values"] == {"x": 5, "y": 3}
    assert orjson.loads(show["body"])["nodes"][-1]["value"] == 15
    c.set_state({"values": {"x": 7, "y": 3}})  # what ipywidgets does with the front end's update
    assert len(sent) == 1
    assert c.values == {"x": 7, "y": 3} and c.graph["nodes"][-1]["value"] == 21


def test_values_become_json_the_api_takes():
    c = Circuit("f = sum(W)", {"W": np.array([[1.0, 2.0], [3.0, 4.0]])})
    assert c.values == {"W": [[1.0, 2.0], [3.0, 4.0]]}
    c.values = {"W": [[math.nan, 1.0], [math.inf, -math.inf]]}
    assert c.values == {"W": [["NaN", 1.0], ["Infinity", "-Infinity"]]}
    json.dumps(c.values, allow_nan=False)  # strict JSON: it syncs to the front end unchanged


def test_front_end_requests_are_answered_with_their_id():
    c = Circuit("f = x * y", {"x": 2, "y": 3})
    sent = recording(c)
    body = json.dumps({"expression": "f = x * y", "values": {"x": 4, "y": 3}})
    request = {"kind": "request", "method": "POST", "path": "/api/graph"}
    _on_message(c, {**request, "id": "v-1", "body": body}, [])
    _on_message(c, {**request, "id": "v-2", "method": "GET", "path": "/api/examples", "body": None}, [])
    _on_message(c, {"kind": "something else"}, [])
    assert [m["id"] for m in sent] == ["v-1", "v-2"]
    assert sent[0]["status"] == 200 and orjson.loads(sent[0]["body"])["nodes"][-1]["value"] == 12
    assert sent[1]["status"] == 200 and isinstance(orjson.loads(sent[1]["body"]), list)


def test_train_in_chunks_equals_one_run_and_updates_the_widget():
    program, values = "f = (x * w - 2)**2", {"x": 1.5, "w": 0.2}
    c = Circuit(program, values)
    sent = recording(c)
    run = c.train(lr=0.1, steps=45, params=["w"])
    whole = optimize(program, values, params=["w"], lr=0.1, steps=45)
    assert run["steps"] == 45 and len(run["losses"]) == len(whole["losses"])
    assert run["losses"] == pytest.approx(whole["losses"], rel=1e-12)
    assert c.values["w"] == pytest.approx(whole["values"]["w"], rel=1e-12)
    trains = [m for m in sent if m["kind"] == "train"]
    assert trains[-1]["steps"] == 45 and len(trains[-1]["losses"]) == 45
    assert any(m["kind"] == "show" for m in sent)  # the numbers on the circuit follow
    with pytest.raises(ValueError, match="lr"):  # the API's own validation message
        c.train(lr=-1, steps=3)


def test_save_html_is_one_file_whose_text_cannot_break_out_of_its_scripts(tmp_path):
    program = "# a comment with </script><!-- in it\nf = x * 2"
    path = Circuit(program, {"x": 1}).save_html(tmp_path / "c.html")
    text = path.read_text(encoding="utf-8")
    assert text.count("</script>") == 2 and "<!--" not in text
    markup = re.sub(r"<(script|style)\b[^>]*>.*?</\1>", "", text, flags=re.S)
    assert not re.search(r"\b(src|href)=", markup)  # the file's own elements load nothing from elsewhere
    data = re.search(r'id="gatewise-data">(.*?)</script>', text, re.S).group(1)
    loaded = json.loads(data)
    assert loaded["program"] == program
    assert loaded["graph"]["nodes"][-1]["value"] == 2
    assert loaded["gradcheck"]["ok"] is True


def test_show_takes_values_as_keywords():
    c = gatewise.show("f = x * y", x=3, y=-4)
    assert isinstance(c, Circuit) and c.values == {"x": 3, "y": -4}
    assert c.graph["nodes"][-1]["value"] == -12
