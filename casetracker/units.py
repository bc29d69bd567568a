"""Units of publication: what a reader sees as one page and an editor reviews as one thing.

A unit is a case, a person, an organization, a court or a source: its own record, and the facts
it holds (`FACTS`). A researcher sends a whole unit to review in one action and an editor
publishes it, or returns it with a comment, in one action (`send_to_review`, `publish`,
`return_to_draft`, `withdraw`). The review page shows what readers will see change and which
other units this one needs (`Review`); those go to review and are published with it.

Facts keep their own review state, which is how a fact is held back: sending a unit to review
sends its draft facts along, and a researcher who wants to hold one back returns that fact to
draft (or enters it later); publishing publishes the facts in review and leaves drafts where
they are. (An editor who publishes a unit nobody sent to review, a draft, publishes its draft
facts with it: both steps at once.) Every move goes through `workflow.set_publication`, so it
lands in each record's history with who made it and why.

The unit's state, as the admin shows it (`state`): a draft; in review (the unit, or new facts of
a published unit); published, perhaps with unpublished changes (facts in draft); withdrawn.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.db import models, transaction

from casetracker import workflow
from casetracker.publication import Publication
from public import publishing

DRAFT, IN_REVIEW = Publication.DRAFT, Publication.IN_REVIEW
PUBLISHED, WITHDRAWN = Publication.PUBLISHED, Publication.WITHDRAWN

# Each unit's facts: (model, path from the fact to the unit's record), in the order a reader
# meets them on the page.
FACTS: dict[str, list[tuple[str, str]]] = {
    "cases.case": [
        ("cases.defendant", "case"),
        ("cases.chargingdocument", "case"),
        ("cases.charge", "document__case"),
        ("cases.courtevent", "case"),
    ],
    "people.person": [
        ("people.alias", "person"),
        ("people.membership", "person"),
        ("cases.custodyrecord", "person"),
        ("cases.extraditionrequest", "person"),
    ],
    "people.organization": [("people.organizationalias", "organization")],
    "cases.court": [],
    "cases.source": [],
}
UNITS = tuple(FACTS)

# What a fact's name (`str()`) reads besides its own row, loaded with it.
NAMED_WITH = {
    "cases.defendant": ("person", "case"),
    "cases.custodyrecord": ("person",),
    "cases.extraditionrequest": ("person",),
    "people.membership": ("person", "organization"),
}

# The other units a record points at, which readers see through it: a case names its court, its
# defendants' people, its organizations; a court event its court; and so on. Every record also
# needs the sources it cites.
REFERENCES: dict[str, list[str]] = {
    "cases.case": ["court", "organizations"],
    "cases.defendant": ["person"],
    "cases.chargingdocument": ["court"],
    "cases.courtevent": ["court"],
    "people.membership": ["organization"],
    "people.organization": ["parent"],
}

# How the admin names each state of a unit.
STATE_NAMES = {
    DRAFT: "Draft",
    IN_REVIEW: "In review",
    PUBLISHED: "Published",
    "changed": "Published, with unpublished changes",
    WITHDRAWN: "Withdrawn",
}


def label(model: type[models.Model] | models.Model) -> str:
    return model._meta.label_lower


def is_unit(record: models.Model) -> bool:
    return label(record) in FACTS


def facts_of(unit: models.Model) -> list[tuple[type[models.Model], models.QuerySet]]:
    """The unit's facts, kind by kind, as querysets (one query each when read)."""
    return [
        (
            model := apps.get_model(name),
            model.objects.filter(**{path: unit})
            .select_related(*NAMED_WITH.get(name, ()))
            .order_by("pk"),
        )
        for name, path in FACTS[label(unit)]
    ]


def state(unit: models.Model, facts: dict[str, int] | None = None) -> str:
    """The unit's state for the admin (a key of `STATE_NAMES`); `facts`: how many of its facts
    are in each state (`fact_states`), read when not given."""
    if unit.publication != PUBLISHED:
        return unit.publication
    facts = fact_states(unit) if facts is None else facts
    if facts.get(IN_REVIEW):
        return IN_REVIEW
    if facts.get(DRAFT):
        return "changed"
    return PUBLISHED


def fact_states(unit: models.Model) -> dict[str, int]:
    """How many of the unit's facts are in each review state: one query per kind of fact."""
    counts: dict[str, int] = {}
    for _model, rows in facts_of(unit):
        for row in rows.order_by().values("publication").annotate(n=models.Count("pk")):
            counts[row["publication"]] = counts.get(row["publication"], 0) + row["n"]
    return counts


