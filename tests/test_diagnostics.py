"""Diagnostics on constructed cases: each flag where it must be, and nowhere else."""

from __future__ import annotations

import math

from gatewise import engine
from gatewise.engine.export.diagnostics import diagnose


def flags(src: str, values: dict | None = None) -> dict:
    """kind -> set of node names (or ids) flagged."""
    g = engine.evaluate(src, values or {})
    out: dict[str, set] = {}
    name = {k: n or k for k, n in zip(g.keys, g.names)}
    for f in diagnose(g)["flags"]:
        out.setdefault(f["kind"], set()).add(name[f["node"]])
        assert f["message"] and f["title"]
    return out


def test_dead_relu_is_flagged_only_when_its_input_is_not_positive():
    assert "h" in flags("h = relu(x * w)\nf = h + w", {"x": -2, "w": 1.5})["dead_relu"]
    assert "dead_relu" not in flags("h = relu(x * w)\nf = h + w", {"x": 2, "w": 1.5})


def test_dead_units_of_a_tensor_relu_are_named_by_column():
    values = {"X": [[1, 2], [3, 4]], "W": [[1, -1, 2], [1, -1, -3]]}
    g = engine.evaluate("h = relu(X @ W)\nf = sum(h)", values)
    (dead,) = [f for f in diagnose(g)["flags"] if f["kind"] == "dead_relu"]
    assert dead["units"] == [1, 2]


def test_saturated_sigmoid_and_tanh():
    f = flags("s = sigmoid(z)\nt = tanh(u)\nf = s + t", {"z": 12, "u": 0.1})
    assert f["saturated"] == {"s"}
    f = flags("s = sigmoid(z)\nt = tanh(u)\nf = s + t", {"z": 0.5, "u": -5})
    assert f["saturated"] == {"t"}
    assert "saturated" not in flags("s = sigmoid(z)\nf = s * 2", {"z": 0.5})


def test_inputs_with_no_influence():
    f = flags("a = x * 2\nf = y * 3", {"x": 1, "y": 1})
    assert f["no_influence"] == {"x"}  # x never reaches the output
    f = flags("f = x * 0 + y", {"x": 1, "y": 1})
    assert f["no_influence"] == {"x"}  # reaches it, with a gradient of exactly 0
    assert "no_influence" not in flags("f = x * y", {"x": 1, "y": 2})


def test_labels_are_not_flagged_as_without_influence():
    f = flags("loss = cross_entropy(z, y)", {"z": [[1, 2], [0, 1]], "y": [1, 0]})
    assert "y" not in f.get("no_influence", set())


def test_vanishing_and_exploding_paths_name_the_worst_gate():
    g = engine.evaluate("s = sigmoid(x * 30)\nf = s * 2", {"x": 1})
    (v,) = [f for f in diagnose(g)["flags"] if f["kind"] == "vanishing"]
    assert g.names[g.keys.index(v["worst"])] == "s" and v["path"][-1] == v["node"]
    g = engine.evaluate("f = x ** 4 * 1e6", {"x": 10})
    assert any(f["kind"] == "exploding" for f in diagnose(g)["flags"])
    g = engine.evaluate("f = x * y", {"x": 1, "y": 2})
    assert not [f for f in diagnose(g)["flags"] if f["kind"] in ("vanishing", "exploding")]


def test_largest_contributions_into_an_input_are_ranked_with_shares():
    g = engine.evaluate("f = (x + sigmoid(y)) / (sigmoid(x) + (x + y)**2)", {"x": 3, "y": -4})
    d = diagnose(g)
    x = g.keys[g.inputs["x"]]
    (top,) = [f for f in d["flags"] if f["kind"] == "top_contributions" and f["node"] == x]
    sizes = [c["magnitude"] for c in top["contributions"]]
    assert sizes == sorted(sizes, reverse=True) and len(sizes) == 3
    assert math.isclose(sum(c["share"] for c in top["contributions"]), 1.0)
    # The magnitudes are the contributions' own sizes.
    assert math.isclose(sizes[0], d["edges"][top["contributions"][0]["edge"]])


def test_magnitudes_are_largest_absolute_gradients():
    g = engine.evaluate("f = sum(W * W)", {"W": [[1, -3], [2, 0]]})
    d = diagnose(g)
    assert d["nodes"][g.keys[g.inputs["W"]]] == 6.0 and d["nodes"][g.keys[g.output]] == 1.0


def test_a_mostly_saturated_tensor_gate_is_flagged_with_its_share():
    # Each unit (column) has one sample in its linear range, so no unit is saturated throughout.
    X = [[0.01, 1, -1], [1, 0.01, 2], [-2, 3, 0.01]]
    g = engine.evaluate("s = sigmoid(X * 30)\nf = sum(s)", {"X": X})
    (sat,) = [f for f in diagnose(g)["flags"] if f["kind"] == "saturated"]
    assert sat["share"] == 6 / 9 and "67%" in sat["message"] and "units" not in sat
    g = engine.evaluate("s = sigmoid(X * 30)\nf = sum(s)", {"X": [[1, 0.01, 0.02], [0.01, 1, -0.03]]})
    assert not [f for f in diagnose(g)["flags"] if f["kind"] == "saturated"]


def test_a_deep_vanishing_chain_is_traced_within_its_hop_budget():
    src = "\n".join(["h0 = x"] + [f"h{k + 1} = sigmoid(h{k}) * 0.5" for k in range(40)] + ["f = h40"])
    g = engine.evaluate(src, {"x": 1})
    (v,) = [f for f in diagnose(g)["flags"] if f["kind"] == "vanishing"]
    assert len(v["path"]) > 40 and v["path"][0] == g.keys[g.output]
