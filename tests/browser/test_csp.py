"""The Content-Security-Policy holds everywhere: the public pages and the admin load and work in
Chromium with no console error, no uncaught error and no violation of the policy (the API docs:
tests/browser/test_api_docs.py)."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests import factories as f

from .csp import problems, watch

pytestmark = pytest.mark.browser

CASE = "/cases/ms13-ranfla-historica-edny/"
PUBLIC_PAGES = [
    "/",
    "/cases/",
    CASE,
    "/people/elmer-canales-rivera/",
    "/organizations/ms13/",
    "/search/?q=crook",
]


@pytest.fixture
def demo(site):
    call_command("loaddata", "demo", verbosity=0)
    call_command("write_published_copy", verbosity=0)
    return site


@pytest.fixture
def signed_in(demo, new_page):
    """A page signed in to the admin through its sign-in form, and what it has seen so far."""
    f.UserFactory(username="editor", is_staff=True, is_superuser=True)
    page = new_page()
    seen = watch(page)
    page.goto(demo + "/admin/")
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    assert problems(page, seen) == []  # the sign-in page itself
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Research desk")).to_be_visible()
    return page, seen


def test_the_policy_is_sent_with_every_page(demo, new_page):
    page = new_page()
    response = page.goto(demo + CASE)
    policy = response.headers["content-security-policy"]
    for directive in (
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ):
        assert directive in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_the_public_pages_break_no_rule(demo, new_page, path):
    page = new_page()
    seen = watch(page)
    response = page.goto(demo + path)
    page.wait_for_load_state("load")

    assert response.status == 200
    assert problems(page, seen) == []


def test_the_admin_breaks_no_rule_while_a_case_is_edited(demo, signed_in):
    page, seen = signed_in
    assert problems(page, seen) == []  # the index

    page.goto(demo + "/admin/cases/case/1/change/")
    expect(page.locator(".partial-date").first).to_be_attached()
    defendants = page.locator("#defendants-group")
    rows = defendants.locator("tr.form-row:not(.empty-form)")
    before = rows.count()
    defendants.get_by_role("button", name="Add another Defendant").click()
    expect(rows).to_have_count(before + 1)  # "add another" ran

    new_row = rows.last
    new_row.locator(".select2-selection").first.click()  # the person, by autocomplete
    page.locator(".select2-container--open .select2-search__field").fill("Canales")
    option = page.locator(".select2-results__option", has_text="Élmer Canales Rivera")
    option.click()
    expect(new_row.locator(".select2-selection__rendered").first).to_contain_text(
        "Élmer Canales Rivera"
    )
    events = page.locator("#court_events-group")
    expect(events.locator(".partial-date input[type=text]").first).to_be_editable()

    assert problems(page, seen) == []


@pytest.mark.parametrize(
    "path",
    [
        "/admin/cases/case/",
        "/admin/cases/case/1/history/",
        "/admin/cases/case/import/",
        "/admin/cases/case/export/",
        "/admin/people/person/1/change/",
        "/admin/cases/courtevent/add/",
    ],
)
def test_other_admin_pages_break_no_rule(demo, signed_in, path):
    page, seen = signed_in
    response = page.goto(demo + path)
    page.wait_for_load_state("load")

    assert response.status == 200
    assert problems(page, seen) == []
