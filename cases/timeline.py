"""Timeline assembly: every dated, published fact about a case or a person, in date order.

One assembly serves every rendering (API JSON, TimelineJS, publishing). Items sort by the first
day of their period, then by the same-day order (`rank`: a cause before its consequence), then
by record id. The number of queries is fixed whatever the number of facts: one per kind of
record, one for aliases, one for citations.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.db.models import Prefetch, Q
from django_countries import countries

from casetracker.dates import PartialDate
from casetracker.publication import Publication
from people.models import Alias, Person

from .choices import TimelineKind
from .models import (
    Appearance,
    Case,
    Charge,
    ChargingDocument,
    Citation,
    Court,
    CourtEvent,
    CustodyRecord,
    CustodyStatus,
    Defendant,
    Disposition,
    ExtraditionRequest,
    ExtraditionStatus,
    record_key,
)

HELD = {
    CustodyStatus.ARRESTED,
    CustodyStatus.DETAINED,
    CustodyStatus.IN_PRISON,
    CustodyStatus.SERVING_SENTENCE,
    CustodyStatus.TRANSFERRED,
}
# Same-day order on a timeline: the kind order, with custody changes split in two. Those that
# happen to a person (an arrest, an escape, a death) come before the day's court events and
# decisions; those that follow from them (detention, a sentence served, a surrender, a release,
# being at large or a fugitive) after.
CUSTODY_CAUSES = {
    CustodyStatus.ARRESTED,
    CustodyStatus.ESCAPED,
    CustodyStatus.DECEASED,
}
SAME_DAY_ORDER = [
    (TimelineKind.DOCUMENT_FILED, None),
    (TimelineKind.DOCUMENT_UNSEALED, None),
    (TimelineKind.EXTRADITION_REQUESTED, None),
    (TimelineKind.CUSTODY, True),
    (TimelineKind.COURT_EVENT, None),
    (TimelineKind.CHARGE_DISPOSED, None),
    (TimelineKind.EXTRADITION_DECIDED, None),
    (TimelineKind.CUSTODY, False),
]


def rank(kind: str, status: str = "") -> int:
    """Where an item of `kind` (and `status`, for custody) goes among the items of its day."""
    cause = status in CUSTODY_CAUSES if kind == TimelineKind.CUSTODY else None
    return SAME_DAY_ORDER.index((kind, cause))


@dataclass(frozen=True)
class TimelinePerson:
    slug: str
    name: str
    alias: str  # the first published alias, or ""

    @classmethod
    def of(cls, person: Person) -> TimelinePerson:
        aliases = getattr(person, "timeline_aliases", [])
        return cls(person.slug, str(person), aliases[0].name if aliases else "")


@dataclass
class TimelineItem:
    id: str
    kind: str
    date: PartialDate
    title: str
    record: models.Model
    description: str = ""
    status: str = ""
    place: str = ""
    country: str = ""
    court: Court | None = None
    people: list[TimelinePerson] = field(default_factory=list)
    sources: list[Citation] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return TimelineKind(self.kind).label

    @property
    def country_name(self) -> str:
        return countries.name(self.country) if self.country else ""

    @property
    def sort_key(self):
        return (self.date.date, rank(self.kind, self.status), self.record.pk, self.id)


class Timeline(list):
    """Timeline items in order, and `citations`: the published citations of the items' records
    and of the records a page asked to `cite` along with them (one query for both), filed by
    `record_key()`."""

    citations: dict[tuple[str, str, int], list[Citation]]


def case_timeline(
    case: Case, *, cite=(), charges=None, extraditions=None, custody=None
) -> Timeline:
    """The timeline of one published case; the caller checks the case itself is published.

    `cite`: other records whose citations to load in the timeline's query (see `Timeline`).
    `charges`, `extraditions`, `custody`: the case's published charges, extradition requests
    and its defendants' custody records, when the caller has loaded them already (the case page
    has, for its defendants), with their people; otherwise they are read here.
    """
    defendants = Defendant.objects.published().filter(case=case)
    return assemble(
        cite=cite,
        documents=ChargingDocument.objects.published().filter(case=case),
        events=CourtEvent.objects.published().filter(case=case),
        charges=Charge.objects.published().filter(document__case=case)
        if charges is None
        else charges,
        extraditions=ExtraditionRequest.objects.published().filter(case=case)
        if extraditions is None
        else extraditions,
        custody=CustodyRecord.objects.published().filter(person__in=defendants.values("person"))
        if custody is None
        else custody,
    )


def person_timeline(person: Person, *, cite=(), extraditions=None, custody=None) -> Timeline:
    """The timeline of one published person across all their published cases (`cite`: as for
    `case_timeline`; `extraditions` and `custody`: their published extradition requests and
    custody records, when the caller has loaded them already)."""
    cases = Defendant.objects.published().filter(person=person).values("case")
    appeared = Appearance.objects.filter(
        defendant__person=person, defendant__publication=Publication.PUBLISHED
    ).values("event")
    return assemble(
        cite=cite,
        documents=ChargingDocument.objects.published().filter(case__in=cases),
        events=CourtEvent.objects.published().filter(pk__in=appeared),
        charges=Charge.objects.published().filter(defendant__person=person),
        extraditions=ExtraditionRequest.objects.published().filter(person=person)
        if extraditions is None
        else extraditions,
        custody=CustodyRecord.objects.published().filter(person=person)
        if custody is None
        else custody,
    )


# Which charges, extradition requests and custody records make timeline items: as a condition
# for a query and as a test of a row already loaded.
DECIDED_CHARGE = (
    ~Q(disposition=Disposition.PENDING) & Q(disposition_date__isnull=False),
    lambda charge: (
        charge.disposition != Disposition.PENDING and charge.disposition_date is not None
    ),
)
DATED_EXTRADITION = (
    Q(request_date__isnull=False) | Q(decision_date__isnull=False),
    lambda request: request.request_date is not None or request.decision_date is not None,
)
DATED_CUSTODY = (Q(start_date__isnull=False), lambda record: record.start_date is not None)


def _dated(rows, kept, *related) -> list:
    """The rows that make items: a queryset narrowed by `kept`'s condition (with `related`
    selected, in no particular order: the items are sorted later), or a list of rows already
    loaded, with their people, filtered by `kept`'s test."""
    condition, test = kept
    if isinstance(rows, models.QuerySet):
        return list(rows.filter(condition).select_related(*related).order_by("pk"))
    return [row for row in rows if test(row)]


