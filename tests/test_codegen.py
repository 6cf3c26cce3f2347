"""Generated staged NumPy code: run our generator's output from a temp file and compare with the engine."""

from __future__ import annotations

import random
import runpy
import subprocess
import sys

import numpy as np
import pytest

from gatewise import engine
from gatewise.engine.export.codegen import generate
from gatewise.server.examples import EXAMPLES

M = [[0.5, -1.2, 0.3], [1.1, 0.2, -0.7]]
N = [[0.4, -0.3], [0.9, 1.3], [-0.6, 0.25]]
V = {"a": 0.7, "b": -1.3, "u": [0.2, -0.5, 1.1], "v": [1.5, 0.1, -0.4], "M": M, "N": N,
     "r": [[0.3, -0.2, 0.6]]}

# One program per op of the language: adding an op to engine.OPS fails test_every_op_is_covered.
PER_OP = {
    "add": "f = a + M", "sub": "f = r - M", "mul": "f = M * u", "div": "f = M / (a * a + 1) + b / M",
    "pow": "f = abs(M) ** a + M ** 2 + a ** b", "neg": "f = -M", "exp": "f = exp(M)",
    "log": "f = log(M * M + 1)", "sqrt": "f = sqrt(M * M + 1)", "abs": "f = abs(M)", "sin": "f = sin(M)",
    "cos": "f = cos(M)", "tanh": "f = tanh(M)", "relu": "f = relu(M)", "max": "f = max(M, r) + max(a, b)",
    "min": "f = min(M, u)", "sum": "f = sum(M) * a", "mean": "f = mean(M) * a", "rowsum": "f = rowsum(M)",
    "rowmax": "f = rowmax(M)", "matmul": "f = M @ N + sum(u @ N) + sum(M @ u) + u @ v",
    "transpose": "f = M.T @ M + transpose(u)", "stack": "f = [a, b, a * b]",
    "index": "f = M[1] + M[0, 2] * a", "pick": "f = pick(M, [2, 0]) + pick(u, 1)",
    "sigmoid": "f = sigmoid(M)", "softmax": "f = softmax(M)",
    "cross_entropy": "f = cross_entropy(M, [2, 0]) + cross_entropy(u, 1)",
    "mse": "f = mse(M, N.T) + mse(M, r)",
}


def run_generated(code: str, tmp_path) -> dict:
    """Run generated code from a file and return its globals."""
    path = tmp_path / "staged.py"
    path.write_text(code)
    return runpy.run_path(str(path), run_name="__main__")


def check(source: str, values: dict, tmp_path, expand=False) -> str:
    """Generated code's output and gradients equal the engine's; returns the code."""
    with np.errstate(all="ignore"):
        g = engine.evaluate(source, values, expand=expand)
    staged = generate(g)
    ns = run_generated(staged.code, tmp_path)
    out = ns[staged.values[g.keys[g.output]]] if g.kinds[g.output] != "const" else g.values[g.output]
    assert np.allclose(out, g.values[g.output], rtol=1e-9, atol=1e-12, equal_nan=True)
    expected = {n: g.grads[i] for n, i in g.inputs.items() if g.grads[i] is not None}
    assert set(staged.grads) == set(expected)
    for name, ref in expected.items():
        got = ns["grads"][name]
        assert np.shape(got) == np.shape(ref), name
        assert np.allclose(got, ref, rtol=1e-9, atol=1e-12, equal_nan=True), (name, got, ref)
    return staged.code


def test_every_op_is_covered():
    assert set(PER_OP) == set(engine.OPS)


@pytest.mark.parametrize("op", sorted(PER_OP))
def test_each_op(op, tmp_path):
    source = PER_OP[op]
    values = {k: v for k, v in V.items() if k in _names(source)}
    g = engine.build(source, values)
    assert op in {o.name for o in g.ops if o is not None}
    check(source, values, tmp_path)


def _names(source: str) -> set[str]:
    """Identifiers of a program (to pass only the values it uses)."""
    import re

    return set(re.findall(r"[A-Za-z_]\w*", source))


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["id"] for e in EXAMPLES])
@pytest.mark.parametrize("expand", [False, True])
def test_examples(example, expand, tmp_path):
    check(example["expression"], example["values"], tmp_path, expand=expand)


