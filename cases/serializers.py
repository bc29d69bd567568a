"""API representations of the legal process: courts, cases, defendants, charges, court events,
extradition requests, custody, sources, a person's place in all of these, and timelines.

Nested lists hold published rows only (the viewsets prefetch them with `.published()`); a nested
single record that is not published is written as null.
"""

from django.utils.functional import cached_property
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from casetracker.dates import PartialDate
from casetracker.serializers import (
    AbsoluteURLField,
    ApiURLField,
    CitationListField,
    CountryField,
    HideUnpublished,
    LabelField,
    ModelSerializer,
    PartialDateField,
    SourcesField,
    api_link,
    citation_data,
)
from people.serializers import (
    MembershipSerializer,
    OrganizationSummarySerializer,
    PersonListSerializer,
    PersonSummarySerializer,
)

from .models import (
    Appearance,
    Case,
    Charge,
    ChargingDocument,
    Court,
    CourtEvent,
    CustodyRecord,
    Defendant,
    ExtraditionRequest,
    Plea,
    Source,
    current_custody,
)
from .timeline import TimelineKind

UPDATED = {"help_text": "When this record itself last changed."}
SUMMARY = {"help_text": "Public summary, in the project's own words; may be empty."}
CASE_TITLE = {"help_text": "The case's name, e.g. “United States v. Canales Rivera et al.”."}


# Summaries of records named inside other records --------------------------------------------------


class CourtSummarySerializer(HideUnpublished, ModelSerializer):
    """A court named inside another record; null if the court is not published."""

    country = CountryField(help_text="Where the court sits.")
    api_url = ApiURLField("api:court-detail", "slug")

    class Meta:
        model = Court
        fields = ["slug", "name", "short_name", "country", "api_url"]


class CaseSummarySerializer(HideUnpublished, ModelSerializer):
    """A case named inside another record; null if the case is not published."""

    status_label = LabelField("status")
    api_url = ApiURLField("api:case-detail", "slug")

    class Meta:
        model = Case
        fields = ["slug", "title", "status", "status_label", "api_url"]
        extra_kwargs = {"title": CASE_TITLE}


class DocumentSummarySerializer(ModelSerializer):
    filed_date = PartialDateField(help_text="Null when no source gives it.")

    class Meta:
        model = ChargingDocument
        fields = ["id", "kind", "title", "filed_date"]
        extra_kwargs = {"title": {"help_text": "E.g. “Superseding indictment”; may be empty."}}


# Facts --------------------------------------------------------------------------------------------


class CustodySerializer(ModelSerializer):
    """A period of a person's custody."""

    status_label = LabelField("status")
    custodian_country = CountryField(allow_null=True, help_text="The state holding the person.")
    start_date = PartialDateField(help_text="Null when unknown.")
    end_date = PartialDateField(help_text="Null while the period lasts (or when unknown).")
    sources = SourcesField()

    class Meta:
        model = CustodyRecord
        fields = [
            "id",
            "status",
            "status_label",
            "custodian_country",
            "custodian",
            "facility",
            "place",
            "start_date",
            "end_date",
            "notes",
            "sources",
        ]
        extra_kwargs = {
            "custodian": {"help_text": "The authority holding the person; may be empty."},
            "facility": {"help_text": "Prison or detention centre; empty when unknown."},
            "place": {"help_text": "Where the person was (town or country); may be empty."},
            "notes": {"help_text": "What the sources say about this period; may be empty."},
        }


class ChargeInCaseSerializer(ModelSerializer):
    """One count against one defendant."""

    document = DocumentSummarySerializer(help_text="The charging document that brings it.")
    category_label = LabelField("category")
    disposition_label = LabelField("disposition")
    disposition_date = PartialDateField(help_text="Null while pending or when unknown.")
    sources = SourcesField()

    class Meta:
        model = Charge
        fields = [
            "id",
            "document",
            "count_number",
            "statute",
            "description",
            "category",
            "category_label",
            "disposition",
            "disposition_label",
            "disposition_date",
            "sentence",
            "sources",
        ]
        extra_kwargs = {
            "count_number": {"help_text": "Null when the source does not number it."},
            "statute": {"help_text": "E.g. “18 U.S.C. § 2339A”; empty when no source gives it."},
            "description": {"help_text": "What the count charges, e.g. “Narco-terrorism”."},
            "sentence": {"help_text": "The sentence on this count, once given; else empty."},
        }


