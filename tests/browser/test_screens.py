"""Every screen size (1440 to a 390 px phone), a readable first view, touch, and the busy indicator."""

from __future__ import annotations

import time

import pytest
from browser_helpers import evals, open_app, run_program, wait_drawn

pytestmark = pytest.mark.browser

SIZES = [(1440, 900), (1280, 800), (1024, 768), (768, 1024), (390, 844)]
CS231N = "f = (x + sigmoid(y)) / (sigmoid(x) + (x + y)**2)"

# Every control that must stay whole and on screen.
CONTROLS = "header button, header select, .player button, .player select, #scrubber, #evaluate, .zoom button"


def load_example(page, example_id: str) -> dict:
    """Loads an example through the app and waits for its drawing; returns the example."""
    ex = next(e for e in page.request.get("/api/examples").json() if e["id"] == example_id)
    before = evals(page)
    page.evaluate("([p, v]) => window.gatewise.setProgram(p, v)", [ex["expression"], ex["values"]])
    wait_drawn(page, before)
    return ex


def clipped_controls(page) -> list[str]:
    """Controls that stick out of the viewport or cut their own text."""
    return page.evaluate("""(sel) => [...document.querySelectorAll(sel)].filter(e => e.offsetParent)
      .filter(e => {
        const r = e.getBoundingClientRect();
        return r.left < -1 || r.right > innerWidth + 1 || e.scrollWidth > e.clientWidth + 1 || r.width < 20;
    }).map(e => e.id || e.textContent.trim() || e.tagName)""", CONTROLS)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(("width", "height"), SIZES)
def test_no_sideways_scroll_and_every_control_whole(page, width, height, lang):
    page.set_viewport_size({"width": width, "height": height})
    open_app(page, f"?lang={lang}")
    load_example(page, "xor")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert clipped_controls(page) == []
    circuit = page.locator("#circuit").bounding_box()
    assert circuit["width"] >= min(width - 20, 600) * 0.6 and circuit["height"] >= 300
    player = page.locator(".player").bounding_box()
    assert player["x"] >= 0 and player["x"] + player["width"] <= width + 1
    for sel in ("#reset", "#play", "#step-next", "#scrubber", "#speed"):
        page.locator(sel).scroll_into_view_if_needed()
        assert page.locator(sel).is_visible(), sel


def test_the_editor_shows_the_whole_cs231n_line_at_1024(page):
    page.set_viewport_size({"width": 1024, "height": 768})
    open_app(page)
    run_program(page, CS231N, {"x": 3, "y": -4})
    box = page.eval_on_selector("#expression",
                                "e => ({sw: e.scrollWidth, cw: e.clientWidth,"
                                " sh: e.scrollHeight, ch: e.clientHeight})")
    assert box["sw"] <= box["cw"]  # nothing hidden to the right: long lines wrap
    assert box["sh"] <= box["ch"]  # and every wrapped row is in view
    # The line number follows the wrapped line: one number, as tall as the line's rows.
    rows = page.eval_on_selector_all("#gutter div", "ds => ds.map(d => d.getBoundingClientRect().height)")
    assert len(rows) == 1 and rows[0] >= 2 * 19


def test_the_editor_can_be_resized(page):
    open_app(page)
    assert page.eval_on_selector(".editor", "e => getComputedStyle(e).resize") == "vertical"


def visible_text_sizes(page) -> list[tuple[str, float]]:
    """(text, on-screen font size in px) of every shown text on the circuit inside the stage."""
    return page.evaluate("""() => {
        const svg = document.querySelector('#circuit'), s = svg.getBoundingClientRect();
        const k = window.gatewise.viewScale();
        return [...svg.querySelectorAll('text')].filter(t => t.textContent.trim()).filter(t => {
            const cs = getComputedStyle(t), r = t.getBoundingClientRect();
            return cs.display !== 'none' && cs.opacity !== '0' && r.width > 0
                && r.right > s.left && r.left < s.right && r.bottom > s.top && r.top < s.bottom;
        }).map(t => [t.textContent, parseFloat(getComputedStyle(t).fontSize) * k]);
    }""")


