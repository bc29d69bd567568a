"""The researcher's admin for the legal process: sources, courts, cases and all they hold.

Entering a case from an article, the fastest way (the Crook case, from the seed text):

1. Cases > Add case. Title, court (type "E.D.N.Y."; the + beside the box adds a court), status,
   "number of defendants" 14 ("Crook and 13 other MS13 leaders"). On the same page:
   - Defendants: type "crook" or "canales" in the person box; the + adds a person, with the
     aliases ("Crook") on that same pop-up page.
   - Charging documents: an indictment filed "December 2020".
   - Court events: the initial appearance in Houston ("November 2023", court left empty if it
     is the case's own, place "Houston, Texas") and the arraignment "8 December 2023" in
     "Central Islip, New York".
   - Extradition requests, and Sources (type part of the article title; + adds a source).
2. Save and continue editing. The Charges and Appearances-and-pleas rows now offer the case's
   saved documents, defendants and events (preselected when there is only one): add each count
   ("18 U.S.C. § 2339A", terrorism) and the plea "not guilty" at the arraignment.
3. The person's own page (the link on the defendant row) takes custody history ("arrested",
   Mexico, "9 November 2023"), memberships and extradition requests.
4. Publish: set each record's review state, or tick rows on a list and use "Publish the selected
   records".

Charges and pleas sit two steps below the case (case, document, charge), which Django's admin
cannot nest; they are entered on the case page through `CaseRecordsInline`, whose selects list
only this case's saved documents, defendants and events.
"""

from functools import partial

from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.checks import InlineModelAdminChecks
from django.contrib.admin.options import flatten_fieldsets
from django.contrib.contenttypes.admin import GenericTabularInline
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, OuterRef, Subquery
from django.forms.models import BaseInlineFormSet, BaseModelFormSet, ModelChoiceIterator
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html

from cases.models import (
    Appearance,
    Case,
    Charge,
    ChargingDocument,
    Citation,
    Court,
    CourtEvent,
    CustodyRecord,
    CustodyStatus,
    Defendant,
    ExtraditionRequest,
    Source,
)
from cases.resources import (
    CaseResource,
    ChargeResource,
    CourtEventResource,
    CustodyRecordResource,
    SourceResource,
)
from cases.services import unsourced_facts, unsourced_warnings
from casetracker.unit_admin import UnitAdminMixin
from casetracker.workflow_admin import review_formset
from people import admin as people_admin
from people.admin import (
    REVIEW_FIELDSET,
    PublishableAdmin,
    ResearchAdmin,
    ResearchInlineMixin,
    ResearchStackedInline,
    ResearchTabularInline,
    country_filter,
    partial_date_column,
)
from people.models import Alias, Membership, Organization, Person

# Selects limited to one case -------------------------------------------------------------------

LIMITED_TO_CASE = {
    "document": (ChargingDocument, "charging document"),
    "defendant": (Defendant, "defendant"),
    "event": (CourtEvent, "court event"),
}

SAVE_FIRST = (
    "Choose the {what}. Only this case's saved {what}s are listed: one added on this page "
    "appears here after “Save and continue editing”."
)


