"""Writing the published copy: the one step that writes `public.models`.

`write()` copies published units from the working records, in one transaction: each unit's row
(its version counted up, its time of publication set), its facts, the sources they cite and its
timeline items, replacing what the unit's last publication wrote. Units of one kind are written
in batches with a fixed number of queries per batch, whatever the batch's size, so the same code
publishes one case from the admin and a hundred thousand from `generate_synthetic`.

What goes in: the unit's facts that are published (a fact still in draft or in review is held
back), and references to other units only while those are in the copy and not withdrawn (a
defendant whose person is not public is left out, as is the court of a case whose court is not).

`build()` is the same copy made in memory without writing it: the review compares it with the
copy readers see (`changes()`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import models, transaction
from django.utils import timezone

from cases import models as working
from cases.choices import CustodyStatus, TimelineKind
from cases.timeline import assemble
from casetracker.dates import PartialDate
from casetracker.publication import Publication
from casetracker.text import FoldedTextField
from people import models as people

from . import models as copy
from .models import UnitKind

PUBLISHED = (Publication.PUBLISHED,)

# The working model of each kind of unit, and the kinds in the order they are written: a unit
# is written after the units it refers to.
WORKING = {
    UnitKind.COURT: working.Court,
    UnitKind.SOURCE: working.Source,
    UnitKind.ORGANIZATION: people.Organization,
    UnitKind.PERSON: people.Person,
    UnitKind.CASE: working.Case,
}
COPY = {
    UnitKind.COURT: copy.Court,
    UnitKind.SOURCE: copy.Source,
    UnitKind.ORGANIZATION: copy.Organization,
    UnitKind.PERSON: copy.Person,
    UnitKind.CASE: copy.Case,
}
KIND_OF = {model: kind for kind, model in WORKING.items()}

# Each kind's facts in the copy, parents before children, with the field naming their unit.
FACTS = {
    UnitKind.COURT: [],
    UnitKind.SOURCE: [],
    UnitKind.ORGANIZATION: [(copy.OrganizationAlias, "organization")],
    UnitKind.PERSON: [
        (copy.Alias, "person"),
        (copy.Membership, "person"),
        (copy.CustodyRecord, "person"),
        (copy.ExtraditionRequest, "person"),
    ],
    UnitKind.CASE: [
        (copy.Defendant, "case"),
        (copy.ChargingDocument, "case"),
        (copy.Charge, "case"),
        (copy.CourtEvent, "case"),
        (copy.Appearance, "event__case"),
    ],
}
UNIT_FIELDS = {"version", "first_published_at", "published_at", "withdrawn"}

# Same-day order on a timeline: the kind order, with custody changes split in two. Those that
# happen to a person (an arrest, an escape) come before the day's court events and decisions;
# those that follow from them (detention, a sentence served, a surrender, a release) after.
CUSTODY_CAUSES = {
    CustodyStatus.AT_LARGE,
    CustodyStatus.FUGITIVE,
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


def unit_kind(record: models.Model) -> str:
    return KIND_OF[type(record)]


# Building a copy in memory ------------------------------------------------------------------


@dataclass
class Copy:
    """The published rows of some units of one kind, not yet written."""

    kind: str
    with_timeline: bool = True
    units: list[models.Model] = field(default_factory=list)
    facts: dict[type[models.Model], list[models.Model]] = field(default_factory=dict)
    organizations: list[tuple[int, int]] = field(default_factory=list)  # (case, organization)
    citations: list[copy.Citation] = field(default_factory=list)
    timeline: list[tuple[copy.TimelineItem, list[int]]] = field(default_factory=list)
    # The working record each row was copied from, by model name (the same in both copies) and
    # id: how the review names what it adds and shows the references it changes.
    origin: dict[tuple[str, int], models.Model] = field(default_factory=dict)


def _copied(model: type[models.Model], row: models.Model, **values) -> models.Model:
    """An unsaved `model` row holding `row`'s values for the fields they share."""
    data = {
        f.attname: getattr(row, f.attname)
        for f in model._meta.concrete_fields
        if f.attname not in UNIT_FIELDS and hasattr(row, f.attname)
    }
    return model(**(data | values))


