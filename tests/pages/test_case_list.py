import datetime
import re

import pytest

from cases.models import CaseStatus, ChargeCategory
from casetracker.publication import Publication
from public.publishing import write, write_all
from tests import factories as f
from tests.publishing import publish_all

pytestmark = pytest.mark.django_db


def titles(client, query=""):
    response = client.get(f"/cases/{query}")
    assert response.status_code == 200
    html = response.content.decode()
    return re.findall(r'class="case-card__title"><a href="[^"]+">([^<]+)</a>', html)


@pytest.fixture
def cases():
    """Three published cases that differ on every filter, and a draft that matches them all."""
    us_court = f.CourtFactory(name="Eastern District of New York", slug="edny", country="US")
    sv_court = f.CourtFactory(name="Juzgado Especializado", slug="juzgado", country="SV")
    ms13 = f.OrganizationFactory(name="MS13", slug="ms13")
    barrio18 = f.OrganizationFactory(name="Barrio 18", slug="barrio-18")

    terror = f.CaseFactory(title="Terror case", court=us_court, status=CaseStatus.PRE_TRIAL)
    terror.organizations.add(ms13)
    crook = f.PersonFactory(name="Élmer Canales Rivera")
    f.AliasFactory(person=crook, name="Crook")
    f.ChargeFactory(
        document=f.ChargingDocumentFactory(case=terror),
        defendant=f.DefendantFactory(case=terror, person=crook),
        category=ChargeCategory.TERRORISM,
    )

    drugs = f.CaseFactory(title="Drugs case", court=sv_court, status=CaseStatus.SENTENCED)
    drugs.organizations.add(barrio18)
    f.ChargeFactory(
        document=f.ChargingDocumentFactory(case=drugs), category=ChargeCategory.NARCOTICS
    )

    f.CaseFactory(title="Quiet case", court=us_court, status=CaseStatus.INVESTIGATION)
    unreviewed_court = f.CourtFactory(country="SV", publication=Publication.IN_REVIEW)
    f.CaseFactory(title="Unknown court case", court=unreviewed_court, status=CaseStatus.CLOSED)

    draft = f.CaseFactory(
        title="Terror draft case",
        court=us_court,
        status=CaseStatus.PRE_TRIAL,
        publication=Publication.DRAFT,
    )
    draft.organizations.add(ms13)
    f.ChargeFactory(
        document=f.ChargingDocumentFactory(case=draft), category=ChargeCategory.TERRORISM
    )
    publish_all()
    return terror, drugs


def test_lists_published_cases_only(client, cases):
    assert sorted(titles(client)) == [
        "Drugs case",
        "Quiet case",
        "Terror case",
        "Unknown court case",
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?status=pre_trial", ["Terror case"]),
        ("?status=sentenced", ["Drugs case"]),
        ("?court=edny", ["Quiet case", "Terror case"]),
        ("?court=juzgado", ["Drugs case"]),
        ("?country=US", ["Quiet case", "Terror case"]),
        ("?country=SV", ["Drugs case"]),
        ("?organization=ms13", ["Terror case"]),
        ("?organization=barrio-18", ["Drugs case"]),
        ("?charge=terrorism", ["Terror case"]),
        ("?charge=narcotics", ["Drugs case"]),
        ("?charge=narcotics&country=US", []),
        ("?status=pre_trial&court=edny&organization=ms13&charge=terrorism", ["Terror case"]),
    ],
)
def test_each_filter_keeps_matching_cases_and_drops_the_rest(client, cases, query, expected):
    assert sorted(titles(client, query)) == expected


@pytest.mark.parametrize("query", ["elmer", "ELMER canales", "crook", "Élmer", "terror"])
def test_search_by_title_name_or_alias_ignores_accents_and_case(client, cases, query):
    assert titles(client, f"?q={query}") == ["Terror case"]


def test_search_ignores_draft_people_and_draft_aliases(client, cases):
    terror, _drugs = cases
    f.AliasFactory(person=terror.defendants.get().person, name="Hidden", publication="draft")
    secret = f.PersonFactory(name="Secret Person", publication=Publication.DRAFT)
    f.DefendantFactory(case=terror, person=secret)
    draft_defendant = f.PersonFactory(name="Unreviewed Defendant")
    f.DefendantFactory(case=terror, person=draft_defendant, publication=Publication.IN_REVIEW)
    publish_all()
    assert titles(client, "?q=hidden") == []
    assert titles(client, "?q=secret") == []
    assert titles(client, "?q=unreviewed") == []


def test_sorting(client, cases):
    assert titles(client, "?sort=title") == [
        "Drugs case",
        "Quiet case",
        "Terror case",
        "Unknown court case",
    ]
    assert titles(client, "?sort=-title") == titles(client)  # unknown: the default order
    f.CaseFactory(title="Acquittal case", status=CaseStatus.ACQUITTED)
    publish_all()
    # by stage of the case (investigation, awaiting trial, acquitted, sentenced), not by name
    assert titles(client, "?sort=status") == [
        "Quiet case",
        "Terror case",
        "Acquittal case",
        "Drugs case",
        "Unknown court case",
    ]
    terror, _drugs = cases
    f.CourtEventFactory(case=terror, date=datetime.date(2024, 1, 1))  # news in this case
    write([terror])  # the editor publishes it: the case is the last published
    assert titles(client, "?sort=updated")[0] == "Terror case"
    assert titles(client)[0] == "Terror case"  # the default


