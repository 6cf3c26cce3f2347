"""The PyTorch bridge in the real page: Export as PyTorch, and `gatewise from-torch --serve`."""

from __future__ import annotations

import subprocess
import sys

import pytest
from browser_helpers import open_app, run_program, wait_drawn

pytestmark = pytest.mark.browser
torch = pytest.importorskip("torch")

from gatewise.server.local import ROOT  # noqa: E402

BOWL = "f = x*x + y*y + 2*x + 2"
USER_FILE = """
import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
EXAMPLE_INPUTS = (torch.tensor([[0.5, -1.0], [2.0, 0.25]]),)
"""


def test_export_as_pytorch_downloads_a_file_that_runs(page, tmp_path):
    open_app(page)
    run_program(page, BOWL, {"x": 1, "y": 4})
    page.click(".menu-button")
    with page.expect_download() as info:
        page.click("#export-torch")
    assert info.value.suggested_filename == "gatewise_torch.py"
    path = tmp_path / "gatewise_torch.py"
    info.value.save_as(path)
    done = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    printed = dict(line.split(" = ", 1) for line in done.stdout.splitlines())
    assert float(printed["f"]) == 21.0  # 1 + 16 + 2 + 2
    assert float(printed["dx"]) == 4.0 and float(printed["dy"]) == 8.0  # 2x + 2 and 2y at (1, 4)


def test_from_torch_serve_opens_the_circuit(browser, tmp_path):
    user = tmp_path / "mymodel.py"
    user.write_text(USER_FILE)
    proc = subprocess.Popen([sys.executable, "-m", "gatewise.server.cli", "from-torch", f"{user}:model",
                             "--serve", "--no-browser"], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    page = browser.new_page()
    try:
        url = proc.stdout.readline().strip()
        page.goto(url)
        wait_drawn(page, 0)
        assert "layer0 = input @ layer0_weight.T + layer0_bias" in page.input_value("#expression")
        drawn = page.evaluate("() => [...document.querySelectorAll('[data-node-id]')].length")
        assert drawn >= 10  # inputs, both layers' gates and the tanh
        names = page.evaluate("() => document.body.innerText")
        assert "layer2_weight" in names
    finally:
        page.close()
        proc.terminate()
        proc.wait(timeout=30)