class Present:
    """Which units references may point at: those in the copy and not withdrawn, and those
    about to be published along (`also`). One query per kind asked about."""

    def __init__(self, also: Iterable[models.Model] = (), *, scope=None):
        # `write_all`: every published unit that `scope(working model)` selects is being
        # written along.
        self.scope = scope
        self.also: dict[str, set[int]] = defaultdict(set)
        for unit in also:
            self.also[unit_kind(unit)].add(unit.pk)

    def of(self, kind: str, ids: Iterable[int | None]) -> set[int]:
        ids = {pk for pk in ids if pk is not None}
        found = self.also[kind] & ids
        # Always one query, even with nothing left to ask about (no id is 0), so that what a
        # unit holds never changes how many queries building it takes.
        rest = (ids - found) or {0}
        if self.scope:
            written = COPY[kind].objects.filter(withdrawn=False).values("pk")
            rows = (
                WORKING[kind]
                .objects.filter(pk__in=rest, publication=PUBLISHED[0])
                .filter(
                    models.Q(pk__in=self.scope(WORKING[kind]).values("pk"))
                    | models.Q(pk__in=written)
                )
            )
        else:
            rows = COPY[kind].objects.filter(pk__in=rest, withdrawn=False)
        found |= set(rows.values_list("pk", flat=True))
        return found


def build(
    kind: str,
    ids: list[int],
    *,
    states=PUBLISHED,
    present: Present | None = None,
    timeline: bool = True,
) -> Copy:
    """The copy of the units of `kind` with `ids`, holding their facts in `states` (and their
    timeline items, unless `timeline` is false)."""
    present = present or Present()
    result = Copy(kind, with_timeline=timeline)
    units = list(WORKING[kind].objects.filter(pk__in=ids).order_by("pk"))
    result.units = [_copied(COPY[kind], unit) for unit in units]
    records: list[models.Model] = list(units)
    BUILDERS[kind](result, ids, states, present, records)
    for record in records:
        result.origin[(record._meta.model_name, record.pk)] = record
    citations = working.Citation.objects.of_records(records).order_by("pk")
    sources = present.of(UnitKind.SOURCE, [c.source_id for c in citations])
    owner = _owners(kind, records)
    result.citations = [
        copy.Citation(
            id=c.pk,
            unit_kind=kind,
            unit_id=owner[(f"{c.record_app_label}.{c.record_model}", c.object_id)],
            record_type=f"{c.record_app_label}.{c.record_model}",
            record_id=c.object_id,
            source_id=c.source_id,
            quote=c.quote,
            page=c.page,
        )
        for c in citations
        if c.source_id in sources
    ]
    return result


def _label(record: models.Model) -> str:
    return record._meta.label_lower


def _owners(kind: str, records: list[models.Model]) -> dict[tuple[str, int], int]:
    """The unit each of `records` belongs to, by (model label, id)."""
    path = {
        UnitKind.CASE: lambda r: r.case_id if hasattr(r, "case_id") else r.pk,
        UnitKind.PERSON: lambda r: r.person_id if hasattr(r, "person_id") else r.pk,
        UnitKind.ORGANIZATION: lambda r: (
            r.organization_id if hasattr(r, "organization_id") else r.pk
        ),
    }.get(kind, lambda r: r.pk)
    owners = {}
    for record in records:
        if isinstance(record, working.Charge):
            owners[(_label(record), record.pk)] = record.document.case_id
        else:
            owners[(_label(record), record.pk)] = path(record)
    return owners


def _court_and_source(result, ids, states, present, records):
    """Courts and sources have no facts."""


def _organizations(result, ids, states, present, records):
    parents = present.of(UnitKind.ORGANIZATION, [o.parent_id for o in result.units])
    for organization in result.units:
        if organization.parent_id not in parents:
            organization.parent_id = None
    aliases = list(
        people.OrganizationAlias.objects.filter(organization__in=ids, publication__in=states)
    )
    result.facts[copy.OrganizationAlias] = [_copied(copy.OrganizationAlias, a) for a in aliases]
    records += aliases


