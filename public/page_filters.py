"""Filters of the public case list (`/cases/`): what a reader can narrow the list by; and the
search page's form."""

import html

import django_filters
from django import forms
from django.db.models import Case as Cases
from django.db.models import Exists, OuterRef, Value, When
from django.forms.models import ModelChoiceIterator
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django_countries import countries

from cases.choices import CaseStatus, ChargeCategory
from casetracker.filters import SearchFilter
from casetracker.text import SearchField, search_words

from .models import Case, Charge, Court, Organization
from .reading import live, search_cases

# Statuses in the order a case goes through them, not in alphabetical order.
STATUS_ORDER = Cases(
    *(When(status=status, then=Value(n)) for n, status in enumerate(CaseStatus.values)),
    default=Value(len(CaseStatus.values)),
)
SORTS = {
    "updated": ["-published_at", "title", "id"],
    "title": ["title", "id"],
    "status": [STATUS_ORDER, "title", "id"],
}


def escape(text) -> str:
    """Django's `conditional_escape`, without its lazy-string wrapping (ten times faster, for
    hundreds of options on every list page)."""
    if hasattr(text, "__html__"):
        return text.__html__()
    return html.escape(str(text))


class PlainSelect(forms.Select):
    """A <select> written directly: the markup of Django's own template, without rendering a
    template per option (the court and organization lists hold hundreds)."""

    def all_choices(self):
        """The choices; records are read in one plain query (Django's iterator would open a
        server-side cursor, held past the end of the request's transaction)."""
        choices = self.choices
        if not isinstance(choices, ModelChoiceIterator):
            return list(choices)
        first = [] if choices.field.empty_label is None else [("", choices.field.empty_label)]
        return first + [choices.choice(record) for record in choices.queryset]

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in self.format_value(value)}
        options = []
        for option_value, label in self.all_choices():
            option_value = "" if option_value is None else str(option_value)
            selected = " selected" if option_value in chosen else ""
            options.append(
                f'<option value="{escape(option_value)}"{selected}>{escape(label)}</option>'
            )
        attributes = format_html(' name="{}"', name) + "".join(
            format_html(" {}", key) if value is True else format_html(' {}="{}"', key, value)
            for key, value in self.build_attrs(self.attrs, attrs).items()
            if value is not False
        )
        html = f"<select{attributes}>\n  " + "\n\n  ".join(options) + "\n\n</select>"
        return mark_safe(html)  # every part of it is escaped above


class SearchForm(forms.Form):
    """The search page's box (`/search/?q=`), within the same limits as every search."""

    q = SearchField(required=False)


class CaseListFilter(django_filters.FilterSet):
    """Filters over a queryset of published cases (see `CaseListView`)."""

    q = SearchFilter(label="Title, name or alias", method="filter_search")
    status = django_filters.ChoiceFilter(
        choices=CaseStatus.choices, empty_label="Any status", widget=PlainSelect
    )
    # The options read only what they show (hundreds of records, on every list page).
    court = django_filters.ModelChoiceFilter(
        queryset=live(Court).only("slug", "name", "short_name"),
        to_field_name="slug",
        empty_label="Any court",
        widget=PlainSelect,
    )
    country = django_filters.ChoiceFilter(
        label="Prosecuted in",
        method="filter_country",
        empty_label="Any country",
        widget=PlainSelect,
    )
    organization = django_filters.ModelChoiceFilter(
        label="Organization",
        field_name="organizations",
        queryset=live(Organization).only("slug", "name"),
        to_field_name="slug",
        empty_label="Any organization",
        widget=PlainSelect,
    )
    charge = django_filters.ChoiceFilter(
        label="Charge",
        choices=ChargeCategory.choices,
        method="filter_charge",
        empty_label="Any charge",
        widget=PlainSelect,
    )
    sort = django_filters.ChoiceFilter(
        label="Sort by",
        choices=[
            ("updated", "Recently updated"),
            ("title", "Title (A to Z)"),
            ("status", "Stage of the case"),
        ],
        method="filter_sort",
        empty_label=None,
        widget=PlainSelect,
    )

    class Meta:
        model = Case
        fields = ["q", "status", "court", "country", "organization", "charge", "sort"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only countries where a published case is prosecuted (one query, when the form renders).
        self.filters["country"].extra["choices"] = self.country_choices

    @staticmethod
    def country_choices():
        prosecuting = live(Case).filter(court=OuterRef("pk"))
        codes = (
            live(Court)
            .filter(Exists(prosecuting))  # one index probe per court, however many cases
            .order_by()
            .values_list("country", flat=True)
            .distinct()
        )
        return sorted(((code, countries.name(code)) for code in codes), key=lambda c: c[1])

    def filter_search(self, queryset, name, value):
        return search_cases(queryset, search_words(value))

    def filter_country(self, queryset, name, value):
        """Cases whose court sits in the country (a withdrawn court tells nothing)."""
        return queryset.filter(court__country=value, court__withdrawn=False)

    def filter_charge(self, queryset, name, value):
        charges = Charge.objects.filter(case=OuterRef("pk"), category=value)
        return queryset.filter(Exists(charges))

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*SORTS[value])
