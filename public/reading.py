"""Reading the published copy: what every public surface shows, from `public.models` alone.

A unit is shown while its row is not withdrawn. A reference written while the unit it names was
published stays in the copy after that unit is withdrawn: lists drop the facts that hang from a
withdrawn unit (a defendant whose person was withdrawn), and templates show a reference only
when `is_published` (a case's court).

Timelines are read from their materialized items (`TimelineItem`), with the people they name
and the sources they cite, in a fixed number of queries.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import F, Prefetch, Q
from django.utils import timezone

from casetracker.dates import Precision

from .models import (
    Alias,
    Appearance,
    Case,
    Charge,
    Citation,
    CourtEvent,
    CustodyRecord,
    Defendant,
    ExtraditionRequest,
    Membership,
    Organization,
    OrganizationAlias,
    Person,
    TimelineItem,
    UnitKind,
)


def live(model):
    """The units of `model` readers may see."""
    return model.objects.filter(withdrawn=False)


def first_aliases():
    """People's aliases as lists show them: by name (the first is the one a list quotes)."""
    return Prefetch("person__aliases", queryset=Alias.objects.order_by("person_id", "name", "id"))


def named_defendants():
    """A case's defendants whose person readers may see, by name, with their aliases."""
    return (
        Defendant.objects.filter(person__withdrawn=False)
        .select_related("person")
        .prefetch_related(first_aliases())
        .order_by("person__name", "id")
    )


def cases_for_lists():
    """Cases as lists show them: court, named defendants."""
    return (
        live(Case)
        .select_related("court")
        .prefetch_related(Prefetch("defendants", queryset=named_defendants()))
    )


def upcoming_hearings():
    """Scheduled court events whose date (or month, or year) has not passed."""
    today = timezone.localdate()
    not_past = (
        Q(date__gte=today, date_precision=Precision.DAY)
        | Q(date__gte=today.replace(day=1), date_precision=Precision.MONTH)
        | Q(date__gte=datetime.date(today.year, 1, 1), date_precision=Precision.YEAR)
    )
    return (
        CourtEvent.objects.filter(not_past, status="scheduled", case__withdrawn=False)
        .select_related("case", "court")
        .order_by("date", "time", "id")
    )


def case_page():
    """Cases with all their page shows: court, organizations, defendants with their aliases,
    custody, pleas and charges, and extradition requests."""
    pleas = (
        Appearance.objects.exclude(plea="")
        .exclude(event__status="cancelled")
        .select_related("event")
        .order_by(F("event__date").asc(nulls_first=True), "event_id", "id")
    )
    custody = CustodyRecord.objects.order_by(F("start_date").asc(nulls_first=True), "id")
    charges = Charge.objects.select_related("document").order_by(
        F("document__filed_date").asc(nulls_first=True),
        "document_id",
        F("count_number").asc(nulls_last=True),
        "id",
    )
    defendants = named_defendants().prefetch_related(
        Prefetch("person__custody_records", queryset=custody),
        Prefetch("appearances", queryset=pleas),
        Prefetch("charges", queryset=charges),
    )
    requests = (
        ExtraditionRequest.objects.filter(person__withdrawn=False)
        .select_related("person")
        .order_by(F("request_date").asc(nulls_first=True), "id")
    )
    return Case.objects.select_related("court").prefetch_related(
        Prefetch("defendants", queryset=defendants),
        Prefetch("extradition_requests", queryset=requests),
        Prefetch("organizations", queryset=live(Organization)),
    )


def person_page():
    """People with all their page shows: aliases, memberships, cases, custody, extraditions."""
    return Person.objects.prefetch_related(
        Prefetch("aliases", queryset=Alias.objects.order_by("name", "id")),
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(organization__withdrawn=False)
            .select_related("organization")
            .order_by("start_date", "id"),
        ),
        Prefetch(
            "custody_records",
            queryset=CustodyRecord.objects.order_by(F("start_date").asc(nulls_first=True), "id"),
        ),
        Prefetch(
            "defendant_records",
            queryset=Defendant.objects.filter(case__withdrawn=False)
            .select_related("case__court")
            .order_by("case__title", "id"),
        ),
        Prefetch(
            "extradition_requests",
            queryset=ExtraditionRequest.objects.select_related("case").order_by(
                F("request_date").asc(nulls_first=True), "id"
            ),
        ),
    )


def members_of(organization: Organization):
    """An organization's members readers may see, by name, each with their aliases."""
    return (
        Membership.objects.filter(organization=organization, person__withdrawn=False)
        .select_related("person")
        .prefetch_related(first_aliases())
        .order_by("person__name", "id")
    )


def current_custody(records) -> CustodyRecord | None:
    """The latest open record among `records` (already loaded): a person's custody now."""
    running = [record for record in records if record.end_date is None]
    if not running:
        return None
    return max(running, key=lambda r: (r.start_date is not None, r.start_date or 0, r.pk))


# Search ---------------------------------------------------------------------------------------


