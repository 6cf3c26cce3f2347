"""The decision boundary: the prediction over a grid agrees with evaluating the program at each point."""

from __future__ import annotations

import numpy as np
import pytest

from gatewise import engine
from gatewise.engine import EngineError, Limits
from gatewise.engine.train import boundary as boundary_module
from gatewise.engine.train.boundary import boundary
from gatewise.engine.train.optimize import optimize
from gatewise.server.examples import EXAMPLES

LINEAR = "z = X @ W + b\nloss = cross_entropy(z, y)"
VALUES = {"X": [[0, 1], [1, 0], [2, 2]], "y": [0, 1, 1], "W": [[1, -1], [-1, 2]], "b": [[0.1, 0]]}


def test_classes_match_the_argmax_of_the_logits_at_every_grid_point():
    b = boundary(LINEAR, VALUES, xrange=(-2, 2), yrange=(-1, 3), n=7)
    W, bias = np.array(VALUES["W"]), np.array(VALUES["b"])
    for j, yv in enumerate(b["ys"]):
        for i, xv in enumerate(b["xs"]):
            assert b["classes"][j][i] == int(np.argmax(np.array([xv, yv]) @ W + bias))


def test_a_sigmoid_output_with_mse_splits_at_one_half():
    src = "p = sigmoid(X @ w)\nloss = mse(p, Y)"
    b = boundary(src, {"X": [[1, 0], [0, 1]], "Y": [[1], [0]], "w": [[1], [-1]]}, n=5)
    for j, yv in enumerate(b["ys"]):
        for i, xv in enumerate(b["xs"]):
            assert b["classes"][j][i] == int(xv - yv > 0)


def test_a_loss_registered_outside_the_engine_gets_a_boundary_from_its_record():
    from gatewise.engine.core.numeric import labels_shape
    from gatewise.engine.ops.record import defop, unregister

    # The negative mean score of each row's class: its record says it scores classes.
    defop("nll_scores", "nll_scores(z, labels)", "NLL", ("z", "labels"), "nn",
          "Mean over rows of −z[i, labels[i]].", lambda z, lab: -np.mean(z[np.arange(len(z)),
                                                                             lab.astype(int)]),
          {"z": "-(g / rows(z)) * onehot(labels, z)"}, shape=lambda z, lab: (labels_shape(z, lab), ())[1],
          labels="labels", loss="classes", code="-np.mean($0[np.arange(len($0)), $1.astype(int)])")
    try:
        b = boundary("z = X @ W + b\nloss = nll_scores(z, y)", VALUES, xrange=(-2, 2), yrange=(-1, 3), n=5)
    finally:
        unregister("nll_scores")
    W, bias = np.array(VALUES["W"]), np.array(VALUES["b"])
    assert b["classes"] == [[int(np.argmax(np.array([xv, yv]) @ W + bias)) for xv in b["xs"]]
                            for yv in b["ys"]]


def test_the_boundary_changes_with_training():
    ex = next(e for e in EXAMPLES if e["id"] == "moons")
    before = boundary(ex["expression"], ex["values"], xrange=(-1.5, 2.5), yrange=(-1, 1.5), n=25)
    trained = optimize(ex["expression"], ex["values"], lr=0.5, steps=300)
    after = boundary(ex["expression"], {**ex["values"], **trained["values"]}, xrange=(-1.5, 2.5),
                     yrange=(-1, 1.5), n=25)
    changed = np.mean(np.array(before["classes"]) != np.array(after["classes"]))
    assert changed > 0.05
    # After training, the grid cells nearest the data points mostly carry their labels.
    xs, ys = np.array(after["xs"]), np.array(after["ys"])
    hits = [after["classes"][np.abs(ys - p[1]).argmin()][np.abs(xs - p[0]).argmin()] == t
            for p, t in zip(ex["values"]["X"], ex["values"]["y"])]
    assert np.mean(hits) > 0.9


@pytest.mark.parametrize(("src", "values", "features", "message"), [
    ("f = x * 2", {"x": 1}, "x", "two feature columns"),
    ("f = sum(X @ W)", {"X": [[1, 2]], "W": [[1], [1]]}, "X", "ending in cross_entropy"),
    (LINEAR, VALUES, "Q", "'Q' is not an input"),
])
def test_programs_without_a_boundary_are_clear_errors(src, values, features, message):
    with pytest.raises(EngineError, match=message):
        boundary(src, values, features)
    engine.evaluate(src, values)  # the program itself is fine


def test_both_evaluations_share_one_time_budget(monkeypatch):
    clock = iter([0.0, 5.0])  # the first evaluation took 5 s of a 4 s budget

    class Clock:
        @staticmethod
        def monotonic():
            return next(clock)

    monkeypatch.setattr(boundary_module, "time", Clock)
    with pytest.raises(EngineError) as err:
        boundary(LINEAR, VALUES, limits=Limits(time_budget=4.0))
    assert err.value.kind == "timeout"
