"""API viewsets of people/ (the person viewset is in cases.api: a person's API record holds their
custody and cases, which belong to the legal process)."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from casetracker.http import PublicViewSetMixin

from .filters import OrganizationFilter
from .models import Organization
from .serializers import (
    MEMBERS_SHOWN,
    OrganizationDetailSerializer,
    OrganizationListSerializer,
)

SLUG_PATTERN = "[-a-zA-Z0-9_]+"


@extend_schema_view(
    list=extend_schema(summary="Organizations", description="Published organizations."),
    retrieve=extend_schema(
        summary="One organization",
        description="An organization with its aliases, sub-groups, sources and its first "
        f"{MEMBERS_SHOWN} members by name (`member_count` says how many there are; "
        "`links.people` lists them all).",
    ),
)
class OrganizationViewSet(PublicViewSetMixin, viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN
    filterset_class = OrganizationFilter
    ordering = ["slug"]

    def get_queryset(self):
        if self.action == "list":
            return Organization.objects.published().select_related("parent")
        organizations = Organization.objects.published().with_aliases().with_family()
        return organizations.with_members(first=MEMBERS_SHOWN)

    def get_serializer_class(self):
        if self.action == "list":
            return OrganizationListSerializer
        return OrganizationDetailSerializer