class PleaSerializer(serializers.Serializer):
    plea = serializers.ChoiceField(choices=Plea.choices)
    plea_label = serializers.CharField()
    date = PartialDateField(help_text="When it was entered.")
    court_event = serializers.IntegerField(help_text="Id of the court event where it was entered.")


class PersonWithAliasesSerializer(PersonSummarySerializer):
    aliases = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="name", help_text="Other names (published)."
    )

    class Meta(PersonSummarySerializer.Meta):
        fields = ["slug", "name", "name_is_alias", "aliases", "api_url"]


class DefendantSerializer(ModelSerializer):
    person = PersonWithAliasesSerializer()
    status_label = LabelField("status")
    current_custody = serializers.SerializerMethodField(
        help_text="The person's latest open custody record; null if none is known."
    )
    plea = serializers.SerializerMethodField(
        help_text="The latest plea entered in this case; null if none is recorded."
    )
    charges = ChargeInCaseSerializer(many=True, help_text="Published charges, one count each.")
    sources = SourcesField()

    class Meta:
        model = Defendant
        fields = [
            "person",
            "status",
            "status_label",
            "current_custody",
            "plea",
            "charges",
            "sources",
        ]
        extra_kwargs = {"status": {"help_text": "The defendant's status in this case."}}

    @extend_schema_field(CustodySerializer(allow_null=True))
    def get_current_custody(self, defendant):
        record = current_custody(defendant.person.custody_records.all())
        return self.custody.to_representation(record) if record else None

    @cached_property
    def custody(self) -> CustodySerializer:
        """One custody serializer for every defendant of the response."""
        return CustodySerializer(context=self.context)

    @extend_schema_field(PleaSerializer(allow_null=True))
    def get_plea(self, defendant: Defendant):
        pleas: list[Appearance] = [a for a in defendant.appearances.all() if a.plea]
        if not pleas:
            return None
        latest = pleas[-1]
        date = PartialDate.from_instance(latest.event, "date")
        return {
            "plea": latest.plea,
            "plea_label": latest.get_plea_display(),
            "date": date.as_dict() if date else None,
            "court_event": latest.event_id,
        }


class ExtraditionInCaseSerializer(ModelSerializer):
    person = PersonSummarySerializer()
    requesting_country = CountryField(help_text="The state asking for the person.")
    requested_country = CountryField(help_text="The state asked to hand the person over.")
    request_date = PartialDateField(help_text="Null when unknown.")
    status_label = LabelField("status")
    decision_date = PartialDateField(help_text="Null when pending or unknown.")
    sources = SourcesField()

    class Meta:
        model = ExtraditionRequest
        fields = [
            "id",
            "person",
            "requesting_country",
            "requested_country",
            "request_date",
            "status",
            "status_label",
            "decision_date",
            "deciding_body",
            "reason",
            "sources",
        ]
        extra_kwargs = {
            "deciding_body": {
                "help_text": "Who decided, e.g. “Government of El Salvador”; empty if unknown."
            },
        }


# Resources ----------------------------------------------------------------------------------------


class CourtSerializer(ModelSerializer):
    country = CountryField(help_text="Where the court sits.")
    api_url = ApiURLField("api:court-detail", "slug")
    cases_url = serializers.SerializerMethodField(help_text="The cases prosecuted in this court.")

    class Meta:
        model = Court
        fields = [
            "slug",
            "name",
            "short_name",
            "country",
            "seats",
            "api_url",
            "cases_url",
            "updated_at",
        ]
        extra_kwargs = {
            "slug": {"help_text": "Stable key of the court in URLs."},
            "updated_at": UPDATED,
        }

    def get_cases_url(self, court) -> str:
        return api_link(self.context.get("request"), "api:case-list", {"court": court.slug})


