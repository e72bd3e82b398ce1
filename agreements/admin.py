from django import forms
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agreements.filters import NOBODY, account_label, desk_officers
from agreements.models import Agreement, AgreementEvent, AgreementParty, FollowUp
from cooperation.accounts import name_of
from cooperation.admin_base import (
    CitationInline,
    CitedInline,
    CitedRowForm,
    EntryForms,
    RecordAdmin,
    RecordForm,
    RowsFormSet,
)
from cooperation.partial_dates import FORMAT_HELP, PartialDate
from meetings.admin import MeetingAdmin
from meetings.models import Meeting


class EventRowsChangingStatus:
    """A page with rows of events writes them inside Agreement.events_changing(), which
    locks their agreements and refreshes their status in the same transaction."""

    def save_formset(self, request, form, formset, change):
        if formset.model is not AgreementEvent or not formset.has_changed():
            return super().save_formset(request, form, formset, change)
        events = formset.save(commit=False)  # the rows to write, not written yet
        with Agreement.events_changing(*events, *formset.deleted_objects):
            for event in events:
                # Again under the agreements' lock: an event someone recorded meanwhile
                # that clashes is named, where the database would only refuse the row.
                event.validate_constraints()
            super().save_formset(request, form, formset, change)


class ReadOnce(forms.models.ModelChoiceIterator):
    """The choices of a DeskOfficerField, read at the first use by any copy of the field."""

    def __iter__(self):
        read = self.field.read
        if "choices" not in read:
            read["choices"] = list(super().__iter__())
        return iter(read["choices"])

    def __len__(self):
        return len(list(self))

    def __bool__(self):
        return True  # the empty choice, at least


class DeskOfficerField(forms.ModelChoiceField):
    """A select of the accounts that may be desk officers, read in one query for a page
    however many rows offer it: each row's copy of the field shares what was read."""

    iterator = ReadOnce

    def __init__(self, *args, **kwargs):
        self.read = {}  # shared with the copies (Field.__deepcopy__ copies shallowly)
        super().__init__(*args, **kwargs)

    def label_from_instance(self, account):
        return account_label(account)

    def to_python(self, value):
        """The account among the choices already read, not read again for each row."""
        if value in self.empty_values:
            return None
        for choice, _label in self.choices:
            if choice != "" and str(choice) == str(value):
                return choice.instance
        raise ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )


class DeskOfficerChoices:
    """A record's desk officer chosen from the accounts that may be one. A mixin, before
    the ModelAdmin or inline base."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name != "desk_officer":
            return super().formfield_for_foreignkey(db_field, request, **kwargs)
        kwargs.setdefault("required", False)
        return db_field.formfield(form_class=DeskOfficerField, queryset=desk_officers(), **kwargs)


class DeskOfficerChecked:
    """A form that refuses a newly chosen desk officer who may no longer use the site
    (one still offered only because they track other records). A mixin, before the form."""

    def clean_desk_officer(self):
        account = self.cleaned_data.get("desk_officer")
        if (
            account is not None
            and not account.may_use_site
            and account.pk != self.initial.get("desk_officer")
        ):
            raise ValidationError(
                gettext("%(name)s may no longer use the site: choose another desk officer.")
                % {"name": name_of(account)}
            )
        return account


class DeskOfficerListFilter(admin.SimpleListFilter):
    """The changelists by desk officer: each account that may be one, or none."""

    title = _("desk officer")
    # Not "desk_officer": the admin would check "none" as a value of that relation.
    parameter_name = "tracked_by"

    def lookups(self, request, model_admin):
        accounts = [(str(account.pk), account_label(account)) for account in desk_officers()]
        return [(NOBODY, gettext("No desk officer")), *accounts]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if value == NOBODY:
            return queryset.filter(desk_officer=None)
        if value not in {key for key, _label in self.lookup_choices}:
            raise IncorrectLookupParameters(value)
        return queryset.filter(desk_officer=value)


@admin.display(description=_("desk officer"), ordering="desk_officer__username")
def desk_officer_name(record):
    account = record.desk_officer
    return name_of(account) if account else None


def date_of(meeting):
    """The meeting's date, or None while the meeting form has none or a wrong one."""
    date = getattr(meeting, "date", None)
    return date if isinstance(date, PartialDate) else None


