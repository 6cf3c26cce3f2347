"""User-defined functions (def): parsing, gradients through calls, folding, and every error."""

import numpy as np
import pytest
from gradutil import assert_grads_match, decode, graph, input_grads, nodes_by_id

from gatewise.engine import EngineError, Limits, build, evaluate, to_dict
from gatewise.engine.lang.functions import FOLD_ABOVE

LAYER = "def layer(x, W, b): return sigmoid(x @ W + b)\n"
NET = LAYER + """def mlp(x, W1, b1, W2, b2):
    h = layer(x, W1, b1)
    z = h @ W2 + b2
    return mse(z, [[0.5], [-0.25]])
loss = mlp(X, W1, b1, W2, b2)
"""
NET_VALUES = {"X": [[0.3, -1.2, 0.8], [1.5, 0.1, -0.4]], "W1": [[0.2, -0.5], [0.7, 0.1], [-0.3, 0.9]],
              "b1": [0.05, -0.1], "W2": [[1.1], [-0.6]], "b2": [0.2]}
SCALAR = """def neuron(w0, x0, w1, x1, w2):
    s = w0 * x0 + w1 * x1 + w2
    return 1 / (1 + exp(-s))
def square(a): return a * a
f = square(neuron(w0, x0, w1, x1, w2)) + neuron(x0, w0, x1, w1, w2)
"""
SCALAR_VALUES = {"w0": 2.0, "x0": -1.0, "w1": -3.0, "x1": -2.0, "w2": -3.0}


def _error(src, values=None, **kw) -> EngineError:
    with pytest.raises(EngineError) as info:
        evaluate(src, values, **kw)
    return info.value


# ---- parsing and numbers ------------------------------------------------------------------------

def test_one_line_def_is_a_sigmoid_layer():
    """`def layer(x, W, b): return sigmoid(x @ W + b)` computes what the statements would."""
    values = {"X": [[1.0, 2.0]], "W": [[0.5], [-1.0]], "b": [0.1]}
    d = graph(LAYER + "h = layer(X, W, b)", values)
    inline = graph("h = sigmoid(X @ W + b)", values)
    assert np.array_equal(decode(nodes_by_id(d)[d["output"]]["value"]),
                          decode(nodes_by_id(inline)[inline["output"]]["value"]))
    for name, grad in input_grads(d).items():
        assert np.array_equal(grad, input_grads(inline)[name]), name


def test_gradients_through_nested_calls_match_central_differences():
    """A function calling a function, with tensors, matmuls and a composite loss: float64 FD."""
    assert_grads_match(NET, NET_VALUES)


def test_scalar_gradients_through_calls_match_central_differences():
    """Calls inside call arguments, the same function called twice with swapped arguments."""
    assert_grads_match(SCALAR, SCALAR_VALUES)


def test_indented_body_of_several_statements_and_comments():
    src = """def f(a, b):
    # a comment line, and a blank one

    c = a * b   # trailing comment
    c += a
    d = (c +
         b)       # a bracket joins lines, as in Python
    return d * 2
y = f(x, 3)
"""
    d = graph(src, {"x": 2.0})
    assert decode(nodes_by_id(d)[d["output"]]["value"]) == ((2 * 3 + 2) + 3) * 2
    assert input_grads(d)["x"] == 2 * (3 + 1)


def test_body_names_show_inside_the_call_and_the_callers_name_on_its_result():
    d = graph("def f(a):\n    t = a * 3\n    return t + 1\ny = f(x)", {"x": 1.0})
    names = {n["name"] for n in d["nodes"]}
    assert {"t", "y"} <= names
    (group,) = d["groups"].values()
    assert group["function"] and group["op"] == "f" and nodes_by_id(d)[group["output"]]["name"] == "y"


def test_each_call_is_a_group_named_by_its_function():
    d = graph(SCALAR, SCALAR_VALUES)
    calls = {g["op"]: 0 for g in d["groups"].values()}
    for g in d["groups"].values():
        calls[g["op"]] += 1
    assert calls == {"neuron": 2, "square": 1}
    assert d["functions"]["neuron"]["params"] == ["w0", "x0", "w1", "x1", "w2"]
    assert len(d["functions"]["neuron"]["calls"]) == 2 and d["folded"] == []


def test_a_function_defined_after_its_caller_is_found_when_the_call_runs():
    src = "def f(a): return g(a) * 2\ndef g(b): return b + 1\ny = f(x)"
    d = graph(src, {"x": 4.0})
    assert decode(nodes_by_id(d)[d["output"]]["value"]) == 10.0


