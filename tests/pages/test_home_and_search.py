import datetime
import re

import pytest
from django.utils import timezone

from cases.models import EventStatus
from casetracker.publication import Publication
from tests import factories as f
from tests.pages.crook import build_crook_case
from tests.publishing import publish_all

pytestmark = pytest.mark.django_db


def text(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def home(client):
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_home_shows_recent_cases_upcoming_hearings_and_counts(client):
    crook = build_crook_case()
    today = timezone.localdate()
    f.CourtEventFactory(
        case=crook.case,
        kind="status_conference",
        status=EventStatus.SCHEDULED,
        date=today + datetime.timedelta(days=10),
        place="Central Islip, New York",
    )
    f.CourtEventFactory(  # scheduled, but in the past
        case=crook.case,
        kind="motion_hearing",
        status=EventStatus.SCHEDULED,
        date=today - datetime.timedelta(days=10),
    )
    f.CourtEventFactory(  # upcoming, but a draft
        case=crook.case,
        kind="trial",
        status=EventStatus.SCHEDULED,
        date=today + datetime.timedelta(days=20),
        publication=Publication.DRAFT,
    )
    f.CourtEventFactory(  # upcoming, in a draft case
        case=f.CaseFactory(publication=Publication.DRAFT),
        kind="sentencing",
        status=EventStatus.SCHEDULED,
        date=today + datetime.timedelta(days=5),
    )
    f.CourtEventFactory(  # known only to this month: still upcoming
        case=crook.case,
        kind="plea_hearing",
        status=EventStatus.SCHEDULED,
        date=today.replace(day=1),
        date_precision="month",
    )
    f.CaseFactory(title="Draft case", publication=Publication.DRAFT)
    f.PersonFactory(publication=Publication.DRAFT)
    publish_all()
    words = text(home(client))
    assert "MS13 Ranfla histórica terrorism case (E.D.N.Y.)" in words
    assert "Élmer Canales Rivera (“Crook”)" in words
    assert "Draft case" not in words
    hearings = words[words.index("Upcoming hearings") :]
    assert "Status conference" in hearings
    assert "Plea hearing" in hearings
    assert "Motion hearing" not in hearings
    assert "Trial" not in hearings
    assert "Sentencing" not in hearings
    # 1 published case; Crook and Diablito; MS13 and the Ranfla
    assert "Cases 1 People 2 Organizations 2" in words


def test_home_has_a_labelled_search_box(client):
    html = home(client)
    assert '<label for="home-search-q">' in html
    assert 'action="/search/"' in html


def test_home_query_count_does_not_grow_with_the_rows(client, django_assert_num_queries):
    for n in range(8):
        case = f.CaseFactory()
        person = f.PersonFactory()
        f.AliasFactory(person=person)
        f.DefendantFactory(case=case, person=person)
        f.CourtEventFactory(
            case=case,
            status=EventStatus.SCHEDULED,
            date=timezone.localdate() + datetime.timedelta(days=n + 1),
        )
    publish_all()
    # savepoints 2, recent cases 1, defendants 1, aliases 1, hearings 1, counts 3
    with django_assert_num_queries(9):
        html = home(client)
    assert html.count('class="case-card"') == 6
    assert html.count('class="hearing"') == 6


def search(client, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    return response.content.decode()


def test_search_finds_cases_people_and_organizations(client):
    build_crook_case()
    words = text(search(client, "elmer"))
    assert "2 results for “elmer”" in words
    assert "Cases 1" in words
    assert "People 1" in words
    assert "Élmer Canales Rivera also known as “Crook”" in words
    words = text(search(client, "mara salvatrucha"))
    assert "Organizations 1" in words
    assert "MS13 also known as “Mara Salvatrucha”" in words


def test_search_does_not_find_drafts(client):
    crook = build_crook_case()
    f.AliasFactory(person=crook.crook, name="Hidden Name", publication=Publication.DRAFT)
    f.PersonFactory(name="Hidden Person", publication=Publication.DRAFT)
    f.OrganizationFactory(name="Hidden Gang", publication=Publication.DRAFT)
    f.CaseFactory(title="Hidden case", publication=Publication.DRAFT)
    publish_all()
    words = text(search(client, "hidden"))
    assert "Nothing matches “hidden”" in words
    assert "Canales Rivera" not in words


def test_an_empty_search_shows_only_the_form(client):
    build_crook_case()
    html = search(client, "")
    assert "Nothing matches" not in html
    assert '<label for="search-q">' in html
    assert '<meta name="robots" content="noindex">' in html


def test_search_query_count_does_not_grow_with_the_rows(client, django_assert_num_queries):
    for n in range(6):
        person = f.PersonFactory(name=f"Carlos {n}")
        f.AliasFactory(person=person, name=f"Carlitos {n}")
        f.DefendantFactory(case=f.CaseFactory(), person=person)
        f.OrganizationAliasFactory(organization=f.OrganizationFactory(name=f"Carlos band {n}"))
    publish_all()
    # savepoints 2; cases, their defendants and aliases 3; people and aliases 2;
    # organizations and aliases 2
    with django_assert_num_queries(9):
        html = search(client, "carlos")
    assert "Cases 6" in text(html)
    assert "People 6" in text(html)
    assert "Organizations 6" in text(html)


def test_a_hearing_says_where_only_what_is_public(client):
    soon = timezone.localdate() + datetime.timedelta(days=3)
    hidden_court = f.CourtFactory(name="Hidden court", publication=Publication.DRAFT)
    public_court = f.CourtFactory(short_name="S.D. Tex.")
    for court, place in ((hidden_court, ""), (hidden_court, "Houston"), (public_court, "")):
        f.CourtEventFactory(status=EventStatus.SCHEDULED, date=soon, court=court, place=place)
    publish_all()
    html = home(client)
    assert re.findall(r'<p class="hearing__where">([^<]*)</p>', html) == [
        "Houston",
        "S.D. Tex.",
    ]
    assert "Hidden court" not in html
    assert html.count('class="hearing"') == 3


LIMITS = "Search for at most 10 words and 200 characters"


def test_a_search_too_long_is_explained_and_not_run(client, django_assert_num_queries):
    build_crook_case()
    typed = " ".join(["crook"] * 700)  # 4,199 characters, as an attacker or a slipped paste
    with django_assert_num_queries(2):  # the request's savepoint and its release: no search
        html = search(client, typed)
    assert f"{LIMITS}: this search has 700 words and 4,199 characters." in text(html)
    assert 'aria-describedby="search-q-error"' in html
    assert f'value="{typed}"' in html  # what the reader typed, to shorten
    assert "result" not in text(html)
    words = text(search(client, "crook " * 10 + "elmer"))
    assert f"{LIMITS}: this search has 11 words and 65 characters." in words


def test_a_search_at_the_limits_runs(client):
    build_crook_case()
    words = text(search(client, "élmer canales rivera crook " + "crook " * 6))
    assert "Search for at most" not in words
    assert "2 results for" in words
