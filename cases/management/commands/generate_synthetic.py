"""Fill the database with synthetic cases for load testing, or take them out again."""

import time

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from cases import synthetic
from public import publishing


class Command(BaseCommand):
    help = (
        "Add N synthetic, published cases (with people, organizations, courts, facts and "
        "sources, all marked as synthetic) for load testing, or remove every synthetic record."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=0, help="How many cases to add.")
        parser.add_argument(
            "--seed", type=int, default=1, help="The same seed gives the same data (default 1)."
        )
        parser.add_argument(
            "--remove",
            action="store_true",
            help="Remove every synthetic record first (alone: just remove).",
        )
        parser.add_argument(
            "--batch-size", type=int, default=500, help="Cases per transaction (default 500)."
        )

    def handle(self, *args, cases, seed, remove, batch_size, **options):
        verbosity = options["verbosity"]
        if not remove and cases <= 0:
            raise CommandError("Give --cases N (N > 0), or --remove.")
        if cases < 0 or batch_size <= 0:
            raise CommandError("--cases and --batch-size must be positive.")
        if remove:
            started = time.monotonic()
            publishing.forget(synthetic.synthetic)
            removed = synthetic.remove()
            if verbosity:
                total = sum(removed.values())
                self.stdout.write(
                    f"Removed {total} synthetic rows in {time.monotonic() - started:.1f}s "
                    f"({removed.get('case', 0)} cases, {removed.get('person', 0)} people)."
                )
        if cases <= 0:
            return
        started = time.monotonic()
        with tqdm(total=cases, unit="case", disable=verbosity < 1, file=self.stderr._out) as bar:
            try:
                synthetic.generate(cases, seed=seed, batch_size=batch_size, progress=bar.update)
            except ValueError as error:
                raise CommandError(str(error)) from error
        # Readers see them once published: the published copy, written as an editor's
        # publishing writes it, in batches.
        written = time.monotonic()
        publishing.write_all(scope=synthetic.synthetic)
        synthetic.analyze(apps.get_app_config("public").get_models(include_auto_created=True))
        written = time.monotonic() - written
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Added {cases} synthetic cases (seed {seed}) in "
                    f"{time.monotonic() - started:.1f}s, of which {written:.1f}s writing their "
                    "published copy. Remove them with "
                    "`python manage.py generate_synthetic --remove`."
                )
            )
