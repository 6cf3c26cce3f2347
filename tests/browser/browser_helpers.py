"""Helpers shared by the browser tests: open the page, evaluate a program, read the drawing."""

from __future__ import annotations

import json


def evals(page) -> int:
    """How many evaluations the page has finished drawing."""
    return int(page.evaluate("document.body.dataset.evals || '0'"))


def wait_drawn(page, before: int) -> None:
    """Waits until an evaluation after `before` has been drawn."""
    page.wait_for_function(f"Number(document.body.dataset.evals || 0) > {before} "
                           "&& document.body.dataset.status === 'ready'")


def open_app(page, hash_: str = "") -> None:
    """Opens the page (optionally with a share hash) and waits for its first drawing."""
    page.goto(f"/{hash_}")
    wait_drawn(page, 0)


def run_program(page, program: str, values: dict | None = None) -> None:
    """Sets the program (and input overrides) through the app object and waits for the drawing."""
    before = evals(page)
    page.evaluate("([p, v]) => window.gatewise.setProgram(p, v)", [program, values or {}])
    wait_drawn(page, before)


def api_graph(page, program: str, values: dict | None = None, expand=False) -> dict:
    """The API's graph for a program (what the page should be drawing)."""
    body = {"expression": program, "values": values or {}, "expand": expand}
    res = page.request.post("/api/graph", data=json.dumps(body), headers={"Content-Type": "application/json"})
    assert res.ok, res.text()
    return res.json()


def node_states(page) -> dict[str, str]:
    """data-node-id -> data-state of every drawn node."""
    return page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('[data-node-id]')]
        .map(e => [e.dataset.nodeId, e.dataset.state]))""")


def edge_labels(page) -> dict[str, dict]:
    """Edge id -> its value/gradient texts and whether each is shown."""
    return page.evaluate("""() => Object.fromEntries(
        [...document.querySelectorAll('[data-edge-id]')].map(e => [e.dataset.edgeId, {
            val: e.querySelector('.val').textContent,
            grad: e.querySelector('.grad').textContent,
            showVal: e.classList.contains('show-val'),
            showGrad: e.classList.contains('show-grad')}]))""")
