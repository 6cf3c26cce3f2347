"""The widget in Jupyter Notebook 7 (`jupyter notebook`): drawn, scrubbed and redrawn by the kernel."""

from __future__ import annotations

import pytest
from conftest import require_chromium
from jupyter import jupyterlab, wait_kernel, write_notebook
from test_notebook import CS231N, OUT, engine_output, evals, node_grads, output_value, run_cell, wait_evals

pytestmark = pytest.mark.browser
CELLS = [f"import gatewise\nc = gatewise.show({CS231N!r}, x=3, y=-4)\nc", "c.values = {'x': -1, 'y': 0.5}"]


def test_notebook7_draws_scrubs_and_follows_python(browser, tmp_path):
    require_chromium()
    write_notebook(tmp_path / "circuit.ipynb", CELLS)
    with jupyterlab(tmp_path, "notebook") as where:
        url, token = where.split("|")
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(90000)
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{url}/notebooks/circuit.ipynb?token={token}")
        page.wait_for_selector(".jp-Notebook .jp-Cell")
        wait_kernel(url, token)
        # Notebook 7.6 itself throws one error while loading its settings, before any cell runs.
        errors.clear()
        run_cell(page, 0)
        wait_evals(page, 0)
        assert output_value(page) == "1.546" and {"2.06", "1.592"} <= node_grads(page)
        slider = page.locator(".gatewise-widget .input-row[data-name='x'] input")
        box = slider.bounding_box()
        before = evals(page)
        page.mouse.click(box["x"] + box["width"] * 0.8, box["y"] + box["height"] / 2)
        wait_evals(page, before)
        x = float(slider.input_value())
        expected = engine_output(CS231N, {"x": x, "y": -4})
        page.wait_for_function(f"Math.abs(Number({OUT}) - {expected}) < 1e-3 * {abs(expected)}")
        before = evals(page)
        run_cell(page, 1)
        wait_evals(page, before)
        expected = engine_output(CS231N, {"x": -1, "y": 0.5})
        assert float(output_value(page)) == pytest.approx(expected, rel=1e-3)
        context.close()
    assert not errors, errors
