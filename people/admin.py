"""The researcher's admin for people and organizations, and the base every admin page shares.

Shared by every page (the `cases` admin builds on these too):
- each partial date is one input: "December 2020", a precision and an "approximately" box;
- every record keeps a history of who changed what and why, with a way back (simple-history);
- every public-facing record shows its review state; publishing stamps who published it and when;
- what each role may do (review moves, deleting, reverting, restoring) and spreadsheet import and
  export come from casetracker/workflow_admin.py.
"""

from django.contrib import admin
from django.contrib.admin.widgets import (
    AdminTextareaWidget,
    FilteredSelectMultiple,
    RelatedFieldWidgetWrapper,
)
from django.db import models
from django_countries.fields import CountryField
from django_countries.filters import CountryFilter
from simple_history.admin import SimpleHistoryAdmin

from casetracker.dates import PartialDate, PartialDateModelForm
from casetracker.text import fold
from casetracker.unit_admin import UnitAdminMixin
from casetracker.workflow_admin import REVIEW_ACTIONS, WorkflowAdminMixin, WorkflowInlineMixin
from people.models import Alias, Membership, Organization, OrganizationAlias, Person
from people.resources import AliasResource, OrganizationResource, PersonResource

ADMIN_CSS = {"all": ["admin/partial_date.css", "admin/research.css"]}

REVIEW_FIELDSET = (
    "Review and publication",
    {
        "fields": ["publication", ("published_at", "published_by"), ("created_at", "updated_at")],
        "description": "Nothing appears on the public site or in the API until it is published.",
    },
)
REVIEW_READONLY = ["published_at", "published_by", "created_at", "updated_at"]


# Columns and filters ---------------------------------------------------------------------------


def partial_date_column(name: str, description: str):
    """A changelist column showing a partial date as "December 2020", sorted as a date."""

    @admin.display(description=description, ordering=name)
    def column(obj):
        return PartialDate.from_instance(obj, name)

    column.__name__ = name
    return column


def country_names(countries) -> str:
    """ "El Salvador, United States of America" for a multiple country field."""
    return ", ".join(country.name for country in countries)


def country_filter(title: str):
    """A filter listing only the countries the rows use, under a plain title."""

    class NamedCountryFilter(CountryFilter):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.title = title  # the base class names the filter after the field

        def lookup_choices(self, changelist):
            # The countries listed first in forms (COUNTRIES_FIRST) come again in the A-Z list.
            return dict(super().lookup_choices(changelist)).items()

    return NamedCountryFilter


class CountryPicker(FilteredSelectMultiple):
    """Django's two-box picker (filter, choose, remove) for a field holding several countries."""

    template_name = "admin/widgets/country_picker.html"


# Review, permissions, history and spreadsheets: see casetracker/workflow_admin.py ------------


# Bases -------------------------------------------------------------------------------------------


class ResearchFormMixin:
    """Partial dates as one input, multi-country fields as a two-box picker, and no button
    beside a select that deletes the court or person it names."""

    form = PartialDateModelForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    related_buttons = {"can_delete_related": False}

    class Media:
        css = ADMIN_CSS

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, CountryField) and db_field.multiple:
            kwargs.setdefault("widget", CountryPicker(db_field.verbose_name, is_stacked=False))
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and isinstance(formfield.widget, RelatedFieldWidgetWrapper):
            for name, value in self.related_buttons.items():
                setattr(formfield.widget, name, value)
        return formfield


class ResearchAdmin(ResearchFormMixin, WorkflowAdminMixin, SimpleHistoryAdmin):
    """Base of every researcher's page: partial dates as one input, history with a way back,
    the review and delete rules of each role, spreadsheet import and export."""

    list_per_page = 50
    search_help_text = "Accents and capitals do not matter."

    def get_search_results(self, request, queryset, search_term):
        """Search the words as typed and folded, so that folded columns match "elmer"."""
        results, duplicates = super().get_search_results(request, queryset, search_term)
        folded = fold(search_term)
        if folded and folded != search_term:
            more, more_duplicates = super().get_search_results(request, queryset, folded)
            results, duplicates = results | more, duplicates or more_duplicates
        return results, duplicates


class PublishableAdmin(ResearchAdmin):
    """A page for a record with a review state: badge, filter, actions and stamping."""

    actions = REVIEW_ACTIONS
    readonly_fields = REVIEW_READONLY

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:  # nothing to show yet about who published it and when
            fieldsets = [
                (REVIEW_FIELDSET[0], {**REVIEW_FIELDSET[1], "fields": ["publication"]})
                if fieldset == REVIEW_FIELDSET
                else fieldset
                for fieldset in fieldsets
            ]
        return fieldsets


class ResearchInlineMixin(WorkflowInlineMixin, ResearchFormMixin):
    """Inline rows: one empty row ready to fill, short text boxes, an optional note on top."""

    extra = 1
    note = ""
    formfield_overrides = {
        **ResearchFormMixin.formfield_overrides,
        models.TextField: {"widget": AdminTextareaWidget(attrs={"rows": 2, "cols": 30})},
    }


class ResearchTabularInline(ResearchInlineMixin, admin.TabularInline):
    template = "admin/edit_inline/tabular_with_note.html"