def test_constants_and_modules_are_visible_in_a_body():
    d = graph("import numpy as np\ndef f(a): return np.exp(a) * pi\ny = f(x)", {"x": 0.0})
    assert decode(nodes_by_id(d)[d["output"]]["value"]) == pytest.approx(np.pi)


# ---- folded and unfolded: the same numbers ----------------------------------------------------

def _numbers(d):
    by_id = nodes_by_id(d)
    return {k: (decode(by_id[k]["value"]), decode(by_id[k]["grad"])) for k in d["inputs"].values()}


@pytest.mark.parametrize("src, values", [(NET, NET_VALUES), (SCALAR, SCALAR_VALUES)])
def test_folded_and_unfolded_numbers_are_equal(src, values):
    """Output value and gradient, and every input's gradient, identical folded and unfolded."""
    open_, shut = graph(src, values), graph(src, values, fold=True)
    assert shut["folded"] and not open_["folded"]
    assert open_["output"] != shut["output"] or src is SCALAR
    for a, b in zip(_numbers(open_).values(), _numbers(shut).values()):
        for x, y in zip(a, b):
            assert np.array_equal(x, y)
    out_open = nodes_by_id(open_)[open_["output"]]
    out_shut = nodes_by_id(shut)[shut["output"]]
    assert out_open["value"] == out_shut["value"] and out_open["grad"] == out_shut["grad"]


def test_a_folded_call_sends_back_what_its_body_sends():
    """Its edges carry the sum of the body's contributions per argument; the local is d f/d a."""
    d = graph(SCALAR, SCALAR_VALUES, fold=True)
    by_id = nodes_by_id(d)
    folded = [by_id[k] for k in d["folded"]]
    assert {n["function"] for n in folded} == {"neuron", "square"}
    assert all(n["composite"] and n["label"] == n["function"] for n in folded)
    sq = next(n for n in folded if n["function"] == "square")
    (edge,) = [e for e in d["edges"] if e["target"] == sq["id"]]
    s = decode(by_id[edge["source"]]["value"])
    assert edge["local"] == pytest.approx(2 * s, rel=1e-12)
    assert edge["contribution"] == pytest.approx(2 * s * sq["grad"], rel=1e-12)
    assert edge["formula"] == "∂square/∂a"
    # The inputs' gradients are the sums of the contributions on their wires.
    for name, key in d["inputs"].items():
        sent = sum(e["contribution"] for e in d["edges"] if e["source"] == key)
        assert sent == pytest.approx(by_id[key]["grad"], rel=1e-12), name


def test_folded_local_gradient_equals_central_differences():
    src = "def f(a, b):\n    c = a * b\n    return tanh(c) + a ** 2\ny = f(x, z) * 3"
    d = graph(src, {"x": 0.7, "z": -1.3}, fold=True)
    (edge,) = [e for e in d["edges"] if e["target"] == d["folded"][0] and e["port"] == 0]
    h = 1e-6
    num = (np.tanh((0.7 + h) * -1.3) + (0.7 + h) ** 2 - np.tanh((0.7 - h) * -1.3) - (0.7 - h) ** 2) / (2 * h)
    assert edge["local"] == pytest.approx(num, rel=1e-7)


def test_one_argument_passed_twice_is_one_wire_with_both_shares():
    d = graph("def f(a, b): return a * b + a\ny = f(x, x)", {"x": 3.0}, fold=True)
    (edge,) = [e for e in d["edges"] if e["target"] == d["folded"][0]]
    assert edge["formula"] == "∂f/∂a + ∂f/∂b" and edge["local"] == 2 * 3 + 1 == edge["contribution"]


def test_fold_and_expand_choose_calls_by_id():
    d = graph(SCALAR, SCALAR_VALUES)
    ids = d["functions"]["neuron"]["calls"]
    one = graph(SCALAR, SCALAR_VALUES, fold=[ids[0]])
    assert one["folded"] == [ids[0]] and ids[1] in one["groups"] and ids[0] not in one["groups"]
    with pytest.raises(EngineError, match="fold names 'n999'"):
        evaluate(SCALAR, SCALAR_VALUES, fold=["n999"])


def test_large_programs_open_with_repeated_calls_folded():
    """Above FOLD_ABOVE nodes the calls of a function called more than once start folded."""
    lines = ["def block(a, w, b):\n    h = tanh(a * w + b)\n    return h + a * 0.5", "a0 = 0.1"]
    lines += [f"a{i} = block(a{i - 1}, w, b)" for i in range(1, 400)]
    src = "\n".join(lines)
    d = graph(src, {"w": 0.9, "b": 0.1})
    assert len(build(src, {"w": 0.9, "b": 0.1})) > FOLD_ABOVE
    assert len(d["folded"]) == 399 and len(d["nodes"]) < 420 and d["groups"] == {}
    opened = d["folded"][5]
    d2 = graph(src, {"w": 0.9, "b": 0.1}, expand=[opened])
    assert opened in d2["groups"] and opened not in d2["folded"] and len(d2["folded"]) == 398
    assert graph(src, {"w": 0.9, "b": 0.1}, expand=True)["folded"] == []
    small = graph("\n".join(lines[:12]), {"w": 0.9, "b": 0.1})
    assert small["folded"] == [] and len(small["groups"]) == 10


