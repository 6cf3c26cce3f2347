"""The graph JSON contract (README, "REST API"): fields, order, seeds, strict JSON, fan-out, edge numbers."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from gradutil import decode, graph, nodes_by_id

from gatewise import engine

NODE_KEYS = {"id", "op", "kind", "label", "name", "inputs", "shape", "value", "grad", "line", "col", "group",
             "composite"}
EDGE_KEYS = {"id", "source", "target", "port", "formula", "formula_tex", "local", "contribution",
             "differentiable"}
TOP_KEYS = {"output", "seed", "note", "inputs", "forward", "backward", "groups", "nodes", "edges"}

PROGRAMS = [
    ("x = 3\ny = -4\nf = (x + sigmoid(y)) / (sigmoid(x) + (x + y)**2)", None),
    ("a = x * y\nb = a + x\nc = a * b - b", {"x": 1.5, "y": -0.5}),
    ("h = relu(X @ W + b)\ncross_entropy(h, labels)",
     {"X": [[1, 2], [3, -4], [0.5, 0.1]], "W": [[0.1, -0.2, 0.3], [0.4, 0.5, -0.6]], "b": [0.1, 0.2, -0.3],
      "labels": [0, 2, 1]}),
    ("s = softmax(z)\ns * w + s", {"z": [[1, 2, 3], [0, -1, 4]], "w": [1, 2, 3]}),
    ("v = [x, y, x * y]\nmse(v, t) + v[1] + sum(v.T)", {"x": 0.5, "y": 2.0, "t": [1, 2, 3]}),
    ("a = x * 2\nb = x + 1\nb * 3", {"x": 0.5}),  # a is dead code: no gradient reaches it
]
IDS = ["cs231n", "staged-fanout", "mlp", "softmax-broadcast", "stack-index", "dead-code"]


@pytest.fixture(params=[False, True], ids=["folded", "expanded"])
def expand(request):
    """Run each contract test on both forms of the composites."""
    return request.param


@pytest.mark.parametrize("src,values", PROGRAMS, ids=IDS)
def test_fields_and_types(src, values, expand):
    d = graph(src, values, expand=expand)
    assert set(d) >= TOP_KEYS
    ops = {o["name"]: o for o in engine.op_table()}
    for n in d["nodes"]:
        assert set(n) >= NODE_KEYS, NODE_KEYS - set(n)
        assert n["kind"] in ("input", "const", "op")
        assert isinstance(n["line"], int) and n["line"] >= 1 and isinstance(n["col"], int) and n["col"] >= 1
        assert np.shape(decode(n["value"])) == tuple(n["shape"])
        if n["kind"] == "op":
            assert n["label"] == ops[n["op"]]["symbol"]
            assert n["composite"] == ops[n["op"]]["composite"]
        else:
            assert n["op"] == n["kind"] and n["inputs"] == [] and n["composite"] is False
        if n["kind"] == "input":
            assert n["label"] == n["name"] and d["inputs"][n["name"]] == n["id"]
        if n["kind"] == "const":
            assert n["grad"] is None  # constants get no gradient
        if n["grad"] is not None:
            assert np.shape(decode(n["grad"])) == tuple(n["shape"])
    by_id = nodes_by_id(d)
    for e in d["edges"]:
        assert set(e) >= EDGE_KEYS, EDGE_KEYS - set(e)
        target = by_id[e["target"]]
        assert e["id"] == f"{e['target']}:{e['port']}"
        assert target["inputs"][e["port"]] == e["source"]
        op = ops[target["op"]]
        k = min(e["port"], len(op["formulas"]) - 1)  # stack is variadic with one formula
        assert (e["formula"], e["formula_tex"]) == (op["formulas"][k], op["formulas_tex"][k])
    # one edge per (target, port)
    assert sorted(e["id"] for e in d["edges"]) == sorted(
        f"{n['id']}:{p}" for n in d["nodes"] for p in range(len(n["inputs"])))


@pytest.mark.parametrize("src,values", PROGRAMS, ids=IDS)
def test_forward_is_topological_and_backward_its_reverse(src, values, expand):
    d = graph(src, values, expand=expand)
    ids = [n["id"] for n in d["nodes"]]
    assert sorted(d["forward"]) == sorted(ids) and len(set(ids)) == len(ids)
    seen = set()
    by_id = nodes_by_id(d)
    for key in d["forward"]:
        assert all(j in seen for j in by_id[key]["inputs"]), key
        seen.add(key)
    assert d["backward"] == d["forward"][::-1]
    assert d["output"] in ids


@pytest.mark.parametrize("src,values", PROGRAMS, ids=IDS)
def test_fan_out_contributions_add_up_to_the_grad(src, values, expand):
    d = graph(src, values, expand=expand)
    sums: dict = {}
    for e in d["edges"]:
        if e["contribution"] is not None:
            c = decode(e["contribution"])
            sums[e["source"]] = sums.get(e["source"], 0.0) + c
    for n in d["nodes"]:
        if n["id"] == d["output"] or n["grad"] is None:
            continue
        np.testing.assert_allclose(decode(n["grad"]), sums[n["id"]], rtol=1e-12, atol=1e-15, err_msg=n["id"])
    for e in d["edges"]:  # no contribution flows into a node that has no gradient
        if nodes_by_id(d)[e["source"]]["grad"] is None:
            assert e["contribution"] is None


def test_node_used_twice_has_two_edges():
    d = graph("x * x", {"x": 3.0})
    (mul,) = [n for n in d["nodes"] if n["op"] == "mul"]
    edges = [e for e in d["edges"] if e["target"] == mul["id"]]
    assert [e["source"] for e in edges] == [d["inputs"]["x"]] * 2
    assert [e["local"] for e in edges] == [3.0, 3.0] and [e["contribution"] for e in edges] == [3.0, 3.0]
    assert nodes_by_id(d)[d["inputs"]["x"]]["grad"] == 6.0

    d = graph("(x + x) * y", {"x": 3.0, "y": -2.0})
    (add,) = [n for n in d["nodes"] if n["op"] == "add"]
    edges = [e for e in d["edges"] if e["target"] == add["id"]]
    assert [e["local"] for e in edges] == [1.0, 1.0] and [e["contribution"] for e in edges] == [-2.0, -2.0]
    assert nodes_by_id(d)[d["inputs"]["x"]]["grad"] == -4.0


# Hand-written local derivatives per (op, port), for the no-tie, positive-domain values below.
def _sig(v):
    """Logistic function."""
    return 1.0 / (1.0 + math.exp(-v))


LOCALS = {
    "add": lambda a, b: (1.0, 1.0), "sub": lambda a, b: (1.0, -1.0), "mul": lambda a, b: (b, a),
    "div": lambda a, b: (1 / b, -a / b**2), "pow": lambda a, b: (b * a ** (b - 1), a**b * math.log(a)),
    "neg": lambda x: (-1.0,), "exp": lambda x: (math.exp(x),), "log": lambda x: (1 / x,),
    "sqrt": lambda x: (0.5 / math.sqrt(x),), "abs": lambda x: (math.copysign(1.0, x),),
    "sin": lambda x: (math.cos(x),), "cos": lambda x: (-math.sin(x),),
    "tanh": lambda x: (1 - math.tanh(x) ** 2,),
    "relu": lambda x: (float(x > 0),), "max": lambda a, b: (float(a > b), float(b > a)),
    "min": lambda a, b: (float(a < b), float(b < a)), "sigmoid": lambda x: (_sig(x) * (1 - _sig(x)),),
    "mse": lambda p, t: (2 * (p - t), -2 * (p - t)), "sum": lambda x: (1.0,), "mean": lambda x: (1.0,),
    "transpose": lambda x: (1.0,),
}
LOCAL_PROGRAM = """a = sin(x) * exp(y) / z
b = a ** z + log(z) - sqrt(z) + abs(y) + relu(x) + relu(y)
c = max(x, y) + min(x, y) + cos(x) * tanh(y) + sigmoid(y) - mse(x, y)
d = sum(b) + mean(c) + transpose(x) + -y
d * c + b / d"""


@pytest.mark.parametrize("expand", [False, True], ids=["folded", "expanded"])
def test_scalar_edges_carry_the_analytic_local_derivative(expand):
    d = graph(LOCAL_PROGRAM, {"x": 0.7, "y": -1.3, "z": 2.1}, expand=expand)
    by_id = nodes_by_id(d)
    seen = set()
    for e in d["edges"]:
        target = by_id[e["target"]]
        args = [decode(by_id[j]["value"]) for j in target["inputs"]]
        if target["op"] not in LOCALS:
            continue
        seen.add(target["op"])
        want = LOCALS[target["op"]](*map(float, args))[e["port"]]
        assert e["local"] == pytest.approx(want, rel=1e-12, abs=1e-15), (e["id"], target["op"])
        if e["contribution"] is not None:
            upstream = decode(target["grad"])
            assert e["contribution"] == pytest.approx(upstream * e["local"], rel=1e-12, abs=1e-15)
    assert seen == set(LOCALS) - ({"sigmoid", "mse"} if expand else set())


def test_tensor_edges_have_no_local_but_a_shaped_contribution():
    d = graph("sum(W @ x + b)", {"W": [[1, 2], [3, 4], [5, 6]], "x": [1, -1], "b": 0.5})
    by_id = nodes_by_id(d)
    for e in d["edges"]:
        if by_id[e["source"]]["shape"] or by_id[e["target"]]["shape"]:
            assert e["local"] is None
        if e["contribution"] is not None:
            assert np.shape(decode(e["contribution"])) == tuple(by_id[e["source"]]["shape"])
    assert by_id[d["inputs"]["b"]]["grad"] == 3.0  # broadcast over 3 rows, summed back


def test_seed_and_note():
    d = graph("x * y", {"x": 2.0, "y": 3.0})
    assert (d["seed"], d["note"]) == ("scalar", None)
    d = graph("x * y", {"x": [[1.0, 2.0], [3.0, 4.0]], "y": 3.0})
    assert d["seed"] == "ones" and isinstance(d["note"], str) and "(2, 2)" in d["note"]
    assert decode(nodes_by_id(d)[d["output"]]["grad"]).tolist() == [[1.0, 1.0], [1.0, 1.0]]
    assert nodes_by_id(d)[d["inputs"]["y"]]["grad"] == 10.0  # = d sum(x*y) / dy


def test_literal_assignment_is_an_input_and_numbers_are_constants():
    d = graph("x = 3\nf = 2 * x + pi")
    assert list(d["inputs"]) == ["x"]
    consts = [n for n in d["nodes"] if n["kind"] == "const"]
    assert sorted(decode(n["value"]) for n in consts) == [2.0, math.pi]
    assert nodes_by_id(d)[d["inputs"]["x"]]["grad"] == 2.0
    assert [n["name"] for n in d["nodes"] if n["id"] == d["output"]] == ["f"]
    # values override a literal input
    assert decode(nodes_by_id(graph("x = 3\nx * x", {"x": 5}))["n1"]["value"]) == 25.0


def test_positions_point_into_the_source():
    d = graph("x = 3\ny = -4\n\nf = x * y")
    by_id = nodes_by_id(d)
    assert (by_id[d["inputs"]["x"]]["line"], by_id[d["inputs"]["y"]]["line"]) == (1, 2)
    assert by_id[d["output"]]["line"] == 4 and 5 <= by_id[d["output"]]["col"] <= 9


NONFINITE = [("log(0)", "-Infinity"), ("0/0", "NaN"), ("exp(1000)", "Infinity"),
             ("x = 0\nlog(x)", "-Infinity"),
             ("x = 1000\nexp(x) - exp(x)", "NaN"), ("x = [0, 1, -1]\nsum(log(x) * x)", "NaN"),
             ("x = [0, 1, -1]\nlog(x)", ["-Infinity", 0.0, "NaN"]), ("x = 0\nsqrt(x) + 1/x", "Infinity")]


@pytest.mark.parametrize("src,out", NONFINITE, ids=[s for s, _ in NONFINITE])
def test_non_finite_numbers_are_strict_json(src, out, expand):
    d = graph(src, expand=expand)
    text = json.dumps(d, allow_nan=False)
    assert json.loads(text) == d
    assert nodes_by_id(d)[d["output"]]["value"] == out

    def leaves(v):
        """Every scalar inside a value/grad/contribution."""
        if isinstance(v, list):
            for x in v:
                yield from leaves(x)
        elif v is not None:
            yield v

    for rec in d["nodes"] + d["edges"]:
        for key in ("value", "grad", "local", "contribution"):
            for v in leaves(rec.get(key)):
                assert v in ("NaN", "Infinity", "-Infinity") or (isinstance(v, float) and math.isfinite(v)), v


def test_op_table_describes_every_op():
    table = engine.op_table()
    assert [o["name"] for o in table] == list(engine.OPS)
    for o in table:
        assert len(o["formulas"]) == len(o["formulas_tex"]) == len(o["params"]) or o["arity"] == -1
        assert o["arity"] in (-1, len(o["params"]))
        assert o["composite"] == (o["expansion"] is not None)
        assert o["callable"] == (o["name"] in engine.FUNCTIONS)
    json.dumps(table, allow_nan=False)


def test_every_scalar_edge_has_a_local():
    # mse of a scalar prediction against a vector target: the x → mse edge is scalar → scalar
    d = graph("mse(x, t)", {"x": 0.5, "t": [1.0, 2.0, 3.0]})
    (e,) = [e for e in d["edges"] if e["source"] == d["inputs"]["x"]]
    assert e["local"] == pytest.approx(np.mean(2 * (0.5 - np.array([1.0, 2.0, 3.0]))), rel=1e-12)
    assert e["contribution"] == pytest.approx(e["local"], rel=1e-12)  # upstream is the seed, 1