def _people(result, ids, states, present, records):
    aliases = list(people.Alias.objects.filter(person__in=ids, publication__in=states))
    memberships = list(
        people.Membership.objects.filter(person__in=ids, publication__in=states).select_related(
            "person", "organization"
        )
    )
    custody = list(
        working.CustodyRecord.objects.filter(person__in=ids, publication__in=states)
        .select_related("person")
        .order_by("pk")
    )
    extraditions = list(
        working.ExtraditionRequest.objects.filter(person__in=ids, publication__in=states)
        .select_related("person")
        .order_by("pk")
    )
    organizations = present.of(UnitKind.ORGANIZATION, [m.organization_id for m in memberships])
    memberships = [m for m in memberships if m.organization_id in organizations]
    cases = present.of(UnitKind.CASE, [r.case_id for r in extraditions])
    result.facts[copy.Alias] = [_copied(copy.Alias, a) for a in aliases]
    result.facts[copy.Membership] = [_copied(copy.Membership, m) for m in memberships]
    result.facts[copy.CustodyRecord] = [_copied(copy.CustodyRecord, r) for r in custody]
    result.facts[copy.ExtraditionRequest] = [
        _copied(copy.ExtraditionRequest, r, case_id=r.case_id if r.case_id in cases else None)
        for r in extraditions
    ]
    records += aliases + memberships + custody + extraditions
    if not result.with_timeline:
        return
    timeline = assemble(
        documents=working.ChargingDocument.objects.none(),
        events=working.CourtEvent.objects.none(),
        charges=[],
        extraditions=extraditions,
        custody=custody,
        sources=False,
    )
    for item in timeline:
        record = item.record
        case = getattr(record, "case_id", None)
        _add_item(
            result,
            item,
            unit=record.person_id,
            case=case if case in cases else None,
            people=[record.person_id],
            courts=set(),
        )


def _cases(result, ids, states, present, records):
    defendants = list(
        working.Defendant.objects.filter(case__in=ids, publication__in=states).select_related(
            "person", "case"
        )
    )
    persons = present.of(UnitKind.PERSON, [d.person_id for d in defendants])
    defendants = [d for d in defendants if d.person_id in persons]
    kept = {d.pk for d in defendants}
    documents = list(working.ChargingDocument.objects.filter(case__in=ids, publication__in=states))
    documents_kept = {d.pk for d in documents}
    charges = list(
        working.Charge.objects.filter(document__case__in=ids, publication__in=states)
        .select_related("document")
        .order_by("pk")
    )
    charges = [c for c in charges if c.document_id in documents_kept and c.defendant_id in kept]
    events = list(working.CourtEvent.objects.filter(case__in=ids, publication__in=states))
    events_kept = {e.pk for e in events}
    appearances = [
        a
        for a in working.Appearance.objects.filter(event__case__in=ids)
        .select_related("defendant__person")
        .order_by("pk")
        if a.event_id in events_kept and a.defendant_id in kept
    ]
    courts = present.of(
        UnitKind.COURT,
        [row.court_id for row in [*result.units, *documents, *events]],
    )

    def court(row):
        return row.court_id if row.court_id in courts else None

    for case in result.units:
        case.court_id = court(case)
    organizations = working.Case.organizations.through.objects.filter(case__in=ids)
    pairs = [(row.case_id, row.organization_id) for row in organizations.order_by("pk")]
    listed = present.of(UnitKind.ORGANIZATION, [org for _case, org in pairs])
    result.organizations = [(case, org) for case, org in pairs if org in listed]
    result.facts[copy.Defendant] = [_copied(copy.Defendant, d) for d in defendants]
    result.facts[copy.ChargingDocument] = [
        _copied(copy.ChargingDocument, d, court_id=court(d)) for d in documents
    ]
    result.facts[copy.Charge] = [
        _copied(copy.Charge, c, case_id=c.document.case_id) for c in charges
    ]
    result.facts[copy.CourtEvent] = [_copied(copy.CourtEvent, e, court_id=court(e)) for e in events]
    result.facts[copy.Appearance] = [_copied(copy.Appearance, a) for a in appearances]
    records += defendants + documents + charges + events + appearances
    if not result.with_timeline:
        return
    # The timeline, from the facts kept (those are published when this is written).
    timeline = assemble(
        documents=working.ChargingDocument.objects.filter(pk__in=documents_kept),
        events=working.CourtEvent.objects.filter(pk__in=events_kept),
        charges=working.Charge.objects.filter(pk__in=[c.pk for c in charges]),
        extraditions=[],
        custody=[],
        sources=False,
    )
    person_of = {d.pk: d.person_id for d in defendants}
    attending: dict[int, list[int]] = defaultdict(list)
    for appearance in appearances:
        attending[appearance.event_id].append(person_of[appearance.defendant_id])
    for item in timeline:
        record = item.record
        if isinstance(record, working.Charge):
            case, people_ids = record.document.case_id, [person_of[record.defendant_id]]
        elif isinstance(record, working.CourtEvent):
            case, people_ids = record.case_id, attending[record.pk]
        else:
            case, people_ids = record.case_id, []
        _add_item(result, item, unit=case, case=case, people=people_ids, courts=courts)


