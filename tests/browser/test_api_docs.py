"""The interactive docs in a real Chromium: they render every operation, try one out, and nothing
they load comes from anywhere but this site (no CDN, no online validator), within the site's
Content-Security-Policy and without a cookie."""

import pytest
from playwright.sync_api import expect

from tests import factories as f

from .csp import problems, watch

pytestmark = pytest.mark.browser


def test_the_docs_render_from_local_files_only(site, new_page):
    page = new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    seen = watch(page)
    page.goto(f"{site}/api/v1/docs/")
    page.wait_for_selector(".opblock", timeout=20_000)
    operations = page.locator(".opblock").count()
    title = page.locator(".info .title").inner_text()

    assert operations == 21
    assert "casetracker partner API" in title
    assert f"{site}/api/v1/schema/" in requested
    assert [url for url in requested if not url.startswith(site)] == []
    assert problems(page, seen) == []
    assert page.context.cookies() == []


def test_an_operation_can_be_tried_out_under_the_policy(site, new_page):
    f.CourtFactory(name="U.S. District Court for the Eastern District of New York", slug="edny")
    page = new_page()
    seen = watch(page)
    page.goto(f"{site}/api/v1/docs/")
    operation = page.locator("#operations-courts-courts_list")
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()

    expect(operation.locator(".live-responses-table tbody .response-col_status")).to_have_text(
        "200"
    )
    expect(operation.locator(".live-responses-table")).to_contain_text("edny")
    assert problems(page, seen) == []
