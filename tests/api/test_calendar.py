"""The hearings calendar, read back with the icalendar package as a calendar app would."""

import datetime

import pytest
from django.utils import timezone
from icalendar import Calendar

from cases.models import EventKind, EventStatus
from casetracker.publication import Publication
from casetracker.serializers import ISO_REDUCED_PATTERN
from tests import factories as f

D = datetime.date


def day(days: int) -> datetime.date:
    """A day from today: the unfiltered feed holds the last 90 days and what is to come."""
    return timezone.localdate() + datetime.timedelta(days=days)


pytestmark = pytest.mark.django_db


def feed(api, **params) -> Calendar:
    response = api.get("calendar.ics", **params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events(api, **params) -> dict[str, dict]:
    return {str(e["UID"]): e for e in feed(api, **params).walk("VEVENT")}


def test_a_valid_calendar_of_published_hearings(api):
    case = f.CaseFactory(title="United States v. Canales Rivera")
    hearing = f.CourtEventFactory(
        case=case,
        kind=EventKind.STATUS_CONFERENCE,
        status=EventStatus.SCHEDULED,
        date=day(30),
        time=datetime.time(10, 30),
        place="Central Islip, New York",
        description="Status conference before the trial.",
    )
    calendar = feed(api)
    assert calendar["VERSION"] == "2.0"
    assert "casetracker" in str(calendar["PRODID"])
    [event] = calendar.walk("VEVENT")
    assert event["UID"] == f"court-event-{hearing.pk}@casetracker"
    assert event["SUMMARY"] == "Status conference: United States v. Canales Rivera"
    assert event["STATUS"] == "CONFIRMED"
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTAMP").tzinfo is not None  # UTC, as RFC 5545 requires
    assert event.decoded("DTSTAMP") == hearing.updated_at.replace(microsecond=0)
    start = event.decoded("DTSTART")
    assert start == datetime.datetime.combine(day(30), datetime.time(10, 30))  # floating
    assert start.tzinfo is None
    assert "Central Islip, New York" in str(event["LOCATION"])
    assert "Status conference before the trial." in str(event["DESCRIPTION"])
    assert str(event["URL"]).endswith(case.get_absolute_url())


def test_a_hearing_without_a_time_is_all_day(api):
    hearing = f.CourtEventFactory(status=EventStatus.SCHEDULED, date=day(1), time=None)
    event = events(api)[f"court-event-{hearing.pk}@casetracker"]
    assert event.decoded("DTSTART") == day(1)
    assert event.decoded("DTEND") == day(2)
    assert event["DTSTART"].params["VALUE"] == "DATE"


def test_rescheduling_raises_the_sequence_and_keeps_the_uid(api):
    hearing = f.CourtEventFactory(status=EventStatus.SCHEDULED, date=day(4))
    uid = f"court-event-{hearing.pk}@casetracker"
    hearing.description = "Only the description changes."
    hearing.save()
    assert events(api)[uid]["SEQUENCE"] == 0
    hearing.date = day(11)
    hearing.save()
    assert events(api)[uid]["SEQUENCE"] == 1
    hearing.time = datetime.time(9, 0)
    hearing.save()
    hearing.save()
    moved = events(api)[uid]
    assert moved["SEQUENCE"] == 2
    assert moved.decoded("DTSTART") == datetime.datetime.combine(day(11), datetime.time(9, 0))


def test_a_cancelled_hearing_stays_as_cancelled(api):
    hearing = f.CourtEventFactory(status=EventStatus.CANCELLED, date=day(-3))
    event = events(api)[f"court-event-{hearing.pk}@casetracker"]
    assert event["STATUS"] == "CANCELLED"
    assert "(cancelled)" in str(event["SUMMARY"])


def test_only_days_known_for_sure(api):
    f.CourtEventFactory(date=day(5).replace(day=1), date_precision="month")
    f.CourtEventFactory(date=day(6), date_approximate=True)
    f.CourtEventFactory(date=None, date_precision="")
    kept = f.CourtEventFactory(date=day(7))
    assert list(events(api)) == [f"court-event-{kept.pk}@casetracker"]


def test_filters_by_case_person_and_court(api):
    edny, sdtx = f.CourtFactory(slug="edny"), f.CourtFactory(slug="sdtx")
    ranfla = f.CaseFactory(slug="ranfla", court=edny)
    crook = f.PersonFactory(slug="crook")
    defendant = f.DefendantFactory(case=ranfla, person=crook)
    arraignment = f.CourtEventFactory(case=ranfla, date=D(2023, 12, 8))
    f.AppearanceFactory(event=arraignment, defendant=defendant)
    houston = f.CourtEventFactory(case=ranfla, court=sdtx, date=D(2023, 11, 10))
    codefendant_only = f.CourtEventFactory(case=ranfla, date=D(2024, 1, 5))
    f.AppearanceFactory(event=codefendant_only)
    elsewhere = f.CourtEventFactory(date=D(2024, 2, 2))

    def pks(**params):
        return {int(uid.split("-")[2].split("@")[0]) for uid in events(api, **params)}

    # a case's and a person's whole history
    assert pks(case="ranfla") == {arraignment.pk, houston.pk, codefendant_only.pk}
    # the events he appeared at, and those of his cases that list nobody yet
    assert pks(person="crook") == {arraignment.pk, houston.pk}
    # a court's, like the whole feed's, from 90 days ago unless `since` says otherwise
    assert pks(court="edny", since="2023") == {arraignment.pk, codefendant_only.pk}
    assert pks(court="sdtx", since="2023") == {houston.pk}
    assert pks(since="2023") == {arraignment.pk, houston.pk, codefendant_only.pk, elsewhere.pk}
    assert pks(case="ranfla", since="2023-12") == {arraignment.pk, codefendant_only.pk}


def test_each_case_links_its_own_feed(api):
    case = f.CaseFactory(slug="ranfla")
    mine = f.CourtEventFactory(case=case)
    f.CourtEventFactory()
    link = api.json("cases/ranfla/")["links"]["calendar"]
    assert link == "http://testserver/api/v1/calendar.ics?case=ranfla"
    calendar = Calendar.from_ical(api.get(link).content)
    assert [str(e["UID"]) for e in calendar.walk("VEVENT")] == [
        f"court-event-{mine.pk}@casetracker"
    ]
    assert case.title in str(calendar["X-WR-CALNAME"])


def test_errors_are_json(api):
    response = api.get("calendar.ics", case="ranfla", speed="fast")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert list(response.json()) == ["speed"]


def uids(*hearings) -> set[str]:
    return {f"court-event-{hearing.pk}@casetracker" for hearing in hearings}


def test_unfiltered_the_feed_holds_the_last_90_days_and_all_to_come(api):
    court = f.CourtFactory(slug="edny")
    too_old = f.CourtEventFactory(date=day(-91), court=court)
    oldest = f.CourtEventFactory(date=day(-90), court=court)
    recent = f.CourtEventFactory(date=day(-1), court=court)
    far = f.CourtEventFactory(date=day(800), court=court)
    assert set(events(api)) == uids(oldest, recent, far)
    assert set(events(api, court="edny")) == uids(oldest, recent, far)
    older = uids(too_old, oldest, recent, far)
    assert set(events(api, since=day(-91).isoformat())) == older
    assert set(events(api, since=str(day(-91).year - 1))) == older
    assert set(events(api, since=day(-1).strftime("%Y-%m"))) >= uids(recent, far)
    assert set(events(api, case=too_old.case.slug)) == uids(too_old)


@pytest.mark.parametrize("since", ["2023-13", "last year", "2023-02-30", "0"])
def test_since_is_a_date_or_a_400_naming_it(api, since):
    response = api.get("calendar.ics", since=since)
    assert response.status_code == 400
    assert list(response.json()) == ["since"]


def test_the_etag_changes_whenever_the_feed_would(api):
    court = f.CourtFactory(name="Eastern District")
    case = f.CaseFactory(title="United States v. Crook", court=court)
    hearing = f.CourtEventFactory(case=case, court=court, date=day(10))
    other = f.CourtEventFactory(case=case, court=None, date=day(20))
    edge = f.CourtEventFactory(case=case, date=day(-90))
    seen = []

    def changed():
        """The feed has a new ETag, the old one gets a 200 and the new one a 304."""
        response = api.get("calendar.ics")
        etag = response["ETag"]
        assert etag not in seen
        for old in seen:
            assert api.get("calendar.ics", headers={"If-None-Match": old}).status_code == 200
        assert api.get("calendar.ics", headers={"If-None-Match": etag}).status_code == 304
        seen.append(etag)
        return Calendar.from_ical(response.content)

    changed()
    hearing.date = day(11)  # moved
    hearing.save()
    changed()
    added = f.CourtEventFactory(case=case, date=day(30))
    changed()
    added.status = EventStatus.CANCELLED
    added.save()
    assert "(cancelled)" in str(changed().walk("VEVENT")[-1]["SUMMARY"])
    added.publication = Publication.WITHDRAWN
    added.save()
    assert len(changed().walk("VEVENT")) == 3
    other.delete()
    assert len(changed().walk("VEVENT")) == 2
    case.title = "United States v. Canales Rivera"
    case.save()
    assert "Canales Rivera" in str(changed().walk("VEVENT")[0]["SUMMARY"])
    court.name = "Eastern District of New York"
    court.save()
    assert "Eastern District of New York" in str(changed().walk("VEVENT")[1]["LOCATION"])
    court.publication = Publication.WITHDRAWN
    court.save()
    assert "Eastern District" not in str(changed().walk("VEVENT")[1].get("LOCATION", ""))
    edge.date = day(-91)  # as if a day went by: it leaves the window
    edge.save()
    assert len(changed().walk("VEVENT")) == 1


def test_the_etag_moves_with_the_window(api, monkeypatch):
    f.CourtEventFactory(date=day(-90))
    kept = f.CourtEventFactory(date=day(5))
    first = api.get("calendar.ics")
    monkeypatch.setattr("cases.calendar.window_start", lambda: day(-89))  # a day went by
    again = api.get("calendar.ics", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 200
    assert {str(e["UID"]) for e in Calendar.from_ical(again.content).walk("VEVENT")} == uids(kept)


def test_a_conditional_request_is_answered_before_the_feed_is_built(
    api, monkeypatch, django_assert_num_queries
):
    for n in range(3):
        f.CourtEventFactory(date=day(n), court=f.CourtFactory() if n % 2 else None)
    first = api.get("calendar.ics")
    for n in range(27):
        f.CourtEventFactory(date=day(-n), court=f.CourtFactory() if n % 2 else None)
    # savepoints 2, the history of the events (their SEQUENCE) 1, the events 1
    with django_assert_num_queries(4):
        current = api.get("calendar.ics")
    assert current.content.count(b"BEGIN:VEVENT") == 30
    with django_assert_num_queries(5):  # the summary first, then the feed
        stale = api.get("calendar.ics", headers={"If-None-Match": first["ETag"]})
    assert stale.status_code == 200
    assert stale["ETag"] == current["ETag"]
    filtered = api.get("calendar.ics", since="2020")

    def not_built(*args, **kwargs):
        raise AssertionError("the feed was built for a 304")

    monkeypatch.setattr("cases.calendar.feed", not_built)
    monkeypatch.setattr("cases.calendar.sequences", not_built)
    with django_assert_num_queries(3):  # savepoints 2, the summary 1
        response = api.get("calendar.ics", headers={"If-None-Match": current["ETag"]})
    assert response.status_code == 304
    assert response["ETag"] == current["ETag"]
    assert response["Last-Modified"] == current["Last-Modified"]
    with django_assert_num_queries(3):
        again = api.get("calendar.ics", since="2020", headers={"If-None-Match": filtered["ETag"]})
    assert again.status_code == 304


def test_the_schema_says_what_the_feed_holds_and_documents_every_filter(api):
    operation = api.json("schema/", format="json")["paths"]["/api/v1/calendar.ics"]["get"]
    assert "the last 90 days and all those to come" in operation["description"]
    parameters = {p["name"]: p for p in operation["parameters"] if p["in"] == "query"}
    assert set(parameters) == {"since", "case", "person", "court"}
    assert "YYYY-MM-DD, YYYY-MM or YYYY" in parameters["since"]["description"]
    assert parameters["since"]["schema"]["pattern"] == ISO_REDUCED_PATTERN
    assert "however old" in parameters["case"]["description"]
    assert "90 days ago" in parameters["court"]["description"]
