"""Every list, detail, timeline and the calendar: the number of queries is pinned, and the same with
3 rows as with 30 (no query per row, however deep the nesting)."""

import datetime

import pytest

from cases.models import CustodyStatus
from casetracker.publication import Publication
from tests import factories as f

from .conftest import full_case

D = datetime.date

pytestmark = pytest.mark.django_db

# (path, queries): every list with its nested records, 3 rows then 30.
LISTS = [
    ("cases/", 3),
    ("people/", 4),
    ("organizations/", 3),
    ("courts/", 3),
    ("charges/", 4),
    ("court-events/", 5),
    ("extradition-requests/", 4),
    ("custody-records/", 4),
    ("sources/", 3),
    ("calendar.ics?since=2023", 4),  # full_case's hearings are older than the feed's window
]


@pytest.mark.parametrize(("path", "queries"), LISTS)
def test_lists(api, django_assert_num_queries, path, queries):
    for _ in range(3):
        full_case()
    with django_assert_num_queries(queries):
        small = api.get(path) if path.startswith("calendar") else api.get(path, page_size=100)
    for _ in range(27):
        full_case()
    with django_assert_num_queries(queries):
        large = api.get(path) if path.startswith("calendar") else api.get(path, page_size=100)
    assert small.status_code == large.status_code == 200
    if path.startswith("calendar"):
        assert large.content.count(b"BEGIN:VEVENT") == 30
    else:
        assert len(large.json()["results"]) >= 30


def test_case_detail_and_timelines(api, django_assert_num_queries):
    case = full_case(3)
    paths = [
        (f"cases/{case.slug}/", 11),
        (f"cases/{case.slug}/timeline/", 11),
        (f"/api/v1/cases/{case.slug}/timeline/?format=timelinejs", 11),
        (f"calendar.ics?case={case.slug}", 4),
    ]
    small = {}
    for path, queries in paths:
        with django_assert_num_queries(queries):
            small[path] = api.get(path).content
    full_case(27, case=case, court=case.court)
    for path, queries in paths:
        with django_assert_num_queries(queries):
            large = api.get(path).content
        assert len(large) > 5 * len(small[path])
    assert len(api.json(f"cases/{case.slug}/")["defendants"]) == 30


def person_in(cases: int, person=None):
    person = person or f.PersonFactory()
    for n in range(cases):
        case = full_case()
        defendant = f.DefendantFactory(case=case, person=person)
        event = f.CourtEventFactory(case=case, date=D(2024, 1, 1 + n % 28))
        f.AppearanceFactory(event=event, defendant=defendant)
        f.AliasFactory(person=person)
        f.MembershipFactory(person=person)
        f.CustodyRecordFactory(person=person, status=CustodyStatus.ARRESTED)
        f.CitationFactory(record=event)
    return person


def test_person_detail_and_timeline(api, django_assert_num_queries):
    person = person_in(3)
    paths = [
        (f"people/{person.slug}/", 8),
        (f"people/{person.slug}/timeline/", 12),
        (f"/api/v1/people/{person.slug}/timeline/?format=timelinejs", 12),
    ]
    for path, queries in paths:
        with django_assert_num_queries(queries):
            assert api.get(path).status_code == 200
    person_in(27, person)
    for path, queries in paths:
        with django_assert_num_queries(queries):
            assert api.get(path).status_code == 200
    detail = api.json(f"people/{person.slug}/")
    assert len(detail["cases"]) == len(detail["memberships"]) == 30


def test_organization_and_court_details(api, django_assert_num_queries):
    organization = f.OrganizationFactory()
    court = f.CourtFactory()

    def grow(n):
        for _ in range(n):
            f.OrganizationAliasFactory(organization=organization)
            f.OrganizationFactory(parent=organization)
            f.CitationFactory(record=f.MembershipFactory(organization=organization))
            f.CaseFactory(court=court)

    grow(3)
    paths = [(f"organizations/{organization.slug}/", 8), (f"courts/{court.slug}/", 3)]
    for path, queries in paths:
        with django_assert_num_queries(queries):
            assert api.get(path).status_code == 200
    grow(27)
    for path, queries in paths:
        with django_assert_num_queries(queries):
            assert api.get(path).status_code == 200
    detail = api.json(f"organizations/{organization.slug}/")
    assert len(detail["members"]) == detail["member_count"] == 30


def test_an_organization_shows_its_first_members_and_counts_them_all(api, monkeypatch):
    monkeypatch.setattr("people.api.MEMBERS_SHOWN", 2)
    gang = f.OrganizationFactory(slug="gang")
    for name in ("Dario", "Ana", "Carla", "Beto"):
        f.MembershipFactory(person=f.PersonFactory(name=name, slug=name.lower()), organization=gang)
    f.MembershipFactory(organization=gang, publication=Publication.DRAFT)
    f.MembershipFactory(organization=f.OrganizationFactory(), person=f.PersonFactory(name="Al"))
    detail = api.json("organizations/gang/")
    assert [m["person"]["slug"] for m in detail["members"]] == ["ana", "beto"]
    assert detail["member_count"] == 4
    assert api.keys(detail["links"]["people"]) == ["ana", "beto", "carla", "dario"]


@pytest.mark.parametrize(
    ("path", "queries"),
    [
        ("charges/{charge}/", 4),
        ("court-events/{event}/", 5),
        ("extradition-requests/{request}/", 4),
        ("custody-records/{custody}/", 4),
        ("sources/{source}/", 3),
    ],
)
def test_fact_details(api, django_assert_num_queries, path, queries):
    source = f.SourceFactory()
    event = f.CourtEventFactory()
    records = {
        "charge": f.ChargeFactory(),
        "event": event,
        "request": f.ExtraditionRequestFactory(),
        "custody": f.CustodyRecordFactory(),
        "source": source,
    }
    url = path.format(**{name: record.pk for name, record in records.items()})

    def grow(n):
        for _ in range(n):
            for record in records.values():
                if record is not source:
                    f.CitationFactory(record=record)
            f.AppearanceFactory(event=event)

    grow(3)
    with django_assert_num_queries(queries):
        assert api.get(url).status_code == 200
    grow(27)
    with django_assert_num_queries(queries):
        response = api.get(url)
    assert response.status_code == 200
    if "sources" in response.json():
        assert len(response.json()["sources"]) == 30
