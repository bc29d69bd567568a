"""The research desk's workflow: review and publishing, reverting and restoring, "last updated".

Every write path — admin forms and actions, imports, scripts — goes through these functions, so
the rules live in one place. (They sit in the project package because both apps use them, and
`people` may not import `cases`.)

Review states, and who may move a record from one to another:

    from \\ to      draft        in review     published     withdrawn
    draft            -           researcher    editor        refused
    in review      researcher       -          editor        refused
    published      refused       refused         -           editor
    withdrawn      editor        editor        editor          -

A researcher is anyone with the model's "change" permission; an editor also has its "publish"
permission (see casetracker/roles.py). Editors may make every researcher's move too. A published
record leaves the public site by being withdrawn, never by going back to draft, so that its
history says it was withdrawn; only published records can be withdrawn.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar

from django.apps import apps
from django.contrib.auth import get_permission_codename
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from casetracker.publication import Publication

DRAFT, IN_REVIEW = Publication.DRAFT, Publication.IN_REVIEW
PUBLISHED, WITHDRAWN = Publication.PUBLISHED, Publication.WITHDRAWN

# (from, to) → the permission action the move needs. Moves not listed are refused for everyone.
TRANSITIONS = {
    (DRAFT, IN_REVIEW): "change",
    (IN_REVIEW, DRAFT): "change",
    (DRAFT, PUBLISHED): "publish",
    (IN_REVIEW, PUBLISHED): "publish",
    (PUBLISHED, WITHDRAWN): "publish",
    (WITHDRAWN, PUBLISHED): "publish",
    (WITHDRAWN, IN_REVIEW): "publish",
    (WITHDRAWN, DRAFT): "publish",
}

CHANGE_REASONS = {
    DRAFT: "Returned to draft",
    IN_REVIEW: "Sent to review",
    PUBLISHED: "Published",
    WITHDRAWN: "Withdrawn from the public site",
}


# Permissions ---------------------------------------------------------------------------------


def has_action(user, model: type[models.Model], action: str) -> bool:
    """Whether `user` holds the model's permission for `action` ("change", "publish", ...)."""
    opts = model._meta
    return bool(user) and user.has_perm(f"{opts.app_label}.{get_permission_codename(action, opts)}")


def can_publish(user, model: type[models.Model]) -> bool:
    return has_action(user, model, "publish")


def can_revert(user, model: type[models.Model]) -> bool:
    return has_action(user, model, "revert")


def was_public(record: models.Model) -> bool:
    """Published now, or withdrawn after being published: deleting it is an editor's call."""
    return getattr(record, "publication", DRAFT) in (PUBLISHED, WITHDRAWN)


def can_delete(user, record: models.Model) -> bool:
    """Researchers delete drafts and records in review; editors delete anything."""
    model = type(record)
    if not has_action(user, model, "delete"):
        return False
    return not was_public(record) or can_publish(user, model)


DELETE_REFUSED = "Only an editor can delete a record that has been published."


# Review and publishing -----------------------------------------------------------------------


def transition_error(user, model: type[models.Model], current: str, target: str) -> str | None:
    """Why `user` may not move a `model` record from `current` to `target`; None when they may."""
    if current == target:
        return None
    needed = TRANSITIONS.get((current, target))
    if needed is None:
        if current == PUBLISHED:
            return (
                "A published record leaves the public site by being withdrawn. "
                "Withdraw it first; then it can go back to draft or review."
            )
        return "Only a published record can be withdrawn."
    if has_action(user, model, needed):
        return None
    if needed == "change":
        return "You do not have permission to change this record."
    if target == PUBLISHED:
        return "Only an editor can publish. Send it to review and an editor will publish it."
    if target == WITHDRAWN:
        return "Only an editor can withdraw a published record."
    return "Only an editor can take a withdrawn record back to draft or review."


def allowed_states(user, model: type[models.Model], current: str) -> list[str]:
    """The states `user` may choose for a `model` record now in `current`, `current` included."""
    return [
        state
        for state in Publication.values
        if state == current or transition_error(user, model, current, state) is None
    ]


