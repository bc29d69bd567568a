"""Write the published copy of every published unit, from the working records."""

from django.core.management.base import BaseCommand

from public.publishing import write_all


class Command(BaseCommand):
    help = (
        "Write the published copy of every published case, person, organization, court and "
        "source from the working records (after loading data, or to start the copy afresh)."
    )

    def handle(self, *args, **options):
        count = write_all()
        self.stdout.write(f"Wrote the published copy of {count} units.")
