"""Spreadsheet import and export of sources, cases, charges, court events and custody records
(see casetracker/resources.py for the rules every file follows)."""

from import_export import fields, widgets

from casetracker.resources import PartialDateField, ResearchResource, SlugWidget
from people.models import Organization, Person

from .models import (
    Case,
    Charge,
    ChargingDocument,
    Court,
    CourtEvent,
    CustodyRecord,
    Defendant,
    Source,
)


class SourceResource(ResearchResource):
    """One row per source, matched by id (leave it empty to add a source)."""

    publication_date = PartialDateField("publication_date")

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
            "notes",
            "publication",
        ]


class CaseResource(ResearchResource):
    """One row per case, matched by slug; `organizations` lists slugs separated by commas."""

    court = fields.Field(attribute="court", column_name="court", widget=SlugWidget(Court))
    organizations = fields.Field(
        attribute="organizations",
        column_name="organizations",
        widget=widgets.ManyToManyWidget(Organization, field="slug"),
    )

    class Meta:
        model = Case
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "title",
            "court",
            "docket_number",
            "status",
            "defendant_count",
            "organizations",
            "summary",
            "publication",
        ]


class DocumentWidget(widgets.ForeignKeyWidget):
    """A charging document by its number (id); left empty, the case's only document."""

    def __init__(self):
        super().__init__(ChargingDocument)

    def clean(self, value, row=None, **kwargs):
        case = str((row or {}).get("case") or "").strip()
        documents = ChargingDocument.objects.filter(case__slug=case) if case else None
        if value in (None, "") or not str(value).strip():
            if documents is not None and len(found := list(documents[:2])) == 1:
                return found[0]
            raise ValueError("Give the number of the charging document: the case has several.")
        try:
            within = ChargingDocument.objects if documents is None else documents
            return within.get(pk=int(float(value)))
        except (ValueError, ChargingDocument.DoesNotExist) as error:
            where = f" in the case “{case}”" if case else ""
            raise ValueError(f"No charging document number {value}{where}.") from error


class DefendantWidget(widgets.ForeignKeyWidget):
    """A defendant named by the person's slug, within the row's case."""

    def __init__(self):
        super().__init__(Defendant, field="person__slug")

    def clean(self, value, row=None, **kwargs):
        slug, case = str(value or "").strip(), str((row or {}).get("case") or "").strip()
        if not slug:
            return None
        try:
            return Defendant.objects.select_related("person").get(
                case__slug=case, person__slug=slug
            )
        except Defendant.DoesNotExist as error:
            raise ValueError(f"“{slug}” is not a defendant in the case “{case}”.") from error


class ChargeResource(ResearchResource):
    """One row per count, matched by charging document, defendant and count number.

    `case` is the case's slug, `document` the charging document's number (its id; it may be left
    empty when the case has one document), `defendant` the slug of the charged person.
    """

    case = fields.Field(
        attribute="document__case", column_name="case", widget=SlugWidget(Case), readonly=True
    )
    document = fields.Field(attribute="document", column_name="document", widget=DocumentWidget())
    defendant = fields.Field(
        attribute="defendant", column_name="defendant", widget=DefendantWidget()
    )
    count_number = fields.Field(
        attribute="count_number", column_name="count", widget=widgets.IntegerWidget()
    )
    disposition_date = PartialDateField("disposition_date")

    class Meta:
        model = Charge
        import_id_fields = ["document", "defendant", "count_number"]
        fields = [
            "case",
            "document",
            "defendant",
            "count_number",
            "statute",
            "description",
            "category",
            "disposition",
            "disposition_date",
            "sentence",
            "publication",
        ]

    def get_queryset(self):
        return Charge.objects.select_related("document__case", "defendant__person")

    def get_instance(self, instance_loader, row):
        """The count with this number; an unnumbered count is matched by its description."""
        try:
            document = self.fields["document"].clean(row)
            defendant = self.fields["defendant"].clean(row)
            count = self.fields["count_number"].clean(row)
        except (KeyError, ValueError):
            return None  # reported on the field by the import itself
        lookup = {"document": document, "defendant": defendant, "count_number": count}
        if count is None:
            lookup["description"] = str(row.get("description") or "").strip()
        return self.get_queryset().filter(**lookup).order_by("pk").first()


class CourtEventResource(ResearchResource):
    """One row per court event, matched by id (leave it empty to add an event)."""

    case = fields.Field(attribute="case", column_name="case", widget=SlugWidget(Case))
    court = fields.Field(attribute="court", column_name="court", widget=SlugWidget(Court))
    date = PartialDateField("date")

    class Meta:
        model = CourtEvent
        fields = [
            "id",
            "case",
            "kind",
            "status",
            "date",
            "time",
            "court",
            "place",
            "country",
            "description",
            "publication",
        ]

    def get_queryset(self):
        return CourtEvent.objects.select_related("case", "court")


class CustodyRecordResource(ResearchResource):
    """One row per custody period, matched by id (leave it empty to add one)."""

    person = fields.Field(attribute="person", column_name="person", widget=SlugWidget(Person))
    start_date = PartialDateField("start_date")
    end_date = PartialDateField("end_date")

    class Meta:
        model = CustodyRecord
        fields = [
            "id",
            "person",
            "status",
            "custodian_country",
            "custodian",
            "facility",
            "place",
            "start_date",
            "end_date",
            "notes",
            "publication",
        ]

    def get_queryset(self):
        return CustodyRecord.objects.select_related("person")
