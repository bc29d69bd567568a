"""Filters of the public case list (`/cases/`): what a reader can narrow the list by."""

import django_filters
from django.db.models import Case as Cases
from django.db.models import Exists, OuterRef, Value, When
from django_countries import countries

from casetracker.publication import Publication
from people.models import Organization

from .models import Case, CaseStatus, Charge, ChargeCategory, Court

# Statuses in the order a case goes through them, not in alphabetical order.
STATUS_ORDER = Cases(
    *(When(status=status, then=Value(n)) for n, status in enumerate(CaseStatus.values)),
    default=Value(len(CaseStatus.values)),
)
SORTS = {
    "updated": ["-last_activity", "title", "id"],
    "title": ["title", "id"],
    "status": [STATUS_ORDER, "title", "id"],
}


class CaseListFilter(django_filters.FilterSet):
    """Filters over an already published queryset of cases (see `CaseListView`)."""

    q = django_filters.CharFilter(label="Title, name or alias", method="filter_search")
    status = django_filters.ChoiceFilter(choices=CaseStatus.choices, empty_label="Any status")
    court = django_filters.ModelChoiceFilter(
        queryset=Court.objects.published(), to_field_name="slug", empty_label="Any court"
    )
    country = django_filters.ChoiceFilter(
        label="Prosecuted in", method="filter_country", empty_label="Any country"
    )
    organization = django_filters.ModelChoiceFilter(
        label="Organization",
        field_name="organizations",
        queryset=Organization.objects.published(),
        to_field_name="slug",
        empty_label="Any organization",
    )
    charge = django_filters.ChoiceFilter(
        label="Charge",
        choices=ChargeCategory.choices,
        method="filter_charge",
        empty_label="Any charge",
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
        prosecuting = Case.objects.published().filter(court=OuterRef("pk"))
        codes = (
            Court.objects.published()
            .filter(Exists(prosecuting))  # one index probe per court, however many cases
            .order_by()
            .values_list("country", flat=True)
            .distinct()
        )
        return sorted(((code, countries.name(code)) for code in codes), key=lambda c: c[1])

    def filter_search(self, queryset, name, value):
        return queryset.search(value, published=True)

    def filter_country(self, queryset, name, value):
        """Cases whose published court sits in the country (a draft court tells nothing)."""
        return queryset.filter(court__country=value, court__publication=Publication.PUBLISHED)

    def filter_charge(self, queryset, name, value):
        charges = Charge.objects.published().filter(document__case=OuterRef("pk"), category=value)
        return queryset.filter(Exists(charges))

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*SORTS[value])
