"""Writing the published copy: the one step that writes `public.models`.

`write()` copies published units from the working records, in one transaction: each unit's row
(its version counted up, its time of publication set), its facts, the sources they cite and its
timeline items, replacing what the unit's last publication wrote. Units of one kind are written
in batches with a fixed number of queries per batch, whatever the batch's size, so the same code
publishes one case from the admin and a hundred thousand from `generate_synthetic`.

What goes in: the unit's facts that are published (a fact still in draft or in review is held
back), and references to other units only while those are in the copy and not withdrawn (a
defendant whose person is not public is left out, as is the court of a case whose court is not).

`changes()` is what the review shows: it writes the copy inside a savepoint, compares it with
the copy readers see, and rolls it back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import models, transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from cases import models as working
from cases.timeline import assemble, rank
from casetracker.bulk import delete_rows, insert_select
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


def unit_kind(record: models.Model) -> str:
    return KIND_OF[type(record)]


# What goes in ---------------------------------------------------------------------------------


class Present:
    """Which units references may point at: those in the copy and not withdrawn, and those
    being published along (`also`); for `write_all`, every published unit `scope(working
    model)` selects, as all of those are being written."""

    def __init__(self, also: Iterable[models.Model] = (), *, scope=None):
        self.scope = scope
        self.also: dict[str, set[int]] = defaultdict(set)
        for unit in also:
            self.also[unit_kind(unit)].add(unit.pk)

    def rows(self, kind: str) -> models.QuerySet:
        """The ids of the units of `kind` that are there, as a subquery."""
        if self.scope:
            written = COPY[kind].objects.filter(withdrawn=False).values("pk")
            model = WORKING[kind]
            rows = model.objects.filter(publication=Publication.PUBLISHED).filter(
                Q(pk__in=self.scope(model).values("pk")) | Q(pk__in=written)
            )
        else:
            rows = COPY[kind].objects.filter(withdrawn=False)
        return rows.values("pk")

    def has(self, kind: str, path: str) -> Q:
        """A condition: the unit of `kind` that `path` points at is there."""
        condition = Q(**{f"{path}__in": self.rows(kind)})
        if self.also[kind]:
            condition |= Q(**{f"{path}__in": sorted(self.also[kind])})
        return condition

    def ref(self, kind: str, path: str) -> models.Expression:
        """The reference `path`, or nothing when the unit it points at is not there."""
        return Case(When(self.has(kind, path), then=F(path)), default=None)

    def ids(self, kind: str, ids: Iterable[int | None]) -> set[int]:
        """Those of `ids` whose unit is there: one query."""
        ids = {pk for pk in ids if pk is not None}
        found = self.also[kind] & ids
        rest = (ids - found) or {0}  # always one query (no id is 0), for a fixed count
        there = WORKING[kind].objects.filter(pk__in=rest).filter(pk__in=self.rows(kind))
        return found | set(there.values_list("pk", flat=True))


def _facts(kind: str, ids: list[int], states, present: Present) -> list[tuple]:
    """The unit's facts that go in, kind by kind: (copy model, working rows, the columns that
    are not copied as they are, the path from a fact to its unit)."""
    if kind == UnitKind.ORGANIZATION:
        aliases = people.OrganizationAlias.objects.filter(
            organization__in=ids, publication__in=states
        )
        return [(copy.OrganizationAlias, aliases, {}, "organization_id")]
    if kind == UnitKind.PERSON:
        mine = {"person__in": ids, "publication__in": states}
        memberships = people.Membership.objects.filter(**mine).filter(
            present.has(UnitKind.ORGANIZATION, "organization")
        )
        return [
            (copy.Alias, people.Alias.objects.filter(**mine), {}, "person_id"),
            (copy.Membership, memberships, {}, "person_id"),
            (copy.CustodyRecord, working.CustodyRecord.objects.filter(**mine), {}, "person_id"),
            (
                copy.ExtraditionRequest,
                working.ExtraditionRequest.objects.filter(**mine),
                {"case_id": present.ref(UnitKind.CASE, "case")},
                "person_id",
            ),
        ]
    if kind == UnitKind.CASE:
        mine = {"case__in": ids, "publication__in": states}
        defendants = working.Defendant.objects.filter(**mine).filter(
            present.has(UnitKind.PERSON, "person")
        )
        documents = working.ChargingDocument.objects.filter(**mine)
        charges = working.Charge.objects.filter(
            document__in=documents, defendant__in=defendants, publication__in=states
        )
        events = working.CourtEvent.objects.filter(**mine)
        appearances = working.Appearance.objects.filter(event__in=events, defendant__in=defendants)
        court = {"court_id": present.ref(UnitKind.COURT, "court")}
        return [
            (copy.Defendant, defendants, {}, "case_id"),
            (copy.ChargingDocument, documents, court, "case_id"),
            (copy.Charge, charges, {"case_id": F("document__case_id")}, "document__case_id"),
            (copy.CourtEvent, events, court, "case_id"),
            (copy.Appearance, appearances, {}, None),
        ]
    return []


def _copy_columns(model: type[models.Model], **overrides) -> dict:
    """Each column of a copy `model`, from the working field of the same name unless given."""
    return {
        f.column: overrides.get(f.attname, F(f.attname))
        for f in model._meta.concrete_fields
        if f.attname not in UNIT_FIELDS
    }


def _copied(model: type[models.Model], row: models.Model, **values) -> models.Model:
    """An unsaved `model` row holding `row`'s values for the fields they share."""
    data = {
        f.attname: getattr(row, f.attname)
        for f in model._meta.concrete_fields
        if f.attname not in UNIT_FIELDS and hasattr(row, f.attname)
    }
    return model(**(data | values))