def needed_units(records: list[models.Model]) -> list[models.Model]:
    """The units, other than those of `records`, that `records` point at or cite and that are
    not public yet (a draft or in review): they go to review and are published with them."""
    cases_models = apps.get_app_config("cases")
    citation, source = cases_models.get_model("Citation"), cases_models.get_model("Source")
    own = {(label(record), record.pk) for record in records if is_unit(record)}
    found: dict[tuple[str, int], models.Model] = {}

    def add(rows):
        for unit in rows.filter(publication__in=[DRAFT, IN_REVIEW]):
            key = (label(unit), unit.pk)
            if key not in own:
                found.setdefault(key, unit)

    by_model: dict[type[models.Model], list[models.Model]] = {}
    for record in records:
        by_model.setdefault(type(record), []).append(record)
    for model, rows in by_model.items():
        ids = [row.pk for row in rows]
        for name in REFERENCES.get(label(model), []):
            target = model._meta.get_field(name).related_model
            add(target.objects.filter(pk__in=model.objects.filter(pk__in=ids).values(name)))
    cited = citation.objects.of_records(records).values("source")
    add(source.objects.filter(pk__in=cited))
    return sorted(found.values(), key=lambda unit: (UNITS.index(label(unit)), str(unit)))


@dataclass
class Review:
    """What publishing `unit` now would change for readers, for the review page.

    `appearing`: records that become public (the unit's record when it is not public yet, its
    facts in review), kind by kind; `held_back`: its facts in draft, which stay off the public
    site; `public`: how many of its facts are public already; `needed`: other units that go with
    it; `unsourced`: records appearing that cite no source.
    """

    unit: models.Model
    appearing: list[tuple[str, list[models.Model]]] = field(default_factory=list)
    held_back: list[tuple[str, list[models.Model]]] = field(default_factory=list)
    public: int = 0
    needed: list[models.Model] = field(default_factory=list)
    unsourced: list[models.Model] = field(default_factory=list)
    diff: list[publishing.Change] = field(default_factory=list)
    versions: list = field(default_factory=list)

    @classmethod
    def of(cls, unit: models.Model) -> Review:
        review = cls(unit)
        if unit.publication != PUBLISHED:
            review.appearing.append((unit._meta.verbose_name, [unit]))
        coming = coming_states(unit)
        for model, rows in facts_of(unit):
            rows = list(rows)
            name = model._meta.verbose_name_plural
            if appearing := [row for row in rows if row.publication in coming]:
                review.appearing.append((name, appearing))
            held = [row for row in rows if row.publication == DRAFT and DRAFT not in coming]
            if held:
                review.held_back.append((name, held))
            review.public += sum(row.publication == PUBLISHED for row in rows)
        records = review.records()
        review.needed = needed_units(records)
        review.unsourced = unsourced(records)
        review.diff = publishing.changes(
            unit,
            states=(PUBLISHED, *coming),
            also=review.needed,
        )
        review.versions = publishing.versions_of(unit)
        return review

    def records(self) -> list[models.Model]:
        return [record for _name, rows in self.appearing for record in rows]

    @property
    def changes(self) -> bool:
        return bool(self.appearing or self.needed or self.diff)


def coming_states(unit: models.Model) -> tuple[str, ...]:
    """The states of the facts that publishing `unit` publishes: those in review, and the
    drafts too when the unit itself is a draft (sent and published at once)."""
    return (IN_REVIEW, DRAFT) if unit.publication == DRAFT else (IN_REVIEW,)


def unsourced(records: list[models.Model]) -> list[models.Model]:
    """Those of `records` that cite no source: one query."""
    citation = apps.get_model("cases", "Citation")
    cited = {
        (row.record_app_label, row.record_model, row.object_id)
        for row in citation.objects.of_records(records)
    }
    return [
        record
        for record in records
        if (record._meta.app_label, record._meta.model_name, record.pk) not in cited
        and hasattr(record, "citations")
    ]


# The actions -------------------------------------------------------------------------------


class UnitRefused(Exception):
    """Why a unit action was refused, in words for the researcher."""


def _move(records, target: str, user, reason: str) -> list[models.Model]:
    moved, refused = workflow.set_publication(records, target, user, reason=reason)
    if refused:
        record, message = refused[0]
        raise UnitRefused(f"“{record}”: {message}")
    return moved


def facts_in(unit: models.Model, states: tuple[str, ...]) -> list[models.Model]:
    return [row for _model, rows in facts_of(unit) for row in rows.filter(publication__in=states)]


