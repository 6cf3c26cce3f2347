"""Every class of bad program raises engine.EngineError with a kind, a message and a position."""

from __future__ import annotations

import dataclasses

import pytest

from gatewise import engine
from gatewise.engine import EngineError, Limits, evaluate, to_dict

KINDS = {"syntax", "name", "arity", "shape", "value", "budget", "timeout"}


def error(src, values=None, **kw) -> EngineError:
    """The EngineError a program raises (fails if it raises nothing or something else)."""
    with pytest.raises(EngineError) as info:
        evaluate(src, values, **kw)
    e = info.value
    assert type(e) is EngineError and e.kind in KINDS
    assert e.to_dict() == {"message": e.message, "line": e.line, "column": e.column, "kind": e.kind,
                           "code": e.code, "params": e.params}
    assert e.message and str(e).startswith(e.message)
    return e


# (source, values, kind, line, column, words the message must contain); column None = don't pin it
CASES = [
    # syntax
    ("x $ 1", None, "syntax", 1, 3, ["$"]),
    ("x = 1\ny = x × 2", None, "syntax", 2, 7, ["×"]),
    ("'abc'", None, "syntax", 1, 1, ["string"]),
    ('x = "a"', None, "syntax", 1, 5, ["string"]),
    ("(1 + 2", None, "syntax", 1, 1, ["(", "closed"]),
    ("x = [1, 2", None, "syntax", 1, 5, ["[", "closed"]),
    ("(1 + 2]", None, "syntax", 1, 7, ["]"]),
    ("1 + 2)", None, "syntax", 1, 6, [")"]),
    ("f(1", None, "syntax", 1, None, ["closed"]),
    ("1 = 2", None, "syntax", 1, 3, ["="]),
    ("x = = 1", None, "syntax", 1, 5, ["="]),
    ("a + (b = 2)", {"a": 1, "b": 2}, "syntax", 1, 8, ["="]),
    ("lambda x: x", None, "syntax", 1, None, []),
    ("x = 1\nx.__class__", None, "syntax", 2, 2, [".T"]),
    ("__import__('os')", None, "syntax", 1, 12, ["string"]),
    ("[x for x in y]", {"x": 1, "y": 2}, "syntax", 1, 4, ["for"]),
    ("a = 1\nb = 2\nc = a +* b", None, "syntax", 3, 8, ["*"]),
    ("f = (1 +\n  $)", None, "syntax", 2, 3, ["$"]),
    ("1 2", None, "syntax", 1, 3, ["2"]),
    ("x = 1 + \\\n  $", None, "syntax", 2, 3, ["$"]),  # after a backslash continuation
    ("x = 1 # comment\ny = $", None, "syntax", 2, 5, ["$"]),
    ("x = 1\r\ny = x $", None, "syntax", 2, 7, ["$"]),  # CRLF line ends
    ("\tx = $", None, "syntax", 1, 6, ["$"]),  # a tab is one column
    ("x = 1;; y = $", None, "syntax", 1, 13, ["$"]),
    ("x = 1 +", None, "syntax", 1, 8, ["end"]),
    ("(1, 2)", None, "syntax", 1, 3, [","]),
    # a syntax error anywhere comes before a semantic one, as in Python (x, q and y have no value)
    ("f = (x", None, "syntax", 1, 5, ["(", "closed"]),
    ("x + 1\ny = $", None, "syntax", 2, 5, ["$"]),
    ("y = 2\nf = q * y\ng = (y", None, "syntax", 3, 5, ["(", "closed"]),
    ("sine(1)\n2 +", None, "syntax", 2, 4, ["end"]),
    ("", None, "syntax", None, None, ["empty"]),
    ("\n  \n# only a comment\n", None, "syntax", None, None, ["empty"]),
    # names and functions
    ("x + 1", None, "name", 1, 1, ["x"]),
    ("y = 2\ny + z", None, "name", 2, 5, ["z"]),
    ("sine(1)", None, "name", 1, 1, ["sine", "did you mean", "sin"]),
    ("softmux([1, 2])", None, "name", 1, 1, ["softmux", "softmax"]),
    ("blorp(1)", None, "name", 1, 1, ["blorp"]),
    ("sin + 1", None, "name", 1, 1, ["sin", "function"]),
    ("y = x * 2\nx = 3", {"x": 1}, "name", 2, None, ["x"]),
    ("x = 1\nx = 2", None, "name", 2, None, ["x"]),
    # arity
    ("max(1)", None, "arity", 1, 1, ["max", "2", "1"]),
    ("sin(1, 2)", None, "arity", 1, 1, ["sin"]),
    ("x = 1\ncross_entropy(x)", None, "arity", 2, 1, ["cross_entropy"]),
    ("sum()", None, "arity", 1, 1, ["sum"]),
    # shapes (the message names both shapes)
    ("[1, 2] + [1, 2, 3]", None, "shape", 1, None, ["(2,)", "(3,)"]),
    ("a * b", {"a": [[1, 2, 3], [4, 5, 6]], "b": [1, 2]}, "shape", 1, None, ["(2, 3)", "(2,)"]),
    ("A @ B", {"A": [[1, 2, 3], [4, 5, 6]], "B": [[1, 2, 3], [4, 5, 6]]}, "shape", 1, None, ["(2, 3)"]),
    ("x = 2\nx @ x", None, "shape", 2, None, ["scalar"]),
    ("softmax(x)", {"x": 1.0}, "shape", 1, 1, ["softmax", "scalar"]),
    ("rowmax(x)", {"x": 1.0}, "shape", 1, 1, ["scalar"]),
    ("[x, y]", {"x": [1, 2], "y": 3}, "shape", 1, 1, ["(2,)", "scalar"]),
    ("cross_entropy(z, l)", {"z": [[1, 2], [3, 4]], "l": [0, 1, 1]}, "shape", 1, 1, ["(3,)"]),
    # ragged lists: in the program and in values
    ("[[1, 2], [3]]", None, "shape", 1, 1, ["ragged"]),
    ("x = [[1, 2], [3]]\nx", None, "shape", 1, None, ["ragged"]),
    ("x * 2", {"x": [[1, 2], [3]]}, "shape", None, None, ["ragged"]),
    # labels and indices
    ("cross_entropy(z, l)", {"z": [[1, 2, 3], [3, 4, 5]], "l": [0, 3]}, "value", 1, 1, ["3", "range"]),
    ("cross_entropy(z, l)", {"z": [1, 2, 3], "l": -1}, "value", 1, 1, ["-1", "range"]),
    ("pick(z, l)", {"z": [[1, 2, 3], [3, 4, 5]], "l": [0, 1.5]}, "value", 1, 1, ["whole"]),
    ("x = 0\ny = 1 / x * 0\npick([1, 2], y)", None, "value", 3, 1, ["whole"]),
    ("x = [1, 2]\nx[5]", None, "value", 2, None, ["5", "range"]),
    ("x = [1, 2]\nx[1.5]", None, "value", 2, None, ["integer"]),
    ("x = [1, 2]\ni = 1\nx[i]", None, "value", 3, None, ["integer"]),
    ("x = [[1, 2]]\nx[0, 0, 0]", None, "shape", 2, None, ["indices"]),
    ("[]", None, "value", 1, 1, ["empty"]),
    # values that do not fit the program
    ("x * 2", {"x": 1, "y": 2}, "name", None, None, ["'y'", "not an input"]),
    ("a = x * 2\na + 1", {"x": 1, "a": 3}, "name", None, None, ["'a'"]),
    ("x * y", {"x": 1}, "name", 1, 5, ["y"]),
    ("x * 2", {"x": "3"}, "value", None, None, ["x"]),
    ("x * 2", {"x": None}, "value", None, None, ["x"]),
    ("x * 2", {"x": True}, "value", None, None, ["x"]),
    ("x * 2", {"x": {"a": 1}}, "value", None, None, ["x"]),
]


