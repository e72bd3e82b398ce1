from django.contrib import admin

from cooperation.admin import CITATION, CitedInline
from meetings.models import Meeting, Outcome, Participant


class ParticipantInline(CitedInline, admin.TabularInline):
    model = Participant
    extra = 2
    autocomplete_fields = ["person", "position", "organization", "source"]
    fields = ["person", "position", "organization", "capacity", "source", "passage"]


class OutcomeInline(CitedInline, admin.TabularInline):
    model = Outcome
    extra = 1
    autocomplete_fields = ["organization", "source"]
    fields = ["kind", "organization", "description", "source", "passage"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["date", "title", "kind", "city", "country"]
    list_filter = ["kind", "topics"]
    list_select_related = ["country"]
    search_fields = [
        "title",
        "city",
        "purpose",
        "summary",
        "participants__person__name",
        "participants__organization__name",
        "participants__organization__acronym",
    ]
    autocomplete_fields = ["country", "topics", "source"]
    ordering = ["-date_first", "-date_last", "title"]
    fieldsets = [
        (None, {"fields": ["title", "date", "kind", "city", "country"]}),
        ("What about", {"fields": ["purpose", "topics", "summary"]}),
        CITATION,
    ]
    inlines = [ParticipantInline, OutcomeInline]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["meeting", "person", "position", "organization", "capacity"]
    list_select_related = ["meeting", "person", "position__organization", "organization"]
    search_fields = ["meeting__title", "person__name", "position__title", "organization__name"]
    autocomplete_fields = ["meeting", "person", "position", "organization", "source"]
    ordering = ["-meeting__date_first", "pk"]


@admin.register(Outcome)
class OutcomeAdmin(admin.ModelAdmin):
    list_display = ["description", "kind", "organization", "meeting"]
    list_filter = ["kind"]
    list_select_related = ["meeting", "organization"]
    search_fields = ["description", "meeting__title"]
    autocomplete_fields = ["meeting", "organization", "source"]
    ordering = ["-meeting__date_first", "pk"]