# The timeline ----------------------------------------------------------------------------------


def _timeline(kind: str, facts: dict, present: Present) -> list:
    """The units' timeline items, unsaved, from the facts that go in."""
    if kind == UnitKind.CASE:
        appearances = facts[copy.Appearance].values_list("event_id", "defendant__person_id")
        attending: dict[int, list[int]] = defaultdict(list)
        for event, person in appearances.order_by("pk"):
            attending[event].append(person)
        items = assemble(
            documents=facts[copy.ChargingDocument],
            events=facts[copy.CourtEvent],
            charges=facts[copy.Charge],
            extraditions=[],
            custody=[],
            sources=False,
        )
    elif kind == UnitKind.PERSON:
        items = assemble(
            documents=working.ChargingDocument.objects.none(),
            events=working.CourtEvent.objects.none(),
            charges=[],
            extraditions=list(facts[copy.ExtraditionRequest].select_related("person")),
            custody=list(facts[copy.CustodyRecord].select_related("person")),
            sources=False,
        )
    else:
        return []
    courts = present.ids(UnitKind.COURT, [i.court.pk for i in items if i.court is not None])
    cases = present.ids(UnitKind.CASE, [getattr(i.record, "case_id", None) for i in items])
    rows = []
    for item in items:
        record = item.record
        if isinstance(record, working.Charge):
            case, unit, who = (
                record.document.case_id,
                record.document.case_id,
                [record.defendant.person_id],
            )
        elif isinstance(record, working.CourtEvent):
            case, unit, who = record.case_id, record.case_id, attending[record.pk]
        elif isinstance(record, working.ChargingDocument):
            case, unit, who = record.case_id, record.case_id, []
        else:  # a person's custody record or extradition request
            case = getattr(record, "case_id", None)
            case, unit, who = (
                (case if case in cases else None),
                record.person_id,
                [record.person_id],
            )
        court = item.court.pk if item.court is not None and item.court.pk in courts else None
        row = copy.TimelineItem(
            unit_kind=kind,
            unit_id=unit,
            key=item.id,
            kind=item.kind,
            status=item.status,
            date=item.date.date,
            date_precision=item.date.precision,
            date_approximate=item.date.approximate,
            rank=rank(item.kind, item.status),
            record_type=record._meta.label_lower,
            record_id=record.pk,
            case_id=case,
            title=item.title[:600],
            description=item.description,
            place=item.place,
            country=item.country,
            court_id=court,
            people=list(dict.fromkeys(who)),
        )
        rows.append(row)
    return rows


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
    kind: str,
    ids: list[int],
    user=None,
    comment: str = "",
    *,
    at,
    present=None,
    states=PUBLISHED,
    facts: bool = True,
    timeline: bool = True,
) -> list:
    """Write the copy of the units of one `kind`, with their facts in `states` (the units' own
    rows alone without `facts`; no timeline without `timeline`): a fixed number of queries,
    however many units."""
    present = present or Present()
    model = COPY[kind]
    with transaction.atomic(savepoint=False):
        before = {
            pk: (version, first)
            for pk, version, first in model.objects.filter(pk__in=ids).values_list(
                "pk", "version", "first_published_at"
            )
        }
        if facts:
            _delete_facts(kind, ids)
        units = []
        for unit in WORKING[kind].objects.filter(pk__in=ids).order_by("pk"):
            version, first = before.get(unit.pk, (0, at))
            units.append(
                _copied(
                    model,
                    unit,
                    version=version + 1,
                    first_published_at=first,
                    published_at=at,
                    withdrawn=False,
                )
            )
        references = {
            UnitKind.CASE: ("court", UnitKind.COURT),
            UnitKind.ORGANIZATION: ("parent", UnitKind.ORGANIZATION),
        }
        if kind in references:
            name, target = references[kind]
            there = present.ids(target, [getattr(unit, f"{name}_id") for unit in units])
            for unit in units:
                if getattr(unit, f"{name}_id") not in there:
                    setattr(unit, f"{name}_id", None)
        model.objects.bulk_create(
            units,
            update_conflicts=True,
            unique_fields=["id"],
            update_fields=[f.name for f in model._meta.concrete_fields if not f.primary_key],
        )

        written = {}
        owners = [(WORKING[kind].objects.filter(pk__in=ids), F("object_id"))]
        for fact_model, rows, columns, owner in _facts(kind, ids, states, present) if facts else []:
            insert_select(fact_model, rows, _copy_columns(fact_model, **columns))
            written[fact_model] = rows
            if owner:
                owners.append((rows, owner))
        if kind == UnitKind.CASE and facts:
            links = working.Case.organizations.through.objects.filter(case__in=ids).filter(
                present.has(UnitKind.ORGANIZATION, "organization")
            )
            insert_select(
                copy.Case.organizations.through,
                links,
                {"case_id": F("case_id"), "organization_id": F("organization_id")},
            )
        for rows, owner in owners if facts else []:
            _insert_citations(kind, rows, owner, present)

        if facts and timeline:
            copy.TimelineItem.objects.bulk_create(_timeline(kind, written, present))
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
                for unit in units
            ]
        )