class CaseListSerializer(ModelSerializer):
    status_label = LabelField("status")
    court = CourtSummarySerializer(allow_null=True, help_text="Where the case is prosecuted.")
    api_url = ApiURLField("api:case-detail", "slug")
    web_url = AbsoluteURLField()

    class Meta:
        model = Case
        fields = [
            "slug",
            "title",
            "status",
            "status_label",
            "court",
            "docket_number",
            "defendant_count",
            "api_url",
            "web_url",
            "updated_at",
        ]
        extra_kwargs = {
            "slug": {"help_text": "Stable key of the case in URLs."},
            "title": CASE_TITLE,
            "docket_number": {"help_text": "Empty when no source gives it."},
            "defendant_count": {
                "help_text": "All defendants, named or not, when sources give the number; "
                "null otherwise. Only the named ones are listed in `defendants`."
            },
            "updated_at": UPDATED,
        }


class CaseLinksSerializer(serializers.Serializer):
    timeline = serializers.URLField(help_text="The case timeline (JSON).")
    timelinejs = serializers.URLField(help_text="The case timeline as a TimelineJS 3 document.")
    calendar = serializers.URLField(help_text="The case's court events as an iCalendar feed.")


class CaseDetailSerializer(CaseListSerializer):
    organizations = OrganizationSummarySerializer(
        many=True, help_text="Organizations the case concerns."
    )
    defendants = DefendantSerializer(
        many=True,
        help_text="Named, published defendants with current custody, plea and charges.",
    )
    extradition_requests = ExtraditionInCaseSerializer(
        many=True, help_text="Published extradition requests of the case's defendants."
    )
    sources = SourcesField()
    links = serializers.SerializerMethodField(help_text="Related URLs.")

    class Meta(CaseListSerializer.Meta):
        fields = [
            *CaseListSerializer.Meta.fields,
            "summary",
            "organizations",
            "defendants",
            "extradition_requests",
            "sources",
            "links",
        ]
        extra_kwargs = {**CaseListSerializer.Meta.extra_kwargs, "summary": SUMMARY}

    @extend_schema_field(CaseLinksSerializer)
    def get_links(self, case):
        request = self.context.get("request")
        return {
            "timeline": api_link(request, "api:case-timeline", slug=case.slug),
            "timelinejs": api_link(
                request, "api:case-timeline", {"format": "timelinejs"}, slug=case.slug
            ),
            "calendar": api_link(request, "api:calendar", {"case": case.slug}),
        }


class PersonCaseSerializer(ModelSerializer):
    """A person's part in one case."""

    case = CaseSummarySerializer()
    status_label = LabelField("status")

    class Meta:
        model = Defendant
        fields = ["case", "status", "status_label"]
        extra_kwargs = {"status": {"help_text": "The person's status in this case."}}


class PersonLinksSerializer(serializers.Serializer):
    timeline = serializers.URLField(help_text="The person's timeline (JSON).")
    timelinejs = serializers.URLField(help_text="The person's timeline as a TimelineJS document.")
    calendar = serializers.URLField(help_text="Court events of the person's cases (iCalendar).")


class PersonDetailSerializer(PersonListSerializer):
    birth_date = PartialDateField(help_text="Null when unknown.")
    memberships = MembershipSerializer(many=True, help_text="Published memberships.")
    current_custody = serializers.SerializerMethodField(
        help_text="The latest open custody record; null if none is known."
    )
    custody_records = CustodySerializer(many=True, help_text="All custody periods, earliest first.")
    cases = PersonCaseSerializer(
        source="defendant_records", many=True, help_text="Cases where the person is a defendant."
    )
    sources = SourcesField()
    links = serializers.SerializerMethodField(help_text="Related URLs.")

    class Meta(PersonListSerializer.Meta):
        fields = [
            *PersonListSerializer.Meta.fields,
            "given_name",
            "family_name",
            "birth_date",
            "summary",
            "memberships",
            "current_custody",
            "custody_records",
            "cases",
            "sources",
            "links",
        ]
        extra_kwargs = {
            **PersonListSerializer.Meta.extra_kwargs,
            "given_name": {"help_text": "Given names, when sources give them apart."},
            "family_name": {"help_text": "Family names, when sources give them apart."},
            "summary": SUMMARY,
        }

    @extend_schema_field(CustodySerializer(allow_null=True))
    def get_current_custody(self, person):
        record = current_custody(person.custody_records.all())
        return CustodySerializer(context=self.context).to_representation(record) if record else None

    @extend_schema_field(PersonLinksSerializer)
    def get_links(self, person):
        request = self.context.get("request")
        return {
            "timeline": api_link(request, "api:person-timeline", slug=person.slug),
            "timelinejs": api_link(
                request, "api:person-timeline", {"format": "timelinejs"}, slug=person.slug
            ),
            "calendar": api_link(request, "api:calendar", {"person": person.slug}),
        }


