from django.contrib import admin
from django.db.models import Prefetch
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cooperation.admin_base import (
    CitationInline,
    CitedInline,
    CitedRowForm,
    EntryForms,
    RecordAdmin,
    RecordForm,
)
from cooperation.models import Person, Position
from meetings.models import Decision, Meeting, Outcome, Participant


class ParticipantForm(RecordForm):
    """A participant's organization may be left blank when their post says it."""

    class Meta:
        model = Participant
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        organization = self.fields.get("organization")  # none when the page is read-only
        if organization is not None:
            organization.required = False
            # The box was drawn as required when the field was made: let it be cleared.
            getattr(organization.widget, "widget", organization.widget).is_required = False
            organization.help_text = gettext(
                "Whom they represented. Blank: the organization of the post."
            )

    def clean(self):
        cleaned = super().clean()
        if "organization" not in self.fields or "organization" in self.errors:
            return cleaned
        if cleaned.get("organization") is None:
            position = cleaned.get("position")
            if position is not None:
                cleaned["organization"] = position.organization
            else:
                self.add_error("organization", gettext("Which organization did they represent?"))
        return cleaned


class ParticipantRowForm(CitedRowForm, ParticipantForm):
    """A participant row, with its first citation."""


class ParticipantInline(CitedInline, admin.TabularInline):
    model = Participant
    form = ParticipantRowForm
    extra = 2
    autocomplete_fields = ["person", "position", "organization"]
    rows_select_related = ["position__organization", "position__holder"]
    fields = ["person", "position", "organization", "capacity", "source", "passage"]

    def get_extra(self, request, obj=None, **kwargs):
        # Blank rows for a new meeting's participants; none once they are entered.
        return 0 if obj is not None and obj.participants.exists() else self.extra

    def rows_from_address(self, query):
        """Participants to add, from "?participants=<person id>,<person id>": each with
        their latest post and its organization, which staff correct if they went in
        another capacity."""
        keys = [key for key in query.get("participants", "").split(",") if key.isdigit()]
        people = Person.objects.filter(pk__in=keys[:20]).prefetch_related(
            Prefetch("positions", Position.objects.order_by("-start_first", "-pk"))
        )
        rows = []
        for person in people:
            post = next(iter(person.positions.all()), None)
            row = {"person": person.pk}
            if post is not None:
                row |= {"position": post.pk, "organization": post.organization_id}
            rows.append(row)
        return rows


class OutcomeInline(CitedInline, admin.TabularInline):
    model = Outcome
    extra = 1
    autocomplete_fields = ["organization"]
    fields = ["kind", "organization", "description", "source", "passage"]


class DecisionInline(CitedInline, admin.TabularInline):
    model = Decision
    extra = 0
    autocomplete_fields = ["membership", "position"]
    # What the names of the memberships and posts in the rows' search boxes need.
    rows_select_related = [
        "membership__organization",
        "membership__country",
        "position__organization",
        "position__holder",
    ]
    fields = ["membership", "position", "change", "source", "passage"]
    verbose_name = _("membership or post decided here")
    verbose_name_plural = _("memberships and posts decided here")


@admin.register(Meeting)
class MeetingAdmin(EntryForms, RecordAdmin):
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
    autocomplete_fields = ["country", "topics"]
    ordering = ["-date_first", "-date_last", "title"]
    fieldsets = [
        (None, {"fields": ["title", "date", "kind", "city", "country"]}),
        (_("What about"), {"fields": ["purpose", "topics", "summary"]}),
    ]
    inlines = [CitationInline, ParticipantInline, OutcomeInline, DecisionInline]


@admin.register(Participant)
class ParticipantAdmin(EntryForms, RecordAdmin):
    form = ParticipantForm
    list_display = ["meeting", "person", "position", "organization", "capacity"]
    # A post is named with its organization and its holder (Position.__str__).
    list_select_related = [
        "meeting",
        "person",
        "position__organization",
        "position__holder",
        "organization",
    ]
    search_fields = ["meeting__title", "person__name", "position__title", "organization__name"]
    autocomplete_fields = ["meeting", "person", "position", "organization"]
    ordering = ["-meeting__date_first", "pk"]
    inlines = [CitationInline]


@admin.register(Outcome)
class OutcomeAdmin(EntryForms, RecordAdmin):
    list_display = ["description", "kind", "organization", "meeting"]
    list_filter = ["kind"]
    list_select_related = ["meeting", "organization"]
    search_fields = ["description", "meeting__title"]
    autocomplete_fields = ["meeting", "organization"]
    ordering = ["-meeting__date_first", "pk"]
    inlines = [CitationInline]


@admin.register(Decision)
class DecisionAdmin(EntryForms, RecordAdmin):
    list_display = ["meeting", "change", "membership", "position"]
    list_filter = ["change"]
    list_select_related = [
        "meeting",
        "membership__organization",
        "membership__country",
        "position__organization",
        "position__holder",
    ]
    search_fields = [
        "meeting__title",
        "membership__country__name",
        "membership__organization__name",
        "membership__organization__acronym",
        "position__title",
        "position__holder__name",
        "position__organization__name",
        "position__organization__acronym",
    ]
    autocomplete_fields = ["meeting", "membership", "position"]
    ordering = ["-meeting__date_first", "pk"]
    inlines = [CitationInline]
