"""The Train panel in the real page: train the bowl and XOR, stop, one SGD step, contours, Python export."""

from __future__ import annotations

import pytest
from browser_helpers import open_app, run_program

pytestmark = pytest.mark.browser

BOWL = "f = x*x + y*y + 2*x + 2"
XOR = "h = sigmoid(X @ W1 + b1)\np = sigmoid(h @ W2 + b2)\nloss = mse(p, Y)"
XOR_VALUES = {"X": [[0, 0], [0, 1], [1, 0], [1, 1]], "Y": [[0], [1], [1], [0]],
              "W1": [[0.5, -0.4, 0.3, 0.1], [-0.2, 0.6, -0.5, 0.4]], "b1": [[0, 0, 0, 0]],
              "W2": [[0.3], [-0.6], [0.2], [0.5]], "b2": [[0]]}


@pytest.fixture
def tpage(page):
    """The app's page (main.js mounts the Train panel), tall enough to show the panel."""
    page.set_viewport_size({"width": 1400, "height": 1000})
    open_app(page)
    return page


def fill(page, role: str, value: str) -> None:
    page.fill(f"#train-panel [data-role={role}]", value)


def params(page) -> dict[str, bool]:
    """Parameter name -> ticked."""
    return page.evaluate("""() => Object.fromEntries(
        [...document.querySelectorAll('#train-panel .train-param input')].map(b => [b.value, b.checked]))""")


def wait_params(page, names: set[str]) -> None:
    page.wait_for_function("""(names) => {
        const boxes = document.querySelectorAll('#train-panel .train-param input');
        const got = [...boxes].map(b => b.value).sort();
        return JSON.stringify(got) === JSON.stringify(names); }""", arg=sorted(names))


def output_value(page) -> str:
    return page.text_content("[data-edge-id='__output__'] .val")


def test_train_the_bowl_draws_the_loss_and_the_path_over_contours(tpage):
    run_program(tpage, BOWL, {"x": 1, "y": 4})
    wait_params(tpage, {"x", "y"})
    assert params(tpage) == {"x": True, "y": True}
    fill(tpage, "lr", "0.1")
    fill(tpage, "steps", "200")
    tpage.click("#train-panel [data-role=run]")
    tpage.wait_for_function("document.querySelector('#train-panel').dataset.trained === '200'")
    assert tpage.text_content("#train-panel [data-role=status]").startswith("done: 200 steps · loss 1")
    assert tpage.get_attribute("#train-panel [data-role=loss]", "data-points") == "200"
    assert tpage.get_attribute("#train-panel .loss-line", "d").startswith("M")
    # The circuit shows the trained values: f = 1 at (−1, 0).
    tpage.wait_for_function("document.querySelector(\"[data-edge-id='__output__'] .val\").textContent"
                            " === '1'")
    tpage.wait_for_selector("#train-panel [data-role=contour]:not([hidden]) .trajectory")
    assert int(tpage.get_attribute("#train-panel [data-role=contour]", "data-levels")) > 5
    assert tpage.locator("#train-panel .contour").count() > 5


def test_xor_data_inputs_are_not_parameters(tpage):
    run_program(tpage, XOR, XOR_VALUES)
    wait_params(tpage, {"X", "Y", "W1", "b1", "W2", "b2"})
    assert params(tpage) == {"X": False, "Y": False, "W1": True, "b1": True, "W2": True, "b2": True}
    fill(tpage, "lr", "2")
    fill(tpage, "steps", "2000")
    tpage.check("#train-panel [data-role=init]")
    tpage.click("#train-panel [data-role=run]")
    tpage.wait_for_function("document.querySelector('#train-panel').dataset.trained === '2000'",
                            timeout=60000)
    loss = float(output_value(tpage))
    assert loss < 0.05
    # One SGD step continues from the trained values even with "random start" ticked.
    tpage.click("#train-panel [data-role=step]")
    tpage.wait_for_selector("#train-panel tr[data-param=W1]")
    tpage.wait_for_function("document.querySelector('#train-panel [data-role=status]').textContent"
                            ".startsWith('one SGD step')")
    before = tpage.text_content("#train-panel [data-role=status]").split("loss ")[1].split(" →")[0]
    assert float(before) < 0.05
    tpage.click("#train-panel [data-role=reset]")
    tpage.wait_for_function("document.querySelector('#train-panel [data-role=status]').textContent"
                            " === 'values reset'")


def test_training_can_be_stopped(tpage):
    run_program(tpage, BOWL, {"x": 1, "y": 4})
    wait_params(tpage, {"x", "y"})
    fill(tpage, "lr", "0.0000001")
    fill(tpage, "steps", "100000")
    tpage.click("#train-panel [data-role=run]")
    tpage.wait_for_function("document.querySelector('#train-panel').dataset.running === 'true'")
    tpage.click("#train-panel [data-role=stop]")
    tpage.wait_for_function("document.querySelector('#train-panel').dataset.running === 'false'")
    status = tpage.text_content("#train-panel [data-role=status]")
    assert status.startswith("stopped") or status.startswith("done"), status
    assert not tpage.is_disabled("#train-panel [data-role=run]")


def test_one_sgd_step_shows_the_update_rule(tpage):
    run_program(tpage, BOWL, {"x": 1, "y": 4})
    wait_params(tpage, {"x", "y"})
    fill(tpage, "lr", "0.1")
    tpage.click("#train-panel [data-role=step]")
    tpage.wait_for_selector("#train-panel [data-role=onestep]:not([hidden]) tr[data-param=x]")
    row = tpage.evaluate("""() => [...document.querySelectorAll('#train-panel tr[data-param=x] td')]
        .map(td => td.textContent)""")
    assert row == ["1", "4", "0.6"]  # after = before − 0.1 × gradient
    assert "after = before − 0.1 × gradient" in tpage.text_content("#train-panel .rule")


def test_export_as_python(tpage):
    run_program(tpage, BOWL, {"x": 1, "y": 4})
    tpage.click(".menu-button")
    with tpage.expect_download() as info:
        tpage.click("#export-python")
    path = info.value.path()
    code = path.read_text(encoding="utf-8")
    assert "dx = " in code and "import numpy as np" in code
