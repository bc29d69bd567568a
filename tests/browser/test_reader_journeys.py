"""A reader's journeys through the public pages, in a real (headless) Chromium."""

import datetime
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import expect

from cases.models import CaseStatus, ChargeCategory
from tests import factories as f
from tests.pages.crook import build_crook_case
from tests.publishing import publish_all

pytestmark = pytest.mark.browser

CASE = "/cases/ms13-ranfla-historica-edny/"
PAGES = {
    "home": "/",
    "case list": "/cases/",
    "case": CASE,
    "person": "/people/elmer-canales-rivera/",
    "organization": "/organizations/ms13/",
}


@pytest.fixture
def crook(site):
    return build_crook_case()


def test_search_elmer_from_the_home_page_and_reach_crooks_case(site, crook, new_page):
    page = new_page(javascript=False)  # the pages need no JavaScript
    page.goto(site + "/")
    page.get_by_label("Search by case, name or alias").fill("elmer")
    page.get_by_role("button", name="Search").click()

    expect(page).to_have_url(re.compile(r"/search/\?q=elmer$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    page.get_by_role("link", name="MS13 Ranfla histórica terrorism case (E.D.N.Y.)").click()

    expect(page).to_have_url(site + CASE)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "MS13 Ranfla histórica terrorism case (E.D.N.Y.)"
    )
    crook_card = page.locator(".defendant", has_text="Élmer Canales Rivera")
    expect(crook_card).to_contain_text("Also known as “Crook”")
    expect(crook_card.locator("dd").nth(1)).to_contain_text("Not guilty")
    expect(crook_card.locator("dd").nth(2)).to_contain_text("Detained pending trial")
    expect(crook_card.locator("dd").nth(2)).to_contain_text("United States of America")
    # at a glance: near the top of the page, right under the summary
    box = crook_card.bounding_box()
    assert box is not None
    assert box["y"] + box["height"] < 1400


def test_read_the_arraignment_in_the_timeline_and_its_source(site, crook, new_page):
    page = new_page()
    page.goto(site + CASE)
    timeline = page.locator("ol.timeline")
    items = timeline.locator("> li")
    expect(items.first.locator(".timeline__date")).to_have_text("December 2020")
    arraignment = items.filter(has=page.get_by_role("heading", name="Arraignment"))
    expect(arraignment).to_have_count(1)
    expect(arraignment.locator(".timeline__date time")).to_have_text("8 December 2023")
    expect(arraignment.locator(".timeline__date time")).to_have_attribute("datetime", "2023-12-08")
    expect(arraignment).to_contain_text("Central Islip, New York")
    expect(arraignment).to_contain_text("Élmer Canales Rivera pleaded not guilty.")
    expect(items.filter(has_text="Initial appearance").locator("time")).to_have_text(
        "c. 9 November 2023"
    )

    arraignment.locator("a.note-ref").first.click()
    expect(page).to_have_url(re.compile(r"#note-\d+$"))
    note = page.locator("li:target")
    expect(note).to_contain_text("entered the plea during his December 8 arraignment")
    expect(note).to_be_in_viewport()
    note.get_by_role("link").click()
    source = page.locator("li:target")
    expect(source).to_contain_text(
        "US Terrorism Trial of MS13 Leader Could Expose El Salvador Gang Talks"
    )
    expect(source).to_contain_text("InSight Crime")


def test_filter_the_case_list(site, crook, new_page):
    sentenced = f.CaseFactory(title="Cartel leader case", status=CaseStatus.SENTENCED)
    f.ChargeFactory(
        document=f.ChargingDocumentFactory(case=sentenced), category=ChargeCategory.NARCOTICS
    )
    f.CaseFactory(title="Draft case", status=CaseStatus.SENTENCED, publication="draft")
    publish_all()
    page = new_page()
    page.goto(site + "/cases/")
    cards = page.locator(".case-card__title")
    expect(cards).to_have_count(2)

    page.get_by_label("Status", exact=True).select_option(label="Sentenced")
    page.get_by_role("button", name="Show cases").click()
    expect(page).to_have_url(re.compile(r"status=sentenced"))
    expect(cards).to_have_text(["Cartel leader case"])
    expect(page.get_by_role("status")).to_contain_text("1 case match your filters")
    expect(page.get_by_label("Status", exact=True)).to_have_value("sentenced")

    page.get_by_role("link", name="Clear filters").click()
    page.get_by_label("Organization", exact=True).select_option(label="MS13")
    page.get_by_label("Charge", exact=True).select_option(label="Terrorism")
    page.get_by_role("button", name="Show cases").click()
    expect(cards).to_have_text(["MS13 Ranfla histórica terrorism case (E.D.N.Y.)"])

    page.get_by_label("Title, name or alias", exact=True).fill("CROOK")
    page.get_by_label("Organization", exact=True).select_option(label="Any organization")
    page.get_by_label("Charge", exact=True).select_option(label="Any charge")
    page.get_by_role("button", name="Show cases").click()
    expect(cards).to_have_text(["MS13 Ranfla histórica terrorism case (E.D.N.Y.)"])


def test_on_a_phone_the_filters_fold_away_and_still_work(site, crook, new_page):
    f.CaseFactory(title="Cartel leader case", status=CaseStatus.SENTENCED)
    publish_all()
    page = new_page(width=360, height=780, javascript=False)
    page.goto(site + "/cases/")
    status = page.get_by_label("Status", exact=True)
    expect(status).to_be_hidden()
    page.get_by_text("Filter and sort cases").click()
    status.select_option(label="Sentenced")
    page.get_by_role("button", name="Show cases").click()
    expect(page.locator(".case-card__title")).to_have_text(["Cartel leader case"])
    expect(page.get_by_text("Filter and sort cases")).to_contain_text("1 active")


@pytest.mark.parametrize("name", list(PAGES))
def test_no_horizontal_scrolling_at_phone_width(site, crook, new_page, name):
    page = new_page(width=360, height=740)
    page.goto(site + PAGES[name])
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1] == 360