class LoadedChoiceIterator(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.loaded:
            yield self.choice(obj)

    def __len__(self):
        return len(self.field.loaded) + (self.field.empty_label is not None)

    def __bool__(self):
        return bool(len(self))


class SameCaseChoiceField(forms.ModelChoiceField):
    """A select over one case's documents, defendants or events, loaded once for all rows."""

    iterator = LoadedChoiceIterator

    def __init__(self, loaded, **kwargs):
        self.loaded = loaded
        model = type(loaded[0]) if loaded else Defendant
        super().__init__(queryset=model.objects.none(), **kwargs)

    def label_from_instance(self, obj):
        return str(obj.person) if isinstance(obj, Defendant) else str(obj)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        for obj in self.loaded:
            if str(obj.pk) == str(value):
                return obj
        raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")


class SameCaseFormSetMixin:
    """Each row's document, defendant and event selects offer only the parent's case's records.

    The choices are loaded once per formset, not once per row.
    """

    def parent_case_id(self):
        parent = self.instance
        if parent is None:
            return None
        return parent.pk if isinstance(parent, Case) else parent.case_id

    @cached_property
    def same_case_choices(self) -> dict[str, list]:
        case_id = self.parent_case_id()
        fk_name = self.fk.name if getattr(self, "fk", None) else None
        choices = {}
        for name, (model, _what) in LIMITED_TO_CASE.items():
            if name not in self.form.base_fields or name == fk_name:
                continue
            rows = model.objects.filter(case_id=case_id) if case_id else model.objects.none()
            if model is Defendant:
                rows = rows.select_related("person")
            choices[name] = list(rows)
        return choices

    def get_unique_error_message(self, unique_check):
        fields = set(unique_check)
        if {"defendant", "count_number"} <= fields:
            return (
                "Two rows give the same count number to the same defendant in the same "
                "charging document. Change or clear one of the count numbers."
            )
        if {"event", "defendant"} <= fields or fields == {"defendant"}:
            return "Two rows list the same defendant at the same court event."
        return super().get_unique_error_message(unique_check)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        new_row = index is None or index >= self.initial_form_count()
        for name, loaded in self.same_case_choices.items():
            what = LIMITED_TO_CASE[name][1]
            current = form.fields[name]
            form.fields[name] = SameCaseChoiceField(
                loaded,
                label=current.label,
                required=current.required,
                help_text=current.help_text,
                initial=loaded[0] if new_row and len(loaded) == 1 else None,
                error_messages={"required": SAVE_FIRST.format(what=what)},
            )


class SameCaseInlineFormSet(SameCaseFormSetMixin, BaseInlineFormSet):
    """Rows under a document, defendant or event: the other selects list that case's records."""


class CaseRecordsFormSet(SameCaseFormSetMixin, BaseModelFormSet):
    """Rows of a case reached through other records (a charge through its document)."""

    case_path = ""

    def __init__(
        self,
        data=None,
        files=None,
        instance=None,
        save_as_new=False,
        prefix=None,
        queryset=None,
        **kwargs,
    ):
        self.instance = instance
        self.save_as_new = save_as_new
        if queryset is None:
            queryset = self.model._default_manager.all()
        if instance is None or instance.pk is None:
            queryset = queryset.none()
        else:
            queryset = queryset.filter(**{self.case_path: instance})
        super().__init__(data, files, prefix=prefix, queryset=queryset, **kwargs)

    def initial_form_count(self):
        return 0 if self.save_as_new else super().initial_form_count()

    @classmethod
    def get_default_prefix(cls):
        return f"case-{cls.model._meta.model_name}s"


class CaseRecordsInlineChecks(InlineModelAdminChecks):
    """These rows reach their case through other records, not through a foreign key."""

    def _check_exclude_of_parent_model(self, obj, parent_model):
        return []

    def _check_relation(self, obj, parent_model):
        return []


class CaseRecordsInline(ResearchTabularInline):
    """Rows entered on the case page that belong to it through other records (`case_path`).

    Django's inlines need a foreign key to the page's record; a charge has one to its document
    and one to its defendant instead. This inline lists the rows whose `case_path` is the case
    and offers only the case's saved documents, defendants and events in their selects.
    """

    checks_class = CaseRecordsInlineChecks
    formset = CaseRecordsFormSet
    case_path = ""

    def get_extra(self, request, obj=None, **kwargs):
        return 1 if obj is not None else 0

    def get_max_num(self, request, obj=None, **kwargs):
        return None if obj is not None else 0  # a new case has nothing to choose from yet

    def get_formset(self, request, obj=None, **kwargs):
        if "fields" in kwargs:
            fields = kwargs.pop("fields")
        else:
            fields = flatten_fieldsets(self.get_fieldsets(request, obj))
        exclude = [*(self.exclude or []), *self.get_readonly_fields(request, obj)] or None
        can_change = self.has_change_permission(request, obj) if request else True
        can_add = self.has_add_permission(request, obj) if request else True

        class PermissionProtectedForm(self.form):
            def has_changed(self):
                if not can_change and not self.instance._state.adding:
                    return False
                if not can_add and self.instance._state.adding:
                    return False
                return super().has_changed()

        formset = forms.modelformset_factory(
            self.model,
            form=PermissionProtectedForm,
            formset=self.formset,
            fields=fields if fields is not None else forms.ALL_FIELDS,
            exclude=exclude,
            formfield_callback=partial(self.formfield_for_dbfield, request=request),
            extra=self.get_extra(request, obj),
            min_num=self.get_min_num(request, obj),
            max_num=self.get_max_num(request, obj),
            can_delete=self.can_delete and self.has_delete_permission(request, obj),
            **kwargs,
        )
        formset.case_path = self.case_path
        return review_formset(formset, request.user)


# Inlines ---------------------------------------------------------------------------------------

CHARGE_FIELDS = [
    "document",
    "defendant",
    "count_number",
    "statute",
    "description",
    "category",
    "disposition",
    "disposition_date",
    "publication",
]


class CitationInline(ResearchInlineMixin, GenericTabularInline):
    model = Citation
    fields = ["source", "quote", "page"]
    autocomplete_fields = ["source"]
    template = "admin/edit_inline/tabular_with_note.html"
    verbose_name = "source"
    verbose_name_plural = "sources"
    note = "The sources this record rests on: type part of a title; the + adds a new source."

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source")


class DefendantInline(ResearchTabularInline):
    model = Defendant
    fields = ["person", "status", "publication"]
    autocomplete_fields = ["person"]
    show_change_link = True
    note = (
        "Type a name or alias (accents do not matter); the + adds a new person. Aliases, "
        "custody and extradition go on the person's page: the pencil beside the name opens it."
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person", "case")


class ChargingDocumentInline(ResearchTabularInline):
    model = ChargingDocument
    fields = ["kind", "title", "filed_date", "unsealed_date", "publication"]
    show_change_link = True
    note = (
        "A document filed in another court than the case's, and the link to a public copy, "
        "go on the document's own page (“Change”, once saved)."
    )


class CourtEventInline(ResearchStackedInline):
    model = CourtEvent
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("kind", "status"),
                    ("date", "time"),
                    ("court", "place", "country"),
                    "description",
                    "publication",
                ]
            },
        )
    ]
    autocomplete_fields = ["court"]
    show_change_link = True
    note = (
        "Hearings held, scheduled or cancelled. Leave the court empty when it is the case's own "
        "court; the place is the town or courthouse (a first appearance may be far away)."
    )


