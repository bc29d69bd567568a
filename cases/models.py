"""The legal process: courts, cases, defendants, charging documents and charges, court events,
extradition requests, custody, and the sources every fact cites."""

import datetime
import json

from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import Q
from django.urls import reverse
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from casetracker.dates import (
    PartialDate,
    check_date_order,
    date_order_constraint,
    partial_date_constraints,
    partial_date_fields,
)
from casetracker.links import WebURLField, web_url_constraint
from casetracker.publication import Publication, Publishable, PublishableQuerySet
from casetracker.text import FoldedTextField, search_words
from people.models import Alias, Organization, Person

from .choices import (
    PLEA_EVENTS,
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
)

END_BEFORE_START = "The end cannot come before the start."
EARLIEST = datetime.datetime(1, 1, 1, tzinfo=datetime.UTC)


# Sources -------------------------------------------------------------------------------------


class Source(Publishable):
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=SourceKind, default=SourceKind.ARTICLE)
    publisher = models.CharField(max_length=200, blank=True)
    authors = models.CharField(max_length=300, blank=True, help_text="Separate names with commas.")
    publication_date, publication_date_precision, publication_date_approximate = (
        partial_date_fields("publication date")
    )
    url = WebURLField("link", max_length=500, blank=True)
    language = models.CharField(max_length=12, blank=True, help_text="For example “en” or “es”.")
    notes = models.TextField(blank=True, help_text="Licence, archive copy, anything worth knowing.")

    class Meta(Publishable.Meta):
        ordering = ["title", "id"]
        constraints = [
            *partial_date_constraints("publication_date"),
            web_url_constraint("url"),
        ]

    def __str__(self):
        by = f" ({self.publisher})" if self.publisher else ""
        return f"{self.title}{by}"


class RecordsOf(models.Expression):
    """The rows of a generic relation (`content_type`, `object_id`) that point at given records:
    for each kind of record one branch of an `OR`,
    `content_type_id = (SELECT id FROM django_content_type WHERE …) AND object_id IN (…)`.

    PostgreSQL runs each subquery once and reads each branch from the `(content_type,
    object_id)` index, so only the rows asked for are read, whatever the size of the table.
    Written as SQL here rather than as a `Q` of subqueries, which cost more to build than the
    query costs to run.
    """

    conditional = True
    output_field = models.BooleanField()

    def __init__(self, ids_by_kind: dict[tuple[str, str], set]):
        super().__init__()
        self.ids_by_kind = ids_by_kind

    def as_sql(self, compiler, connection):
        quote = connection.ops.quote_name
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        fields = compiler.query.model._meta
        kind = f"{table}.{quote(fields.get_field('content_type').column)}"
        record = f"{table}.{quote(fields.get_field('object_id').column)}"
        content_type = (
            f"(SELECT {quote('id')} FROM {quote(ContentType._meta.db_table)} "
            f"WHERE {quote('app_label')} = %s AND {quote('model')} = %s)"
        )
        branches, params = [], []
        for (app_label, model_name), ids in sorted(self.ids_by_kind.items()):
            ids = sorted(ids)
            placeholders = ", ".join(["%s"] * len(ids))
            branches.append(f"({kind} = {content_type} AND {record} IN ({placeholders}))")
            params.extend([app_label, model_name, *ids])
        return f"({' OR '.join(branches)})", params