def assemble(
    *, documents, events, charges, extraditions, custody, cite=(), sources: bool = True
) -> Timeline:
    """Turn published querysets (or, for charges, extraditions and custody, rows a page has
    loaded already) into sorted timeline items, with people and sources (and the citations of
    the records in `cite`, in the same query). Without `sources` (publishing, which copies the
    citations apart), no citation is read.

    The items are sorted here, so the queries ask for no order of their own (the models' default
    orderings would join cases and people just to sort).
    """
    documents = documents.filter(
        Q(filed_date__isnull=False) | Q(unsealed_date__isnull=False)
    ).select_related("court", "case__court")
    events = events.filter(date__isnull=False).select_related("court")
    events = events.prefetch_related(
        Prefetch(
            "appearances",
            queryset=Appearance.objects.filter(
                defendant__publication=Publication.PUBLISHED,
                defendant__person__publication=Publication.PUBLISHED,
            )
            .select_related("defendant__person")
            .order_by("defendant__person__name", "defendant_id", "id"),
        )
    )
    documents, events = list(documents.order_by("pk")), list(events.order_by("pk"))
    charges = _dated(charges, DECIDED_CHARGE, "defendant__person", "document")
    extraditions = _dated(extraditions, DATED_EXTRADITION, "person")
    custody = _dated(custody, DATED_CUSTODY, "person")

    items: list[TimelineItem] = []
    people = _people_with_aliases(
        [a.defendant.person for e in events for a in e.appearances.all()]
        + [c.defendant.person for c in charges]
        + [r.person for r in extraditions]
        + [r.person for r in custody]
    )

    for document in documents:
        items.extend(_document_items(document))
    for event in events:
        items.append(_event_item(event, people))
    for charge in charges:
        items.append(_charge_item(charge, people))
    for request in extraditions:
        items.extend(_extradition_items(request, people))
    for record in custody:
        items.append(_custody_item(record, people))

    cited = [item.record for item in items] + [record for record in cite if record is not None]
    citations = Citation.objects.published().by_record(cited) if sources else {}
    for item in items:
        item.sources = citations.get(record_key(item.record), [])
    timeline = Timeline(sorted(items, key=lambda item: item.sort_key))
    timeline.citations = citations
    return timeline


def _people_with_aliases(people: list[Person]) -> dict[int, TimelinePerson]:
    """TimelinePerson for each person, their first published alias loaded in one query."""
    by_id = {person.pk: person for person in people}
    aliases: dict[int, list[Alias]] = {}
    published = Alias.objects.filter(person__in=by_id, publication=Publication.PUBLISHED)
    for alias in published.order_by("person_id", "name", "id"):
        aliases.setdefault(alias.person_id, []).append(alias)
    for person_id, person in by_id.items():
        person.timeline_aliases = aliases.get(person_id, [])
    return {person_id: TimelinePerson.of(person) for person_id, person in by_id.items()}


def _public(court: Court | None) -> Court | None:
    """The court, unless readers may not see it (a draft court stays off every timeline)."""
    return court if court is not None and court.is_published else None