class CaseChargeInline(CaseRecordsInline):
    model = Charge
    fields = [name for name in CHARGE_FIELDS if name not in ("disposition", "disposition_date")]
    verbose_name_plural = "charges"
    show_change_link = True
    case_path = "document__case"
    note = (
        "One row per count against one defendant in one charging document. The lists offer "
        "this case's saved documents and defendants: after adding a new one above, click "
        "“Save and continue editing”, then add its charges. The outcome (disposition, its "
        "date, the sentence) goes on the defendant's page or the charge's own page."
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("document", "defendant__person")


class CasePleaInline(CaseRecordsInline):
    model = Appearance
    fields = ["event", "defendant", "plea"]
    verbose_name = "appearance or plea"
    verbose_name_plural = "appearances and pleas"
    case_path = "event__case"
    note = (
        "Who appeared at which court event, and the plea entered there (at an arraignment, "
        "initial appearance or plea hearing). A court event or defendant added above is listed "
        "after “Save and continue editing”."
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("event", "defendant__person")


EXTRADITION_LINES = [
    ("requesting_country", "requested_country"),
    ("request_date", "status"),
    ("decision_date", "deciding_body"),
    "reason",
    "publication",
]


class CaseExtraditionInline(ResearchStackedInline):
    model = ExtraditionRequest
    fk_name = "case"
    fieldsets = [(None, {"fields": ["person", *EXTRADITION_LINES]})]
    autocomplete_fields = ["person"]
    show_change_link = True
    extra = 0


class DocumentChargeInline(ResearchTabularInline):
    model = Charge
    formset = SameCaseInlineFormSet
    fields = [name for name in CHARGE_FIELDS if name not in ("document", "disposition_date")]
    show_change_link = True
    note = (
        "The defendant list offers the defendants of this document's case. The date of an "
        "outcome goes on the defendant's page or the charge's own page."
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("defendant__person")


class DefendantChargeInline(ResearchTabularInline):
    model = Charge
    formset = SameCaseInlineFormSet
    fields = [name for name in CHARGE_FIELDS if name != "defendant"]
    show_change_link = True
    note = "The document list offers the charging documents of this defendant's case."


class DefendantAppearanceInline(ResearchTabularInline):
    model = Appearance
    formset = SameCaseInlineFormSet
    fields = ["event", "plea"]
    verbose_name = "appearance or plea"
    verbose_name_plural = "appearances and pleas"


class EventAppearanceInline(ResearchTabularInline):
    model = Appearance
    formset = SameCaseInlineFormSet
    fields = ["defendant", "plea"]
    verbose_name = "appearance or plea"
    verbose_name_plural = "appearances and pleas"
    note = "The defendants of this event's case, and the plea each entered here, if any."

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("defendant__person")


class PersonDefendantInline(ResearchTabularInline):
    model = Defendant
    fields = ["case", "status", "publication"]
    autocomplete_fields = ["case"]
    show_change_link = True
    verbose_name = "defendant in a case"
    verbose_name_plural = "defendant in cases"


class CustodyRecordInline(ResearchStackedInline):
    model = CustodyRecord
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("status", "start_date", "end_date"),
                    ("custodian_country", "custodian"),
                    ("facility", "place"),
                    "notes",
                    "publication",
                ]
            },
        )
    ]
    show_change_link = True
    extra = 0
    verbose_name_plural = "custody history"
    note = (
        "One entry per period: arrested, detained, serving a sentence, released, escaped… "
        "Leave “until” empty while it lasts; the latest open period is the custody now."
    )