class ResearchStackedInline(ResearchInlineMixin, admin.StackedInline):
    template = "admin/edit_inline/stacked_with_note.html"

    def get_extra(self, request, obj=None, **kwargs):
        """An empty block ready on a new record only: once saved, "Add another" makes one."""
        return self.extra if obj is None else 0


# Inlines -----------------------------------------------------------------------------------------


class AliasInline(ResearchTabularInline):
    model = Alias
    fields = ["name", "kind", "language", "start_date", "end_date", "publication"]
    note = "Every other name sources use: search finds the person by any of them."


class PersonMembershipInline(ResearchTabularInline):
    model = Membership
    fields = ["organization", "role", "start_date", "end_date", "publication"]
    autocomplete_fields = ["organization"]
    verbose_name_plural = "memberships"


class OrganizationMembershipInline(ResearchTabularInline):
    model = Membership
    fields = ["person", "role", "start_date", "end_date", "publication"]
    autocomplete_fields = ["person"]
    verbose_name_plural = "members"


class OrganizationAliasInline(ResearchTabularInline):
    model = OrganizationAlias
    fields = ["name", "publication"]
    note = "Other names and spellings, e.g. “MS-13”, “Mara Salvatrucha”."


class ChildOrganizationInline(ResearchTabularInline):
    model = Organization
    fk_name = "parent"
    fields = ["name", "kind", "publication"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = "parts of this organization"
    note = "To add one, open the part's own page and choose this organization as “part of”."

    def has_add_permission(self, request, obj=None):
        return False


# Pages -------------------------------------------------------------------------------------------


@admin.register(Person)
class PersonAdmin(UnitAdminMixin, PublishableAdmin):
    list_display = ["name_column", "alias_names", "nationality_names", "publication", "updated_at"]
    list_filter = ["publication", ("nationalities", country_filter("nationality")), "name_is_alias"]
    search_fields = ["search_name"]
    search_help_text = "Name or any alias; accents and capitals do not matter."
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "name_is_alias", "slug", ("given_name", "family_name")]}),
        ("About", {"fields": ["birth_date", "nationalities", "summary"]}),
        REVIEW_FIELDSET,
    ]
    inlines = [AliasInline, PersonMembershipInline]
    resource_classes = [PersonResource]

    def get_queryset(self, request):
        return super().get_queryset(request).with_aliases()

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.search(search_term), False

    @admin.display(description="name", ordering="name")
    def name_column(self, person):
        return str(person)

    @admin.display(description="aliases")
    def alias_names(self, person):
        return ", ".join(alias.name for alias in person.aliases.all())

    @admin.display(description="nationalities")
    def nationality_names(self, person):
        return country_names(person.nationalities)


@admin.register(Alias)
class AliasAdmin(PublishableAdmin):
    list_display = ["name", "person", "kind", "language", "publication"]
    resource_classes = [AliasResource]
    warn_unsourced = True
    list_filter = ["publication", "kind"]
    list_select_related = ["person"]
    search_fields = ["search_name", "person__search_name"]
    autocomplete_fields = ["person"]
    fieldsets = [
        (None, {"fields": ["person", "name", "kind", "language", ("start_date", "end_date")]}),
        REVIEW_FIELDSET,
    ]


@admin.register(Organization)
class OrganizationAdmin(UnitAdminMixin, PublishableAdmin):
    list_display = ["name", "alias_names", "kind", "parent", "country_names", "publication"]
    list_filter = ["publication", "kind", ("countries", country_filter("country"))]
    list_select_related = ["parent"]
    search_fields = ["search_name"]
    search_help_text = "Name or any other name; accents and capitals do not matter."
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "parent", "countries", "summary"]}),
        REVIEW_FIELDSET,
    ]
    inlines = [OrganizationAliasInline, OrganizationMembershipInline, ChildOrganizationInline]
    resource_classes = [OrganizationResource]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("aliases")

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.search(search_term), False

    @admin.display(description="other names")
    def alias_names(self, organization):
        return ", ".join(alias.name for alias in organization.aliases.all())

    @admin.display(description="countries")
    def country_names(self, organization):
        return country_names(organization.countries)


@admin.register(OrganizationAlias)
class OrganizationAliasAdmin(PublishableAdmin):
    list_display = ["name", "organization", "publication"]
    list_filter = ["publication"]
    list_select_related = ["organization"]
    search_fields = ["search_name", "organization__search_name"]
    autocomplete_fields = ["organization"]
    fieldsets = [(None, {"fields": ["organization", "name"]}), REVIEW_FIELDSET]


@admin.register(Membership)
class MembershipAdmin(PublishableAdmin):
    list_display = [
        "person",
        "organization",
        "role",
        partial_date_column("start_date", "from"),
        partial_date_column("end_date", "until"),
        "publication",
    ]
    list_filter = ["publication", ("organization", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["person", "organization"]
    warn_unsourced = True
    search_fields = ["person__search_name", "organization__search_name", "role"]
    autocomplete_fields = ["person", "organization"]
    fieldsets = [
        (None, {"fields": ["person", "organization", "role", ("start_date", "end_date")]}),
        REVIEW_FIELDSET,
    ]
