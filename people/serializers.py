"""API representations of people, their names, organizations and memberships.

A person's custody, cases and timeline belong to the legal process: `cases.serializers` adds them
to the person detail (people never import cases).
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from casetracker.serializers import (
    AbsoluteURLField,
    ApiURLField,
    CountryListField,
    HideUnpublished,
    ModelSerializer,
    PartialDateField,
    SourcesField,
    api_link,
)

from .models import Alias, Membership, Organization, Person

MEMBERS_SHOWN = 50  # in an organization's record; all of them through its `links.people`


class PersonSummarySerializer(HideUnpublished, ModelSerializer):
    """A person named inside another record; null if the person is not published."""

    api_url = ApiURLField("api:person-detail", "slug")

    class Meta:
        model = Person
        fields = ["slug", "name", "name_is_alias", "api_url"]
        extra_kwargs = {
            "name": {
                "help_text": "The name sources use, accents kept; an alias when "
                "`name_is_alias` is true."
            },
            "name_is_alias": {"help_text": "True for someone known only by this alias."},
        }


class OrganizationSummarySerializer(HideUnpublished, ModelSerializer):
    """An organization named inside another record; null if it is not published."""

    api_url = ApiURLField("api:organization-detail", "slug")

    class Meta:
        model = Organization
        fields = ["slug", "name", "kind", "api_url"]


class AliasSerializer(ModelSerializer):
    used_from = PartialDateField("start_date", help_text="Null when unknown.")
    used_until = PartialDateField("end_date", help_text="Null when unknown or still in use.")

    class Meta:
        model = Alias
        fields = ["name", "kind", "language", "used_from", "used_until"]
        extra_kwargs = {
            "name": {"help_text": "The other name, as sources write it."},
            "language": {"help_text": "Language code, e.g. “es”; empty if unknown."},
        }


class MembershipSerializer(ModelSerializer):
    """A person's membership, seen from the person."""

    organization = OrganizationSummarySerializer()
    start_date = PartialDateField(help_text="Null when unknown.")
    end_date = PartialDateField(help_text="Null when unknown or still a member.")
    sources = SourcesField()

    class Meta:
        model = Membership
        fields = ["organization", "role", "start_date", "end_date", "sources"]


class MemberSerializer(MembershipSerializer):
    """A membership, seen from the organization."""

    person = PersonSummarySerializer()

    class Meta(MembershipSerializer.Meta):
        fields = ["person", "role", "start_date", "end_date", "sources"]


class PersonListSerializer(ModelSerializer):
    aliases = AliasSerializer(many=True, help_text="Other names, published ones only.")
    nationalities = CountryListField(help_text="Nationalities, when known.")
    api_url = ApiURLField("api:person-detail", "slug")
    web_url = AbsoluteURLField()

    class Meta:
        model = Person
        fields = [
            "slug",
            "name",
            "name_is_alias",
            "aliases",
            "nationalities",
            "api_url",
            "web_url",
            "updated_at",
        ]
        extra_kwargs = {
            "slug": {"help_text": "Stable key of the person in URLs."},
            "name": {
                "help_text": "The name sources use, accents kept; an alias when "
                "`name_is_alias` is true."
            },
            "name_is_alias": {"help_text": "True for someone known only by this alias."},
            "updated_at": {"help_text": "When this record itself last changed."},
        }


class OrganizationListSerializer(ModelSerializer):
    parent = OrganizationSummarySerializer(
        allow_null=True, help_text="The larger organization this one is part of."
    )
    countries = CountryListField(help_text="Countries it is active in.")
    api_url = ApiURLField("api:organization-detail", "slug")
    web_url = AbsoluteURLField()

    class Meta:
        model = Organization
        fields = ["slug", "name", "kind", "parent", "countries", "api_url", "web_url", "updated_at"]
        extra_kwargs = {
            "slug": {"help_text": "Stable key of the organization in URLs."},
            "updated_at": {"help_text": "When this record itself last changed."},
        }


class OrganizationLinksSerializer(serializers.Serializer):
    cases = serializers.URLField(help_text="The cases this organization is linked to.")
    people = serializers.URLField(help_text="Its members.")


class OrganizationDetailSerializer(OrganizationListSerializer):
    aliases = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="name", help_text="Other names (published)."
    )
    children = OrganizationSummarySerializer(
        many=True, help_text="Organizations that are part of this one."
    )
    members = MemberSerializer(
        source="first_members",
        many=True,
        help_text=f"The first {MEMBERS_SHOWN} published memberships, by name; `links.people` "
        "lists every member.",
    )
    member_count = serializers.IntegerField(
        read_only=True, help_text="How many published memberships there are in all."
    )
    sources = SourcesField()
    links = serializers.SerializerMethodField(help_text="Related URLs.")

    class Meta(OrganizationListSerializer.Meta):
        fields = [
            *OrganizationListSerializer.Meta.fields,
            "summary",
            "aliases",
            "children",
            "members",
            "member_count",
            "sources",
            "links",
        ]
        extra_kwargs = {
            **OrganizationListSerializer.Meta.extra_kwargs,
            "summary": {"help_text": "Public summary, in the project's own words; may be empty."},
        }

    @extend_schema_field(OrganizationLinksSerializer)
    def get_links(self, organization):
        request = self.context.get("request")
        query = {"organization": organization.slug}
        return {
            "cases": api_link(request, "api:case-list", query),
            "people": api_link(request, "api:person-list", query),
        }