class PersonExtraditionInline(ResearchStackedInline):
    model = ExtraditionRequest
    fk_name = "person"
    fieldsets = [(None, {"fields": ["case", *EXTRADITION_LINES]})]
    autocomplete_fields = ["case"]
    show_change_link = True
    extra = 0


# People and organizations, with what the legal process adds to their pages ---------------------


def current_custody_status():
    """The status of a person's latest open custody record (as `current_custody()` picks it)."""
    running = CustodyRecord.objects.filter(person=OuterRef("pk"), end_date__isnull=True)
    latest = running.order_by(F("start_date").desc(nulls_last=True), "-pk")
    return Subquery(latest.values("status")[:1])


class CurrentCustodyFilter(admin.SimpleListFilter):
    title = "custody now"
    parameter_name = "custody"
    UNKNOWN = "unknown"

    def lookups(self, request, model_admin):
        return [*CustodyStatus.choices, (self.UNKNOWN, "No custody record")]

    def queryset(self, request, queryset):
        if self.value() == self.UNKNOWN:
            return queryset.filter(current_custody__isnull=True)
        if self.value():
            return queryset.filter(current_custody=self.value())
        return queryset


admin.site.unregister(Person)
admin.site.unregister(Organization)
admin.site.unregister(Alias)
admin.site.unregister(Membership)


