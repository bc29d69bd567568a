"""Keyset pagination: every row exactly once, in order, forwards and backwards, whatever the
ordering (ties and empty values included); a page never counts or skips rows."""

import base64
import datetime
from urllib.parse import parse_qs, urlparse

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f

D = datetime.date

pytestmark = pytest.mark.django_db


def walk(api, path, key="slug", **params):
    """Follow `next` links to the end, then `previous` links back; return both sequences."""
    forwards, pages, url = [], [], None
    page = api.json(path, **params)
    while True:
        pages.append(page)
        forwards += [row[key] for row in page["results"]]
        if not page["next"]:
            break
        url = page["next"]
        page = api.json(url)
    backwards = []
    while page["previous"]:
        page = api.json(page["previous"])
        backwards = [row[key] for row in page["results"]] + backwards
    return forwards, backwards, pages


def test_next_and_previous_links_walk_every_case_once(api):
    for n in range(7):
        f.CaseFactory(slug=f"case-{n}")
    forwards, backwards, pages = walk(api, "cases/", page_size=3)
    assert forwards == [f"case-{n}" for n in range(7)]
    assert backwards == forwards[:6]  # every page before the last
    assert [len(page["results"]) for page in pages] == [3, 3, 1]
    assert pages[0]["previous"] is None
    assert pages[-1]["next"] is None
    assert parse_qs(urlparse(pages[0]["next"]).query)["page_size"] == ["3"]


def test_ties_are_broken_by_id(api):
    cases = [f.CaseFactory(title=title) for title in ["Same", "Same", "Apart", "Same", "Same"]]
    forwards, backwards, _ = walk(api, "cases/", ordering="title", page_size=2)
    expected = [cases[2].slug] + [case.slug for case in cases if case.title == "Same"]
    assert forwards == expected
    assert backwards == expected[:4]


@pytest.mark.parametrize("ordering", ["date", "-date"])
def test_empty_values_come_last_either_way(api, ordering):
    dated = [
        f.CourtEventFactory(date=D(2023, 1, 1 + n % 3), date_precision="day") for n in range(5)
    ]
    undated = [f.CourtEventFactory(date=None, date_precision="") for _ in range(3)]
    forwards, backwards, _ = walk(api, "court-events/", "id", ordering=ordering, page_size=2)
    descending = ordering.startswith("-")
    in_order = sorted(dated, key=lambda e: (e.date, e.pk), reverse=descending)
    expected = [e.pk for e in in_order] + sorted((e.pk for e in undated), reverse=descending)
    assert forwards == expected
    assert backwards == expected[:6]


def test_a_page_neither_counts_nor_skips(api):
    for n in range(5):
        f.CaseFactory(slug=f"case-{n}")
    second = api.json(api.json("cases/", page_size=2)["next"])
    with CaptureQueriesContext(connection) as queries:
        api.json(second["next"])
    sql = " ".join(q["sql"].upper() for q in queries.captured_queries)
    assert "OFFSET" not in sql
    assert "COUNT(" not in sql
    assert "LIMIT 3" in sql


def assert_no_such_page(response):
    """A cursor that this list did not make names no page: 404, saying which parameter."""
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    detail = response.json()["detail"]
    assert detail.startswith("No such page")
    assert "`cursor`" in detail
    assert "`next`" in detail


def test_a_cursor_belongs_to_its_ordering(api):
    for n in range(3):
        f.CaseFactory(slug=f"case-{n}")
    cursor = parse_qs(urlparse(api.json("cases/", page_size=1)["next"]).query)["cursor"][0]
    assert_no_such_page(api.get("cases/", cursor=cursor, ordering="title", page_size=1))
    assert api.get("cases/", cursor=cursor, page_size=1).status_code == 200


@pytest.mark.parametrize(
    "payload",
    [
        b"{}",
        b'{"o":"slug","p":[]}',
        b'{"o":"slug","p":[null]}',
        b'{"o":"slug","p":[[1]]}',
        b'{"o":"slug","p":["a\\u0000"]}',
        b"\xff",
    ],
)
def test_a_tampered_cursor_is_no_page(api, payload):
    f.CaseFactory()
    cursor = base64.urlsafe_b64encode(payload).decode().rstrip("=")
    assert_no_such_page(api.get("cases/", cursor=cursor))


@pytest.mark.parametrize("cursor", ["0", "not-a-cursor", "%%%", "é"])
def test_any_other_string_is_no_page(api, cursor):
    f.CaseFactory()
    assert_no_such_page(api.get("cases/", cursor=cursor))


def test_other_bad_parameters_stay_a_400(api):
    f.CaseFactory()
    response = api.get("cases/", cursor="0", page_size="0")
    assert response.status_code == 400
    assert list(response.json()) == ["page_size"]