def test_filters_are_labelled_and_offer_only_published_choices(client, cases):
    f.CourtFactory(name="Draft court", slug="draft-court", publication=Publication.DRAFT)
    f.OrganizationFactory(name="Draft gang", publication=Publication.DRAFT)
    publish_all()
    html = client.get("/cases/").content.decode()
    for name in ("q", "status", "court", "country", "organization", "charge", "sort"):
        field_id = f"id_{name}"
        assert f'<label for="{field_id}">' in html
        assert f'id="{field_id}"' in html
    assert "Draft court" not in html
    assert "Draft gang" not in html
    assert '<option value="SV">El Salvador</option>' in html
    assert '<option value="MX">' not in html  # no published case is prosecuted there


def test_filter_options_are_escaped_and_keep_the_choice(client, cases):
    f.OrganizationFactory(name='Los "Zetas" <Cártel> & co', slug="zetas")
    publish_all()
    html = client.get("/cases/?organization=zetas").content.decode()
    assert (
        '<option value="zetas" selected>Los &quot;Zetas&quot; &lt;Cártel&gt; &amp; co</option>'
        in html
    )
    assert "<Cártel>" not in html


def test_an_unknown_filter_value_is_explained_and_not_applied(client, cases):
    response = client.get("/cases/?status=nonsense&court=edny")
    html = response.content.decode()
    assert response.status_code == 200
    assert "This filter was not applied." in html
    assert sorted(titles(client, "?status=nonsense&court=edny")) == ["Quiet case", "Terror case"]


def test_a_search_too_long_is_explained_and_not_applied(client, cases):
    typed = " ".join(f"word{n}" for n in range(850))
    response = client.get("/cases/", {"q": typed, "court": "edny"})
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "Search for at most 10 words and 200 characters: this search has 850 words and "
        "6,689 characters. This filter was not applied."
    ) in html
    assert f'value="{typed}"' in html
    assert sorted(titles(client, f"?court=edny&q={typed}")) == ["Quiet case", "Terror case"]


def test_pagination_keeps_the_filters(client):
    court = f.CourtFactory(slug="busy")
    for n in range(25):
        f.CaseFactory(title=f"Case {n:02d}", court=court)
    f.CaseFactory(title="Elsewhere")
    publish_all()
    first = client.get("/cases/?court=busy&sort=title").content.decode()
    assert "26 cases" not in first
    assert "25 cases match your filters" in first
    assert 'href="?court=busy&amp;sort=title&amp;page=2"' in first
    second = titles(client, "?court=busy&sort=title&page=2")
    assert second == ["Case 20", "Case 21", "Case 22", "Case 23", "Case 24"]
    assert client.get("/cases/?page=9").status_code == 404


def make_cases(count):
    court = f.CourtFactory()
    organization = f.OrganizationFactory()
    for _ in range(count):
        case = f.CaseFactory(court=court)
        case.organizations.add(organization)
        for _ in range(2):
            person = f.PersonFactory()
            f.AliasFactory(person=person)
            f.DefendantFactory(case=case, person=person)


@pytest.mark.parametrize("count", [3, 12])
def test_the_query_count_does_not_grow_with_the_rows(client, django_assert_num_queries, count):
    make_cases(count)
    publish_all()
    # savepoints 2, count 1, cases 1, defendants 1, aliases 1, court, country and
    # organization choices 3
    with django_assert_num_queries(9):
        response = client.get("/cases/?sort=title")
    assert response.content.decode().count('class="case-card"') == count


def summary(client, query=""):
    html = client.get(f"/cases/{query}").content.decode()
    return re.search(r"(\d+) cases?( match your filters)?", html).group(0)


def test_the_total_follows_every_publication(client, cases):
    assert summary(client) == "4 cases"

    draft = f.CaseFactory(title="Newly published case", publication=Publication.DRAFT)
    publish_all()
    assert summary(client) == "4 cases"
    draft.publication = Publication.PUBLISHED
    draft.save()
    publish_all()
    assert summary(client) == "5 cases"
    draft.delete()
    publish_all()
    assert summary(client) == "4 cases"
    assert summary(client, "?status=sentenced") == "1 case match your filters"
    assert summary(client, "?sort=title") == "4 cases"
    assert summary(client, "?status=nonsense") == "4 cases match your filters"


def test_pages_read_by_id_hold_every_case_once_in_order(client, monkeypatch):
    from cases.models import Case
    from public.views import CaseListView

    monkeypatch.setattr(CaseListView, "paginate_by", 3)
    court = f.CourtFactory(slug="busy")
    for title in ("Golf", "Alpha", "Echo", "Bravo", "Foxtrot", "Delta", "Charlie"):
        f.CaseFactory(title=title, court=court)
    f.CaseFactory(title="Hidden", court=court, publication=Publication.DRAFT)
    same_time = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    write_all(at=same_time)  # ties: by title, then id
    write(Case.objects.filter(title="Echo"), at=same_time + datetime.timedelta(days=1))

    expected = ["Echo", "Alpha", "Bravo", "Charlie", "Delta", "Foxtrot", "Golf"]
    for query in ("?page={}", "?court=busy&page={}"):
        pages = [titles(client, query.format(n)) for n in (1, 2, 3)]
        assert pages == [expected[0:3], expected[3:6], expected[6:]], query
    assert client.get("/cases/?page=4").status_code == 404
