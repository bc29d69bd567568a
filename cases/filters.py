"""Filters for the API lists of the legal process, and the people filter's custody status.

Filters that follow a relation only follow published rows: filtering cases by a draft court's
slug finds nothing, as the court itself would not be found.
"""

import django_filters
from django.db.models import Exists, OuterRef, Q

from casetracker.filters import (
    CountryCodeFilter,
    MomentFilter,
    PartialDateFilter,
    StrictFilterSet,
    YesNoFilter,
    ordering_filter,
    search_filter,
)
from casetracker.publication import Publication
from people.filters import PersonFilter
from people.models import Organization

from .calendar import WINDOW_DAYS
from .models import (
    Appearance,
    Case,
    CaseStatus,
    Charge,
    ChargeCategory,
    ChargingDocument,
    Court,
    CourtEvent,
    CustodyRecord,
    CustodyStatus,
    Defendant,
    Disposition,
    EventKind,
    EventStatus,
    ExtraditionRequest,
    ExtraditionStatus,
    Source,
    SourceKind,
)

PUBLISHED = Publication.PUBLISHED


def published_court(slug: str, path: str = "court") -> Q:
    return Q(**{f"{path}__slug": slug, f"{path}__publication": PUBLISHED})


def event_court(slug: str) -> Q:
    """Events held in this court, and events of cases prosecuted in it that name no court."""
    return published_court(slug) | (Q(court__isnull=True) & published_court(slug, "case__court"))


COURT_OF_EVENT = (
    "Slug of a court: events held in it, and events of cases prosecuted in it that name no "
    "other court."
)


class CaseFilter(StrictFilterSet):
    q = search_filter(
        "Words to find in the title or in a defendant's name or published alias, accents and "
        "case aside."
    )
    status = django_filters.ChoiceFilter(choices=CaseStatus.choices, help_text="Case status.")
    court = django_filters.CharFilter(
        method="filter_court", help_text="Slug of the court prosecuting the case."
    )
    country = CountryCodeFilter(
        method="filter_country", help_text="Country of the court, as a two-letter code."
    )
    organization = django_filters.CharFilter(
        method="filter_organization", help_text="Slug of an organization the case concerns."
    )
    person = django_filters.CharFilter(
        method="filter_person", help_text="Slug of a (published) defendant."
    )
    charge_category = django_filters.ChoiceFilter(
        choices=ChargeCategory.choices,
        method="filter_charge_category",
        help_text="Cases with at least one published charge of this category.",
    )
    filed_after = PartialDateFilter(
        bound="after",
        method="filter_filed",
        help_text="Cases with a charging document filed on or after this date "
        "(YYYY-MM-DD, YYYY-MM or YYYY; a month or year starts on its first day).",
    )
    filed_before = PartialDateFilter(
        bound="before",
        method="filter_filed",
        help_text="Cases with a charging document filed on or before this date "
        "(YYYY-MM-DD, YYYY-MM or YYYY; a month or year ends on its last day).",
    )
    updated_since = MomentFilter(
        method="filter_updated_since",
        help_text="Cases whose record, or a published defendant, charging document, charge, court "
        "event, extradition request or defendant's custody record of theirs, changed at or after "
        "this time (ISO 8601; UTC unless an offset is given).",
    )
    ordering = ordering_filter(["slug", "title", "updated_at"], default="slug")

    class Meta:
        model = Case
        fields = []

    def filter_search(self, queryset, name, value):
        # Keyset pages read the list in order: a common word is found by walking it.
        return queryset.search(value, published=True, strategy="auto") if value else queryset

    def filter_court(self, queryset, name, value):
        return queryset.filter(published_court(value))

    def filter_country(self, queryset, name, value):
        return queryset.filter(court__country=value, court__publication=PUBLISHED)

    def filter_organization(self, queryset, name, value):
        # The organization's id first, so that the planner sees which organization it is: for
        # one linked to many cases it walks the list in order, for a small one it looks its few
        # cases up. Not knowing, it would gather every case of a big one on each page.
        found = Organization.objects.published().filter(slug=value).values_list("pk", flat=True)
        organization = found.first()
        if organization is None:
            return queryset.none()
        links = Case.organizations.through.objects.filter(
            case=OuterRef("pk"), organization=organization
        )
        return queryset.filter(Exists(links))

    def filter_person(self, queryset, name, value):
        defendants = Defendant.objects.published().filter(person__slug=value)
        return queryset.filter(pk__in=defendants.values("case"))

    def filter_charge_category(self, queryset, name, value):
        charges = Charge.objects.published().filter(category=value)
        return queryset.filter(pk__in=charges.values("document__case"))

    def filter_filed(self, queryset, name, value):
        bound = self.filters[name]
        lookup = f"filed_date__{bound.lookup_expr}"
        documents = ChargingDocument.objects.published().filter(**{lookup: bound.day(value)})
        return queryset.filter(pk__in=documents.values("case"))

    def filter_updated_since(self, queryset, name, value):
        since = {"updated_at__gte": value}
        changed = [
            Defendant.objects.published().filter(**since).values("case"),
            ChargingDocument.objects.published().filter(**since).values("case"),
            Charge.objects.published().filter(**since).values("document__case"),
            CourtEvent.objects.published().filter(**since).values("case"),
            ExtraditionRequest.objects.published().filter(**since).values("case"),
            Defendant.objects.published()
            .filter(person__custody_records__in=CustodyRecord.objects.published().filter(**since))
            .values("case"),
        ]
        condition = Q(**since)
        for cases in changed:
            condition |= Q(pk__in=cases)
        return queryset.filter(condition)


