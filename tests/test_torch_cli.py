"""`gatewise from-torch FILE.py:NAME`: the user's file, its conventions, --json, --serve and errors."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import urllib.parse
import urllib.request

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from gatewise import evaluate  # noqa: E402
from gatewise.server.local import ROOT  # noqa: E402

USER_FILE = '''
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(3, 4), nn.Sigmoid(), nn.Linear(4, 2))
EXAMPLE_INPUTS = {"model": (torch.randn(5, 3),)}


def example():
    x, y = torch.randn(5, 3), torch.tensor([0, 1, 1, 0, 1])
    return (lambda x, y: F.cross_entropy(model(x), y)), (x, y)


class Conv(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 1, 2)

    def forward(self, x):
        return self.conv(x).sum()  # the conv line


conv = Conv()
conv_inputs = lambda: (conv, (torch.ones(1, 1, 3, 3),))
'''


@pytest.fixture
def user_file(tmp_path):
    path = tmp_path / "mymodel.py"
    path.write_text(textwrap.dedent(USER_FILE))
    return path


def cli(*args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    """The installed command, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "gatewise.server.cli", "from-torch", *args],
                          capture_output=True, text=True, timeout=timeout, cwd=ROOT)


def reference(path):
    """The user's own model in float64, and autograd's gradient of sum(model(x)) for its first weight."""
    scope: dict = {}
    exec(compile(path.read_text(), str(path), "exec"), scope)  # the test's own fixture file
    model, (x,) = scope["model"].double(), scope["EXAMPLE_INPUTS"]["model"]
    out = model(x.double())
    (dw,) = torch.autograd.grad(out.sum(), [model[0].weight])
    return out.detach().numpy(), dw.numpy()


def test_prints_a_program_that_runs_on_its_own(user_file):
    done = cli(f"{user_file}:model")
    assert done.returncode == 0, done.stderr
    assert "layer0 = input @ layer0_weight.T + layer0_bias" in done.stdout
    assert "largest relative difference" in done.stderr
    g = evaluate(done.stdout)  # input values are written in: no values needed
    want_out, want_dw = reference(user_file)
    np.testing.assert_allclose(g.values[g.output], want_out, rtol=1e-12)
    np.testing.assert_allclose(g.grads[g.inputs["layer0_weight"]], want_dw, rtol=1e-9)


def test_default_name_is_example_and_json_is_the_graph(user_file):
    done = cli(str(user_file), "--json")
    assert done.returncode == 0, done.stderr
    graph = json.loads(done.stdout)
    assert set(graph["inputs"]) == {"x", "y", "layer0_weight", "layer0_bias", "layer2_weight", "layer2_bias"}
    out = next(n for n in graph["nodes"] if n["id"] == graph["output"])
    assert out["op"] == "cross_entropy" and out["name"] == "loss" and out["value"] > 0


def test_a_function_returning_fn_and_inputs(user_file):
    done = cli(f"{user_file}:conv_inputs")
    assert done.returncode == 1
    line = next(i for i, text in enumerate(user_file.read_text().splitlines(), 1) if "the conv line" in text)
    assert f"conv2d at {user_file.name}:{line}" in done.stderr


@pytest.mark.parametrize("target, message", [
    ("{path}:nothing", "defines no 'nothing'"),
    ("{path}:conv", "needs example inputs"),
    ("{dir}/missing.py:model", "no such file"),
])
def test_usage_errors_exit_2(user_file, target, message):
    done = cli(target.format(path=user_file, dir=user_file.parent))
    assert done.returncode == 2 and message in done.stderr, done.stderr


def test_without_torch_the_command_says_how_to_install_it(user_file):
    code = ("import sys; sys.modules['torch'] = None\n"
            "from gatewise.server import cli\n"
            f"sys.exit(cli.main(['from-torch', {str(user_file)!r}]))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "pip install 'gatewise[torch]'" in done.stderr, done.stderr


def test_serve_opens_the_circuit_in_the_page(user_file):
    proc = subprocess.Popen([sys.executable, "-m", "gatewise.server.cli", "from-torch", f"{user_file}:model",
                             "--serve", "--no-browser"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=ROOT)
    try:
        url = proc.stdout.readline().strip()
        base, _, fragment = url.partition("/#")
        hash_ = urllib.parse.parse_qs(fragment)
        program, values = hash_["program"][0], json.loads(hash_["values"][0])
        body = json.dumps({"expression": program, "values": values}).encode()
        req = urllib.request.Request(f"{base}/api/graph", body, {"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as res:
            graph = json.loads(res.read())
        want_out, _ = reference(user_file)
        out = next(n for n in graph["nodes"] if n["id"] == graph["output"])
        np.testing.assert_allclose(out["value"], want_out, rtol=1e-12)
        with urllib.request.urlopen(base + "/", timeout=30) as res:
            assert res.status == 200
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    with pytest.raises(OSError):  # the server went with it
        urllib.request.urlopen(f"{base}/api/health", timeout=5)