class CitationQuerySet(models.QuerySet):
    def published(self):
        """Citations of published sources (the cited record's own state is the caller's)."""
        return self.filter(source__publication="published")

    def of_records(self, records):
        """Citations of `records`, with their sources and the app label and model name of the
        record each cites.

        No ContentType lookup (those are cached per process), so the query count of a page does
        not depend on what ran before it: see `RecordsOf`.
        """
        ids_by_kind: dict[tuple[str, str], set] = {}
        for record in records:
            kind = (record._meta.app_label, record._meta.model_name)
            ids_by_kind.setdefault(kind, set()).add(record.pk)
        if not ids_by_kind:
            return self.none()
        return (
            self.filter(RecordsOf(ids_by_kind))
            .select_related("source")
            .annotate(
                record_app_label=models.F("content_type__app_label"),
                record_model=models.F("content_type__model"),
            )
        )

    def by_record(self, records) -> dict[tuple[str, str, int], list]:
        """Citations of `records` in one query, grouped under each record's `record_key()`."""
        records = list(records)
        wanted = {record_key(record) for record in records}
        found: dict[tuple[str, str, int], list] = {}
        for citation in self.of_records(records):
            key = (citation.record_app_label, citation.record_model, citation.object_id)
            if key in wanted:
                found.setdefault(key, []).append(citation)
        return found


def record_key(record: models.Model) -> tuple[str, str, int]:
    """How `CitationQuerySet.by_record()` files the citations of `record`."""
    return (record._meta.app_label, record._meta.model_name, record.pk)


