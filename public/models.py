"""The published copy: what readers and partners see, written only by publishing.

Each published unit (a case, a person, an organization, a court, a source) has a row here with
the id of its working record, the number of times it has been published (`version`) and when it
last was (`published_at`, its public "last updated"). Its facts are copied beside it, and
rewritten whole each time the unit is published (`public.publishing`); nothing else writes these
tables. A unit is never deleted from the copy: a withdrawn one keeps its row, marked `withdrawn`,
so its addresses can answer "gone" rather than "not found".

References between units stay references (a case's court, a defendant's person, a membership's
organization), so publishing a renamed organization does not rewrite the cases that name it.
The timeline is materialized at publishing, one row per dated fact with its sort key
(`TimelineItem`). Every public read can then be one indexed query on these tables.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django_countries.fields import CountryField

from cases.choices import (
    CaseStatus,
    ChargeCategory,
    CustodyStatus,
    DefendantStatus,
    Disposition,
    DocumentKind,
    EventKind,
    EventStatus,
    ExtraditionStatus,
    Plea,
    SourceKind,
    TimelineKind,
)
from casetracker.dates import PartialDate, partial_date_fields
from casetracker.links import WebURLField
from casetracker.text import FoldedTextField
from people.choices import AliasKind, OrganizationKind


class UnitKind(models.TextChoices):
    CASE = "case", "Case"
    PERSON = "person", "Person"
    ORGANIZATION = "organization", "Organization"
    COURT = "court", "Court"
    SOURCE = "source", "Source"


class PublishedUnit(models.Model):
    """What every unit's published row carries besides its own fields."""

    # The working record's id: one published row per unit, found by the same number.
    id = models.BigIntegerField(primary_key=True)
    version = models.PositiveIntegerField(help_text="How many times the unit has been published.")
    first_published_at = models.DateTimeField()
    published_at = models.DateTimeField("last published", db_index=True)
    withdrawn = models.BooleanField(default=False, db_index=True)

    class Meta:
        default_permissions = ()  # written by publishing alone, never through the admin
        abstract = True

    @property
    def is_published(self) -> bool:
        """Readers may see it: published and not withdrawn since (a reference written while it
        was published stays in the copy after it is withdrawn, and shows nothing)."""
        return not self.withdrawn

    @property
    def updated_at(self):
        """The unit's public "last updated": when it was last published."""
        return self.published_at


class PublishedFact(models.Model):
    """A fact of a published unit, under its working record's id."""

    id = models.BigIntegerField(primary_key=True)

    class Meta:
        default_permissions = ()  # written by publishing alone, never through the admin
        abstract = True


# Small units ---------------------------------------------------------------------------------


class Court(PublishedUnit):
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=50, blank=True)
    slug = models.SlugField(max_length=200, unique=True)
    country = CountryField(blank=True)
    seats = models.CharField(max_length=200, blank=True)

    class Meta:
        default_permissions = ()  # written by publishing alone, never through the admin
        ordering = ["name", "id"]

    def __str__(self):
        return self.short_name or self.name


class Source(PublishedUnit):
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=SourceKind)
    publisher = models.CharField(max_length=200, blank=True)
    authors = models.CharField(max_length=300, blank=True)
    publication_date, publication_date_precision, publication_date_approximate = (
        partial_date_fields("publication date")
    )
    url = WebURLField("link", max_length=500, blank=True)
    language = models.CharField(max_length=12, blank=True)

    class Meta:
        default_permissions = ()  # written by publishing alone, never through the admin
        ordering = ["title", "id"]

    def __str__(self):
        return self.title


# Organizations -------------------------------------------------------------------------------


class Organization(PublishedUnit):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    search_name = FoldedTextField(source="name")
    kind = models.CharField(max_length=20, choices=OrganizationKind)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    countries = CountryField(multiple=True, blank=True)
    summary = models.TextField(blank=True)

    class Meta:
        default_permissions = ()  # written by publishing alone, never through the admin
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("people:organization-detail", kwargs={"slug": self.slug})


