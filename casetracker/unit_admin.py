"""The admin of a unit (case, person, organization, court, source): its review page, where a
researcher sends the whole unit to review and an editor sees what will change for readers and
publishes it, returns it with a comment, or withdraws it; each in one action (see
`casetracker.units`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from casetracker import units, workflow
from casetracker.workflow_admin import plural

# The actions of the review page: (name, button, who may: "change" or "publish").
ACTIONS = {
    "send": ("Send to review", "change", units.send_to_review),
    "publish": ("Publish", "publish", units.publish),
    "return": ("Return to the researcher", "publish", units.return_to_draft),
    "withdraw": ("Withdraw from the public site", "publish", units.withdraw),
}
DONE = {
    "send": "Sent to review: {moved}. An editor will review and publish it.",
    "publish": "Published: {moved}. Readers see it now.",
    "return": "Returned to draft, with your comment: {moved}.",
    "withdraw": "Withdrawn from the public site.",
}


class UnitAdminMixin:
    """Adds the review page (`<id>/review/`) and, on the record's page, the unit's state with a
    link to it."""

    change_form_template = "admin/workflow/unit_change_form.html"

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "<path:object_id>/review/",
                self.admin_site.admin_view(self.unit_review_view),
                name=f"{prefix}_review",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        context = dict(extra_context or {})
        if obj is not None:
            context["unit_state"] = units.state(obj)
            context["unit_state_name"] = units.STATE_NAMES[context["unit_state"]]
        return super().change_view(request, object_id, form_url, extra_context=context)

    def allowed_actions(self, request, obj, review) -> list[tuple[str, str]]:
        """The review page's buttons `request.user` may press now, as (action, label): each
        only when there is something for it to do."""
        can_publish = workflow.can_publish(request.user, self.model)
        can_change = self.has_change_permission(request, obj)
        useful = {
            "send": obj.publication in (units.DRAFT, units.WITHDRAWN) or bool(review.held_back),
            "publish": obj.publication != units.WITHDRAWN and review.changes,
            "return": any(row.publication == units.IN_REVIEW for row in [obj, *review.records()]),
            "withdraw": obj.publication == units.PUBLISHED,
        }
        return [
            (action, name)
            for action, (name, needs, _run) in ACTIONS.items()
            if useful[action] and (can_publish if needs == "publish" else can_change)
        ]

    def may(self, request, action: str) -> bool:
        if ACTIONS[action][1] == "publish":
            return workflow.can_publish(request.user, self.model)
        return self.has_change_permission(request)

    def unit_review_view(self, request, object_id):
        """What publishing the unit now would change for readers, and the actions on it."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        error = None
        note = ""
        if request.method == "POST":
            action = request.POST.get("action", "")
            note = request.POST.get("note", "")
            if action not in ACTIONS:
                error = "Choose one of the buttons below."
            elif not self.may(request, action):
                raise PermissionDenied
            else:
                try:
                    moved = ACTIONS[action][2](obj, request.user, note)
                except (units.UnitRefused, ValidationError) as refused:
                    error = " ".join(getattr(refused, "messages", [str(refused)]))
                else:
                    self.message_user(
                        request,
                        DONE[action].format(moved=plural(len(moved), "record")),
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(request.path)
        review = units.Review.of(obj)
        allowed = dict(self.allowed_actions(request, obj, review))
        state = units.state(obj)
        if state == units.PUBLISHED and review.diff:
            state = "changed"  # records public already, edited since their last publication
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Review “{obj}”",
            "object": obj,
            "review": review,
            "state": state,
            "state_name": units.STATE_NAMES[state],
            "actions": list(allowed.items()),
            "error": error,
            "note": note,
            "needed": [
                (unit, self.admin_url(unit), unit._meta.verbose_name) for unit in review.needed
            ],
        }
        return TemplateResponse(request, "admin/workflow/unit_review.html", context)

    def admin_url(self, record) -> str | None:
        if type(record) not in self.admin_site._registry:
            return None
        opts = record._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
