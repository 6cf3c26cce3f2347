"""What a student trips over in the first minutes (issue 12): stale values, links, editor keys, menus."""

from __future__ import annotations

import json

import pytest
from browser_helpers import evals, node_states, open_app, run_program, wait_drawn

pytestmark = pytest.mark.browser


def example_index(page, example_id: str) -> int:
    """The position of an example in the Examples menu."""
    examples = page.request.get("/api/examples").json()
    return next(i for i, ex in enumerate(examples) if ex["id"] == example_id)


def choose_example(page, example_id: str) -> None:
    """Chooses an example from the menu as a user would, and waits for its drawing."""
    before = evals(page)
    page.select_option("#examples", str(example_index(page, example_id)))
    wait_drawn(page, before)


def record_requests(page) -> list[dict]:
    """Bodies of every JSON POST to the API from now on."""
    bodies: list[dict] = []
    page.on("request", lambda r: bodies.append({"url": r.url, **json.loads(r.post_data)})
            if r.method == "POST" and "/api/" in r.url else None)
    return bodies


def type_program(page, text: str) -> None:
    """Replaces the program by typing it, and waits for the live evaluation (half-typed lines may
    be evaluated on the way: their 400s are expected)."""
    page.allow_http_errors = True
    before = evals(page)
    page.click("#expression")
    page.keyboard.press("Control+a")
    page.keyboard.type(text)
    wait_drawn(page, before)


def test_a_new_program_sends_only_its_own_inputs(page):
    open_app(page)
    choose_example(page, "xor")
    bodies = record_requests(page)
    type_program(page, "x = 2\nf = x * x")
    page.click("#gradcheck")
    page.wait_for_selector(".badge")
    assert "passed" in page.text_content("#toast")
    assert page.is_hidden("#error")
    assert bodies and all(set(b["values"]) <= {"x"} for b in bodies), bodies
    assert any(b["url"].endswith("/api/gradcheck") for b in bodies)
    page.wait_for_function("!location.hash.includes('W1')")
    assert "values" not in page.evaluate("decodeURIComponent(location.hash)")  # x's value is in the text


def test_a_slider_value_survives_edits_elsewhere_but_a_retyped_number_wins(page):
    open_app(page)
    run_program(page, "x = 3\ny = -4\nf = x * y")
    before = evals(page)
    page.eval_on_selector("#inputs .input-row[data-name='x'] input",
                          "e => { e.value = '5'; e.dispatchEvent(new Event('input', {bubbles: true})); }")
    wait_drawn(page, before)
    assert page.text_content("[data-edge-id='__output__'] .val") == "-20"
    type_program(page, "x = 3\ny = -4\nf = x * y + 1")  # x's line is unchanged: the slider's 5 stays
    assert page.text_content("[data-edge-id='__output__'] .val") == "-19"
    type_program(page, "x = 2\ny = -4\nf = x * y + 1")  # x retyped: the text wins
    assert page.text_content("[data-edge-id='__output__'] .val") == "-7"


def test_a_link_too_big_for_a_url_keeps_the_program_and_small_values_and_says_so(page, browser, live_server):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    open_app(page)
    big = [[round((i * 37 + j * 11) % 97 / 97 - 0.5, 6) for j in range(40)] for i in range(40)]
    program = "W = [[1, 2], [3, 4]]\nf = sum(W * W) * a"
    run_program(page, program, {"W": big, "a": 2})
    page.click("#share")
    page.wait_for_function("document.querySelector('#toast').textContent.includes('too big')")
    toast = page.text_content("#toast")
    assert "W" in toast and "a," not in toast
    page.wait_for_function("""new URLSearchParams(location.hash.slice(1)).get('values') === '{"a":2}'""")
    url = page.evaluate("navigator.clipboard.readText()")
    assert len(url.split("#", 1)[1]) <= 8192
    other = browser.new_page(base_url=live_server)
    try:
        other.goto(url)
        wait_drawn(other, 0)
        assert other.input_value("#expression") == program
        assert other.text_content("[data-edge-id='__output__'] .val") == "60"  # (1+4+9+16) * 2
    finally:
        other.close()


def test_tab_leaves_the_editor_and_indents_only_a_selection(page):
    open_app(page)
    run_program(page, "x = 3\nf = x * x")
    page.click("#expression")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") != "expression"
    assert page.input_value("#expression") == "x = 3\nf = x * x"
    page.focus("#expression")
    page.eval_on_selector("#expression", "e => e.setSelectionRange(0, e.value.length)")
    page.keyboard.press("Tab")
    assert page.input_value("#expression") == "  x = 3\n  f = x * x"
    assert page.evaluate("document.activeElement.id") == "expression"
    page.keyboard.press("Shift+Tab")
    assert page.input_value("#expression") == "x = 3\nf = x * x"
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")  # Escape, then Tab: leaves even with a selection
    assert page.evaluate("document.activeElement.id") != "expression"
    page.focus("#expression")
    page.keyboard.press("Control+m")  # Tab now always moves the focus
    page.eval_on_selector("#expression", "e => e.setSelectionRange(0, 3)")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") != "expression"
    assert page.input_value("#expression") == "x = 3\nf = x * x"