# How a citation finds what it cites (GenericRelation's related_query_name), by model name.
CITED_AS = {
    "case": "case",
    "person": "person",
    "organization": "organization",
    "defendant": "defendant",
    "chargingdocument": "charging_document",
    "charge": "charge",
    "courtevent": "court_event",
    "alias": "alias",
    "membership": "membership",
    "organizationalias": "organization_alias",
    "custodyrecord": "custody_record",
    "extraditionrequest": "extradition_request",
}


def _insert_citations(kind: str, rows: models.QuerySet, owner, present: Present) -> None:
    """Copy the citations of `rows` (whose unit is `owner`, a path from them) that cite a
    source readers can see."""
    model = rows.model
    name = CITED_AS.get(model._meta.model_name)
    if name is None:
        return
    unit = F("object_id") if isinstance(owner, F) else F(f"{name}__{owner}")
    citations = working.Citation.objects.filter(**{f"{name}__in": rows.values("pk")}).filter(
        present.has(UnitKind.SOURCE, "source")
    )
    insert_select(
        copy.Citation,
        citations,
        {
            "id": F("id"),
            "unit_kind": Value(kind),
            "unit_id": unit,
            "record_type": Value(model._meta.label_lower),
            "record_id": F("object_id"),
            "source_id": F("source_id"),
            "quote": F("quote"),
            "page": F("page"),
        },
    )