@pytest.mark.parametrize(("width", "height"), [(1440, 900), (1024, 768)])
@pytest.mark.parametrize("example", ["cs231n", "cs231n-staged", "neuron", "gates", "xor", "softmax"])
def test_first_view_fits_small_circuits_with_text_of_at_least_11px(page, width, height, example):
    page.set_viewport_size({"width": width, "height": height})
    open_app(page)
    load_example(page, example)
    graph = page.evaluate("window.gatewise.getGraph()")
    sizes = visible_text_sizes(page)
    assert sizes and min(size for _, size in sizes) >= 11, sorted(sizes, key=lambda t: t[1])[:5]
    inside = page.evaluate("""() => {
        const s = document.querySelector('#circuit').getBoundingClientRect();
        return [...document.querySelectorAll('[data-node-id]')].map(e => e.getBoundingClientRect())
            .every(r => r.left >= s.left - 1 && r.right <= s.right + 1
                        && r.top >= s.top - 1 && r.bottom <= s.bottom + 1);
    }""")
    fits = page.evaluate("window.gatewise.viewMode()") == "fit"
    assert fits == inside
    if len(graph["nodes"]) <= 40 and width >= 1440:
        assert fits, "a circuit of up to 40 gates opens whole on a desktop"
    # The inputs, whose gradients are the point, are in the first view: all of them when it fits,
    # else the first column of them (a framed view starts at the circuit's left).
    layout = page.evaluate("window.gatewise.getLayout().nodes")
    inputs = list(graph["inputs"].values())
    if not fits:
        left = min(layout[i]["x"] for i in inputs)
        inputs = [i for i in inputs if layout[i]["x"] < left + 10]
    on_screen = page.evaluate("""(ids) => {
        const s = document.querySelector('#circuit').getBoundingClientRect();
        return ids.every(id => {
            const r = document.querySelector(`[data-node-id="${id}"] .body`).getBoundingClientRect();
            return r.left >= s.left && r.right <= s.right && r.top >= s.top && r.bottom <= s.bottom; }); }""",
                              inputs)
    assert on_screen, inputs


def test_a_large_circuit_opens_on_its_inputs_and_shows_a_busy_indicator(page):
    open_app(page)
    lines = [f"a{i} = {i % 7 - 3}" for i in range(60)]
    lines += [f"s{i} = a{i} * a{(i + 1) % 60} + s{i - 1}" if i else "s0 = a0 * a1" for i in range(60)]
    program = "\n".join(lines)
    page.evaluate("""() => { window.__busy = false;
        new MutationObserver(() => { if (!document.querySelector('#busy').hidden) window.__busy = true; })
            .observe(document.querySelector('#busy'), {attributes: true}); }""")
    # Laid out in rows, this circuit may be drawn inside the 200 ms that show the indicator on a
    # fast machine: its request is held back, so the indicator must show whatever the machine.
    page.route("**/api/graph", lambda route: (time.sleep(0.4), route.continue_()))
    run_program(page, program)
    page.unroute("**/api/graph")
    assert page.evaluate("window.__busy")
    assert page.is_hidden("#busy")
    assert page.evaluate("window.gatewise.viewMode()") == "inputs"
    a0 = page.evaluate("window.gatewise.getGraph().inputs.a0")
    s = page.locator("#circuit").bounding_box()
    r = page.locator(f"[data-node-id='{a0}']").bounding_box()
    assert s["x"] <= r["x"] <= s["x"] + s["width"] / 2
    assert min(size for _, size in visible_text_sizes(page)) >= 11