@admin.register(Person)
class PersonAdmin(people_admin.PersonAdmin):
    list_display = [*people_admin.PersonAdmin.list_display[:3], "custody_now", "publication"]
    list_filter = [*people_admin.PersonAdmin.list_filter, CurrentCustodyFilter]
    inlines = [
        *people_admin.PersonAdmin.inlines,
        PersonDefendantInline,
        CustodyRecordInline,
        PersonExtraditionInline,
        CitationInline,
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(current_custody=current_custody_status())

    @admin.display(description="custody now", ordering="current_custody")
    def custody_now(self, person):
        status = person.current_custody
        return CustodyStatus(status).label if status else None


@admin.register(Organization)
class OrganizationAdmin(people_admin.OrganizationAdmin):
    inlines = [*people_admin.OrganizationAdmin.inlines, CitationInline]


@admin.register(Alias)
class AliasAdmin(people_admin.AliasAdmin):
    inlines = [CitationInline]


@admin.register(Membership)
class MembershipAdmin(people_admin.MembershipAdmin):
    inlines = [CitationInline]


# Sources ---------------------------------------------------------------------------------------


@admin.register(Source)
class SourceAdmin(UnitAdminMixin, PublishableAdmin):
    list_display = [
        "title",
        "kind",
        "publisher",
        partial_date_column("publication_date", "published"),
        "language",
        "publication",
    ]
    list_filter = ["publication", "kind", "language"]
    search_fields = ["title", "publisher", "authors", "url"]
    search_help_text = "Title, publisher, author or link."
    resource_classes = [SourceResource]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "kind",
                    ("publisher", "authors"),
                    "publication_date",
                    "url",
                    "language",
                    "notes",
                ]
            },
        ),
        REVIEW_FIELDSET,
    ]

    UNSOURCED_LIMIT = 200

    def get_urls(self):
        view = self.admin_site.admin_view(self.unsourced_view)
        return [path("unsourced/", view, name="cases_source_unsourced"), *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        link = {"url": reverse("admin:cases_source_unsourced"), "label": "Facts without a source"}
        return super().changelist_view(request, {"workflow_links": [link], **(extra_context or {})})

    def unsourced_view(self, request):
        """Facts that cite no source, by kind: one query per kind, whatever their number."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        groups = []
        for model, facts in unsourced_facts():
            related = self.admin_site._registry[model].list_select_related or []
            rows = list(
                facts.select_related(*related).order_by("-updated_at", "-pk")[
                    : self.UNSOURCED_LIMIT + 1
                ]
            )
            more = len(rows) > self.UNSOURCED_LIMIT
            groups.append({"opts": model._meta, "rows": rows[: self.UNSOURCED_LIMIT], "more": more})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Facts without a source",
            "groups": groups,
        }
        return TemplateResponse(request, "admin/workflow/unsourced.html", context)


CITED_MODEL_QUERYSETS = [
    Defendant.objects.select_related("person", "case"),
    Membership.objects.select_related("person", "organization"),
    ExtraditionRequest.objects.select_related("person"),
    CustodyRecord.objects.select_related("person"),
]


@admin.register(Citation)
class CitationAdmin(ResearchAdmin):
    """Every citation of every source. Citations are quickest to add from the record's page."""

    list_display = ["source", "record_kind", "record_link", "page"]
    list_filter = [("content_type", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["source", "content_type"]
    search_fields = ["source__title", "quote", "page"]
    autocomplete_fields = ["source"]
    fields = ["source", "content_type", "object_id", "quote", "page"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(GenericPrefetch("record", CITED_MODEL_QUERYSETS))
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "content_type":
            cited = [
                model
                for model in apps.get_models()
                if any(field.name == "citations" for field in model._meta.private_fields)
            ]
            types = ContentType.objects.get_for_models(*cited).values()
            kwargs["queryset"] = ContentType.objects.filter(pk__in=[t.pk for t in types])
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="kind of record", ordering="content_type__model")
    def record_kind(self, citation):
        return citation.content_type.name

    @admin.display(description="record")
    def record_link(self, citation):
        record = citation.record
        if record is None:
            return None
        opts = citation.content_type
        try:
            url = reverse(f"admin:{opts.app_label}_{opts.model}_change", args=[record.pk])
        except NoReverseMatch:
            return str(record)
        return format_html('<a href="{}">{}</a>', url, record)


# Courts and cases ------------------------------------------------------------------------------


@admin.register(Court)
class CourtAdmin(UnitAdminMixin, PublishableAdmin):
    list_display = ["name", "short_name", "country", "seats", "publication"]
    list_filter = ["publication", ("country", country_filter("country"))]
    search_fields = ["name", "short_name", "seats"]
    search_help_text = "Name, short name (“E.D.N.Y.”) or seat."
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "country", "seats"]}),
        REVIEW_FIELDSET,
    ]


