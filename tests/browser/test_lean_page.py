"""The page reads the lean page form: rebuilt, it is the full answer; the inspector's windows its values."""

from __future__ import annotations

import json

import numpy as np
import pytest
from browser_helpers import api_graph, run_program

pytestmark = pytest.mark.browser

PROGRAM = "z = X @ W + b\nh = tanh(z)\nloss = cross_entropy(h, labels)"
CS231N = "x = 3\ny = -4\nf = (x + sigmoid(y)) / (sigmoid(x) + (x + y)**2)"


def values() -> dict:
    """X: data, 100×50 (more than INLINE entries, so summarized and its gradient left out); z: 100×50."""
    rng = np.random.default_rng(3)
    return {"X": rng.normal(size=(100, 50)).round(6).tolist(),
            "W": rng.normal(size=(50, 50)).round(6).tolist(), "b": 0.25,
            "labels": rng.integers(0, 50, 100).astype(float).tolist()}


def full_graph(page, program, vals) -> dict:
    """The API's full answer (the contract the page form must rebuild)."""
    return api_graph(page, program, vals)


def drawn_graph(page) -> dict:
    """The page's rebuilt graph, as JSON."""
    return page.evaluate("""() => { const g = window.gatewise.getGraph();
        return {...g, omitted: [...g.omitted]}; }""")


def formatted(page, numbers) -> list:
    """Numbers as the inspector writes them (the page's own formatNumber, 3 digits)."""
    return page.evaluate("""async (xs) => { const f = await import('/static/js/format.js');
        return xs.map((x) => f.formatNumber(x, 3)); }""", numbers)


def cells(page, block: str) -> list:
    """The inspector's cell texts of one block, row by row."""
    rows = f"#inspector .matrix-block.{block} table.matrix tr"
    return page.evaluate(f"""() => [...document.querySelectorAll('{rows}')]
        .map((tr) => [...tr.cells].map((td) => td.textContent))""")


def test_the_page_asks_for_the_page_form_and_rebuilds_the_full_answer(page):
    sent = []
    page.on("request", lambda r: r.url.endswith("/api/graph") and sent.append(json.loads(r.post_data)))
    page.goto("/")
    page.wait_for_function("document.body.dataset.status === 'ready'")
    run_program(page, CS231N)
    assert sent and all(body.get("format") == "page" for body in sent)
    full, drawn = full_graph(page, CS231N, {}), drawn_graph(page)
    assert drawn["nodes"] == full["nodes"] and drawn["edges"] == full["edges"]
    for key in ("output", "seed", "inputs", "groups", "handwritten"):
        assert drawn[key] == full[key], key


def test_tensor_graph_rebuilt_with_summaries_and_the_inputs_own_values(page):
    page.goto("/")
    page.wait_for_function("document.body.dataset.status === 'ready'")
    vals = values()
    run_program(page, PROGRAM, vals)
    full, drawn = full_graph(page, PROGRAM, vals), drawn_graph(page)
    x = full["inputs"]["X"]
    assert x in drawn["omitted"]
    for got, want in zip(drawn["nodes"], full["nodes"], strict=True):
        for field, v in want.items():
            g = got[field]
            if isinstance(g, dict):  # a summary: its shape and norm are the full value's
                assert g["shape"] == want["shape"]
                assert g["norm"] == pytest.approx(np.linalg.norm(v), rel=1e-12)
            elif field == "grad" and want["id"] == x:
                assert g is None  # left out: a data input's gradient, fetched when inspected
            else:
                assert g == v, (want["id"], field)
    assert next(n for n in drawn["nodes"] if n["id"] == x)["value"] == vals["X"]  # the page's own numbers
    for got, want in zip(drawn["edges"], full["edges"], strict=True):
        assert {k: v for k, v in got.items() if k != "contribution"} == \
            {k: v for k, v in want.items() if k != "contribution"}


@pytest.mark.parametrize("name,block", [("z", "value"), ("z", "gradient"), ("X", "gradient")])
def test_inspector_windows_equal_the_full_values(page, name, block):
    page.goto("/")
    page.wait_for_function("document.body.dataset.status === 'ready'")
    vals = values()
    run_program(page, PROGRAM, vals)
    full = full_graph(page, PROGRAM, vals)
    node = next(n for n in full["nodes"] if n["name"] == name)
    whole = np.array(node["value" if block == "value" else "grad"])
    page.evaluate("(id) => window.gatewise.select(id)", node["id"])
    page.wait_for_selector(f"#inspector .matrix-block.{block} table.matrix")
    assert cells(page, block) == [formatted(page, row) for row in whole[:32, :32].tolist()]
    page.click(f"#inspector .matrix-block.{block} button[aria-label='Next columns']")
    page.wait_for_function(f"""() => document.querySelector('#inspector .matrix-block.{block} table.matrix')
        ?.dataset.cols === '{min(32, whole.shape[1] - 32)}:{whole.shape[1]}'""")
    assert cells(page, block) == [formatted(page, row) for row in whole[:32, -32:].tolist()]
    field = "value" if block == "value" else "grad"
    windows = page.evaluate("""async ([g, id, field]) => { const api = await import('/static/js/api.js');
        return api.fetchTensor(g, id, field, [3, 30], [5, 45]); }""",
                            [{"expression": PROGRAM, "values": vals}, node["id"], field])
    assert windows["data"] == whole[3:30, 5:45].tolist()  # exactly, not only as displayed
