"""Takes the README's screenshots with the same Playwright set-up as the tests: the CS231n sigmoid
neuron on a desktop (docs/cs231n.png, and in Chinese docs/chinese.png) and the XOR network's tensor rule
on a phone (docs/phone.png).

Usage: .venv/bin/python tests/browser/screenshots.py [output folder]
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


def ready(page, before: str) -> None:
    """Waits for a drawing after evaluation number `before`."""
    page.wait_for_function(f"document.body.dataset.evals !== '{before}'"
                           " && document.body.dataset.status === 'ready'")


def desktop(browser, url: str, out: Path, lang: str = "en") -> None:
    """The CS231n program at 1440 px with the exp gate explained, in the page's language lang."""
    page = browser.new_page(viewport={"width": 1440, "height": 820}, device_scale_factor=1)
    page.goto(f"{url}/?lang={lang}")
    ready(page, "0")
    before = page.evaluate("document.body.dataset.evals")
    comment = {"en": PROGRAM.split("\n")[0], "zh": "# CS231n 笔记里的 sigmoid 神经元"}[lang]
    program = PROGRAM.replace(PROGRAM.split("\n")[0], comment)
    page.evaluate("(p) => window.gatewise.setProgram(p, {})", program)
    ready(page, before)
    gate = page.evaluate("""() => window.gatewise.getGraph().nodes.find(n => n.op === 'exp').id""")
    page.click(f"[data-node-id='{gate}']")
    page.wait_for_selector("#explain .katex")
    page.mouse.move(2, 400)
    page.wait_for_timeout(400)
    page.screenshot(path=str(out))
    page.close()


def phone(browser, url: str, out: Path) -> None:
    """The XOR example at 390 px, its first matrix product explained (∂L/∂W1 = Xᵀ · ∂L/∂(X@W1))."""
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1, has_touch=True,
                              is_mobile=True)
    page = ctx.new_page()
    page.goto(f"{url}/")
    ready(page, "0")
    xor = page.evaluate("fetch('/api/examples').then(r => r.json())"
                        ".then(a => a.findIndex(e => e.id === 'xor'))")
    before = page.evaluate("document.body.dataset.evals")
    page.select_option("#examples", str(xor))
    ready(page, before)
    gate = page.evaluate("""() => window.gatewise.getGraph().nodes.find(n => n.op === 'matmul').id""")
    page.evaluate("(id) => window.gatewise.select(id)", gate)
    page.evaluate("() => document.querySelector('#inspector .close').click()")
    page.wait_for_selector("#explain .tensor-rule .katex")
    page.evaluate("document.activeElement.blur()")
    page.wait_for_timeout(400)
    stage = page.locator(".stage").bounding_box()
    explain = page.locator(".explain-panel").bounding_box()
    # The circuit, and the gate panel further down: the two things a phone user scrolls between,
    # put side by side in one picture.
    top = page.screenshot(full_page=True,
                          clip={"x": 0, "y": 0, "width": 390, "height": stage["y"] + stage["height"]})
    rule = page.screenshot(full_page=True, clip={"x": 0, "y": explain["y"] - 8, "width": 390,
                                                 "height": min(explain["height"] + 16, 900)})
    ctx.close()
    side_by_side(browser, [top, rule], out)


def side_by_side(browser, pngs: list[bytes], out: Path) -> None:
    """Saves PNG images next to each other, 12 px apart, as one PNG."""
    import base64

    page = browser.new_page(viewport={"width": 400 * len(pngs), "height": 1200}, device_scale_factor=1)
    imgs = "".join(f'<img src="data:image/png;base64,{base64.b64encode(p).decode()}">'
                   for p in pngs)
    style = "margin:0;display:flex;gap:12px;align-items:flex-start;background:#dfe3e8"
    page.set_content(f'<body style="{style}">{imgs}</body>')
    page.wait_for_function("[...document.images].every(i => i.complete)")
    box = page.evaluate("({w: document.body.scrollWidth,"
                        " h: Math.max(...[...document.images].map(i => i.height))})")
    page.screenshot(path=str(out), clip={"x": 0, "y": 0, "width": box["w"], "height": box["h"]})
    page.close()


def main(folder: Path) -> None:
    """Writes both screenshots into folder."""
    from playwright.sync_api import sync_playwright

    with serving() as url, sync_playwright() as p:
        browser = launch_chromium(p)
        desktop(browser, url, folder / "cs231n.png")
        desktop(browser, url, folder / "chinese.png", "zh")
        phone(browser, url, folder / "phone.png")
        browser.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs")