@pytest.mark.parametrize("src,values,kind,line,col,words", CASES, ids=[f"{c[2]}-{c[0]!r}" for c in CASES])
def test_error_kind_position_and_message(src, values, kind, line, col, words):
    e = error(src, values)
    assert e.kind == kind, e
    if line is not None:
        assert e.line == line, e
        assert isinstance(e.column, int) and e.column >= 1
    if col is not None:
        assert e.column == col, e
    for w in words:
        assert w in e.message, (w, e.message)


def test_errors_inside_an_expansion_point_at_the_call():
    e = error("y = 1\nloss = cross_entropy(z, l)", {"z": [[1, 2], [3, 4]], "l": [0, 5]}, expand=True)
    assert (e.kind, e.line, e.column) == ("value", 2, 8)


def test_unknown_function_lists_the_known_ones():
    e = error("foo(1)")
    assert "sigmoid" in e.message and "cross_entropy" in e.message


def test_program_must_be_text():
    assert error(None).kind == "syntax"


# ---- budgets: each limit, tightened with dataclasses.replace ------------------------------------

def tight(**kw) -> Limits:
    """The default limits with some tightened."""
    return dataclasses.replace(Limits(), **kw)


BUDGETS = [
    ("x = 1\ny = 2\nx + y", tight(max_source_chars=10), None),
    ("1\n2\n3\n4", tight(max_statements=3), (4, 1)),
    ("1; 2; 3; 4", tight(max_statements=3), (1, 10)),
    ("x = 1\ny = x + x + x + x", tight(max_nodes=3), (2, None)),
    ("((((1))))", tight(max_depth=3), (1, 4)),
    ("x = 1\n-(-(-(-x)))", tight(max_depth=3), (2, None)),
    ("x = [[1, 2], [3, 4]]\nx", tight(max_tensor_elements=3), (1, None)),
    ("x * 2", tight(max_tensor_elements=3), None),  # a too-large value in `values`
    ("y = x * x\ny + x", tight(max_total_elements=8), (2, 3)),
    ("A @ A", tight(max_matmul_work=100), (1, 3)),
]
BIG = {"x * 2": {"x": [1, 2, 3, 4]}, "A @ A": {"A": [[1.0] * 5] * 5}, "y = x * x\ny + x": {"x": [1, 2, 3]}}