class OrganizationAlias(PublishedFact):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)
    search_name = FoldedTextField(source="name")

    class Meta:
        default_permissions = ()  # written by publishing alone, never through the admin
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


# People --------------------------------------------------------------------------------------


class Person(PublishedUnit):
    name = models.CharField(max_length=200)
    name_is_alias = models.BooleanField(default=False)
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    slug = models.SlugField(max_length=200, unique=True)
    search_name = FoldedTextField(source="name")
    birth_date, birth_date_precision, birth_date_approximate = partial_date_fields("birth date")
    nationalities = CountryField(multiple=True, blank=True)
    summary = models.TextField(blank=True)

    class Meta:
        default_permissions = ()  # written by publishing alone, never through the admin
        ordering = ["name", "id"]
        verbose_name_plural = "people"

    def __str__(self):
        return f"alias “{self.name}”" if self.name_is_alias else self.name

    def get_absolute_url(self):
        return reverse("people:person-detail", kwargs={"slug": self.slug})


class Alias(PublishedFact):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)
    search_name = FoldedTextField(source="name")
    kind = models.CharField(max_length=12, choices=AliasKind)
    language = models.CharField(max_length=12, blank=True)
    start_date, start_date_precision, start_date_approximate = partial_date_fields("from")
    end_date, end_date_precision, end_date_approximate = partial_date_fields("until")

    class Meta:
        default_permissions = ()  # written by publishing alone, never through the admin
        ordering = ["name", "id"]
        verbose_name_plural = "aliases"

    def __str__(self):
        return self.name


class Membership(PublishedFact):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(max_length=200, blank=True)
    start_date, start_date_precision, start_date_approximate = partial_date_fields("from")
    end_date, end_date_precision, end_date_approximate = partial_date_fields("until")

    class Meta:
        default_permissions = ()  # written by publishing alone, never through the admin
        ordering = ["start_date", "id"]

    def __str__(self):
        role = f" ({self.role})" if self.role else ""
        return f"{self.person} in {self.organization}{role}"


class CustodyRecord(PublishedFact):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="custody_records")
    status = models.CharField(max_length=20, choices=CustodyStatus)
    custodian_country = CountryField(blank=True)
    custodian = models.CharField(max_length=200, blank=True)
    facility = models.CharField(max_length=200, blank=True)
    place = models.CharField(max_length=200, blank=True)
    start_date, start_date_precision, start_date_approximate = partial_date_fields("from")
    end_date, end_date_precision, end_date_approximate = partial_date_fields("until")
    notes = models.TextField(blank=True)

    class Meta:
        default_permissions = ()  # written by publishing alone, never through the admin
        ordering = ["start_date", "id"]

    def __str__(self):
        return f"{self.person}: {self.get_status_display()}"


class ExtraditionRequest(PublishedFact):
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="extradition_requests"
    )
    # A reference to another unit, kept only while that case is published.
    case = models.ForeignKey(
        "Case",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="extradition_requests",
    )
    requesting_country = CountryField()
    requested_country = CountryField()
    request_date, request_date_precision, request_date_approximate = partial_date_fields(
        "requested"
    )
    status = models.CharField(max_length=20, choices=ExtraditionStatus)
    decision_date, decision_date_precision, decision_date_approximate = partial_date_fields(
        "decided"
    )
    deciding_body = models.CharField(max_length=200, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        default_permissions = ()  # written by publishing alone, never through the admin
        ordering = ["request_date", "id"]

    def __str__(self):
        return (
            f"Extradition of {self.person} from {self.requested_country.name} "
            f"to {self.requesting_country.name}"
        )


# Cases ---------------------------------------------------------------------------------------


class Case(PublishedUnit):
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True)
    search_title = FoldedTextField(source="title", max_length=300)
    court = models.ForeignKey(
        Court, null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    docket_number = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=15, choices=CaseStatus)
    summary = models.TextField(blank=True)
    defendant_count = models.PositiveSmallIntegerField(null=True, blank=True)
    organizations = models.ManyToManyField(Organization, blank=True, related_name="cases")

    class Meta:
        default_permissions = ()  # written by publishing alone, never through the admin
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["-published_at", "title", "id"], name="public_case_latest")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("cases:case-detail", kwargs={"slug": self.slug})

    @property
    def unnamed_defendant_count(self) -> int | None:
        """Defendants the case counts but no source names (needs `defendants` loaded)."""
        if self.defendant_count is None:
            return None
        return max(self.defendant_count - len(self.defendants.all()), 0)


