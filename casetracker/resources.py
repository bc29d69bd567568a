"""Spreadsheet import and export (django-import-export): the parts every resource shares.

- A partial date is one column, written as ISO reduced precision: "2023-12-08", "2020-12",
  "2022", with "c. " in front when approximate ("c. 2022"). Imports also read "December 2020" or
  "8 December 2023", and dates a spreadsheet stored as dates.
- Related records are named by slug; countries by ISO code (names are understood too); choices
  by their stored value or their label.
- A file imports all or nothing: one bad row and no row is saved; the report names each bad row
  and field. Rows match existing records by slug or natural key, so a re-import updates.
- The review state is exported but never imported: new records arrive as drafts whoever imports
  them, and an import never publishes or withdraws anything — that stays a deliberate act.
- Each saved record's history names the importing user and the file; the pages showing the
  imported records are marked updated once, after the last row.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django_countries import countries
from django_countries.fields import CountryField
from import_export import fields, resources, widgets

from casetracker.dates import PartialDate
from casetracker.workflow import pages_touched_by_caller, touch_pages

EMPTY = ("", None)


class PartialDateWidget(widgets.Widget):
    """One column for one partial date."""

    def clean(self, value, row=None, **kwargs):
        if value in EMPTY or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, datetime.date):
            return PartialDate(value)
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # a year a spreadsheet stored as a number
        return PartialDate.parse(str(value))  # its ValueError names the problem

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return f"c. {value.iso()}" if value.approximate else value.iso()


class PartialDateField(fields.Field):
    """Reads and writes the three columns of one partial date through one spreadsheet column."""

    def __init__(self, attribute: str, column_name: str | None = None, **kwargs):
        super().__init__(
            attribute=attribute,
            column_name=column_name or attribute,
            widget=PartialDateWidget(),
            **kwargs,
        )

    def get_value(self, instance):
        return PartialDate.from_instance(instance, self.attribute)

    def save(self, instance, row, is_m2m=False, **kwargs):
        if self.readonly:
            return
        value = self.clean(row, **kwargs)
        if value is None:
            setattr(instance, self.attribute, None)
            setattr(instance, f"{self.attribute}_precision", "")
            setattr(instance, f"{self.attribute}_approximate", False)
        else:
            value.store(instance, self.attribute)


class SlugWidget(widgets.ForeignKeyWidget):
    """A related record named by its slug, with a plain message when there is none."""

    def __init__(self, model, field: str = "slug", **kwargs):
        super().__init__(model, field, **kwargs)

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, str):
            value = value.strip()
        try:
            return super().clean(value, row, **kwargs)
        except ObjectDoesNotExist as error:
            raise ValueError(
                f"No {self.model._meta.verbose_name} has the {self.field} “{value}”."
            ) from error


class ChoiceWidget(widgets.CharWidget):
    """A choice written as its stored value ("pleaded_guilty") or its label ("Pleaded guilty")."""

    def __init__(self, choices, **kwargs):
        self.choices = list(choices)
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            return ""
        for stored, label in self.choices:
            if text.casefold() in (str(stored).casefold(), str(label).casefold()):
                return stored
        allowed = ", ".join(str(stored) for stored, _ in self.choices)
        raise ValueError(f"“{text}” is not one of: {allowed}.")


class CountryWidget(widgets.CharWidget):
    """A country as its ISO 3166-1 alpha-2 code ("SV"); an English name is understood too."""

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        return country_code(text) if text else ""

    def render(self, value, obj=None, **kwargs):
        return getattr(value, "code", value) or ""


class CountriesWidget(widgets.CharWidget):
    """Several countries in one cell: "SV, US"."""

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").replace(";", ",")
        return [country_code(part.strip()) for part in text.split(",") if part.strip()]

    def render(self, value, obj=None, **kwargs):
        return ", ".join(country.code for country in value or [])


def country_code(text: str) -> str:
    code = countries.alpha2(text) or countries.by_name(text)
    if not code:
        raise ValueError(f"“{text}” is not a country code such as SV or US.")
    return code


class ResearchResource(resources.ModelResource):
    """Base of every import and export; see the module docstring for the rules."""

    publication = fields.Field(attribute="publication", column_name="publication", readonly=True)

    class Meta:
        use_transactions = True
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        skip_diff = False

    @classmethod
    def widget_from_django_field(cls, f, default=widgets.Widget):
        if isinstance(f, CountryField):
            return CountriesWidget if f.multiple else CountryWidget
        return super().widget_from_django_field(f, default)

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        field = super().field_from_django_field(field_name, django_field, readonly)
        if isinstance(django_field, CountryField):
            return field
        if django_field.choices:
            field.widget = ChoiceWidget(django_field.flatchoices)
        elif isinstance(django_field, models.TextField):
            field.widget = widgets.CharWidget(allow_blank=True)  # an empty cell is empty text
        return field

    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        # All or nothing: a row that fails validation rolls back every other row too.
        kwargs["rollback_on_validation_errors"] = True
        kwargs.setdefault("use_transactions", True)
        with pages_touched_by_caller():  # once, in `after_import`
            return super().import_data(
                dataset, dry_run=dry_run, raise_errors=raise_errors, **kwargs
            )

    def before_import(self, dataset, **kwargs):
        user = kwargs.get("user")
        self.importing_user = user if user is not None and user.is_authenticated else None
        file_name = kwargs.get("file_name")
        self.change_reason = f"Imported from {file_name}" if file_name else "Imported"
        self.saved_ids: dict[type, set] = defaultdict(set)

    def get_instance(self, instance_loader, row):
        # A key naming a record that does not exist is reported on its field, with the others.
        try:
            return super().get_instance(instance_loader, row)
        except ValueError:
            return None

    def after_init_instance(self, instance, new, row, **kwargs):
        if new and self.get_import_id_fields() == ["id"] and row.get("id") not in EMPTY:
            raise ValidationError(
                {
                    "id": f"No {self._meta.model._meta.verbose_name} has the id {row['id']}. "
                    "Leave the id empty to add a new one."
                }
            )

    def before_save_instance(self, instance, row, **kwargs):
        if self.importing_user is not None:
            instance._history_user = self.importing_user
        instance._change_reason = self.change_reason

    def after_save_instance(self, instance, row, **kwargs):
        if not kwargs.get("dry_run"):
            self.saved_ids[instance._meta.concrete_model].add(instance.pk)

    def after_import(self, dataset, result, **kwargs):
        if not kwargs.get("dry_run") and not (
            result.has_errors() or result.has_validation_errors()
        ):
            touch_pages(self.saved_ids)
