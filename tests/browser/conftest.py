"""Browser tests: one headless Chromium per session, driven through Playwright's sync API.

Playwright's sync API runs an event loop in this thread, which makes Django refuse database
calls made from it ("async unsafe"); the test thread only sets up data, so that is safe here.
"""

import os

import pytest
from django.core.servers.basehttp import WSGIServer

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


class OneRequestAtATime(WSGIServer):
    """Django's plain WSGIServer, taking the connections the live server thread shares."""

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.connections_override = connections_override or {}


@pytest.fixture(scope="session")
def live_server(request, django_db_setup):
    """pytest-django's live server, answering one request at a time on an in-memory SQLite.

    The server's threads then share the test's one SQLite connection, and two requests at once
    (a page and an autocomplete, say) would interleave their transactions on it ("no such
    savepoint"). Django's plain WSGIServer closes each connection after its response, so the
    browser never waits on a kept-alive one. PostgreSQL keeps the threaded server.
    """
    from django.db import connections
    from pytest_django.live_server_helper import LiveServer

    addr = request.config.getvalue("liveserver") or "localhost"
    server = LiveServer(addr, start=False)
    if any(c.vendor == "sqlite" and c.is_in_memory_db() for c in connections.all()):
        server.thread.server_class = OneRequestAtATime
    server.start()
    yield server
    server.stop()


@pytest.fixture
def site(live_server, transactional_db):
    """The live server's address, with data the test commits visible to its thread."""
    return live_server.url
