"""A case published as one unit, in Chromium: a researcher enters a case with a defendant who is a
new person, a charge, a hearing and a new source, and sends it to review once; an editor finds it
in the review queue, sees what will appear and what goes with it, and publishes it in one action;
the whole case is then on the public site at once. A later edit waits for the editor, who sees
it field by field before publishing it."""

import pytest
from playwright.sync_api import expect

from casetracker.roles import EDITOR, RESEARCHER, sync_roles
from tests import factories as f

pytestmark = pytest.mark.browser

PASSWORD = "a-long-test-password"


@pytest.fixture
def staff(site):
    sync_roles()
    from django.contrib.auth.models import Group

    for username, role in (("rita", RESEARCHER), ("eduardo", EDITOR)):
        user = f.UserFactory(username=username, is_staff=True)
        user.groups.add(Group.objects.get(name=role))
    f.CourtFactory(name="Eastern District of New York", short_name="E.D.N.Y.")  # published
    return site


def sign_in(new_page, site, username):
    page = new_page()
    page.goto(site + "/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Research desk")).to_be_visible()
    return page


def choose(page, container, typed, shown):
    """Pick `shown` in the autocomplete box of `container` after typing `typed`."""
    container.locator(".select2-selection").first.click()
    page.locator(".select2-container--open .select2-search__field").fill(typed)
    page.locator(".select2-results__option", has_text=shown).click()
    expect(container.locator(".select2-selection__rendered").first).to_contain_text(shown)
    # The test server shares one in-memory SQLite connection between its threads: a search
    # still running when the form is sent would interleave with the save.
    page.wait_for_load_state("networkidle")


def saved(page):
    expect(page.locator(".messagelist .success")).to_be_visible()


def test_a_case_entered_by_a_researcher_is_published_whole_by_an_editor(staff, new_page):
    page = sign_in(new_page, staff, "rita")

    page.goto(staff + "/admin/cases/source/add/")
    page.get_by_label("Title").fill("Indictment of Ana Example, unsealed")
    page.get_by_role("button", name="Save", exact=True).click()
    saved(page)

    page.goto(staff + "/admin/people/person/add/")
    page.locator("#id_name").press_sequentially("Ana Example")
    expect(page.locator("#id_slug")).to_have_value("ana-example")  # filled in as typed
    page.get_by_role("button", name="Save", exact=True).click()
    saved(page)

    page.goto(staff + "/admin/cases/case/add/")
    page.locator("#id_title").press_sequentially("United States v. Example")
    choose(page, page.locator(".field-court"), "Eastern", "E.D.N.Y.")
    defendants = page.locator("#defendants-group")
    defendants.get_by_role("button", name="Add another Defendant").click()
    choose(page, defendants.locator("tr.form-row:not(.empty-form)").last, "Ana", "Ana Example")
    documents = page.locator("#charging_documents-group")
    documents.get_by_role("button", name="Add another Charging document").click()
    documents.locator("tr.form-row:not(.empty-form) .partial-date input[type=text]").first.fill(
        "December 2020"
    )
    events = page.locator("#court_events-group")
    events.get_by_role("button", name="Add another Court event").click()
    event = events.locator(".inline-related:not(.empty-form)").last
    event.locator("select[name$='-kind']").select_option("arraignment")
    event.locator("select[name$='-status']").select_option("held")
    event.locator(".partial-date input[type=text]").first.fill("8 December 2023")
    event.locator("input[name$='-place']").fill("Central Islip, New York")
    citations = page.locator("div.inline-group[id*='citation']")
    citations.get_by_role("button", name="Add another Source").click()
    choose(page, citations.locator("tr.form-row:not(.empty-form)").last, "Indictment", "Ana")
    page.get_by_role("button", name="Save and continue editing").click()
    saved(page)

    charges = page.locator("#case-charges-group")  # offered once the case has its document
    row = charges.locator("tr.form-row:not(.empty-form)").first
    row.locator("select[name$='-document']").select_option(label="Indictment (December 2020)")
    row.locator("select[name$='-defendant']").select_option(label="Ana Example")
    row.locator("input[name$='-description']").fill("Conspiracy to commit murder")
    page.get_by_role("button", name="Save and continue editing").click()
    saved(page)

    expect(page.locator(".unit-state")).to_contain_text("Draft")
    page.get_by_role("link", name="Review and publish").click()
    expect(page.get_by_role("button", name="Publish")).to_have_count(0)  # researchers send
    page.get_by_role("button", name="Send to review").click()
    expect(page.locator(".messagelist .success")).to_contain_text("Sent to review: 7 records")
    expect(page.locator(".review-state").first).to_have_text("In review")

    reader = new_page()
    case_url = staff + "/cases/united-states-v-example/"
    assert reader.goto(case_url).status == 404  # nothing public before the editor publishes

    editor = sign_in(new_page, staff, "eduardo")
    queue = editor.locator("#review-queue + table")
    expect(queue).to_contain_text("United States v. Example")
    queue.get_by_role("link", name="United States v. Example").click()
    review = editor.locator(".unit-review")
    expect(review).to_contain_text("New on the public site: defendants (1)")
    expect(review).to_contain_text("Conspiracy to commit murder")
    with_it = review.locator("h2:has-text('Published with it') + p + ul")
    expect(with_it).to_contain_text("Ana Example")
    expect(with_it).to_contain_text("Indictment of Ana Example, unsealed")
    editor.get_by_label("Comment").fill("Checked against the indictment")
    editor.get_by_role("button", name="Publish").click()
    expect(editor.locator(".messagelist .success")).to_contain_text(
        "Published: 7 records. Readers see it now."
    )

    assert reader.goto(case_url).status == 200
    body = reader.locator("main")
    for shown in (
        "United States v. Example",
        "Ana Example",
        "Conspiracy to commit murder",
        "Central Islip, New York",
        "Indictment of Ana Example, unsealed",
    ):
        expect(body).to_contain_text(shown)
    assert reader.goto(staff + "/people/ana-example/").status == 200

    # An edit to what readers see waits for the editor, who sees it field by field.
    page.goto(staff + "/admin/cases/case/")
    page.get_by_role("link", name="United States v. Example").click()
    place = page.locator("#court_events-group input[name$='-place']").first
    place.fill("Brooklyn, New York")
    page.get_by_role("button", name="Save and continue editing").click()
    saved(page)
    reader.goto(case_url)
    expect(reader.locator("main")).to_contain_text("Central Islip, New York")  # not yet

    editor.goto(staff + "/admin/cases/case/")
    editor.get_by_role("link", name="United States v. Example").click()
    editor.get_by_role("link", name="Review and publish").click()
    change = editor.locator("table.unit-diff tr", has_text="Brooklyn, New York")
    expect(change).to_contain_text("Central Islip, New York")
    editor.get_by_role("button", name="Publish").click()
    expect(editor.locator(".messagelist .success")).to_be_visible()
    reader.goto(case_url)
    expect(reader.locator("main")).to_contain_text("Brooklyn, New York")
    expect(reader.locator("main")).not_to_contain_text("Central Islip, New York")
