"""The interactive docs in a real Chromium: they render every operation, and nothing they load comes
from anywhere but this site (no CDN, no online validator)."""

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_docs_render_from_local_files_only(live_server):
    from playwright.sync_api import sync_playwright

    requested = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        page = browser.new_page()
        page.on("request", lambda request: requested.append(request.url))
        page.goto(f"{live_server.url}/api/v1/docs/")
        page.wait_for_selector(".opblock", timeout=20_000)
        operations = page.locator(".opblock").count()
        title = page.locator(".info .title").inner_text()
        browser.close()
    assert operations == 21
    assert "casetracker partner API" in title
    assert f"{live_server.url}/api/v1/schema/" in requested
    assert [url for url in requested if not url.startswith(live_server.url)] == []