def test_the_skip_link_and_the_focus_are_visible(site, crook, new_page):
    page = new_page()
    page.goto(site + CASE)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")  # the first link in the page: the breadcrumb
    focused = page.locator(":focus")
    expect(focused).to_have_text("Home")
    background = focused.evaluate("el => getComputedStyle(el).backgroundColor")
    assert background == "rgb(255, 210, 63)"  # the yellow focus highlight


def test_axe_loads_from_the_installed_package_not_a_network():
    axe = Axe()
    assert axe.axe_script.lstrip().startswith("/*! axe v4")
    assert "cdn." not in axe.axe_script[:2000]


@pytest.mark.parametrize("name", list(PAGES))
@pytest.mark.parametrize("width", [1280, 360])
def test_axe_finds_no_serious_or_critical_violation(site, crook, new_page, name, width):
    page = new_page(width=width)
    page.goto(site + PAGES[name])
    results = Axe().run(page)
    serious = [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], "\n".join(serious)


def test_the_demo_case_reads_as_the_sources_tell_it(site, new_page):
    call_command("loaddata", "demo", verbosity=0)
    call_command("write_published_copy", verbosity=0)
    page = new_page()
    page.goto(site + "/")
    page.get_by_label("Search by case, name or alias").fill("crook")
    page.keyboard.press("Enter")
    page.get_by_role("link", name=re.compile("Ranfla histórica terrorism case")).click()
    crook_card = page.locator(".defendant", has_text="Élmer Canales Rivera")
    expect(crook_card).to_contain_text("Not guilty")
    expect(crook_card).to_contain_text("United States of America")
    arraignment = page.locator("ol.timeline > li").filter(
        has=page.get_by_role("heading", name="Arraignment")
    )
    expect(arraignment.locator("time")).to_have_text("8 December 2023")
    expect(arraignment).to_contain_text("pleaded not guilty")
    expect(arraignment.locator("a.note-ref")).not_to_have_count(0)
    expect(page.locator("#sources")).to_contain_text("InSight Crime")


def test_scheduled_hearings_show_on_the_home_page(site, crook, new_page):
    f.CourtEventFactory(
        case=crook.case,
        kind="status_conference",
        status="scheduled",
        date=datetime.date.today() + datetime.timedelta(days=30),
        place="Central Islip, New York",
    )
    publish_all()
    page = new_page(width=375)
    page.goto(site + "/")
    hearings = page.locator(".hearing")
    expect(hearings).to_have_count(1)
    expect(hearings).to_contain_text("Status conference")
    hearings.get_by_role("link").click()
    expect(page).to_have_url(site + CASE)