class PersonCustodyFilter(PersonFilter):
    """The people filters, plus the current custody status (custody is the legal process)."""

    custody = django_filters.ChoiceFilter(
        choices=CustodyStatus.choices,
        method="filter_custody",
        help_text="People whose current custody status (latest open, published custody record) "
        "is this.",
    )

    class Meta(PersonFilter.Meta):
        fields = []

    def filter_custody(self, queryset, name, value):
        current = CustodyRecord.objects.published().current().filter(status=value)
        return queryset.filter(pk__in=current.values("person"))


class CourtFilter(StrictFilterSet):
    country = CountryCodeFilter(field_name="country", help_text="Two-letter country code.")
    ordering = ordering_filter(["slug", "name", "updated_at"], default="slug")

    class Meta:
        model = Court
        fields = []


class ChargeFilter(StrictFilterSet):
    case = django_filters.CharFilter(
        field_name="document__case__slug", help_text="Slug of the case."
    )
    person = django_filters.CharFilter(
        field_name="defendant__person__slug", help_text="Slug of the defendant."
    )
    category = django_filters.ChoiceFilter(choices=ChargeCategory.choices, help_text="Category.")
    disposition = django_filters.ChoiceFilter(
        choices=Disposition.choices, help_text="Where the charge stands."
    )
    ordering = ordering_filter(["id", "disposition_date", "updated_at"], default="id")

    class Meta:
        model = Charge
        fields = []


class CourtEventFilter(StrictFilterSet):
    kind = django_filters.ChoiceFilter(choices=EventKind.choices, help_text="Kind of event.")
    status = django_filters.ChoiceFilter(
        choices=EventStatus.choices, help_text="Scheduled, held or cancelled."
    )
    date_after = PartialDateFilter(
        field_name="date",
        bound="after",
        help_text="Events on or after this date (YYYY-MM-DD, YYYY-MM or YYYY).",
    )
    date_before = PartialDateFilter(
        field_name="date",
        bound="before",
        help_text="Events on or before this date (YYYY-MM-DD, YYYY-MM or YYYY; a month or year "
        "ends on its last day).",
    )
    case = django_filters.CharFilter(field_name="case__slug", help_text="Slug of the case.")
    court = django_filters.CharFilter(
        method="filter_court",
        help_text=COURT_OF_EVENT,
    )
    ordering = ordering_filter(["id", "date", "updated_at"], default="id")

    class Meta:
        model = CourtEvent
        fields = []

    def filter_court(self, queryset, name, value):
        return queryset.filter(event_court(value))


