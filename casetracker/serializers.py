"""Serializer fields every API resource shares: partial dates, countries, sources, links.

- `PartialDateField` writes one partial date as its ISO 8601 reduced-precision string, its
  precision, its approximate flag and its display form:
  `{"date": "2020-12", "precision": "month", "approximate": false, "display": "December 2020"}`.
- `CountryField` writes a country as `{"code": "SV", "name": "El Salvador"}`.
- `SourcesField` writes the published citations of a record. The citations of every record in a
  response are loaded in one query by the viewset (`casetracker.http.PublicViewSetMixin`) and
  passed in the serializer context, so nested records cost no query each.
- `HideUnpublished` turns a nested record that is not published into `null`.
"""

import copy
import functools
import re
from collections.abc import Mapping
from urllib.parse import urlencode

from django.db import models
from django.urls import NoReverseMatch
from django.utils.translation import get_language
from django_countries import countries
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from casetracker.dates import PartialDate, Precision


def iso_reduced_pattern() -> str:
    """A partial date in ISO 8601 at its precision ("2023-12-08", "2020-12", "2022"), as the API
    writes dates and reads date parameters: only days that exist, so that a client following the
    schema is never refused. Built from named parts, without lookaheads, so that fuzzers can
    generate from it."""
    year = r"(?:000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})"  # 0001 to 9999
    month = r"(?:0[1-9]|1[0-2])"
    month_and_day = (  # every day of every month, 29 February aside
        r"(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"  # months of 31 days
        r"|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"  # months of 30 days
        r"|02-(?:0[1-9]|1[0-9]|2[0-8]))"
    )
    multiple_of_4 = r"(?:0[48]|[2468][048]|[13579][26])"  # 04 to 96, not 00
    # divisible by 4 and not by 100, or divisible by 400 (but not 0000)
    leap_year = rf"(?:[0-9]{{2}}{multiple_of_4}|{multiple_of_4}00)"
    return rf"^(?:{year}|{year}-{month}|{year}-{month_and_day}|{leap_year}-02-29)$"


ISO_REDUCED_PATTERN = iso_reduced_pattern()

# A time of day as the API writes it ("15:30:00"; microseconds only if recorded), with no offset.
LOCAL_TIME_PATTERN = r"^(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]{6})?$"


@extend_schema_field({"type": "string", "pattern": LOCAL_TIME_PATTERN, "example": "15:30:00"})
class LocalTimeField(serializers.TimeField):
    """A time of day on the local clock of where it happened (a court's), with no offset: OpenAPI's
    `format: time` (RFC 3339) would require one."""


class ModelSerializer(serializers.ModelSerializer):
    """DRF's ModelSerializer, reading the model to build its fields once per class rather than
    once per response (for a case with its defendants, charges and custody, that reading cost
    more than writing the data). Times of day are local (`LocalTimeField`)."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.TimeField: LocalTimeField,
    }

    def get_fields(self):
        built = BUILT_FIELDS.get(type(self))
        if built is None:
            built = BUILT_FIELDS[type(self)] = super().get_fields()
        return copy.deepcopy(built)


BUILT_FIELDS: dict[type, dict] = {}


def record_key(record) -> tuple[str, str, int]:
    """How citations are filed: (app label, model name, primary key)."""
    return (record._meta.app_label, record._meta.model_name, record.pk)


class PartialDateSerializer(serializers.Serializer):
    """The shape of a partial date, for the schema (`PartialDateField` writes it)."""

    date = serializers.RegexField(
        ISO_REDUCED_PATTERN,
        help_text="ISO 8601 at the precision known: “2023-12-08”, “2020-12” or “2022”. "
        "Sorts and compares as the first day of the period.",
    )
    precision = serializers.ChoiceField(
        choices=Precision.choices, help_text="How much of the date is known."
    )
    approximate = serializers.BooleanField(
        help_text="True when the sources give the date only roughly (“almost two years later”)."
    )
    display = serializers.CharField(
        help_text="The date as a reader sees it: “8 December 2023”, “December 2020”, “c. 2022”."
    )


@extend_schema_field(PartialDateSerializer)
class PartialDateField(serializers.Field):
    """One partial date (the three columns `name`, `name_precision`, `name_approximate`).

    The model field defaults to the serializer field's own name; `PartialDate` values (as on
    timeline items) are written as they are.
    """

    def __init__(self, field: str | None = None, **kwargs):
        self.date_field = field
        kwargs.update(source="*", read_only=True)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def bind(self, field_name, parent):
        super().bind(field_name, parent)
        self.date_field = self.date_field or field_name

    def to_representation(self, instance):
        if isinstance(instance, Mapping):
            value = instance.get(self.date_field)
        else:
            value = getattr(instance, self.date_field)
        if value is not None and not isinstance(value, PartialDate):
            value = PartialDate.from_instance(instance, self.date_field)
        return value.as_dict() if value else None


class CountrySerializer(serializers.Serializer):
    code = serializers.RegexField(r"^[A-Z]{2}$", help_text="ISO 3166-1 alpha-2 code, e.g. “SV”.")
    name = serializers.CharField(help_text="English name, e.g. “El Salvador”.")


@extend_schema_field(CountrySerializer)
class CountryField(serializers.Field):
    """A django-countries value as code and name; `null` when no country is recorded."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        code = str(getattr(value, "code", value) or "")
        if not code:
            return None
        return {"code": code, "name": country_name(code, get_language())}