class EventForm(RecordForm):
    """An event row: its date may be left blank when it happened at a meeting.

    On a meeting's page the row's `meeting` is the meeting being entered, which may not
    be saved yet: AgreementEvent.clean() cannot compare dates with an unsaved meeting,
    so this form does.
    """

    class Meta:
        model = AgreementEvent
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "date" in self.fields:  # not when the page is read-only
            self.fields["date"].required = False
            self.fields["date"].help_text = gettext(
                "Blank: the date of the meeting. %(format)s."
            ) % {"format": FORMAT_HELP}

    def clean(self):
        cleaned = super().clean()
        if "date" not in self.fields or "date" in self.errors:
            return cleaned
        meeting = cleaned.get("meeting")
        meeting_date = date_of(meeting)
        date = cleaned.get("date")
        if date is None:
            if meeting_date is None:
                self.add_error("date", gettext("Give the date, or the meeting it happened at."))
            else:
                cleaned["date"] = meeting_date
        elif (
            meeting is not None
            and meeting.pk is None
            and meeting_date is not None
            and (date.last < meeting_date.first or meeting_date.last < date.first)
        ):
            self.add_error(
                "date",
                gettext("The meeting it happened at was on %(date)s.") % {"date": meeting_date},
            )
        return cleaned


class AgreementForm(DeskOfficerChecked, RecordForm):
    class Meta:
        model = Agreement
        fields = "__all__"


class FollowUpForm(DeskOfficerChecked, RecordForm):
    """A follow-up row; from a meeting not yet saved it still counts from the meeting's date."""

    class Meta:
        model = FollowUp
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        if "requested_on" in self.fields and "requested_on" not in self.errors:
            meeting_date = date_of(cleaned.get("meeting"))
            if cleaned.get("requested_on") is None and meeting_date is not None:
                cleaned["requested_on"] = meeting_date
        return cleaned


class EventRowForm(CitedRowForm, EventForm):
    """An event row, with its first citation."""


class FollowUpRowForm(CitedRowForm, FollowUpForm):
    """A follow-up row, with its first citation."""


class PartyRows(RowsFormSet):
    """An agreement's parties: one that an event names as the party that acted stays
    until that event names another, which its row says."""

    def clean(self):
        super().clean()
        leaving = {
            form.instance.organization_id: form for form in self.deleted_forms if form.instance.pk
        }
        if not leaving:
            return
        acts = AgreementEvent.objects.filter(
            agreement=self.instance, acting_party__in=leaving
        ).select_related("acting_party")
        for event in acts.order_by("date_first", "pk"):
            self.refuse_rows(
                [leaving[event.acting_party_id]],
                gettext(
                    "%(party)s cannot be removed from the parties: the event “%(event)s” names "
                    "it as the party that acted. Change that event first."
                )
                % {"party": event.acting_party.short_name, "event": event},
            )


class PartyInline(CitedInline, admin.TabularInline):
    model = AgreementParty
    formset = PartyRows
    extra = 2
    autocomplete_fields = ["organization"]
    fields = ["organization", "source", "passage"]

    def get_extra(self, request, obj=None, **kwargs):
        # Two blank rows for a new agreement's two parties; none once they are entered.
        return 0 if obj is not None and obj.party_links.exists() else self.extra


class EventInline(CitedInline, admin.TabularInline):
    model = AgreementEvent
    form = EventRowForm
    extra = 1
    autocomplete_fields = ["acting_party", "meeting", "country"]
    fields = [
        "kind",
        "date",
        "acting_party",
        "meeting",
        "city",
        "country",
        "description",
        "source",
        "passage",
    ]
    ordering = ["date_first", "date_last", "pk"]


class FollowUpInline(DeskOfficerChoices, CitedInline, admin.StackedInline):
    model = FollowUp
    form = FollowUpRowForm
    # Its page on the site is its row on the agreement's or meeting's page: this one's.
    view_on_site = False
    wide_fields = ["action"]
    search_box_widths = {"agreement": "36em", "meeting": "36em"}
    extra = 0
    autocomplete_fields = [
        "meeting",
        "requested_by_organization",
        "requested_by_person",
        "responsible_organization",
        "responsible_person",
    ]
    fields = [
        "action",
        ("responsible_organization", "responsible_person"),
        ("requested_by_organization", "requested_by_person"),
        ("requested_on", "due"),
        ("state", "closed_on"),
        "desk_officer",
        "details",
        ("source", "passage"),
    ]

    def get_queryset(self, request):
        # Named on a read-only page without a query for each row.
        return super().get_queryset(request).select_related("desk_officer")


class FollowUpOfAgreementInline(FollowUpInline):
    fk_name = "agreement"
    fields = [*FollowUpInline.fields, "meeting"]


