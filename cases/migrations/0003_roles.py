"""Create the Researcher and Editor groups (see casetracker/roles.py)."""

from django.db import migrations

# The models that existed when the groups were created (casetracker.roles.DOMAIN_MODELS then).
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


def create_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    from casetracker.roles import sync_roles

    # Permissions are normally created after all migrations ran; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_roles(apps, MODELS, extra={})


def remove_roles(apps, schema_editor):
    from casetracker.roles import ROLE_ACTIONS

    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_ACTIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("people", "0002_publish_and_revert_permissions"),
        ("cases", "0002_publish_and_revert_permissions"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
