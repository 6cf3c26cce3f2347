"""Composites folded and expanded: same values, same gradients, stable ids, groups recorded.

The engine promises identical values (ops_nn.py: the expansion runs the same arithmetic steps as the
fused forward), so outputs are compared exactly; gradients go through different formulas and are
compared with a tolerance.
"""

from __future__ import annotations

import numpy as np
import pytest
from gradutil import decode, graph, nodes_by_id

from gatewise.engine import OPS, EngineError

COMPOSITE_OPS = sorted(name for name, op in OPS.items() if op.expansion)

PROGRAMS = [
    ("sigmoid", "x = 0.3\ny = 2\nsigmoid(x * y) + x", None),
    ("sigmoid", "sum(sigmoid(W @ x))", {"W": [[1.0, -2.0], [0.5, 3.0]], "x": [0.2, -0.7]}),
    ("sigmoid", "x = -1.5\nsigmoid(sigmoid(x)) * sigmoid(2)", None),
    ("softmax", "s = softmax(z)\nsum(s * w)", {"z": [1.0, 2.0, -0.5], "w": [0.3, -1.0, 2.0]}),
    ("softmax", "softmax(z) * w", {"z": [[1.0, 2.0, -0.5], [900.0, 0.0, 901.0]], "w": [0.3, -1.0, 2.0]}),
    ("cross_entropy", "cross_entropy(z, 2)", {"z": [1.0, 2.0, -0.5]}),
    ("cross_entropy", "cross_entropy(z * 2, labels)", {"z": [[1.0, 2.0, -0.5], [0.0, 4.0, 1.0]],
                                                        "labels": [0, 1]}),
    ("mse", "x = 1.5\ny = -0.25\nmse(x * y, y)", None),
    ("mse", "mse(p, t)", {"p": [[1.0, 2.0, 3.0], [0.0, -1.0, 0.5]], "t": [0.5, 0.5, 4.0]}),
    ("mse", "mse(p, 2)", {"p": [1.0, 4.0]}),
]
IDS = [f"{op}-{k}" for k, (op, _, _) in enumerate(PROGRAMS)]


def test_every_composite_is_covered():
    assert {op for op, _, _ in PROGRAMS} == set(COMPOSITE_OPS)
    assert set(COMPOSITE_OPS) >= {"sigmoid", "softmax", "cross_entropy", "mse"}


def _composites(d):
    """Ids of the folded composite nodes."""
    return [n["id"] for n in d["nodes"] if n["composite"]]


def _assert_same_numbers(folded, other, expanded_ids):
    """Top-level nodes keep id, op and value; gradients agree; expanded composites end in their id."""
    fn, on = nodes_by_id(folded), nodes_by_id(other)
    assert folded["inputs"] == other["inputs"] and folded["output"] == other["output"]
    for key, n in fn.items():
        m = on[key]  # every folded id exists in the other form
        if key in expanded_ids:
            assert m["op"] != n["op"] and m["group"] == key and not m["composite"]
        else:
            assert (m["op"], m["inputs"], m["group"]) == (n["op"], n["inputs"], None)
        assert m["shape"] == n["shape"]
        np.testing.assert_array_equal(decode(m["value"]), decode(n["value"]), err_msg=key)
        if n["grad"] is None:
            assert m["grad"] is None
        else:
            np.testing.assert_allclose(decode(m["grad"]), decode(n["grad"]), rtol=1e-12, atol=1e-15)


def _assert_groups(folded, other, expanded_ids):
    """Groups list exactly the expanded composites, their nodes in order and the folded inputs."""
    fn, on = nodes_by_id(folded), nodes_by_id(other)
    assert set(other["groups"]) == set(expanded_ids)
    for key in expanded_ids:
        grp = other["groups"][key]
        assert grp["op"] == fn[key]["op"]
        assert grp["nodes"][-1] == key
        assert grp["inputs"] == fn[key]["inputs"]
        members = [n["id"] for n in other["nodes"] if n["group"] == key]
        assert members == grp["nodes"]
        assert all(k == key or k.startswith(key + ".") for k in members)
        # inside the group, the expansion reaches back only to its own nodes and the composite's inputs
        for k in members:
            assert set(on[k]["inputs"]) <= set(members) | set(grp["inputs"])
    ungrouped = [n for n in other["nodes"] if n["group"] is None]
    assert {n["id"] for n in ungrouped} == set(fn) - set(expanded_ids)


@pytest.mark.parametrize("op,src,values", PROGRAMS, ids=IDS)
def test_expand_all_gives_the_same_numbers(op, src, values):
    folded = graph(src, values)
    assert folded["groups"] == {}
    assert all(n["group"] is None for n in folded["nodes"])
    ids = _composites(folded)
    assert ids and all(nodes_by_id(folded)[k]["op"] in COMPOSITE_OPS for k in ids)
    expanded = graph(src, values, expand=True)
    assert not any(n["composite"] for n in expanded["nodes"])
    _assert_same_numbers(folded, expanded, set(ids))
    _assert_groups(folded, expanded, ids)


@pytest.mark.parametrize("op,src,values", PROGRAMS, ids=IDS)
def test_expand_one_composite_by_id(op, src, values):
    folded = graph(src, values)
    for key in _composites(folded):
        partial = graph(src, values, expand=[key])
        assert [n["id"] for n in partial["nodes"] if n["composite"]] == [k for k in _composites(folded)
                                                                         if k != key]
        _assert_same_numbers(folded, partial, {key})
        _assert_groups(folded, partial, [key])


@pytest.mark.parametrize("src,values", [("x = 1\nmse(x, 2)", None), ("sigmoid(2)", None),
                                        ("cross_entropy(z, 1)", {"z": [1.0, 2.0]})])
def test_expand_by_id_with_a_literal_argument(src, values):
    folded = graph(src, values)
    (key,) = _composites(folded)
    partial = graph(src, values, expand=[key])
    assert list(partial["groups"]) == [key]


def test_sigmoid_expansion_is_the_documented_one():
    # 1 / (1 + exp(-x)): neg, exp, add, div, plus the two constants
    d = graph("x = 0.5\nsigmoid(x)", expand=True)
    ops = sorted(n["op"] for n in d["nodes"] if n["group"])
    assert ops == sorted(["const", "const", "neg", "exp", "add", "div"])
    assert decode(nodes_by_id(d)[d["output"]]["value"]) == 1 / (1 + np.exp(-0.5))


def test_softmax_expansion_is_stable_for_large_inputs():
    # The expansion subtracts the row maximum first, so 1000 does not overflow exp.
    d = graph("softmax(z)", {"z": [1000.0, 1000.0, 0.0]}, expand=True)
    np.testing.assert_allclose(decode(nodes_by_id(d)[d["output"]]["value"]), [0.5, 0.5, 0.0], atol=1e-300)


def test_unknown_expand_ids_are_an_error():
    src, values = PROGRAMS[1][1], PROGRAMS[1][2]
    assert graph(src, values, expand=[]) == graph(src, values)
    composites = [n["id"] for n in graph(src, values)["nodes"] if n["composite"]]
    assert composites and graph(src, values, expand=composites) == graph(src, values, expand=True)
    for bad in (["n99"], [*composites, "n99"], [composites[0] + ".0"], [7], [[1]]):
        with pytest.raises(EngineError) as info:
            graph(src, values, expand=bad)
        assert info.value.kind == "value" and "expand" in info.value.message
    with pytest.raises(EngineError, match=f"'n99'.*{composites[0]}"):  # names the typo and the real ids
        graph(src, values, expand=["n99"])
