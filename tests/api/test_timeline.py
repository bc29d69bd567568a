"""Case and person timelines in the API: JSON items and the TimelineJS 3 document, from the one
timeline assembly (`cases.timeline`)."""

import datetime
import json

import pytest
from django.core.management import call_command

from cases.models import CustodyStatus, EventKind, Plea
from tests import factories as f

D = datetime.date

pytestmark = pytest.mark.django_db

ITEM_FIELDS = {
    "id",
    "kind",
    "kind_label",
    "date",
    "title",
    "description",
    "status",
    "place",
    "country",
    "court",
    "people",
    "sources",
}


@pytest.fixture
def mixed():
    """Facts known to the year, the month and the day, with ties on one day."""
    court = f.CourtFactory(name="Eastern District", short_name="E.D.N.Y.", slug="edny")
    case = f.CaseFactory(slug="ranfla", court=court)
    crook = f.PersonFactory(name="Élmer Canales Rivera", slug="crook")
    f.AliasFactory(person=crook, name="Crook")
    defendant = f.DefendantFactory(case=case, person=crook)
    document = f.ChargingDocumentFactory(
        case=case, filed_date=D(2023, 11, 1), filed_date_precision="month"
    )
    rough = f.CourtEventFactory(
        case=case,
        kind=EventKind.STATUS_CONFERENCE,
        date=D(2023, 1, 1),
        date_precision="year",
        date_approximate=True,
        place="",
    )
    arrest = f.CustodyRecordFactory(
        person=crook,
        status=CustodyStatus.ARRESTED,
        custodian="Mexican authorities",
        custodian_country="MX",
        place="Mexico",
        start_date=D(2023, 11, 9),
        start_date_precision="day",
        end_date=D(2023, 11, 20),
        end_date_precision="day",
    )
    # same day as the arrest, and as each other: custody first (kind order), then by record
    detention = f.CourtEventFactory(
        case=case, kind=EventKind.DETENTION_HEARING, date=D(2023, 11, 9), place="Houston, Texas"
    )
    appearance = f.CourtEventFactory(
        case=case, kind=EventKind.INITIAL_APPEARANCE, date=D(2023, 11, 9)
    )
    arraignment = f.CourtEventFactory(
        case=case, court=court, date=D(2023, 12, 8), place="Central Islip, New York"
    )
    f.AppearanceFactory(event=arraignment, defendant=defendant, plea=Plea.NOT_GUILTY)
    source = f.SourceFactory(title="US Terrorism Trial", url="https://example.org/a")
    f.CitationFactory(record=arraignment, source=source, quote="pleaded not guilty", page="2")
    f.CitationFactory(record=document, source=source)
    return {
        "case": case,
        "order": [
            ("court_event", rough.pk),
            ("document_filed", document.pk),
            ("custody", arrest.pk),
            ("court_event", detention.pk),
            ("court_event", appearance.pk),
            ("court_event", arraignment.pk),
        ],
    }


def test_items_in_date_order_with_mixed_precisions_and_ties(api, mixed):
    items = api.json("cases/ranfla/timeline/")["items"]
    assert [item["id"] for item in items] == [f"{kind}-{pk}" for kind, pk in mixed["order"]]
    assert [item["date"] for item in items[:3]] == [
        {"date": "2023", "precision": "year", "approximate": True, "display": "c. 2023"},
        {"date": "2023-11", "precision": "month", "approximate": False, "display": "November 2023"},
        {
            "date": "2023-11-09",
            "precision": "day",
            "approximate": False,
            "display": "9 November 2023",
        },
    ]
    assert all(set(item) == ITEM_FIELDS for item in items)


def test_an_item_carries_place_court_people_and_sources(api, mixed):
    timeline = api.json("cases/ranfla/timeline/")
    assert timeline["case"]["slug"] == "ranfla"
    arraignment = timeline["items"][-1]
    assert arraignment["kind"] == "court_event"
    assert arraignment["kind_label"] == "Court event"
    assert arraignment["title"] == "Arraignment"
    assert "pleaded not guilty" in arraignment["description"]
    assert arraignment["place"] == "Central Islip, New York"
    assert arraignment["country"] == {"code": "US", "name": "United States of America"}
    assert arraignment["court"]["slug"] == "edny"
    assert arraignment["people"] == [
        {
            "slug": "crook",
            "name": "Élmer Canales Rivera",
            "alias": "Crook",
            "api_url": "http://testserver/api/v1/people/crook/",
        }
    ]
    [citation] = arraignment["sources"]
    assert citation["source"]["title"] == "US Terrorism Trial"
    assert citation["source"]["url"] == "https://example.org/a"
    assert (citation["quote"], citation["page"]) == ("pleaded not guilty", "2")
    arrest = timeline["items"][2]
    assert arrest["country"]["code"] == "MX"
    assert arrest["status"] == "arrested"


def test_person_timeline(api, mixed):
    timeline = api.json("people/crook/timeline/")
    assert timeline["person"]["slug"] == "crook"
    kinds = [item["kind"] for item in timeline["items"]]
    # his own custody and the arraignment he appeared at; not the hearings that list nobody
    assert kinds == ["document_filed", "custody", "court_event"]