def test_a_composite_inside_a_call_expands_by_its_own_id():
    values = {"X": [[1.0, 2.0]], "W": [[0.5], [-1.0]], "b": [0.1]}
    d = graph(LAYER + "h = layer(X, W, b)", values)
    sig = next(n["id"] for n in d["nodes"] if n["op"] == "sigmoid")
    e = graph(LAYER + "h = layer(X, W, b)", values, expand=[sig])
    assert e["groups"][sig]["op"] == "sigmoid" and "exp" in {n["op"] for n in e["nodes"]}
    assert _numbers(d).keys() == _numbers(e).keys()


# ---- errors ---------------------------------------------------------------------------------------

SYNTAX = [
    ("def f(x):\nreturn x", 2, 1, "expected an indented block"),
    ("def f(x):\n    y = x\n      return y", 3, 7, "unexpected indent"),
    ("def f(x):\n    y = x\n  return y", 3, 3, "unindent does not match"),
    ("def f(x):\n    y = x\n\treturn y", 3, 2, "inconsistent use of tabs and spaces"),
    ("def f(x):\n    y = x * 2\ny = f(1)", 1, 1, "f has no return"),
    ("def f(x):\n    return x\n    y = 2", 3, 5, "after the return of f"),
    ("def f(x): return x; y = 2", 1, 21, "after the return of f"),
    ("def f(x): y = x\n    return y", 2, 5, "unexpected indent"),
    ("def f(x):\n    def g(y):\n        return y\n    return g(x)", 2, 5, "a def inside a function"),
    ("def f(x=1):\n    return x", 1, 8, "default values"),
    ("def f(*args):\n    return 1", 1, 7, "*args"),
    ("def f(x, **kw):\n    return x", 1, 10, "**kwargs"),
    ("def f(x, x):\n    return x", 1, 10, "duplicate parameter 'x'"),
    ("def f(x: float):\n    return x", 1, 8, "annotations"),
    ("def f(x) -> float:\n    return x", 1, 10, "return annotations"),
    ("def f(x)\n    return x", 1, 9, "expected ':'"),
    ("def (x):\n    return x", 1, 5, "expected the function's name"),
    ("def f(x):\n    return\ny = 1", 2, 5, "return needs a value"),
    ("return 3", 1, 1, "return belongs in a function body"),
    ("x = 1\ny = f(x)\nz = (", 3, 5, "'(' was never closed"),  # syntax comes before the name error
]


@pytest.mark.parametrize("src, line, column, words", SYNTAX)
def test_syntax_errors_have_line_and_column(src, line, column, words):
    e = _error(src, {})
    assert (e.kind, e.line, e.column) == ("syntax", line, column), e
    assert words in e.message


NAMES = [
    ("def f(a): return a * z\ny = f(1)", "name", 1, 22, "'z' is not defined in f"),
    ("x = 2\ndef f(a): return a * x\ny = f(1)", "name", 2, 22, "not the program's"),
    ("def f(a): return f(a)\ny = f(1)", "name", 1, 18, "f calls itself"),
    ("def f(a): return g(a)\ndef g(b): return f(b)\ny = f(1)", "name", 2, 1, "g → f → g"),
    ("y = f(1)\ndef f(a): return a", "name", 1, 5, "called before its definition (line 2)"),
    ("def f(a, b): return a * b\ny = f(1)", "arity", 2, 5, "f takes 2 arguments (a, b), got 1"),
    ("def f(a): return a\ny = f(1, 2, 3)", "arity", 2, 5, "f takes 1 argument (a), got 3"),
    ("x = 2\ndef f(x): return x * 2\ny = f(x)", "name", 2, 1, "has the name of the program's input 'x'"),
    ("def f(exp): return exp * 2\ny = f(1)", "name", 1, 1, "parameter 'exp' of f"),
    ("def exp(a): return a\ny = exp(1)", "name", 1, 1, "'exp' is built in"),
    ("def f(a): return a\ndef f(b): return b\ny = f(1)", "name", 2, 1, "f is defined twice (lines 1 and 2)"),
    ("def f(a): return a * 2\nf = 3", "name", 2, 1, "'f' is a function"),
    ("def f(a): return a * 2\ny = f + 1", "name", 2, 5, "'f' is a function"),
    ("def f(a):\n    b += a\n    return b\ny = f(1)", "name", 2, 5, "'b' has no value in f"),
    ("def f(a, b): return a @ b\ny = f([1, 2], [1, 2, 3])", "shape", 1, 23, "(in f, called at line 2)"),
]


