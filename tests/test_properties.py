"""Property-based tests: random expression trees over the op table, and arbitrary text.

A tree is rendered two ways (one nested line, or one statement per gate with names used twice), and
evaluated independently in NumPy. Where the function is smooth (every relu/abs/max/min argument
away from its kink) and finite, the engine's gradients must match central differences.
"""

from __future__ import annotations

import json
import math

import numpy as np
from gradutil import STEP, decode, graph, input_grads, numeric_grad, output
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gatewise.engine import EngineError, evaluate, to_dict

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NAMES = ("x", "y", "z")

# (template, numpy reference, kink distance or None); {0}, {1} are the operands
UNARY = [
    ("-{0}", np.negative, None),
    ("exp({0})", np.exp, None),
    ("sin({0})", np.sin, None),
    ("cos({0})", np.cos, None),
    ("tanh({0})", np.tanh, None),
    ("sigmoid({0})", lambda u: 1.0 / (1.0 + np.exp(-u)), None),
    ("relu({0})", lambda u: np.maximum(u, 0.0), np.abs),
    ("abs({0})", np.abs, np.abs),
    ("log({0} * {0} + 0.5)", lambda u: np.log(u * u + 0.5), None),
    ("sqrt({0} * {0} + 0.1)", lambda u: np.sqrt(u * u + 0.1), None),
    ("{0} ** 2", lambda u: u**2, None),
    ("{0} ** 3", lambda u: u**3, None),
    ("sum({0})", np.sum, None),
    ("mean({0})", np.mean, None),
]
BINARY = [
    ("{0} + {1}", np.add, None),
    ("{0} - {1}", np.subtract, None),
    ("{0} * {1}", np.multiply, None),
    ("{0} / ({1} * {1} + 0.5)", lambda a, b: a / (b * b + 0.5), None),
    ("max({0}, {1})", np.maximum, lambda a, b: np.abs(a - b)),
    ("min({0}, {1})", np.minimum, lambda a, b: np.abs(a - b)),
    ("({0} * {0} + 0.5) ** {1}", lambda a, b: (a * a + 0.5) ** b, None),
    ("mse({0}, {1})", lambda a, b: np.mean((a - b) ** 2), None),
]

LEAF = st.one_of(st.sampled_from(NAMES).map(lambda n: ("name", n)),
                 st.floats(-3, 3).map(lambda c: ("const", round(c, 2))))
TREE = st.recursive(
    LEAF,
    lambda kids: st.one_of(st.tuples(st.just("un"), st.integers(0, len(UNARY) - 1), kids),
                           st.tuples(st.just("bin"), st.integers(0, len(BINARY) - 1), kids, kids)),
    max_leaves=8,
)


def render(tree, inline: bool) -> str:
    """The tree as a program: one nested expression, or one statement per gate."""
    lines: list[str] = []

    def emit(node) -> str:
        """Text of a node as an operand (parenthesized where needed)."""
        if node[0] == "name":
            return node[1]
        if node[0] == "const":
            return f"({node[1]!r})"
        tmpl = (UNARY if node[0] == "un" else BINARY)[node[1]][0]
        text = tmpl.format(*(emit(k) for k in node[2:]))
        if inline:
            return f"({text})"
        lines.append(f"t{len(lines)} = {text}")
        return f"t{len(lines) - 1}"

    last = emit(tree)
    return "\n".join(lines + [last])


def reference(tree, values: dict) -> tuple[np.ndarray, float, float]:
    """NumPy value of the tree, the closest any kink argument comes to its kink, the largest magnitude."""
    kink, big = [math.inf], [0.0]

    def ev(node):
        """Evaluate one node."""
        if node[0] == "name":
            return np.asarray(values[node[1]], dtype=np.float64)
        if node[0] == "const":
            return np.float64(node[1])
        _, fn, dist = (UNARY if node[0] == "un" else BINARY)[node[1]]
        args = [ev(k) for k in node[2:]]
        out = np.asarray(fn(*args), dtype=np.float64)
        if dist is not None:
            kink[0] = min(kink[0], float(np.min(dist(*args))))
        big[0] = max(big[0], float(np.max(np.abs(out))))
        return out

    with np.errstate(all="ignore"):
        return ev(tree), kink[0], big[0]


def names_in(tree) -> set:
    """Input names the tree uses."""
    if tree[0] == "name":
        return {tree[1]}
    if tree[0] == "const":
        return set()
    return set().union(*(names_in(k) for k in tree[2:]))


def value_strategy(shape):
    """Moderate floats, as a scalar or a list."""
    f = st.floats(-2, 2)
    return f if shape == () else st.lists(f, min_size=shape[0], max_size=shape[0])


@st.composite
def cases(draw):
    """A tree, how to render it, and values for the names it uses (all scalars or all vectors)."""
    tree = draw(TREE)
    shape = draw(st.sampled_from([(), (3,)]))
    values = {n: draw(value_strategy(shape)) for n in sorted(names_in(tree))}
    return tree, draw(st.booleans()), values