def _add_item(result: Copy, item, *, unit: int, case: int | None, people, courts) -> None:
    court = item.court.pk if item.court is not None and item.court.pk in courts else None
    row = copy.TimelineItem(
        unit_kind=result.kind,
        unit_id=unit,
        key=item.id,
        kind=item.kind,
        status=item.status,
        date=item.date.date,
        date_precision=item.date.precision,
        date_approximate=item.date.approximate,
        rank=rank(item.kind, item.status),
        record_type=_label(item.record),
        record_id=item.record.pk,
        case_id=case,
        title=item.title[:600],
        description=item.description,
        place=item.place,
        country=item.country,
        court_id=court,
    )
    result.timeline.append((row, list(dict.fromkeys(people))))


BUILDERS = {
    UnitKind.COURT: _court_and_source,
    UnitKind.SOURCE: _court_and_source,
    UnitKind.ORGANIZATION: _organizations,
    UnitKind.PERSON: _people,
    UnitKind.CASE: _cases,
}


# Writing it ----------------------------------------------------------------------------------


def write(units: Iterable[models.Model], user=None, comment: str = "", *, at=None):
    """Write the published copy of `units` (published working records of any kinds), in one
    transaction, and log a new version of each; returns the versions logged."""
    units = list(units)
    present = Present(also=units)  # references may point at each other (checked at COMMIT)
    by_kind: dict[str, list[int]] = defaultdict(list)
    for unit in units:
        by_kind[unit_kind(unit)].append(unit.pk)
    at = at or timezone.now()
    versions = []
    with transaction.atomic():
        for kind in WORKING:  # in the order references need
            if by_kind[kind]:
                versions += write_batch(kind, by_kind[kind], user, comment, at=at, present=present)
    return versions


def write_batch(
    kind: str, ids: list[int], user=None, comment: str = "", *, at, present=None
) -> list:
    """Write the copy of the units of one `kind`: a fixed number of queries, however many."""
    built = build(kind, ids, present=present)
    model = COPY[kind]
    with transaction.atomic():
        before = dict(model.objects.filter(pk__in=ids).values_list("pk", "version"))
        firsts = dict(model.objects.filter(pk__in=ids).values_list("pk", "first_published_at"))
        _delete_facts(kind, ids)
        for unit in built.units:
            unit.version = before.get(unit.pk, 0) + 1
            unit.first_published_at = firsts.get(unit.pk, at)
            unit.published_at = at
            unit.withdrawn = False
        model.objects.bulk_create(
            built.units,
            update_conflicts=True,
            unique_fields=["id"],
            update_fields=[
                f.name
                for f in model._meta.concrete_fields
                if not f.primary_key and not isinstance(f, models.ManyToManyField)
            ],
        )
        for fact_model, _path in FACTS[kind]:
            fact_model.objects.bulk_create(built.facts.get(fact_model, []))
        if kind == UnitKind.CASE:
            through = copy.Case.organizations.through
            through.objects.bulk_create(
                [through(case_id=case, organization_id=org) for case, org in built.organizations]
            )
        copy.Citation.objects.bulk_create(built.citations)
        items = copy.TimelineItem.objects.bulk_create([row for row, _people in built.timeline])
        through = copy.TimelineItem.people.through
        through.objects.bulk_create(
            [
                through(timelineitem_id=row.pk, person_id=person)
                for row, (_row, people_ids) in zip(items, built.timeline, strict=True)
                for person in people_ids
            ]
        )
        return copy.Version.objects.bulk_create(
            [
                copy.Version(
                    unit_kind=kind,
                    unit_id=unit.pk,
                    number=unit.version,
                    action=copy.VersionAction.PUBLISHED,
                    at=at,
                    by=user,
                    comment=comment,
                )
                for unit in built.units
            ]
        )