class Citation(models.Model):
    """One record's citation of one source, with an optional quote or page."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    quote = models.TextField(blank=True, help_text="The words of the source that bear the fact.")
    page = models.CharField(max_length=50, blank=True, help_text="Page, paragraph or timestamp.")

    history = HistoricalRecords()

    objects = CitationQuerySet.as_manager()

    class Meta:
        ordering = ["source__title", "id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="cases_citation_record_idx"),
        ]

    def __str__(self):
        return str(self.source)


# Courts and cases ----------------------------------------------------------------------------


class Court(Publishable):
    name = models.CharField(
        max_length=200,
        help_text="For example “U.S. District Court for the Eastern District of New York”.",
    )
    short_name = models.CharField(max_length=50, blank=True, help_text="For example “E.D.N.Y.”.")
    slug = models.SlugField(max_length=200, unique=True)
    country = CountryField()
    seats = models.CharField(
        max_length=300, blank=True, help_text="Where it sits, e.g. “Brooklyn; Central Islip”."
    )

    class Meta(Publishable.Meta):
        ordering = ["name", "id"]

    def __str__(self):
        return self.short_name or self.name


class OneOf(models.Expression):
    """`column IN (subquery)` for a subquery known to hold few rows.

    PostgreSQL reads it as `column = ANY(ARRAY(subquery))`: the planner then expects a handful
    of values and looks each one up by index, whatever its guess of the subquery's size (a
    guess from column statistics, coarse on a large table, would have it scan the table).
    """

    conditional = True
    output_field = models.BooleanField()

    def __init__(self, column, rows):
        super().__init__()
        self.column, self.rows = column, models.Subquery(rows)

    def get_source_expressions(self):
        return [self.column, self.rows]

    def set_source_expressions(self, expressions):
        self.column, self.rows = expressions

    def as_sql(self, compiler, connection, template="%s IN %s"):
        column, column_params = compiler.compile(self.column)
        rows, rows_params = compiler.compile(self.rows)
        return template % (column, rows), (*column_params, *rows_params)

    def as_postgresql(self, compiler, connection):
        return self.as_sql(compiler, connection, template="%s = ANY(ARRAY%s)")


# How much more checking one case costs than looking up one match (measured on PostgreSQL).
WALK_COST = 3
PAGE = 51  # the longest page a list reads (50 rows and one to know there are more)


def estimated_matches(words: list[str]) -> tuple[list[int], int] | None:
    """PostgreSQL's estimates, from one EXPLAIN (nothing is run), of how many titles, names and
    aliases hold each word, and of how many cases there are; None elsewhere, or when the plan
    does not list them one by one."""
    if connection.vendor != "postgresql" or not words:
        return None
    branches = []
    for word in words:
        branches += [
            Case.objects.filter(search_title__contains=word).values("pk"),
            Person.objects.filter(search_name__contains=word).values("pk"),
            Alias.objects.filter(search_name__contains=word).values("pk"),
        ]
    branches.append(Case.objects.values("pk"))
    branches = [rows.order_by() for rows in branches]
    plan = json.loads(branches[0].union(*branches[1:], all=True).explain(format="json"))
    union = plan[0]["Plan"]
    if union["Node Type"] != "Append" or len(union["Plans"]) != len(branches):
        return None  # a parallel plan reorders the branches and splits their rows
    rows = [branch["Plan Rows"] for branch in union["Plans"]]
    per_word = [sum(rows[n : n + 3]) for n in range(0, len(rows) - 1, 3)]
    return per_word, max(rows[-1], 1)


class CaseQuerySet(PublishableQuerySet):
    def search(self, query: str, *, published: bool = False, strategy: str = "gather"):
        """Cases whose title, or a defendant's name or alias, holds every word of `query`.

        With `published`, only published defendants, people and aliases count (public pages).

        Two ways to find them, with the same result. "gather": the cases matching the rarest
        word are gathered from the folded columns (trigram-indexed on PostgreSQL) and looked up
        by id, then checked for the other words, so the cost follows the number of matches.
        "walk": each case is checked as the list is read in its own order, so a page of a
        common word is found after a few hundred cases, whatever the size of the table (a rare
        word would have it read them all). "auto" lets PostgreSQL's estimates choose; other
        databases gather.
        """
        words = search_words(query)
        if not words:
            return self
        estimates = estimated_matches(words) if strategy == "auto" else None
        if estimates:
            matches, cases = estimates
            share = 1.0
            for found in matches:
                share *= min(found / cases, 1.0)
            walk = share > 0 and WALK_COST * PAGE / share < min(matches)
            strategy = "walk" if walk else "gather"
            rarest = words[matches.index(min(matches))]
        else:
            strategy = "walk" if strategy == "walk" else "gather"
            rarest = max(words, key=len)  # without estimates, the longest word
        defendants = Defendant.objects.published() if published else Defendant.objects.all()
        aliases = Alias.objects.published() if published else Alias.objects.all()
        cases = self
        if strategy == "gather":
            named = Person.objects.filter(search_name__contains=rarest).values("pk")
            known_as = aliases.filter(search_name__contains=rarest).values("person")
            found = [
                Case.objects.filter(search_title__contains=rarest).values("pk"),
                defendants.filter(OneOf(models.F("person"), named.order_by())).values("case"),
                defendants.filter(OneOf(models.F("person"), known_as.order_by())).values("case"),
            ]
            found = [rows.order_by() for rows in found]
            cases = cases.filter(OneOf(models.F("pk"), found[0].union(*found[1:])))
        for n, word in enumerate(words):
            if strategy == "gather" and word == rarest:
                continue
            known_as = aliases.filter(person=models.OuterRef("person"), search_name__contains=word)
            named = (
                defendants.filter(case=models.OuterRef("pk"))
                .alias(known_as=models.Subquery(known_as.order_by().values("pk")[:1]))
                .filter(Q(person__search_name__contains=word) | Q(known_as__isnull=False))
                .order_by()
                .values("pk")[:1]
            )
            # A subquery giving a value, not EXISTS: the database checks it case by case rather
            # than gathering every match up front.
            cases = cases.alias(**{f"named_{n}": models.Subquery(named)}).filter(
                Q(search_title__contains=word) | Q(**{f"named_{n}__isnull": False})
            )
        return cases

    def with_court(self):
        return self.select_related("court")

    def with_defendants(self, *, details: bool = False):
        """Published defendants, each with their person and the person's published aliases.

        With `details`, also each defendant's published custody records (earliest first), the
        appearances where they entered a plea (earliest first) and their published charges.
        """
        # Orderings as the models' own, less the parent each list already belongs to (which
        # would join it just to sort).
        defendants = (
            Defendant.objects.published().select_related("person").order_by("person__name", "id")
        )
        # The defendants are published with their people: what hangs from them checks no more.
        aliases = Alias.objects.published(known=("person",)).order_by("person_id", "name", "id")
        defendants = defendants.prefetch_related(
            models.Prefetch("person__aliases", queryset=aliases)
        )
        if details:
            pleas = (
                Appearance.objects.filter(event__publication=Publication.PUBLISHED)
                .exclude(plea="")
                .exclude(event__status=EventStatus.CANCELLED)
                .select_related("event")
                .order_by(models.F("event__date").asc(nulls_first=True), "event_id", "id")
            )
            custody = CustodyRecord.objects.published(known=("person",)).order_by(
                models.F("start_date").asc(nulls_first=True), "id"
            )
            charges = (
                Charge.objects.published(known=("defendant",))
                .select_related("document__court")
                .order_by(
                    models.F("document__filed_date").asc(nulls_first=True),
                    "document_id",
                    models.F("count_number").asc(nulls_last=True),
                    "id",
                )
            )
            defendants = defendants.prefetch_related(
                models.Prefetch("person__custody_records", queryset=custody),
                models.Prefetch("appearances", queryset=pleas),
                models.Prefetch("charges", queryset=charges),
            )
        return self.prefetch_related(models.Prefetch("defendants", queryset=defendants))

    def with_extraditions(self):
        """Published extradition requests, each with its person, earliest request first."""
        requests = ExtraditionRequest.objects.published().select_related("person")
        requests = requests.order_by(models.F("request_date").asc(nulls_first=True), "id")
        return self.prefetch_related(models.Prefetch("extradition_requests", queryset=requests))

    def with_organizations(self):
        """Published organizations."""
        return self.prefetch_related(
            models.Prefetch("organizations", queryset=Organization.objects.published())
        )


class Case(Publishable):
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True)
    search_title = FoldedTextField(source="title", max_length=300)
    court = models.ForeignKey(
        Court,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
        help_text="The court where the case is prosecuted.",
    )
    docket_number = models.CharField(
        max_length=100, blank=True, help_text="Leave empty when no source gives it."
    )
    status = models.CharField(max_length=15, choices=CaseStatus, default=CaseStatus.CHARGED)
    summary = models.TextField("public summary", blank=True)
    defendant_count = models.PositiveSmallIntegerField(
        "number of defendants",
        null=True,
        blank=True,
        help_text="All defendants, named or not, when sources give the number "
        "(“Crook and 13 others” is 14).",
    )
    organizations = models.ManyToManyField(
        "people.Organization", blank=True, related_name="cases", verbose_name="organizations"
    )
    citations = GenericRelation(Citation, related_query_name="case")

    objects = CaseQuerySet.as_manager()

    class Meta(Publishable.Meta):
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(defendant_count__isnull=True) | Q(defendant_count__gte=1),
                name="%(app_label)s_%(class)s_defendant_count_positive",
                violation_error_message="A case has at least one defendant.",
            ),
        ]
        indexes = [
            # The public lists, most recently updated first: a page is read in index order, and
            # a deep one finds its ids in the index alone (see `public.views.IdPagePaginator`).
            models.Index(
                fields=["-updated_at", "title", "id"],
                condition=Q(publication="published"),
                name="cases_case_latest_idx",
            ),
        ]

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


class Defendant(Publishable):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="defendants")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="defendant_records")
    status = models.CharField(
        "status in the case",
        max_length=15,
        choices=DefendantStatus,
        default=DefendantStatus.CHARGED,
    )
    citations = GenericRelation(Citation, related_query_name="defendant")

    public_parents = ("case", "person")

    class Meta(Publishable.Meta):
        ordering = ["case", "person__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "person"],
                name="%(app_label)s_%(class)s_unique_person",
                violation_error_message="This person is already a defendant in this case.",
            ),
        ]

    def __str__(self):
        return f"{self.person} in {self.case}"


class ChargingDocument(Publishable):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="charging_documents")
    kind = models.CharField(max_length=25, choices=DocumentKind, default=DocumentKind.INDICTMENT)
    title = models.CharField(
        max_length=200, blank=True, help_text="Optional, e.g. “Third superseding indictment”."
    )
    court = models.ForeignKey(
        Court,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="charging_documents",
        help_text="Leave empty when it is the case's own court.",
    )
    filed_date, filed_date_precision, filed_date_approximate = partial_date_fields("filed")
    unsealed_date, unsealed_date_precision, unsealed_date_approximate = partial_date_fields(
        "unsealed"
    )
    document_url = WebURLField("link to the document", max_length=500, blank=True)
    citations = GenericRelation(Citation, related_query_name="charging_document")

    public_parents = ("case",)

    class Meta(Publishable.Meta):
        ordering = ["case", "filed_date", "id"]
        constraints = [
            *partial_date_constraints("filed_date"),
            *partial_date_constraints("unsealed_date"),
            date_order_constraint(
                "filed_date",
                "unsealed_date",
                "unsealed_after_filed",
                "A document cannot be unsealed before it was filed.",
            ),
            web_url_constraint("document_url"),
        ]

    def __str__(self):
        if self.title:
            return self.title
        filed = PartialDate.from_instance(self, "filed_date")
        return f"{self.get_kind_display()} ({filed})" if filed else self.get_kind_display()

    def clean(self):
        check_date_order(
            self,
            "filed_date",
            "unsealed_date",
            "A document cannot be unsealed before it was filed.",
        )


FOREIGN_DEFENDANT = "This defendant belongs to another case than the document."
NOT_A_DEFENDANT_HERE = "This person is not a defendant in this case."


def check_same_case(record: models.Model, parent: str, defendant: str, message: str) -> None:
    """Refuse a `record` whose `defendant` belongs to another case than its `parent` (a charge's
    document, an appearance's event), naming the defendant field.

    Called by `clean()`, for forms and imports, and by `save()`, so that no write path that
    saves a record (the shell, a script, an importer) files a charge or an appearance under the
    wrong case. The database cannot hold this rule portably: it spans two tables, which would
    need a foreign key on (defendant, case) that Django does not offer, or triggers written
    apart for SQLite and PostgreSQL. Bulk writes (`bulk_create`, `update`) bypass `save()`:
    only the synthetic-data generator uses them, and it builds each charge from its own case.
    Costs no query when the related records are loaded, as forms and importers leave them.
    """
    if getattr(record, f"{parent}_id") is None or getattr(record, f"{defendant}_id") is None:
        return
    if getattr(record, parent).case_id != getattr(record, defendant).case_id:
        raise ValidationError({defendant: message})


class Charge(Publishable):
    document = models.ForeignKey(
        ChargingDocument,
        on_delete=models.CASCADE,
        related_name="charges",
        verbose_name="charging document",
    )
    defendant = models.ForeignKey(Defendant, on_delete=models.CASCADE, related_name="charges")
    count_number = models.PositiveSmallIntegerField(
        "count", null=True, blank=True, help_text="Leave empty when the source does not number it."
    )
    statute = models.CharField(
        max_length=200, blank=True, help_text="Citation, e.g. “18 U.S.C. § 2339A”."
    )
    description = models.CharField(max_length=300)
    category = models.CharField(max_length=20, choices=ChargeCategory, default=ChargeCategory.OTHER)
    disposition = models.CharField(max_length=15, choices=Disposition, default=Disposition.PENDING)
    disposition_date, disposition_date_precision, disposition_date_approximate = (
        partial_date_fields("disposition date")
    )
    sentence = models.CharField(max_length=300, blank=True)
    citations = GenericRelation(Citation, related_query_name="charge")

    public_parents = ("document", "document__case", "defendant", "defendant__person")

    class Meta(Publishable.Meta):
        ordering = ["document", "defendant", "count_number", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "defendant", "count_number"],
                name="%(app_label)s_%(class)s_unique_count",
                violation_error_message="This document already has this count number for this "
                "defendant.",
            ),
            models.CheckConstraint(
                condition=Q(count_number__isnull=True) | Q(count_number__gte=1),
                name="%(app_label)s_%(class)s_count_positive",
                violation_error_message="Count numbers start at 1.",
            ),
            *partial_date_constraints("disposition_date"),
        ]

    def __str__(self):
        count = f"Count {self.count_number}: " if self.count_number else ""
        return f"{count}{self.description}"

    def save(self, *args, **kwargs):
        check_same_case(self, "document", "defendant", FOREIGN_DEFENDANT)
        super().save(*args, **kwargs)

    def clean(self):
        check_same_case(self, "document", "defendant", FOREIGN_DEFENDANT)
        if self.disposition == Disposition.PENDING and self.disposition_date:
            raise ValidationError(
                {"disposition_date": "A pending charge has no disposition date yet."}
            )


class CourtEventQuerySet(PublishableQuerySet):
    def with_appearances(self):
        """The published defendants who appeared, each with their person and plea."""
        appearances = Appearance.objects.filter(
            defendant__publication=Publication.PUBLISHED,
            defendant__person__publication=Publication.PUBLISHED,
        ).select_related("defendant__person")
        return self.prefetch_related(models.Prefetch("appearances", queryset=appearances))

    def on_calendar(self):
        """Events a calendar can place: their day is known, and not just roughly."""
        return self.filter(date__isnull=False, date_precision="day", date_approximate=False)


class CourtEvent(Publishable):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="court_events")
    kind = models.CharField(max_length=20, choices=EventKind)
    status = models.CharField(max_length=10, choices=EventStatus, default=EventStatus.HELD)
    date, date_precision, date_approximate = partial_date_fields("date")
    time = models.TimeField(
        null=True, blank=True, help_text="Local time at the court, when it is known."
    )
    court = models.ForeignKey(
        Court,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="court_events",
        help_text="Leave empty when it is the case's own court.",
    )
    place = models.CharField(
        max_length=200, blank=True, help_text="Town or courthouse, e.g. “Central Islip, New York”."
    )
    country = CountryField(blank=True)
    description = models.TextField(blank=True)
    citations = GenericRelation(Citation, related_query_name="court_event")

    objects = CourtEventQuerySet.as_manager()

    public_parents = ("case",)

    class Meta(Publishable.Meta):
        ordering = ["case", "date", "id"]
        constraints = [*partial_date_constraints("date")]
        indexes = [
            # The home page's upcoming hearings: read in date order, only the scheduled ones.
            models.Index(
                fields=["date", "time", "id"],
                condition=Q(status=EventStatus.SCHEDULED),
                name="cases_courtevent_upcoming_idx",
            ),
        ]

    def __str__(self):
        when = PartialDate.from_instance(self, "date")
        return f"{self.get_kind_display()}, {when}" if when else self.get_kind_display()

    def clean(self):
        if self.time and self.date_precision and self.date_precision != "day":
            raise ValidationError({"time": "A time needs a date known to the day."})


class Appearance(models.Model):
    """A defendant's part in a court event, with the plea entered there if any."""

    event = models.ForeignKey(CourtEvent, on_delete=models.CASCADE, related_name="appearances")
    defendant = models.ForeignKey(Defendant, on_delete=models.CASCADE, related_name="appearances")
    plea = models.CharField(max_length=12, choices=Plea, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "defendant", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "defendant"],
                name="%(app_label)s_%(class)s_unique_defendant",
                violation_error_message="This defendant is already listed for this event.",
            ),
        ]

    def __str__(self):
        plea = f": {self.get_plea_display().lower()}" if self.plea else ""
        return f"{self.defendant.person}{plea}"

    def save(self, *args, **kwargs):
        check_same_case(self, "event", "defendant", NOT_A_DEFENDANT_HERE)
        super().save(*args, **kwargs)

    def clean(self):
        check_same_case(self, "event", "defendant", NOT_A_DEFENDANT_HERE)
        if self.plea and self.event_id and self.event.kind not in PLEA_EVENTS:
            raise ValidationError(
                {"plea": "Pleas are entered at an arraignment, initial appearance or plea hearing."}
            )