class Defendant(PublishedFact):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="defendants")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="defendant_records")
    status = models.CharField(max_length=20, choices=DefendantStatus)

    class Meta:
        default_permissions = ()  # written by publishing alone, never through the admin
        ordering = ["person__name", "id"]

    def __str__(self):
        return f"{self.person} in {self.case}"


class ChargingDocument(PublishedFact):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="charging_documents")
    kind = models.CharField(max_length=25, choices=DocumentKind)
    title = models.CharField(max_length=300, blank=True)
    court = models.ForeignKey(
        Court, null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    filed_date, filed_date_precision, filed_date_approximate = partial_date_fields("filed")
    unsealed_date, unsealed_date_precision, unsealed_date_approximate = partial_date_fields(
        "unsealed"
    )
    document_url = WebURLField(max_length=500, blank=True)

    class Meta:
        default_permissions = ()  # written by publishing alone, never through the admin
        ordering = ["filed_date", "id"]

    def __str__(self):
        return self.title or self.get_kind_display()


class Charge(PublishedFact):
    # The case, copied from the charge's document, so a case's charges are one indexed read.
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="charges")
    document = models.ForeignKey(ChargingDocument, on_delete=models.CASCADE, related_name="charges")
    defendant = models.ForeignKey(Defendant, on_delete=models.CASCADE, related_name="charges")
    count_number = models.PositiveSmallIntegerField(null=True, blank=True)
    statute = models.CharField(max_length=100, blank=True)
    description = models.CharField(max_length=300)
    category = models.CharField(max_length=20, choices=ChargeCategory)
    disposition = models.CharField(max_length=15, choices=Disposition)
    disposition_date, disposition_date_precision, disposition_date_approximate = (
        partial_date_fields("disposition date")
    )
    sentence = models.CharField(max_length=300, blank=True)

    class Meta:
        default_permissions = ()  # written by publishing alone, never through the admin
        ordering = ["count_number", "id"]

    def __str__(self):
        count = f"Count {self.count_number}: " if self.count_number else ""
        return f"{count}{self.description}"


class CourtEvent(PublishedFact):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="court_events")
    kind = models.CharField(max_length=20, choices=EventKind)
    status = models.CharField(max_length=10, choices=EventStatus)
    date, date_precision, date_approximate = partial_date_fields("date")
    time = models.TimeField(null=True, blank=True)
    court = models.ForeignKey(
        Court, null=True, blank=True, on_delete=models.PROTECT, related_name="court_events"
    )
    place = models.CharField(max_length=200, blank=True)
    country = CountryField(blank=True)
    description = models.TextField(blank=True)

    class Meta:
        default_permissions = ()  # written by publishing alone, never through the admin
        ordering = ["date", "time", "id"]
        indexes = [models.Index(fields=["date", "time", "id"], name="public_event_calendar")]

    def __str__(self):
        when = PartialDate.from_instance(self, "date")
        return f"{self.get_kind_display()}, {when}" if when else self.get_kind_display()


class Appearance(PublishedFact):
    event = models.ForeignKey(CourtEvent, on_delete=models.CASCADE, related_name="appearances")
    defendant = models.ForeignKey(Defendant, on_delete=models.CASCADE, related_name="appearances")
    plea = models.CharField(max_length=12, choices=Plea, blank=True)

    class Meta:
        default_permissions = ()  # written by publishing alone, never through the admin
        ordering = ["id"]

    def __str__(self):
        plea = f": {self.get_plea_display().lower()}" if self.plea else ""
        return f"{self.defendant.person}{plea}"


