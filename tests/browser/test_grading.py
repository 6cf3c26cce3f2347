"""Pasting the CS231n staged code with its hand-written backward lines: the circuit, and each line graded."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from browser_helpers import api_graph, evals, node_states, open_app, wait_drawn

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pasted import STAGED  # noqa: E402

pytestmark = pytest.mark.browser


def _paste(page, text: str) -> None:
    """Replace the program as a paste does (one insertion into the focused editor), and wait."""
    open_app(page)
    before = evals(page)
    page.click("#expression")
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(text)
    page.keyboard.press("Control+Enter")
    wait_drawn(page, before)


def _backward_lines(text: str) -> list[int]:
    """The numbers of the lines that assign a d-name (den = … is forward code)."""
    lines = list(enumerate(text.split("\n"), 1))
    assigned = [k for k, line in lines
                if line.startswith("d") and " = " in line and not line.startswith("den ")]
    return assigned + [k for k, line in lines if " += " in line]


def test_the_pasted_staged_code_shows_its_circuit_and_every_line_right(page):
    _paste(page, STAGED)
    graph = api_graph(page, STAGED)
    assert set(node_states(page)) == {n["id"] for n in graph["nodes"]}
    names = page.eval_on_selector_all(".node .name, .node.kind-input .label",
                                      "els => els.map(e => e.textContent.trim())")
    assert {"x", "y", "sigx", "den", "invden", "f"} <= set(names)
    assert not any(n.startswith("d") and n != "den" for n in names)  # backward lines are no gates
    lines = sorted(_backward_lines(STAGED))
    assert lines == [v["line"] for v in graph["handwritten"]]
    marks = page.eval_on_selector_all("#gutter > div", "ds => ds.map(d => d.dataset.grade || '')")
    assert [marks[k - 1] for k in lines] == ["right"] * len(lines)
    assert page.text_content("#grading h2 .sub") == f"{len(lines)} of {len(lines)} lines right"
    rows = page.locator("#grading li.grade")
    assert rows.count() == len(lines)
    last_dx = max(k for k in lines if STAGED.split("\n")[k - 1].startswith("dx"))
    assert "true 2.06" in rows.nth(lines.index(last_dx)).text_content()
    x = next(n["id"] for n in graph["nodes"] if n["name"] == "x")
    assert page.get_attribute(f".node[data-node-id='{x}']", "data-grade") == "right"


def test_a_planted_overwrite_is_marked_at_its_line_and_gate(page):
    planted = STAGED.replace("dx += ((1 - sigx)", "dx = ((1 - sigx)")
    _paste(page, planted)
    line = next(k for k, t in enumerate(planted.split("\n"), 1) if t.startswith("dx = ((1 - sigx)"))
    marks = page.eval_on_selector_all("#gutter > div", "ds => ds.map(d => d.dataset.grade || '')")
    assert marks[line - 1] == "wrong"
    row = page.locator(f"#grading li.grade[data-line='{line}']")
    assert row.get_attribute("data-mistake") == "overwrite" and "+=" in row.text_content()
    graph = api_graph(page, planted)
    x = next(n["id"] for n in graph["nodes"] if n["name"] == "x")
    assert page.get_attribute(f".node[data-node-id='{x}']", "data-grade") == "wrong"
    row.locator(".grade-head").click()  # the row selects the gate of x
    assert page.get_attribute(f".node[data-node-id='{x}']", "class").find("selected") >= 0


def test_help_lists_the_spellings_and_the_graded_backward_pass(page):
    open_app(page)
    page.click("#help")
    page.wait_for_selector("#help-body .op-spellings")
    body = page.text_content("#help-body")
    assert "Also written: math.exp, np.exp, .exp()" in body
    assert "Your own backward pass" in body and "import numpy as np" in body