@SETTINGS
@given(cases())
def test_random_programs_match_numpy_and_finite_differences(case):
    tree, inline, values = case
    src = render(tree, inline)
    want, kink, big = reference(tree, values)
    d = graph(src, values)
    np.testing.assert_allclose(output(d), want, rtol=1e-9, atol=1e-12, equal_nan=True, err_msg=src)
    if not values or not np.all(np.isfinite(want)) or big > 1e4 or kink < 1e-3:
        return  # not smooth or not finite here: central differences mean nothing
    grads = input_grads(d)
    scale = max(1.0, float(np.max(np.abs(want))))
    for name in values:
        num = numeric_grad(src, values, name)
        # roundoff of a central difference is about eps·|f|/h; allow 50x that
        np.testing.assert_allclose(grads[name], num, rtol=1e-5, atol=1e-6 + 1e-14 * scale / STEP,
                                   err_msg=f"d/d{name} of {src!r} at {values}")


@SETTINGS
@given(cases())
def test_nested_and_staged_forms_agree(case):
    tree, _, values = case
    a, b = graph(render(tree, True), values), graph(render(tree, False), values)
    np.testing.assert_array_equal(output(a), output(b))
    assert_grads_agree(tree, values, a, b)


def assert_grads_agree(tree, values, a, b):
    """Two graphs of the same function have the same gradients, up to summation order.

    Fan-out sums in a different order, so terms as large as the largest intermediate may cancel
    differently: the tolerance scales with it, and huge or non-finite cases are left out.
    """
    _, _, big = reference(tree, values)
    if not big < 1e6:
        return
    ga, gb = input_grads(a), input_grads(b)
    for name in values:
        np.testing.assert_allclose(ga[name], gb[name], rtol=1e-9, atol=1e-13 * max(1.0, big), equal_nan=True)


ANY_FLOAT = st.floats(allow_nan=True, allow_infinity=True)
ANY_VALUE = st.one_of(ANY_FLOAT, st.integers(-10, 10), st.lists(ANY_FLOAT, max_size=4),
                      st.lists(st.lists(ANY_FLOAT, min_size=3, max_size=3), max_size=3),
                      st.lists(st.lists(ANY_FLOAT, max_size=3), max_size=3), st.none(), st.text(max_size=3))


def strict_json_or_engine_error(src, values=None, **kw) -> dict | None:
    """Evaluate: either a strict-JSON graph or an EngineError; anything else fails the test."""
    try:
        d = to_dict(evaluate(src, values, **kw))
    except EngineError as e:
        assert e.kind in {"syntax", "name", "arity", "shape", "value", "budget", "timeout"}
        json.dumps(e.to_dict(), allow_nan=False)
        return None
    json.dumps(d, allow_nan=False)
    return d


@st.composite
def hostile_cases(draw):
    """A tree with arbitrary values (NaN, inf, huge, empty, ragged, wrong types) for the names it uses."""
    tree = draw(TREE)
    values = {n: draw(ANY_VALUE) for n in sorted(names_in(tree))}
    if draw(st.integers(0, 9)) == 0:  # sometimes a value for a name that is not an input
        values["w"] = 1.0
    return tree, draw(st.booleans()), values


@SETTINGS
@given(hostile_cases(), st.booleans())
def test_random_programs_with_arbitrary_values_never_crash(case, expand):
    tree, inline, values = case
    strict_json_or_engine_error(render(tree, inline), values, expand=expand)


@SETTINGS
@given(cases())
def test_expanded_composites_give_the_same_numbers(case):
    tree, inline, values = case
    src = render(tree, inline)
    a, b = graph(src, values), graph(src, values, expand=True)
    np.testing.assert_array_equal(output(a), output(b))
    assert_grads_agree(tree, values, a, b)


TOKENS = ["x", "y", "1", "2.5", "1e3", "+", "-", "*", "/", "**", "@", "(", ")", "[", "]", ",", "=", ";",
          "\n", " ", ".T", "sum", "sin", "max", "softmax", "cross_entropy", "pick", "rowmax", "#", "\\\n",
          "pi", "e", "exp", "[[1, 2], [3, 4]]", "[0, 1]", ".", "0", "-1"]


@SETTINGS
@given(st.one_of(st.text(max_size=60), st.lists(st.sampled_from(TOKENS), max_size=30).map("".join)),
       st.sampled_from([None, {"x": 1.5}, {"x": [1.0, -2.0]}, {"x": [[1.0, 2.0], [3.0, 4.0]], "y": [0, 1]}]))
def test_arbitrary_text_gives_a_graph_or_an_engine_error(text, values):
    d = strict_json_or_engine_error(text, values)
    if d is not None:
        assert d["output"] in {n["id"] for n in d["nodes"]}
        decode(next(n["value"] for n in d["nodes"] if n["id"] == d["output"]))
