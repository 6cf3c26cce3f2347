"""The torch target: every Gatewise program as a PyTorch file whose autograd gradients equal the engine's.

Programs come from the op records (every op, so an op without a PyTorch spelling fails here), the
curated examples, and the round trip PyTorch -> Gatewise -> PyTorch over every bridge case.
"""

from __future__ import annotations

import ast
import importlib.util
import subprocess
import sys

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from fastapi.testclient import TestClient  # noqa: E402
from torchcases import build_cases  # noqa: E402

from gatewise import evaluate, from_torch, to_torch  # noqa: E402
from gatewise.engine import OPS, EngineError  # noqa: E402
from gatewise.server.app import create_app  # noqa: E402
from gatewise.server.examples import EXAMPLES  # noqa: E402
from gatewise.server.limits import Settings  # noqa: E402
from gatewise.torch_bridge import rel_diff  # noqa: E402

RNG = np.random.default_rng(0)
M = RNG.uniform(0.5, 1.5, (2, 3)).tolist()  # positive, so log, sqrt and ** are defined
N = RNG.uniform(-1.5, 1.5, (2, 3)).tolist()


def op_program(op) -> tuple[str, dict]:
    """A program that applies one op to inputs of fitting shapes, made from the op's record."""
    special = {"matmul": ("a @ b", {"a": M, "b": np.array(N).T.tolist()}),
               "stack": ("sum([a, b] * [a, a])", {"a": M, "b": N}),
               "index": ("x[1, 2] * x[0]", {"x": M}),
               "transpose": ("transpose(x) @ x", {"x": N})}
    if op.name in special:
        return special[op.name]
    values = {p: ([2, 0] if p == "labels" else M if k == 0 else N) for k, p in enumerate(op.params)}
    if not op.callable:  # an operator: its syntax is the program
        return op.syntax, values
    return f"{op.name}({', '.join(op.params)})", values


def load(code: str, tmp_path, name: str = "generated"):
    """Import a generated file as a module (the test runs the code; the server never does)."""
    path = tmp_path / f"{name}.py"
    path.write_text(code)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def torch_run(module):
    """program(*inputs) on float64 leaves: the output and each input's autograd gradient."""
    leaves = {n: module.const(module.VALUES[n]).requires_grad_() for n in module.INPUTS}
    out = module.program(*leaves.values())
    (out if out.ndim == 0 else out.sum()).backward()
    return out.detach().numpy(), {n: None if t.grad is None else t.grad.numpy() for n, t in leaves.items()}


def assert_same_as_engine(graph, module, tol=1e-10):
    out, grads = torch_run(module)
    assert rel_diff(out, graph.values[graph.output]) <= tol
    known = [graph.values[graph.output], *(graph.grads[j] for j in graph.inputs.values())]
    floor = 1e-6 * max(float(np.max(np.abs(a))) for a in known if a is not None)  # zero gradients
    for name, j in graph.inputs.items():
        want = graph.grads[j]
        if want is None:
            assert grads[name] is None or not np.any(grads[name]), name
        else:
            assert rel_diff(grads[name], want, floor) <= tol, (name, grads[name], want)


def weighted(source: str, values: dict) -> str:
    """The program with its output weighted by fixed random numbers, so that no gradient is zero by
    symmetry (the gradient of sum(softmax(z)) is)."""
    shape = np.shape(evaluate(source, values).values[-1])
    w = np.random.default_rng(1).uniform(0.5, 2.0, shape)
    lines = source.rsplit("\n", 1)
    return f"{lines[0] + chr(10) if len(lines) > 1 else ''}out = {lines[-1]}\nsum(out * {w.tolist()})"


@pytest.mark.parametrize("name", sorted(OPS))
def test_every_op_record_has_a_torch_spelling_that_matches(name, tmp_path):
    source, values = op_program(OPS[name])
    source = weighted(source, values)
    graph = evaluate(source, values)
    assert any(op is OPS[name] for op in graph.ops), source
    assert_same_as_engine(graph, load(to_torch(source, values), tmp_path))


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["id"] for e in EXAMPLES])
@pytest.mark.parametrize("expand", [False, True])
def test_every_example_folded_and_expanded(example, expand, tmp_path):
    graph = evaluate(example["expression"], example["values"], expand=expand)
    code = to_torch(example["expression"], example["values"], expand=expand)
    assert_same_as_engine(graph, load(code, tmp_path))


CASES = build_cases()


