"""History shown to people: each version's changes as "Field: old → new", in plain words.

simple-history diffs raw column values. Here a partial date is one change ("December 2020 →
8 December 2023", not three columns), a choice shows its label, a yes/no field says yes or no,
countries show their names and a related record its name.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.text import Truncator, capfirst
from django_countries.fields import CountryField
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

from casetracker.dates import PartialDate, partial_date_names

EMPTY = "(empty)"


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


def readable_changes(new, old) -> list[Change]:
    """What changed from historical record `old` to `new` (same record), in field order."""
    model = new.instance_type
    delta = new.diff_against(old, foreign_keys_are_objs=True)
    changed = set(delta.changed_fields)
    dates = partial_date_names(model)
    companions = {
        f"{name}{suffix}": name for name in dates for suffix in ("_precision", "_approximate")
    }
    changes, done = [], set()
    for field in model._meta.fields:
        name = companions.get(field.name, field.name)
        if name in done or not ({field.name} & changed):
            continue
        done.add(name)
        if name in dates:
            before, after = _partial_date(old, name), _partial_date(new, name)
            if before != after:
                label = model._meta.get_field(name).verbose_name
                changes.append(Change(capfirst(label), before, after))
            continue
        change = next(c for c in delta.changes if c.field == field.name)
        changes.append(
            Change(
                capfirst(field.verbose_name),
                display_value(field, change.old),
                display_value(field, change.new),
            )
        )
    return changes


def _partial_date(version, name: str) -> str:
    value = PartialDate.from_instance(version, name)
    return value.display() if value else EMPTY


def display_value(field: models.Field, value) -> str:
    """A stored value as a person reads it."""
    if isinstance(value, DeletedObject):
        return EMPTY if value.pk is None else f"a deleted {value.model._meta.verbose_name}"
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(field, CountryField):
        countries = value if isinstance(value, list | tuple) else [value]
        return ", ".join(getattr(country, "name", str(country)) for country in countries) or EMPTY
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return "yes" if value else "no"
    return Truncator(str(value)).chars(200)


class ReadableHistory(HistoricalRecordContextHelper):
    """Plugs `readable_changes` into simple-history's admin history page."""

    def context_for_delta_changes(self, delta) -> list[dict]:
        return [
            {"field": change.field, "old": change.old, "new": change.new}
            for change in readable_changes(delta.new_record, delta.old_record)
        ]
