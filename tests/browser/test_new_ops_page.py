"""The page explains ops a test registered (tests/newops.py): their formulas render in KaTeX.

The app is served in this process, from a thread, so the registered ops are the ones it serves.
"""

from __future__ import annotations

import dataclasses
import sys
import threading
import time
from pathlib import Path

import pytest
import uvicorn
from browser_helpers import api_graph, open_app, run_program
from conftest import require_chromium

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the ops' one block
from newops import registered  # noqa: E402

from gatewise import engine  # noqa: E402
from gatewise.server.app import create_app  # noqa: E402
from gatewise.server.limits import load_settings  # noqa: E402
from gatewise.server.local import free_port  # noqa: E402
from gatewise.server.routes import catalog  # noqa: E402

PROGRAM = "x = 0.5\nz = [[1, 2, 3], [0, -1, 4]]\nf = sum(logsumexp(z)) * log1p(x)"


@pytest.fixture
def served():
    """The app with log1p and logsumexp registered, on a free port, from a thread of this process."""
    require_chromium()
    catalog._ops.cache_clear()  # the op table is kept once served
    with registered():
        port = free_port()
        # Engine work in threads of this process: engine processes would not have the test's ops.
        app = create_app(dataclasses.replace(load_settings(), engine_processes=0))
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                               log_level="warning", access_log=False))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 30
        while not server.started:
            assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
            time.sleep(0.05)
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            server.should_exit = True
            thread.join(timeout=10)
    catalog._ops.cache_clear()


def test_explain_panel_renders_the_registered_ops(browser, served):
    context = browser.new_context(viewport={"width": 1400, "height": 860}, base_url=served)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.set_default_timeout(20000)
    try:
        open_app(page)
        run_program(page, PROGRAM)
        graph = api_graph(page, PROGRAM)
        for name in ("log1p", "logsumexp"):
            node = next(n["id"] for n in graph["nodes"] if n["op"] == name)
            page.hover(f"[data-node-id='{node}']")
            page.wait_for_function(
                f"document.querySelector('#explain')?.textContent.includes('Local gradients') && "
                f"document.querySelector('#explain .gate-symbol')?.textContent.includes('{name}')")
            page.wait_for_selector("#explain .formula .katex")
            tex = page.locator("#explain .formula annotation").first.text_content()
            assert tex == engine.OPS[name].tex[0]
            assert page.locator("#explain .katex-error").count() == 0  # KaTeX read our TeX
        page.click("#help")
        page.wait_for_selector("#help-dialog[open] .op-entry")
        listed = page.text_content("#help-dialog")
        assert "log1p" in listed and "logsumexp" in listed
    finally:
        context.close()
    assert not errors, errors
