"""Takes docs/cs231n.png: the CS231n sigmoid-neuron circuit, with the same Playwright set-up as the tests.

Usage: .venv/bin/python tests/browser/screenshot_cs231n.py [output.png]
"""

from __future__ import annotations

import sys
from pathlib import Path

from conftest import ROOT, launch_chromium

from gatewise.server.local import serving

PROGRAM = """# The sigmoid neuron of the CS231n notes
w0 = 2
x0 = -1
w1 = -3
x1 = -2
w2 = -3
dot = w0*x0 + w1*x1 + w2
f = 1 / (1 + exp(-dot))"""


def main(out: Path) -> None:
    """Opens the page on the CS231n program, explains the exp gate, and saves a screenshot."""
    from playwright.sync_api import sync_playwright

    with serving() as url, sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(viewport={"width": 1600, "height": 800}, device_scale_factor=1)
        page.goto(f"{url}/")
        page.wait_for_function("document.body.dataset.status === 'ready'")
        before = page.evaluate("document.body.dataset.evals")
        page.evaluate("(p) => window.gatewise.setProgram(p, {})", PROGRAM)
        page.wait_for_function(f"document.body.dataset.evals !== '{before}'")
        gate = page.evaluate("""() => window.gatewise.getGraph().nodes.find(n => n.op === 'exp').id""")
        page.click(f"[data-node-id='{gate}']")
        page.wait_for_selector("#explain .katex")
        page.mouse.move(2, 400)
        page.wait_for_timeout(400)
        page.screenshot(path=str(out))
        browser.close()

if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "cs231n.png")
