"""Spreadsheet import and export of people, their aliases and organizations (see
casetracker/resources.py for the rules every file follows)."""

from import_export import fields

from casetracker.resources import PartialDateField, ResearchResource, SlugWidget

from .models import Alias, Organization, Person


class PersonResource(ResearchResource):
    """One row per person, matched by slug."""

    birth_date = PartialDateField("birth_date")

    class Meta:
        model = Person
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "name",
            "name_is_alias",
            "given_name",
            "family_name",
            "birth_date",
            "nationalities",
            "summary",
            "publication",
        ]


class AliasResource(ResearchResource):
    """One row per alias, matched by the person's slug and the alias itself."""

    person = fields.Field(attribute="person", column_name="person", widget=SlugWidget(Person))
    start_date = PartialDateField("start_date")
    end_date = PartialDateField("end_date")

    class Meta:
        model = Alias
        import_id_fields = ["person", "name"]
        fields = ["person", "name", "kind", "language", "start_date", "end_date", "publication"]


class OrganizationResource(ResearchResource):
    """One row per organization, matched by slug; `parent` is the slug of the larger one."""

    parent = fields.Field(attribute="parent", column_name="parent", widget=SlugWidget(Organization))

    class Meta:
        model = Organization
        import_id_fields = ["slug"]
        fields = ["slug", "name", "kind", "parent", "countries", "summary", "publication"]