@functools.lru_cache(maxsize=1024)
def country_name(code: str, language: str | None) -> str:
    """A country's name in `language` (looking it up costs more than the rest of the field)."""
    return countries.name(code) or code


class CountryListField(serializers.ListField):
    """Several countries (a `CountryField(multiple=True)`)."""

    child = CountryField()

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)


class SourceSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Id in `/api/v1/sources/`.")
    title = serializers.CharField(help_text="Title, or a description in [brackets].")
    publisher = serializers.CharField(help_text="Empty when unknown.")
    authors = serializers.CharField(help_text="Comma-separated; empty when unknown.")
    publication_date = PartialDateField(help_text="Null when the source is undated.")
    url = serializers.CharField(help_text="Link to the source; empty when there is none.")
    language = serializers.CharField(help_text="Language code, e.g. “en”; empty when unknown.")


class CitationSerializer(serializers.Serializer):
    """A record's citation of one published source."""

    source = SourceSummarySerializer()
    quote = serializers.CharField(help_text="The words of the source that bear the fact, if given.")
    page = serializers.CharField(help_text="Page, paragraph or timestamp, if given.")


@extend_schema_field(CitationSerializer(many=True))
class SourcesField(serializers.Field):
    """The published sources a record cites, from `context["citations"]`."""

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        kwargs.setdefault("help_text", "The published sources that report this fact.")
        super().__init__(**kwargs)

    def to_representation(self, instance):
        citations = self.context["citations"].get(record_key(instance), [])
        return [citation_data(citation) for citation in citations]


def citation_data(citation) -> dict:
    """A citation as `CitationSerializer` writes it, built directly: records cite sources by
    the dozen, and a serializer per citation would cost more than the rest of the record."""
    source = citation.source
    published = PartialDate.from_instance(source, "publication_date")
    return {
        "source": {
            "id": source.pk,
            "title": source.title,
            "publisher": source.publisher,
            "authors": source.authors,
            "publication_date": published.as_dict() if published else None,
            "url": source.url,
            "language": source.language,
        },
        "quote": citation.quote,
        "page": citation.page,
    }