class SourceSerializer(ModelSerializer):
    publication_date = PartialDateField(help_text="Null when the source is undated.")
    api_url = ApiURLField("api:source-detail")

    class Meta:
        model = Source
        fields = [
            "id",
            "title",
            "kind",
            "publisher",
            "authors",
            "publication_date",
            "url",
            "language",
            "api_url",
            "updated_at",
        ]
        extra_kwargs = {
            "title": {"help_text": "Title, or a description in [brackets] when it has none."},
            "publisher": {"help_text": "Empty when unknown."},
            "url": {"help_text": "Link to the source; empty when there is none."},
            "authors": {"help_text": "Comma-separated; empty when unknown."},
            "updated_at": UPDATED,
        }


class ChargeSerializer(ChargeInCaseSerializer):
    case = CaseSummarySerializer(source="document.case")
    defendant = PersonSummarySerializer(source="defendant.person")
    api_url = ApiURLField("api:charge-detail")

    class Meta(ChargeInCaseSerializer.Meta):
        fields = ["id", "case", "defendant", *ChargeInCaseSerializer.Meta.fields[1:], "api_url"]
        fields += ["updated_at"]
        extra_kwargs = {**ChargeInCaseSerializer.Meta.extra_kwargs, "updated_at": UPDATED}


class AppearanceSerializer(ModelSerializer):
    person = PersonSummarySerializer(source="defendant.person")
    plea_label = LabelField("plea")

    class Meta:
        model = Appearance
        fields = ["person", "plea", "plea_label"]
        extra_kwargs = {"plea": {"help_text": "The plea entered here; empty if none."}}


class CourtEventSerializer(ModelSerializer):
    case = CaseSummarySerializer()
    kind_label = LabelField("kind")
    status_label = LabelField("status")
    date = PartialDateField(help_text="Null when unknown.")
    court = CourtSummarySerializer(
        allow_null=True, help_text="The court that sat, when it is not the case's own."
    )
    country = CountryField(allow_null=True, help_text="Country of the place; null if unknown.")
    appearances = AppearanceSerializer(
        many=True, help_text="Published defendants who appeared, with any plea entered."
    )
    sources = SourcesField()
    api_url = ApiURLField("api:courtevent-detail")

    class Meta:
        model = CourtEvent
        fields = [
            "id",
            "case",
            "kind",
            "kind_label",
            "status",
            "status_label",
            "date",
            "time",
            "court",
            "place",
            "country",
            "description",
            "appearances",
            "sources",
            "api_url",
            "updated_at",
        ]
        extra_kwargs = {
            "time": {
                "help_text": "Local time at the court (HH:MM:SS, on the court's own clock: no "
                "time zone or offset), when known; null otherwise."
            },
            "description": {"help_text": "What happened, in the project's words; may be empty."},
            "updated_at": UPDATED,
        }


class ExtraditionRequestSerializer(ExtraditionInCaseSerializer):
    case = CaseSummarySerializer(allow_null=True, help_text="The case it serves, if recorded.")
    api_url = ApiURLField("api:extraditionrequest-detail")

    class Meta(ExtraditionInCaseSerializer.Meta):
        fields = [
            "id",
            "person",
            "case",
            *ExtraditionInCaseSerializer.Meta.fields[2:],
            "api_url",
            "updated_at",
        ]
        extra_kwargs = {**ExtraditionInCaseSerializer.Meta.extra_kwargs, "updated_at": UPDATED}


class CustodyRecordSerializer(CustodySerializer):
    person = PersonSummarySerializer()
    api_url = ApiURLField("api:custodyrecord-detail")

    class Meta(CustodySerializer.Meta):
        fields = ["id", "person", *CustodySerializer.Meta.fields[1:], "api_url", "updated_at"]
        extra_kwargs = {**CustodySerializer.Meta.extra_kwargs, "updated_at": UPDATED}


