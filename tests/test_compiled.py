"""The compiled-program cache: reused structure, fresh numbers, nothing shared that can leak."""

import numpy as np
import pytest

from gatewise import engine
from gatewise.engine import EngineError, evaluate, to_dict
from gatewise.engine.run import compiled
from gatewise.engine.run.compiled import CompiledCache

CS231N = "f = (x + sigmoid(y)) / (sigmoid(x) + (x + y)**2)"


def _fresh(src, values, expand=False):
    """The same evaluation with caching bypassed: build, forward, backward."""
    with np.errstate(all="ignore"):
        g = engine.build(src, values, expand)
        g.forward()
        g.backward()
    return to_dict(g)


@pytest.mark.parametrize("x", [3.0, -1.5, 0.0, 1e3])
def test_new_values_give_the_numbers_a_fresh_build_gives(x):
    evaluate(CS231N, {"x": 1.0, "y": 2.0})  # warm the cache with other numbers
    assert to_dict(evaluate(CS231N, {"x": x, "y": -4.0})) == _fresh(CS231N, {"x": x, "y": -4.0})


def test_the_template_is_reused_and_its_values_are_not_touched(monkeypatch):
    cache = CompiledCache()
    builds = []

    def build(*args):
        builds.append(args)
        return engine.build(*args)

    monkeypatch.setattr(compiled, "build", build)

    limits = engine.Limits()
    first = cache.graph("a = 3\nf = a * x", {"x": 2.0}, False, limits)
    second = cache.graph("a = 3\nf = a * x", {"x": 5.0}, False, limits)
    assert len(builds) == 1
    assert second.values is not first.values and second.req is not first.req
    assert first.values[first.inputs["x"]] == 2.0 and second.values[second.inputs["x"]] == 5.0
    (template,) = cache.templates.values()
    assert template.values[template.inputs["x"]] == 2.0  # the snapshot, not the second run's


@pytest.mark.parametrize("other", [
    {"x": [1.0, 2.0], "y": -4.0},  # a different shape
    {"x": 3.0},                    # a missing input: the error must come back, not a stale graph
])
def test_shapes_and_names_are_part_of_the_key(other):
    evaluate(CS231N, {"x": 3.0, "y": -4.0})
    try:
        got = to_dict(evaluate(CS231N, other))
    except EngineError as e:
        with pytest.raises(EngineError) as again:
            engine.build(CS231N, other)
        assert e.message == again.value.message
    else:
        assert got == _fresh(CS231N, other)


def test_expand_and_budgets_are_part_of_the_key():
    folded = to_dict(evaluate(CS231N, {"x": 3.0, "y": -4.0}))
    expanded = to_dict(evaluate(CS231N, {"x": 3.0, "y": -4.0}, expand=True))
    assert len(expanded["nodes"]) > len(folded["nodes"])
    tight = engine.Limits(max_nodes=5)
    with pytest.raises(EngineError) as info:
        evaluate(CS231N, {"x": 3.0, "y": -4.0}, limits=tight)
    assert info.value.kind == "budget"


def test_mutating_a_result_does_not_change_the_next_one():
    src, vals = "f = sigmoid(x) * 2", {"x": 0.5}
    d = to_dict(evaluate(src, vals, expand=True))
    d["groups"][d["nodes"][-1]["group"] or next(iter(d["groups"]))]["nodes"].clear()
    d["nodes"][0]["inputs"].append("bogus")
    g = evaluate(src, vals, expand=True)
    g.require_grads([])  # a caller narrowing its own graph must not narrow the cached template
    again = to_dict(evaluate(src, vals, expand=True))
    assert again == _fresh(src, vals, expand=True)


def test_labels_are_checked_on_every_run():
    src = "cross_entropy(z, labels)"
    evaluate(src, {"z": [[1.0, 2.0]], "labels": [1]})
    with pytest.raises(EngineError) as info:
        evaluate(src, {"z": [[1.0, 2.0]], "labels": [2]})
    assert "out of range" in info.value.message


def test_the_cache_is_bounded_by_entries_and_nodes():
    cache = CompiledCache(entries=4)
    limits = engine.Limits()
    for k in range(6):
        cache.graph(f"f = x * {k}", {"x": 1.0}, False, limits)
    assert len(cache.templates) == 4 and cache.nodes == sum(len(t) for t in cache.templates.values())
    big = "\n".join(f"v{k} = x * {k}" for k in range(compiled.MAX_NODES // 3))
    for k in range(compiled.MAX_TOTAL_NODES // len(engine.build(big, {"x": 1.0})) + 2):
        cache.graph(f"{big}\n# {k}", {"x": 1.0}, False, limits)
    assert cache.nodes <= compiled.MAX_TOTAL_NODES