@pytest.mark.parametrize("src,limits,pos", BUDGETS, ids=[f"{k}-{b[0]!r}" for k, b in enumerate(BUDGETS)])
def test_budgets(src, limits, pos):
    values = BIG.get(src)
    evaluate(src, values)  # fine under the default limits
    e = error(src, values, limits=limits)
    assert e.kind == "budget"
    if pos is not None:
        assert e.line == pos[0]
        if pos[1] is not None:
            assert e.column == pos[1]


def test_limits_fields_are_the_contract():
    names = {f.name for f in dataclasses.fields(Limits)}
    assert names >= {"max_source_chars", "max_statements", "max_nodes", "max_depth", "max_tensor_elements",
                     "max_total_elements", "max_matmul_work", "time_budget"}
    with pytest.raises(dataclasses.FrozenInstanceError):
        Limits().max_nodes = 1  # type: ignore[misc]


def test_budget_limits_are_exact():
    # at the limit passes, one over fails
    evaluate("1; 2; 3", limits=tight(max_statements=3))
    evaluate("x = [[1, 2], [3, 4]]\nx", limits=tight(max_tensor_elements=4))
    evaluate("((1))", limits=tight(max_depth=2))
    assert error("(((1)))", limits=tight(max_depth=2)).kind == "budget"
    evaluate("x = 1\ny = 2\nx + y", limits=tight(max_source_chars=17))
    assert error("x = 1\ny = 2\nx + y", limits=tight(max_source_chars=16)).kind == "budget"


def test_budget_is_checked_before_the_memory_is_allocated():
    # 10^5 x 10^5 would be 80 GB: the shape is known before anything is computed.
    e = error("sum(a @ b)", {"a": [[1.0]] * 100_000, "b": [[1.0] * 100_000]},
              limits=tight(max_tensor_elements=1_000_000))
    assert e.kind == "budget"