@admin.register(Agreement)
class AgreementAdmin(DeskOfficerChoices, EventRowsChangingStatus, EntryForms, RecordAdmin):
    form = AgreementForm
    list_display = [
        "title",
        "kind",
        "party_names",
        "status_display",
        "open_follow_ups",
        desk_officer_name,
    ]
    list_filter = ["kind", "entry_into_force", "topics", DeskOfficerListFilter]
    search_fields = [
        "title",
        "summary",
        "parties__name",
        "parties__acronym",
        "parties__other_names__name",
    ]
    autocomplete_fields = ["topics"]
    fieldsets = [
        (
            None,
            {"fields": ["title", "kind", "entry_into_force", "topics", "summary", "desk_officer"]},
        ),
    ]
    inlines = [CitationInline, PartyInline, EventInline, FollowUpOfAgreementInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .with_status()
            .with_open_follow_up_count()
            .select_related("desk_officer")
            .prefetch_related("parties")
        )

    @admin.display(description=_("parties"))
    def party_names(self, agreement):
        return ", ".join(party.short_name for party in agreement.parties.all())

    @admin.display(description=_("status"), ordering="status")
    def status_display(self, agreement):
        if not agreement.status:
            return gettext("no events yet")
        return f"{agreement.current_status_label}, {agreement.status_date}"

    @admin.display(description=_("open follow-ups"), ordering="open_follow_up_count")
    def open_follow_ups(self, agreement):
        return agreement.open_follow_up_count


@admin.register(AgreementParty)
class AgreementPartyAdmin(EntryForms, RecordAdmin):
    """A party, on its own page: there it cites as many sources as it has (a row on the
    agreement's page edits its first)."""

    list_display = ["organization", "agreement"]
    list_select_related = ["organization", "agreement"]
    search_fields = ["agreement__title", "organization__name", "organization__acronym"]
    autocomplete_fields = ["agreement", "organization"]
    ordering = ["agreement__title", "organization__name"]
    inlines = [CitationInline]


@admin.register(AgreementEvent)
class AgreementEventAdmin(EntryForms, RecordAdmin):
    list_display = ["agreement", "kind", "date", "acting_party", "meeting"]
    list_filter = ["kind"]
    list_select_related = ["agreement", "acting_party", "meeting"]
    search_fields = ["agreement__title", "description", "meeting__title"]
    autocomplete_fields = ["agreement", "acting_party", "meeting", "country"]
    ordering = ["-date_first", "-date_last", "-pk"]
    inlines = [CitationInline]

    # Each write of an event inside Agreement.events_changing(), as on the pages above.

    def save_model(self, request, obj, form, change):
        with Agreement.events_changing(obj):
            obj.validate_constraints()  # again under the lock, as on the pages above
            super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        with Agreement.events_changing(obj):
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with Agreement.events_changing(*queryset):
            super().delete_queryset(request, queryset)


@admin.register(FollowUp)
class FollowUpAdmin(DeskOfficerChoices, EntryForms, RecordAdmin):
    form = FollowUpForm
    list_display = ["action", "agreement", "owed_by_display", "due", "state", desk_officer_name]
    list_editable = ["state"]
    list_filter = ["state", DeskOfficerListFilter]
    list_select_related = [
        "agreement",
        "responsible_organization",
        "responsible_person",
        "desk_officer",
    ]
    search_fields = [
        "action",
        "details",
        "agreement__title",
        "responsible_organization__name",
        "responsible_organization__acronym",
        "responsible_person__name",
    ]
    autocomplete_fields = [
        "agreement",
        "meeting",
        "requested_by_organization",
        "requested_by_person",
        "responsible_organization",
        "responsible_person",
    ]
    ordering = ["due_first", "pk"]
    inlines = [CitationInline]


class AgreementEventAtMeetingInline(EventInline):
    fk_name = "meeting"
    search_box_widths = {"agreement": "24em"}
    # Its place is the meeting's.
    autocomplete_fields = ["agreement", "acting_party"]
    fields = ["agreement", "kind", "date", "acting_party", "description", "source", "passage"]
    verbose_name = _("agreement event at this meeting")
    verbose_name_plural = _("agreement events at this meeting")


class FollowUpFromMeetingInline(FollowUpInline):
    fk_name = "meeting"
    fields = ["agreement", *FollowUpInline.fields]
    autocomplete_fields = [*FollowUpInline.autocomplete_fields, "agreement"]
    verbose_name_plural = _("follow-up actions from this meeting")


class MeetingWithAgreementsAdmin(EventRowsChangingStatus, MeetingAdmin):
    """The meeting page, with what the meeting did to agreements, so one screen takes it all.

    Registered here because meetings must not depend on agreements.
    """

    inlines = [*MeetingAdmin.inlines, AgreementEventAtMeetingInline, FollowUpFromMeetingInline]


admin.site.unregister(Meeting)
admin.site.register(Meeting, MeetingWithAgreementsAdmin)