# Sources cited, the timeline, the log ---------------------------------------------------------


class Citation(PublishedFact):
    """A source cited for a fact, filed under the unit that published it."""

    unit_kind = models.CharField(max_length=12, choices=UnitKind)
    unit_id = models.BigIntegerField()
    # The cited record: its model's label ("cases.charge") and its id.
    record_type = models.CharField(max_length=40)
    record_id = models.BigIntegerField()
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    quote = models.TextField(blank=True)
    page = models.CharField(max_length=50, blank=True)

    class Meta:
        default_permissions = ()  # written by publishing alone, never through the admin
        ordering = ["id"]
        indexes = [
            models.Index(fields=["unit_kind", "unit_id"], name="public_citation_unit"),
            models.Index(fields=["record_type", "record_id"], name="public_citation_record"),
        ]

    def __str__(self):
        return f"{self.record_type} {self.record_id}: {self.source_id}"


class TimelineItem(models.Model):
    """One dated fact, as a timeline shows it, materialized when its unit is published.

    A case's timeline is its items (`case`) and its defendants' custody changes; a person's is
    their own items (`unit_kind` person) and the items of their cases. Items sort by `date`,
    then `rank` (the kind order, causes before their consequences on the same day), then the
    record's id.
    """

    unit_kind = models.CharField(max_length=12, choices=UnitKind)
    unit_id = models.BigIntegerField()
    key = models.CharField(max_length=60, help_text="A stable id, such as “court_event-12”.")
    kind = models.CharField(max_length=25, choices=TimelineKind)
    status = models.CharField(max_length=20, blank=True)
    date, date_precision, date_approximate = partial_date_fields("date")
    rank = models.PositiveSmallIntegerField()
    record_type = models.CharField(max_length=40)
    record_id = models.BigIntegerField()
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.CASCADE, related_name="timeline_items"
    )
    title = models.CharField(max_length=600)
    description = models.TextField(blank=True)
    place = models.CharField(max_length=200, blank=True)
    country = CountryField(blank=True)
    court = models.ForeignKey(
        Court, null=True, blank=True, on_delete=models.PROTECT, related_name="timeline_items"
    )
    # The people the item names, in order (ids of `Person`): their names and slugs are read
    # with the timeline, so they stay references.
    people = models.JSONField(default=list, blank=True)

    class Meta:
        default_permissions = ()  # written by publishing alone, never through the admin
        ordering = ["date", "rank", "record_id", "key"]
        indexes = [
            models.Index(fields=["case", "date", "rank", "record_id"], name="public_timeline_case"),
            models.Index(fields=["unit_kind", "unit_id"], name="public_timeline_unit"),
        ]

    def __str__(self):
        return self.title

    @property
    def when(self) -> PartialDate:
        return PartialDate.from_instance(self, "date")

    @property
    def kind_label(self) -> str:
        return TimelineKind(self.kind).label

    @property
    def country_name(self) -> str:
        return self.country.name if self.country else ""


class VersionAction(models.TextChoices):
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Version(models.Model):
    """The publication log: every publication and withdrawal of a unit, with who and when."""

    unit_kind = models.CharField(max_length=12, choices=UnitKind)
    unit_id = models.BigIntegerField()
    number = models.PositiveIntegerField("version")
    action = models.CharField(max_length=10, choices=VersionAction)
    at = models.DateTimeField("when", db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="by",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    comment = models.TextField(blank=True)

    class Meta:
        default_permissions = ()  # written by publishing alone, never through the admin
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["unit_kind", "unit_id", "-at"], name="public_version_unit")]

    def __str__(self):
        return f"{self.get_unit_kind_display()} {self.unit_id}, version {self.number}"
