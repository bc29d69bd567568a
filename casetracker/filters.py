"""Strict API filtering: a parameter the endpoint does not know, or a value it cannot read, is a
400 whose body names the parameter — never a silently ignored filter, never a 500.

`StrictFilterBackend` (the default filter backend) checks every query parameter against what the
endpoint accepts: its FilterSet's filters on lists, the pagination parameters on lists, and
`format` everywhere. `StrictParametersMixin` does the same for the views that filter nothing (the
API root, the schema). The filters below read partial dates, country codes and yes/no values and
refuse anything else with a message naming the expected form.
"""

import datetime
import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError as FormValidationError
from django.db.models import Q
from django_filters.fields import BaseCSVField
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError
from rest_framework.settings import api_settings

from casetracker.dates import PartialDate
from casetracker.serializers import ISO_REDUCED_PATTERN
from casetracker.text import SEARCH_LIMITS, SEARCH_MAX_CHARACTERS, SEARCH_PATTERN, SearchField

LIST_ACTIONS = {"list", None}


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter, plus a 400 for unknown, repeated or (via the FilterSet) malformed parameters.

    Only list endpoints filter; a detail (or a timeline) accepts `format` alone.
    """

    def filter_queryset(self, request, queryset, view):
        listing = getattr(view, "action", None) in LIST_ACTIONS
        known = self.known_parameters(request, queryset, view, listing)
        errors = parameter_errors(request.query_params, known)
        if not listing:
            if errors:
                raise ValidationError(errors)
            return queryset
        filterset_class = self.get_filterset_class(view, queryset)
        given = set(request.query_params) & set(getattr(filterset_class, "base_filters", ()))
        if not errors and not given:
            return (
                queryset  # no filter asked for: building the FilterSet's form would change nothing
            )
        filterset = self.get_filterset(request, queryset, view)
        if filterset is not None and not filterset.is_valid():
            errors = {**filterset.errors.get_json_data(), **errors}
            errors = {
                name: [e["message"] if isinstance(e, dict) else e for e in messages]
                for name, messages in errors.items()
            }
        if errors:
            raise ValidationError(errors)
        return queryset if filterset is None else filterset.qs

    def known_parameters(self, request, queryset, view, listing: bool) -> set[str]:
        known = {api_settings.URL_FORMAT_OVERRIDE}
        if not listing:
            return known
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            known.update(filterset_class.base_filters)
        paginator = getattr(view, "paginator", None)
        for attribute in ("cursor_query_param", "page_size_query_param"):
            if name := getattr(paginator, attribute, None):
                known.add(name)
        return known


def parameter_errors(query_params, known: set[str]) -> dict[str, list[str]]:
    """What is wrong with each query parameter that is unknown, repeated or empty."""
    errors = {}
    for name in query_params:
        if name not in known:
            accepted = ", ".join(sorted(known))
            errors[name] = [f"Unknown parameter. This endpoint accepts: {accepted}."]
        elif len(query_params.getlist(name)) > 1:
            errors[name] = ["Give this parameter once."]
        elif not query_params[name].strip():
            errors[name] = ["This parameter is empty: give a value, or leave it out."]
    return errors


class StrictParametersMixin:
    """For API views that filter nothing: `format` is their only parameter, and anything else is
    a 400 naming it, as on every other endpoint."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        errors = parameter_errors(request.query_params, {api_settings.URL_FORMAT_OVERRIDE})
        if errors:
            raise ValidationError(errors)


# Filters -----------------------------------------------------------------------------------------


ISO_REDUCED_DATE = re.compile(ISO_REDUCED_PATTERN)


