"""Court events as an iCalendar feed (RFC 5545), for calendar apps to subscribe to.

The feed holds the events a calendar can place (`CourtEvent.objects.on_calendar()`: the day is
known, and not only roughly). Unfiltered, it covers a window: the hearings of the last
`WINDOW_DAYS` days and all those to come, so that it does not grow with the years of history
behind it (`window_start`); older ones are asked for explicitly (see `CalendarView`).

A feed's validator (`Summary`) changes whenever the feed would: everything a feed shows moves
the `updated_at` of its event, its case (title, page) or its court (name, publication), and rows
coming or going change their count and ids. For a conditional request it is read first, in one
aggregate query, so that a 304 costs no feed; otherwise it is taken from the rows the feed is
built from, so that a plain request costs no query more.

Each event keeps its UID for life (`court-event-<id>@casetracker`); its SEQUENCE counts the times
its date or time changed, read from the event's history; DTSTAMP and LAST-MODIFIED are when the
record last changed, so the feed only changes when the data does. An event without a time is an
all-day event; a time is the local time at the court, written as a floating time because the
court's time zone is not recorded. Cancelled hearings stay in the feed with STATUS:CANCELLED so
calendars drop them, and hearings held stay so calendars keep them.
"""

from __future__ import annotations

import datetime
from typing import NamedTuple

from django.db.models import Count, Max, Sum
from django.utils import timezone
from icalendar import Calendar, Event

from .models import CourtEvent, EventStatus

PRODUCT = "-//casetracker//Court hearings//EN"
STATUS = {
    EventStatus.SCHEDULED: "CONFIRMED",
    EventStatus.HELD: "CONFIRMED",
    EventStatus.CANCELLED: "CANCELLED",
}


WINDOW_DAYS = 90


def window_start() -> datetime.date:
    """The first day of the unfiltered feed: `WINDOW_DAYS` ago."""
    return timezone.localdate() - datetime.timedelta(days=WINDOW_DAYS)


class Summary(NamedTuple):
    """What tells one version of a feed from another: its rows (how many, which) and the newest
    change among its events, their cases and their courts."""

    count: int
    ids: int
    events: datetime.datetime | None
    cases: datetime.datetime | None
    courts: datetime.datetime | None

    @classmethod
    def of_rows(cls, events) -> Summary:
        """The summary of a queryset of events, in one query (the feed is not built)."""
        found = events.aggregate(
            count=Count("pk"),
            ids=Sum("pk"),
            events=Max("updated_at"),
            cases=Max("case__updated_at"),
            courts=Max("court__updated_at"),
        )
        return cls(**{**found, "ids": int(found["ids"] or 0)})  # PostgreSQL sums as numeric

    @classmethod
    def of_loaded(cls, events: list[CourtEvent]) -> Summary:
        """The same summary, of events already loaded with their case and court (no query);
        `test_a_conditional_request_is_answered_before_the_feed_is_built` holds the two equal."""
        courts = [event.court.updated_at for event in events if event.court]
        return cls(
            count=len(events),
            ids=sum(event.pk for event in events),
            events=max((event.updated_at for event in events), default=None),
            cases=max((event.case.updated_at for event in events), default=None),
            courts=max(courts, default=None),
        )

    def newest(self) -> datetime.datetime | None:
        return max((time for time in (self.events, self.cases, self.courts) if time), default=None)


def uid(event: CourtEvent) -> str:
    return f"court-event-{event.pk}@casetracker"


def sequences(events) -> dict[int, int]:
    """How many times each event's date or time changed: one query over their history.

    `events` is a queryset of court events (used as a subquery).
    """
    changes: dict[int, int] = {}
    previous: dict[int, tuple] = {}
    history = CourtEvent.history.model.objects.filter(id__in=events.values("pk"))
    rows = history.order_by("id", "history_date", "history_id").values_list("id", "date", "time")
    for pk, date, time in rows:
        if pk in previous and previous[pk] != (date, time):
            changes[pk] = changes.get(pk, 0) + 1
        previous[pk] = (date, time)
    return changes


def feed(events, *, name: str, changes: dict[int, int], page_url=None) -> bytes:
    """The iCalendar feed of `events` (loaded with their case and court)."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for event in events:
        calendar.add_component(entry(event, changes.get(event.pk, 0), page_url))
    return calendar.to_ical()


def entry(event: CourtEvent, sequence: int, page_url=None) -> Event:
    case = event.case
    court = event.court if event.court and event.court.is_published else None
    item = Event()
    item.add("uid", uid(event))
    item.add("dtstamp", event.updated_at)
    item.add("last-modified", event.updated_at)
    item.add("sequence", sequence)
    item.add("status", STATUS[event.status])
    item.add("transp", "TRANSPARENT")
    if event.time:
        item.add("dtstart", datetime.datetime.combine(event.date, event.time))
    else:
        item.add("dtstart", event.date)
        item.add("dtend", event.date + datetime.timedelta(days=1))
    title = event.get_kind_display()
    if event.status == EventStatus.CANCELLED:
        title = f"{title} (cancelled)"
    item.add("summary", f"{title}: {case.title}")
    place = [event.place, court.name if court else "", event.country.name or ""]
    if location := ", ".join(dict.fromkeys(part for part in place if part)):
        item.add("location", location)
    description = [event.description]
    url = page_url(case) if page_url else None
    if url:
        item.add("url", url)
        description.append(url)
    if text := "\n\n".join(part for part in description if part):
        item.add("description", text)
    return item
