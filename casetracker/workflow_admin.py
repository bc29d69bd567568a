"""The research desk's workflow in the admin, mixed into the shared bases in people/admin.py.

- Review: the "publication" select offers only the moves the user may make (casetracker/workflow);
  actions publish, send to review, return to draft and withdraw, refusing what the user may not do
  with the reason; a badge shows each record's state.
- Deleting: researchers delete drafts and records in review only, on the page, in lists and in
  the rows of a parent's page.
- History: each version as "Field: old → new"; an editor reverts to any version (the review
  state stays as it is) and restores deleted records with what was deleted along with them.
- "Why": an optional note on every form, kept in the history with the change.
- Spreadsheets: CSV and XLSX import (with a preview of every row) and export, where the page
  names its `resource_classes`.
- Every save and delete marks the public pages showing the record as updated.
"""

from __future__ import annotations

import base64
import hashlib

from csp.constants import SELF, UNSAFE_HASHES
from csp.decorators import csp_update
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import flatten_fieldsets
from django.contrib.admin.utils import unquote
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX

from casetracker import workflow
from casetracker.history import ReadableHistory, readable_changes
from casetracker.publication import Publication

REASON = "change_reason"
REASON_FIELDSET = (
    "Note for the history",
    {
        "fields": [REASON],
        "description": "Optional: why you made this change, or where it comes from. It is "
        "kept with the change in the record's history.",
    },
)
DELETED_LIST_LIMIT = 200


def inline_hash(source: str) -> str:
    """A Content-Security-Policy source allowing this inline script or style, and no other."""
    return f"'sha256-{base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()}'"


# django-import-export's export page writes a "Select all" handler and two styles inline.
EXPORT_PAGE_CSP = {
    "script-src": [SELF, UNSAFE_HASHES, inline_hash("onSelectToggleChange(event)")],
    "style-src": [
        SELF,
        UNSAFE_HASHES,
        inline_hash("padding: 0;"),
        inline_hash("font-weight: bold;"),
    ],
}


def plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


# Forms -----------------------------------------------------------------------------------------