class ReducedIsoDateField(forms.CharField):
    """ "2023-12-08", "2023-12" or "2023", read as a `PartialDate`: exactly what the schema's
    pattern promises (a day that exists, in ASCII digits)."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        if not ISO_REDUCED_DATE.fullmatch(value):
            raise FormValidationError(
                f"“{value}” is not a date: write YYYY-MM-DD, YYYY-MM or YYYY.", code="invalid"
            )
        return PartialDate.from_iso(value)


class PartialDateFilter(django_filters.Filter):
    """A date bound written at any precision: "on or after 2020-12" starts on 1 December 2020;
    "on or before 2020-12" ends on 31 December 2020."""

    field_class = ReducedIsoDateField

    def __init__(self, *args, bound: str, **kwargs):
        if bound not in ("after", "before"):
            raise ValueError("bound is 'after' or 'before'")
        self.bound = bound
        kwargs["lookup_expr"] = "gte" if bound == "after" else "lte"
        super().__init__(*args, **kwargs)
        extend_schema_field(
            {
                "type": "string",
                "pattern": ISO_REDUCED_PATTERN,
                "description": kwargs.get("help_text", ""),
            }
        )(self)

    def day(self, value: PartialDate):
        """The calendar day this bound stands for."""
        return value.date if self.bound == "after" else value.end()

    def filter(self, qs, value):
        if value is None:
            return qs
        return super().filter(qs, self.day(value))


class MomentField(forms.DateTimeField):
    """A moment in ISO 8601 (UTC unless an offset is given), as a time in UTC. One whose UTC time
    falls before year 1 or after year 9999 ("0001-01-01T00:00:00+01:00") stands at that end:
    Python's dates, and so the databases' adapters, stop there."""

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(datetime.UTC)
        except OverflowError:
            end = datetime.datetime.min if moment.year == 1 else datetime.datetime.max
            return end.replace(tzinfo=datetime.UTC)


class MomentFilter(django_filters.DateTimeFilter):
    field_class = MomentField


class CountryCodeField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        if not re.fullmatch(r"[A-Za-z]{2}", value):
            raise FormValidationError(
                f"“{value}” is not a country code: use two letters (ISO 3166-1 alpha-2), e.g. SV.",
                code="invalid",
            )
        return value.upper()


class CountryCodeFilter(django_filters.CharFilter):
    """A two-letter ISO 3166-1 code, in either case."""

    field_class = CountryCodeField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        extend_schema_field(
            {
                "type": "string",
                "pattern": "^[A-Za-z]{2}$",
                "description": kwargs.get("help_text", ""),
            }
        )(self)


def countries_contain(field_name: str, code: str) -> Q:
    """Rows whose multiple-country column (stored as "SV,US") holds `code`."""
    return (
        Q(**{field_name: code})
        | Q(**{f"{field_name}__startswith": f"{code},"})
        | Q(**{f"{field_name}__endswith": f",{code}"})
        | Q(**{f"{field_name}__contains": f",{code},"})
    )


YES_NO = [("true", "true"), ("false", "false")]


class YesNoFilter(django_filters.ChoiceFilter):
    """`true` or `false`, nothing else (a plain BooleanFilter ignores what it cannot read).

    `apply` names the FilterSet method that receives the queryset and the bool."""

    def __init__(self, *args, apply: str, **kwargs):
        self.apply = apply
        kwargs["choices"] = YES_NO
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in ("", None):
            return qs
        return getattr(self.parent, self.apply)(qs, value == "true")


class SearchFilter(django_filters.CharFilter):
    """Words to search for, within `SEARCH_LIMITS` (the pages take the same)."""

    field_class = SearchField


def search_filter(help_text: str):
    """`q`: the model QuerySet's own accent- and case-blind `.search()`."""
    help_text = f"{help_text} {SEARCH_LIMITS.capitalize()}."
    search = SearchFilter(method="filter_search", help_text=help_text)
    schema = {
        "type": "string",
        "maxLength": SEARCH_MAX_CHARACTERS,
        "pattern": SEARCH_PATTERN,
        "description": help_text,
    }
    return extend_schema_field(schema)(search)


class NoEmptyItemsCSVField(BaseCSVField):
    """Comma-separated values, none of them empty: "title," is refused, not read as "title"."""

    def clean(self, value):
        if value and any(not item for item in value):
            raise FormValidationError(
                "A value between commas is empty: write e.g. `-updated_at,title`.", code="invalid"
            )
        return super().clean(value)


class StrictOrderingFilter(django_filters.OrderingFilter):
    base_field_class = NoEmptyItemsCSVField


def ordering_filter(fields: list[str], default: str):
    """The ordering whitelist; `-name` for descending."""
    choices = ", ".join(f"`{name}`" for name in fields)
    return StrictOrderingFilter(
        fields=fields,
        help_text=f"Sort by {choices}; prefix with `-` for descending, separate several with "
        f"commas. Default: `{default}`. Ties are broken by id.",
    )


class StrictFilterSet(django_filters.FilterSet):
    """Base FilterSet: `q` searches with the model's own `.search()`."""

    def filter_search(self, queryset, name, value):
        return queryset.search(value) if value else queryset
