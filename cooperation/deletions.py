"""Deleted records, kept with every row that went with them, so that a restore brings all
of them back in one step.

Deleting a record deletes what depends on it: an agreement takes its parties, events,
follow-ups and topic links along; an organization its other names, memberships and
posts; a topic its links to meetings and agreements. `Record.delete()` (which the admin's
delete page, its delete action and a row deleted on a record's page all go through) finds
those rows as Django's own delete does, with its `Collector`, and keeps a `Deletion`: who
deleted what and when, and a copy of every row removed, as Django's serializers write
them. Restoring it writes those rows back exactly as they were, with their keys and
versions, in one transaction, lets each model bring up to date what derives from its
rows (`Record.refresh_derived`: an agreement's status, from its events), and records
each in the history as restored by whoever restored it; or, when something in the
database now stands in the way, writes nothing and says what.

Every table here has an integer primary key, which `object_id` holds.
"""

from collections import Counter, defaultdict

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connections, models, router, transaction
from django.db.models import Prefetch
from django.db.models.deletion import Collector
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from cooperation.history import record_restored


class RestoreRefused(Exception):
    """A restore that would clash with what the database holds now; nothing was written."""

    def __init__(self, problems):
        super().__init__(" ".join(problems))
        self.problems = problems


def label(model):
    """A model's name as serializers write it: "agreements.agreementevent"."""
    return model._meta.label_lower


def owner_of(record):
    """The record that `record` belongs to, and is deleted with: a party's agreement."""
    for field in record._meta.concrete_fields:
        if (
            field.many_to_one
            and field.remote_field.on_delete is models.CASCADE
            and getattr(record, field.attname) is not None
        ):
            return getattr(record, field.name)
    return None


def describe(record):
    """How the deleted list names a record: a party or an event by its agreement too."""
    owner = owner_of(record)
    if owner is None:
        return str(record)
    # Translators: a deleted record named by the record it belonged to: a party of an agreement.
    return gettext("%(record)s, of “%(owner)s”") % {"record": record, "owner": owner}


def safe_name(record):
    try:
        return str(record)
    except ObjectDoesNotExist:  # it names a record that is not there
        return f"{record._meta.verbose_name} #{record.pk}"


def removed_rows(collector):
    """Every row the collector is about to delete, read from the database, parents first.

    The collector lists what a delete cascades to, dependents before what they depend
    on; links without signals of their own (topic links) it deletes in bulk, as querysets.
    """
    collector.sort()
    batches = [
        model._base_manager.using(collector.using).filter(pk__in=[row.pk for row in rows])
        for model, rows in reversed(collector.data.items())
    ]
    for rows in collector.fast_deletes:
        if not isinstance(rows, models.QuerySet):
            rows = (
                type(rows[0])
                ._base_manager.using(collector.using)
                .filter(pk__in=[row.pk for row in rows])
            )
        batches.append(rows)
    serialized = []
    for rows in batches:
        # Concrete fields only: many-to-many links are rows of their own, kept as such.
        names = [field.name for field in rows.model._meta.concrete_fields]
        serialized += serializers.serialize("python", rows.order_by("pk"), fields=names)
    return serialized


class DeletionQuerySet(models.QuerySet):
    def pending(self):
        """Deletions not restored yet."""
        return self.filter(restored_at=None)

    def holding(self, *models):
        """Deletions that removed rows of any of `models`."""
        return self.filter(rows__model__in=[label(model) for model in models]).distinct()

    def with_row_counts(self):
        """Read which rows each deletion holds, without their contents, for comes_back()."""
        return self.prefetch_related(
            Prefetch("rows", queryset=DeletedRow.objects.only("deletion", "model"))
        )


