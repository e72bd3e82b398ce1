"""What every domain admin shares: history, edit conflicts, and restoring deleted records.

Every record keeps its history (django-simple-history: the "History" button shows each
change field by field, and any earlier version can be restored), and carries a version
number, so that a save started from an older version is refused with the list of what
changed meanwhile (django-concurrency).
"""

from concurrency.admin import ConcurrentModelAdmin
from concurrency.forms import ConcurrentForm
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from simple_history.admin import SimpleHistoryAdmin

from cooperation.history import changes_since

VERSION = "version"


def conflict_message(record, seen_version):
    """Says that someone else saved first, and what they changed."""
    lines = [
        f"Someone else saved this {record._meta.verbose_name} after you opened it, "
        "so your changes were not saved and theirs are kept."
    ]
    for who, when, fields in changes_since(record, seen_version):
        when = date_format(timezone.localtime(when), "j F Y, H:i")
        changed = "; ".join(f"{label}: “{old}” → “{new}”" for label, old, new in fields)
        lines.append(f"{who} on {when}: {changed or 'saved it unchanged'}.")
    lines.append("Open the record again to see their version, then make your changes anew.")
    return lines


class RecordForm(ConcurrentForm):
    """A record's form: refuses a save started from an out-of-date version, saying why."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        restoring = getattr(self.instance, "_history", None) is not None
        if restoring and self.instance.pk and VERSION in self.fields:
            # An earlier version being restored builds on the current one.
            current = type(self.instance)._base_manager.filter(pk=self.instance.pk)
            self.initial[VERSION] = current.values_list(VERSION, flat=True).first()

    @cached_property
    def changed_data(self):
        # The version is bookkeeping: a blank extra inline row, whose version reads as 0,
        # has not been filled in, and must not be validated as if it had.
        return [name for name in super().changed_data if name != VERSION]

    def clean(self):
        cleaned = super(ConcurrentForm, self).clean()
        seen = cleaned.get(VERSION)  # 0 for a record loaded from fixtures and not saved since
        if self.instance.pk and seen is not None:
            current = (
                type(self.instance)
                ._base_manager.filter(pk=self.instance.pk)
                .values_list(VERSION, flat=True)
                .first()
            )
            if current is not None and current != seen:
                raise ValidationError(conflict_message(self.instance, seen))
        return cleaned


class RecordInline:
    """Inline rows are records too: they carry their version, hidden."""

    form = RecordForm

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        return fields if VERSION in fields else [*fields, VERSION]


class RecordAdmin(SimpleHistoryAdmin, ConcurrentModelAdmin):
    form = RecordForm
    change_list_template = "admin/record_change_list.html"
    # A filtered list says "12 results" without also counting the whole table.
    show_full_result_count = False

    def check(self, **kwargs):
        # The version field is added to the fieldsets below, not written in each admin.
        return [
            e
            for e in super().check(**kwargs)
            if e.id not in ("concurrency.A001", "concurrency.A002")
        ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if any(VERSION in admin.utils.flatten(options["fields"]) for _, options in fieldsets):
            return fieldsets
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options["fields"], VERSION]}), *rest]

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "deleted/",
                self.admin_site.admin_view(self.deleted_view),
                name="{}_{}_deleted".format(*info),
            ),
            path(
                "deleted/<int:history_id>/restore/",
                self.admin_site.admin_view(self.restore_view),
                name="{}_{}_restore".format(*info),
            ),
            *super().get_urls(),
        ]

    def deleted_records(self):
        """The last history row of each record that no longer exists."""
        history = self.model.history.model
        return (
            history.objects.filter(history_type="-")
            .exclude(id__in=self.model._base_manager.values("pk"))
            .select_related("history_user")
            .order_by("-history_date")
        )

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        # After a list edit, rows that someone else changed meanwhile were not saved
        # (django-concurrency); say which, in words rather than primary keys.
        conflicts = self._get_conflicts(request)
        if not conflicts:
            return super().message_user(request, message, level, *args, **kwargs)
        names = ", ".join(f"“{r}”" for r in self.model._base_manager.filter(pk__in=conflicts))
        admin.ModelAdmin.message_user(
            self,
            request,
            f"Not saved: {names}, which someone else changed after you opened this list. "
            "The other rows were saved. Reload the list to see their values, then edit again.",
            messages.ERROR,
        )

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # django-simple-history lets anyone who may read the history POST this form,
        # which saves the earlier version: restoring is a change, for those who may change.
        if request.method == "POST" and not self.has_change_permission(request):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def deleted_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Deleted {self.opts.verbose_name_plural}",
            "deleted": self.deleted_records()[:200],
        }
        return TemplateResponse(request, "admin/deleted_records.html", context)

    def restore_view(self, request, history_id):
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        deleted = get_object_or_404(self.deleted_records(), history_id=history_id)
        record = deleted.instance
        record._history_user = request.user
        record._change_reason = f"Restored after its deletion on {deleted.history_date:%Y-%m-%d}"
        back = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_deleted")
        try:
            with transaction.atomic():
                record.save(force_insert=True)
        except IntegrityError:
            messages.error(
                request,
                f"“{deleted}” refers to a record that was deleted too, or clashes with one "
                "that exists now: restore or remove that one first.",
            )
            return HttpResponseRedirect(back)
        messages.success(request, f"Restored “{record}”. Its history goes on from here.")
        return HttpResponseRedirect(
            reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[record.pk])
        )