def _delete_facts(kind: str, ids: list[int]) -> None:
    """Remove what the units' last publication wrote, children before parents: one DELETE
    per table, nothing loaded."""
    items = copy.TimelineItem.objects.filter(unit_kind=kind, unit_id__in=ids)
    delete_rows(items)
    delete_rows(copy.Citation.objects.filter(unit_kind=kind, unit_id__in=ids))
    if kind == UnitKind.CASE:
        delete_rows(copy.Case.organizations.through.objects.filter(case__in=ids))
    for fact_model, path in reversed(FACTS[kind]):
        delete_rows(fact_model.objects.filter(**{f"{path}__in": ids}))


def withdraw(unit: models.Model, user=None, comment: str = "", *, at=None) -> copy.Version | None:
    """Take a unit off the public side: its row stays, marked withdrawn (its addresses answer
    "gone"), and the withdrawal is logged. A unit never published has nothing to withdraw."""
    with transaction.atomic():
        logged = _withdraw(unit_kind(unit), [unit.pk], user, comment, at or timezone.now())
    return logged[0] if logged else None


def withdraw_deleted(sender, instance, **kwargs) -> None:
    """A published unit deleted from the working records leaves the public side as a withdrawn
    one does: its addresses answer "gone" (signal receiver, `public.apps`)."""
    withdraw(instance, comment="Deleted")


def _withdraw(kind: str, ids: list[int], user, comment: str, at) -> list[copy.Version]:
    """Withdraw the units of `kind` among `ids` that are in the copy and not withdrawn yet."""
    model = COPY[kind]
    rows = list(model.objects.filter(pk__in=ids, withdrawn=False).values_list("pk", "version"))
    if not rows:
        return []
    model.objects.filter(pk__in=[pk for pk, _ in rows]).update(withdrawn=True, published_at=at)
    return copy.Version.objects.bulk_create(
        [
            copy.Version(
                unit_kind=kind,
                unit_id=pk,
                number=version,
                action=copy.VersionAction.WITHDRAWN,
                at=at,
                by=user,
                comment=comment,
            )
            for pk, version in rows
        ]
    )


def write_all(batch: int = 1000, *, at=None, scope=None) -> int:
    """Write the copy of every published unit, and withdraw from it the units no longer
    published or deleted (the copy then matches what the working records mark published); or
    write the units `scope(working model)` selects, withdrawing none. Returns how many units
    were written."""
    at = at or timezone.now()
    count = 0
    everything = scope is None
    scope = scope or (lambda model: model.objects.all())
    present = Present(scope=scope)
    with transaction.atomic():
        for kind, model in WORKING.items():
            published = scope(model).filter(publication=Publication.PUBLISHED)
            ids = list(published.order_by("pk").values_list("pk", flat=True))
            for start in range(0, len(ids), batch):
                write_batch(kind, ids[start : start + batch], at=at, present=present)
            count += len(ids)
        if everything:
            for kind, model in WORKING.items():
                gone = (
                    COPY[kind]
                    .objects.filter(withdrawn=False)
                    .exclude(
                        pk__in=model.objects.filter(publication=Publication.PUBLISHED).values("pk")
                    )
                )
                _withdraw(kind, list(gone.values_list("pk", flat=True)), None, "", at)
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
                delete_rows(copy.Version.objects.filter(unit_kind=kind, unit_id__in=chunk))
                if kind == UnitKind.ORGANIZATION:
                    copy.Organization.objects.filter(pk__in=chunk).update(parent=None)
        for kind in reversed(WORKING):  # then the units, before the units they refer to
            for start in range(0, len(ids[kind]), batch):
                chunk = ids[kind][start : start + batch]
                count += delete_rows(COPY[kind].objects.filter(pk__in=chunk))
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
# Not shown as changes: the bookkeeping of the copy, and each fact's link to its own unit (a
# reference to another unit, such as a membership's organization, is shown).
HIDDEN = UNIT_FIELDS | {"id", "unit_kind", "unit_id"}
OWN_UNIT = {model: path.split("__")[0] for facts in FACTS.values() for model, path in facts}


@dataclass
class Change:
    """One fact readers will see added, removed or changed, with the fields that change."""

    kind: str
    action: str  # "added", "removed" or "changed"
    name: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (field, before, after)


