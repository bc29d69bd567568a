"""Create (or reset) the demo superuser and print how to sign in."""

import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create or reset the 'admin' superuser with DEMO_ADMIN_PASSWORD from .env."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        # `make run` passes the address it starts the site on (its HOST and PORT).
        parser.add_argument("--host", default="127.0.0.1", help="host the site runs on")
        parser.add_argument("--port", default="8000", help="port the site runs on")

    def handle(self, *args, username, host, port, **options):
        password = os.environ.get("DEMO_ADMIN_PASSWORD")
        if not password:
            raise CommandError("Set DEMO_ADMIN_PASSWORD (make run writes one into .env).")
        user, _ = get_user_model().objects.get_or_create(username=username)
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        self.stdout.write(
            self.style.SUCCESS(
                f"\nSign in to the admin at http://{host}:{port}/admin/\n"
                f"  username: {username}\n  password: {password}\n"
                "(the password is DEMO_ADMIN_PASSWORD in .env)\n"
            )
        )
