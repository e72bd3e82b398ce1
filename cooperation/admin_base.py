"""What every domain admin shares: history, edit conflicts, and restoring deleted records.

Every record keeps its history (django-simple-history: the "History" button shows each
change field by field, and any earlier version can be restored), and carries a version
number, so that a save started from an older version is refused with the list of what
changed meanwhile (django-concurrency).

A save is whole or refused. The form locks the rows it will write while it checks their
versions, so that no other save lands between the check and the write; anything that
still stops the write (a constraint broken by a save made at the same moment) rolls the
whole submission back and shows the form again, saying why. Only the rows a person
changed can conflict: a row that only someone else changed is left as they saved it.

The kit every app's admin.py builds its registrations from is here, and only here: the
record form and admin above, then the entry forms, citing inlines and search boxes below.
"""

import copy
import logging

from concurrency.admin import ConcurrentModelAdmin
from concurrency.config import CONCURRENCY_LIST_EDITABLE_POLICY_ABORT_ALL
from concurrency.exceptions import RecordModifiedError
from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AutocompleteMixin, AutocompleteSelect
from django.contrib.auth import get_permission_codename
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    FieldDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.db import IntegrityError, OperationalError, models, router, transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.db.models.constants import LOOKUP_SEP
from django.forms.models import (
    ALL_FIELDS,
    BaseInlineFormSet,
    InlineForeignKeyField,
    model_to_dict,
)
from django.forms.utils import pretty_name
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.text import capfirst, get_text_list
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from cooperation.deletions import DeletedRow, Deletion, RestoreRefused
from cooperation.forms import MAX_WORDS, FreeTextField
from cooperation.history import as_seen, changes_since
from cooperation.models import CITED_RECORDS, Citation, Source
from cooperation.partial_dates import (
    FORMAT_HELP,
    PartialDateField,
    PartialDateFormField,
    to_partial_date,
)

VERSION = "version"
REFUSED = "refused_while_written"  # the code of a WriteRefusal's error on a form
DEADLOCK = "40P01"  # PostgreSQL's code for two saves each waiting for the other's row
# What a save made at the same moment can break: a unique or a foreign key constraint
# (PostgreSQL's codes, SQLite's words). Any other broken constraint is a fault.
CLASHES = ("23505", "23503", "UNIQUE constraint failed", "FOREIGN KEY constraint failed")

logger = logging.getLogger(__name__)


def conflict_message(record, seen_version):
    """Says that someone else saved first, and what they changed."""
    lines = [
        gettext(
            "Someone else saved this %(kind)s after you opened it, "
            "so your changes were not saved and theirs are kept."
        )
        % {"kind": record._meta.verbose_name}
    ]
    for who, when, fields in changes_since(record, seen_version):
        when = date_format(timezone.localtime(when), "j F Y, H:i")
        changed = "; ".join(
            # Translators: one field changed: its label, the value before and after.
            gettext("%(label)s: “%(old)s” → “%(new)s”") % {"label": label, "old": old, "new": new}
            for label, old, new in fields
        )
        if changed:
            # Translators: who changed the record, when, and the fields they changed.
            lines.append(
                gettext("%(who)s on %(when)s: %(changes)s.")
                % {"who": who, "when": when, "changes": changed}
            )
        else:
            lines.append(
                gettext("%(who)s on %(when)s: saved it unchanged.") % {"who": who, "when": when}
            )
    lines.append(
        gettext("Open the record again to see their version, then make your changes anew.")
    )
    return lines


class WriteRefusal:
    """Why a save was refused while being written, after its form had been checked.

    The form is shown again, checked against what the other save wrote: a row that now
    clashes says so itself, on the row; what no row says (the database's refusal, which
    names tables and keys, says nothing a person can act on) stays in this message.
    """

    def __init__(self, clashes):
        self.clashes = clashes

    def message(self, said_on_rows=()):
        unsaid = [clash for clash in self.clashes if clash not in said_on_rows]
        on_rows = len(unsaid) < len(self.clashes)
        return " ".join(
            [
                gettext(
                    "Nothing was saved: someone else saved at the same moment, and your "
                    "changes clash with theirs."
                ),
                *unsaid,
                *([gettext("The rows marked below say where.")] if on_rows else []),
                gettext(
                    "Your changes are still in the form: check them against what is saved "
                    "now, then save again."
                ),
            ]
        )

    def __str__(self):
        return self.message()


