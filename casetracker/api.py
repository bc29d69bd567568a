"""The partner API, `/api/v1/`: one router for every resource, the hearings calendar, the
OpenAPI schema and its interactive docs (served from local files, no CDN)."""

import re

from django.http import JsonResponse
from django.urls import path, re_path
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework import routers

from cases import api as cases
from casetracker.filters import StrictParametersMixin
from casetracker.http import ConditionalGetMixin
from people import api as people

app_name = "api"

# The root, the schema and the docs change only when the code does.
STARTED = timezone.now().replace(microsecond=0)


class RootView(StrictParametersMixin, ConditionalGetMixin, routers.APIRootView):
    """Links to every resource of the API."""

    def last_modified(self):
        return STARTED


class SchemaView(StrictParametersMixin, ConditionalGetMixin, SpectacularAPIView):
    """The OpenAPI schema of this API: YAML, or JSON with `?format=json`."""

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        # No other parameter gets this far: drf-spectacular's `version` went into this header
        # unchecked, and its `lang` would translate nothing of ours.
        response = super().get(request, *args, **kwargs)
        name = f"casetracker-api.{request.accepted_renderer.format}"
        response["Content-Disposition"] = f'inline; filename="{name}"'
        return response

    def last_modified(self):
        return STARTED


class DocsView(ConditionalGetMixin, SpectacularSwaggerView):
    def last_modified(self):
        return STARTED

    def etag_content(self, response):
        """The page, less the CSRF token that changes on every request (the API takes no
        writes, so the token is never used)."""
        return re.sub(rb'"X-CSRFTOKEN"\] = "[^"]*"', b"", response.content)


def not_found(request, *args, **kwargs):
    return JsonResponse({"detail": "Not found."}, status=404)


class Router(routers.DefaultRouter):
    APIRootView = RootView


router = Router()
router.register("cases", cases.CaseViewSet, basename="case")
router.register("people", cases.PersonViewSet, basename="person")
router.register("organizations", people.OrganizationViewSet, basename="organization")
router.register("courts", cases.CourtViewSet, basename="court")
router.register("charges", cases.ChargeViewSet, basename="charge")
router.register("court-events", cases.CourtEventViewSet, basename="courtevent")
router.register(
    "extradition-requests", cases.ExtraditionRequestViewSet, basename="extraditionrequest"
)
router.register("custody-records", cases.CustodyRecordViewSet, basename="custodyrecord")
router.register("sources", cases.SourceViewSet, basename="source")

urlpatterns = [
    path("calendar.ics", cases.CalendarView.as_view(), name="calendar"),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(url_name="api:schema"), name="docs"),
    *router.urls,
    re_path(r"", not_found),  # anything else under /api/v1/ (newlines too): a JSON 404
]