# TimelineJS --------------------------------------------------------------------------------------


def timelinejs(api, path):
    response = api.get(path, format="timelinejs")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


def test_timelinejs_document_shape(api, mixed):
    document = timelinejs(api, "cases/ranfla/timeline/")
    assert set(document) == {"title", "events"}
    assert document["title"]["text"]["headline"] == mixed["case"].title
    events = document["events"]
    assert [event["unique_id"] for event in events] == [
        f"{kind}-{pk}" for kind, pk in mixed["order"]
    ]
    for event in events:
        assert set(event) <= {
            "unique_id",
            "start_date",
            "end_date",
            "display_date",
            "text",
            "group",
        }
        assert event["start_date"]["year"].isdigit()
        assert event["text"]["headline"]
        assert event["group"] in {"Charges", "Court", "Extradition", "Custody"}
    year, month, day = events[0]["start_date"], events[1]["start_date"], events[2]["start_date"]
    assert year == {"year": "2023", "display_date": "c. 2023"}
    assert month == {"year": "2023", "month": "11", "display_date": "November 2023"}
    assert day == {"year": "2023", "month": "11", "day": "9", "display_date": "9 November 2023"}


def test_timelinejs_custody_period_spans_and_is_grouped(api, mixed):
    events = timelinejs(api, "cases/ranfla/timeline/")["events"]
    custody = next(event for event in events if event["group"] == "Custody")
    assert custody["end_date"] == {
        "year": "2023",
        "month": "11",
        "day": "20",
        "display_date": "20 November 2023",
    }
    assert custody["display_date"] == "9 November 2023 to 20 November 2023"
    court = [event for event in events if event["group"] == "Court"]
    assert len(court) == 4
    assert all("end_date" not in event for event in court)


def test_timelinejs_sources_are_links(api, mixed):
    events = timelinejs(api, "cases/ranfla/timeline/")["events"]
    text = events[-1]["text"]["text"]
    assert '<a href="https://example.org/a">US Terrorism Trial</a>' in text
    assert "pleaded not guilty" in text


def test_timelinejs_escapes_every_text(api):
    case = f.CaseFactory(slug="x", title='<script>alert("t")</script> & co', summary="<i>hi</i>")
    event = f.CourtEventFactory(
        case=case, description="<img src=x onerror=alert(1)>", place="A & B"
    )
    source = f.SourceFactory(title="<b>bold</b>", publisher="")
    f.store_refused_link(source, "javascript:alert(1)")  # the database refuses it now
    f.CitationFactory(record=event, source=source, quote='"><script>')
    document = timelinejs(api, "cases/x/timeline/")
    raw = json.dumps(document)
    assert "<script" not in raw
    assert "<img" not in raw
    assert "<b>" not in raw
    assert "<i>" not in raw
    assert "javascript:" not in raw
    assert document["title"]["text"]["headline"] == (
        "&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt; &amp; co"
    )
    text = document["events"][0]["text"]["text"]
    assert "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "A &amp; B" in text
    assert "&lt;b&gt;bold&lt;/b&gt;" in text


def test_person_timelinejs(api, mixed):
    document = timelinejs(api, "people/crook/timeline/")
    assert document["title"]["text"]["headline"] == "Élmer Canales Rivera"
    assert "Crook" in document["title"]["text"]["text"]
    assert len(document["events"]) == 3


# The demo case -----------------------------------------------------------------------------------


def test_crooks_case_timeline_on_the_demo_data(api):
    call_command("loaddata", "demo", verbosity=0)
    items = api.json("cases/ms13-ranfla-historica-edny/timeline/")["items"]
    assert all(item["sources"] for item in items)
    starts = [
        item["date"]["date"] + {4: "-01-01", 7: "-01", 10: ""}[len(item["date"]["date"])]
        for item in items
    ]
    assert starts == sorted(starts)

    indictment = items[0]
    assert indictment["kind"] == "document_filed"
    assert (indictment["date"]["date"], indictment["date"]["precision"]) == ("2020-12", "month")

    custody = [item for item in items if item["kind"] == "custody"]
    assert len(custody) >= 3
    arrest = next(item for item in custody if item["status"] == "arrested")
    assert arrest["date"]["date"] == "2023-11-09"
    assert arrest["country"]["code"] == "MX"

    events = [item for item in items if item["kind"] == "court_event"]
    houston, central_islip = events
    assert houston["title"] == "Initial appearance"
    assert houston["place"] == "Houston, Texas"
    assert central_islip["title"] == "Arraignment"
    assert central_islip["date"]["display"] == "8 December 2023"
    assert central_islip["place"] == "Central Islip, New York"
    assert "pleaded not guilty" in central_islip["description"]
    assert items.index(arrest) < items.index(houston) < items.index(central_islip)

    document = timelinejs(api, "cases/ms13-ranfla-historica-edny/timeline/")
    assert len(document["events"]) == len(items)
    assert document["events"][0]["start_date"] == {
        "year": "2020",
        "month": "12",
        "display_date": "December 2020",
    }
