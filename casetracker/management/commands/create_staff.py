"""Create or update a staff account in one of the two roles (casetracker/roles.py)."""

import getpass
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from casetracker.roles import ROLE_ACTIONS

ROLES = {name.lower(): name for name in ROLE_ACTIONS}  # "researcher": "Researcher", …


class Command(BaseCommand):
    help = (
        "Create a staff account in the Researcher or Editor group, or move an existing one to "
        "that group. Asks for the password (never shown), or reads it from standard input with "
        "--password-stdin."
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, help="researcher or editor")
        parser.add_argument("--email", help="the account's email address")
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="read the password from the first line of standard input, for scripts: "
            "printf '%%s\\n' \"$PASSWORD\" | manage.py create_staff …",
        )

    def handle(self, *args, username, role, email, password_stdin, **options):
        self.stdin = options.get("stdin", sys.stdin)
        if role.lower() not in ROLES:
            raise CommandError(f"Unknown role “{role}”: choose {' or '.join(ROLES)}.")
        group = Group.objects.filter(name=ROLES[role.lower()]).first()
        if group is None:
            raise CommandError(
                f"The {ROLES[role.lower()]} group does not exist yet: run manage.py migrate."
            )
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        created = user is None
        if created:
            user = User(username=username)
        if email is not None:
            user.email = email
        user.is_staff = True

        password = self.read_password(user, created, password_stdin)
        if password:
            try:
                validate_password(password, user)
            except ValidationError as error:
                raise CommandError("Password refused: " + " ".join(error.messages)) from error
            user.set_password(password)

        with transaction.atomic():
            user.save()
            user.groups.remove(*Group.objects.filter(name__in=ROLES.values()))
            user.groups.add(group)
        done = "Created" if created else "Updated"
        self.stdout.write(
            self.style.SUCCESS(f"{done} staff account “{username}” in the {group.name} group.")
        )

    def read_password(self, user, created: bool, from_stdin: bool) -> str:
        """The new password, or "" to keep an existing account's own."""
        if from_stdin:
            password = self.stdin.readline().rstrip("\r\n")
            if not password:
                raise CommandError("No password on standard input.")
            return password
        if not (hasattr(self.stdin, "isatty") and self.stdin.isatty()):
            if created:
                raise CommandError(
                    "A new account needs a password: run this in a terminal to be asked for "
                    "one, or send it on standard input with --password-stdin."
                )
            return ""
        keep = "" if created else " (leave empty to keep the current one)"
        password = getpass.getpass(f"Password for {user.username}{keep}: ")
        if not password:
            if created:
                raise CommandError("A new account needs a password.")
            return ""
        if getpass.getpass("The same password again: ") != password:
            raise CommandError("The two passwords differ; nothing was changed.")
        return password
