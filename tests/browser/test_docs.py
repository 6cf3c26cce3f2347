"""/docs in a browser that may reach nothing but the app: Swagger UI is the app's own copy."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_docs_show_every_operation_offline(browser, live_server):
    context = browser.new_context(base_url=live_server)
    page = context.new_page()
    outside: list[str] = []
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(live_server) else
               (outside.append(r.request.url), r.abort()))
    spec = page.request.get("/openapi.json").json()
    operations = {f"{method.upper()} {path}" for path, item in spec["paths"].items() for method in item}
    page.goto("/docs")
    page.wait_for_selector(".opblock-summary")
    shown = page.evaluate("""() => [...document.querySelectorAll('.opblock-summary')].map(e =>
        e.querySelector('.opblock-summary-method').textContent + ' ' +
        e.querySelector('[data-path]').dataset.path)""")
    context.close()
    assert set(shown) == operations and len(shown) == len(operations)
    assert len(operations) >= 7
    assert not outside, outside


def test_redoc_is_not_served(live_server, browser):
    page = browser.new_page()
    assert page.goto(f"{live_server}/redoc").status == 404
    page.close()