@pytest.mark.parametrize("src, kind, line, column, words", NAMES)
def test_name_arity_and_scope_errors(src, kind, line, column, words):
    e = _error(src, {})
    assert (e.kind, e.line, e.column) == (kind, line, column), e
    assert words in e.message


def test_a_parameter_may_share_the_name_of_an_input_assigned_after_the_def():
    """Only a name the program already has when the def comes is refused (it would read as a global)."""
    d = graph("def f(x): return x * 2\nx = 3\ny = f(x)", {})
    assert input_grads(d)["x"] == 2.0


# ---- budgets --------------------------------------------------------------------------------------

def test_calls_count_against_the_node_budget_before_they_are_built():
    """10,000 calls of a 5-gate body under a 2,000-node budget: refused at the call that would pass it."""
    body = "def f(a):\n    b = a * 2 + 1\n    return b * b - a\n"
    src = body + "x0 = 1\n" + "\n".join(f"x{i} = f(x{i - 1})" for i in range(1, 10_001))
    limits = Limits(max_nodes=2_000)
    with pytest.raises(EngineError) as info:
        build(src, {}, limits=limits)
    e = info.value
    assert e.kind == "budget" and "this call of f adds 6" in e.message
    assert e.line < 500  # stopped near the 400th call, not after parsing all 10,000


def test_nested_calls_are_charged_as_their_whole_expansion():
    """Six levels of ten calls each: 10^6 gates, refused before any of the outer call is built."""
    src = ["def f0(a): return a * 2"]
    for k in range(1, 7):
        calls = " + ".join([f"f{k - 1}(a)"] * 10)
        src.append(f"def f{k}(a): return {calls}")
    src.append("y = f6(x)")
    with pytest.raises(EngineError) as info:
        build("\n".join(src), {"x": 1.0}, limits=Limits(max_nodes=100_000))
    assert info.value.kind == "budget" and "this call of f6 adds" in info.value.message
    assert info.value.line == 8


def test_calls_count_against_the_statement_budget():
    src = "def f(a):\n" + "".join(f"    a = a + {k}\n" for k in range(20)) + "    return a\n"
    src += "\n".join(f"y{i} = f(x)" for i in range(10))
    with pytest.raises(EngineError, match="counting each call's body") as info:
        build(src, {"x": 1.0}, limits=Limits(max_statements=150))
    assert info.value.kind == "budget"


def test_calls_count_against_the_element_and_work_budgets():
    src = "def f(A, B): return A @ B\n" + "\n".join(f"y{i} = f(A, B)" for i in range(50))
    values = {"A": np.ones((20, 20)).tolist(), "B": np.ones((20, 20)).tolist()}
    with pytest.raises(EngineError, match="multiply-adds") as info:
        build(src, values, limits=Limits(max_matmul_work=200_000))
    assert info.value.kind == "budget"
    with pytest.raises(EngineError, match="elements in all"):
        build(src, values, limits=Limits(max_total_elements=10_000))


def test_calls_nested_too_deep_are_a_budget_error():
    src = ["def f0(a): return a + 1"] + [f"def f{k}(a): return f{k - 1}(a)" for k in range(1, 100)]
    with pytest.raises(EngineError, match="nested more than 64 deep") as info:
        build("\n".join(src) + "\ny = f99(x)", {"x": 1.0})
    assert info.value.kind == "budget"


def test_the_time_budget_stops_a_long_unrolling():
    src = "def f(a):\n" + "".join("    a = a * 1.0001 + 0.1\n" for _ in range(50)) + "    return a\n"
    src += "\n".join(f"x{i} = f(x{i - 1})" if i else "x0 = 1" for i in range(2000))
    with pytest.raises(EngineError) as info:
        evaluate(src, {}, limits=Limits(time_budget=0.05))
    assert info.value.kind == "timeout"


def test_to_dict_of_a_folded_graph_keeps_the_contract():
    """Every edge's ends are nodes of the answer; forward lists them in order."""
    d = to_dict(evaluate(NET, NET_VALUES, fold=True))
    ids = [n["id"] for n in d["nodes"]]
    assert d["forward"] == ids and d["backward"] == ids[::-1] and d["output"] in ids
    assert all(e["source"] in ids and e["target"] in ids for e in d["edges"])
    assert all(s in ids for n in d["nodes"] for s in n["inputs"])
