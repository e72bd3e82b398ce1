from pathlib import Path

from concurrency.api import disable_concurrency
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models.signals import post_save

from cooperation.history import record_missing_history, recorded_models


class Command(BaseCommand):
    help = (
        "Load fixtures into this database once, and record their rows in the history, "
        "attributed to the system. A fixture loaded before is skipped: its records are "
        "the staff's from then on, and `make run` loads it on every start."
    )

    def add_arguments(self, parser):
        parser.add_argument("fixtures", nargs="+")
        parser.add_argument(
            "--again",
            action="store_true",
            help=(
                "Load a fixture even if it was loaded before. Every record it names is "
                "written back as the fixture has it: staff's edits to it are undone, and "
                "a record they deleted or renamed (its natural key) is added again."
            ),
        )

    @transaction.atomic
    def handle(self, *args, fixtures, again=False, verbosity=1, **options):
        for fixture in fixtures:
            name = fixture_name(fixture)
            reason = f"Loaded from {name}"
            if not again and loaded_before(reason):
                if verbosity:
                    self.stdout.write(
                        f"{name} was loaded into this database before: not loaded again, "
                        "so that the changes made since stand (--again loads it anew)."
                    )
                continue
            self.load(fixture, reason, verbosity)

    def load(self, fixture, reason, verbosity):
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
                call_command("loaddata", fixture, verbosity=verbosity)
        finally:
            post_save.disconnect(collect)
            del settings.SIMPLE_HISTORY_ENABLED
        written = record_missing_history(loaded, reason=reason)
        if verbosity:
            self.stdout.write(f"History: {written} row(s) recorded.")


def fixture_name(fixture):
    """The fixture as the history names it: its path from the project's directory.

    So `fixtures/x.json`, `./fixtures/x.json` and its absolute path are one fixture.
    A bare name that loaddata looks up in the fixture directories stays as given.
    """
    path = Path(fixture).resolve()
    if not path.is_file():
        return fixture
    base = Path(settings.BASE_DIR).resolve()
    return str(path.relative_to(base)) if path.is_relative_to(base) else str(path)


def loaded_before(reason):
    """Whether the history records rows loaded with `reason` ("Loaded from FILE").

    Deleting a record keeps its history, so a fixture stays loaded after staff have
    deleted or renamed every record it brought.
    """
    return any(
        model.history.filter(history_change_reason=reason).exists() for model in recorded_models()
    )
