"""The public pages read the published copy alone: changing the working records of published
units changes nothing readers see until an editor publishes; withdrawn units answer 410 Gone."""

import datetime

import pytest

from cases.models import Charge, Citation, CourtEvent, CustodyRecord
from casetracker import units
from people.models import Alias, Membership
from public import publishing
from tests import factories as f
from tests.pages.crook import build_crook_case
from tests.publishing import publish_all

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def crook():
    return build_crook_case()


def public_urls(crook) -> list[str]:
    return [
        "/",
        "/cases/",
        "/cases/?q=crook",
        "/cases/?court=edny&organization=ms13",
        crook.case.get_absolute_url(),
        crook.crook.get_absolute_url(),
        crook.diablito.get_absolute_url(),
        crook.ms13.get_absolute_url(),
        crook.ranfla.get_absolute_url(),
        "/search/?q=crook",
        "/search/?q=ms13",
        "/sitemap.xml",
        "/sitemap-cases.xml",
        "/sitemap-people.xml",
        "/sitemap-organizations.xml",
    ]


def read(client, urls) -> dict[str, bytes]:
    bodies = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        bodies[url] = response.content
    return bodies


def change_every_kind_of_record(crook) -> None:
    """Add, change and delete working records of the case, a person and an organization."""
    crook.case.title = "Renamed case"
    crook.case.save()
    crook.court.name = "Renamed court"
    crook.court.save()
    f.ChargeFactory(
        document=crook.indictment, defendant=crook.defendant, description="Added charge"
    )
    Charge.objects.filter(description="Narco-terrorism").delete()
    CourtEvent.objects.filter(pk=crook.arraignment.pk).update(place="Changed place")
    f.CourtEventFactory(case=crook.case, kind="status_conference", date=D(2024, 2, 1))
    Citation.objects.filter(object_id=crook.held.pk).update(quote="changed quote")
    crook.crook.summary = "Changed summary"
    crook.crook.save()
    Alias.objects.filter(name="Crook").update(name="Changed alias")
    f.AliasFactory(person=crook.crook, name="Added alias")
    CustodyRecord.objects.filter(pk=crook.held.pk).update(status="in_prison")
    f.CustodyRecordFactory(person=crook.crook, status="escaped", start_date=D(2024, 3, 1))
    Membership.objects.filter(role="member").delete()
    crook.ms13.name = "Renamed MS13"
    crook.ms13.save()
    f.OrganizationAliasFactory(organization=crook.ms13, name="Added gang alias")
    f.MembershipFactory(person=crook.diablito, organization=crook.ranfla, role="added role")
    crook.article.title = "Renamed source"
    crook.article.save()
    f.CaseFactory(title="A case added to the list", slug="added-case")


def test_working_changes_show_nowhere_until_published(client, crook):
    urls = public_urls(crook)
    before = read(client, urls)

    change_every_kind_of_record(crook)

    after = read(client, urls)
    assert [url for url in urls if after[url] != before[url]] == []

    publish_all()
    published = read(client, urls)
    case_page = published[crook.case.get_absolute_url()].decode()
    assert "Renamed case" in case_page and "Added charge" in case_page
    assert "Narco-terrorism" not in case_page and "Changed place" in case_page
    assert "Renamed court" in case_page and "Renamed source" in case_page
    person_page = published[crook.crook.get_absolute_url()].decode()
    assert "Changed summary" in person_page and "Added alias" in person_page
    assert "Escaped" in person_page and "In prison" in person_page
    organization_page = published[crook.ms13.get_absolute_url()].decode()
    assert "Renamed MS13" in organization_page and "Added gang alias" in organization_page
    assert "A case added to the list" in published["/cases/"].decode()


def test_a_withdrawn_unit_answers_gone_and_leaves_lists_and_sitemaps(client, crook, editor):
    units.withdraw(crook.case, editor, "Wrong court")
    units.withdraw(crook.crook, editor, "Not confirmed")

    for url in (crook.case.get_absolute_url(), crook.crook.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 410
        assert "Page withdrawn" in response.content.decode()
    assert crook.case.title not in client.get("/cases/").content.decode()
    assert crook.case.get_absolute_url() not in client.get("/sitemap-cases.xml").content.decode()
    assert crook.crook.slug not in client.get("/sitemap-people.xml").content.decode()
    assert crook.crook.name not in client.get("/search/?q=elmer").content.decode()
    # the organization's page no longer names the withdrawn person among its members
    assert crook.crook.name not in client.get(crook.ms13.get_absolute_url()).content.decode()
    assert client.get("/cases/never-published/").status_code == 404


def test_a_page_shows_when_its_unit_was_last_published(client, crook, editor):
    when = datetime.datetime(2025, 3, 4, 12, tzinfo=datetime.UTC)
    publishing.write([crook.case], editor, at=when)
    page = client.get(crook.case.get_absolute_url()).content.decode()
    assert '<time datetime="2025-03-04T12:00:00+00:00">4 March 2025</time>' in page
