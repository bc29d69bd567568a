"""Only published data: a draft record, or a published record's draft child, appears nowhere in the
API — lists, details, nested lists, timelines, TimelineJS, the calendar, filters."""

import datetime

import pytest

from cases.models import Disposition, ExtraditionStatus
from casetracker.publication import Publication
from tests import factories as f

from .conftest import full_case

D = datetime.date
DRAFT = Publication.DRAFT
SECRET = "SECRET"  # every unpublished record carries this word somewhere readers would see it

RESOURCES = [
    "cases",
    "people",
    "organizations",
    "courts",
    "charges",
    "court-events",
    "extradition-requests",
    "custody-records",
    "sources",
]


@pytest.fixture
def world(db):
    """A published case with drafts at every level, and draft records of every kind."""
    case = full_case(2)
    court, (crook, other) = case.court, [d.person for d in case.defendants.all()]
    document = case.charging_documents.get()
    day = {"date": D(2024, 2, 2), "date_precision": "day"}

    # drafts of every kind, on their own
    secret_court = f.CourtFactory(name=f"{SECRET} court", slug="secret-court", publication=DRAFT)
    secret_case = f.CaseFactory(
        title=f"{SECRET} case", slug="secret-case", court=court, publication=DRAFT
    )
    secret_person = f.PersonFactory(
        name=f"{SECRET} person", slug="secret-person", publication=DRAFT
    )
    secret_org = f.OrganizationFactory(
        name=f"{SECRET} organization", slug="secret-organization", publication=DRAFT
    )
    secret_source = f.SourceFactory(title=f"{SECRET} source", publication=DRAFT)
    # published children of draft parents
    f.DefendantFactory(case=secret_case, person=crook)
    f.CourtEventFactory(case=secret_case, description=f"{SECRET} event of a draft case", **day)
    f.ChargingDocumentFactory(case=secret_case, title=f"{SECRET} document of a draft case")
    f.DefendantFactory(case=case, person=secret_person)
    f.CustodyRecordFactory(person=secret_person, notes=f"{SECRET} custody of a draft person")
    f.ExtraditionRequestFactory(person=secret_person, reason=f"{SECRET} extradition")
    f.AliasFactory(person=secret_person, name=f"{SECRET} alias of a draft person")
    f.MembershipFactory(person=crook, organization=secret_org, role=f"{SECRET} role")
    f.OrganizationAliasFactory(organization=secret_org, name=f"{SECRET} org alias")
    f.OrganizationFactory(name="Sub-group", slug="sub-group", parent=secret_org)
    case.organizations.add(secret_org)
    # draft children of published parents
    f.AliasFactory(person=crook, name=f"{SECRET} alias", publication=DRAFT)
    f.OrganizationAliasFactory(
        organization=case.organizations.first(), name=f"{SECRET} org name", publication=DRAFT
    )
    f.MembershipFactory(person=crook, role=f"{SECRET} membership", publication=DRAFT)
    f.ChargeFactory(
        document=document,
        defendant=case.defendants.get(person=crook),
        description=f"{SECRET} charge",
        disposition=Disposition.DISMISSED,
        disposition_date=D(2024, 1, 1),
        disposition_date_precision="year",
        publication=DRAFT,
    )
    secret_document = f.ChargingDocumentFactory(
        case=case, title=f"{SECRET} superseding indictment", publication=Publication.IN_REVIEW
    )
    f.ChargeFactory(
        document=secret_document,
        defendant=case.defendants.get(person=crook),
        description=f"{SECRET} charge of a draft document",
    )
    f.CourtEventFactory(
        case=case, place=f"{SECRET} place", description=SECRET, publication=DRAFT, **day
    )
    f.CourtEventFactory(case=case, court=secret_court, **day)
    f.ExtraditionRequestFactory(
        person=crook,
        case=case,
        status=ExtraditionStatus.GRANTED,
        decision_date=D(2024, 3, 1),
        decision_date_precision="month",
        reason=f"{SECRET} decision",
        publication=Publication.WITHDRAWN,
    )
    f.ExtraditionRequestFactory(person=other, case=secret_case, deciding_body="Visible body")
    f.CustodyRecordFactory(
        person=crook,
        notes=f"{SECRET} custody",
        publication=DRAFT,
        **{"start_date": D(2024, 5, 5), "start_date_precision": "day"},
    )
    f.CitationFactory(record=case, source=secret_source, quote=f"{SECRET} quote")
    f.CitationFactory(record=document, source=secret_source)
    hidden_defendant = f.PersonFactory(name="Visible person", slug="visible-person")
    f.DefendantFactory(case=case, person=hidden_defendant, publication=DRAFT)
    return {"case": case, "crook": crook, "hidden_defendant": hidden_defendant}


