"""The admin index's lists of units: the editors' review queue and each researcher's own work."""

from django import template
from django.urls import NoReverseMatch, reverse

from casetracker import units, workflow

register = template.Library()


def rows(records) -> list[dict]:
    found = []
    for record in records:
        opts = record._meta
        try:
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_review", args=[record.pk])
        except NoReverseMatch:
            continue
        found.append({"record": record, "kind": opts.verbose_name, "url": url})
    return found


@register.inclusion_tag("admin/workflow/unit_lists.html", takes_context=True)
def unit_lists(context):
    """The review queue (units waiting for an editor, longest waiting first) for those who may
    publish; for everyone, the units they worked on that are not all public."""
    user = context["request"].user
    may_publish = any(workflow.can_publish(user, model) for model in units.unit_models())
    return {
        "queue": rows(units.review_queue()) if may_publish else None,
        "mine": rows(units.work_of(user)),
    }
