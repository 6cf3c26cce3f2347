"""Every other spelling of an op (np.exp, math.exp, x.exp(), W.dot(X), x.T) builds the same graph.

The cases are generated from the op records' `spellings`, so a spelling added to a record is tested
without touching this file.
"""

import numpy as np
import pytest

from gatewise import engine
from gatewise.engine import EngineError, evaluate, to_dict
from gatewise.engine.ops.arith import CONSTANT_SPELLINGS


def _values(op) -> dict:
    """Inputs of the op's parameters: positive, distinct (no kinks, no ties), shapes that fit."""
    rng = np.random.default_rng(len(op.name))
    if op.name == "matmul":
        return {"a": rng.uniform(0.2, 1.5, (2, 3)).tolist(), "b": rng.uniform(0.2, 1.5, (3, 2)).tolist()}
    return {p: rng.uniform(0.2, 1.5, (2, 3)).tolist() for p in op.params}


def _form(spelling: str, params: tuple) -> str:
    """The call written in one spelling: a function, a method, or an attribute."""
    if spelling.endswith("()"):
        return f"{params[0]}{spelling[:-1]}{', '.join(params[1:])})"
    if spelling.startswith("."):
        return f"{params[0]}{spelling}"
    return f"{spelling}({', '.join(params)})"


CASES = [(op, s) for op in engine.OPS.values() for s in op.spellings]


def _numbers(src: str, values: dict) -> list:
    """Each node's op, value and gradient."""
    return [(n["op"], n["value"], n["grad"]) for n in to_dict(evaluate(src, values))["nodes"]]


def test_every_op_the_issue_names_has_its_spellings():
    spelled = {s for _, s in CASES}
    for s in ("math.exp", "math.log", "math.sqrt", "math.tanh", "math.sin", "math.cos", "np.exp", "np.log",
              "np.sqrt", "np.tanh", "np.abs", "np.maximum", "np.minimum", "np.dot", "np.matmul", "np.sum",
              "np.mean", "np.transpose", ".exp()", ".log()", ".tanh()", ".sigmoid()", ".relu()", ".abs()",
              ".sum()", ".mean()", ".dot()", ".T", ".transpose()"):
        assert s in spelled, s


@pytest.mark.parametrize("op,spelling", CASES, ids=[s for _, s in CASES])
def test_a_spelling_gives_the_gatewise_spellings_numbers(op, spelling):
    values = _values(op)
    ours = f"f = {op.syntax}\nL = sum(f * f)"
    theirs = f"import numpy as np\nimport math\nf = {_form(spelling, op.params)}\nL = sum(f * f)"
    assert _numbers(theirs, values) == _numbers(ours, values)
    if "." in spelling:
        assert spelling in to_dict(evaluate(theirs, values))["spelled"].values()


@pytest.mark.parametrize("spelling", sorted(CONSTANT_SPELLINGS))
def test_module_constants(spelling):
    assert _numbers(f"f = x * {spelling}", {"x": 2}) == _numbers(f"f = x * {CONSTANT_SPELLINGS[spelling]}",
                                                                 {"x": 2})


def test_the_op_table_lists_spellings():
    table = {o["name"]: o for o in engine.op_table()}
    assert table["exp"]["spellings"] == list(engine.OPS["exp"].spellings)
    assert "np.dot" in table["matmul"]["spellings"] and ".T" in table["transpose"]["spellings"]


@pytest.mark.parametrize("sym", ["+", "-", "*", "/"])
def test_augmented_assignment_rebinds(sym):
    ours = f"c = x\nc = c {sym} (c + 1)\nf = c * 2"
    theirs = f"c = x\nc {sym}= c + 1\nf = c * 2"
    assert _numbers(theirs, {"x": 1.5}) == _numbers(ours, {"x": 1.5})


@pytest.mark.parametrize("theirs,ours", [
    ("a = Value(-4.0)\nf = a * a", "a = -4.0\nf = a * a"),
    ("W = np.array([[1, 2], [3, 4]])\nf = sum(W * W)", "W = [[1, 2], [3, 4]]\nf = sum(W * W)"),
    ("Z = np.zeros((2, 3))\nf = sum(x * (Z + 1))", "Z = [[0, 0, 0], [0, 0, 0]]\nf = sum(x * (Z + 1))"),
    ("O = np.ones(3)\nf = sum(x * O)", "O = [1, 1, 1]\nf = sum(x * O)"),
    ("O = np.ones_like(x)\nf = sum(x * O)", "O = [1, 1, 1]\nf = sum(x * O)"),
    ("O = np.zeros(x.shape) + 1\nf = sum(x * O)", "O = [1, 1, 1]\nf = sum(x * O)"),
])
def test_constructors_are_literals(theirs, ours):
    values = {"x": [1.0, 2.0, 3.0]} if "x" in ours else {}
    a, b = evaluate(theirs, values), evaluate(ours, values)
    assert a.values[a.output] == b.values[b.output]
    for name in set(a.inputs) & set(b.inputs):
        np.testing.assert_array_equal(a.grads[a.inputs[name]], b.grads[b.inputs[name]])


def test_random_inputs_are_reproducible_and_can_be_replaced():
    src = "W = np.random.randn(3, 4)\nV = np.random.rand(4)\nf = sum(W @ V)"
    g1, g2 = evaluate(src), evaluate(src)
    W = g1.values[g1.inputs["W"]]
    assert W.shape == (3, 4) and np.array_equal(W, g2.values[g2.inputs["W"]])
    V = g1.values[g1.inputs["V"]]
    assert ((V >= 0) & (V < 1)).all()
    assert not np.array_equal(W, evaluate(src + "\n").values[0])  # seeded from the program
    given = evaluate(src, {"W": np.ones((3, 4)).tolist()})
    assert np.array_equal(given.values[given.inputs["W"]], np.ones((3, 4)))


def test_random_shapes_are_checked_before_drawing():
    with pytest.raises(EngineError) as info:
        evaluate("W = np.random.randn(100000, 100000)\nf = sum(W)")
    assert info.value.kind == "budget" and (info.value.line, info.value.column) == (1, 5)
    for bad in ("np.random.randn(-1)", "np.random.randn(2.5)", "np.random.randn(x)"):
        with pytest.raises(EngineError) as info:
            evaluate(f"W = {bad}\nf = sum(W)", {"x": 1} if "x" in bad else None)
        assert info.value.kind == "value" and "shape" in info.value.message


def test_micrograds_backward_call_picks_the_output():
    graph = evaluate("a = 2\nb = a * 3\nc = b + 1\nb.backward()")
    assert graph.names[graph.output] == "b"
    assert graph.grads[graph.inputs["a"]] == 3.0
