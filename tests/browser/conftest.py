"""Browser-test fixtures: the real app on a free port, and headless Debian Chromium via Playwright."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from gatewise.server.local import serving

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
# Chromium logs every 4xx fetch as a console error; tests that provoke API errors on purpose allow these.
HTTP_ERROR = re.compile(r"Failed to load resource: the server responded with a status of 4\d\d")


def launch_chromium(playwright):
    """Headless Debian Chromium (Playwright's own browsers cannot be downloaded here)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def require_chromium() -> None:
    """Skips without Chromium, except under CI where a missing browser is a failure."""
    if Path(CHROMIUM).exists():
        return
    reason = f"{CHROMIUM} is missing (apt-get install chromium); browser tests need it"
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def live_server():
    """Base URL of the real app, served by uvicorn on a free port for the whole session."""
    require_chromium()
    with serving() as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the session."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch_chromium(p)
        yield b
        b.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh page on the app; fails the test if the page logged console errors."""
    context = browser.new_context(viewport={"width": 1400, "height": 860}, base_url=live_server)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    pg.console_errors = errors
    pg.allow_http_errors = False
    pg.set_default_timeout(20000)
    yield pg
    context.close()
    unexpected = [e for e in errors if not (pg.allow_http_errors and HTTP_ERROR.search(e))]
    assert not unexpected, f"console errors: {unexpected}"