@extend_schema_field(CitationSerializer(many=True))
class CitationListField(serializers.Field):
    """Citations given as a list (a timeline item's `sources`), written as `SourcesField` does."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, citations):
        return [citation_data(citation) for citation in citations]


def cites_sources(serializer) -> bool:
    """Whether a serializer (or one nested in it) writes sources, so they must be loaded."""
    serializer = getattr(serializer, "child", serializer)
    fields = getattr(serializer, "fields", {})
    return any(isinstance(field, SourcesField) or cites_sources(field) for field in fields.values())


class HideUnpublished:
    """Mixin for nested record serializers: a record readers may not see is written as null."""

    def to_representation(self, instance):
        if not getattr(instance, "is_published", True):
            return None
        return super().to_representation(instance)


@extend_schema_field(OpenApiTypes.URI)
class AbsoluteURLField(serializers.Field):
    """The absolute URL of the record's public page (`get_absolute_url`), null without one."""

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("help_text", "The public page of this record.")
        super().__init__(**kwargs)

    def to_representation(self, instance):
        slug = getattr(instance, "slug", None)
        if slug and SLUG.fullmatch(slug):
            model = type(instance)
            template = url_template(
                self.context,
                ("page", model),
                lambda record: absolute_url(self.context, model.get_absolute_url(record)),
                instance,
                slug,
            )
            if template is not None:
                return template.replace(KEY, slug)
        try:
            return absolute_url(self.context, instance.get_absolute_url())
        except (AttributeError, NoReverseMatch):
            return None


def absolute_url(context, path: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(path) if request else path


# Building a URL costs a `reverse()` (tens of microseconds): a list of fifty records with three
# links each would spend more on its links than on its data. Each kind of link is reversed once
# per response with a placeholder key, which each record then fills in.
KEY = "KEY0KEY"
SLUG = re.compile(r"[-a-zA-Z0-9_]+")


class Placeholder:
    """Stands in for a record whose key is `KEY`."""

    slug = pk = id = KEY


def url_template(context: dict, kind, build, instance, key: str) -> str | None:
    """The URL `build(record)` gives, with `KEY` where the record's key goes; checked once
    against `instance` (whose key is `key`) and kept in the serializer context (one response).
    None when the URL cannot be made that way."""
    templates = context.setdefault("url templates", {})
    if kind not in templates:
        try:
            candidate = build(Placeholder())
            ok = candidate.count(KEY) == 1 and candidate.replace(KEY, key) == build(instance)
        except (AttributeError, TypeError, ValueError, NoReverseMatch):
            candidate, ok = None, False
        templates[kind] = candidate if ok else None
    return templates[kind]


def api_link(request, view_name: str, query: dict | None = None, **kwargs) -> str:
    """Absolute URL of an API route (`api:…`), with an optional query string."""
    url = reverse(view_name, kwargs=kwargs or None, request=request)
    return f"{url}?{urlencode(query)}" if query else url


@extend_schema_field(OpenApiTypes.URI)
class ApiURLField(serializers.Field):
    """The absolute URL of a record in this API."""

    def __init__(self, view_name: str, lookup_field: str = "pk", **kwargs):
        self.view_name, self.lookup_field = view_name, lookup_field
        kwargs.update(source="*", read_only=True)
        kwargs.setdefault("help_text", "This record in the API.")
        super().__init__(**kwargs)

    def to_representation(self, instance):
        key = str(getattr(instance, self.lookup_field))
        if SLUG.fullmatch(key):
            kind = ("api", self.view_name, self.lookup_field)
            template = url_template(self.context, kind, self.build, instance, key)
            if template is not None:
                return template.replace(KEY, key)
        return self.build(instance)

    def build(self, instance) -> str:
        key = getattr(instance, self.lookup_field)
        return api_link(self.context.get("request"), self.view_name, **{self.lookup_field: key})


@extend_schema_field(OpenApiTypes.STR)
class LabelField(serializers.Field):
    """The label of a choice, as `get_<field>_display()` gives it, read from the choices (DRF
    would inspect the method's signature on every record)."""

    def __init__(self, field: str, **kwargs):
        self.choice_field = field
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, instance):
        labels = LABELS.get((type(instance), self.choice_field))
        if labels is None:
            choices = instance._meta.get_field(self.choice_field).flatchoices
            labels = LABELS[type(instance), self.choice_field] = {
                value: str(label) for value, label in choices
            }
        value = getattr(instance, self.choice_field)
        return labels.get(value, value)


LABELS: dict[tuple[type, str], dict] = {}
