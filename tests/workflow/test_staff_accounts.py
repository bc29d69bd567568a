"""Staff accounts from the command line: `create_staff NAME --role researcher|editor`, and the
demo admin's sign-in address as `make run` prints it."""

import io
import os
import re
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from casetracker.roles import EDITOR, RESEARCHER
from tests import factories

PASSWORD = "a-long-test-password"
User = get_user_model()


class Terminal(io.StringIO):
    def isatty(self):
        return True


def create_staff(*args, stdin: str | io.StringIO = "", **options) -> str:
    """Run the command; `stdin` is what a script pipes in, or a `Terminal()`."""
    if isinstance(stdin, str):
        stdin = io.StringIO(stdin)
    out = io.StringIO()
    call_command("create_staff", *args, stdin=stdin, stdout=out, **options)
    return out.getvalue()


def groups(user) -> list[str]:
    return sorted(user.groups.values_list("name", flat=True))


@pytest.mark.parametrize(("role", "group"), [("researcher", RESEARCHER), ("editor", EDITOR)])
def test_a_new_account_in_each_role(roles, role, group):
    out = create_staff(
        "rita", "--role", role, "--email", "rita@example.org", "--password-stdin",
        stdin=PASSWORD + "\n",
    )  # fmt: skip

    user = User.objects.get(username="rita")
    assert user.is_staff and not user.is_superuser
    assert user.email == "rita@example.org"
    assert user.check_password(PASSWORD)
    assert groups(user) == [group]
    assert out.strip() == f"Created staff account “rita” in the {group} group."
    assert PASSWORD not in out


def test_an_unknown_role_is_refused_and_nothing_is_created(roles):
    refused = r"^Unknown role “admin”: choose researcher or editor\.$"
    with pytest.raises(CommandError, match=refused):
        create_staff("rita", "--role", "admin", "--password-stdin", stdin=PASSWORD)
    assert not User.objects.filter(username="rita").exists()


def test_an_existing_account_moves_to_the_role_and_keeps_its_password(roles):
    user = factories.UserFactory(username="rita", email="old@example.org")
    user.groups.add(roles[RESEARCHER])

    out = create_staff("rita", "--role", "editor")

    user.refresh_from_db()
    assert out.strip() == "Updated staff account “rita” in the Editor group."
    assert groups(user) == [EDITOR]
    assert user.is_staff
    assert user.email == "old@example.org"
    assert user.check_password(PASSWORD)


def test_an_existing_account_gets_a_new_password_and_email(roles):
    factories.UserFactory(username="rita")

    create_staff(
        "rita", "--role", "researcher", "--email", "rita@example.org", "--password-stdin",
        stdin="another-long-password\n",
    )  # fmt: skip

    user = User.objects.get(username="rita")
    assert user.check_password("another-long-password")
    assert user.email == "rita@example.org"
    assert groups(user) == [RESEARCHER]


def test_asks_for_the_password_in_a_terminal_without_showing_it(roles, monkeypatch):
    asked = []
    monkeypatch.setattr(
        "getpass.getpass", lambda prompt: asked.append(prompt) or "typed-long-password"
    )

    out = create_staff("rita", "--role", "researcher", stdin=Terminal())

    assert asked == ["Password for rita: ", "The same password again: "]
    assert User.objects.get(username="rita").check_password("typed-long-password")
    assert "typed-long-password" not in out


def test_two_different_passwords_change_nothing(roles, monkeypatch):
    typed = iter(["typed-long-password", "typed-long-passwort"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(typed))

    with pytest.raises(CommandError, match="The two passwords differ"):
        create_staff("rita", "--role", "researcher", stdin=Terminal())
    assert not User.objects.filter(username="rita").exists()


def test_a_weak_password_is_refused_with_the_reasons(roles):
    with pytest.raises(CommandError, match="Password refused: This password is too short"):
        create_staff("rita", "--role", "editor", "--password-stdin", stdin="abc\n")
    assert not User.objects.filter(username="rita").exists()


def test_a_new_account_without_a_terminal_needs_password_stdin(roles):
    with pytest.raises(CommandError, match="--password-stdin"):
        create_staff("rita", "--role", "editor")
    assert not User.objects.filter(username="rita").exists()


# make run PORT=8300 ------------------------------------------------------------------------------


def test_make_run_prints_the_address_it_serves(db, monkeypatch):
    """The demo_admin command `make run` (through `make demo`) runs, run as make would."""
    root = Path(__file__).resolve().parents[2]
    plan = subprocess.run(
        ["make", "--dry-run", "run", "HOST=127.0.0.2", "PORT=8300"],
        cwd=root,
        env={**os.environ, "MAKEFLAGS": ""},  # not the flags of a `make test` running this
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    demo_admin = re.search(r"manage\.py demo_admin (.*)", plan).group(1).split()
    assert "runserver 127.0.0.2:8300" in plan
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", PASSWORD)
    out = io.StringIO()

    call_command("demo_admin", *demo_admin, stdout=out)

    assert "Sign in to the admin at http://127.0.0.2:8300/admin/" in out.getvalue()
    assert User.objects.get(username="admin").is_superuser