class ExtraditionRequest(Publishable):
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="extradition_requests"
    )
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="extradition_requests"
    )
    requesting_country = CountryField("requesting state")
    requested_country = CountryField("requested state")
    request_date, request_date_precision, request_date_approximate = partial_date_fields(
        "request date"
    )
    status = models.CharField(
        max_length=12, choices=ExtraditionStatus, default=ExtraditionStatus.PENDING
    )
    decision_date, decision_date_precision, decision_date_approximate = partial_date_fields(
        "decision date"
    )
    deciding_body = models.CharField(max_length=200, blank=True)
    reason = models.TextField(blank=True, help_text="The reason given for the decision, if any.")
    citations = GenericRelation(Citation, related_query_name="extradition_request")

    public_parents = ("person",)

    class Meta(Publishable.Meta):
        ordering = ["person", "request_date", "id"]
        constraints = [
            *partial_date_constraints("request_date"),
            *partial_date_constraints("decision_date"),
            date_order_constraint(
                "request_date",
                "decision_date",
                "decision_after_request",
                "The decision cannot come before the request.",
            ),
            models.CheckConstraint(
                condition=~Q(requesting_country=models.F("requested_country")),
                name="%(app_label)s_%(class)s_two_states",
                violation_error_message="The requesting and requested states must differ.",
            ),
        ]

    def __str__(self):
        return (
            f"Extradition of {self.person} from {self.requested_country.name} "
            f"to {self.requesting_country.name}"
        )

    def clean(self):
        check_date_order(
            self, "request_date", "decision_date", "The decision cannot come before the request."
        )
        if self.requesting_country and self.requesting_country == self.requested_country:
            raise ValidationError(
                {"requested_country": "The requesting and requested states must differ."}
            )