def write_refusal(error):
    """What to tell the person whose save `error` stopped while it was being written,
    after its form had been checked (a WriteRefusal); None when `error` is a fault, not
    a refusal."""
    deadlock = isinstance(error, OperationalError) and (
        getattr(error.__cause__, "pgcode", None) == DEADLOCK
    )
    clash = isinstance(error, IntegrityError) and (
        getattr(error.__cause__, "pgcode", None) in CLASHES or str(error).startswith(CLASHES)
    )
    if not (deadlock or clash or isinstance(error, ValidationError | RecordModifiedError)):
        return None
    # The database's own words name tables and keys: only a check's words are kept.
    return WriteRefusal(error.messages if isinstance(error, ValidationError) else [])


def _count(text):
    """A formset's TOTAL_FORMS as sent: 0 when missing or not a number."""
    try:
        return max(0, min(int(text), 1000))
    except (TypeError, ValueError):
        return 0


def key_or_404(model, text):
    """The key of `model` that `text`, a part of an admin URL, names; else 404.

    The history URLs take any text where an id goes, and django-simple-history looks
    it up as it is: "abc" in a number column is an error (a 500), not a miss.
    """
    try:
        return model._meta.pk.to_python(unquote(text))
    except ValidationError:
        raise Http404(
            gettext("There is no %(kind)s “%(key)s”.")
            % {"kind": model._meta.verbose_name, "key": text}
        ) from None


def holds(field, texts):
    """False when one of `texts` cannot be a value of `field`: not of its kind, or out of
    its range (an id of 20 digits overflows SQLite's integers and PostgreSQL's bigint)."""
    try:
        for text in texts:
            field.run_validators(field.to_python(text))
    except ValidationError:
        return False
    return True


def can_refer(model, name, value):
    """False when `model`'s relation `name` could not refer to `value` (a text, or a list
    of texts for a many-to-many relation): not a key of the right kind, or out of range."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return True
    if not field.is_relation or field.auto_created:
        return True
    return holds(field.target_field, value if isinstance(value, list) else [value])


COMPARISONS = {"exact", "in", "gt", "gte", "lt", "lte"}


def compared_field(model, lookup):
    """The field an admin list's `lookup` ("organization__id__exact") compares, and how."""
    opts, field, comparison = model._meta, None, "exact"
    for part in lookup.split(LOOKUP_SEP):
        try:
            field = opts.get_field(part)
        except FieldDoesNotExist:
            comparison = part
            break
        if field.is_relation and field.related_model is not None:
            opts, field = field.related_model._meta, field.target_field
    return field, comparison


class LookupsThatFit:
    """An admin list refuses (400) a filter in its address that the database could not
    run: a number out of range, a version (django-concurrency's field hands its value
    to the database unchecked). Django checks neither before the query, which then
    fails with a 500. A mixin, before the ModelAdmin base."""

    def lookup_allowed(self, lookup, value, request=None):
        if lookup.split(LOOKUP_SEP)[0] == VERSION:
            return False
        field, comparison = compared_field(self.model, lookup)
        values = value.split(",") if comparison == "in" else [value]
        number = isinstance(field, models.IntegerField) and comparison in COMPARISONS
        if number and not holds(field, values):
            return False
        return super().lookup_allowed(lookup, value, request)


class RecordForm(forms.ModelForm):
    """A record's form: refuses a save started from an out-of-date version, saying why.

    Not django-concurrency's ConcurrentForm: its clean() checks the version without
    locking the row and says only "Record Modified"; clean() below does that check.

    On a record's page, the record itself is always written, so it conflicts whenever it
    changed meanwhile; its inline rows are written only when the person changed them.
    """

    # Set on the form shown again after its save was refused while being written
    # (RecordAdmin.saved_whole_or_refused): the refusal, which also keeps it from saving.
    refusal = None

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

    @cached_property
    def page_field(self):
        """On an inline row, the name of its field that holds the record whose page it is
        on (Django's InlineForeignKeyField); None on a record's own form."""
        for name, field in self.fields.items():
            if isinstance(field, InlineForeignKeyField):
                return name
        return None

    @property
    def is_row(self):
        """Whether this is an inline row on another record's page."""
        return self.page_field is not None

    def clean(self):
        cleaned = super().clean()
        if self.refusal:
            # Said again without what the rows say, once they are checked (RecordAdmin.
            # render_change_form), by its code.
            self.add_error(None, ValidationError(str(self.refusal), code=REFUSED))
        seen = cleaned.get(VERSION)  # 0 for a record loaded from fixtures and not saved since
        if not self.instance.pk or seen is None:
            return cleaned
        if self.is_row and not self.has_changed():
            return cleaned  # the same as saved now: it is not written, and cannot conflict
        current = self.locked_version()
        if current is None or current == seen:
            return cleaned
        if self.is_row and not self.changed_since(seen):
            # Only someone else changed this row: keep theirs rather than write back
            # the values this page was opened with.
            self.changed_data = []
            return cleaned
        raise ValidationError(conflict_message(self.instance, seen))

    def locked_version(self):
        """The record's version now, its row locked till the save commits, so that no
        other save lands between this check and the write."""
        rows = type(self.instance)._base_manager.filter(pk=self.instance.pk)
        if transaction.get_connection(rows.db).in_atomic_block:
            # The lock an update takes: rows added elsewhere may still refer to this one
            # (with FOR UPDATE, their foreign key checks would wait, and two saves that
            # each add a row referring to the other's record would deadlock).
            rows = rows.select_for_update(no_key=True)
        return rows.values_list(VERSION, flat=True).first()

    def changed_since(self, seen):
        """Whether the person changed this form from the `seen` version they opened,
        which the record's history keeps."""
        kept = as_seen(self.instance, seen)
        if kept is None:
            return True
        opened = model_to_dict(kept.instance, fields=self.changed_data)
        return any(
            self.fields[name].has_changed(opened.get(name), self[name].data)
            for name in self.changed_data
        )

    def validate_unique(self):
        super().validate_unique()
        # Django checks an inline row's constraints without the record the page is about
        # (the inline's foreign key), so a rule that names it, such as one event of each
        # kind and date per agreement, was left to the database: a 500 on save.
        if not self.is_row or not self.has_changed():
            return  # not a row, or a row that is not written
        exclude = self._get_validation_exclusions()
        using = router.db_for_write(type(self.instance), instance=self.instance)
        for model, constraints in self.instance.get_constraints():
            for constraint in constraints:
                if self.page_field in getattr(constraint, "fields", ()):
                    try:
                        constraint.validate(model, self.instance, exclude=exclude, using=using)
                    except ValidationError as error:
                        self._update_errors(error)


