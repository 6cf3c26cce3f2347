"""Your own data in Chromium: a CSV round trip, every bad CSV's error, the decision boundary moving
while the net trains, predicted against true for regression, and the TikZ export compiling."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import pytest
from browser_helpers import evals, open_app, run_program, wait_drawn

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the shared TeX helpers
from texcheck import compile_png, ink, require_tex  # noqa: E402

pytestmark = pytest.mark.browser

CSV = "sepal,petal,kind\n0.5,1.25,cat\n-1.5,2,dog\n3,-0.75,cat\n0.125,0,bird\n2.5,1.5,dog\n"
BAD = [
    ("", "the CSV is empty", None),
    ("a,b,c\n", "no rows of data", None),
    ("a,b,c\n1,2,0\n3,x,1\n", "row 3, column 2 ('b'): 'x' is not a number", "3"),
    ("a,b,c\n1,,0\n", "row 2, column 2 ('b') is empty", "2"),
    ("a,b,c\n1,inf,0\n", "row 2, column 2 ('b'): 'inf' is not a finite number", "2"),
    ("a,b,c\n1,2,0\n1,2\n", "row 3 has 2 fields but the header has 3", "3"),
    ("a,a,c\n1,2,0\n", "the column name 'a' appears twice", "1"),
    ("a,b,c\n1,2,\n", "row 2, column 3 ('c') is empty", "2"),
    ("a,b,c\n1,2,-1\n", "class -1 is not in 0…99", "2"),
    ('a,b,c\n1,2,"0\n', "row 2", "2"),
    ("a\n1\n", "choose at least one feature", None),
]


def load_csv(page, text: str) -> None:
    """Pastes a CSV into the Data panel and presses Load."""
    if not page.eval_on_selector("#data-panel", "e => e.open"):
        page.click("#data-panel summary")
    page.fill("#data-csv", text)
    page.click("#data-load")


def inputs(page) -> dict:
    """Input name -> value on the drawn circuit."""
    return page.evaluate("""() => { const g = window.gatewise.getGraph();
        return Object.fromEntries(Object.entries(g.inputs)
            .map(([k, id]) => [k, g.nodes.find(n => n.id === id).value])); }""")


def test_csv_round_trip(page):
    open_app(page)
    before = evals(page)
    load_csv(page, CSV)
    wait_drawn(page, before)
    page.wait_for_selector("#data-panel[data-loaded='5']")
    got = inputs(page)
    rows = list(csv.reader(io.StringIO(CSV)))[1:]
    assert got["X"] == [[float(r[0]), float(r[1])] for r in rows]
    classes = sorted({r[2] for r in rows})
    assert got["y"] == [classes.index(r[2]) for r in rows]
    assert page.input_value("#expression").endswith("cross_entropy(z, y)")  # a net shaped for the data
    with page.expect_download() as dl:
        page.click("#data-download")
    back = Path(dl.value.path()).read_text()
    head, *again = list(csv.reader(io.StringIO(back)))
    assert head == ["sepal", "petal", "kind"]
    assert [[float(a), float(b), c] for a, b, c in again] == [[float(a), float(b), c] for a, b, c in rows]
    before = evals(page)
    load_csv(page, back)  # and it loads again to the same inputs
    wait_drawn(page, before)
    assert inputs(page)["X"] == got["X"] and inputs(page)["y"] == got["y"]


def test_a_csv_file_loads_like_a_pasted_one(page, tmp_path):
    (tmp_path / "d.csv").write_text(CSV)
    open_app(page)
    page.click("#data-panel summary")
    before = evals(page)
    page.set_input_files("#data-file", str(tmp_path / "d.csv"))
    wait_drawn(page, before)
    assert inputs(page)["X"][1] == [-1.5, 2] and page.input_value("#data-csv") == CSV


def test_the_label_and_feature_columns_can_be_chosen(page):
    open_app(page)
    before = evals(page)
    load_csv(page, "a,b,c,t\n1,2,3,0.5\n4,5,6,1.5\n7,8,9,2.5\n")
    wait_drawn(page, before)
    assert page.get_attribute("#boundary", "data-view") == "regression"  # t is not a class index
    assert inputs(page)["Y"] == [[0.5], [1.5], [2.5]]
    page.uncheck("#data-features input[value='b']")
    page.select_option("#data-label", "a")  # a leaves the features, t may join them
    assert page.locator("#data-features input[value='a']").count() == 0
    page.check("#data-features input[value='t']")
    page.select_option("#data-task", "regression")
    before = evals(page)
    page.click("#data-load")
    wait_drawn(page, before)
    assert inputs(page)["X"] == [[3, 0.5], [6, 1.5], [9, 2.5]] and inputs(page)["Y"] == [[1], [4], [7]]


@pytest.mark.parametrize(("text", "message", "line"), BAD, ids=[m for _, m, _ in BAD])
def test_every_bad_csv_names_what_is_wrong(page, text, message, line):
    page.allow_http_errors = True
    open_app(page)
    load_csv(page, text)
    page.wait_for_selector("#data-error:not([hidden])")
    box = page.locator("#data-error")
    assert message in box.inner_text()
    assert box.get_attribute("data-line") == (line or "")


def boundary_state(page) -> tuple[int, str]:
    """How often the boundary was drawn, and a signature of the last drawing."""
    d = page.eval_on_selector("#boundary", "e => ({u: e.dataset.updates || '0', "
                                           "s: e.dataset.signature || ''})")
    return int(d["u"]), d["s"]


def test_the_decision_boundary_is_drawn_and_moves_while_training(page):
    open_app(page)
    page.click("#data-panel summary")
    before = evals(page)
    page.click("#data-moons")
    wait_drawn(page, before)
    page.wait_for_function("Number(document.querySelector('#boundary').dataset.updates || 0) >= 1")
    assert page.get_attribute("#boundary", "data-view") == "boundary"
    colours = page.eval_on_selector("#boundary canvas", """c => { const d = c.getContext('2d')
        .getImageData(0, 0, c.width, c.height).data; const s = new Set();
        for (let i = 0; i < d.length; i += 64) s.add(d[i] + ',' + d[i + 1] + ',' + d[i + 2]);
        return s.size; }""")
    assert colours > 10  # the classes' regions and the points, not a blank canvas
    start, first = boundary_state(page)
    page.fill("#train-panel [data-role=lr]", "0.5")
    page.fill("#train-panel [data-role=steps]", "400")
    page.click("#train-panel [data-role=run]")
    signatures = {first}
    page.wait_for_function("document.querySelector('#train-panel').dataset.running === 'true'")
    while page.get_attribute("#train-panel", "data-running") == "true":
        signatures.add(boundary_state(page)[1])
        page.wait_for_timeout(50)
    page.wait_for_function(f"Number(document.querySelector('#boundary').dataset.updates) > {start + 2}")
    signatures.add(boundary_state(page)[1])
    assert len(signatures) >= 3  # redrawn with a different boundary during the run, not only at its end


def test_regression_shows_predicted_against_true(page):
    open_app(page)
    run_program(page, "p = X @ w\nloss = mse(p, Y)", {"X": [[1, 2], [3, 4], [5, 7]], "w": [[0.5], [0.25]],
                                                        "Y": [[1.2], [2.4], [4.1]]})
    page.wait_for_function("document.querySelector('#boundary').dataset.view === 'regression'")
    assert "Predicted vs true" in page.text_content("#boundary h2")
    assert page.get_attribute("#boundary", "data-updates") == "1"


def test_the_tikz_export_compiles_to_a_drawn_page(page, tmp_path):
    require_tex()
    open_app(page)
    run_program(page, "f = (x + sigmoid(y)) / (sigmoid(x) + (x + y)**2)", {"x": 3, "y": -4})
    page.hover(".menu-button")
    with page.expect_download() as dl:
        page.click("#export-tikz")
    assert "\\frac" not in Path(dl.value.path()).read_text()  # plain: no formulas
    page.hover(".menu-button")
    with page.expect_download() as dl:
        page.click("#export-tikz-formulas")
    tex = Path(dl.value.path()).read_text()
    assert dl.value.suggested_filename == "gatewise_circuit.tex" and "\\begin{tikzpicture}" in tex
    assert "\\frac{\\partial \\sigma(x)}{\\partial x}" in tex
    layout = page.evaluate("window.gatewise.getLayout().nodes")
    out = page.evaluate("window.gatewise.getGraph().output")
    box = layout[out]
    centre = f"at ({box['x'] + box['w'] / 2:.1f},{box['y'] + box['h'] / 2:.1f})"
    assert centre in tex  # where the page drew it
    share = ink(compile_png(tex, tmp_path))
    assert 0.002 < share < 0.5, share
