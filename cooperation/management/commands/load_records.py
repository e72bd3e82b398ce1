from collections import defaultdict
from pathlib import Path

from concurrency.api import disable_concurrency
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cooperation.history import history_not_recorded, record_missing_history, recorded_models


class Command(BaseCommand):
    help = (
        "Load fixtures into this database once, and record their rows in the history, "
        "attributed to the system. A fixture loaded before is skipped: its records are "
        "the staff's from then on, and `make run` loads it on every start."
    )

    def add_arguments(self, parser):
        parser.add_argument("fixtures", nargs="+", metavar="FILE")
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
            if not Path(fixture).is_file():
                raise CommandError(f"No fixture file {fixture}.")
            fixture_format(fixture)
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
        with history_not_recorded(), disable_concurrency():
            call_command("loaddata", fixture, verbosity=verbosity)
        keys = keys_in(fixture)
        # Generic code wrote these rows: each model brings up to date what derives from
        # them (an agreement's status, from its events).
        for model, pks in keys.items():
            if hasattr(model, "refresh_derived"):
                model.refresh_derived(pks)
        written = record_missing_history(keys, reason=reason)
        if verbosity:
            self.stdout.write(f"History: {written} row(s) recorded.")


def keys_in(fixture):
    """Each model's keys of the rows `fixture` holds, as loaded into this database.

    Read back from the file: deserializing a row finds, by its natural key, the row
    now in the database.
    """
    keys = defaultdict(list)
    with open(fixture, encoding="utf-8") as stream:
        for row in serializers.deserialize(fixture_format(fixture), stream):
            keys[type(row.object)].append(row.object.pk)
    return keys


def fixture_format(fixture):
    """The serialization format a fixture file's extension names ("json", "xml")."""
    name = Path(fixture).suffix.removeprefix(".")
    if name not in serializers.get_public_serializer_formats():
        raise CommandError(f"{fixture}: not a fixture file (.json, .xml…).")
    return name


def fixture_name(fixture):
    """The fixture as the history names it: its path from the project's directory.

    So `fixtures/x.json`, `./fixtures/x.json` and its absolute path are one fixture.
    """
    path = Path(fixture).resolve()
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
