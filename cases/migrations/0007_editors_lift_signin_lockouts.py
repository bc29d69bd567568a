"""Editors see sign-in lockouts and lift them (casetracker/roles.py, casetracker/signin.py)."""

from django.db import migrations

# casetracker.roles.DOMAIN_MODELS and ROLE_EXTRA_PERMISSIONS as of this migration.
MODELS = (
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
EXTRA = {"Editor": (("axes", "view_accessattempt"), ("axes", "delete_accessattempt"))}


def give_lockouts_to_editors(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    from casetracker.roles import sync_roles

    # Permissions are normally created after all migrations ran; the groups need axes' now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_roles(apps, MODELS, EXTRA)


def take_lockouts_from_editors(apps, schema_editor):
    from casetracker.roles import sync_roles

    sync_roles(apps, MODELS, extra={})


class Migration(migrations.Migration):
    dependencies = [
        ("axes", "0010_accessattemptexpiration"),
        ("cases", "0006_latest_first_index"),
    ]

    operations = [migrations.RunPython(give_lockouts_to_editors, take_lockouts_from_editors)]