def test_cs231n_style(tmp_path):
    staged = next(e for e in EXAMPLES if e["id"] == "cs231n-staged")
    code = check(staged["expression"], staged["values"], tmp_path)
    assert "dx += " in code and "dy += " in code  # x and y fan out
    assert "dxpy = (2 * xpy) * dxpysqr" in code
    assert "dnum = (invden) * df" in code and "dinvden = (num) * df" in code
    matmul = check("D = W @ X", {"W": np.ones((5, 10)), "X": np.ones((10, 3))}, tmp_path)
    assert "dW = dD.dot(X.T)" in matmul and "dX = W.T.dot(dD)" in matmul
    bias = check("loss = sum(X @ W + b)", {"X": np.ones((4, 2)), "W": np.ones((2, 3)), "b": [[1, 2, 3]]},
                 tmp_path)
    assert "db = np.sum((1) * d" in bias and "axis=0, keepdims=True)" in bias


def test_runs_on_its_own_and_prints_the_gradients(tmp_path):
    g = engine.evaluate("f = x * y + x", {"x": 3, "y": -4})
    path = tmp_path / "alone.py"
    path.write_text(generate(g).code)
    out = subprocess.run([sys.executable, "-I", str(path)], capture_output=True, text=True, timeout=60,
                         cwd=tmp_path, check=True).stdout
    assert "f = -9.0" in out and "dx = -3.0" in out and "dy = 3.0" in out


def test_names_that_clash_with_python(tmp_path):
    check("lambda_ = 2\nnp = 3\ngrads = np * lambda_\nd = grads + dgrads", {"dgrads": 1.5}, tmp_path)
    check("x = 2\ndx = x * x\nddx = dx * x", {}, tmp_path)


def test_non_finite_values_survive(tmp_path):
    check("f = log(x) + 1 / y + z", {"x": 0, "y": 0, "z": [1, -1]}, tmp_path)


UNARY = ["exp(tanh({0}))", "log({0} * {0} + 1)", "sqrt({0} * {0} + 0.5)", "abs({0})", "sin({0})",
         "cos({0})", "tanh({0})", "relu({0})", "sigmoid({0})", "-{0}", "{0} ** 2", "({0} * {0} + 1) ** a"]
BINARY = ["{0} + {1}", "{0} - {1}", "{0} * {1}", "{0} / ({1} * {1} + 1)", "max({0}, {1})", "min({0}, {1})"]


def random_program(rng: random.Random) -> str:
    """A random program over scalars a, b and tensors M (2, 3), r (1, 3), u (3,) with broadcasting."""
    pool = {"a": (), "b": (), "M": (2, 3), "r": (1, 3), "u": (3,)}
    lines = []
    for k in range(rng.randint(3, 9)):
        x = rng.choice(list(pool)[-3:] if rng.random() < 0.6 else list(pool))
        if rng.random() < 0.45:
            expr = rng.choice(UNARY).format(x)
            shape = pool[x]
        else:
            y = rng.choice([n for n, s in pool.items() if _broadcastable(pool[x], s)])
            expr = rng.choice(BINARY).format(x, y)
            shape = np.broadcast_shapes(pool[x], pool[y])
        if rng.random() < 0.15 and len(shape) == 2:
            expr, shape = rng.choice([(f"rowsum({expr})", shape[:-1] + (1,)), (f"softmax({expr})", shape),
                                      (f"({expr}) @ N", shape[:-1] + (2,))])
        lines.append(f"t{k} = {expr}")
        pool[f"t{k}"] = tuple(shape)
    temps = [f"{rng.choice(['sum', 'mean'])}(t{j})" for j in range(k + 1) if rng.random() < 0.5]
    lines.append(rng.choice([f"loss = {' + '.join(temps + [f'sum(t{k})'])}", f"loss = t{k}"]))
    return "\n".join(lines)


def _broadcastable(s, t) -> bool:
    try:
        np.broadcast_shapes(s, t)
        return True
    except ValueError:
        return False


@pytest.mark.parametrize("seed", range(40))
def test_random_programs(seed, tmp_path):
    source = random_program(random.Random(seed))
    values = {"a": 0.7, "b": -1.3, "M": M, "r": [[0.3, -0.2, 0.6]], "u": [0.2, -0.5, 1.1], "N": N}
    values = {k: v for k, v in values.items() if k in _names(source)}
    check(source, values, tmp_path)
    check(source, values, tmp_path, expand=True)


