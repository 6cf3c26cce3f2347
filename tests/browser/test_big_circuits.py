"""Big circuits on the page: rows with ghosts, labels that never collide, scrubbing that rewrites only
changed numbers, rows out of view brought up to date, and the busy indicator."""

from __future__ import annotations

import time

import pytest
from browser_helpers import api_graph, evals, open_app, run_program, wait_drawn

pytestmark = pytest.mark.browser


def chain(lines: int) -> str:
    """The issue's deep chain, about six nodes a line."""
    body = [f"a{i} = tanh(a{i - 1} * w + b) + a{i - 1} * 0.5" for i in range(1, lines + 1)]
    return "\n".join(["a0 = 0.5", "w = 0.8", "b = 0.1", *body])


# Pairs of visible circuit texts on screen whose boxes overlap.
OVERLAPS = """() => {
  const shown = (t) => {
    for (let e = t; e && e.id !== 'circuit'; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === 'none' || s.visibility === 'hidden' || Number(s.opacity) === 0) return false;
    }
    return t.textContent.trim() !== '';
  };
  const stage = document.querySelector('#circuit').getBoundingClientRect();
  const onStage = ([, r]) => r.width > 0 && r.right > stage.left && r.left < stage.right
    && r.bottom > stage.top && r.top < stage.bottom;
  const boxes = [...document.querySelectorAll('#circuit text')].filter(shown)
    .map((t) => [t, t.getBoundingClientRect()]).filter(onStage);
  const pairs = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const [ta, a] = boxes[i], [tb, b] = boxes[j];
    const x = a.left < b.right - 0.5 && b.left < a.right - 0.5;
    if (x && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5)
      pairs.push(`${ta.textContent} / ${tb.textContent}`);
  }
  return { texts: boxes.length, numbers: boxes.filter(([t]) => t.matches('.val, .grad')).length, pairs };
}"""


def test_no_text_overlaps_another_at_fit_or_at_100_percent_on_a_300_gate_chain(page):
    open_app(page)
    run_program(page, chain(60))
    page.click("#fit")
    fit = page.evaluate(OVERLAPS)
    assert fit["texts"] > 50, fit  # the gates' symbols and names are drawn
    assert fit["pairs"] == [], fit["pairs"][:5]
    page.evaluate("() => window.gatewise.zoomTo(1)")
    full = page.evaluate(OVERLAPS)
    assert full["numbers"] > 10, full  # at 100 % the wires carry their numbers
    assert full["pairs"] == [], full["pairs"][:5]


def test_fit_shows_a_1000_gate_chain_whole(page):
    open_app(page)
    run_program(page, chain(170))
    page.click("#fit")
    inside = page.evaluate("""() => {
        const s = document.querySelector('#circuit').getBoundingClientRect();
        const r = document.querySelector('#circuit .viewport').getBoundingClientRect();
        return r.left >= s.left - 1 && r.right <= s.right + 1
            && r.top >= s.top - 1 && r.bottom <= s.bottom + 1; }""")
    assert inside


def test_a_deep_chain_is_drawn_in_rows_a_value_from_an_earlier_row_enters_as_a_ghost(page):
    open_app(page)
    run_program(page, chain(40))
    layout = page.evaluate("window.gatewise.getLayout().rows.length")
    assert layout > 3
    page.click("#fit")
    ghosts = page.evaluate("() => [...document.querySelectorAll('[data-ghost-of]')]"
                           ".map(g => g.textContent.trim())")
    assert "w" in ghosts and "b" in ghosts and "a40" not in ghosts
    assert any(g.startswith("a") for g in ghosts)  # the previous row's result
    graph = api_graph(page, chain(40))
    assert page.text_content("[data-edge-id='__output__'] .val") == f"{graph['nodes'][-1]['value']:.4g}"


# Records every text the circuit's next mutations write, and any element added or removed.
WATCH = """() => {
  window.__writes = [];
  window.__elements = 0;
  window.__mo = new MutationObserver((list) => list.forEach((m) => {
    for (const n of [...m.addedNodes, ...m.removedNodes]) if (n.nodeType === 1) window.__elements += 1;
    if (m.type === 'childList' && m.target.nodeName === 'text') window.__writes.push(m.target.textContent);
  }));
  const all = { childList: true, subtree: true, characterData: true };
  window.__mo.observe(document.querySelector('#circuit'), all);
}"""


def test_scrubbing_rewrites_only_the_numbers_that_changed(page):
    open_app(page)
    # q * 0 adds nothing downstream: only the numbers on q's wires change.
    first = "a1 = tanh(a0 * w + b) + a0 * 0.5"
    program = chain(30).replace(first, f"q = 3\n{first} + q * 0")
    run_program(page, program)
    page.evaluate("() => window.gatewise.zoomTo(1)")
    texts = "() => [...document.querySelectorAll('#circuit .val, #circuit .grad')].map(t => t.textContent)"
    before_texts = page.evaluate(texts)
    page.evaluate(WATCH)
    before = evals(page)
    page.evaluate("() => window.gatewise.scrub({q: 4})")
    wait_drawn(page, before)
    writes = page.evaluate("window.__writes")
    assert page.evaluate("window.__elements") == 0  # nothing rebuilt
    changed = sum(a != b for a, b in zip(before_texts, page.evaluate(texts)))
    assert 0 < len(writes) <= changed, writes  # q's value and the gradient its constant gets
    assert "4" in writes


def test_rows_out_of_view_show_the_new_numbers_when_they_come_back(page):
    open_app(page)
    run_program(page, chain(80))  # 483 nodes: big enough that rows out of view leave the document
    assert page.locator("[data-edge-id='__output__']").count() == 0  # the last row is out of view
    before = evals(page)
    page.evaluate("() => window.gatewise.scrub({w: 0.3})")
    wait_drawn(page, before)
    page.click("#fit")
    graph = api_graph(page, chain(80), {"w": 0.3})
    out = next(n for n in graph["nodes"] if n["id"] == graph["output"])
    assert page.text_content("[data-edge-id='__output__'] .val") == f"{out['value']:.4g}"


def test_a_slow_request_shows_the_busy_indicator_then_hides_it(page):
    open_app(page)
    assert page.get_attribute("#busy", "role") == "status"
    page.evaluate("""() => { window.__busy = false;
        new MutationObserver(() => {
            const busy = document.querySelector('#circuit').getAttribute('aria-busy') === 'true';
            if (!document.querySelector('#busy').hidden && busy) window.__busy = true; })
            .observe(document.querySelector('#busy'), {attributes: true}); }""")

    def slow(route):
        time.sleep(0.6)
        route.continue_()

    page.route("**/api/graph", slow)
    run_program(page, "x = 2\ny = x * 3")
    page.unroute("**/api/graph")
    assert page.evaluate("window.__busy")
    assert page.is_hidden("#busy")
    assert page.get_attribute("#circuit", "aria-busy") == "false"