def check_transition(user, model: type[models.Model], current: str, target: str) -> None:
    """Raise a ValidationError with the reason when the move is not allowed."""
    message = transition_error(user, model, current, target)
    if message:
        raise ValidationError(message, code="transition_refused")


def stamp(record: models.Model, previous: str | None, user) -> None:
    """Record who published `record` and when, as it becomes published (before it is saved)."""
    if record.publication == PUBLISHED and previous != PUBLISHED:
        record.published_at = timezone.now()
        record.published_by = user if user and user.is_authenticated else None


def set_publication(records: Iterable[models.Model], target: str, user, *, reason: str = ""):
    """Move each record to `target` where `user` may; returns (moved, refused).

    `refused` pairs each refused record with the reason. Each move is saved on its own so that it
    lands in the record's history, with `user` and `reason`; the pages showing the moved records
    are marked updated once at the end.
    """
    moved, refused = [], []
    with transaction.atomic(), pages_touched_by_caller():
        for record in records:
            message = transition_error(user, type(record), record.publication, target)
            if message:
                refused.append((record, message))
                continue
            if record.publication == target:
                continue
            previous, record.publication = record.publication, target
            stamp(record, previous, user)
            save_with_history(record, user, reason or CHANGE_REASONS[target])
            moved.append(record)
        touch_parents(moved)
    return moved, refused


def save_with_history(record: models.Model, user, reason: str = "", **save_kwargs) -> None:
    """Save `record` so that its history names `user` (when there is one) and `reason`."""
    if user is not None and user.is_authenticated:
        record._history_user = user
    if reason:
        record._change_reason = reason
    record.save(**save_kwargs)


# "Last updated" ------------------------------------------------------------------------------

# The pages each kind of record appears on, as (page model, path from the page to the record).
# A change to a record moves the "last updated" time of every page showing it.
SHOWN_ON = {
    "people.person": [("cases.case", "defendants__person")],
    "people.alias": [("people.person", "aliases"), ("cases.case", "defendants__person__aliases")],
    "people.organization": [
        ("people.organization", "children"),
        ("people.person", "memberships__organization"),
        ("cases.case", "organizations"),
    ],
    "people.organizationalias": [("people.organization", "aliases")],
    "people.membership": [("people.person", "memberships"), ("people.organization", "memberships")],
    "cases.court": [("cases.case", "court")],
    "cases.case": [("people.person", "defendant_records__case"), ("people.organization", "cases")],
    "cases.defendant": [("cases.case", "defendants"), ("people.person", "defendant_records")],
    "cases.chargingdocument": [
        ("cases.case", "charging_documents"),
        ("people.person", "defendant_records__case__charging_documents"),
    ],
    "cases.charge": [
        ("cases.case", "charging_documents__charges"),
        ("people.person", "defendant_records__charges"),
    ],
    "cases.courtevent": [
        ("cases.case", "court_events"),
        ("people.person", "defendant_records__appearances__event"),
    ],
    "cases.appearance": [
        ("cases.case", "court_events__appearances"),
        ("people.person", "defendant_records__appearances"),
    ],
    "cases.extraditionrequest": [
        ("people.person", "extradition_requests"),
        ("cases.case", "extradition_requests"),
    ],
    "cases.custodyrecord": [
        ("people.person", "custody_records"),
        ("cases.case", "defendants__person__custody_records"),
    ],
}
CHUNK = 500  # ids per UPDATE, well under SQLite's limit on query parameters


def touch_parents(records: Iterable[models.Model]) -> None:
    """Move the "last updated" time of every page that shows one of `records`.

    Call it after saving and before deleting (the pages are found through the records). One
    UPDATE per kind of page whatever the number of records; a citation counts as a change to the
    record it supports, and a source as a change to every record citing it.
    """
    ids: dict[type[models.Model], set] = defaultdict(set)
    for record in records:
        if record.pk is not None:
            ids[record._meta.concrete_model].add(record.pk)
    touch_pages(ids)


