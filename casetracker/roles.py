"""The two roles of the research desk, as Django groups.

- **Researcher** adds and changes every record and sends drafts to review. They delete only what
  has never been public (drafts and records in review), and cannot publish or withdraw.
- **Editor** does all that, and also publishes, withdraws, deletes published records, reverts a
  record to an earlier version and restores deleted records. An editor also sees sign-in
  lockouts and lifts one by deleting it (django-axes' access attempts, `casetracker/signin.py`).

"publish" and "revert" are per-model permissions every public-facing record declares (see
`Publishable.Meta.default_permissions`); the admin checks them through `casetracker.workflow`.
A data migration creates the groups; `sync_roles()` is idempotent, so running it again (after a
new model is added here) brings the groups up to date.
"""

from django.apps import apps as global_apps

RESEARCHER = "Researcher"
EDITOR = "Editor"

# Every model a researcher works on, as "app_label.model_name".
DOMAIN_MODELS = (
    "people.person",
    "people.alias",
    "people.organization",
    "people.organizationalias",
    "people.membership",
    "cases.source",
    "cases.citation",
    "cases.court",
    "cases.case",
    "cases.defendant",
    "cases.chargingdocument",
    "cases.charge",
    "cases.courtevent",
    "cases.appearance",
    "cases.extraditionrequest",
    "cases.custodyrecord",
)

ROLE_ACTIONS = {
    RESEARCHER: ("view", "add", "change", "delete"),
    EDITOR: ("view", "add", "change", "delete", "publish", "revert"),
}

# Permissions beyond the research records, as (app_label, codename).
ROLE_EXTRA_PERMISSIONS = {
    RESEARCHER: (),
    EDITOR: (("axes", "view_accessattempt"), ("axes", "delete_accessattempt")),
}


def role_permissions(
    role: str, apps=global_apps, models=DOMAIN_MODELS, extra=ROLE_EXTRA_PERMISSIONS
) -> list[tuple[str, str]]:
    """(app_label, codename) of every permission `role` holds; actions a model lacks are skipped."""
    permissions = []
    for label in models:
        model = apps.get_model(label)
        for action in ROLE_ACTIONS[role]:
            if action in model._meta.default_permissions:
                permissions.append((model._meta.app_label, f"{action}_{model._meta.model_name}"))
    return permissions + list(extra.get(role, ()))


def sync_roles(apps=global_apps, models=DOMAIN_MODELS, extra=ROLE_EXTRA_PERMISSIONS) -> None:
    """Create the groups if needed and give each exactly its permissions on `models`, and the
    `extra` ones.

    A migration passes its own frozen lists, so that it still runs once these lists grow.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role in ROLE_ACTIONS:
        wanted = role_permissions(role, apps, models, extra)
        found = Permission.objects.filter(
            content_type__app_label__in={app for app, _ in wanted},
            codename__in={codename for _, codename in wanted},
        ).select_related("content_type")
        by_key = {(p.content_type.app_label, p.codename): p for p in found}
        missing = [key for key in wanted if key not in by_key]
        if missing:
            raise LookupError(f"Permissions missing for the {role} role: {missing}")
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set([by_key[key] for key in wanted])