def _delete_facts(kind: str, ids: list[int]) -> None:
    """Remove what the units' last publication wrote, children before parents."""
    copy.TimelineItem.objects.filter(unit_kind=kind, unit_id__in=ids).delete()
    copy.Citation.objects.filter(unit_kind=kind, unit_id__in=ids).delete()
    if kind == UnitKind.CASE:
        copy.Case.organizations.through.objects.filter(case__in=ids).delete()
    for fact_model, path in reversed(FACTS[kind]):
        fact_model.objects.filter(**{f"{path}__in": ids}).delete()


def withdraw(unit: models.Model, user=None, comment: str = "", *, at=None) -> copy.Version | None:
    """Take a unit off the public side: its row stays, marked withdrawn (its addresses answer
    "gone"), and the withdrawal is logged. A unit never published has nothing to withdraw."""
    kind, at = unit_kind(unit), at or timezone.now()
    model = COPY[kind]
    with transaction.atomic():
        row = model.objects.filter(pk=unit.pk).first()
        if row is None:
            return None
        model.objects.filter(pk=unit.pk).update(withdrawn=True, published_at=at)
        return copy.Version.objects.create(
            unit_kind=kind,
            unit_id=unit.pk,
            number=row.version,
            action=copy.VersionAction.WITHDRAWN,
            at=at,
            by=user,
            comment=comment,
        )


