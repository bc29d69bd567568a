import datetime
import re

import pytest
from django.utils import timezone

from cases.models import CustodyStatus
from cases.timeline import person_timeline
from casetracker.publication import Publication
from public.publishing import write
from public.views import OrganizationDetailView
from tests import factories as f
from tests.pages.crook import build_crook_case
from tests.publishing import publish_all

pytestmark = pytest.mark.django_db

D = datetime.date


def text(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_person_page(client):
    build_crook_case()
    html = get(client, "/people/elmer-canales-rivera/")
    words = text(html)
    assert html.count("<h1") == 1
    assert "<title>Élmer Canales Rivera · casetracker</title>" in html
    assert "Also known as “Crook”" in words
    assert "Nationality El Salvador" in words
    assert "Custody now Detained pending trial United States of America" in words
    # affiliations
    assert "MS13 : leader" in words
    assert "Ranfla histórica : member" in words
    # custody history, latest first, with partial dates
    history = words[words.index("Custody history") :]
    assert history.index("Since c. 9 November 2023 Detained pending trial Current") < (
        history.index("9 November 2023 \N{EN DASH} 9 November 2023 Arrested")
    )
    assert "c. 2021 \N{EN DASH} c. 2021 Released" in history
    assert "Mexico · Mexican authorities" in history
    # cases and the timeline
    assert "MS13 Ranfla histórica terrorism case (E.D.N.Y.)" in words
    assert "In this case Awaiting trial" in words
    timeline = text(html[html.index('id="timeline-heading"') :])
    assert "8 December 2023 Court event Arraignment" in timeline
    assert "Élmer Canales Rivera pleaded not guilty." in timeline
    assert "US Terrorism Trial of MS13 Leader Could Expose El Salvador Gang Talks" in timeline


def test_person_page_hides_drafts(client):
    crook = build_crook_case()
    f.AliasFactory(person=crook.crook, name="Draft Alias", publication=Publication.DRAFT)
    f.MembershipFactory(
        person=crook.crook,
        organization=f.OrganizationFactory(name="Draft Cartel", publication=Publication.DRAFT),
    )
    f.MembershipFactory(
        person=crook.crook,
        organization=f.OrganizationFactory(name="Unreviewed Link"),
        publication=Publication.IN_REVIEW,
    )
    f.CustodyRecordFactory(
        person=crook.crook,
        status=CustodyStatus.ESCAPED,
        place="Draft Prison",
        start_date=D(2024, 5, 1),
        publication=Publication.DRAFT,
    )
    f.DefendantFactory(person=crook.crook, case=f.CaseFactory(title="Draft prosecution"))
    crook_in_draft_case = f.CaseFactory(title="Secret case", publication=Publication.DRAFT)
    f.DefendantFactory(person=crook.crook, case=crook_in_draft_case)
    publish_all()
    words = text(get(client, "/people/elmer-canales-rivera/"))
    for hidden in ("Draft Alias", "Draft Cartel", "Unreviewed Link", "Draft Prison", "Secret case"):
        assert hidden not in words
    assert "Custody now Detained pending trial" in words
    assert "Draft prosecution" in words  # a published case is listed


def test_a_draft_person_is_not_found(client):
    f.PersonFactory(slug="hidden", publication=Publication.DRAFT)
    publish_all()
    assert client.get("/people/hidden/").status_code == 404
    assert client.get("/people/nobody/").status_code == 404


def test_organization_page(client):
    crook = build_crook_case()
    f.OrganizationFactory(name="Hidden cell", parent=crook.ms13, publication=Publication.DRAFT)
    f.MembershipFactory(
        person=f.PersonFactory(name="Hidden Member"),
        organization=crook.ms13,
        publication=Publication.DRAFT,
    )
    publish_all()
    html = get(client, "/organizations/ms13/")
    words = text(html)
    assert html.count("<h1") == 1
    assert "Also known as “Mara Salvatrucha”" in words
    assert "Sub-groups Ranfla histórica" in words
    assert "Hidden cell" not in words
    assert "Élmer Canales Rivera “Crook” Leader" in words
    assert "Borromeo Enrique Henriquez “Diablito de Hollywood” Highest-ranking leader" in words
    assert "Hidden Member" not in words
    assert "Related cases MS13 Ranfla histórica terrorism case (E.D.N.Y.)" in words

    ranfla = text(get(client, "/organizations/ranfla-historica/"))
    assert "Part of MS13" in ranfla
    assert "Élmer Canales Rivera “Crook” Member" in ranfla


def test_a_draft_parent_is_not_named(client):
    crook = build_crook_case()
    crook.ms13.publication = Publication.DRAFT
    crook.ms13.save()
    publish_all()
    words = text(get(client, "/organizations/ranfla-historica/"))
    assert "Part of" not in words
    assert client.get("/organizations/ms13/").status_code == 410  # taken off: gone


def make_rows(count):
    """One person and one organization with `count` rows of everything their pages list."""
    person = f.PersonFactory(slug="busy")
    organization = f.OrganizationFactory(slug="big")
    for n in range(count):
        f.AliasFactory(person=person)
        f.CitationFactory(record=f.MembershipFactory(person=person))
        f.CustodyRecordFactory(
            person=person,
            start_date=D(2020, 1, 1 + n),
            end_date=D(2020, 2, 1 + n),
            end_date_precision="day",
        )
        case = f.CaseFactory()
        case.organizations.add(organization)
        defendant = f.DefendantFactory(person=person, case=case)
        f.AppearanceFactory(event=f.CourtEventFactory(case=case), defendant=defendant)
        f.ChargingDocumentFactory(case=case)
        f.ExtraditionRequestFactory(person=person, case=case)

        member = f.PersonFactory()
        f.AliasFactory(person=member)
        f.CitationFactory(record=f.MembershipFactory(person=member, organization=organization))
        f.OrganizationAliasFactory(organization=organization)
        f.OrganizationFactory(parent=organization)


@pytest.mark.parametrize("count", [3, 12])
def test_query_counts_do_not_grow_with_the_rows(client, django_assert_num_queries, count):
    make_rows(count)
    publish_all()
    # savepoints 2; person 1; aliases, memberships, custody, cases, extradition 5; timeline
    # items, the people they name, their aliases, citations 4; the page's citations 1
    with django_assert_num_queries(13):
        html = get(client, "/people/busy/")
    assert html.count('<li class="custody') == count
    assert html.count('class="case-card"') == count
    # savepoints 2; organization and parent 1; aliases, sub-groups, members (count and page),
    # their aliases, cases 6; citations 1
    with django_assert_num_queries(10):
        html = get(client, "/organizations/big/")
    assert html.count('class="member"') == count
    assert html.count('class="case-card"') == count


def test_someone_known_only_by_an_alias(client):
    cobra = f.PersonFactory(name="Cobra", name_is_alias=True, slug="cobra", nationalities=[])
    f.MembershipFactory(person=cobra, organization=f.OrganizationFactory(name="MS13"))
    publish_all()
    html = get(client, "/people/cobra/")
    assert '<h1 id="page-title">alias “Cobra”</h1>' in html
    words = text(html)
    assert "Custody now Not known" in words
    assert "MS13 : member" in words
    assert "No dated events have been published yet." in words


def test_a_big_organization_shows_a_page_of_members_and_its_latest_cases(client, monkeypatch):
    monkeypatch.setattr(OrganizationDetailView, "members_per_page", 2)
    monkeypatch.setattr(OrganizationDetailView, "cases_shown", 2)
    gang = f.OrganizationFactory(slug="gang", name="Gang")
    for name in ("Ana", "Beto", "Carla", "Dario", "Elena"):
        f.MembershipFactory(person=f.PersonFactory(name=name), organization=gang)
    f.MembershipFactory(
        person=f.PersonFactory(name="Alba"), organization=gang, publication=Publication.DRAFT
    )
    cases = [f.CaseFactory(title=f"Case {n}") for n in range(3)]
    for case in cases:
        case.organizations.add(gang)
    hidden = f.CaseFactory(title="Hidden case", publication=Publication.DRAFT)
    hidden.organizations.add(gang)
    publish_all()
    start = timezone.now()
    for n, case in enumerate(cases):  # published one after the other: Case 2 is the latest
        write([case], at=start + datetime.timedelta(minutes=n))

    words = text(get(client, "/organizations/gang/"))
    assert "Known members 5 Cases 3" in words
    assert "Members Ana Member Beto Member" in words
    assert "Carla" not in words and "Alba" not in words
    assert "Members 1 to 2 of 5, by name Next →" in words
    assert "Case 2 " in words and "Case 1 " in words and "Case 0" not in words
    assert "These are the 2 most recently updated. See all 3 cases involving Gang" in words
    html = get(client, "/organizations/gang/")
    assert 'href="/cases/?organization=gang"' in html
    assert 'href="?page=2#members" rel="next"' in html

    last = text(get(client, "/organizations/gang/?page=3"))
    assert "Elena" in last and "Ana" not in last
    assert "← Previous Members 5 to 5 of 5" in last
    assert client.get("/organizations/gang/?page=4").status_code == 404
    assert client.get("/organizations/gang/?page=many").status_code == 404


def test_the_person_page_draws_the_timeline_the_api_serves(client):
    crook = build_crook_case()
    person = crook.crook
    f.CustodyRecordFactory(  # undated: no item
        person=person, start_date=None, start_date_precision=""
    )
    f.ExtraditionRequestFactory(
        person=person,
        case=crook.case,
        request_date=D(2021, 3, 1),
        request_date_precision="month",
    )
    f.ExtraditionRequestFactory(
        person=person,
        request_date=D(2022, 1, 1),
        request_date_precision="year",
        publication=Publication.DRAFT,
    )
    publish_all()

    drawn = client.get(f"/people/{person.slug}/").context["timeline"]
    served = person_timeline(person)  # the same-day order too: a cause before its consequence

    def summary(items, key, people):
        return [
            (
                getattr(i, key),
                i.title,
                i.description,
                [p.alias for p in getattr(i, people)],
                len(i.sources),
            )
            for i in items
        ]

    # the page reads the published copy's items (`key`, `named`), the API assembles its own
    assert summary(drawn, "key", "named") == summary(served, "id", "people")
    assert {"custody", "extradition_requested"} <= {i.id.rsplit("-", 1)[0] for i in served}
