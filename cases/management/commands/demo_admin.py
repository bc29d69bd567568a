"""Create (or reset) the demo superuser and print how to sign in."""

import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create or reset the 'admin' superuser with DEMO_ADMIN_PASSWORD from .env."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username, **options):
        password = os.environ.get("DEMO_ADMIN_PASSWORD")
        if not password:
            raise CommandError("Set DEMO_ADMIN_PASSWORD (make run writes one into .env).")
        user, _ = get_user_model().objects.get_or_create(username=username)
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        self.stdout.write(
            self.style.SUCCESS(
                "\nSign in to the admin at http://127.0.0.1:8000/admin/\n"
                f"  username: {username}\n  password: {password}\n"
                "(the password is DEMO_ADMIN_PASSWORD in .env)\n"
            )
        )