def write_all(batch: int = 1000, *, at=None, scope=None) -> int:
    """Write the copy of every published unit (what a fresh copy starts from), or of those
    `scope(working model)` selects; returns how many units were written."""
    at = at or timezone.now()
    count = 0
    scope = scope or (lambda model: model.objects.all())
    present = Present(scope=scope)
    with transaction.atomic():
        for kind, model in WORKING.items():
            rows = scope(model)
            ids = list(
                rows.filter(publication=Publication.PUBLISHED)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            for start in range(0, len(ids), batch):
                write_batch(kind, ids[start : start + batch], at=at, present=present)
            count += len(ids)
    return count


def forget(scope, batch: int = 1000) -> int:
    """Take out of the copy, log included, the units `scope(working model)` selects, as if
    never published: for generated data being removed (`generate_synthetic --remove`), never
    for real units, which are withdrawn. Returns how many units were taken out."""
    count = 0
    ids = {
        kind: list(scope(model).order_by("pk").values_list("pk", flat=True))
        for kind, model in WORKING.items()
    }
    with transaction.atomic():
        for kind in reversed(WORKING):  # every unit's facts first: they refer to other units
            for start in range(0, len(ids[kind]), batch):
                chunk = ids[kind][start : start + batch]
                _delete_facts(kind, chunk)
                copy.Version.objects.filter(unit_kind=kind, unit_id__in=chunk).delete()
                if kind == UnitKind.ORGANIZATION:
                    copy.Organization.objects.filter(pk__in=chunk).update(parent=None)
        for kind in reversed(WORKING):  # then the units, before the units they refer to
            for start in range(0, len(ids[kind]), batch):
                chunk = ids[kind][start : start + batch]
                count += COPY[kind].objects.filter(pk__in=chunk).delete()[0]
    return count


# What publishing would change -----------------------------------------------------------------

# What a fact's name reads besides its own row, loaded with the rows compared.
NAMED_WITH = {
    copy.Defendant: ("person", "case"),
    copy.Membership: ("person", "organization"),
    copy.CustodyRecord: ("person",),
    copy.ExtraditionRequest: ("person",),
    copy.Appearance: ("defendant__person",),
}
HIDDEN = UNIT_FIELDS | {"id", "case", "person", "organization", "unit_kind", "unit_id"}


@dataclass
class Change:
    """One fact readers will see added, removed or changed, with the fields that change."""

    kind: str
    action: str  # "added", "removed" or "changed"
    name: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (field, before, after)


def changes(unit: models.Model, *, states=PUBLISHED, also=()) -> list[Change]:
    """What publishing `unit` with its facts in `states` (and the units in `also` with it)
    would change against the copy readers see: facts added, removed and changed, field by
    field. A fixed number of queries, and one for each reference changed."""
    kind = unit_kind(unit)
    built = build(kind, [unit.pk], states=states, present=Present(also), timeline=False)
    live_unit = COPY[kind].objects.filter(pk=unit.pk, withdrawn=False).first()
    found = _compare(
        COPY[kind]._meta.verbose_name,
        {unit.pk: live_unit} if live_unit else {},
        built.units,
        built.origin,
    )
    for model, path in FACTS[kind]:
        live = model.objects.filter(**{path: unit.pk}).select_related(*NAMED_WITH.get(model, ()))
        found += _compare(
            model._meta.verbose_name,
            {row.pk: row for row in live},
            built.facts.get(model, []),
            built.origin,
        )
    cited = copy.Citation.objects.filter(unit_kind=kind, unit_id=unit.pk).select_related("source")
    titles = dict(
        working.Source.objects.filter(pk__in=[c.source_id for c in built.citations]).values_list(
            "pk", "title"
        )
    )
    live = {c.pk: c for c in cited}
    for citation in built.citations:
        what = f"{citation.record_type.split('.')[1]} {citation.record_id}"
        name = f"{titles.get(citation.source_id, '')} (for {what})"
        before = live.pop(citation.pk, None)
        if before is None:
            found.append(Change("source cited", "added", name))
        elif fields := _changed_fields(before, citation, None):
            found.append(Change("source cited", "changed", name, fields))
    found += [Change("source cited", "removed", f"{c.source.title}") for c in live.values()]
    if kind == UnitKind.CASE:
        before = set(live_unit.organizations.values_list("name", flat=True)) if live_unit else set()
        listed = [org for _case, org in built.organizations]
        after = set(
            people.Organization.objects.filter(pk__in=listed).values_list("name", flat=True)
        )
        found += [Change("organization named", "added", n) for n in sorted(after - before)]
        found += [Change("organization named", "removed", n) for n in sorted(before - after)]
    return found


def _compare(kind: str, live: dict, new: list, origin: dict) -> list[Change]:
    found = []
    for row in new:
        record = origin[(row._meta.model_name, row.pk)]
        if row.pk not in live:
            found.append(Change(kind, "added", str(record)))
        elif fields := _changed_fields(live[row.pk], row, record):
            found.append(Change(kind, "changed", str(record), fields))
    seen = {row.pk for row in new}
    found += [Change(kind, "removed", str(row)) for pk, row in live.items() if pk not in seen]
    return found


def _changed_fields(before, after, record) -> list[tuple[str, str, str]]:
    """The fields that differ between the live row `before` and the new row `after` (copied
    from the working `record`, which shows the references), as (field, before, after)."""
    names = {f.name for f in before._meta.concrete_fields}
    changed = []
    for f in before._meta.concrete_fields:
        if (
            f.name in HIDDEN
            or isinstance(f, FoldedTextField)
            or f.name.endswith(("_precision", "_approximate"))
        ):
            continue
        if f"{f.name}_precision" in names:
            old, new = (PartialDate.from_instance(row, f.name) for row in (before, after))
            if old != new:
                changed.append((str(f.verbose_name), _show(old), _show(new)))
        elif getattr(before, f.attname) != getattr(after, f.attname):
            shown = after if record is None or not f.is_relation else record
            changed.append((str(f.verbose_name), _display(before, f), _display(shown, f)))
    return changed


def _display(row: models.Model, f) -> str:
    if f.choices:
        return _show(getattr(row, f"get_{f.name}_display")())
    if f.is_relation:
        return _show(getattr(row, f.name) if getattr(row, f.attname) is not None else None)
    return _show(getattr(row, f.attname))


def _show(value) -> str:
    return "(none)" if value in (None, "") else str(value)


def versions_of(unit: models.Model, limit: int = 20) -> list[copy.Version]:
    """The unit's publication log, the latest first."""
    rows = copy.Version.objects.filter(unit_kind=unit_kind(unit), unit_id=unit.pk)
    return list(rows.select_related("by")[:limit])
