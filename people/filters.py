"""Filters for the people and organizations API lists (the custody filter is in cases.filters)."""

import django_filters

from casetracker.filters import (
    CountryCodeFilter,
    StrictFilterSet,
    countries_contain,
    ordering_filter,
    search_filter,
)
from casetracker.publication import Publication

from .models import Membership, Organization, OrganizationKind, Person


class PersonFilter(StrictFilterSet):
    q = search_filter("Words to find in the name or any published alias, accents and case aside.")
    organization = django_filters.CharFilter(
        method="filter_organization",
        help_text="Slug of an organization the person is a published member of.",
    )
    nationality = CountryCodeFilter(
        method="filter_nationality", help_text="A nationality, as a two-letter country code."
    )
    ordering = ordering_filter(["slug", "name", "updated_at"], default="slug")

    class Meta:
        model = Person
        fields = []

    def filter_search(self, queryset, name, value):
        return queryset.search(value, published=True) if value else queryset

    def filter_organization(self, queryset, name, value):
        members = Membership.objects.published().filter(organization__slug=value)
        return queryset.filter(pk__in=members.values("person"))

    def filter_nationality(self, queryset, name, value):
        return queryset.filter(countries_contain("nationalities", value))


class OrganizationFilter(StrictFilterSet):
    q = search_filter("Words to find in the name or any published alias, accents and case aside.")
    kind = django_filters.ChoiceFilter(choices=OrganizationKind.choices, help_text="Kind.")
    country = CountryCodeFilter(
        method="filter_country", help_text="A country it is active in, as a two-letter code."
    )
    parent = django_filters.CharFilter(
        method="filter_parent", help_text="Slug of the organization it is part of."
    )
    ordering = ordering_filter(["slug", "name", "updated_at"], default="slug")

    class Meta:
        model = Organization
        fields = []

    def filter_search(self, queryset, name, value):
        return queryset.search(value, published=True) if value else queryset

    def filter_country(self, queryset, name, value):
        return queryset.filter(countries_contain("countries", value))

    def filter_parent(self, queryset, name, value):
        return queryset.filter(parent__slug=value, parent__publication=Publication.PUBLISHED)
