"""Case search finds the same cases whichever way it runs: gathering the matches of the rarest
word ("gather"), checking case by case in the list's order ("walk"), or as the database's
estimates choose ("auto", which the API uses)."""

import pytest
from django.db import connection

from cases.models import Case, estimated_matches
from casetracker.publication import Publication
from tests import factories as f

pytestmark = pytest.mark.django_db

STRATEGIES = ["gather", "walk", "auto"]


@pytest.fixture
def cases():
    ranfla = f.CaseFactory(slug="ranfla", title="MS13 Ranfla histórica case")
    crook = f.PersonFactory(name="Élmer Canales Rivera")
    f.AliasFactory(person=crook, name="Crook")
    f.DefendantFactory(case=ranfla, person=crook)
    other = f.CaseFactory(slug="other", title="Another Canales case")
    f.DefendantFactory(case=other, person=f.PersonFactory(name="Élmer Pérez"))
    hidden = f.CaseFactory(slug="hidden", title="Quiet case")
    secret = f.PersonFactory(name="Secret Canales")
    f.AliasFactory(person=secret, name="Draft alias", publication=Publication.DRAFT)
    f.DefendantFactory(case=hidden, person=secret, publication=Publication.DRAFT)
    for n in range(5):
        f.CaseFactory(slug=f"plain-{n}", title=f"Plain case {n}")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("historica", {"ranfla"}),
        ("elmer", {"ranfla", "other"}),
        ("elmer canales", {"ranfla", "other"}),  # "canales" in the other case's title
        ("ELMER rivera", {"ranfla"}),
        ("crook ms13", {"ranfla"}),  # an alias and a title word
        ("secret", set()),  # a draft defendant counts nowhere
        ("draft alias", set()),
        ("case plain", {f"plain-{n}" for n in range(5)}),
        ("nobody", set()),
    ],
)
@pytest.mark.parametrize("strategy", STRATEGIES)
def test_every_strategy_finds_the_same_published_cases(cases, query, expected, strategy):
    found = Case.objects.published().search(query, published=True, strategy=strategy)
    assert set(found.values_list("slug", flat=True)) == expected


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_without_published_drafts_count_too(cases, strategy):
    found = Case.objects.search("secret", strategy=strategy)
    assert set(found.values_list("slug", flat=True)) == {"hidden"}
    found = Case.objects.search("draft alias", strategy=strategy)
    assert set(found.values_list("slug", flat=True)) == {"hidden"}


def test_the_api_pages_through_a_search_in_order(client, cases):
    slugs = []
    url = "/api/v1/cases/?q=case&page_size=3"
    while url:
        page = client.get(url).json()
        slugs += [row["slug"] for row in page["results"]]
        url = page["next"]
    assert slugs == sorted(["ranfla", "other", "hidden", *(f"plain-{n}" for n in range(5))])


def test_a_parallel_plan_gives_no_estimates_and_the_search_still_runs(client, cases):
    """PostgreSQL plans the estimates' union in parallel when it thinks it costly (four common
    words on 5,000 cases): its branches are then reordered and split between workers."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's estimates")
    with connection.cursor() as cursor:
        for setting in (
            "parallel_setup_cost",
            "parallel_tuple_cost",
            "min_parallel_table_scan_size",
        ):
            cursor.execute(f"SET LOCAL {setting} = 0")
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 2")
    assert estimated_matches(["elmer", "canales", "rivera", "case"]) is None
    response = client.get("/api/v1/cases/", {"q": "elmer canales rivera case"})
    assert response.status_code == 200
    assert [row["slug"] for row in response.json()["results"]] == ["ranfla"]