class CustodyRecordQuerySet(PublishableQuerySet):
    def open(self):
        """Records with no end: the periods still running."""
        return self.filter(end_date__isnull=True)

    def current(self):
        """Each person's current custody record (`current_custody` in SQL): the latest open,
        published one, a dated record beating an undated one, then the highest id."""
        latest = (
            CustodyRecord.objects.published()
            .open()
            .filter(person=models.OuterRef("person"))
            .order_by(models.F("start_date").desc(nulls_last=True), "-id")
            .values("pk")[:1]
        )
        return self.filter(pk=models.Subquery(latest))


class CustodyRecord(Publishable):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="custody_records")
    status = models.CharField(max_length=20, choices=CustodyStatus)
    custodian_country = CountryField("custodian state", blank=True)
    custodian = models.CharField(
        "custodian authority", max_length=200, blank=True, help_text="e.g. “Mexican authorities”."
    )
    facility = models.CharField(max_length=200, blank=True)
    place = models.CharField(max_length=200, blank=True)
    start_date, start_date_precision, start_date_approximate = partial_date_fields("from")
    end_date, end_date_precision, end_date_approximate = partial_date_fields("until")
    notes = models.TextField(blank=True)
    citations = GenericRelation(Citation, related_query_name="custody_record")

    objects = CustodyRecordQuerySet.as_manager()

    public_parents = ("person",)

    class Meta(Publishable.Meta):
        ordering = ["person", "start_date", "id"]
        constraints = [
            *partial_date_constraints("start_date"),
            *partial_date_constraints("end_date"),
            date_order_constraint("start_date", "end_date", "end_after_start", END_BEFORE_START),
        ]

    def __str__(self):
        return f"{self.person}: {self.get_status_display()}"

    def clean(self):
        check_date_order(self, "start_date", "end_date", END_BEFORE_START)


def current_custody(records) -> CustodyRecord | None:
    """The latest open record among `records` (already loaded): a person's custody now."""
    running = [record for record in records if record.end_date is None]
    if not running:
        return None
    return max(running, key=lambda r: (r.start_date is not None, r.start_date or 0, r.pk))
