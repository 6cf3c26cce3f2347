"""The verdicts on a hand-written backward pass and the gradient diagnostics carry a code and
parameters too: each code is produced here by a real program, and renders in both languages."""

from __future__ import annotations

import re

import pytest
from pasted import STAGED, VECTORIZED

from gatewise import engine
from gatewise.engine import evaluate, to_dict
from gatewise.engine.core.messages import render
from gatewise.engine.export.diagnostics import diagnose

SLOT = re.compile(r"\{\w+\}")
CJK = re.compile(r"[\u4e00-\u9fff]")
SQUARE = "W = [[1, 2], [3, 4]]\nX = [[1, 0], [2, 1]]\nD = W @ X\ndD = [[1, 0], [0, 1]]\n"


def _plant(src: str, old: str, new: str) -> str:
    assert old in src
    return src.replace(old, new, 1)


# (program, a code one of its verdicts carries)
VERDICT_CASES = [
    ("x = 3\ny = x * 2\ndy = 1\ndx = 2 * dy", "grade_right"),
    ("x = 3\ny = x * 2\nf = x + 1\ndf = 1\ndy = 0", "grade_right_zero"),
    ("x = 3\ny = x * 2\ndy = 1\ndx = 2 * dy", "grade_given"),
    ("W = [[1, 2]]\nD = W * 2\ndW = [[1, 1]]\ndD = dW", "grade_given_backward"),
    ("W = [[1, 2]]\nD = W * 2\ndD = [1, 2, 3]", "grade_given_shape"),
    (_plant(VECTORIZED, "dW = dD.dot(X.T)", "dW = dD.dot(X)"), "grade_shape_error"),
    ("x = 3\ny = x * 2\ndy = 1\ndx += 2", "grade_augment_first"),
    ("x = 3\ny = x * 2\ndy = 1\ndx = q\ndx += 1", "grade_unknown_line"),
    ("x = 3\nw = 2\ny = x * w\ndy = 1\ndx = dy * q\ndw = dx + 1", "unknown_name"),
    ("x = 3\na = x * x\nb = 2 * x\nf = a + b\ndf = 1\nda = df\ndx = 2 * x * da", "grade_incomplete"),
    (_plant(STAGED, "dx += ((1 - sigx) * sigx) * dsigx", "dx = ((1 - sigx) * sigx) * dsigx"),
     "mistake_overwrite"),
    (_plant(STAGED, "dden = (-1.0 / (den**2)) * dinvden", "dden = (-1.0 / (den**2))"), "mistake_upstream"),
    (_plant(STAGED, "dden = (-1.0 / (den**2)) * dinvden", "dden = (1.0 / (den**2)) * dinvden"),
     "mistake_sign"),
    (_plant(STAGED, "dx += (1) * dnum", "dx += (1) * dnum * 2"), "mistake_wrong"),
    (_plant(STAGED, "dden = (-1.0 / (den**2)) * dinvden", "dden = (1.0 / (den**2)) * dinvden"),
     "mistake_propagated"),
    (_plant(VECTORIZED, "dW = dD.dot(X.T)", "dW = X.dot(dD.T)"), "mistake_transposed_shape"),
    (SQUARE + "dW = X.dot(dD.T)\n", "mistake_transposed"),
    ("W = [[1, 2, 3]]\nX = [[1], [2], [3]]\nD = W @ X\ndD = [[1]]\ndW = [1, 2]", "mistake_shape"),
    ("x = 3\nw = 2\ny = x * w\ndy = 1\ndx += dy * w\ndw = dx * 1", "grade_unknown"),
]


def _verdicts(src: str) -> list[dict]:
    return to_dict(evaluate(src))["handwritten"]


@pytest.mark.parametrize("src,code", VERDICT_CASES, ids=[c for _, c in VERDICT_CASES])
def test_every_verdict_code_is_produced_and_renders_in_both_languages(src, code):
    found = [v for v in _verdicts(src) if v["code"] == code]
    assert found, [(v["code"], v["message"]) for v in _verdicts(src)]
    for v in found:
        assert render(code, v["params"]) == v["message"]
        zh = render(code, v["params"], "zh")
        assert CJK.search(zh) and not SLOT.search(zh), zh


FLAG_CASES = [
    ("h = relu(x - 5)\nf = h * 2", {"x": 1}, "dead_relu_all"),
    ("h = relu(X @ W)\nf = sum(h)", {"X": [[1, 1], [2, 1]], "W": [[1, -1], [1, -1]]}, "dead_relu_units"),
    ("s = sigmoid(x * 30)\nf = s * 2", {"x": 1}, "saturated_all"),
    ("s = sigmoid(X * 30)\nf = sum(s)", {"X": [[1, 0.01], [2, 0.02]]}, "saturated_units"),
    ("s = sigmoid(X * 30)\nf = sum(s)", {"X": [[0.01, 1, -1], [1, 0.01, 2], [-2, 3, 0.01]]},
     "saturated_mostly"),
    ("s = sigmoid(x * 30)\nf = s * 2", {"x": 1}, "vanishing"),
    ("f = x ** 4 * 1e6", {"x": 10}, "exploding"),
    ("f = y * 2\nz = x", {"x": 1, "y": 2}, "no_influence_path"),
    ("f = relu(-y) * x", {"x": 1, "y": 2}, "no_influence_zero"),
    ("f = x * y + x", {"x": 1, "y": 2}, "top_many"),
    ("f = x * y", {"x": 1, "y": 2}, "top_one"),
]


@pytest.mark.parametrize("src,values,code", FLAG_CASES, ids=[c for *_, c in FLAG_CASES])
def test_every_diagnostics_code_is_produced_and_renders_in_both_languages(src, values, code):
    flags = diagnose(engine.evaluate(src, values))["flags"]
    found = [f for f in flags if f["code"] == code]
    assert found, [f["code"] for f in flags]
    for f in found:
        assert (render(code, f["params"]), render(f["title_code"], f["params"])) == (f["message"], f["title"])
        for c in (code, f["title_code"]):
            zh = render(c, f["params"], "zh")
            assert CJK.search(zh) and not SLOT.search(zh), zh
