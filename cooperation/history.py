"""Keeping every change: history rows for bulk writes, loaded fixtures and edit conflicts.

django-simple-history records each save() and delete(). Writes that bypass save() would
leave no trace, so RecordQuerySet refuses them, except bulk creation through
`bulk_create_recorded()`, which writes the history rows alongside.
"""

import contextvars
from collections import defaultdict
from contextlib import contextmanager

from django.apps import apps
from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

_bulk_with_history = contextvars.ContextVar("bulk_with_history", default=False)

# Bookkeeping fields: a change to these alone is not a change to the record.
NOT_COMPARED = {"version"}


class HistoryBypassError(RuntimeError):
    pass


def refuse_bulk_write(queryset, method):
    raise HistoryBypassError(
        f"{queryset.model.__name__}.objects.{method}() would change records without "
        "keeping their history: save() each record, or use bulk_create_recorded()."
    )


def bulk_writes_allowed():
    return _bulk_with_history.get()


@contextmanager
def _allow_bulk_create():
    token = _bulk_with_history.set(True)
    try:
        yield
    finally:
        _bulk_with_history.reset(token)


def bulk_create_recorded(model, records, *, reason, batch_size=1000, user=None):
    """Create many records at once, each with its history row ("+"), in bulk."""
    with _allow_bulk_create():
        return bulk_create_with_history(
            records,
            model,
            batch_size=batch_size,
            default_user=user,
            default_change_reason=reason,
        )


def recorded_models():
    """The models django-simple-history keeps a history of."""
    return [
        model
        for model in apps.get_models()
        if getattr(model._meta, "simple_history_manager_attribute", None) == "history"
    ]


@contextmanager
def history_not_recorded():
    """Write no history rows in the block: for a writer that records its rows afterwards,
    with a reason (load_records: "Loaded from FILE").

    `loaddata` saves rows raw, which django-simple-history does not record, but it
    records the many-to-many links loaddata sets next. The library has no switch for
    one block of code: its SIMPLE_HISTORY_ENABLED setting, read at each write, is the
    only one, so it is set here for the block and put back (tests/test_library_hooks.py
    fails if the library stops reading it at each write).
    """
    unset = object()
    before = getattr(settings, "SIMPLE_HISTORY_ENABLED", unset)
    settings.SIMPLE_HISTORY_ENABLED = False
    try:
        yield
    finally:
        if before is unset:
            del settings.SIMPLE_HISTORY_ENABLED
        else:
            settings.SIMPLE_HISTORY_ENABLED = before


def record_missing_history(keys, reason):
    """Add a history row for each record whose latest history does not match it.

    `keys` maps models to the keys of their rows written past save() (`loaddata`):
    this catches up, attributed to no user ("the system"), with `reason` as the
    change reason. Records that already match their history get nothing new, so
    loading the same fixture twice writes nothing the second time. Returns how many
    rows.
    """
    recorded = set(recorded_models())
    by_model = {model: pks for model, pks in keys.items() if model in recorded}
    written = 0
    for model, pks in by_model.items():
        history = model.history.model
        latest = history.objects.filter(id=OuterRef("pk")).order_by("-history_date", "-history_id")
        records = model._base_manager.filter(pk__in=pks).annotate(
            latest_history=Subquery(latest.values("pk")[:1])
        )
        latest_rows = history.objects.in_bulk(
            [r.latest_history for r in records if r.latest_history]
        )
        new = [record for record in records if record.latest_history is None]
        changed = [
            record
            for record in records
            if record.latest_history is not None
            and differs(record, latest_rows[record.latest_history])
        ]
        for batch, update in ((new, False), (changed, True)):
            if batch:
                model.history.bulk_history_create(
                    batch, update=update, default_change_reason=reason, default_user=None
                )
        written += len(new) + len(changed)
    return written


def tracked_fields(model):
    history_names = {f.attname for f in model.history.model._meta.fields}
    return [f for f in model._meta.concrete_fields if f.attname in history_names]


def differs(record, historical):
    return any(
        getattr(record, f.attname) != getattr(historical, f.attname)
        for f in tracked_fields(type(record))
        if f.name not in NOT_COMPARED
    )


def as_seen(record, version):
    """The history row of `record` as it stood at `version`, or None if it has none."""
    history = record.history.order_by("history_date", "history_id")
    # A record loaded from a fixture and not saved since is at version 0, which its
    # history rows write as 1: the state seen is then simply the first one recorded.
    return history.filter(version__lte=version).last() or history.first()


def changes_since(record, version):
    """What others changed in `record` after the `version` someone started from.

    A list of (who, when, [(field label, old, new)]) read from the history, oldest first.
    """
    history = record.history.order_by("history_date", "history_id")
    seen = as_seen(record, version)
    later = history.filter(history_date__gt=seen.history_date) if seen else history.none()
    changes = []
    for entry in later.select_related("history_user"):
        previous = entry.prev_record
        fields = []
        if previous is not None:
            delta = entry.diff_against(previous, excluded_fields=sorted(NOT_COMPARED))
            for change in delta.changes:
                label = type(record)._meta.get_field(change.field).verbose_name
                fields.append((label, change.old, change.new))
        who = entry.history_user.get_username() if entry.history_user else _("the system")
        changes.append((who, entry.history_date, fields))
    return changes


def record_restored(records):
    """Write a "+" history row for each restored record, with its many-to-many links.

    The rows were written back raw (their versions as they were), which
    django-simple-history does not record; this records them as it records a record
    saved anew, each with its `_history_user` and `_change_reason`.
    """
    by_model = defaultdict(list)
    for record in records:
        by_model[type(record)].append(record)
    for model, batch in by_model.items():
        entries = model.history.bulk_history_create(batch)
        history = model.history.model
        for field in history._history_m2m_fields:
            links_history = getattr(history, field.name).model
            through = field.remote_field.through
            links = through._base_manager.filter(
                **{f"{field.m2m_field_name()}__in": [record.pk for record in batch]}
            )
            by_record = defaultdict(list)
            for link in links:
                by_record[getattr(link, field.m2m_column_name())].append(link)
            links_history.objects.bulk_create(
                links_history(
                    history=entry,
                    **{f.attname: getattr(link, f.attname) for f in through._meta.fields},
                )
                for entry, record in zip(entries, batch, strict=True)
                for link in by_record[record.pk]
            )