def name_boxes(form, row):
    """Name each box of `form`, a row of a table, for screen readers: "<column>, <row>".

    A table's boxes have no <label>: its column headings name them to the eye only, and a
    screen reader would announce each as a bare "edit text". The name goes on the box
    itself, inside the +/edit links around a search box; the admin's script hands it on
    to the search box that select2 draws over it.
    """
    for name, field in form.fields.items():
        box = getattr(field.widget, "widget", field.widget)
        if not box.is_hidden:
            label = pretty_name(name) if field.label is None else field.label
            # Translators: the name of a box in a table: its column, then its row.
            box.attrs["aria-label"] = gettext("%(column)s, %(row)s") % {
                "column": capfirst(label),
                "row": row,
            }


class RecordInline:
    """Inline rows are records too: they carry their version, hidden. In a table of rows,
    each box is named by its column and row ("Person, row 2 of participants")."""

    form = RecordForm

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        return fields if VERSION in fields else [*fields, VERSION]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if not isinstance(self, admin.TabularInline):
            return formset  # a stacked row labels each of its boxes
        rows = self.verbose_name_plural

        class NamedRows(formset):
            def add_fields(self, form, index):
                super().add_fields(form, index)
                # No index: the blank row "Add another" copies, whose number is not known.
                if index is None:
                    row = gettext("new row of %(rows)s") % {"rows": rows}
                else:
                    row = gettext("row %(number)s of %(rows)s") % {
                        "number": index + 1,
                        "rows": rows,
                    }
                name_boxes(form, row)

        return NamedRows


