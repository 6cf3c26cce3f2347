"""The widget in marimo: `marimo run` serves a notebook app; its kernel draws and scrubs the circuit."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import require_chromium

from gatewise import engine
from gatewise.server.local import free_port, wait_until_up

pytestmark = pytest.mark.browser
CS231N = "f = (x + sigmoid(y)) / (sigmoid(x) + (x + y)**2)"
NOTEBOOK = f'''import marimo

app = marimo.App()


@app.cell
def _():
    import gatewise

    circuit = gatewise.show({CS231N!r}, x=3, y=-4)
    circuit
    return (circuit,)
'''


@pytest.fixture(scope="module")
def marimo_app(tmp_path_factory):
    """`marimo run` of the notebook on loopback, with a token; yields the URL to open."""
    require_chromium()
    pytest.importorskip("marimo")
    root = tmp_path_factory.mktemp("marimo")
    (root / "circuit.py").write_text(NOTEBOOK, encoding="utf-8")
    port, token = free_port(), "gatewise-test"
    marimo = Path(sys.executable).parent / "marimo"
    proc = subprocess.Popen([str(marimo), "run", "circuit.py", "--headless", "--host", "127.0.0.1",
                             "--port", str(port), "--token-password", token],
                            cwd=root, env={**os.environ, "HOME": str(root)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/health", proc, timeout=90)
        yield f"http://127.0.0.1:{port}/?access_token={token}"
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_marimo_draws_the_circuit_and_a_slider_asks_the_kernel(marimo_app, browser):
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(marimo_app)
    widget = page.locator(".gatewise-widget[data-status='ready']")  # locators see into marimo's shadow DOM
    widget.wait_for(timeout=90000)
    out = page.locator(".gatewise-widget [data-edge-id='__output__'] .val")
    assert out.text_content() == "1.546"
    grads = {t.replace("Σ ", "") for t in page.locator(".gatewise-widget .node-grad").all_text_contents()}
    assert {"2.06", "1.592"} <= grads
    slider = page.locator(".gatewise-widget .input-row[data-name='y'] input")
    box = slider.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.75, box["y"] + box["height"] / 2, steps=5)
    page.mouse.up()
    y = float(slider.input_value())
    assert y > -4
    graph = engine.to_dict(engine.evaluate(CS231N, {"x": 3, "y": y}))
    expected = next(n["value"] for n in graph["nodes"] if n["id"] == graph["output"])
    for _ in range(100):  # the last scrub's answer arrives from the kernel
        if out.text_content() != "1.546" and float(out.text_content()) == pytest.approx(expected, rel=1e-3):
            break
        page.wait_for_timeout(100)
    assert float(out.text_content()) == pytest.approx(expected, rel=1e-3)
    context.close()
    assert not errors, errors