def crawl(api, resource: str) -> list[tuple[str, bytes]]:
    """The list of `resource`, every detail in it, and for cases and people their timelines
    (JSON and TimelineJS) and calendars."""
    pages = []
    listing = api.get(f"{resource}/", page_size=200)
    assert listing.status_code == 200
    pages.append((f"{resource}/", listing.content))
    for row in listing.json()["results"]:
        urls = [row["api_url"]]
        if resource in ("cases", "people"):
            detail = api.json(row["api_url"])
            urls += list(detail["links"].values())
        for url in urls:
            response = api.client.get(url)
            assert response.status_code == 200, url
            pages.append((url, response.content))
    return pages


@pytest.mark.parametrize("resource", RESOURCES)
def test_no_draft_anywhere(api, world, resource):
    pages = crawl(api, resource)
    assert len(pages) > 1
    for url, content in pages:
        assert SECRET.encode() not in content, url


def test_no_draft_in_the_whole_calendar(api, world):
    response = api.get("calendar.ics", since="1900")  # every hearing, not only the recent ones
    assert b"BEGIN:VEVENT" in response.content
    assert SECRET.encode() not in response.content


@pytest.mark.parametrize(
    "path",
    [
        "cases/secret-case/",
        "cases/secret-case/timeline/",
        "people/secret-person/",
        "people/secret-person/timeline/",
        "organizations/secret-organization/",
        "courts/secret-court/",
    ],
)
def test_a_draft_has_no_page(api, world, path):
    assert api.get(path).status_code == 404


def test_draft_facts_have_no_page(api, world):
    from cases.models import Charge, CourtEvent, CustodyRecord, ExtraditionRequest, Source

    for resource, model in [
        ("charges", Charge),
        ("court-events", CourtEvent),
        ("extradition-requests", ExtraditionRequest),
        ("custody-records", CustodyRecord),
        ("sources", Source),
    ]:
        hidden = set(model.objects.values_list("pk", flat=True)) - set(
            model.objects.published().values_list("pk", flat=True)
        )
        assert hidden, resource
        for pk in hidden:
            assert api.get(f"{resource}/{pk}/").status_code == 404, (resource, pk)


def test_a_draft_defendant_is_not_a_defendant(api, world):
    case, person = world["case"], world["hidden_defendant"]
    defendants = [d["person"]["slug"] for d in api.json(f"cases/{case.slug}/")["defendants"]]
    assert person.slug not in defendants
    assert len(defendants) == 2
    assert api.json(f"people/{person.slug}/")["cases"] == []
    assert api.results("cases/", person=person.slug) == []


def test_filters_do_not_reach_through_drafts(api, world):
    assert api.results("cases/", court="secret-court") == []
    assert api.results("cases/", organization="secret-organization") == []
    assert api.results("people/", organization="secret-organization") == []
    assert api.results("cases/", person="secret-person") == []
    assert api.results("cases/", q="secret") == []
    assert api.results("people/", q="secret") == []
    assert api.results("organizations/", parent="secret-organization") == []
    assert api.results("extradition-requests/", case="secret-case") == []
    assert api.results("court-events/", court="secret-court") == []
    assert api.results("charges/", case="secret-case") == []
    assert "SECRET" not in api.get("calendar.ics", court="secret-court").content.decode()


def test_a_published_child_of_a_draft_parent_shows_nothing_of_the_parent(api, world):
    crook = world["crook"]
    detail = api.json(f"people/{crook.slug}/")
    assert [c["case"]["slug"] for c in detail["cases"]] == [world["case"].slug]
    assert all(m["organization"] for m in detail["memberships"])
    request = next(
        r
        for r in api.results("extradition-requests/", page_size=200)
        if r["deciding_body"] == "Visible body"
    )
    assert request["case"] is None
    subgroup = api.json("organizations/sub-group/")
    assert subgroup["parent"] is None
