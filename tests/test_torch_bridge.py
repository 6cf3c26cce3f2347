"""from_torch: each case's values and every parameter's and input's gradient equal PyTorch's (1e-9).

The reference here is the tests' own: autograd on the user's float64 objects, matched to Gatewise's
inputs through `t.names`; it shares nothing with the bridge's internal check.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import torch.nn as nn  # noqa: E402
from torchcases import D, build_cases, randn  # noqa: E402

from gatewise import evaluate, from_torch  # noqa: E402
from gatewise.torch_bridge import TOLERANCE, rel_diff  # noqa: E402

CASES = build_cases()


def torch_reference(case):
    """The output and the gradient of d sum(output) for every origin the case names."""
    leaves = {f"arg{i}": a.detach().clone().requires_grad_(a.is_floating_point())
              for i, a in enumerate(case.args)}
    args = [leaves[f"arg{i}"] for i in range(len(case.args))]
    out = case.fn(*args)
    targets = {**{k: v for k, v in leaves.items() if v.requires_grad}, **case.params}
    grads = torch.autograd.grad(out.sum(), list(targets.values()), allow_unused=True)
    return out.detach().numpy(), {k: (np.zeros(tuple(t.shape)) if g is None else g.numpy())
                                  for (k, t), g in zip(targets.items(), grads)}


@pytest.mark.parametrize("name", sorted(CASES))
def test_values_and_every_gradient_equal_pytorchs(name):
    case = CASES[name]
    t = from_torch(case.fn, *case.args)
    want_out, want_grads = torch_reference(case)
    g = t.graph
    # Round-off on a gradient that is zero (that of sum(softmax(z))) is measured against the
    # case's largest number, not against zero.
    floor = 1e-6 * max(np.abs(a).max() for a in [want_out, *want_grads.values()])
    assert rel_diff(g.values[g.output], want_out) <= 1e-9
    by_origin = {origin: gname for gname, origin in t.names.items()}
    assert set(want_grads) <= set(by_origin), (sorted(want_grads), t.names)
    for origin, want in want_grads.items():
        got = g.grads[g.inputs[by_origin[origin]]]
        assert rel_diff(got, want, floor) <= 1e-9, (origin, got, want)
    assert t.check()["max"] <= TOLERANCE
    again = evaluate(t.program, t.values)  # the program text alone, as a user would run it
    assert rel_diff(again.values[again.output], want_out) <= 1e-9


def test_seeds_numbers_cs231n_and_neuron():
    t = from_torch(CASES["cs231n_circuit"].fn, *CASES["cs231n_circuit"].args)
    g = t.graph
    assert g.values[g.output] == pytest.approx(1.5456448841066441, rel=1e-12)
    assert g.grads[g.inputs["x"]] == pytest.approx(2.0595697955721652, rel=1e-12)
    assert g.grads[g.inputs["y"]] == pytest.approx(1.5922327514838093, rel=1e-12)
    n = from_torch(CASES["sigmoid_neuron"].fn, *CASES["sigmoid_neuron"].args).graph
    assert n.grads[n.inputs["w"]].tolist() == pytest.approx([-0.19661193, -0.39322387, 0.19661193], rel=1e-6)


def test_parameters_are_named_inputs_and_weight_layout_is_visible():
    t = from_torch(CASES["mnist_two_layer_ce"].fn, *CASES["mnist_two_layer_ce"].args)
    params = {f"fc{k}_{p}": f"mnist.fc{k}.{p}" for k in (1, 2) for p in ("weight", "bias")}
    assert t.names == {"x": "arg0", "y": "arg1", **params}
    assert "fc1 = x @ fc1_weight.T + fc1_bias" in t.program
    assert "loss = cross_entropy(fc2, y)" in t.program
    assert np.shape(t.values["fc1_weight"]) == (8, 16) and t.values["y"] == [3, 1, 4, 1, 5, 9, 2, 6]


def test_one_statement_per_pytorch_call_with_its_source_line():
    t = from_torch(CASES["cs231n_circuit"].fn, *CASES["cs231n_circuit"].args)
    body = [line for line in t.program.splitlines() if line and not line.startswith("#")]
    assert len(body) == 7  # sigmoid, +, sigmoid, +, **, +, /
    assert all(line.rstrip().endswith(f"torchcases.py:{_line_of('cs231n_circuit')}") for line in body)


def _line_of(case: str) -> int:
    import inspect

    import torchcases

    lines = inspect.getsource(torchcases).splitlines()
    return next(i for i, text in enumerate(lines, 1) if f'"{case}": Case' in text)


def test_fan_out_and_shared_parameters_are_one_input_each():
    t = from_torch(CASES["shared_parameters"].fn, *CASES["shared_parameters"].args)
    assert sorted(t.names) == ["fc1_bias", "fc1_weight", "x"]  # fc2.weight is fc1.weight
    assert t.program.count("fc1_weight.T") == 3  # fc1 twice, then fc2 with the tied weight
    r = from_torch(CASES["fan_out_residual"].fn, *CASES["fan_out_residual"].args)
    assert "relu(fc) + " in r.program or "relu1 + " in r.program


def test_buffers_and_python_constants_are_constants():
    t = from_torch(CASES["buffer_and_constant"].fn, *CASES["buffer_and_constant"].args)
    assert "scale" not in t.names and "[0.5, -2.0]" in t.program and "+ 0.25" in t.program


def test_float32_models_run_in_float64_and_are_left_untouched():
    torch.manual_seed(1)
    model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1))
    before = [p.detach().clone() for p in model.parameters()]
    x = torch.randn(5, 3)
    t = from_torch(model, x)
    assert all(p.dtype == torch.float32 and p.grad is None and torch.equal(p, b)
               for p, b in zip(model.parameters(), before))
    ref = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1)).double()
    ref.load_state_dict(model.state_dict())
    xd = x.double().requires_grad_()
    ref(xd).sum().backward()
    g = t.graph
    assert rel_diff(g.grads[g.inputs["layer0_weight"]], ref[0].weight.grad.numpy()) <= 1e-12
    assert rel_diff(g.grads[g.inputs["input"]], xd.grad.numpy()) <= 1e-12
    assert torch.get_default_dtype() == torch.float32


def test_tensor_output_is_seeded_with_ones_like_sum():
    t = from_torch(CASES["matmul_D_WX"].fn, *CASES["matmul_D_WX"].args)
    assert t.program.rstrip().splitlines()[-1].startswith("out = W @ X")
    W, X = CASES["matmul_D_WX"].args
    g = t.graph
    assert rel_diff(g.grads[g.inputs["W"]], np.ones((5, 3)) @ X.numpy().T) <= 1e-12


def test_check_reports_an_edited_program():
    t = from_torch(lambda a: (a * 2).sum(), randn(3, seed=1))
    t.program = t.program.replace("* 2", "* 3")
    worst = t.check()
    assert worst["output"] > 0.1 and worst["grads"]["a"] > 0.1


def test_without_torch_from_torch_says_how_to_install_it():
    code = ("import sys; sys.modules['torch'] = None\n"
            "import gatewise\n"
            "try:\n    gatewise.from_torch(abs, 1)\nexcept ImportError as e:\n    print(e)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert "pip install 'gatewise[torch]'" in out.stdout, out.stderr


def test_the_server_never_imports_torch():
    code = "import sys, gatewise, gatewise.server.app, gatewise.server.cli; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "False", out.stderr


def test_user_dtype_is_float64_inside_and_restored_after_errors():
    with pytest.raises(TypeError):
        from_torch(lambda x: torch.ones(2).sum(), torch.ones(2, dtype=D))  # nothing depends on x
    assert torch.get_default_dtype() == torch.float32


def test_circuit_from_torch_is_the_notebook_widget_of_the_translation():
    pytest.importorskip("anywidget")
    from gatewise import Circuit

    case = CASES["xor_mse"]
    c = Circuit.from_torch(case.fn, *case.args)
    assert c.program == c.translation.program and c.values == c.translation.values
    graph = c.graph  # the widget's own answer, computed in the kernel
    out = next(n for n in graph["nodes"] if n["id"] == graph["output"])
    want_out, want_grads = torch_reference(case)
    assert out["value"] == pytest.approx(float(want_out), rel=1e-12)
    w = next(n for n in graph["nodes"] if n["id"] == graph["inputs"]["layer0_weight"])
    assert rel_diff(np.array(w["grad"]), want_grads["xor.0.weight"]) <= 1e-9
