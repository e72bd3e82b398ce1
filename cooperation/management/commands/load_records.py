from concurrency.api import disable_concurrency
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models.signals import post_save

from cooperation.history import record_missing_history


class Command(BaseCommand):
    help = (
        "Load fixtures (natural keys: loading twice changes nothing) and record their "
        "rows in the history, attributed to the system."
    )

    def add_arguments(self, parser):
        parser.add_argument("fixtures", nargs="+")

    @transaction.atomic
    def handle(self, *args, fixtures, verbosity=1, **options):
        # A fixture carries no edit versions: it states what the records are. Its rows,
        # many-to-many links included, go into the history once, below, with a reason.
        loaded = []

        def collect(sender, instance, raw, **kwargs):
            if raw:
                loaded.append(instance)

        settings.SIMPLE_HISTORY_ENABLED = False
        post_save.connect(collect, weak=False)
        try:
            with disable_concurrency():
                call_command("loaddata", *fixtures, verbosity=verbosity)
        finally:
            post_save.disconnect(collect)
            del settings.SIMPLE_HISTORY_ENABLED
        written = record_missing_history(loaded, reason=f"Loaded from {', '.join(fixtures)}")
        if verbosity:
            self.stdout.write(f"History: {written} row(s) recorded.")
