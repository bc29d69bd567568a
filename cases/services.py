"""Sourcing checks across records: which facts cite no source, and what publishing a case would
put on the public site without one. (Review moves, history and "last updated" are in
casetracker/workflow.py, which both apps share.)"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import models

from casetracker.publication import Publication
from people.models import Alias, Membership

from .models import (
    Case,
    Charge,
    ChargingDocument,
    CourtEvent,
    CustodyRecord,
    Defendant,
    ExtraditionRequest,
)

# Records that state a fact and so must cite at least one source.
FACT_MODELS = (
    Alias,
    Membership,
    Defendant,
    ChargingDocument,
    Charge,
    CourtEvent,
    ExtraditionRequest,
    CustodyRecord,
)

# The facts on a case's timeline: model → path from the fact to its case.
TIMELINE_FACTS = {
    ChargingDocument: "case",
    Charge: "document__case",
    CourtEvent: "case",
    ExtraditionRequest: "case",
    CustodyRecord: "person__defendant_records__case",
}


def unsourced(model: type[models.Model]) -> models.QuerySet:
    """Records of `model` that cite no source (one query, whatever their number)."""
    return model.objects.filter(citations__isnull=True)


def unsourced_facts() -> list[tuple[type[models.Model], models.QuerySet]]:
    """For each kind of fact, the records citing no source, withdrawn ones aside."""
    return [
        (model, unsourced(model).exclude(publication=Publication.WITHDRAWN))
        for model in FACT_MODELS
    ]


def case_unsourced_facts(cases: Iterable[Case]) -> dict[int, list[models.Model]]:
    """The facts on each case's timeline that cite no source, by case id: one query per kind."""
    case_ids = [case.pk for case in cases]
    found: dict[int, list[models.Model]] = defaultdict(list)
    if not case_ids:
        return found
    for model, path in TIMELINE_FACTS.items():
        facts = (
            unsourced(model)
            .exclude(publication=Publication.WITHDRAWN)
            .filter(**{f"{path}__in": case_ids})
            .annotate(timeline_case_id=models.F(path))
            .order_by("pk")
        )
        for fact in facts:
            found[fact.timeline_case_id].append(fact)
    return found


def unsourced_warnings(cases: Iterable[Case], *, limit: int = 5) -> list[str]:
    """One sentence per case whose timeline holds facts without a source, for an editor."""
    cases = list(cases)
    by_case = case_unsourced_facts(cases)
    warnings = []
    for case in cases:
        facts = by_case.get(case.pk)
        if not facts:
            continue
        named = "; ".join(f"{fact._meta.verbose_name} “{fact}”" for fact in facts[:limit])
        more = f" and {len(facts) - limit} more" if len(facts) > limit else ""
        count = (
            "1 fact on its timeline cites"
            if len(facts) == 1
            else (f"{len(facts)} facts on its timeline cite")
        )
        warnings.append(
            f"“{case}”: {count} no source yet — {named}{more}. "
            "Add the sources, or check the facts, before readers rely on them."
        )
    return warnings
