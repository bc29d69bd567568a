import pytest
from django.contrib.auth.models import Group

from casetracker.roles import EDITOR, RESEARCHER, sync_roles
from tests import factories


@pytest.fixture(autouse=True)
def _quick_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def roles(db):
    """The two groups the data migration creates (again, for tests that flush the database)."""
    sync_roles()
    return {name: Group.objects.get(name=name) for name in (RESEARCHER, EDITOR)}


def member(group, username):
    user = factories.UserFactory(username=username, is_staff=True)
    user.groups.add(group)
    return user


@pytest.fixture
def researcher(roles):
    return member(roles[RESEARCHER], "rita-researcher")


@pytest.fixture
def editor(roles):
    return member(roles[EDITOR], "eduardo-editor")


@pytest.fixture
def as_researcher(client, researcher):
    client.force_login(researcher)
    return client


@pytest.fixture
def as_editor(client, editor):
    client.force_login(editor)
    return client