def search_cases(cases, words: list[str]):
    """Cases whose title, or a named defendant's name or alias, holds every word (folded)."""
    for word in words:
        named = live(Person).filter(search_name__contains=word).values("pk")
        known_as = Alias.objects.filter(search_name__contains=word, person__withdrawn=False)
        defendants = Defendant.objects.filter(
            Q(person__in=named) | Q(person__in=known_as.values("person"))
        )
        cases = cases.filter(Q(search_title__contains=word) | Q(pk__in=defendants.values("case")))
    return cases


def search_people(people, words: list[str]):
    """People whose name or any alias holds every word."""
    for word in words:
        known_as = Alias.objects.filter(search_name__contains=word).values("person")
        people = people.filter(Q(search_name__contains=word) | Q(pk__in=known_as))
    return people


def search_organizations(organizations, words: list[str]):
    """Organizations whose name or any alias holds every word."""
    for word in words:
        known_as = OrganizationAlias.objects.filter(search_name__contains=word).values(
            "organization"
        )
        organizations = organizations.filter(Q(search_name__contains=word) | Q(pk__in=known_as))
    return organizations


# Timelines ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Named:
    """A person a timeline item names: as the item's links show them."""

    slug: str
    name: str
    alias: str  # their first alias, or ""


def case_timeline(case: Case, defendants: list[int]) -> list[TimelineItem]:
    """The timeline of a case: its own items, the extradition items that name it, and the custody
    changes of its named defendants (`defendants`: their people's ids, readers may see them)."""
    items = TimelineItem.objects.filter(
        Q(case=case) | Q(unit_kind=UnitKind.PERSON, kind="custody", unit_id__in=defendants)
    )
    return _read(items)


def person_timeline(person: Person, cases: list[int]) -> list[TimelineItem]:
    """The timeline of a person: their own items, and those of their cases (`cases`: the ids of
    those readers may see) that concern them: every charging document, the court events they
    appeared at and their charges' decisions."""
    items = TimelineItem.objects.filter(
        Q(unit_kind=UnitKind.PERSON, unit_id=person.pk) | Q(unit_kind=UnitKind.CASE, case__in=cases)
    )
    return [
        item
        for item in _read(items)
        if item.unit_kind == UnitKind.PERSON
        or item.kind.startswith("document_")
        or person.pk in item.people
    ]


def _read(items) -> list[TimelineItem]:
    """The items in order, with their court, `named` (the people they name, readers may see
    them) and `sources` (their citations, with the sources): three queries."""
    rows = list(items.select_related("court").order_by("date", "rank", "record_id", "key"))
    ids = {pk for row in rows for pk in row.people}  # a person's own items name them
    named = live(Person).filter(pk__in=ids)  # no query when there is nobody to name
    aliases = Prefetch("aliases", queryset=Alias.objects.order_by("name", "id"))
    people = {person.pk: person for person in named.prefetch_related(aliases)}
    cited = defaultdict(list)
    records = {(row.record_type, row.record_id) for row in rows}
    for citation in _citations(records):
        cited[citation.record_type, citation.record_id].append(citation)
    # A person's own items (custody, extradition) leave with the person when withdrawn.
    rows = [row for row in rows if row.unit_kind == UnitKind.CASE or row.unit_id in people]
    for row in rows:
        row.named = [_named(people[pk]) for pk in row.people if pk in people]
        row.sources = cited[row.record_type, row.record_id]
    return rows


def _named(person: Person) -> Named:
    aliases = list(person.aliases.all())
    return Named(person.slug, str(person), aliases[0].name if aliases else "")


def citations_of(records) -> dict[tuple[str, int], list[Citation]]:
    """The citations of `records` (rows of the copy) whose source readers may see, filed by
    (model name, id): one query."""
    keys = {(_record_type(record), record.pk) for record in records if record is not None}
    found: dict[tuple[str, int], list[Citation]] = defaultdict(list)
    for citation in _citations(keys):
        found[citation.record_type.split(".")[1], citation.record_id].append(citation)
    return found


# Citations name the working record they cite ("people.alias"): the app of each copied model.
PEOPLE_RECORDS = {"person", "alias", "organization", "organizationalias", "membership"}


def _record_type(record) -> str:
    name = record._meta.model_name
    return f"{'people' if name in PEOPLE_RECORDS else 'cases'}.{name}"


def _citations(keys: set[tuple[str, int]]):
    """The citations of the records `keys` names, (record type, id), with their sources: one
    query through the (record type, record id) index, or none when there is nothing to cite."""
    by_type: dict[str, set[int]] = defaultdict(set)
    for record_type, record_id in keys:
        by_type[record_type].add(record_id)
    if not by_type:
        return []
    condition = Q()
    for record_type, ids in by_type.items():
        condition |= Q(record_type=record_type, record_id__in=sorted(ids))
    return (
        Citation.objects.filter(condition, source__withdrawn=False)
        .select_related("source")
        .order_by("source__title", "id")
    )