def test_a_newer_edit_cancels_a_stale_layout(page):
    open_app(page)
    big = "\n".join(["s0 = a0 * 2"] + [f"s{i} = s{i - 1} * a{i} + {i}" for i in range(1, 400)])
    values = {f"a{i}": 1 for i in range(400)}
    before = evals(page)
    page.evaluate("""([p, v]) => { window.gatewise.setProgram(p, v);
                                   setTimeout(() => window.gatewise.setProgram('f = 2 * 3'), 50); }""",
                  [big, values])
    wait_drawn(page, before)
    page.wait_for_timeout(300)
    assert page.evaluate("document.body.dataset.evals") == str(before + 1)  # the big one was never drawn
    assert page.locator("[data-node-id]").count() == 3
    assert page.text_content("[data-edge-id='__output__'] .val") == "6"


def test_expanding_a_gate_keeps_the_view_on_it(page):
    open_app(page)
    run_program(page, "f = sigmoid(w0*x0 + w1*x1 + w2)", {"w0": 2, "x0": -1, "w1": -3, "x1": -2, "w2": -3})
    sig = page.get_attribute(".node.composite", "data-node-id")
    gate = page.locator(f"[data-node-id='{sig}']").bounding_box()
    before = evals(page)
    page.dblclick(f"[data-node-id='{sig}']")
    wait_drawn(page, before)
    frame = page.locator(f"[data-group-id='{sig}'] .frame").bounding_box()
    stage = page.locator("#circuit").bounding_box()
    assert frame["x"] >= stage["x"] and frame["x"] + frame["width"] <= stage["x"] + stage["width"]
    cx, cy = frame["x"] + frame["width"] / 2, frame["y"] + frame["height"] / 2
    # The frame sits where the gate was, unless it had to shift to stay whole on the stage.
    assert abs(cy - (gate["y"] + gate["height"] / 2)) < 40
    assert abs(cx - (gate["x"] + gate["width"] / 2)) < frame["width"] / 2 + 40


@pytest.fixture
def touch_page(browser, live_server):
    """A phone-sized page with touch."""
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True,
                              base_url=live_server)
    pg = ctx.new_page()
    pg.set_default_timeout(20000)
    yield pg
    ctx.close()


def gesture(page, steps: list[tuple[str, list[tuple[float, float]]]]) -> None:
    """A touch gesture: CDP touch events (kind, points) in one session."""
    cdp = page.context.new_cdp_session(page)
    for kind, points in steps:
        cdp.send("Input.dispatchTouchEvent",
                 {"type": kind, "touchPoints": [{"x": x, "y": y, "id": i}
                                                for i, (x, y) in enumerate(points)]})
    cdp.detach()


def test_touch_pans_pinches_and_scrubs(touch_page):
    page = touch_page
    open_app(page)
    run_program(page, "x = 3\ny = -4\nf = x * y + x")
    transform = "() => document.querySelector('#circuit .viewport').getAttribute('transform')"
    s = page.locator("#circuit").bounding_box()
    x0, y0 = s["x"] + 30, s["y"] + s["height"] - 40  # the background, away from the gates
    start = page.evaluate(transform)
    gesture(page, [("touchStart", [(x0, y0)]), ("touchMove", [(x0 + 60, y0 - 20)]), ("touchEnd", [])])
    panned = page.evaluate(transform)
    assert panned != start
    k0 = page.evaluate("window.gatewise.viewScale()")
    gesture(page, [("touchStart", [(x0, y0), (x0 + 40, y0)]), ("touchMove", [(x0 - 30, y0), (x0 + 70, y0)]),
                   ("touchEnd", [])])
    assert page.evaluate("window.gatewise.viewScale()") > k0 * 1.8  # the fingers spread 2.5×
    # Scrub the animation with a finger on the scrubber: its left end is the start.
    page.locator("#scrubber").scroll_into_view_if_needed()
    r = page.locator("#scrubber").bounding_box()
    page.touchscreen.tap(r["x"] + 3, r["y"] + r["height"] / 2)
    page.wait_for_function("document.querySelector('#scrubber').value === '0'")
    assert page.evaluate("[...document.querySelectorAll('[data-node-id]')]"
                         ".every(e => e.dataset.state === 'pending')")
