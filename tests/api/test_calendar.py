"""The hearings calendar, read back with the icalendar package as a calendar app would."""

import datetime

import pytest
from icalendar import Calendar

from cases.models import EventKind, EventStatus
from tests import factories as f

D = datetime.date

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
        date=D(2026, 3, 2),
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
    assert start == datetime.datetime(2026, 3, 2, 10, 30)  # local time at the court: floating
    assert start.tzinfo is None
    assert "Central Islip, New York" in str(event["LOCATION"])
    assert "Status conference before the trial." in str(event["DESCRIPTION"])
    assert str(event["URL"]).endswith(case.get_absolute_url())


def test_a_hearing_without_a_time_is_all_day(api):
    hearing = f.CourtEventFactory(status=EventStatus.SCHEDULED, date=D(2026, 4, 1), time=None)
    event = events(api)[f"court-event-{hearing.pk}@casetracker"]
    assert event.decoded("DTSTART") == D(2026, 4, 1)
    assert event.decoded("DTEND") == D(2026, 4, 2)
    assert event["DTSTART"].params["VALUE"] == "DATE"


def test_rescheduling_raises_the_sequence_and_keeps_the_uid(api):
    hearing = f.CourtEventFactory(status=EventStatus.SCHEDULED, date=D(2026, 5, 4))
    uid = f"court-event-{hearing.pk}@casetracker"
    hearing.description = "Only the description changes."
    hearing.save()
    assert events(api)[uid]["SEQUENCE"] == 0
    hearing.date = D(2026, 5, 11)
    hearing.save()
    assert events(api)[uid]["SEQUENCE"] == 1
    hearing.time = datetime.time(9, 0)
    hearing.save()
    hearing.save()
    moved = events(api)[uid]
    assert moved["SEQUENCE"] == 2
    assert moved.decoded("DTSTART") == datetime.datetime(2026, 5, 11, 9, 0)


def test_a_cancelled_hearing_stays_as_cancelled(api):
    hearing = f.CourtEventFactory(status=EventStatus.CANCELLED, date=D(2026, 6, 1))
    event = events(api)[f"court-event-{hearing.pk}@casetracker"]
    assert event["STATUS"] == "CANCELLED"
    assert "(cancelled)" in str(event["SUMMARY"])


def test_only_days_known_for_sure(api):
    f.CourtEventFactory(date=D(2026, 7, 1), date_precision="month")
    f.CourtEventFactory(date=D(2026, 7, 2), date_approximate=True)
    f.CourtEventFactory(date=None, date_precision="")
    kept = f.CourtEventFactory(date=D(2026, 7, 3))
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

    assert pks(case="ranfla") == {arraignment.pk, houston.pk, codefendant_only.pk}
    # the events he appeared at, and those of his cases that list nobody yet
    assert pks(person="crook") == {arraignment.pk, houston.pk}
    assert pks(court="edny") == {arraignment.pk, codefendant_only.pk}
    assert pks(court="sdtx") == {houston.pk}
    assert pks() == {arraignment.pk, houston.pk, codefendant_only.pk, elsewhere.pk}


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