class CalendarFilter(StrictFilterSet):
    """The window of the unfiltered feed is `CalendarView`'s: `since`, `case` and `person` lift
    it."""

    since = PartialDateFilter(
        field_name="date",
        bound="after",
        help_text="Hearings on or after this date (YYYY-MM-DD, YYYY-MM or YYYY; a month or year "
        "starts on its first day), however long ago. Without it (or `case` or `person`), the "
        f"feed starts {WINDOW_DAYS} days ago.",
    )
    case = django_filters.CharFilter(
        field_name="case__slug", help_text="Slug of a case: all its hearings, however old."
    )
    person = django_filters.CharFilter(
        method="filter_person",
        help_text="Slug of a person: the events they appear at, and the events of their cases "
        "that list no defendant yet, however old.",
    )
    court = django_filters.CharFilter(
        method="filter_court",
        help_text=f"{COURT_OF_EVENT} From {WINDOW_DAYS} days ago on, as the unfiltered feed, "
        "unless `since` says otherwise.",
    )

    class Meta:
        model = CourtEvent
        fields = []

    def filter_person(self, queryset, name, value):
        defendants = Defendant.objects.published().filter(person__slug=value)
        appeared = Appearance.objects.filter(defendant__in=defendants).values("event")
        listed = Appearance.objects.values("event")
        return queryset.filter(
            Q(pk__in=appeared) | (Q(case__in=defendants.values("case")) & ~Q(pk__in=listed))
        )

    def filter_court(self, queryset, name, value):
        return queryset.filter(event_court(value))


class ExtraditionRequestFilter(StrictFilterSet):
    requesting_country = CountryCodeFilter(
        field_name="requesting_country", help_text="The requesting state (two-letter code)."
    )
    requested_country = CountryCodeFilter(
        field_name="requested_country", help_text="The requested state (two-letter code)."
    )
    status = django_filters.ChoiceFilter(
        choices=ExtraditionStatus.choices, help_text="Where the request stands."
    )
    person = django_filters.CharFilter(field_name="person__slug", help_text="Slug of the person.")
    case = django_filters.CharFilter(
        method="filter_case", help_text="Slug of the (published) case it serves."
    )
    ordering = ordering_filter(["id", "request_date", "updated_at"], default="id")

    class Meta:
        model = ExtraditionRequest
        fields = []

    def filter_case(self, queryset, name, value):
        return queryset.filter(case__slug=value, case__publication=PUBLISHED)


class CustodyRecordFilter(StrictFilterSet):
    person = django_filters.CharFilter(field_name="person__slug", help_text="Slug of the person.")
    status = django_filters.ChoiceFilter(choices=CustodyStatus.choices, help_text="Status.")
    custodian_country = CountryCodeFilter(
        field_name="custodian_country", help_text="The state holding the person (two-letter code)."
    )
    current = YesNoFilter(
        apply="filter_current",
        help_text="`true`: only each person's current record; `false`: only the others.",
    )
    ordering = ordering_filter(["id", "start_date", "updated_at"], default="id")

    class Meta:
        model = CustodyRecord
        fields = []

    def filter_current(self, queryset, value: bool):
        current = CustodyRecord.objects.published().current().values("pk")
        return queryset.filter(pk__in=current) if value else queryset.exclude(pk__in=current)


class SourceFilter(StrictFilterSet):
    kind = django_filters.ChoiceFilter(choices=SourceKind.choices, help_text="Kind of source.")
    language = django_filters.CharFilter(help_text="Language code, e.g. “en”.")
    ordering = ordering_filter(["id", "title", "updated_at"], default="id")

    class Meta:
        model = Source
        fields = []
