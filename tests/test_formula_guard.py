"""The closures printed from op records: the structural guard of compile_function, and the
specialised variants (matrix vjps, residual-boxed vjps) against the general ones."""

from __future__ import annotations

import numpy as np
import pytest

from gatewise import engine
from gatewise.engine.ops.printers import check_formula_source, compile_function


@pytest.mark.parametrize("body", [
    "_x0.__class__",  # an attribute that reaches an object's internals
    "__import__('os')",  # a name the printer never put in the namespace
    "open('/etc/passwd')",
    "[c for c in _x0]",  # a comprehension: not a formula
    "lambda: _x0",
    "(_y := 1)",
])
def test_the_guard_refuses_what_no_printer_writes(body):
    with pytest.raises(AssertionError, match="not allowed"):
        compile_function(["_x0", "_y"], body, {}, "test")


def test_the_guard_admits_what_the_printers_write():
    body = "_g * _h_f(_x0).T[0] if _x0 is not None else -_g"
    fn = compile_function(["_g", "_x0"], body, {"_h_f": np.atleast_2d}, "test",
                          prologue="_k = 2.0\n_g = _g * _k")
    assert fn(1.5, np.array([1.0, 2.0])).tolist() == [3.0]
    with pytest.raises(AssertionError):
        check_formula_source("import os\ndef _formula():\n    return 1\n", set(), "test")


def _matrix_ops():
    return [op for op in engine.OPS.values() if op.matrices]


@pytest.mark.parametrize("op", _matrix_ops(), ids=lambda op: op.name)
def test_matrix_vjps_equal_the_promoting_ones_on_matrices(op):
    rng = np.random.default_rng(3)
    a, b = rng.normal(size=(3, 4)), rng.normal(size=(4, 2))
    y = op.forward(a, b)
    g = rng.normal(size=y.shape)
    assert op.vjps_for([(3, 4), (4, 2)]) is op.matrix_vjps
    assert op.vjps_for([(4,), (4, 2)]) is op.vjps
    for fast, general in zip(op.matrix_vjps, op.vjps):
        np.testing.assert_array_equal(fast(g, y, a, b), general(g, y, a, b))


@pytest.mark.parametrize("op", [op for op in engine.OPS.values() if op.bind is not None],
                         ids=lambda op: op.name)
def test_a_nodes_boxed_vjps_reuse_residuals_only_for_the_same_operands(op):
    rng = np.random.default_rng(4)
    xs = [rng.normal(size=(3, 4)), rng.normal(size=(3, 4))] if op.labels is None else \
        [rng.normal(size=(3, 4)), np.array([0.0, 3.0, 1.0])]
    forward, vjps = op.bind()
    y = forward(*xs)
    others = [x.copy() for x in xs]
    for port, vjp in enumerate(vjps):
        if vjp is None:
            continue
        g = 0.7
        # The forward's residuals (its softmax) may differ from the formula's in the last bit.
        np.testing.assert_allclose(vjp(g, y, *xs), op.vjps[port](g, y, *xs), rtol=1e-12, atol=1e-15)
        # Equal values in new arrays: the box's residuals are not used; the formula's are.
        np.testing.assert_array_equal(vjp(g, y, *others), op.vjps[port](g, y, *others))


def test_only_op_registration_reaches_compile_and_exec():
    # User text can never reach compile/exec: the one place they run is printers.compile_function,
    # which only engine/ops/record.py calls, from defop at registration (module level of the op
    # families, never from a request).
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    callers = {}
    for path in [p for top in ("engine", "server", "src") for p in (root / top).rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None)  # the builtins as plain names (not re.compile)
                if name in ("compile", "exec", "eval", "compile_function"):
                    callers.setdefault(name, set()).add(path.relative_to(root).as_posix())
    assert callers.get("compile") == {"engine/ops/printers.py"}
    assert callers.get("exec") == {"engine/ops/printers.py"}
    assert "eval" not in callers
    assert callers.get("compile_function") == {"engine/ops/record.py"}


@pytest.mark.parametrize("shape,labels,x", [
    ((4, 3), [0, 2, 2, 1], "array"), ((3,), 1, "array"), ((4, 3), [1, 1, 0, 2], "scalar"),
    ((4, 3), [2, 0, 1, 0], "row")])
def test_x_less_onehot_is_the_subtraction_bit_for_bit(shape, labels, x):
    from gatewise.engine.ops.formula import HELPERS

    rng = np.random.default_rng(5)
    z = rng.normal(size=shape)
    xs = {"array": rng.normal(size=shape), "scalar": 0.25, "row": rng.normal(size=shape[-1:])}[x]
    h = HELPERS["onehot"]
    fused, plain = h.less(xs, labels, z), xs - h.impl(labels, z)
    assert fused.shape == plain.shape and fused.tobytes() == plain.tobytes()
    assert xs is not fused and (x == "scalar" or not np.shares_memory(xs, fused))  # x is copied


def test_cross_entropys_rule_runs_fused_with_the_numbers_of_its_formula():
    from gatewise.engine.ops.record import OPS

    rng = np.random.default_rng(6)
    z, labels = rng.normal(size=(5, 4)), np.array([3, 0, 1, 1, 2])
    forward, (dz, _) = OPS["cross_entropy"].bind()
    y = forward(z, labels)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    probs = e / e.sum(axis=-1, keepdims=True)
    onehot = np.eye(4)[labels]
    want = (probs - onehot) * (0.5 / 5)
    assert "_h_onehot_less" in dz.func.__globals__  # printed as the one fused call
    got = dz(0.5, y, z, labels)
    assert got.tobytes() == want.tobytes()
    assert dz(0.5, y, z, labels).tobytes() == want.tobytes()  # the saved softmax is not changed


def test_no_request_compiles_anything(monkeypatch):
    # compile/exec run only while the op records register, at import: evaluating, differentiating,
    # checking, generating code and training programs (user functions and composites included)
    # must never reach them, so a request's text cannot.
    from gatewise.engine.ops import printers
    from gatewise.engine.run.gradcheck import gradcheck
    from gatewise.engine.train.optimize import optimize

    def refuse(*args, **kwargs):
        raise AssertionError("compile or exec reached after import")
    # printers.py is the one module that calls them (the AST test above): shadow its builtins
    monkeypatch.setattr(printers, "compile", refuse, raising=False)
    monkeypatch.setattr(printers, "exec", refuse, raising=False)
    program = ("def layer(x, W, b): return sigmoid(x @ W + b)\nz = layer(X, W1, b1) @ W2\n"
               "loss = cross_entropy(z, labels) + mse(z, T) + mean(log(1 + z ** 2))")
    rng = np.random.default_rng(7)
    values = {"X": rng.normal(size=(4, 3)), "W1": rng.normal(size=(3, 5)), "b1": np.zeros((1, 5)),
              "W2": rng.normal(size=(5, 2)), "labels": [0, 1, 1, 0], "T": rng.normal(size=(4, 2))}
    for expand in (False, True):
        g = engine.evaluate(program, values, expand=expand)
        engine.to_dict(g)
        assert np.isfinite(g.values[g.output])
    assert gradcheck("f = x ** 3 / (1 + abs(x)) + max(x, 0.5)", {"x": 0.7})["ok"]
    assert optimize(program, values, lr=0.1, steps=3, batch_size=2, seed=0)["steps"] == 3