def _document_items(document: ChargingDocument) -> list[TimelineItem]:
    label = document.title or document.get_kind_display()
    court = _public(document.court or document.case.court)
    where = {"court": court, "country": court.country.code if court else ""}
    items = []
    for name, kind, verb in (
        ("filed_date", TimelineKind.DOCUMENT_FILED, "filed"),
        ("unsealed_date", TimelineKind.DOCUMENT_UNSEALED, "unsealed"),
    ):
        when = PartialDate.from_instance(document, name)
        if when:
            items.append(
                TimelineItem(
                    id=f"{kind}-{document.pk}",
                    kind=kind,
                    date=when,
                    title=f"{label} {verb}",
                    description=f"{verb.capitalize()} in the {court.name}." if court else "",
                    record=document,
                    **where,
                )
            )
    return items


def _event_item(event: CourtEvent, people: dict[int, TimelinePerson]) -> TimelineItem:
    appearances = list(event.appearances.all())
    pleas = [
        f"{people[a.defendant.person_id].name} pleaded {a.get_plea_display().lower()}."
        if a.plea and a.plea != "none"
        else f"{people[a.defendant.person_id].name} entered no plea."
        for a in appearances
        if a.plea
    ]
    court = _public(event.court)  # not the case's: a first appearance may be in another court
    title = event.get_kind_display()
    if event.status != "held":
        title = f"{title} ({event.get_status_display().lower()})"
    return TimelineItem(
        id=f"{TimelineKind.COURT_EVENT}-{event.pk}",
        kind=TimelineKind.COURT_EVENT,
        date=PartialDate.from_instance(event, "date"),
        title=title,
        description=" ".join([*pleas, event.description]).strip(),
        status=event.status,
        place=event.place,
        country=event.country.code or (court.country.code if court else ""),
        court=court,
        people=[people[a.defendant.person_id] for a in appearances],
        record=event,
    )


def _charge_item(charge: Charge, people: dict[int, TimelinePerson]) -> TimelineItem:
    person = people[charge.defendant.person_id]
    return TimelineItem(
        id=f"{TimelineKind.CHARGE_DISPOSED}-{charge.pk}",
        kind=TimelineKind.CHARGE_DISPOSED,
        date=PartialDate.from_instance(charge, "disposition_date"),
        title=f"{person.name}: {charge.get_disposition_display().lower()} of "
        f"{charge.description[:1].lower()}{charge.description[1:]}",
        description=f"Sentence: {charge.sentence}." if charge.sentence else "",
        people=[person],
        record=charge,
    )


def _extradition_items(
    request: ExtraditionRequest, people: dict[int, TimelinePerson]
) -> list[TimelineItem]:
    person = people[request.person_id]
    requesting, requested = request.requesting_country, request.requested_country
    items = []
    asked = PartialDate.from_instance(request, "request_date")
    if asked:
        items.append(
            TimelineItem(
                id=f"{TimelineKind.EXTRADITION_REQUESTED}-{request.pk}",
                kind=TimelineKind.EXTRADITION_REQUESTED,
                date=asked,
                title=f"{requesting.name} requests the extradition of {person.name} "
                f"from {requested.name}",
                country=requested.code,
                people=[person],
                record=request,
            )
        )
    decided = PartialDate.from_instance(request, "decision_date")
    if decided and request.status != ExtraditionStatus.PENDING:
        by = f" ({request.deciding_body})" if request.deciding_body else ""
        items.append(
            TimelineItem(
                id=f"{TimelineKind.EXTRADITION_DECIDED}-{request.pk}",
                kind=TimelineKind.EXTRADITION_DECIDED,
                date=decided,
                title=f"Extradition of {person.name} to {requesting.name}: "
                f"{request.get_status_display().lower()}{by}",
                description=request.reason,
                status=request.status,
                country=requested.code,
                people=[person],
                record=request,
            )
        )
    return items


def _custody_item(record: CustodyRecord, people: dict[int, TimelinePerson]) -> TimelineItem:
    person = people[record.person_id]
    held_by = record.custodian or record.custodian_country.name or ""
    where = " in ".join(part for part in (record.facility, record.place) if part)
    details = [
        f"Held by {held_by}." if held_by and record.status in HELD else "",
        f"{'At' if record.facility else 'In'} {where}." if where else "",
    ]
    return TimelineItem(
        id=f"{TimelineKind.CUSTODY}-{record.pk}",
        kind=TimelineKind.CUSTODY,
        date=PartialDate.from_instance(record, "start_date"),
        title=f"{person.name}: {record.get_status_display().lower()}",
        description=" ".join(part for part in [*details, record.notes] if part),
        status=record.status,
        place=record.place,
        country=record.custodian_country.code or "",
        people=[person],
        record=record,
    )
