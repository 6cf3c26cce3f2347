"""An op is one block: a test registers log1p and logsumexp (tests/newops.py) and everything works.

Gradients against central differences (folded and expanded), the generated code, training through
them, and /api/ops; the page's explain panel is tested in tests/browser/test_new_ops_page.py.
"""

from __future__ import annotations

import numpy as np
import pytest
from fastapi.testclient import TestClient
from gradutil import assert_grads_match, graph, output
from newops import registered
from test_codegen import check
from test_op_records import cases, check_record

from gatewise import engine
from gatewise.engine.train.optimize import optimize
from gatewise.server.app import create_app
from gatewise.server.routes import catalog

Z = [[0.5, -1.0, 2.0], [1.5, 0.25, -0.5]]
PROGRAMS = [
    ("sum(w * log1p(x))", {"x": [0.5, 2.0, 0.01], "w": [1.0, -2.0, 3.0]}),
    ("y = log1p(x)\ny * y", {"x": 0.7}),  # scalars: the fast path
    ("sum(w * logsumexp(z))", {"z": Z, "w": [[2.0], [-1.0]]}),
    ("logsumexp(v) * log1p(a)", {"v": [1000.0, 999.0, -5.0], "a": 0.5}),  # no overflow
]


@pytest.fixture(autouse=True)
def ops():
    """The two ops, registered for each test and removed after it."""
    catalog._ops.cache_clear()  # the server keeps the op table it served first
    with registered():
        yield
    catalog._ops.cache_clear()


def test_registered_ops_are_listed_and_derived():
    lse = engine.OPS["logsumexp"]
    assert engine.FUNCTIONS["log1p"] == "log1p" and lse.expansion
    assert engine.OPS["log1p"].local is not None and lse.local is None  # scalar path only with a float form
    assert engine.OPS["log1p"].local(np.log1p(0.5), 0.5) == (1 / 1.5,)


@pytest.mark.parametrize("src,values", PROGRAMS, ids=[p[0] for p in PROGRAMS])
@pytest.mark.parametrize("expand", [False, True], ids=["folded", "expanded"])
def test_gradients_match_central_differences(src, values, expand):
    d = assert_grads_match(src, values, expand=expand)
    assert np.all(np.isfinite(output(d)))
    if expand and "logsumexp" in src:
        assert "logsumexp" in {g["op"] for g in d["groups"].values()}


def test_folded_and_expanded_agree():
    for src, values in PROGRAMS:
        a, b = graph(src, values), graph(src, values, expand=True)
        np.testing.assert_allclose(output(a), output(b), rtol=1e-13)


@pytest.mark.parametrize("src,values", PROGRAMS, ids=[p[0] for p in PROGRAMS])
def test_generated_code_runs_and_matches(src, values, tmp_path):
    code = check(src, values, tmp_path)
    assert "np.log1p(" in code or "np.log(np.sum(np.exp(" in code
    check(src, values, tmp_path, expand=True)


def test_training_through_the_new_ops():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(12, 3))
    labels = np.argmax(x @ rng.normal(size=(3, 4)), axis=1).astype(float)
    src = "s = X @ W\nloss = mean(logsumexp(s) - pick(s, labels)) + 0.01 * sum(log1p(W * W))"
    r = optimize(src, {"X": x.tolist(), "labels": labels.tolist()}, init={"W": {"shape": [3, 4]}},
                 lr=0.5, steps=200)
    assert r["params"] == ["W"] and r["data"] == ["X", "labels"]
    assert r["losses"][-1] < 0.5 * r["losses"][0]
    ref = graph(src, {"X": x.tolist(), "labels": labels.tolist(), "W": r["values"]["W"]})
    assert r["final_loss"] == pytest.approx(float(output(ref)), rel=1e-12)


def test_api_ops_lists_their_formulas():
    with TestClient(create_app()) as client:
        ops = {o["name"]: o for o in client.get("/api/ops").json()}
    log1p, lse = ops["log1p"], ops["logsumexp"]
    assert log1p["derivatives"] == ["g / (1 + x)"] and lse["derivatives"] == ["g * exp(z - out)"]
    assert log1p["formulas"] == ["∂ln(1 + x)/∂x = 1/(1 + x)"]
    assert log1p["formulas_tex"] == [r"\frac{\partial \ln(1 + x)}{\partial x} = \frac{1}{1 + x}"]
    assert lse["composite"] and lse["expansion"].startswith("m = rowmax(z)")
    assert "exp" in lse["formulas"][0] and r"\log" in lse["formulas_tex"][0]


def test_record_check_covers_the_new_ops():
    for name in ("log1p", "logsumexp"):
        op = engine.OPS[name]
        found = cases(op)
        assert found, name
        for k, (shapes, attr) in enumerate(found):
            check_record(op, shapes, attr, k)
