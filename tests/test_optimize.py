"""Training on the circuit: the seeds' results, reproducibility, data inputs, batches, budgets."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from gatewise import engine
from gatewise.engine.core.numeric import CheckedLabels, check_labels
from gatewise.engine.train.optimize import data_inputs, optimize
from gatewise.engine.train.optimizers import init_value
from gatewise.engine.train.trainstep import TrainStep

BOWL = "f = x*x + y*y + 2*x + 2"
XOR = "h = sigmoid(X @ W1 + b1)\np = sigmoid(h @ W2 + b2)\nloss = mse(p, Y)"
XOR_DATA = {"X": [[0, 0], [0, 1], [1, 0], [1, 1]], "Y": [[0], [1], [1], [0]]}
XOR_INIT = {"W1": {"shape": [2, 4]}, "b1": {"shape": [1, 4], "dist": "zeros"},
            "W2": {"shape": [4, 1]}, "b2": {"shape": [1, 1], "dist": "zeros"}}
TWO_LAYER = "h = sigmoid(X @ W1 + b1)\nz = h @ W2 + b2\nloss = cross_entropy(z, labels)"


def node_value(source: str, values: dict, name: str):
    """The value of the node bound to `name` after a forward pass."""
    g = engine.evaluate(source, values)
    return g.values[g.names.index(name)]


def test_bowl_converges_as_in_the_notes():
    r = optimize(BOWL, {"x": 1, "y": 4}, lr=0.01, steps=4000)
    assert r["values"]["x"] == pytest.approx(-1, abs=1e-6)
    assert r["values"]["y"] == pytest.approx(0, abs=1e-6)
    assert r["final_loss"] == pytest.approx(1, abs=1e-9)
    assert r["losses"][0] == pytest.approx(1 + 16 + 2 + 2)
    assert len(r["losses"]) == 4000 and r["steps"] == 4000 and r["stopped"] is None
    assert r["params"] == ["x", "y"] and r["data"] == []


def test_bowl_first_step_is_the_update_rule():
    r = optimize(BOWL, {"x": 1, "y": 4}, lr=0.1, steps=1)
    step = r["last_step"]
    assert step["x"] == {"before": 1.0, "grad": 4.0, "after": pytest.approx(1 - 0.1 * 4)}
    assert step["y"] == {"before": 4.0, "grad": 8.0, "after": pytest.approx(4 - 0.1 * 8)}


def test_xor_learns_from_a_fixed_seed():
    r = optimize(XOR, XOR_DATA, init=XOR_INIT, lr=2.0, steps=3000, seed=0)
    assert r["final_loss"] < 0.01
    assert r["data"] == ["X", "Y"] and r["params"] == ["W1", "b1", "W2", "b2"]
    p = node_value(XOR, {**XOR_DATA, **r["values"]}, "p")
    assert ((p > 0.5).astype(float) == np.array(XOR_DATA["Y"])).all()


@pytest.mark.parametrize("optimizer,lr,steps", [("momentum", 0.5, 2000), ("adam", 0.05, 1000)])
def test_xor_other_optimizers(optimizer, lr, steps):
    r = optimize(XOR, XOR_DATA, init=XOR_INIT, lr=lr, steps=steps, seed=0, optimizer=optimizer)
    assert r["final_loss"] < 0.01


def test_digits_two_layer_classifier_held_out_accuracy():
    datasets = pytest.importorskip("sklearn.datasets")
    d = datasets.load_digits()
    x, y = d.data / 16.0, d.target.astype(float)
    perm = np.random.default_rng(0).permutation(len(x))
    tr, te = perm[:1400], perm[1400:]
    init = {"W1": {"shape": [64, 32]}, "b1": {"shape": [1, 32], "dist": "zeros"},
            "W2": {"shape": [32, 10]}, "b2": {"shape": [1, 10], "dist": "zeros"}}
    r = optimize(TWO_LAYER, {"X": x[tr], "labels": y[tr]}, init=init, lr=0.2, steps=300, seed=0,
                 optimizer="momentum", batch_size=64)
    assert r["data"] == ["X", "labels"] and r["batch_size"] == 64
    z = node_value(TWO_LAYER, {**r["values"], "X": x[te], "labels": y[te]}, "z")
    accuracy = float((z.argmax(axis=1) == y[te]).mean())
    assert accuracy > 0.93, accuracy


def test_same_seed_same_run_other_seed_other_start():
    a = optimize(XOR, XOR_DATA, init=XOR_INIT, lr=1.0, steps=20, seed=3)
    b = optimize(XOR, XOR_DATA, init=XOR_INIT, lr=1.0, steps=20, seed=3)
    c = optimize(XOR, XOR_DATA, init=XOR_INIT, lr=1.0, steps=20, seed=4)
    assert a["losses"] == b["losses"] and a["values"] == b["values"]
    assert a["losses"][0] != c["losses"][0]


def test_init_does_not_depend_on_the_order_of_names():
    w = init_value("W1", {"shape": [2, 4]}, 7)
    assert np.array_equal(w, init_value("W1", {"shape": [2, 4]}, 7))
    assert not np.array_equal(w, init_value("W2", {"shape": [2, 4]}, 7))
    assert np.std(init_value("W", {"shape": [400, 10]}, 0)) == pytest.approx(0.05, rel=0.1)
    assert np.all(np.abs(init_value("u", {"shape": [50], "dist": "uniform", "scale": 0.1}, 0)) <= 0.1)


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_chunks_with_state_equal_one_run(optimizer):
    """The page trains in chunks; passing values and state back reproduces the one-shot run."""
    data = {"X": np.arange(24.0).reshape(12, 2) / 24, "labels": [0, 1, 2] * 4}
    src = "z = X @ W + b\nloss = cross_entropy(z, labels)"
    init = {"W": {"shape": [2, 3]}, "b": {"shape": [1, 3]}}
    kw = dict(lr=0.3, seed=5, optimizer=optimizer, batch_size=4)
    whole = optimize(src, data, init=init, steps=10, **kw)
    first = optimize(src, data, init=init, steps=4, **kw)
    second = optimize(src, {**data, **first["values"]}, steps=6, state=first["state"], **kw)
    assert first["losses"] + second["losses"] == pytest.approx(whole["losses"], rel=1e-12)
    assert np.allclose(second["values"]["W"], whole["values"]["W"], rtol=1e-12)
    assert second["state"]["t"] == 10


def test_data_rule():
    g = engine.build(XOR, {**XOR_DATA, "W1": np.ones((2, 4)), "b1": np.ones((1, 4)), "W2": np.ones((4, 1)),
                           "b2": [[0]]})
    assert data_inputs(g) == ["X", "Y"]
    # Structural: A feeds the target of mse; B has as many rows as A and is the left operand of @.
    src = "loss = mse(B @ w, A)"
    g = engine.build(src, {"A": np.ones((5, 1)), "B": np.ones((5, 3)), "w": np.ones((3, 1))})
    assert data_inputs(g) == ["B", "A"]
    # Labels ports are data whatever the name; lower-case x and y of the bowl are parameters.
    g = engine.build("loss = cross_entropy(s, k)", {"s": [[1, 2]], "k": [1]})
    assert data_inputs(g) == ["k"]
    assert data_inputs(engine.build(BOWL, {"x": 1, "y": 4})) == []


def test_steps_zero_reports_the_defaults_even_with_nothing_to_train():
    r = optimize("loss = mse(X, Y)", {"X": [[1.0]], "Y": [[2.0]]}, steps=0)
    assert r["params"] == [] and r["data"] == ["X", "Y"] and r["final_loss"] == 1.0
    with pytest.raises(engine.EngineError, match="nothing to train"):
        optimize("loss = mse(X, Y)", {"X": [[1.0]], "Y": [[2.0]]}, steps=1)


def test_user_chooses_params():
    r = optimize(BOWL, {"x": 1, "y": 4}, params=["y"], lr=0.1, steps=50)
    assert r["values"]["x"] == 1.0 and abs(r["values"]["y"]) < 1e-3
    assert list(r["trajectory"]["values"]) == ["y"]


@pytest.mark.parametrize("kwargs,kind", [
    ({"params": ["nope"]}, "name"), ({"params": []}, "value"), ({"lr": -1}, "value"),
    ({"optimizer": "lbfgs"}, "value"), ({"init": {"x": {"shape": [0]}}}, "shape"),
    ({"init": {"x": {"dist": "cauchy"}}}, "value"),
])
def test_bad_requests_are_engine_errors(kwargs, kind):
    with pytest.raises(engine.EngineError) as e:
        optimize(BOWL, {"x": 1, "y": 4}, **kwargs)
    assert e.value.kind == kind


def test_state_must_fit_the_parameters():
    bad = {"t": 3, "slots": {"x": {"v": [1.0, 2.0]}}}
    with pytest.raises(engine.EngineError, match="slot 'v' of 'x'"):
        optimize(BOWL, {"x": 1, "y": 4}, optimizer="momentum", state=bad)
    with pytest.raises(engine.EngineError, match="rectangular"):
        ragged = {"t": 1, "slots": {"x": {"m": [[1], [1, 2]]}}}
        optimize(BOWL, {"x": 1, "y": 4}, optimizer="adam", state=ragged)


def test_batches_need_rows_that_agree():
    src = "loss = mse(X @ W, Y) + mean(X2 @ W)"
    data = {"X": np.ones((6, 2)), "Y": np.ones((6, 2)), "X2": np.ones((3, 2)), "W": np.ones((2, 2))}
    with pytest.raises(engine.EngineError, match="same number of rows"):
        optimize(src, data, batch_size=2)
    literal = "loss = cross_entropy(X @ W, [0, 1, 0, 1])"
    with pytest.raises(engine.EngineError, match="mini-batches do not fit"):
        optimize(literal, {"X": np.ones((4, 2)), "W": np.ones((2, 2))}, batch_size=2)
    r = optimize(literal, {"X": np.ones((4, 2)), "W": np.ones((2, 2))}, batch_size=8, steps=2)
    assert r["batch_size"] is None  # a batch as large as the data set is the data set


def test_labels_are_checked_before_batches():
    data = {"X": np.ones((6, 2)), "labels": [0, 1, 0, 1, 0, 7], "W": np.ones((2, 2))}
    with pytest.raises(engine.EngineError, match="label 7 is out of range") as e:
        optimize("loss = cross_entropy(X @ W, labels)", data, batch_size=2)
    assert e.value.line == 1


def test_integer_labels_are_range_checked_in_one_reduction():
    ok = np.array([0, 2, 1], dtype=np.intp)
    assert check_labels(ok, 3) is ok  # checked training labels are not copied every step
    for bad, label in (([0, -1, 2], -1), ([0, 3], 3), ([-5, 9], -5)):
        with pytest.raises(engine.EngineError) as e:
            check_labels(np.array(bad, dtype=np.intp), 3)
        assert e.value.code == "label_range" and e.value.params["label"] == label


def test_only_inputs_used_just_as_labels_become_integers_for_training():
    from gatewise.engine.train.optimize import _check_labels

    src = "z = X @ W\nloss = cross_entropy(z, labels) + cross_entropy(z, L2) + mean(L2)"
    g = engine.build(src, {"X": np.ones((4, 2)), "W": np.ones((2, 3)), "labels": [0, 1, 2, 1],
                           "L2": [2, 2, 0, 1]})
    whole = _check_labels(g)
    assert list(whole) == [g.inputs["labels"]]  # L2 also feeds mean: it stays as given
    assert whole[g.inputs["labels"]].dtype == np.intp
    assert type(whole[g.inputs["labels"]]) is CheckedLabels  # each step's rows skip the check
    np.testing.assert_array_equal(np.asarray(whole[g.inputs["labels"]]), [0, 1, 2, 1])


def test_batched_training_is_the_same_with_labels_as_floats_or_integers():
    rng = np.random.default_rng(3)
    data = {"X": rng.normal(size=(12, 4)), "W1": rng.normal(size=(4, 5)), "b1": np.zeros((1, 5)),
            "W2": rng.normal(size=(5, 3)), "b2": np.zeros((1, 3))}
    labels = rng.integers(0, 3, 12)
    runs = [optimize(TWO_LAYER, {**data, "labels": lab}, lr=0.3, steps=30, batch_size=4, seed=1)
            for lab in (labels.astype(float).tolist(), labels)]
    assert runs[0]["losses"] == runs[1]["losses"] and runs[0]["final_loss"] == runs[1]["final_loss"]
    # And the loss the trained values give, evaluated afresh, is the reported final loss.
    fresh = engine.evaluate(TWO_LAYER, {**data, **runs[0]["values"], "labels": labels.astype(float)})
    assert fresh.values[fresh.output] == pytest.approx(runs[0]["final_loss"], rel=1e-12)


def test_divergence_stops_the_run():
    r = optimize("f = exp(x)", {"x": 1}, params=["x"], lr=1e6, steps=20, optimizer="sgd")
    assert r["stopped"] == "diverged" or r["steps"] == 20
    r = optimize("f = x**4", {"x": 10}, lr=10.0, steps=50)
    assert r["stopped"] == "diverged" and r["steps"] < 50
    assert not np.isfinite(r["losses"][-1])


def test_time_budget_stops_early_and_returns_what_was_done():
    limits = dataclasses.replace(engine.Limits(), time_budget=0.05)
    r = optimize(XOR, XOR_DATA, init=XOR_INIT, lr=1.0, steps=10_000_000, limits=limits)
    assert r["stopped"] == "time_budget" and 0 < r["steps"] < 10_000_000
    assert len(r["losses"]) == r["steps"]
    assert r["trajectory"]["steps"][-1] == r["steps"]


def test_trajectory_is_thinned_and_bounded():
    r = optimize(BOWL, {"x": 1, "y": 4}, lr=0.01, steps=1000, max_points=50)
    steps = r["trajectory"]["steps"]
    assert len(steps) <= 50 and steps[0] == 0 and steps[-1] == 1000 and steps == sorted(steps)
    assert r["trajectory"]["values"]["x"][0] == 1.0
    big = optimize("loss = sum(W * W)", {"W": np.ones((10, 10))}, steps=3)
    assert big["trajectory"]["values"] == {}  # 100 elements: too large to record per step


def test_landscape_over_two_scalars():
    r = optimize(BOWL, {"x": 1, "y": 4}, lr=0.1, steps=30, landscape={"x": "x", "y": "y", "n": 11})
    land = r["landscape"]
    assert len(land["xs"]) == 11 and len(land["loss"]) == 11 and len(land["loss"][0]) == 11
    x, y = land["xs"][3], land["ys"][7]
    assert land["loss"][7][3] == pytest.approx(x * x + y * y + 2 * x + 2)
    assert land["xs"][0] < -1 and land["xs"][-1] > 1 and land["ys"][-1] > 4
    fixed = optimize(BOWL, {"x": 1, "y": 4}, steps=1, landscape={"x": "x", "y": "y", "n": 3,
                                                                 "xrange": [-2, 2], "yrange": [0, 1]})
    assert fixed["landscape"]["xs"] == [-2, 0, 2]
    with pytest.raises(engine.EngineError):
        optimize(XOR, XOR_DATA, init=XOR_INIT, steps=1, landscape={"x": "W1", "y": "b2"})


EXAMPLES = [
    ("f = (x + sigmoid(y)) / (sigmoid(x) + (x + y)**2)", {"x": 3, "y": -4}),
    (XOR, {**XOR_DATA, "W1": np.arange(8.0).reshape(2, 4) / 8 - 0.4, "b1": [[0.1, 0, -0.1, 0.2]],
           "W2": [[0.5], [-0.3], [0.2], [0.1]], "b2": [[0.05]]}),
    (TWO_LAYER, {"X": np.linspace(-1, 1, 12).reshape(3, 4), "labels": [0, 2, 1],
                 "W1": np.linspace(-1, 1, 20).reshape(4, 5), "b1": [[0.1] * 5],
                 "W2": np.linspace(1, -1, 15).reshape(5, 3), "b2": [[0, 0.1, 0]]}),
    ("D = W @ X\nloss = mean(relu(D) + max(D, 0.5) * abs(D)) + sum(tanh(W.T)) + rowmax(W)[0, 0]",
     {"W": [[0, 1, 0], [1, 0, 1]], "X": [[3, -2], [0, 0], [-1, -2]]}),
    ("s = softmax(z)\nloss = sum(log(s) * t) / mse(z, t) + pick(z, [1]) [0]",
     {"z": [[0.5, -1, 2]], "t": [[0.2, 0.3, 0.5]]}),
]


@pytest.mark.parametrize("source,values", EXAMPLES)
def test_train_step_agrees_with_the_graph(source, values):
    """The lean training pass gives the graph's own values and gradients for every input."""
    with np.errstate(all="ignore"):
        g = engine.evaluate(source, values)
        ref_out, ref = g.values[g.output], {n: g.grads[i] for n, i in g.inputs.items()}
        step = TrainStep(g, list(g.inputs.values()), set())
        step.forward()
        step.backward()
    assert np.allclose(g.values[g.output], ref_out, rtol=1e-12)
    for n, i in g.inputs.items():
        if ref[n] is None:
            assert step.grads[i] is None or np.all(step.grads[i] == 0)
        else:
            assert np.allclose(step.grads[i], ref[n], rtol=1e-10, atol=1e-14), n


def test_checked_labels_stay_checked_in_rows_and_refuse_arithmetic():
    lab = np.array([0, 2, 1, 2]).view(CheckedLabels)
    rows = lab[np.array([3, 0])]
    assert type(rows) is CheckedLabels and check_labels(rows, 3) is rows  # trusted: no reduction
    with pytest.raises(TypeError):
        lab + 1  # a result of arithmetic would no longer be checked: refused, never trusted
    with pytest.raises(Exception, match="label"):
        check_labels(np.asarray(lab) + 5, 3)  # plain integers are still checked


def test_training_marks_label_only_inputs_and_still_refuses_bad_labels():
    rng = np.random.default_rng(4)
    data = {"X": rng.normal(size=(12, 4)), "W1": rng.normal(size=(4, 5)), "b1": np.zeros((1, 5)),
            "W2": rng.normal(size=(5, 3)), "b2": np.zeros((1, 3))}
    bad = rng.integers(0, 3, 12).astype(float)
    bad[7] = 3.0  # out of range in a row that only some batches hold
    with pytest.raises(engine.EngineError, match="3"):
        optimize(TWO_LAYER, {**data, "labels": bad}, lr=0.3, steps=30, batch_size=4, seed=1)