# Issue 9, class 6: programs the engine evaluates with IEEE answers (inf, nan) must run as exported,
# with the same numbers: Python's own floats would raise ZeroDivisionError, OverflowError or
# AttributeError (a float has no .T).
IEEE = [("f = x / 0", {"x": 2.0}), ("f = x * (1/0)", {"x": 2.0}), ("f = x * 9**9**9", {"x": 2.0}),
        ("f = 0/0", {}), ("f = 0/0 + x", {"x": 1.5}), ("f = -x / 0", {"x": 0.0}),
        ("f = transpose(x)", {"x": 2.0}),
        ("f = (3).T * x", {"x": 2.0}), ("f = x.T * (3).T", {"x": -1.0}), ("f = transpose(3) / 0", {}),
        ("f = log(0) * x + exp(1000)", {"x": 2.0}), ("f = abs(x) + relu(x)", {"x": float("nan")}),
        ("f = (x - 1) ** 0.5", {"x": 0.0}), ("f = 0 ** x", {"x": -1.0})]


@pytest.mark.parametrize("src,values", IEEE, ids=[s for s, _ in IEEE])
def test_ieee_programs_run_and_match(src, values, tmp_path):
    check(src, values, tmp_path)
    path = tmp_path / "alone.py"
    path.write_text(generate(engine.evaluate(src, values)).code)
    subprocess.run([sys.executable, "-I", str(path)], capture_output=True, text=True, timeout=60,
                   cwd=tmp_path, check=True)


# ---- user functions: a forward and a backward Python function per def ------------------------------

FUNCTIONS = [
    ("def layer(x, W, b): return sigmoid(x @ W + b)\n"
     "def mlp(x, W1, b1, W2, b2):\n    h = layer(x, W1, b1)\n    return mse(h @ W2 + b2, [[0.5], [-0.25]])\n"
     "loss = mlp(X, W1, b1, W2, b2)",
     {"X": [[0.3, -1.2, 0.8], [1.5, 0.1, -0.4]], "W1": [[0.2, -0.5], [0.7, 0.1], [-0.3, 0.9]],
      "b1": [0.05, -0.1], "W2": [[1.1], [-0.6]], "b2": [0.2]}),
    ("def neuron(w, x, b):\n    s = w * x + b\n    return tanh(s)\n"
     "h = neuron(a, b, 0.5)\nf = neuron(h, h, a) + neuron(2.0, a, b) * h", {"a": 0.7, "b": -1.3}),
    ("def scale(v, k): return v * k + sum(v)\nf = sum(scale(u, a)) + sum(scale(M, b))",
     {k: V[k] for k in ("u", "a", "M", "b")}),
    ("def f(p):\n    q = p * 2\n    unused = p * 3\n    return q\ndef g(p): return f(p) + f(p * p)\n"
     "y = g(a) * g(b)", {"a": 0.7, "b": -1.3}),
]


@pytest.mark.parametrize("src, values", FUNCTIONS)
def test_user_functions_round_trip(src, values, tmp_path):
    """The code of a program with defs runs and gives the engine's output and gradients."""
    names = {line.split("(")[0][4:] for line in src.splitlines() if line.startswith("def ")}
    code = check(src, values, tmp_path)
    for name in names:
        assert f"def {name}(" in code and f"def {name}_backward(dout, cache):" in code


def test_calls_of_one_def_share_its_function_until_shapes_differ(tmp_path):
    src = "def mul(x, c): return x * c\nf = sum(mul(M, u)) + sum(mul(M * a, {}))"
    code = check(src.format("u"), {k: V[k] for k in ("M", "u", "a")}, tmp_path)
    assert code.count("def mul") == 2 and code.count("_cache = mul(") == 2  # one version, two calls
    code = check(src.format("M"), {k: V[k] for k in ("M", "u", "a")}, tmp_path)
    # c of M's shape needs no sum where u's broadcast is undone: a second version
    assert "def mul_2(" in code and code.count("def mul") == 4


def test_a_def_whose_value_has_no_gradient_has_no_backward_function(tmp_path):
    code = check("def const(p): return 3\ny = a * const(a)", {"a": 0.7}, tmp_path)
    assert "def const(p):" in code and "def const_backward" not in code