def _long_program(n: int) -> str:
    """A chain of n statements."""
    return "\n".join(["v0 = 1"] + [f"v{i} = v{i - 1} * 1.0001 + sin(v{i - 1})" for i in range(1, n)])


def test_time_budget_zero_on_a_big_program():
    assert error(_long_program(3000), limits=tight(time_budget=0.0)).kind == "timeout"


def test_tiny_time_budget_stops_the_work():
    import time

    # cheap to tokenize, costly to run: 3,000 chained 60x60 products
    src = "h0 = x\n" + "\n".join(f"h{i} = tanh(h{i - 1} @ W)" for i in range(1, 3000)) + "\nsum(h2999)"
    values = {"x": [[1.0] * 60] * 60, "W": [[0.9 * (i == j) for j in range(60)] for i in range(60)]}
    start = time.monotonic()
    evaluate(src, values)
    full = time.monotonic() - start
    start = time.monotonic()
    assert error(src, values, limits=tight(time_budget=0.01)).kind == "timeout"
    assert time.monotonic() - start < 0.5 * full  # it stopped early, not just reported late


def test_time_budget_covers_tokenizing():
    src = "x = 1\n" + "x = x + 1\n" * 200_000  # 2 MB of cheap statements, tokenized in ~0.5 s
    with pytest.raises(EngineError) as info:
        evaluate(src, limits=tight(time_budget=0.01))
    assert info.value.kind == "timeout"
    # It stopped inside the tokenizer, not after it: asserted on the stack, not on a clock (the
    # wall-clock form of this test failed on a loaded machine).
    assert any(entry.name == "tokenize" for entry in info.traceback)


def test_gradcheck_respects_the_time_budget():
    with pytest.raises(EngineError) as info:
        engine.gradcheck(_long_program(3000), limits=tight(time_budget=0.0))
    assert info.value.kind == "timeout"


# ---- empty tensors from `values`: a value or an EngineError, never a NumPy exception ------------

def _empty_programs():
    """Every function and operator applied to empty tensors."""
    progs = []
    for fname, opname in sorted(engine.FUNCTIONS.items()):
        args = ", ".join(["x", "y"][: len(engine.OPS[opname].params)])
        progs.append(f"{fname}({args})")
    return progs + ["x + y", "x * y", "x ** y", "x / y", "-x", "x @ y", "x.T", "[x, y]", "x[0]"]


@pytest.mark.filterwarnings("ignore:Mean of empty slice", "ignore:invalid value encountered")
@pytest.mark.parametrize("shape", [[], [[]], [[], []]], ids=["(0,)", "(1,0)", "(2,0)"])
@pytest.mark.parametrize("src", _empty_programs())
def test_empty_tensors_give_a_value_or_an_engine_error(src, shape):
    import json

    try:
        d = to_dict(evaluate(src, {"x": shape, **({"y": shape} if "y" in src else {})}))
    except EngineError as e:
        assert e.kind in ("shape", "value") and e.line == 1
        return
    json.dumps(d, allow_nan=False)


def test_empty_reductions():
    assert to_dict(evaluate("sum(x)", {"x": []}))["nodes"][-1]["value"] == 0.0
    d = to_dict(evaluate("mean(x)", {"x": []}))
    assert d["nodes"][-1]["value"] == "NaN" and d["nodes"][0]["grad"] == []
    for src in ("softmax(x)", "rowmax(x)", "rowsum(x)", "cross_entropy(x, y)"):
        assert error(src, {"x": [[]], "y": [0]}).kind == "shape"


@pytest.mark.parametrize("value", [10**400, [1, 10**400]], ids=["int", "list"])
def test_huge_integer_values(value):
    with pytest.raises(EngineError) as info:
        evaluate("x * 2", {"x": value})
    assert info.value.kind == "value" and "too large" in info.value.message