# Timelines ----------------------------------------------------------------------------------------


class TimelinePersonSerializer(serializers.Serializer):
    slug = serializers.CharField(help_text="Key of the person in `/api/v1/people/`.")
    name = serializers.CharField(help_text="The name sources use (an alias for some people).")
    alias = serializers.CharField(help_text="The person's first published alias, or empty.")
    api_url = ApiURLField("api:person-detail", "slug", help_text="The person in the API.")


class TimelineItemSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="Stable id of the item, e.g. “court_event-12”.")
    kind = serializers.ChoiceField(choices=TimelineKind.choices)
    kind_label = serializers.CharField()
    date = PartialDateField(allow_null=False, help_text="When it happened.")
    title = serializers.CharField(help_text="What happened, in a line.")
    description = serializers.CharField(help_text="More about it (pleas, notes); may be empty.")
    status = serializers.CharField(
        help_text="For court events, extradition decisions and custody: the status of the "
        "record (as in its own resource); empty otherwise."
    )
    place = serializers.CharField(help_text="Town or courthouse; may be empty.")
    country = CountryField(allow_null=True, help_text="Country where it happened, if known.")
    court = CourtSummarySerializer(allow_null=True, help_text="The court concerned, if any.")
    people = TimelinePersonSerializer(many=True, help_text="The people it concerns.")
    sources = CitationListField(help_text="The published sources that report it.")

    def to_representation(self, item):
        """The fields above, written directly: a timeline holds dozens of items, and DRF's
        field-by-field walk cost more than the items' data."""
        fields = self.fields
        person_url = fields["people"].child.fields["api_url"]
        return {
            "id": item.id,
            "kind": item.kind,
            "kind_label": item.kind_label,
            "date": item.date.as_dict(),
            "title": item.title,
            "description": item.description,
            "status": item.status,
            "place": item.place,
            "country": fields["country"].to_representation(item.country) if item.country else None,
            "court": fields["court"].to_representation(item.court) if item.court else None,
            "people": [
                {
                    "slug": person.slug,
                    "name": person.name,
                    "alias": person.alias,
                    "api_url": person_url.to_representation(person),
                }
                for person in item.people
            ],
            "sources": [citation_data(citation) for citation in item.sources],
        }


class CaseTimelineSerializer(serializers.Serializer):
    case = CaseSummarySerializer()
    items = TimelineItemSerializer(many=True, help_text="In date order.")


class PersonTimelineSerializer(serializers.Serializer):
    person = PersonSummarySerializer()
    items = TimelineItemSerializer(many=True, help_text="In date order.")


# TimelineJS 3 (the schema of what `cases.timelinejs` writes) -------------------------------------


class TimelineJSDateSerializer(serializers.Serializer):
    year = serializers.CharField(help_text="Four digits.")
    month = serializers.CharField(required=False, help_text="Absent when only the year is known.")
    day = serializers.CharField(required=False, help_text="Absent unless the day is known.")
    display_date = serializers.CharField(
        required=False, help_text="The date as readers see it, e.g. “c. 2021”."
    )


class TimelineJSTextSerializer(serializers.Serializer):
    headline = serializers.CharField(help_text="HTML-escaped.")
    text = serializers.CharField(required=False, help_text="HTML (escaped text, source links).")


class TimelineJSEventSerializer(serializers.Serializer):
    unique_id = serializers.CharField(help_text="The timeline item id.")
    start_date = TimelineJSDateSerializer()
    end_date = TimelineJSDateSerializer(required=False, help_text="Custody periods that ended.")
    text = TimelineJSTextSerializer()
    group = serializers.CharField(help_text="Charges, Court, Extradition or Custody.")
    display_date = serializers.CharField(help_text="The date (or period) as readers see it.")


class TimelineJSSlideSerializer(serializers.Serializer):
    text = TimelineJSTextSerializer()


class TimelineJSDocumentSerializer(serializers.Serializer):
    title = TimelineJSSlideSerializer(help_text="The title slide.")
    events = TimelineJSEventSerializer(many=True, help_text="One per timeline item, in order.")