@admin.register(Case)
class CaseAdmin(UnitAdminMixin, PublishableAdmin):
    """A case and everything entered with it; the module docstring shows the fastest flow."""

    list_display = [
        "title",
        "court",
        "status",
        "defendants_named",
        "publication",
        "updated_at",
    ]
    list_filter = [
        "publication",
        "status",
        ("court", admin.RelatedOnlyFieldListFilter),
        ("court__country", country_filter("court country")),
    ]
    list_select_related = ["court"]
    search_fields = ["search_title", "docket_number"]
    search_help_text = "Title, docket number, or a defendant's name or alias."
    autocomplete_fields = ["court", "organizations"]
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "court",
                    ("docket_number", "status"),
                    "defendant_count",
                ]
            },
        ),
        ("For readers", {"fields": ["summary", "organizations"]}),
        REVIEW_FIELDSET,
    ]
    inlines = [
        DefendantInline,
        ChargingDocumentInline,
        CaseChargeInline,
        CourtEventInline,
        CasePleaInline,
        CaseExtraditionInline,
        CitationInline,
    ]
    resource_classes = [CaseResource]

    def publication_warnings(self, request, records):
        """Publishing a case whose timeline holds facts without a source warns the editor."""
        return unsourced_warnings(record for record in records if isinstance(record, Case))

    def get_queryset(self, request):
        queryset = super().get_queryset(request).annotate(named_defendants=Count("defendants"))
        return queryset.order_by(*Case._meta.ordering)  # grouped rows lose the default order

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        return queryset.search(term) | queryset.filter(docket_number__icontains=term), False

    @admin.display(description="defendants named", ordering="named_defendants")
    def defendants_named(self, case):
        if case.defendant_count:
            return f"{case.named_defendants} of {case.defendant_count}"
        return case.named_defendants


@admin.register(Defendant)
class DefendantAdmin(PublishableAdmin):
    warn_unsourced = True
    list_display = ["person", "case", "status", "publication"]
    list_filter = ["publication", "status", ("case__court", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["person", "case"]
    search_fields = ["person__search_name", "person__aliases__search_name", "case__search_title"]
    search_help_text = "Person's name or alias, or case title."
    autocomplete_fields = ["person", "case"]
    fieldsets = [(None, {"fields": ["case", "person", "status"]}), REVIEW_FIELDSET]
    inlines = [DefendantChargeInline, DefendantAppearanceInline, CitationInline]

    def get_queryset(self, request):
        # Also for autocomplete, which lists "person in case" (the changelist skips
        # `list_select_related` once the queryset has a select_related of its own).
        return super().get_queryset(request).select_related(*self.list_select_related)


@admin.register(ChargingDocument)
class ChargingDocumentAdmin(PublishableAdmin):
    warn_unsourced = True
    list_display = [
        "__str__",
        "case",
        partial_date_column("filed_date", "filed"),
        partial_date_column("unsealed_date", "unsealed"),
        "publication",
    ]
    list_filter = [
        "publication",
        "kind",
        ("case__court", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["case"]
    search_fields = ["case__search_title", "title"]
    search_help_text = "Case title or document title."
    autocomplete_fields = ["case", "court"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "case",
                    ("kind", "title"),
                    "court",
                    ("filed_date", "unsealed_date"),
                    "document_url",
                ]
            },
        ),
        REVIEW_FIELDSET,
    ]
    inlines = [DocumentChargeInline, CitationInline]


@admin.register(Charge)
class ChargeAdmin(PublishableAdmin):
    resource_classes = [ChargeResource]
    warn_unsourced = True
    list_display = [
        "__str__",
        "defendant_name",
        "case_title",
        "category",
        "disposition",
        "publication",
    ]
    list_filter = [
        "publication",
        "category",
        "disposition",
        ("document__case__court", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["document__case", "defendant__person"]
    search_fields = [
        "description",
        "statute",
        "defendant__person__search_name",
        "document__case__search_title",
    ]
    search_help_text = "Description, statute, defendant or case title."
    autocomplete_fields = ["document", "defendant"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "document",
                    "defendant",
                    ("count_number", "statute"),
                    "description",
                    "category",
                ]
            },
        ),
        ("Outcome", {"fields": ["disposition", "disposition_date", "sentence"]}),
        REVIEW_FIELDSET,
    ]
    inlines = [CitationInline]

    @admin.display(description="defendant", ordering="defendant__person__name")
    def defendant_name(self, charge):
        return str(charge.defendant.person)

    @admin.display(description="case", ordering="document__case__title")
    def case_title(self, charge):
        return charge.document.case.title


