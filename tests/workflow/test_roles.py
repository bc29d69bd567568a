"""The groups exist after migrating, with the permissions each role needs and no more."""

from django.contrib.auth.models import Group

from casetracker.roles import DOMAIN_MODELS, EDITOR, RESEARCHER, sync_roles


def codenames(name):
    return set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))


def test_the_data_migration_creates_both_roles(db):
    researcher, editor = codenames(RESEARCHER), codenames(EDITOR)

    assert {"add_courtevent", "change_courtevent", "delete_courtevent", "view_courtevent"} <= (
        researcher
    )
    assert {"add_citation", "change_citation", "delete_citation"} <= researcher
    assert not {c for c in researcher if c.startswith(("publish_", "revert_"))}
    assert {"publish_case", "revert_case", "publish_charge", "revert_person"} <= editor
    assert researcher < editor
    # Nothing outside the research records but sign-in lockouts: no users, no groups.
    assert not {c for c in editor if c.endswith(("_user", "_group", "_permission"))}
    assert {"view_accessattempt", "delete_accessattempt"} <= editor
    assert not {c for c in researcher if c.endswith("_accessattempt")}
    assert not {c for c in editor if c.endswith(("_accesslog", "_accessfailurelog"))}


def test_every_public_record_has_publish_and_revert_for_editors(db):
    editor = codenames(EDITOR)
    for label in DOMAIN_MODELS:
        model_name = label.split(".")[1]
        if model_name in ("citation", "appearance"):  # not published on their own
            assert f"publish_{model_name}" not in editor
        else:
            assert {f"publish_{model_name}", f"revert_{model_name}"} <= editor


def test_syncing_again_changes_nothing_and_repairs_a_group(db):
    before = codenames(EDITOR)
    Group.objects.get(name=EDITOR).permissions.clear()

    sync_roles()
    sync_roles()

    assert codenames(EDITOR) == before
    assert Group.objects.filter(name__in=[EDITOR, RESEARCHER]).count() == 2