def send_to_review(unit: models.Model, user, note: str = "") -> list[models.Model]:
    """Send the unit, its draft facts and the draft units it needs (with their draft facts) to
    review, in one transaction; returns the records moved."""
    reason = _reason("Sent to review", note)
    with transaction.atomic():
        records = [unit] if unit.publication in (DRAFT, WITHDRAWN) else []
        records += facts_in(unit, (DRAFT,))
        for other in needed_units([unit, *facts_in(unit, (DRAFT, IN_REVIEW, PUBLISHED))]):
            if other.publication == DRAFT:
                records += [other, *facts_in(other, (DRAFT,))]
        if not records:
            raise UnitRefused("Nothing to send: everything in it is in review or published.")
        return _move(records, IN_REVIEW, user, reason)


def publish(unit: models.Model, user, note: str = "") -> list[models.Model]:
    """Publish the unit, its facts in review, and the units it needs that are not public yet
    (with their facts in review), in one transaction; returns the records published. Facts in
    draft stay where they are, unless the unit is a draft itself (`coming_states`)."""
    if unit.publication == WITHDRAWN:
        raise UnitRefused("This is withdrawn. Send it to review again before publishing it.")
    reason = _reason("Published", note)
    with transaction.atomic():
        review = Review.of(unit)
        records = review.records()
        for other in review.needed:
            records += [other, *facts_in(other, coming_states(other))]
        if not records and not review.diff:
            raise UnitRefused("Nothing to publish: nothing in it is in review or changed.")
        moved = _move(records, PUBLISHED, user, reason)
        publishing.write([unit, *review.needed], user, note)
        return moved


def return_to_draft(unit: models.Model, user, note: str) -> list[models.Model]:
    """Return the unit and its facts in review to draft, with the editor's comment (kept in
    each record's history); the researcher finds them among their drafts."""
    if not note.strip():
        raise UnitRefused("Say what needs doing: the comment goes back to the researcher.")
    with transaction.atomic():
        records = [unit] if unit.publication == IN_REVIEW else []
        records += facts_in(unit, (IN_REVIEW,))
        if not records:
            raise UnitRefused("Nothing to return: nothing in it is in review.")
        return _move(records, DRAFT, user, _reason("Returned to draft", note))


def withdraw(unit: models.Model, user, note: str = "") -> list[models.Model]:
    """Take the unit off the public site (its facts go with it)."""
    if unit.publication != PUBLISHED:
        raise UnitRefused("Only a published unit can be withdrawn.")
    with transaction.atomic():
        moved = _move([unit], WITHDRAWN, user, _reason("Withdrawn from the public site", note))
        publishing.withdraw(unit, user, note)
        return moved


def _reason(action: str, note: str) -> str:
    note = " ".join(note.split())
    return f"{action}: {note}"[:100] if note else action


# The admin's lists -------------------------------------------------------------------------


def unit_models() -> list[type[models.Model]]:
    return [apps.get_model(name) for name in UNITS]


def with_facts_in(unit_model: type[models.Model], states: tuple[str, ...]) -> models.Q:
    """A filter: units with at least one fact in one of `states`."""
    condition = models.Q(pk__in=[])
    for name, path in FACTS[label(unit_model)]:
        fact = apps.get_model(name)
        condition |= models.Q(pk__in=fact.objects.filter(publication__in=states).values(path))
    return condition


def review_queue(limit: int = 20) -> list[models.Model]:
    """Units waiting for an editor, the longest waiting first: in review themselves, or
    published with facts in review. One query per kind of unit."""
    waiting = []
    for model in unit_models():
        rows = model.objects.filter(
            models.Q(publication=IN_REVIEW)
            | models.Q(publication=PUBLISHED) & with_facts_in(model, (IN_REVIEW,))
        )
        waiting += rows.order_by("updated_at", "pk")[:limit]
    return sorted(waiting, key=lambda unit: unit.updated_at)[:limit]


def work_of(user, limit: int = 20) -> list[models.Model]:
    """The units `user` has worked on that are not all public: drafts, and published units with
    facts in draft (changes not sent to review yet); the most recently changed first."""
    found = []
    for model in unit_models():
        history = model.history.model.objects.filter(id=models.OuterRef("pk"), history_user=user)
        rows = model.objects.filter(models.Exists(history)).filter(
            models.Q(publication=DRAFT)
            | models.Q(publication=PUBLISHED) & with_facts_in(model, (DRAFT,))
        )
        found += rows.order_by("-updated_at", "-pk")[:limit]
    return sorted(found, key=lambda unit: unit.updated_at, reverse=True)[:limit]
