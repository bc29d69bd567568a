"""API viewsets of the legal process, people included (their custody and cases live here), the
case and person timelines (JSON and TimelineJS) and the hearings calendar (iCalendar).

Every queryset starts from `.published()`; nested lists are prefetched with published rows only.
"""

from django.db.models import F
from django.http import HttpResponse
from django.urls import NoReverseMatch
from django.utils import timezone
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from casetracker.http import ConditionalGetMixin, PublicViewSetMixin, conditional
from people.api import SLUG_PATTERN
from people.models import Person

from . import calendar, timelinejs
from .filters import (
    CalendarFilter,
    CaseFilter,
    ChargeFilter,
    CourtEventFilter,
    CourtFilter,
    CustodyRecordFilter,
    ExtraditionRequestFilter,
    PersonCustodyFilter,
    SourceFilter,
)
from .models import (
    Case,
    Charge,
    Court,
    CourtEvent,
    CustodyRecord,
    ExtraditionRequest,
    Source,
)
from .serializers import (
    CaseDetailSerializer,
    CaseListSerializer,
    CaseTimelineSerializer,
    ChargeSerializer,
    CourtEventSerializer,
    CourtSerializer,
    CustodyRecordSerializer,
    ExtraditionRequestSerializer,
    PersonDetailSerializer,
    PersonListSerializer,
    PersonTimelineSerializer,
    SourceSerializer,
    TimelineJSDocumentSerializer,
)
from .timeline import case_timeline, person_timeline


class TimelineJSRenderer(JSONRenderer):
    """`?format=timelinejs`: the timeline as a TimelineJS 3 document (still JSON)."""

    format = "timelinejs"


class ICalendarRenderer(BaseRenderer):
    media_type = "text/calendar"
    format = "ics"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


FORMAT_PARAMETER = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    enum=["json", "timelinejs"],
    description="`json` (default): the timeline items. `timelinejs`: a TimelineJS 3 document "
    "(title slide and events), to pass to `new TL.Timeline(element, url)` as it is.",
)


def timeline_responses(component: str, serializer):
    return {
        200: PolymorphicProxySerializer(
            component_name=component,
            serializers=[serializer, TimelineJSDocumentSerializer],
            resource_type_field_name=None,
        )
    }


class TimelineMixin:
    """The `timeline` action: one assembly (`cases.timeline`), two renderings."""

    def timeline_response(self, request, *, subject: dict, items, timelinejs_document):
        self.show([*subject.values(), *(item.record for item in items)], cited=False)
        self.shown.extend(citation.source for item in items for citation in item.sources)
        if request.accepted_renderer.format == TimelineJSRenderer.format:
            return Response(timelinejs_document())
        serializer_class = self.get_serializer_class()
        context = self.get_serializer_context()
        return Response(serializer_class({**subject, "items": items}, context=context).data)


TIMELINE = {
    "detail": True,
    "renderer_classes": [JSONRenderer, TimelineJSRenderer],
    "pagination_class": None,
    "filterset_class": None,
}


