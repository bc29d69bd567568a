"""Browser tests: one headless Chromium per session, driven through Playwright's sync API.

Playwright's sync API runs an event loop in this thread, which makes Django refuse database
calls made from it ("async unsafe"); the test thread only sets up data, so that is safe here.
"""

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser):
    """Open pages in fresh browser contexts: `new_page(width=360, javascript=False)`."""
    contexts = []

    def open_page(*, width=DESKTOP["width"], height=DESKTOP["height"], javascript=True):
        context = browser.new_context(
            viewport={"width": width, "height": height}, java_script_enabled=javascript
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def site(live_server, transactional_db):
    """The live server's address, with data the test commits visible to its thread."""
    return live_server.url
