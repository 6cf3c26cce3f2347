"""The fast paths of parsing, building, the passes and serializing make what the general paths make."""

from __future__ import annotations

import dataclasses
import math
import random

import numpy as np
import pytest

from gatewise.engine import EngineError, Limits, to_dict
from gatewise.engine.export.jsonsafe import jsonable
from gatewise.engine.export.serialize import json_column
from gatewise.engine.lang.build import build
from gatewise.engine.lang.builder import Builder
from gatewise.engine.ops.record import OPS
from gatewise.engine.run.compiled import NODE_BYTES, _bytes
from gatewise.engine.syntax import parser
from gatewise.engine.syntax.tokens import tokenize

_FUNCS = ["tanh", "sigmoid", "exp", "sin", "np.tanh", "math.sin", "relu", "abs", "log", "sqrt", "cos"] * 10 \
    + ["foo", "x.exp", "if"]  # now and then an error


def _expr(rng: random.Random, names: list[str], depth: int = 0) -> str:
    """A random expression: names, numbers, calls of one argument (the fast path) and others."""
    r = rng.random()
    if depth > 3 or r < 0.3:
        atoms = ["2", "0.5", ".25", "1e-1", "np.pi", "-" + rng.choice(names)] + ["q"] * (r < 0.01)
        return rng.choice(names + atoms)
    if r < 0.55:
        return f"{rng.choice(_FUNCS)}({_expr(rng, names, depth + 1)})"
    if r < 0.6:
        return f"({_expr(rng, names, depth + 1)})"
    if r < 0.65:
        return f"max({_expr(rng, names, depth + 1)}, {_expr(rng, names, depth + 1)})"
    op = rng.choice(["+", "-", "*", "/", "**", " + ", " * "] * 30 + [" @ ", "$"])
    return f"{_expr(rng, names, depth + 1)}{op}{_expr(rng, names, depth + 1)}"


def _program(rng: random.Random) -> str:
    """A random program of a few statements (some with errors: unknown names and functions)."""
    names, lines = ["a", "b"], ["a = 0.5", "b = -1.25"]
    for k in range(rng.randint(1, 10)):
        target = rng.choice([f"c{k}", rng.choice(names), "d" + rng.choice(names)])
        how = rng.choice([" = ", "=", " += "]) if target in names else " = "
        lines.append(f"{target}{how}{_expr(rng, names)}")
        names.append(target)
    if rng.random() < 0.2:
        lines.insert(0, "def f(u): return tanh(u) * sin(u)")
        lines.append(f"z = f({rng.choice(names)})")
    return rng.choice(["\n", "; "]).join(lines)


def _answer(src: str, **kw):
    """The evaluated graph's full contract, or the error with its position."""
    try:
        graph = build(src, **kw)
        graph.forward()
        graph.backward()
        return to_dict(graph)
    except EngineError as e:
        return e.to_dict()


def _both(src: str, monkeypatch, **kw) -> tuple:
    """The answer with the parser's call fast path, and with it switched off."""
    fast = _answer(src, **kw)
    with monkeypatch.context() as m:
        m.setattr(parser, "_ATOMS", ())  # no token is an atom: every call opens a frame
        general = _answer(src, **kw)
    return fast, general


@pytest.mark.parametrize("seed", range(4))
def test_call_fast_path_builds_what_the_general_path_builds(seed, monkeypatch):
    rng = random.Random(seed)
    built = 0
    for _ in range(150):
        src = _program(rng)
        kw = rng.choice([{}, {"expand": True}, {"free": 1.0}])
        fast, general = _both(src, monkeypatch, **kw)
        assert fast == general, src
        built += "nodes" in fast
    assert built > 40  # the comparison covers graphs, not only errors


@pytest.mark.parametrize("src, where", [
    ("x = 1\ny = tanh(q)", (2, 10)),  # an unknown name as the argument
    ("x = 1\ny = foo(x)", (2, 5)),  # an unknown function
    ("x = 1\ny = tanh(if)", (2, 10)),  # a keyword as the argument
    ("x = np.ones((2, 3))\ny = x @ tanh(x)", (2, 7)),  # a shape error at the gate that uses the call
    ("x = 1\ny = tanh(x) $ 2", (2, 13)),  # a bad character after a fast call
    ("x = 1\ny = tanh(x\n", (2, 9)),  # unclosed: the general path's error, at the bracket
    ("x = 1\ny = tanh(x]", (2, 11)),  # mismatched
    ("x = 1\nz = tanh(x)\ny = foo(z) + (", (3, 14)),  # a syntax error after a semantic one wins
])
def test_call_fast_path_errors_keep_their_positions(src, where, monkeypatch):
    fast, general = _both(src, monkeypatch)
    assert "message" in fast
    assert fast == general
    assert (fast["line"], fast["column"]) == where


@pytest.mark.parametrize("depth", [3, 4, 5, 6])
def test_call_fast_path_keeps_the_depth_budget(depth, monkeypatch):
    src = "x = 1\ny = " + "tanh(" * 5 + "x" + ")" * 5
    limits = dataclasses.replace(Limits(), max_depth=depth)
    fast, general = _both(src, monkeypatch, limits=limits)
    assert fast == general
    assert ("nodes" in fast) == (depth >= 5)