@admin.register(CourtEvent)
class CourtEventAdmin(PublishableAdmin):
    resource_classes = [CourtEventResource]
    warn_unsourced = True
    list_display = [
        "kind",
        partial_date_column("date", "date"),
        "status",
        "case",
        "court_shown",
        "publication",
    ]
    list_filter = [
        "publication",
        "kind",
        "status",
        ("court", admin.RelatedOnlyFieldListFilter),
        ("country", country_filter("country")),
    ]
    list_select_related = ["case__court", "court"]
    search_fields = ["case__search_title", "place", "description"]
    search_help_text = "Case title, place or description."
    autocomplete_fields = ["case", "court"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "case",
                    ("kind", "status"),
                    ("date", "time"),
                    "court",
                    ("place", "country"),
                    "description",
                ]
            },
        ),
        REVIEW_FIELDSET,
    ]
    inlines = [EventAppearanceInline, CitationInline]

    @admin.display(description="court")
    def court_shown(self, event):
        """The event's own court, else the case's."""
        return event.court or event.case.court


@admin.register(Appearance)
class AppearanceAdmin(ResearchAdmin):
    list_display = ["defendant_name", "event", "case_title", "plea"]
    list_filter = ["plea", "event__kind"]
    list_select_related = ["event__case", "defendant__person"]
    search_fields = ["defendant__person__search_name", "event__case__search_title"]
    search_help_text = "Defendant's name or case title."
    autocomplete_fields = ["event", "defendant"]
    fields = ["event", "defendant", "plea"]

    @admin.display(description="defendant", ordering="defendant__person__name")
    def defendant_name(self, appearance):
        return str(appearance.defendant.person)

    @admin.display(description="case", ordering="event__case__title")
    def case_title(self, appearance):
        return appearance.event.case.title


@admin.register(ExtraditionRequest)
class ExtraditionRequestAdmin(PublishableAdmin):
    warn_unsourced = True
    list_display = [
        "person",
        "route",
        "status",
        partial_date_column("request_date", "requested"),
        partial_date_column("decision_date", "decided"),
        "publication",
    ]
    list_filter = [
        "publication",
        "status",
        ("requesting_country", country_filter("requesting state")),
        ("requested_country", country_filter("requested state")),
    ]
    list_select_related = ["person", "case"]
    search_fields = [
        "person__search_name",
        "person__aliases__search_name",
        "case__search_title",
        "deciding_body",
    ]
    search_help_text = "Person's name or alias, case title or deciding body."
    autocomplete_fields = ["person", "case"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "person",
                    "case",
                    ("requesting_country", "requested_country"),
                    "request_date",
                ]
            },
        ),
        ("Decision", {"fields": ["status", "decision_date", "deciding_body", "reason"]}),
        REVIEW_FIELDSET,
    ]
    inlines = [CitationInline]

    @admin.display(description="from, to")
    def route(self, request):
        return f"{request.requested_country.name} to {request.requesting_country.name}"


class StillRunningFilter(admin.SimpleListFilter):
    title = "period"
    parameter_name = "running"

    def lookups(self, request, model_admin):
        return [("yes", "Still running (no end)"), ("no", "Ended")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.open()
        if self.value() == "no":
            return queryset.filter(end_date__isnull=False)
        return queryset


@admin.register(CustodyRecord)
class CustodyRecordAdmin(PublishableAdmin):
    resource_classes = [CustodyRecordResource]
    warn_unsourced = True
    list_display = [
        "person",
        "status",
        "custodian_country",
        partial_date_column("start_date", "from"),
        partial_date_column("end_date", "until"),
        "publication",
    ]
    list_filter = [
        "publication",
        "status",
        ("custodian_country", country_filter("custodian state")),
        StillRunningFilter,
    ]
    list_select_related = ["person"]
    search_fields = [
        "person__search_name",
        "person__aliases__search_name",
        "custodian",
        "facility",
        "place",
    ]
    search_help_text = "Person's name or alias, custodian, facility or place."
    autocomplete_fields = ["person"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "person",
                    "status",
                    ("custodian_country", "custodian"),
                    ("facility", "place"),
                    ("start_date", "end_date"),
                    "notes",
                ]
            },
        ),
        REVIEW_FIELDSET,
    ]
    inlines = [CitationInline]