def touch_pages(ids: dict[type[models.Model], set]) -> None:
    """`touch_parents` for primary keys grouped by model, when the records are not loaded."""
    now = timezone.now()
    cited = _cited_records(ids)
    for model, pks in cited.items():
        if any(field.name == "updated_at" for field in model._meta.concrete_fields):
            _update(model, "pk", pks, now)
    shown: dict[type[models.Model], set] = defaultdict(set)
    for group in (ids, cited):
        for model, pks in group.items():
            shown[model] |= pks
    for model, pks in shown.items():
        for page_label, path in SHOWN_ON.get(model._meta.label_lower, []):
            _update(apps.get_model(page_label), path, pks, now)


def _cited_records(ids) -> dict[type[models.Model], set]:
    """The records that the citations and sources among `ids` support, grouped by model."""
    Citation = apps.get_model("cases", "Citation")
    condition = models.Q(pk__in=[])
    if ids.get(Citation):
        condition |= models.Q(pk__in=ids[Citation])
    if ids.get(apps.get_model("cases", "Source")):
        condition |= models.Q(source__in=ids[apps.get_model("cases", "Source")])
    found: dict[type[models.Model], set] = defaultdict(set)
    if len(condition.children) == 1:
        return found
    for content_type_id, object_id in Citation.objects.filter(condition).values_list(
        "content_type_id", "object_id"
    ):
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is not None:
            found[model].add(object_id)
    return found


_CALLER_TOUCHES: ContextVar[bool] = ContextVar("caller_touches_pages", default=False)


@contextmanager
def pages_touched_by_caller():
    """Within, a save leaves the pages showing its record alone: the caller touches them once
    for all its records (as the admin, the importers and `set_publication` do), so that a
    hundred rows cost one UPDATE per kind of page rather than a hundred. Deletes still touch at
    once, while their pages can be found."""
    token = _CALLER_TOUCHES.set(True)
    try:
        yield
    finally:
        _CALLER_TOUCHES.reset(token)


def keep_pages_current(sender, instance, raw=False, signal=None, **kwargs) -> None:
    """`touch_parents` on every save (after it) and delete (before it, while the pages can still
    be found), wherever it comes from, so that a script or a shell session moves the pages as
    the admin does. Not for fixtures (`raw`), which bring their own times, nor for saves inside
    `pages_touched_by_caller()`."""
    if raw or (signal is models.signals.post_save and _CALLER_TOUCHES.get()):
        return
    touch_parents([instance])


def connect_page_updates() -> None:
    """Connect `keep_pages_current` to every model shown on a page, citations and sources."""
    labels = {*SHOWN_ON, "cases.citation", "cases.source"}
    for label in labels:
        model = apps.get_model(label)
        uid = f"keep-pages-current-{label}"
        models.signals.post_save.connect(keep_pages_current, sender=model, dispatch_uid=uid)
        models.signals.pre_delete.connect(keep_pages_current, sender=model, dispatch_uid=uid)


def _update(model: type[models.Model], path: str, pks: set, now: datetime.datetime) -> None:
    pks = sorted(pks)
    for start in range(0, len(pks), CHUNK):
        lookup = "pk__in" if path == "pk" else f"{path}__in"
        model.objects.filter(**{lookup: pks[start : start + CHUNK]}).update(updated_at=now)


# History: revert and restore -----------------------------------------------------------------

# Reverting puts back what a record said, not whether it is public or who published it.
NOT_REVERTED = {"publication", "published_at", "published_by", "created_at", "updated_at"}
RESTORE_WINDOW = datetime.timedelta(minutes=1)