def test_the_editor_has_a_visible_focus_outline(page):
    open_app(page)
    page.focus("#expression")
    style = page.eval_on_selector(".editor",
                                  "e => getComputedStyle(e).outlineStyle + ' '"
                                  " + getComputedStyle(e).outlineWidth")
    assert style.startswith("solid") and not style.endswith(" 0px")


def test_keys_step_and_play_right_after_choosing_an_example(page):
    open_app(page)
    choose_example(page, "bowl")
    states = node_states(page)
    assert set(states.values()) == {"backward"}
    page.keyboard.press("ArrowLeft")
    assert node_states(page) != states
    page.keyboard.press("ArrowRight")
    assert node_states(page) == states
    choose_example(page, "gates")
    page.keyboard.press("Space")  # plays from the start, without a click elsewhere first
    page.wait_for_function("document.querySelector('#play').classList.contains('playing')")


def test_the_examples_menu_shows_what_is_loaded_until_an_edit(page):
    open_app(page)
    choose_example(page, "xor")
    i = example_index(page, "xor")
    assert page.input_value("#examples") == str(i)
    assert "XOR" in page.eval_on_selector("#examples", "s => s.selectedOptions[0].textContent")
    type_program(page, "f = 2 * 3")
    assert page.input_value("#examples") == ""
    choose_example(page, "xor")  # the same example can be chosen again
    assert "XOR" in page.input_value("#expression")


def test_one_sgd_step_table_is_cleared_by_a_new_program(page):
    page.set_viewport_size({"width": 1400, "height": 1000})
    open_app(page)
    choose_example(page, "bowl")
    page.wait_for_selector("#train-panel .train-param input")
    page.click("#train-panel [data-role=step]")
    page.wait_for_selector("#train-panel [data-role=onestep]:not([hidden]) tr[data-param='x']")
    run_program(page, "a = 1\nf = a * a")
    page.wait_for_function("document.querySelector('#train-panel [data-role=onestep]').hidden")
    assert page.locator("#train-panel [data-role=onestep] tr").count() == 0


def test_escape_closes_the_inspector_and_help(page):
    open_app(page)
    run_program(page, "D = W @ X", {"W": [[0, 1, 0], [1, 0, 1]], "X": [[3, -2], [0, 0], [-1, -2]]})
    w = page.evaluate("window.gatewise.getGraph().inputs.W")
    page.click(f"[data-node-id='{w}']")
    page.wait_for_selector("#inspector[open]")
    page.keyboard.press("Escape")
    assert page.locator("#inspector[open]").count() == 0
    page.click("#help")
    page.wait_for_selector("#help-dialog[open]")
    page.keyboard.press("Escape")
    assert page.locator("#help-dialog[open]").count() == 0


def test_a_trailing_space_typed_live_shows_no_error(page):
    open_app(page)
    type_program(page, "x = 3 \nf = x * 2 ")
    page.wait_for_timeout(500)  # the debounced evaluation of the last keystroke has run
    assert page.is_hidden("#error")
    assert page.text_content("[data-edge-id='__output__'] .val") == "6"


def test_an_unclosed_bracket_is_marked_where_it_opens(page):
    page.allow_http_errors = True
    open_app(page)
    page.fill("#expression", "f = (x + sigmoid(y")
    page.click("#evaluate")
    page.wait_for_selector("#error", state="visible")
    assert "Line 1, column 17" in page.text_content("#error .where")
    assert page.text_content("#marks .err-col") == "("


def test_the_xor_preset_trains_below_005_from_the_train_panel(page):
    page.set_viewport_size({"width": 1400, "height": 1000})
    open_app(page)
    choose_example(page, "xor")
    page.wait_for_selector("#train-panel .train-param input[value='W1']:checked")
    assert page.input_value("#train-panel [data-role=optimizer]") == "adam"
    steps = page.input_value("#train-panel [data-role=steps]")
    page.click("#train-panel [data-role=run]")
    page.wait_for_function(f"document.querySelector('#train-panel').dataset.trained === '{steps}'",
                           timeout=60000)
    status = page.text_content("#train-panel [data-role=status]")
    loss = float(status.rsplit("loss ", 1)[1].split()[0])
    assert loss < 0.05, status


def test_free_names_are_inputs_with_a_default_and_a_slider_as_help_says(page):
    open_app(page)
    run_program(page, "a = 2\nf = a * a")
    type_program(page, "f = x * y")
    assert page.is_hidden("#error")
    rows = page.eval_on_selector_all("#inputs .input-row", "rs => rs.map(r => r.dataset.name)")
    assert rows == ["x", "y"]
    assert page.text_content("#inputs .input-row[data-name='x'] .input-value") == "1"
    assert page.text_content("[data-edge-id='__output__'] .val") == "1"
    before = evals(page)
    page.eval_on_selector("#inputs .input-row[data-name='y'] input",
                          "e => { e.value = '2.5'; e.dispatchEvent(new Event('input', {bubbles: true})); }")
    wait_drawn(page, before)
    assert page.text_content("[data-edge-id='__output__'] .val") == "2.5"
    page.click("#help")
    intro = " ".join(page.text_content(".help-intro").split())
    assert "never assigned (f = x * y), which start at 1" in intro