class Deletion(models.Model):
    """A record deleted, with every row its deletion removed (`rows`)."""

    model = models.CharField(_("model"), max_length=100, help_text=_("The deleted record's model."))
    object_id = models.BigIntegerField(_("object id"))
    name = models.CharField(_("name"), max_length=600, help_text=_("What the record was called."))
    deleted_at = models.DateTimeField(_("deleted at"), default=timezone.now)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deleted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    restored_at = models.DateTimeField(_("restored at"), null=True, blank=True)
    restored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("restored by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = DeletionQuerySet.as_manager()

    class Meta:
        verbose_name = _("deletion")
        verbose_name_plural = _("deletions")
        ordering = ["-deleted_at", "-pk"]
        indexes = [models.Index(fields=["model", "object_id"], name="deletion_record_idx")]

    def __str__(self):
        return self.name

    @property
    def record_model(self):
        return apps.get_model(self.model)

    @property
    def kind(self):
        """What the deleted record was: "agreement", "party"."""
        return self.record_model._meta.verbose_name

    @classmethod
    def delete_keeping(cls, record, using=None, keep_parents=False):
        """Delete `record` as Model.delete() does, keeping every row that goes with it."""
        model = type(record)
        using = using or router.db_for_write(model, instance=record)
        # Stored, so written as the records are, in the site's language whoever deletes.
        with translation.override(settings.LANGUAGE_CODE):
            pk, name = record.pk, describe(record)
        with transaction.atomic(using=using):
            collector = Collector(using=using, origin=record)
            collector.collect([record], keep_parents=keep_parents)
            rows = removed_rows(collector)
            if not any(row["model"] == label(model) and row["pk"] == pk for row in rows):
                return 0, {}  # deleted already, with another record
            deleted = collector.delete()
            # Who and when, as the history says (the admin's user, or the system).
            entry = (
                model.history.filter(**{model._meta.pk.attname: pk}, history_type="-")
                .select_related("history_user")
                .order_by("-history_date", "-history_id")
                .first()
            )
            deletion = cls.objects.using(using).create(
                model=label(model),
                object_id=pk,
                name=name[: cls._meta.get_field("name").max_length],
                deleted_at=entry.history_date if entry else timezone.now(),
                deleted_by=entry.history_user if entry else None,
            )
            DeletedRow.objects.using(using).bulk_create(
                DeletedRow(
                    deletion=deletion, model=row["model"], object_id=row["pk"], fields=row["fields"]
                )
                for row in rows
            )
        return deleted

    def comes_back(self):
        """What comes back with the record: ["2 events", "2 parties", "1 topic link"]."""
        counts = Counter(row.model for row in self.rows.all())
        counts[self.model] -= 1  # the record itself
        return [
            f"{count} {row_kind(apps.get_model(model), self.record_model, count)}"
            for model, count in counts.items()
            if count
        ]

    def restore(self, user):
        """Put back every row this deletion removed, as it was, in one transaction.

        Raises RestoreRefused, having written nothing, when a row would clash with one
        that exists now, or refers to a record that is no longer there.
        """
        using = router.db_for_write(type(self), instance=self)
        try:
            with transaction.atomic(using=using):
                # Two people restoring the same deletion at once: the second waits, then
                # finds it restored.
                if not type(self).objects.pending().select_for_update().filter(pk=self.pk):
                    raise RestoreRefused(
                        [gettext("“%(record)s” has been restored already.") % {"record": self}]
                    )
                serialized = [
                    {"model": row.model, "pk": row.object_id, "fields": row.fields}
                    for row in self.rows.order_by("pk")
                ]
                restored = list(serializers.deserialize("python", serialized, using=using))
                problems = self.clashes([row.object for row in restored], using)
                if problems:
                    raise RestoreRefused(problems)
                for row in restored:
                    # Raw, as loaddata saves: the row as it was, version and all.
                    row.save(save_m2m=False, using=using, force_insert=True)
                # Checked now rather than at commit, so that a refusal can say why.
                tables = {row.object._meta.db_table for row in restored}
                connections[using].check_constraints(table_names=sorted(tables))
                written = defaultdict(list)
                for row in restored:
                    written[type(row.object)].append(row.object.pk)
                for model, pks in written.items():
                    if hasattr(model, "refresh_derived"):
                        model.refresh_derived(pks)
                records = []
                for row in restored:
                    record = row.object
                    if not hasattr(type(record), "history"):
                        continue  # a link between two records: their history keeps it
                    record._history_user = user
                    is_record = label(type(record)) == self.model and record.pk == self.object_id
                    # Stored in the history: in the site's language, whoever restores.
                    with translation.override(settings.LANGUAGE_CODE):
                        when = date_format(timezone.localtime(self.deleted_at), "j F Y")
                        if is_record:
                            reason = gettext("Restored after its deletion on %(day)s")
                        else:
                            reason = gettext(
                                "Restored after its deletion on %(day)s, with “%(record)s”"
                            )
                        record._change_reason = reason % {"day": when, "record": self}
                    records.append(record)
                record_restored(records)
                self.restored_at, self.restored_by = timezone.now(), user
                self.save(update_fields=["restored_at", "restored_by"])
        except IntegrityError as error:
            raise RestoreRefused(
                [
                    gettext(
                        "“%(record)s” cannot come back as it was: the database refused it "
                        "(%(error)s)."
                    )
                    % {"record": self, "error": error}
                ]
            ) from error

    def clashes(self, records, using):
        """What stands in the way of writing `records` back, in words."""
        problems = []
        coming_back = {(label(type(record)), record.pk) for record in records}
        missing = {}
        for record in records:
            try:
                record.validate_unique()
                record.validate_constraints()
            except ValidationError as error:
                problems += [f"“{safe_name(record)}”: {message}" for message in error.messages]
            for field in record._meta.concrete_fields:
                value = getattr(record, field.attname)
                if not field.many_to_one or value is None:
                    continue
                target = field.related_model
                if field.target_field.primary_key and (label(target), value) in coming_back:
                    continue
                key = {field.target_field.attname: value}
                if not target._base_manager.using(using).filter(**key).exists():
                    missing[(label(target), value)] = target
        for (_label, pk), target in missing.items():
            problems.append(self.missing_record(target, pk))
        return problems

    def missing_record(self, model, pk):
        """Says that this deletion's rows refer to a record that is gone, and what brings
        it back, if anything does."""
        kept = (
            DeletedRow.objects.filter(model=label(model), object_id=pk, deletion__restored_at=None)
            .select_related("deletion")
            .first()
        )
        words = {"record": self, "kind": model._meta.verbose_name, "pk": pk}
        if kept is None:
            return (
                gettext(
                    "“%(record)s” comes back with rows that refer to the %(kind)s #%(pk)s, "
                    "which no longer exists."
                )
                % words
            )
        deletion = kept.deletion
        if deletion.model == label(model) and deletion.object_id == pk:
            return gettext(
                "“%(record)s” comes back with rows that refer to the %(kind)s “%(deleted)s”, "
                "which was deleted since: restore it first."
            ) % {**words, "deleted": deletion}
        return gettext(
            "“%(record)s” comes back with rows that refer to the %(kind)s #%(pk)s, deleted "
            "with “%(deleted)s”: restore that first."
        ) % {**words, "deleted": deletion}


def row_kind(model, deleted_model, count):
    """What a row of `model` is, counted `count` times: "event", "parties", "topic links".

    A link between two records (an auto-created many-to-many row) is named after the
    record at its other end from the one deleted.
    """
    if model._meta.auto_created:
        ends = [field.related_model for field in model._meta.fields if field.many_to_one]
        other = next((end for end in ends if end is not deleted_model), ends[0])
        # Translators: rows linking a deleted record to records of a kind: "2 topic links".
        return ngettext("%(kind)s link", "%(kind)s links", count) % {
            "kind": other._meta.verbose_name
        }
    return model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural


class DeletedRow(models.Model):
    """One row a deletion removed, as Django's python serializer writes it."""

    deletion = models.ForeignKey(
        Deletion, verbose_name=_("deletion"), on_delete=models.CASCADE, related_name="rows"
    )
    model = models.CharField(_("model"), max_length=100)
    object_id = models.BigIntegerField(_("object id"))
    fields = models.JSONField(_("fields"), encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("deleted row")
        verbose_name_plural = _("deleted rows")
        ordering = ["pk"]
        indexes = [models.Index(fields=["model", "object_id"], name="deleted_row_idx")]

    def __str__(self):
        return f"{self.model} #{self.object_id}"