class RecordAdmin(LookupsThatFit, SimpleHistoryAdmin, ConcurrentModelAdmin):
    form = RecordForm
    change_list_template = "admin/record_change_list.html"
    # A filtered list says "12 results" without also counting the whole table.
    show_full_result_count = False
    # A record found changed only as it is written raises, rather than being skipped
    # (django-concurrency's default) while the rest of the save goes on without it.
    list_editable_policy = CONCURRENCY_LIST_EDITABLE_POLICY_ABORT_ALL

    def get_changelist_formset(self, request, **kwargs):
        # The boxes a list edits in place stand in a table too: named by column and record.
        formset = super().get_changelist_formset(request, **kwargs)

        class NamedRows(formset):
            def add_fields(self, form, index):
                super().add_fields(form, index)
                name_boxes(form, str(form.instance))

        return NamedRows

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
            path(
                "deletions/<int:deletion_id>/restore/",
                self.admin_site.admin_view(self.restore_deletion_view),
                name="{}_{}_restore_deletion".format(*info),
            ),
            *super().get_urls(),
        ]

    def deleted_records(self):
        """The last history row of each record that no longer exists and was deleted
        before deletions were kept (`deletions()`): only its history remembers it."""
        history = self.model.history.model
        kept = DeletedRow.objects.filter(model=self.opts.label_lower).values("object_id")
        return (
            history.objects.filter(history_type="-")
            .exclude(id__in=self.model._base_manager.values("pk"))
            .exclude(id__in=kept)
            .select_related("history_user")
            .order_by("-history_date")
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.refusal = getattr(request, "write_refusal", None)  # a new class at each call
        return form

    def saved_whole_or_refused(self, view, request, *args):
        """Run `view`, which saves a submitted form, in one transaction. If the write is
        refused after the form was checked, the transaction rolls all of it back: show
        the form again, saying why, with the person's changes still in it."""
        if request.method != "POST":
            return view(request, *args)
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                return view(request, *args)
        except (ValidationError, RecordModifiedError, IntegrityError, OperationalError) as error:
            refusal = write_refusal(error)
            if refusal is None:
                raise
            logger.info("Save refused while being written (%s): %r", self.opts.label, error)
        # Checked again, the form sees what the other save wrote; with the refusal on
        # it, it is not valid, and so saves nothing.
        request.write_refusal = refusal
        return view(request, *args)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return self.saved_whole_or_refused(
            super().changeform_view, request, object_id, form_url, extra_context
        )

    def render_change_form(self, request, context, *args, **kwargs):
        refusal = getattr(request, "write_refusal", None)
        if refusal is not None and "adminform" in context:
            # The rows are checked now: what they say of the clash is said on them.
            rows = [form for inline in context["inline_admin_formsets"] for form in inline.formset]
            said_on_rows = {
                message for form in rows for errors in form.errors.values() for message in errors
            }
            errors = context["adminform"].form.errors.get(NON_FIELD_ERRORS, [])
            for index, error in enumerate(errors.data if errors else []):
                if getattr(error, "code", None) == REFUSED:
                    errors.data[index] = ValidationError(
                        refusal.message(said_on_rows), code=REFUSED
                    )
        return super().render_change_form(request, context, *args, **kwargs)

    def changelist_view(self, request, extra_context=None):
        # A list edit is saved whole too: Django saves its rows in one transaction, which
        # a conflict on any row now rolls back. The list cannot be shown again with the
        # values sent (django-concurrency's row versions would be lost), so it says which
        # row conflicted and that nothing was saved.
        try:
            return super().changelist_view(request, extra_context)
        except RecordModifiedError as conflict:
            messages.error(
                request,
                gettext(
                    "Not saved: “%(record)s”, which someone else changed after you opened "
                    "this list. Nothing on the list was saved: reload it to see their "
                    "values, then make your changes again."
                )
                % {"record": conflict.target},
            )
            return HttpResponseRedirect(request.get_full_path())

    def get_search_results(self, request, queryset, search_term):
        # The admin looks for each word in every search field, as a list's search box and
        # every autocomplete ask: bounded as the site's own search is.
        try:
            FreeTextField(max_words=MAX_WORDS, required=False).clean(search_term)
        except ValidationError as too_long:
            if request.resolver_match.url_name != "autocomplete":
                messages.error(
                    request, gettext("Not searched: %(reason)s") % {"reason": too_long.messages[0]}
                )
            return queryset.none(), False
        return super().get_search_results(request, queryset, search_term)

    def get_changeform_initial_data(self, request):
        # An add page takes initial values from its address (?meeting=3); its search
        # boxes look each up as it is, and "abc" where a key goes is an error, not a miss.
        initial = super().get_changeform_initial_data(request)
        return {name: text for name, text in initial.items() if can_refer(self.model, name, text)}

    def get_formsets_with_inlines(self, request, obj=None):
        # An inline that starts with rows from the page's address shows as many blank rows.
        for inline in self.get_inline_instances(request, obj):
            rows = rows_from_address(request, inline)
            extra = {"extra": len(rows)} if rows else {}
            yield inline.get_formset(request, obj, **extra), inline

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        rows = rows_from_address(request, inline)
        if rows:
            kwargs["initial"] = rows
        return kwargs

    def history_view(self, request, object_id, extra_context=None):
        key_or_404(self.model, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        key_or_404(self.model, object_id)
        key_or_404(self.model.history.model, version_id)
        # django-simple-history lets anyone who may read the history POST this form,
        # which saves the earlier version: restoring is a change, for those who may change.
        if request.method == "POST" and not self.has_change_permission(request):
            raise PermissionDenied
        response = self.saved_whole_or_refused(
            super().history_form_view, request, object_id, version_id, extra_context
        )
        if request.method == "POST" and response.status_code == 302:
            # The earlier version brings back its derived columns as they were then:
            # derive them again from what the record's citations say now.
            self.model.refresh_derived([key_or_404(self.model, object_id)])
        return response

    def deleted_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Deleted %(records)s") % {"records": self.opts.verbose_name_plural},
            "deletions": self.deletions().with_row_counts().select_related("deleted_by")[:200],
            "deleted": self.deleted_records()[:200],
        }
        return TemplateResponse(request, "admin/deleted_records.html", context)

    def restore_view(self, request, history_id):
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        history = self.model.history.model.objects.filter(history_type="-")
        gone = history.exclude(id__in=self.model._base_manager.values("pk"))
        deleted = get_object_or_404(gone, history_id=history_id)
        kept = Deletion.objects.pending().filter(
            rows__model=self.opts.label_lower, rows__object_id=deleted.id
        )
        if kept:
            # Deleted since deletions are kept: it comes back with what went with it.
            return self.restore_deletion(request, kept[0])
        record = deleted.instance
        record._history_user = request.user
        record._change_reason = f"Restored after its deletion on {deleted.history_date:%Y-%m-%d}"
        back = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_deleted")
        try:
            with transaction.atomic():
                record.save(force_insert=True)
                self.model.refresh_derived([record.pk])
        except IntegrityError:
            messages.error(
                request,
                gettext(
                    "“%(record)s” refers to a record that was deleted too, or clashes with "
                    "one that exists now: restore or remove that one first."
                )
                % {"record": deleted},
            )
            return HttpResponseRedirect(back)
        messages.success(
            request,
            gettext("Restored “%(record)s”. Its history goes on from here.") % {"record": record},
        )
        return HttpResponseRedirect(
            reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[record.pk])
        )

    def deletions(self):
        """The deletions this list offers to restore: those that removed records of this
        list, or rows edited on its pages that have no list of their own (an agreement's
        parties, an organization's other names)."""
        rows_of = [
            inline.model
            for inline in self.inlines
            if not self.admin_site.is_registered(inline.model)
        ]
        return Deletion.objects.pending().holding(self.model, *rows_of)

    def restore_deletion_view(self, request, deletion_id):
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        return self.restore_deletion(request, get_object_or_404(self.deletions(), pk=deletion_id))

    def may_add_everything_in(self, request, deletion):
        """Restoring adds rows of each kind the deletion removed: who restores must be
        allowed to add every kind (countries, which only administrators add, say)."""
        for label in deletion.rows.values_list("model", flat=True).distinct():
            model = apps.get_model(label)
            if model._meta.auto_created:
                continue  # a link between two records, which restoring one of them adds
            model_admin = self.admin_site._registry.get(model)
            if model_admin is not None:
                allowed = model_admin.has_add_permission(request)
            else:
                codename = get_permission_codename("add", model._meta)
                allowed = request.user.has_perm(f"{model._meta.app_label}.{codename}")
            if not allowed:
                return False
        return True

    def restore_deletion(self, request, deletion):
        """Restore a deleted record with every row deleted with it, or nothing, saying why."""
        if not self.may_add_everything_in(request, deletion):
            raise PermissionDenied
        back = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_deleted")
        try:
            deletion.restore(request.user)
        except RestoreRefused as refusal:
            messages.error(request, gettext("Nothing was restored."))
            for problem in refusal.problems:
                messages.error(request, problem)
            return HttpResponseRedirect(back)
        deletion = Deletion.objects.with_row_counts().get(pk=deletion.pk)
        with_it = ", ".join(deletion.comes_back())
        if with_it:
            restored = gettext(
                "Restored “%(record)s” with %(rows)s. Their history goes on from here."
            ) % {"record": deletion, "rows": with_it}
        else:
            restored = gettext("Restored “%(record)s”. Their history goes on from here.") % {
                "record": deletion
            }
        messages.success(request, restored)
        model = deletion.record_model
        if not self.admin_site.is_registered(model):
            return HttpResponseRedirect(back)
        info = model._meta.app_label, model._meta.model_name
        return HttpResponseRedirect(
            reverse("admin:{}_{}_change".format(*info), args=[deletion.object_id])
        )


