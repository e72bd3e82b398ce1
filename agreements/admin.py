from django.contrib import admin
from django.db.models import Count, Q

from agreements.models import Agreement, AgreementEvent, AgreementParty, FollowUp, FollowUpState
from cooperation.admin import CITATION, CitedInline
from meetings.admin import MeetingAdmin
from meetings.models import Meeting


class RecordsEventsThroughAgreement:
    """Saves new events through Agreement.record_event(), the one way a status changes."""

    def save_formset(self, request, form, formset, change):
        if formset.model is not AgreementEvent:
            return super().save_formset(request, form, formset, change)
        events = formset.save(commit=False)
        for event in formset.deleted_objects:
            event.delete()
        for event in events:
            if event.pk:
                event.save()
            else:
                event.pk = event.agreement.record_event(
                    event.kind,
                    event.date,
                    meeting=event.meeting,
                    description=event.description,
                    source=event.source,
                    passage=event.passage,
                ).pk


class PartyInline(CitedInline, admin.TabularInline):
    model = AgreementParty
    extra = 2
    autocomplete_fields = ["organization", "source"]


class EventInline(CitedInline, admin.TabularInline):
    model = AgreementEvent
    extra = 1
    autocomplete_fields = ["meeting", "source"]
    fields = ["kind", "date", "meeting", "description", "source", "passage"]
    ordering = ["date_first", "date_last", "pk"]


class FollowUpInline(CitedInline, admin.StackedInline):
    model = FollowUp
    extra = 0
    autocomplete_fields = [
        "meeting",
        "requested_by_organization",
        "requested_by_person",
        "responsible_organization",
        "responsible_person",
        "source",
    ]
    fields = [
        "action",
        ("state", "due"),
        ("requested_by_organization", "requested_by_person"),
        ("responsible_organization", "responsible_person"),
        "details",
        ("source", "passage"),
    ]


class FollowUpOfAgreementInline(FollowUpInline):
    fk_name = "agreement"
    fields = [*FollowUpInline.fields, "meeting"]


@admin.register(Agreement)
class AgreementAdmin(RecordsEventsThroughAgreement, admin.ModelAdmin):
    list_display = ["title", "kind", "party_names", "status_display", "open_follow_ups"]
    list_filter = ["kind", "topics"]
    search_fields = [
        "title",
        "summary",
        "parties__name",
        "parties__acronym",
        "parties__other_names__name",
    ]
    autocomplete_fields = ["topics", "source"]
    fieldsets = [(None, {"fields": ["title", "kind", "topics", "summary"]}), CITATION]
    inlines = [PartyInline, EventInline, FollowUpOfAgreementInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .with_status()
            .annotate(
                open_follow_up_count=Count(
                    "follow_ups",
                    filter=Q(follow_ups__state__in=[FollowUpState.OPEN, FollowUpState.IN_PROGRESS]),
                )
            )
            .prefetch_related("parties")
        )

    @admin.display(description="parties")
    def party_names(self, agreement):
        return ", ".join(party.short_name for party in agreement.parties.all())

    @admin.display(description="status", ordering="status")
    def status_display(self, agreement):
        if not agreement.status:
            return "no events yet"
        return f"{AgreementEvent.Kind(agreement.status).label}, {agreement.status_date}"

    @admin.display(description="open follow-ups", ordering="open_follow_up_count")
    def open_follow_ups(self, agreement):
        return agreement.open_follow_up_count


@admin.register(AgreementEvent)
class AgreementEventAdmin(admin.ModelAdmin):
    list_display = ["agreement", "kind", "date", "meeting"]
    list_filter = ["kind"]
    list_select_related = ["agreement", "meeting"]
    search_fields = ["agreement__title", "description", "meeting__title"]
    autocomplete_fields = ["agreement", "meeting", "source"]
    ordering = ["-date_first", "-date_last", "-pk"]


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ["action", "agreement", "owed_by_display", "due", "state"]
    list_editable = ["state"]
    list_filter = ["state"]
    list_select_related = ["agreement", "responsible_organization", "responsible_person"]
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
        "source",
    ]
    ordering = ["due_first", "pk"]


class AgreementEventAtMeetingInline(EventInline):
    fk_name = "meeting"
    autocomplete_fields = ["agreement", "source"]
    fields = ["agreement", "kind", "date", "description", "source", "passage"]
    verbose_name = "agreement event at this meeting"
    verbose_name_plural = "agreement events at this meeting"


class FollowUpFromMeetingInline(FollowUpInline):
    fk_name = "meeting"
    fields = [*FollowUpInline.fields, "agreement"]
    verbose_name_plural = "follow-up actions from this meeting"


class MeetingWithAgreementsAdmin(RecordsEventsThroughAgreement, MeetingAdmin):
    """The meeting page, with what the meeting did to agreements, so one screen takes it all.

    Registered here because meetings must not depend on agreements.
    """

    inlines = [*MeetingAdmin.inlines, AgreementEventAtMeetingInline, FollowUpFromMeetingInline]


admin.site.unregister(Meeting)
admin.site.register(Meeting, MeetingWithAgreementsAdmin)
