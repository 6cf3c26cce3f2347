"""Keyboard-only use, visible focus, colour contrast of every text, and an axe-core audit (issue 12)."""

from __future__ import annotations

import pytest
from browser_helpers import evals, node_states, open_app, run_program, wait_drawn
from conftest import ROOT

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
NEURON = "f = sigmoid(w0*x0 + w1*x1 + w2)"
NEURON_VALUES = {"w0": 2, "x0": -1, "w1": -3, "x1": -2, "w2": -3}


def focused(page) -> dict:
    """What has the keyboard focus: its id, node id and tag."""
    return page.evaluate("""() => { const e = document.activeElement;
        return {id: e.id, node: e.getAttribute('data-node-id'), tag: e.tagName.toLowerCase()}; }""")


def tab_to(page, test: str, limit: int = 80) -> dict:
    """Presses Tab until the focused element passes a JS test (given `e`); fails after `limit` presses."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const e = document.activeElement; return Boolean({test}); }})()"):
            return focused(page)
    raise AssertionError(f"Tab never reached {test}")


def test_keyboard_only_reach_a_gate_explain_it_expand_it_and_step(page):
    open_app(page)
    run_program(page, NEURON, NEURON_VALUES)
    graph = page.evaluate("window.gatewise.getGraph()")
    first = tab_to(page, "e.hasAttribute('data-node-id')")
    assert first["node"] in graph["inputs"].values()  # the circuit's tab stop starts on an input
    # Arrows move between gates; → heads to the output.
    seen = {first["node"]}
    for _ in range(12):
        page.keyboard.press("ArrowRight")
        seen.add(focused(page)["node"])
    sig = next(n["id"] for n in graph["nodes"] if n["composite"])
    assert sig in seen and graph["output"] in seen
    page.focus(f"[data-node-id='{sig}']")
    page.keyboard.press("Enter")
    assert "sigmoid" in page.text_content("#explain .explain-head")
    before = evals(page)
    page.keyboard.press("e")  # expands the composite gate
    wait_drawn(page, before)
    assert page.locator(f"[data-group-id='{sig}']").count() == 1
    assert focused(page)["node"] is not None  # the focus stays on the circuit
    before = evals(page)
    page.keyboard.press("e")  # folds it again
    wait_drawn(page, before)
    assert page.locator("[data-group-id]").count() == 0
    # Step the animation from the player, by keyboard only.
    assert tab_to(page, "e.id === 'reset'")["id"] == "reset"
    page.keyboard.press("Enter")
    assert set(node_states(page).values()) == {"pending"}
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "play"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")  # ◀ at the start does nothing
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "step-next"
    page.keyboard.press("Enter")
    assert node_states(page)[graph["forward"][0]] == "forward"


def test_every_control_is_reached_by_tab_with_a_visible_focus(page):
    page.set_viewport_size({"width": 1400, "height": 1200})
    open_app(page)
    run_program(page, NEURON, NEURON_VALUES)
    wanted = {"examples", "gradcheck", "share", "help", "expression", "evaluate", "zoom-in", "zoom-out",
              "fit",
              "reset", "step-prev", "play", "step-next", "scrubber", "speed"}
    reached: set[str] = set()
    unmarked: list[str] = []
    for _ in range(120):
        page.keyboard.press("Tab")
        info = page.evaluate("""() => { const e = document.activeElement, cs = getComputedStyle(e);
            const ring = e.matches('[data-node-id]')
                ? getComputedStyle(e.querySelector('.focus-ring')).display !== 'none'
                : cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2;
            const box = e.closest('.editor');
            if (e === document.body) return {id: 'body', ring: true};
            return {id: e.id, ring: ring || (box && getComputedStyle(box).outlineStyle !== 'none'),
                    slider: e.matches('#inputs input'), train: Boolean(e.closest('#train-panel'))}; }""")
        reached.add(info["id"] or ("slider" if info["slider"] else "train" if info["train"] else ""))
        if not info["ring"]:
            unmarked.append(info["id"] or page.evaluate("document.activeElement.outerHTML.slice(0, 120)"))
    assert wanted <= reached, wanted - reached
    assert {"slider", "train"} <= reached
    assert unmarked == []


def contrast(page, fg: str, bg: str = "rgb(255, 255, 255)") -> float:
    """WCAG contrast ratio of two CSS rgb() colours."""
    return page.evaluate("""([a, b]) => {
        const lum = (c) => { const v = c.match(/[\\d.]+/g).slice(0, 3).map(Number).map(x => x / 255)
            .map(x => x <= 0.04045 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4);
            return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
        const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
        return (x + 0.05) / (y + 0.05); }""", [fg, bg])


def test_every_text_on_the_circuit_meets_aa_contrast_in_every_state(page):
    open_app(page)
    run_program(page, "x = 3\ny = -4\nq = x * y\nf = q + x")
    for pos in ("end", "pending"):
        if pos == "pending":
            page.click("#reset")
            page.wait_for_timeout(500)  # the fades (0.25 s) are over
        colours = page.evaluate("""() => [...document.querySelectorAll('#circuit text')]
            .filter(t => t.textContent.trim() && getComputedStyle(t).opacity !== '0'
                         && getComputedStyle(t).display !== 'none')
            .map(t => { let o = 1;
                        for (let e = t; e && e.tagName !== 'svg'; e = e.parentElement)
                            o *= Number(getComputedStyle(e).opacity);
                        return [t.textContent, getComputedStyle(t).fill, o]; })""")
        assert colours
        for text, fill, opacity in colours:
            assert opacity == 1, (text, opacity)  # no faded text: pending gates are dashed instead
            assert contrast(page, fill) >= 4.5, (pos, text, fill)


def test_gradients_have_a_second_cue_besides_colour(page):
    open_app(page)
    run_program(page, "x = 3\ny = -4\nq = x * y\nf = q + x")
    val, grad = page.evaluate("""() => {
        const e = document.querySelector('[data-edge-id] .val').parentElement;
        const style = (sel) => getComputedStyle(e.querySelector(sel)).fontStyle;
        return [style('.val'), style('.grad')]; }""")
    assert val == "normal" and grad == "italic"
    x = page.evaluate("window.gatewise.getGraph().inputs.x")
    page.click(f"[data-node-id='{x}']")
    assert "∇ gradient" in page.text_content("#explain .leaf")
    legend = page.text_content("#legend")
    assert "∇" in legend and "Σ" in legend and "‖∇‖" in legend and "norm" in legend
    run_program(page, "D = W @ X", {"W": [[0, 1, 0], [1, 0, 1]], "X": [[3, -2], [0, 0], [-1, -2]]})
    w = page.evaluate("window.gatewise.getGraph().inputs.W")
    page.click(f"[data-node-id='{w}']")
    assert page.text_content("#inspector .matrix-block.gradient h3").startswith("∇")


def axe_violations(page, context: str = "document") -> list[dict]:
    """Serious and critical axe-core violations on the page as it is now."""
    if not page.evaluate("Boolean(window.axe)"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(f"axe.run({context}, {{resultTypes: ['violations']}})")
    return [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.skipif(not AXE.exists(), reason="npm ci installs axe-core (a dev dependency)")
@pytest.mark.parametrize("width", [1400, 390])
def test_axe_core_finds_no_serious_or_critical_violations(page, width):
    page.set_viewport_size({"width": width, "height": 900})
    open_app(page)
    page.wait_for_selector("#explain .katex")
    assert axe_violations(page) == []
    run_program(page, "D = W @ X", {"W": [[0, 1, 0], [1, 0, 1]], "X": [[3, -2], [0, 0], [-1, -2]]})
    w = page.evaluate("window.gatewise.getGraph().inputs.W")
    page.click(f"[data-node-id='{w}']")
    page.wait_for_selector("#inspector[open]")
    page.click("#legend summary")
    assert axe_violations(page) == [], "inspector open, legend unfolded"
    page.click("#reset")  # pending gates and hidden numbers
    assert axe_violations(page) == [], "animation at the start"
    page.keyboard.press("Escape")
    page.click("#help")
    page.wait_for_selector("#help-dialog[open] .op-entry")
    assert axe_violations(page) == [], "help open"