@pytest.mark.parametrize("name", sorted(CASES))
def test_round_trip_pytorch_gatewise_pytorch(name, tmp_path):
    case = CASES[name]
    t = from_torch(case.fn, *case.args)
    module = load(t.to_torch(), tmp_path)
    assert_same_as_engine(t.graph, module)
    # The module holds the parameters; the original arguments are forward's arguments again.
    assert set(module.PARAMS) == {n for n, o in t.names.items() if not o.startswith("arg")}
    data = [module.const(t.values[n]) for n in module.INPUTS if n not in module.PARAMS]
    prog = module.Program()
    out = prog(*data)
    assert rel_diff(out.detach().numpy(), t.reference.output) <= 1e-9
    if module.PARAMS:
        (out if out.ndim == 0 else out.sum()).backward()
    for pname, p in prog.named_parameters():  # the module's parameters get PyTorch's own gradients
        assert rel_diff(p.grad.numpy(), t.reference.grads[pname]) <= 1e-9, pname


def test_the_file_runs_on_its_own_and_prints_the_engines_gradients(tmp_path):
    src = "h = sigmoid(X @ W1 + b1)\nlambda = h * 2\nloss = cross_entropy(lambda, labels)"
    values = {"X": N, "W1": np.eye(3).tolist(), "b1": [0.1, 0.2, 0.3], "labels": [2, 0]}
    path = tmp_path / "gatewise_torch.py"
    path.write_text(to_torch(src, values))
    done = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    printed = dict(line.split(" = ", 1) for line in done.stdout.splitlines())
    graph = evaluate(src, values)
    assert float(printed["loss"]) == pytest.approx(graph.values[graph.output], rel=1e-12)
    for name in ("X", "W1", "b1"):
        got = np.array(ast.literal_eval(printed["d" + name]))
        assert rel_diff(got, graph.grads[graph.inputs[name]]) <= 1e-12
    assert printed["dlabels"] == "None"


def test_api_codegen_target_torch():
    client = TestClient(create_app(Settings()))
    body = {"expression": "f = max(x, y) * exp(x)", "values": {"x": 1, "y": 2}, "target": "torch"}
    res = client.post("/api/codegen", json=body)
    assert res.status_code == 200
    body = res.json()
    assert body["filename"] == "gatewise_torch.py"
    assert "f = torch.maximum(x, y) * torch.exp(x)" not in body["code"]  # one line per gate
    assert "torch.maximum(x, y)" in body["code"] and "def program(x, y):" in body["code"]
    bad = client.post("/api/codegen", json={"expression": "f = x +", "target": "torch"})
    assert bad.status_code == 400 and bad.json()["detail"]["kind"] == "syntax"


def test_params_must_name_inputs():
    with pytest.raises(EngineError, match="not an input"):
        to_torch("f = x * y", {"x": 1, "y": 2}, params=["z"])


ODD = [("f = 1 / 0 + x", {"x": 2}), ("f = [x, 1] * 2", {"x": 3}), ("f = [1, 2][0] * x", {"x": 3}),
       ("f = cross_entropy(z, [0, 2])", {"z": [[1, 2, 3], [0, 1, 0]]}),
       ("f = max(x, 2) + min(3, x) + -x ** 2", {"x": 2}),
       ("lambda = x * 2\nprint = lambda + 1", {"x": 1}), ("f = np.exp(x).sum() + x.T @ x", {"x": [1.0, 2.0]}),
       ("c = x\nc += c * 2\nc", {"x": 1.5}), ("f = x\ng = x * -2", {"x": 1})]


@pytest.mark.parametrize("source, values", ODD, ids=[s.split("\n")[0] for s, _ in ODD])
def test_constants_python_names_and_pasted_code(source, values, tmp_path):
    # Gates of constants alone (1/0 is inf, not ZeroDivisionError), constants where PyTorch needs
    # tensors, names that are Python's (lambda, print), and the dialects the language takes.
    assert_same_as_engine(evaluate(source, values), load(to_torch(source, values), tmp_path))


DEF_PROGRAMS = [
    ("def layer(x, W, b): return sigmoid(x @ W + b)\n"
     "def two(x, W1, b1, W2, b2): return layer(layer(x, W1, b1), W2, b2)\ndef sq(a): return a * a\n"
     "y = sum(two(X, A, c, B, d)) + sum(layer(X, A, c)) * sq(2.0)",
     {"X": [[1.0, 2.0]], "A": [[1.0, 0.5], [0.2, 0.1]], "c": [0.1, 0.2], "B": [[1.0], [2.0]], "d": [0.3]}),
    ("def f(a, b):\n    t = a * b\n    return tanh(t) + a\ny = f(x, x) * f(x, 3)", {"x": 0.4}),
]


@pytest.mark.parametrize("source, values", DEF_PROGRAMS)
def test_a_function_per_def_and_autograd_agrees(source, values, tmp_path):
    """Each def is a Python function of the file (one per distinct body), called where the program does."""
    code = to_torch(source, values)
    names = {line.split("(")[0][4:] for line in source.splitlines() if line.startswith("def ")}
    assert all(f"def {name}(" in code for name in names)
    assert "def layer_" not in code  # its three calls read alike: one function
    assert_same_as_engine(evaluate(source, values), load(code, tmp_path))
