"""What the language does not take says so in the dialect's own terms, and what to write instead."""

import pytest

from gatewise.engine import EngineError, build, evaluate

# (program, kind, line, column, words the message must contain)
UNSUPPORTED = [
    ("W = [[1, 2], [3, 4]]\nf = np.linalg.inv(W)", "name", 2, 5,
     ["np.linalg.inv is not supported", "np.exp"]),
    ("f = np.fft.fft(x)", "name", 1, 5, ["np.fft.fft is not supported"]),
    ("f = math.gamma(x)", "name", 1, 5, ["math.gamma is not supported", "math.exp"]),
    ("for i in range(3):\n    x = x + i", "syntax", 1, 1, ["loops are not part", "sum(x)"]),
    ("while x < 3:\n    x = x + 1", "syntax", 1, 1, ["loops"]),
    ("class Net:\n    pass", "syntax", 1, 1, ["classes are not part", "name = expression"]),
    ("def f(x=1):\n    return x", "syntax", 1, 8, ["default values", "every call passes every argument"]),
    ("print('loss')", "syntax", 1, 1, ["print is not needed"]),
    ("x = 1\nf = x + 'a'", "syntax", 2, 9, ["strings are not part", "numbers and nested lists"]),
    ("import torch\nf = 1", "syntax", 1, 1, ["import numpy as np", "import math"]),
    ("import numpy\nimport os\nf = 1", "syntax", 2, 1, ["'import os' is not accepted"]),
    ("from math import exp\nf = exp(1)", "syntax", 1, 1, ["from … import", "import math"]),
    ("x = 1\nf = x.foo", "syntax", 2, 6, [".exp()", ".T", ".shape"]),
    ("x = 1\nf = x.norm()", "syntax", 2, 7, ["'.norm()' is not a method", ".relu()"]),
    ("x = [1, 2]\nf = np.sum(x, axis=0)", "syntax", 2, 19, ["keyword arguments"]),
    ("x = 1\nf = x.grad", "name", 2, 6, ["shows them on the circuit"]),
    ("a, b = 1, 2", "syntax", 1, 2, ["tuple assignment", "one name = expression"]),
    ("x = 1\nf = x if x else 2", "syntax", 2, 7, ["max(a, b)"]),
    ("f = lambda x: x", "syntax", 1, 5, ["lambda is not part"]),
    ("f = np + 1", "value", 1, 5, ["np is a module"]),
    ("x = [1, 2]\nf = x.shape", "value", 2, 6, ["a shape or tuple is not a value"]),
    ("x = [1, 2]\nf = x * (2, 3)", "syntax", 2, 11, ["only a shape argument"]),
    ("f = *x", "syntax", 1, 5, ["expected a value"]),
    ("x = [1, 2]\nf = np.exp(*x)", "value", 2, 12, ["unpacks a shape only"]),
    ("np.random.seed(1.5)\nf = 1", "value", 1, 1, ["np.random.seed takes one whole number"]),
    ("f = np.zeros(2, 3)", "arity", 1, 5, ["a shape such as (2, 3)"]),
    ("f = Value(1, 2)", "arity", 1, 5, ["Value takes 1 argument"]),
    ("c += 1", "name", 1, 1, ["'c' has no value before 'c += …'"]),
    ("x = 1\nf = x\nf += 1 +=", "syntax", 3, 8, ["'+=' may only follow a name"]),
]


@pytest.mark.parametrize("src,kind,line,col,words", UNSUPPORTED,
                         ids=[c[0].split("\n")[-1][:30] for c in UNSUPPORTED])
def test_unsupported_forms_say_what_gatewise_takes(src, kind, line, col, words):
    with pytest.raises(EngineError) as info:
        evaluate(src, {"x": 1.0} if "x" in src and "x =" not in src else None)
    e = info.value
    assert (e.kind, e.line, e.column) == (kind, line, col), e
    for w in words:
        assert w in e.message, (w, e.message)
    assert "the only attribute is .T" not in e.message


@pytest.mark.parametrize("src", ["f = 2 ", "f = 2\t", "f = 2\r", "f = 2\f", "f = 2\v", "f = 2 \n  \t",
                                 "x = 1\nf = x * 2   \t", "f = (2 +\n 3) \r", "f = 2 # note  ", "f = 2\r\n",
                                 "  f = 2", "f = 2;  "])
def test_trailing_whitespace_of_any_kind_is_accepted(src):
    graph = evaluate(src)
    assert graph.values[graph.output] in (2.0, 5.0)


@pytest.mark.parametrize("src,col", [("f = (x + sigmoid(y", 17), ("f = [1, (2", 9), ("f = x.dot((y", 11),
                                     ("f = (x", 5), ("f = exp(x", 8)])
def test_an_unclosed_bracket_is_marked_where_it_opens(src, col):
    with pytest.raises(EngineError) as info:
        build(src, {"x": 1.0, "y": 2.0})
    assert (info.value.kind, info.value.line, info.value.column) == ("syntax", 1, col)
    assert "was never closed" in info.value.message


def test_a_mismatched_bracket_names_where_the_opener_is():
    with pytest.raises(EngineError) as info:
        build("f = exp(x]", {"x": 1.0})
    assert "'(' at line 1, column 8" in info.value.message


def test_free_names_are_an_error_by_default_and_inputs_on_request():
    with pytest.raises(EngineError) as info:
        evaluate("f = x * y")
    assert info.value.kind == "name" and "'x' has no value" in info.value.message
    graph = evaluate("f = x * y", {"y": 3.0}, free=1.0)
    assert graph.free == ["x"] and graph.values[graph.inputs["x"]] == 1.0
    assert graph.grads[graph.inputs["x"]] == 3.0
    assert evaluate("a = 2\nf = a * z", free=0.5).free == ["z"]
    for bad in (True, "1", float("nan"), [1]):
        with pytest.raises(EngineError) as info:
            evaluate("f = x", free=bad)
        assert info.value.kind == "value"


def test_free_names_never_cover_a_typo_in_an_assigned_name_by_default():
    with pytest.raises(EngineError) as info:
        evaluate("rate = 2\nf = rat * 3")
    assert "'rat' has no value" in info.value.message