@extend_schema_view(
    list=extend_schema(summary="Cases", description="Published cases."),
    retrieve=extend_schema(
        summary="One case",
        description="A case with its court, defendants (current custody, plea, charges), "
        "extradition requests, sources and links to its timeline and calendar.",
    ),
)
class CaseViewSet(TimelineMixin, PublicViewSetMixin, viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN
    filterset_class = CaseFilter
    ordering = ["slug"]

    def get_queryset(self):
        cases = Case.objects.published().with_court()
        if self.action == "retrieve":
            return cases.with_organizations().with_defendants(details=True).with_extraditions()
        return cases

    def get_serializer_class(self):
        if self.action == "timeline":
            return CaseTimelineSerializer
        return CaseListSerializer if self.action == "list" else CaseDetailSerializer

    @extend_schema(
        summary="Case timeline",
        description="Every published, dated fact of the case in date order (ties: kind, then "
        "record), each with its sources.",
        parameters=[FORMAT_PARAMETER],
        responses=timeline_responses("CaseTimelineOrTimelineJS", CaseTimelineSerializer),
    )
    @action(**TIMELINE)
    def timeline(self, request, slug=None):
        case = self.get_object()
        items = case_timeline(case)
        return self.timeline_response(
            request,
            subject={"case": case},
            items=items,
            timelinejs_document=lambda: timelinejs.case_document(case, items),
        )


@extend_schema_view(
    list=extend_schema(summary="People", description="Published people."),
    retrieve=extend_schema(
        summary="One person",
        description="A person with aliases, memberships, custody (current and past), cases and "
        "sources.",
    ),
)
class PersonViewSet(TimelineMixin, PublicViewSetMixin, viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN
    filterset_class = PersonCustodyFilter
    ordering = ["slug"]

    def get_queryset(self):
        people = Person.objects.published().with_aliases(published=True)
        if self.action == "retrieve":
            return people.with_memberships().with_custody().with_cases()
        return people

    def get_serializer_class(self):
        if self.action == "timeline":
            return PersonTimelineSerializer
        return PersonListSerializer if self.action == "list" else PersonDetailSerializer

    @extend_schema(
        summary="Person timeline",
        description="Every published, dated fact about the person across their cases, in date "
        "order, each with its sources.",
        parameters=[FORMAT_PARAMETER],
        responses=timeline_responses("PersonTimelineOrTimelineJS", PersonTimelineSerializer),
    )
    @action(**TIMELINE)
    def timeline(self, request, slug=None):
        person = self.get_object()
        items = person_timeline(person)
        return self.timeline_response(
            request,
            subject={"person": person},
            items=items,
            timelinejs_document=lambda: timelinejs.person_document(person, items),
        )


@extend_schema_view(
    list=extend_schema(summary="Courts", description="Published courts."),
    retrieve=extend_schema(summary="One court"),
)
class CourtViewSet(PublicViewSetMixin, viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN
    filterset_class = CourtFilter
    serializer_class = CourtSerializer
    ordering = ["slug"]

    def get_queryset(self):
        return Court.objects.published()


@extend_schema_view(
    list=extend_schema(summary="Charges", description="Published charges, one count each."),
    retrieve=extend_schema(summary="One charge"),
)
class ChargeViewSet(PublicViewSetMixin, viewsets.ReadOnlyModelViewSet):
    filterset_class = ChargeFilter
    serializer_class = ChargeSerializer
    ordering = ["id"]

    def get_queryset(self):
        return Charge.objects.published().select_related("document__case", "defendant__person")


@extend_schema_view(
    list=extend_schema(summary="Court events", description="Published court events."),
    retrieve=extend_schema(summary="One court event"),
)
class CourtEventViewSet(PublicViewSetMixin, viewsets.ReadOnlyModelViewSet):
    filterset_class = CourtEventFilter
    serializer_class = CourtEventSerializer
    ordering = ["id"]

    def get_queryset(self):
        return CourtEvent.objects.published().select_related("case", "court").with_appearances()


@extend_schema_view(
    list=extend_schema(summary="Extradition requests"),
    retrieve=extend_schema(summary="One extradition request"),
)
class ExtraditionRequestViewSet(PublicViewSetMixin, viewsets.ReadOnlyModelViewSet):
    filterset_class = ExtraditionRequestFilter
    serializer_class = ExtraditionRequestSerializer
    ordering = ["id"]

    def get_queryset(self):
        return ExtraditionRequest.objects.published().select_related("person", "case")


@extend_schema_view(
    list=extend_schema(summary="Custody records", description="Published custody periods."),
    retrieve=extend_schema(summary="One custody record"),
)
class CustodyRecordViewSet(PublicViewSetMixin, viewsets.ReadOnlyModelViewSet):
    filterset_class = CustodyRecordFilter
    serializer_class = CustodyRecordSerializer
    ordering = ["id"]

    def get_queryset(self):
        return CustodyRecord.objects.published().select_related("person")


@extend_schema_view(
    list=extend_schema(summary="Sources", description="Published sources."),
    retrieve=extend_schema(summary="One source"),
)
class SourceViewSet(PublicViewSetMixin, viewsets.ReadOnlyModelViewSet):
    filterset_class = SourceFilter
    serializer_class = SourceSerializer
    ordering = ["id"]

    def get_queryset(self):
        return Source.objects.published()


class FeedSchema(AutoSchema):
    """The calendar is one document, not a list, yet it takes filters: document them too."""

    def get_filter_backends(self):
        return getattr(self.view, "filter_backends", [])


@extend_schema(
    summary="Hearings calendar",
    description="Published court events whose day is known (not just roughly), as an iCalendar "
    "feed (RFC 5545) to subscribe to: scheduled hearings, hearings held, and cancelled ones "
    "(STATUS:CANCELLED). UIDs are stable; SEQUENCE counts reschedulings; an event without a time "
    f"is all-day. Unfiltered (or filtered by `court` alone), the feed holds the hearings of the "
    f"last {calendar.WINDOW_DAYS} days and all those to come; `since` gives the hearings from any "
    "date on, and `case` or `person` the whole history of that case or person. A conditional "
    "request is answered (304) without building the feed.",
    responses={(200, "text/calendar"): OpenApiResponse(OpenApiTypes.STR, description="iCalendar")},
)
class CalendarView(ConditionalGetMixin, generics.GenericAPIView):
    filterset_class = CalendarFilter
    renderer_classes = [ICalendarRenderer]
    pagination_class = None
    queryset = CourtEvent.objects.none()  # for the schema; get_queryset gives the rows
    schema = FeedSchema()
    # Filters that lift the window (`calendar.window_start`): a case or a person has few hearings
    # however old they are, `since` sets its own start. A court's hearings grow with the years
    # like the whole feed's, so `court` alone keeps the window.
    whole_history = ("since", "case", "person")

    def get_queryset(self):
        return (
            CourtEvent.objects.published()
            .on_calendar()
            .select_related("case", "court")
            .order_by("date", F("time").asc(nulls_first=True), "id")
        )

    def lists_records(self):
        return True

    def get(self, request):
        events = self.filter_queryset(self.get_queryset())
        self.start = None
        if not any(name in request.query_params for name in self.whole_history):
            self.start = calendar.window_start()
            events = events.filter(date__gte=self.start)
        if "If-None-Match" in request.headers or "If-Modified-Since" in request.headers:
            self.summary = calendar.Summary.of_rows(events)
            response = conditional(
                request, HttpResponse(), self.last_modified(), self.validator(), exact_date=False
            )
            if response.status_code == 304:
                return response
        changes = calendar.sequences(events)
        events = list(events)
        self.summary = calendar.Summary.of_loaded(events)

        def page_url(case):
            try:
                return request.build_absolute_uri(case.get_absolute_url())
            except NoReverseMatch:
                return None

        name = "Court hearings"
        if request.query_params.get("case") and events:
            name = f"Court hearings: {events[0].case.title}"
        return Response(calendar.feed(events, name=name, changes=changes, page_url=page_url))

    def last_modified(self):
        """The newest change among what the feed shows; for the window, at least the start of
        today, when it last moved on."""
        newest = self.summary.newest()
        if self.start is None:
            return newest
        moved = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        return max(newest, moved) if newest else moved

    def validator(self) -> bytes:
        """What the ETag hashes: the feed's summary, its window and the site's address (in every
        event's URL), all known before the feed is built."""
        return repr((self.summary, self.start, self.request.build_absolute_uri("/"))).encode()

    def etag_content(self, response):
        return self.validator()
