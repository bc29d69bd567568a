"""A timeline (from `cases.timeline`) as a Knight Lab TimelineJS 3 document.

TimelineJS reads it as it is: a title slide, then one event per timeline item. A date known to the
month or the year leaves out the day or the month, so TimelineJS shows "December 2020" rather than
"1 December 2020". Custody periods are events in the "Custody" group, spanning from their start to
their end when the period is over. TimelineJS treats headlines and texts as HTML: every text from
the database is escaped here, and only http(s) source links become links (`web_url`).

Format: https://timeline.knightlab.com/docs/json-format.html
"""

from __future__ import annotations

from django.utils.html import escape, format_html, format_html_join

from casetracker.dates import PartialDate, Precision
from casetracker.links import web_url

from .models import Case, CustodyRecord
from .timeline import TimelineItem, TimelineKind

GROUPS = {
    TimelineKind.DOCUMENT_FILED: "Charges",
    TimelineKind.DOCUMENT_UNSEALED: "Charges",
    TimelineKind.CHARGE_DISPOSED: "Charges",
    TimelineKind.COURT_EVENT: "Court",
    TimelineKind.EXTRADITION_REQUESTED: "Extradition",
    TimelineKind.EXTRADITION_DECIDED: "Extradition",
    TimelineKind.CUSTODY: "Custody",
}


def date_object(value: PartialDate) -> dict:
    """A TimelineJS date: year, then month and day only as far as they are known."""
    result = {"year": str(value.date.year)}
    if value.precision in (Precision.MONTH, Precision.DAY):
        result["month"] = str(value.date.month)
    if value.precision == Precision.DAY:
        result["day"] = str(value.date.day)
    result["display_date"] = value.display()
    return result


def paragraph(text: str) -> str:
    return format_html("<p>{}</p>", text) if text else ""


def sources_html(item: TimelineItem) -> str:
    if not item.sources:
        return ""
    entries = []
    for citation in item.sources:
        source = citation.source
        href = web_url(source.url)
        title = (
            format_html('<a href="{}">{}</a>', href, source.title) if href else escape(source.title)
        )
        by = format_html(" ({})", source.publisher) if source.publisher else ""
        quote = format_html(": “{}”", citation.quote) if citation.quote else ""
        entries.append((title, by, quote))
    return format_html(
        '<p class="sources">Sources:</p><ul>{}</ul>',
        format_html_join("", "<li>{}{}{}</li>", entries),
    )


def where(item: TimelineItem) -> str:
    """Place, court and country, leaving out what the description already says."""
    court = item.court.name if item.court and item.court.is_published else ""
    parts = [part for part in (item.place, court, item.country_name) if part]
    return ", ".join(part for part in dict.fromkeys(parts) if part not in item.description)


def event(item: TimelineItem) -> dict:
    start = date_object(item.date)
    slide = {
        "unique_id": item.id,
        "start_date": start,
        "display_date": item.date.display(),
        "text": {
            "headline": escape(item.title),
            "text": paragraph(item.description) + paragraph(where(item)) + sources_html(item),
        },
        "group": GROUPS[item.kind],
    }
    if isinstance(item.record, CustodyRecord) and item.kind == TimelineKind.CUSTODY:
        end = PartialDate.from_instance(item.record, "end_date")
        if end and end.date > item.date.date:
            slide["end_date"] = date_object(end)
            slide["display_date"] = f"{item.date.display()} to {end.display()}"
    return slide


def document(headline: str, text: str, items: list[TimelineItem]) -> dict:
    return {
        "title": {"text": {"headline": escape(headline), "text": text}},
        "events": [event(item) for item in items],
    }


def case_document(case: Case, items: list[TimelineItem]) -> dict:
    court = case.court if case.court and case.court.is_published else None
    status = f"{case.get_status_display()}, {court.name}" if court else case.get_status_display()
    return document(case.title, paragraph(status) + paragraph(case.summary), items)


def person_document(person, items: list[TimelineItem]) -> dict:
    aliases = [alias.name for alias in person.aliases.all()]
    known_as = f"Also known as {', '.join(aliases)}." if aliases else ""
    return document(str(person), paragraph(known_as) + paragraph(person.summary), items)