# The entry forms: how fields are typed in, and the rows that cite a source.


class PartialDateInput(forms.TextInput):
    """A partial date's box, ten characters wide, with the shapes a date takes written
    beside it, where staff type: a year or a month alone is a date too.

    A help text would not do: a table of rows shows it only as a tooltip on the column's
    heading. The shapes are the box's description for screen readers, except on the
    blank row that "Add another" copies: the copy's ids are renumbered, but not the
    references to them.
    """

    template_name = "admin/widgets/partial_date.html"
    shapes = _("2013, 2013-08 or 2013-08-20")

    def __init__(self, attrs=None):
        super().__init__({"size": 10, "class": "partial-date", **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        widget["shapes"] = self.shapes
        box = widget["attrs"].get("id")
        if box and "__prefix__" not in box:
            widget["shapes_id"] = f"{box}_shapes"
            described = widget["attrs"].get("aria-describedby")
            widget["attrs"]["aria-describedby"] = " ".join(
                filter(None, [described, widget["shapes_id"]])
            )
        return context


# A partial date is ten characters at most: the admin would give it a 20em box, like any
# text; beside it, the shapes it takes.
DATE_INPUT = PartialDateInput()


class LineOfText(forms.Textarea):
    """A line of text in a row of a table (a note, a capacity, a post's title): it wraps
    and its box grows as it is typed, rather than scroll out of sight in a one-line box
    squeezed between the row's other boxes. A line break typed in is taken as a space."""

    def __init__(self, attrs=None):
        super().__init__({"rows": 1, "class": "line-of-text", **(attrs or {})})

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        return " ".join(value.splitlines()) if isinstance(value, str) else value


# Titles and names run to a line of text: a box as wide as the form shows them whole.
WIDE_INPUT = forms.TextInput(attrs={"class": "vLargeTextField"})


def rows_from_address(request, inline):
    """The rows `inline` starts with when its page is opened from an address that says
    what to fill in (a source's reading page: "?source=3&passage=…"). Only on showing the
    form: a row sent back is the person's, and a blank row equal to its starting values
    would not be saved."""
    if request.method != "GET" or not hasattr(inline, "rows_from_address"):
        return []
    return inline.rows_from_address(request.GET)


class EntryForms:
    """What the form of every record shares: partial dates typed in short boxes, long
    titles in wide ones. A mixin, before the ModelAdmin base."""

    formfield_overrides = {
        PartialDateField: {"widget": DATE_INPUT},
        # A link typed without its scheme is taken as https, as Django 6 will.
        models.URLField: {"assume_scheme": "https"},
    }
    wide_fields = ["title", "name", "action"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.wide_fields:
            kwargs.setdefault("widget", WIDE_INPUT)
        if isinstance(db_field, PartialDateField) and db_field.help_text == FORMAT_HELP:
            kwargs.setdefault("help_text", "")  # the box shows the shapes itself
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if formfield is not None:
            name_choices(formfield)
        return formfield


# Choosing a record: each named apart from the others like it.

# What a record's choice_label() reads besides its own row, read with the records a box
# or a select offers or a page's rows hold, so that naming them costs no query each.
CHOICE_LABEL_READS = {
    "agreements.agreement": ["latest_event", "parties"],
    "meetings.meeting": ["country"],
}


def choice_reads(model):
    return CHOICE_LABEL_READS.get(model._meta.label_lower, [])


def choice_label(record):
    """How a search box or a select names `record` among records like it: by its
    choice_label() where its model has one (two MOUs whose titles differ only at the
    end, two meetings on one day), else as pages and history do."""
    label = getattr(record, "choice_label", None)
    return label() if callable(label) else str(record)


def name_choices(formfield):
    """Have the choices of `formfield`, a select or a search box of records, named by
    choice_label(): the selected one as its box draws it, and every option of a select."""
    if not hasattr(formfield, "label_from_instance"):
        return
    formfield.label_from_instance = choice_label
    reads = choice_reads(formfield.queryset.model)
    if reads:
        formfield.queryset = formfield.queryset.prefetch_related(*reads)


class ChoiceSearch(AutocompleteJsonView):
    """What a search box offers as it is typed in, each record named by choice_label(),
    as the box names the record once chosen."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object_list"] = list(context["object_list"])
        prefetch_related_objects(context["object_list"], *choice_reads(self.model_admin.model))
        return context

    def serialize_result(self, obj, to_field_name):
        return {**super().serialize_result(obj, to_field_name), "text": choice_label(obj)}


def search_boxes_view(request):
    return ChoiceSearch.as_view(admin_site=admin.site)(request)


# Every search box of the admin asks this view: AdminSite.get_urls() routes the boxes'
# address to the site's autocomplete_view, read when the URLs are first loaded, after
# the admin modules (which import this one).
admin.site.autocomplete_view = search_boxes_view


class RowSearchBox(AutocompleteSelect):
    """A row's search box, which names the record the saved row holds without asking
    the database for it again.

    Django's box looks its choice up each time it is drawn: on the page of a meeting,
    four queries for each participant. The row's form hands the box the record its row
    already read (`chosen`; CitedInline reads them with the rows), and while that is
    still the choice the box names it from there.
    """

    chosen = None

    # Django offers no supported way to hand the box its choice: optgroups is an
    # undocumented method of AutocompleteMixin. tests/test_library_hooks.py checks its
    # signature, and test_admin_at_scale.py that this box draws what Django's draws.
    def optgroups(self, name, value, attr=None):
        chosen = self.chosen
        key = None if chosen is None else getattr(chosen, self.field.target_field.attname)
        if [str(v) for v in value if v not in self.choices.field.empty_values] != [str(key)]:
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required:
            options.append(self.create_option(name, "", "", False, 0))
        label = self.choices.field.label_from_instance(chosen)
        options.append(self.create_option(name, key, label, True, len(options)))
        return [(None, options, 0)]


class RowsFormSet(BaseInlineFormSet):
    """An inline's rows, whose errors are said on the rows they concern, not above the
    table, where on a long page nobody could tell which row is meant.

    A rule that rows break together is said on each of them (`refuse_rows()`); a row
    that repeats another, on the row that repeats it (Django would say "Please correct
    the duplicate values below." there, and what is duplicated above the table).
    """

    def full_clean(self):
        self.refused = []
        super().full_clean()
        # Django leaves out the errors of rows being removed: a refusal to remove one
        # counts, at the top of the page too.
        self._errors.extend(form.errors for form in self.refused)

    def is_valid(self):
        return super().is_valid() and not self.refused

    def refuse_rows(self, forms, message):
        """Say `message` on each of `forms`, which together break a rule; the formset is
        then not valid, even when the rows are ones being removed."""
        for form in forms:
            form.add_error(None, message)
            if self._should_delete_form(form) and form not in self.refused:
                self.refused.append(form)

    def get_unique_error_message(self, unique_check):
        fields = [
            str(self.model._meta.get_field(name).verbose_name)
            for name in unique_check
            if name != self.fk.name  # the record whose page it is: the same on every row
        ]
        return gettext("A row above has the same %(fields)s: change one of them.") % {
            "fields": get_text_list(fields, gettext("and"))
        }

    def validate_unique(self):
        try:
            super().validate_unique()
        except ValidationError as duplicates:
            marked = self.get_form_error()
            for form in self.forms:
                errors = form._errors.get(NON_FIELD_ERRORS) if form._errors else None
                if errors and marked in errors:
                    form._errors[NON_FIELD_ERRORS] = self.error_class(
                        list(dict.fromkeys(duplicates.messages)), renderer=self.renderer
                    )


class CitedRowForm(RecordForm):
    """A row on a record's page, which can quote a source on the same page.

    A report is entered on one page: the meeting cites it, and so do most of its rows.
    The row's `source`, `passage` and `attests_on` are its first citation (its own page
    lists all of them); a row with a passage and no source quotes the page's first
    source.
    """

    # The fields of the row's first citation, shown among the row's own.
    citation_fields = ("source", "passage", "attests_on")

    source = forms.ModelChoiceField(
        Source.objects.all(),
        label=_("Source"),
        required=False,
        help_text=_("Blank, with a passage: the first source of the record above."),
    )
    passage = forms.CharField(
        label=_("Passage"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 30}),
        help_text=_("The words of the source about this row, quoted exactly."),
    )
    attests_on = PartialDateFormField(
        label=_("Attested on"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("The date the source speaks of."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        listed = self._meta.fields
        if listed is not None and listed != ALL_FIELDS:
            # Declared fields are on every form: keep those the inline lists.
            for name in self.citation_fields:
                if name not in listed:
                    del self.fields[name]
        self.first_citation = None
        if self.instance.pk is not None:
            # Read with the rows (CitedInline.get_queryset).
            self.first_citation = next(iter(self.instance.citations.all()), None)
        if self.first_citation is not None:
            for name in self.citation_fields:
                if name in self.fields:
                    self.initial.setdefault(name, getattr(self.first_citation, name))
        for name, field in self.fields.items():
            box = getattr(field.widget, "widget", field.widget)  # inside the +/edit links
            if isinstance(box, RowSearchBox):
                box.chosen = getattr(self.instance, name, None)
                if name == "source" and self.first_citation is not None:
                    box.chosen = self.first_citation.source

    def page_source(self):
        """The first source cited on the page this row is on: the one typed in its
        citations now, or else the one it was saved with."""
        for row in range(_count(self.data.get("citations-TOTAL_FORMS"))):
            key = self.data.get(f"citations-{row}-source")
            if key and not self.data.get(f"citations-{row}-DELETE"):
                return Source.objects.filter(pk=key).first()
        record = self.fields[self.page_field].parent_instance if self.is_row else None
        if record is not None and record.pk is not None:
            first = record.citations.select_related("source").first()
            return first.source if first else None
        return None

    def clean(self):
        cleaned = super().clean()
        if "source" not in self.fields:
            return cleaned  # read-only, or a row that quotes nothing
        if cleaned.get("passage") and not cleaned.get("source"):
            cleaned["source"] = self.page_source()
        citation = self.citation()
        if citation is not None:
            try:
                citation.full_clean(exclude=[*CITED_RECORDS, "version"])
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    self.add_error(name if name in self.fields else None, messages)
        return cleaned

    def citation(self):
        """The row's first citation as the form would leave it; None when the form
        names no source, passage or date and the row had no citation."""
        names = [name for name in self.citation_fields if name in self.fields]
        values = {name: self.cleaned_data.get(name) for name in names}
        if self.first_citation is None and not any(values.values()):
            return None
        citation = self.first_citation or Citation()
        for name, value in values.items():
            setattr(citation, name, "" if value is None and name == "passage" else value)
        return citation

    def _save_m2m(self):
        super()._save_m2m()
        if "source" not in self.fields:
            return
        citation = self.citation()
        if citation is None:
            return
        changed = set(self.citation_fields) & set(self.changed_data)
        if citation.pk is not None and not changed:
            return
        if citation.pk is not None and not (citation.source_id or citation.passage):
            citation.delete()  # the row's source and passage cleared
            return
        setattr(citation, Citation.field_for(type(self.instance)), self.instance)
        citation.save()


class CitationInline(EntryForms, RecordInline, admin.TabularInline):
    """A record's citations, on its own page: the one inline for every kind of record.

    First among a page's inlines: a row below that quotes a passage without naming its
    source quotes the first source here (CitedRowForm.page_source).
    """

    model = Citation
    formset = RowsFormSet
    extra = 1
    fields = ["source", "passage", "attests_on", "contradicts", "states_instead"]
    autocomplete_fields = ["source"]
    formfield_overrides = {
        **EntryForms.formfield_overrides,
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 40})},
    }
    verbose_name = _("source cited")
    verbose_name_plural = _("sources cited")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source")

    def rows_from_address(self, query):
        """A citation to add, from "?source=<id>&passage=…&attests_on=2013-08-20": what
        a source's reading page links to. Values that could not be saved are left out."""
        source, passage = query.get("source", ""), query.get("passage", "")
        if not (source or passage):
            return []
        row = {"passage": passage}
        if source and can_refer(Citation, "source", source):
            row["source"] = source
        try:
            attests_on = to_partial_date(query.get("attests_on", ""))
        except ValidationError:
            attests_on = None
        if attests_on:
            row["attests_on"] = attests_on.iso
        return [row]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "source":
            # The model's words, as a row's citation fields say it, not "This field is
            # required.": the form checks this before the model would.
            kwargs.setdefault("error_messages", {"required": db_field.error_messages["blank"]})
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class CitedInline(EntryForms, RecordInline):
    """Inline rows that cite a source: the source is picked by search, the passage kept short."""

    form = CitedRowForm
    formset = RowsFormSet
    # Text boxes as wide as the form, and search boxes wider than the others: two MOUs
    # between the same parties differ only at the end of their titles.
    wide_fields = []
    search_box_widths = {}
    # A passage is a sentence or two; a full-height textarea on every row buries the form.
    formfield_overrides = {
        **EntryForms.formfield_overrides,
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 30})},
    }
    # Read with the rows, besides the records their search boxes name and the record
    # whose page they are on: what those records' names need (a post is named with its
    # organization and holder).
    rows_select_related = []

    def get_queryset(self, request):
        to_page = [
            field.name
            for field in self.model._meta.concrete_fields
            if field.related_model is self.parent_model and self.fk_name in (None, field.name)
        ]
        boxes = [
            name
            for name in self.get_autocomplete_fields(request)
            if self.model._meta.get_field(name).many_to_one
        ]
        related = [*boxes, *to_page, *self.rows_select_related]
        citations = Prefetch("citations", Citation.objects.select_related("source"))
        # What the boxes' records are named with (choice_label).
        named_with = [
            f"{name}{LOOKUP_SEP}{read}"
            for name in boxes
            for read in choice_reads(self.model._meta.get_field(name).related_model)
        ]
        return (
            super()
            .get_queryset(request)
            .select_related(*related)
            .prefetch_related(citations, *named_with)
        )

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        fields = formset.form.base_fields
        if "source" in fields:
            # The row's first citation's source, picked by search like the row's records
            # (a copy: the declared field is the form class's).
            fields["source"] = copy.deepcopy(fields["source"])
            box = RowSearchBox(Citation._meta.get_field("source"), self.admin_site)
            if isinstance(self, admin.TabularInline):
                box.attrs["data-width"] = "14em"
            fields["source"].widget = box
        return formset

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        long_line = (
            isinstance(db_field, models.CharField)
            and not isinstance(db_field, PartialDateField)
            and not db_field.choices
            and (db_field.max_length or 0) >= 200
        )
        if long_line and isinstance(self, admin.TabularInline):
            kwargs.setdefault("widget", LineOfText)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = RowSearchBox(db_field, self.admin_site, using=kwargs.get("using"))
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if isinstance(formfield.widget, AutocompleteMixin):
            # Select2 boxes are 20em wide; six of them in a row run off the screen.
            width = "14em" if isinstance(self, admin.TabularInline) else None
            width = self.search_box_widths.get(db_field.name, width)
            if width:
                formfield.widget.attrs["data-width"] = width
        return formfield