def changes(unit: models.Model, *, states=PUBLISHED, also=()) -> list[Change]:
    """What publishing `unit` with its facts in `states`, and the units in `also` along, would
    change against the copy readers see: facts added, removed and changed, field by field. It
    writes them for real inside a savepoint (`rehearsal`), reads the result and rolls it back,
    so the review shows what publishing writes. A fixed number of queries, whatever the unit
    holds."""
    kind = unit_kind(unit)
    with transaction.atomic():
        before = _rows_of(kind, unit.pk)
        with rehearsal(unit, states=states, also=also, timeline=False):
            after = _rows_of(kind, unit.pk)
    found = []
    for name, (old, new) in {key: (before[key], after[key]) for key in before}.items():
        found += _compare(name, old, new)
    return found


@contextmanager
def rehearsal(unit: models.Model, *, states=PUBLISHED, also=(), timeline: bool = True):
    """Inside the block, the copy holds `unit` as publishing it with its facts in `states` (and
    the units in `also`, their own rows: what this unit's rows point at) would write it; it is
    rolled back after. For the review's comparison and a staff preview of a page."""
    present = Present(also=[unit, *also])
    with transaction.atomic():
        savepoint = transaction.savepoint()
        try:
            at = timezone.now()
            needed: dict[str, list[int]] = defaultdict(list)
            for other in also:
                needed[unit_kind(other)].append(other.pk)
            for other_kind in WORKING:
                if needed[other_kind]:
                    write_batch(other_kind, needed[other_kind], at=at, present=present, facts=False)
            write_batch(
                unit_kind(unit),
                [unit.pk],
                at=at,
                present=present,
                states=states,
                timeline=timeline,
            )
            yield
        finally:
            transaction.savepoint_rollback(savepoint)


def _rows_of(kind: str, pk: int) -> dict[str, dict]:
    """The unit's rows in the copy, kind by kind, by id, with what names them."""
    model = COPY[kind]
    rows = {
        model._meta.verbose_name: {
            row.pk: row for row in model.objects.filter(pk=pk, withdrawn=False)
        }
    }
    for fact_model, path in FACTS[kind]:
        facts = fact_model.objects.filter(**{path: pk}).select_related(
            *NAMED_WITH.get(fact_model, ())
        )
        rows[fact_model._meta.verbose_name] = {row.pk: row for row in facts}
    cited = copy.Citation.objects.filter(unit_kind=kind, unit_id=pk).select_related("source")
    rows["source cited"] = {row.pk: row for row in cited}
    if kind == UnitKind.CASE:
        links = copy.Case.organizations.through.objects.filter(case=pk).select_related(
            "organization"
        )
        rows["organization named"] = {row.organization_id: row.organization for row in links}
    return rows


def _compare(kind: str, live: dict, new: dict) -> list[Change]:
    found = []
    for pk, row in new.items():
        if pk not in live:
            found.append(Change(kind, "added", _name(row)))
        elif fields := _changed_fields(live[pk], row):
            found.append(Change(kind, "changed", _name(row), fields))
    found += [Change(kind, "removed", _name(row)) for pk, row in live.items() if pk not in new]
    return found


def _name(row: models.Model) -> str:
    if isinstance(row, copy.Citation):
        return f"{row.source} (for {row.record_type.split('.')[1]} {row.record_id})"
    return str(row)


def _changed_fields(before, after) -> list[tuple[str, str, str]]:
    """The fields that differ between the live row `before` and the new row `after`, as
    (field, before, after)."""
    names = {f.name for f in before._meta.concrete_fields}
    changed = []
    for f in before._meta.concrete_fields:
        if (
            f.name in HIDDEN
            or f.name == OWN_UNIT.get(type(before))
            or isinstance(f, FoldedTextField)
            or f.name.endswith(("_precision", "_approximate"))
        ):
            continue
        if f"{f.name}_precision" in names:
            old, new = (PartialDate.from_instance(row, f.name) for row in (before, after))
            if old != new:
                changed.append((str(f.verbose_name), _show(old), _show(new)))
        elif getattr(before, f.attname) != getattr(after, f.attname):
            changed.append((str(f.verbose_name), _display(before, f), _display(after, f)))
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