def revert(record: models.Model, version, user, *, reason: str = "") -> list[str]:
    """Put back the values `record` had in `version` (one of its historical records).

    The review state stays as it is now. Returns the names of the fields that changed; nothing is
    saved when none did.
    """
    model = record._meta.concrete_model
    if not can_revert(user, model):
        raise PermissionDenied("Only an editor can revert a change.")
    if version.id != record.pk or version.instance_type is not model:
        raise ValueError("This version belongs to another record.")
    old = version.instance
    changed = []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name in NOT_REVERTED:
            continue
        value = getattr(old, field.attname)
        if getattr(record, field.attname) != value:
            setattr(record, field.attname, value)
            changed.append(field.name)
    if not changed:
        return []
    try:
        record.full_clean(exclude=[f.name for f in model._meta.fields if f.name not in changed])
    except ValidationError as error:
        raise ValidationError(
            f"This version cannot be put back as it is: {'; '.join(error.messages)}"
        ) from error
    when = timezone.localtime(version.history_date)
    with transaction.atomic():
        save_with_history(
            record, user, reason or f"Reverted to the version of {when:%d %b %Y %H:%M}"
        )
        touch_parents([record])
    return changed


def deleted_versions(model: type[models.Model]):
    """The last historical record of each `model` record that was deleted and is still gone."""
    latest = model.history.filter(id=models.OuterRef("id")).order_by("-history_date", "-history_id")
    return (
        model.history.filter(
            history_type="-", history_id=models.Subquery(latest.values("history_id")[:1])
        )
        .exclude(id__in=model._base_manager.values("pk"))
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )


def restore(model: type[models.Model], history_id: int, user) -> tuple[models.Model, int]:
    """Bring back a deleted record, with the records deleted along with it (its citations, a
    case's defendants and charges, an event's appearances ...). Returns (record, how many others).

    Each comes back as its last version held it, the time it was first created included (see
    `Publishable.created_at`); its "last updated" time is now.
    """
    if not can_revert(user, model):
        raise PermissionDenied("Only an editor can restore a deleted record.")
    version = model.history.model.objects.get(history_id=history_id, history_type="-")
    if model._base_manager.filter(pk=version.id).exists():
        raise ValidationError("This record is not deleted: it exists again already.")
    for field in model._meta.concrete_fields:
        value = getattr(version, field.attname) if field.is_relation else None
        if value is not None and not field.related_model._base_manager.filter(pk=value).exists():
            raise ValidationError(
                f"Its {field.verbose_name} was deleted too: restore that first, then this."
            )
    plan = [version, *_deleted_with(version)]
    restored = []
    with transaction.atomic():
        for deleted in plan:
            instance = deleted.instance
            save_with_history(instance, user, "Restored after deletion", force_insert=True)
            restored.append(instance)
        touch_parents(restored)
    return restored[0], len(restored) - 1


def _deleted_with(version) -> list:
    """Historical records of the records deleted together with `version`'s, parents first."""
    found, queue, seen = [], [version], {(version.instance_type, version.id)}
    while queue:
        parent = queue.pop(0)
        window = (parent.history_date - RESTORE_WINDOW, parent.history_date + RESTORE_WINDOW)
        for child_model, lookup in _cascading_children(parent.instance_type, parent.id):
            candidates = deleted_versions(child_model).filter(
                history_date__range=window, history_user_id=parent.history_user_id, **lookup
            )
            for child in candidates:
                if (child_model, child.id) not in seen:
                    seen.add((child_model, child.id))
                    found.append(child)
                    queue.append(child)
    return found


def _cascading_children(model: type[models.Model], pk):
    """(child model, history lookup) for each kind of record deleted along with a `model` one."""
    for relation in model._meta.related_objects:
        if (
            relation.on_delete is models.CASCADE
            and not relation.many_to_many
            and hasattr(relation.related_model, "history")
        ):
            yield relation.related_model, {relation.field.attname: pk}
    for field in model._meta.private_fields:
        if isinstance(field, GenericRelation) and hasattr(field.related_model, "history"):
            content_type = ContentType.objects.get_for_model(model)
            yield (
                field.related_model,
                {
                    field.content_type_field_name + "_id": content_type.pk,
                    field.object_id_field_name: pk,
                },
            )