def review_form(form_class, user):
    """`form_class` with its "publication" select limited to the moves `user` may make."""
    if "publication" not in form_class.base_fields:
        return form_class

    class ReviewForm(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            model = self._meta.model
            self.previous_publication = (
                self.instance.publication if self.instance.pk else Publication.DRAFT
            )
            field = self.fields.get("publication")
            if field is None:
                return
            allowed = workflow.allowed_states(user, model, self.previous_publication)
            field.choices = [choice for choice in Publication.choices if choice[0] in allowed]
            if len(allowed) == 1:
                field.disabled = True
                field.help_text = "Only an editor can change the review state of this record."

        def clean_publication(self):
            target = self.cleaned_data["publication"]
            workflow.check_transition(user, self._meta.model, self.previous_publication, target)
            return target

        def save(self, commit=True):
            if "publication" in self.fields:
                workflow.stamp(self.instance, self.previous_publication, user)
            return super().save(commit)

        @property
        def was_published_now(self) -> bool:
            return (
                self.previous_publication != Publication.PUBLISHED
                and self.instance.publication == Publication.PUBLISHED
            )

    ReviewForm.__name__ = form_class.__name__
    return ReviewForm


def review_formset(formset_class, user):
    """Rows of a parent's page: limited review states, and no deleting what was published."""

    class ReviewFormSet(formset_class):
        form = review_form(formset_class.form, user)

        def add_fields(self, form, index):
            super().add_fields(form, index)
            delete = form.fields.get("DELETE")
            if delete and form.instance.pk and not workflow.can_delete(user, form.instance):
                delete.disabled = True
                delete.help_text = workflow.DELETE_REFUSED

        def clean(self):
            super().clean()
            for form in self.forms:
                if (
                    self.can_delete
                    and self._should_delete_form(form)
                    and form.instance.pk
                    and not workflow.can_delete(user, form.instance)
                ):
                    raise ValidationError(f"“{form.instance}”: {workflow.DELETE_REFUSED}")

    ReviewFormSet.__name__ = formset_class.__name__
    return ReviewFormSet


class WorkflowInlineMixin:
    """For inlines: the rows follow the same review and delete rules as their own pages."""

    def get_formset(self, request, obj=None, **kwargs):
        return review_formset(super().get_formset(request, obj, **kwargs), request.user)


# Actions ---------------------------------------------------------------------------------------

DONE = {
    Publication.PUBLISHED: "published",
    Publication.IN_REVIEW: "sent to review",
    Publication.DRAFT: "returned to draft",
    Publication.WITHDRAWN: "withdrawn from the public site",
}


def move_selected(modeladmin, request, queryset, target: str) -> None:
    """Move the selected records to `target`; say what moved, what not and why."""
    records = list(queryset)
    moved, refused = workflow.set_publication(records, target, request.user)
    if moved:
        modeladmin.message_user(
            request, f"{plural(len(moved), 'record')} {DONE[target]}.", messages.SUCCESS
        )
    reasons: dict[str, list] = {}
    for record, reason in refused:
        reasons.setdefault(reason, []).append(record)
    for reason, records_refused in reasons.items():
        names = ", ".join(f"“{record}”" for record in records_refused[:10])
        more = f" and {len(records_refused) - 10} more" if len(records_refused) > 10 else ""
        modeladmin.message_user(
            request, f"Not {DONE[target]}: {names}{more}. {reason}", messages.WARNING
        )
    if not moved and not refused:
        modeladmin.message_user(
            request, f"Nothing to do: the selected records are {DONE[target]} already."
        )
    if target == Publication.PUBLISHED:
        for warning in modeladmin.publication_warnings(request, moved):
            modeladmin.message_user(request, warning, messages.WARNING)


@admin.action(description="Publish the selected records", permissions=["publish"])
def publish(modeladmin, request, queryset):
    move_selected(modeladmin, request, queryset, Publication.PUBLISHED)


@admin.action(description="Send the selected records to review", permissions=["change"])
def send_to_review(modeladmin, request, queryset):
    move_selected(modeladmin, request, queryset, Publication.IN_REVIEW)


@admin.action(description="Return the selected records to draft", permissions=["change"])
def return_to_draft(modeladmin, request, queryset):
    move_selected(modeladmin, request, queryset, Publication.DRAFT)


@admin.action(
    description="Withdraw the selected records from the public site", permissions=["publish"]
)
def withdraw(modeladmin, request, queryset):
    move_selected(modeladmin, request, queryset, Publication.WITHDRAWN)


REVIEW_ACTIONS = [publish, send_to_review, return_to_draft, withdraw]


# The page mixin --------------------------------------------------------------------------------


class WorkflowAdminMixin(ImportExportMixin):
    """Review, delete rules, readable history with revert and restore, import and export."""

    object_history_list_template = "admin/workflow/history_list.html"
    import_export_change_list_template = "admin/workflow/change_list.html"
    import_template_name = "admin/workflow/import.html"
    formats = [CSV, XLSX]
    to_encoding = "utf-8-sig"  # spreadsheet programs read the accents of a CSV with this mark
    resource_classes = []
    # Facts that must cite a source: publishing one that cites none warns the editor.
    warn_unsourced = False

    @property
    def media(self):
        return super().media + forms.Media(css={"all": ["admin/workflow.css"]})

    # Permissions

    def has_publish_permission(self, request) -> bool:
        return workflow.can_publish(request.user, self.model)

    def has_revert_permission(self, request) -> bool:
        return workflow.can_revert(request.user, self.model)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or workflow.can_delete(request.user, obj)

    def has_import_permission(self, request):
        return bool(self.resource_classes) and (
            self.has_add_permission(request) and self.has_change_permission(request)
        )

    def has_export_permission(self, request):
        return bool(self.resource_classes) and self.has_view_permission(request)

    @method_decorator(csp_update(EXPORT_PAGE_CSP))
    def export_action(self, request):
        return super().export_action(request)

    def process_result(self, result, request):
        """After the confirmation: a file that no longer passes saves nothing, and says so."""
        if result.has_errors() or result.has_validation_errors():
            rows = sorted(
                {row.number for row in result.invalid_rows}
                | {number for number, _ in result.row_errors()}
            )
            self.message_user(
                request,
                f"Nothing was imported: {plural(len(rows), 'row')} ({', '.join(map(str, rows))}) "
                "no longer pass the checks, as the data changed since the preview. Upload the "
                "file again to see why.",
                messages.ERROR,
            )
            info = self.opts.app_label, self.opts.model_name
            return HttpResponseRedirect(reverse("admin:{}_{}_import".format(*info)))
        return super().process_result(result, request)

    def add_success_message(self, result, request):
        totals = result.totals
        self.message_user(
            request,
            f"Imported {totals['new']} new and {totals['update']} changed "
            f"{self.opts.verbose_name_plural}; {totals['skip']} rows were unchanged. New records "
            "are drafts until an editor publishes them.",
            messages.SUCCESS,
        )

    # Lists

    def get_list_display(self, request):
        return [
            "review_state" if name == "publication" else name
            for name in super().get_list_display(request)
        ]

    @admin.display(description="review", ordering="publication")
    def review_state(self, obj):
        return format_html(
            '<span class="review-state review-state-{}">{}</span>',
            obj.publication,
            obj.get_publication_display(),
        )

    # Forms

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (name, {**options, "fields": [f for f in options["fields"] if f != REASON]})
            for name, options in super().get_fieldsets(request, obj)
        ]
        return [*fieldsets, REASON_FIELDSET]

    def get_form(self, request, obj=None, change=False, **kwargs):
        # The note is the form's own field, added below; the model knows nothing of it.
        if "fields" not in kwargs:
            kwargs["fields"] = flatten_fieldsets(self.get_fieldsets(request, obj))
        if kwargs["fields"] is not None:
            kwargs["fields"] = [name for name in kwargs["fields"] if name != REASON]
        form = review_form(super().get_form(request, obj, change=change, **kwargs), request.user)
        reason = forms.CharField(
            label="Why",
            required=False,
            max_length=500,
            widget=forms.TextInput(attrs={"size": 80}),
            help_text="For example “Source gives the date as 8 December” or “Typo”.",
        )
        return type(form.__name__, (form,), {REASON: reason})

    def changeform_view(self, request, *args, **kwargs):
        # The record and its inline rows are saved one by one; `save_formset` and
        # `save_related` touch the pages showing them, once for all.
        with workflow.pages_touched_by_caller():
            return super().changeform_view(request, *args, **kwargs)

    def save_model(self, request, obj, form, change):
        if reason := form.cleaned_data.get(REASON):
            obj._change_reason = reason
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        reason = form.cleaned_data.get(REASON)
        workflow.touch_parents(
            row.instance for row in formset.deleted_forms if row.instance.pk is not None
        )
        for row in formset.forms:
            row.instance._history_user = request.user
            if reason:
                row.instance._change_reason = reason
        super().save_formset(request, form, formset, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        saved = [form.instance]
        published = [form.instance] if getattr(form, "was_published_now", False) else []
        for formset in formsets:
            saved += [*formset.new_objects, *(obj for obj, _ in formset.changed_objects)]
            published += [
                row.instance for row in formset.forms if getattr(row, "was_published_now", False)
            ]
        workflow.touch_parents(saved)
        for warning in self.publication_warnings(request, published):
            self.message_user(request, warning, messages.WARNING)

    def publication_warnings(self, request, records) -> list[str]:
        """What an editor should know about records just published; see `warn_unsourced`."""
        records = [record for record in records if isinstance(record, self.model)]
        if not self.warn_unsourced or not records:
            return []
        unsourced = list(
            self.model.objects.filter(pk__in=[r.pk for r in records], citations__isnull=True)
        )
        if not unsourced:
            return []
        names = "; ".join(f"“{record}”" for record in unsourced[:5])
        return [
            f"Published, but {plural(len(unsourced), 'record')} cite no source yet: {names}. "
            "Add the sources before readers rely on them."
        ]

    def delete_model(self, request, obj):
        workflow.touch_parents([obj])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        workflow.touch_parents(list(queryset))
        super().delete_queryset(request, queryset)

    def get_view_on_site_url(self, obj=None):
        """Drafts open in preview on the public site (staff only); nothing when no page."""
        if obj is None or not hasattr(obj, "get_absolute_url"):
            return None
        try:
            url = obj.get_absolute_url()
        except NoReverseMatch:
            return None
        return url if getattr(obj, "is_published", True) else f"{url}?preview=1"

    # History

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableHistory(self.model, historical_record)

    def revert_disabled(self, request, obj=None):
        return True  # old versions are reverted through `revert_view`, which keeps the state

    def history_view(self, request, object_id, extra_context=None):
        context = {"can_revert": self.has_revert_permission(request), **(extra_context or {})}
        return super().history_view(request, object_id, extra_context=context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied  # read-only: reverting goes through `revert_view`
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/history/<int:version_id>/revert/",
                view(self.revert_view),
                name=f"{prefix}_revert",
            ),
            path("deleted/", view(self.deleted_view), name=f"{prefix}_deleted"),
            path(
                "deleted/<int:version_id>/restore/",
                view(self.restore_view),
                name=f"{prefix}_restore",
            ),
            *super().get_urls(),
        ]

    def workflow_context(self, request, title: str, **context):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "can_revert": self.has_revert_permission(request),
            **context,
        }

    def revert_view(self, request, object_id, version_id):
        """What reverting to a version would change; an editor's button to do it."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        history = self.model.history.model
        version = get_object_or_404(history, history_id=version_id, id=obj.pk)
        latest = obj.history.first()
        history_url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_history", args=[obj.pk]
        )
        error = None
        if request.method == "POST":
            if not self.has_revert_permission(request):
                raise PermissionDenied
            try:
                changed = workflow.revert(
                    obj, version, request.user, reason=request.POST.get(REASON, "")
                )
            except ValidationError as invalid:
                error = " ".join(invalid.messages)
            else:
                if changed:
                    self.message_user(
                        request,
                        f"“{obj}” is back to the version of {when(version)}.",
                        messages.SUCCESS,
                    )
                else:
                    self.message_user(request, "Nothing to revert: it is the same as now.")
                return HttpResponseRedirect(history_url)
        # Each change reads "now (old) → this version (new)": what reverting would do.
        changes = readable_changes(new=version, old=latest) if latest != version else []
        context = self.workflow_context(
            request,
            f"Revert “{obj}” to the version of {when(version)}",
            object=obj,
            version=version,
            changes=changes,
            error=error,
            history_url=history_url,
            reason_field=REASON,
        )
        return TemplateResponse(request, "admin/workflow/revert.html", context)

    def deleted_view(self, request):
        """Records of this kind that were deleted, newest first; editors restore them."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        versions = list(
            workflow.deleted_versions(self.model)
            ._select_related_history_tracked_objs()
            .select_related("history_user")[:DELETED_LIST_LIMIT]
        )
        rows = [(version, describe_deleted(version)) for version in versions]
        context = self.workflow_context(
            request,
            f"Deleted {self.opts.verbose_name_plural}",
            rows=rows,
            limit=DELETED_LIST_LIMIT,
        )
        return TemplateResponse(request, "admin/workflow/deleted.html", context)

    def restore_view(self, request, version_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_revert_permission(request):
            raise PermissionDenied
        deleted_url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_deleted")
        try:
            record, others = workflow.restore(self.model, version_id, request.user)
        except ObjectDoesNotExist as missing:
            raise Http404 from missing
        except ValidationError as invalid:
            self.message_user(request, " ".join(invalid.messages), messages.ERROR)
            return HttpResponseRedirect(deleted_url)
        along = f", with {plural(others, 'record')} deleted along with it" if others else ""
        self.message_user(request, f"Restored “{record}”{along}.", messages.SUCCESS)
        return HttpResponseRedirect(
            reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[record.pk])
        )


def when(version) -> str:
    return f"{timezone.localtime(version.history_date):%d %B %Y, %H:%M}"


def describe_deleted(version) -> str:
    """A deleted record's name, from its last version (related records already loaded)."""
    instance = version.instance
    for field in instance._meta.concrete_fields:
        if field.is_relation and field.is_cached(version):
            related = getattr(version, field.name)
            if related is not None:
                field.set_cached_value(instance, related)
    try:
        return str(instance)
    except ObjectDoesNotExist:
        return f"{instance._meta.verbose_name} number {instance.pk}"
