"""The partner API, `/api/v1/`: one router for every resource, the hearings calendar, the
OpenAPI schema and its interactive docs (served from local files, no CDN)."""

from csp.constants import SELF
from csp.decorators import csp_update
from django.http import JsonResponse
from django.urls import path, re_path
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
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


@extend_schema(exclude=True)
@method_decorator(csp_update({"img-src": [SELF, "data:"]}), name="dispatch")
class DocsView(ConditionalGetMixin, SpectacularSwaggerSplitView):
    """Swagger UI, its start-up script served apart from the page (`?script`) so that the
    Content-Security-Policy needs no inline script; its stylesheet draws icons from data: URLs.

    The API takes no writes, so the script carries no CSRF token: a response for shared caches
    must not set a `csrftoken` cookie.
    """

    template_name = "api/docs.html"

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response.data["csrf_token"] = ""  # the script's template asks; making one sets the cookie
        return response

    def options(self, request, *args, **kwargs):
        """The methods allowed, as a plain view answers (DRF's would render its metadata with
        the page's template)."""
        return View.options(self, request, *args, **kwargs)

    def last_modified(self):
        return STARTED


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