@pytest.mark.parametrize("src, depth, where", [
    ("x = 1\ny = x ** x ** x ** x ** x", 3, (2, 22)),  # right-associative: every ** stays stacked
    ("x = 1\ny = x ** x ** x ** x ** x", 4, None),
    ("x = 1\ny = -x ** -x ** -x", 3, (2, 14)),
    ("x = 1\ny = -x ** -x ** -x", 5, None),
    ("x = 1\ny = x * (x + (x - x))", 4, (2, 17)),
])
def test_inline_binary_operators_keep_the_depth_budget(src, depth, where):
    answer = _answer(src, limits=dataclasses.replace(Limits(), max_depth=depth))
    if where is None:
        assert "nodes" in answer
    else:
        assert (answer["code"], answer["line"], answer["column"]) == ("depth", *where)


@pytest.mark.parametrize("opname", sorted(n for n, op in OPS.items() if len(op.params) == 1
                                          and op.local is not None and not op.variadic))
@pytest.mark.parametrize("expand", [False, True])
def test_scalar_call_makes_the_node_apply_makes(opname, expand):
    """op_call's early return for one scalar through a fast op is where its checks end anyway."""
    made = []
    for way in ("call", "apply"):
        b = Builder(None, expand, Limits())
        x = b.leaf("input", 0.5, (1, 1), "x")
        op = OPS[opname]
        h = b.op_call(opname, opname, [x], (2, 3)) if way == "call" else b.apply(op, [x], (2, 3))
        g = b.graph
        made.append((h, g.keys, g.ops, g.args, g.shapes, g.fast, g.req, g.pos, g.group, dict(g.groups)))
    if expand and OPS[opname].expansion:
        assert made[0][-1]  # expanded into primitives: a group, which apply() alone never makes
    else:
        assert made[0] == made[1]


def test_unrolled_backward_sends_both_edges_of_a_square():
    graph = build("x = 3\ny = x * x\nz = tanh(y) + y * x")
    graph.forward()
    graph.backward()
    x, y = graph.inputs["x"], graph.names.index("y")
    assert graph.contribs[y] == pytest.approx([graph.grads[y] * 3.0] * 2)
    t = math.tanh(9.0)
    assert graph.grads[x] == pytest.approx((1 - t * t + 3.0) * 6.0 + 9.0)


@pytest.mark.parametrize("column", [
    [1.0, 2.5, -3.0] * 700,
    [1.0, None, 2.0] * 700,
    [None] * 2000,
    [1.0, math.inf, 2.0] * 700,
    [math.nan] + [1.0] * 2000,
    [1e308, 1e308, -1.0] * 700,  # a finite column whose sum overflows
    [np.float64(2.0), 1.0] * 1000,
    [np.array([1.0, math.inf]), 1.0, None] * 600,
    [0.0, -0.0, 5e-324] * 700,
])
def test_json_column_chunks_match_entry_by_entry(column):
    expected = [v if type(v) is float and v - v == 0 else jsonable(v) for v in column]
    got = json_column(column, lambda: None)
    assert [type(v) for v in got] == [type(v) for v in expected]
    assert str(got) == str(expected)


@pytest.mark.parametrize("src, expected", [
    ("x = .5  ", [("name", "x", (1, 1)), ("op", "=", (1, 3)), ("num", ".5", (1, 5)), ("end", "", (1, 9))]),
    ("a.T\t\f", [("name", "a", (1, 1)), ("op", ".", (1, 2)), ("name", "T", (1, 3)), ("end", "", (1, 6))]),
    ("x # c\n  y", [("name", "x", (1, 1)), ("nl", "\n", (1, 6)), ("name", "y", (2, 3)), ("end", "", (2, 4))]),
    ("x \\\n +1 ", [("name", "x", (1, 1)), ("op", "+", (2, 2)), ("num", "1", (2, 3)), ("end", "", (2, 5))]),
    ("\r\n é", [("nl", "\n", (1, 2)), ("bad", "é", (2, 2)), ("end", "", (2, 3))]),
    ("   ", [("end", "", (1, 4))]),
])
def test_tokens_and_columns_around_blanks_comments_and_continuations(src, expected):
    """Blanks count toward columns but are never tokens, even after the last token."""
    assert tokenize(src) == expected


def test_tokens_across_chunks_keep_their_lines_and_columns():
    src = "\n".join(f"v{k} = v{k - 1} * .5  # {k}" for k in range(1, 9000)) + " \t"
    toks = tokenize(src)
    assert len(src) > 2 * (1 << 16)  # three chunks
    assert toks[-2:] == [("num", ".5", (8999, 17)), ("end", "", (8999, 29))]
    lines = [t for t in toks if t[1] == "v4500"]
    assert lines == [("name", "v4500", (4500, 1)), ("name", "v4500", (4501, 9))]


def test_a_backslash_is_refused_at_its_column():
    with pytest.raises(EngineError) as info:
        tokenize("x = 1\ny = x \\ 2")
    assert (info.value.code, info.value.line, info.value.column) == ("backslash", 2, 7)


def test_a_templates_bytes_count_its_leaves_tensors():
    """The cache's memory charge looks at leaves only: a template's gates have no values yet."""
    graph = build("y = tanh(X @ W) + np.ones((3, 5)) * s\nsum(y) * 2", {"X": np.ones((3, 4)),
                                                                    "W": np.ones((4, 5)), "s": 2.0})
    template = graph.instance()
    graph.forward()  # the passes run on the graph, never on its template
    assert _bytes(template) == NODE_BYTES * len(graph) + 8 * (12 + 20 + 15)
