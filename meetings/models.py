"""Meetings: who met whom, where and when, about what, and what came of it."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from cooperation.models import (
    Cited,
    Country,
    Organization,
    Person,
    Position,
    Record,
    RecordQuerySet,
    Topic,
)
from cooperation.partial_dates import PartialDateField


class MeetingKind(models.TextChoices):
    MEETING = "meeting", "Meeting"
    COURTESY_CALL = "courtesy_call", "Courtesy call"
    VISIT = "visit", "Visit"
    NEGOTIATION = "negotiation", "Negotiation round"
    CONFERENCE = "conference", "Conference"
    CALL = "call", "Call or video call"
    OTHER = "other", "Other"


class MeetingQuerySet(RecordQuerySet):
    def involving(self, organizations):
        """Meetings any of `organizations` took part in, each once (no join to repeat them)."""
        return self.filter(
            pk__in=Participant.objects.filter(organization__in=organizations).values("meeting")
        )


class Meeting(Cited, Record):
    Kind = MeetingKind

    title = models.CharField(max_length=300, help_text="A short line that says who met whom.")
    date = PartialDateField()
    kind = models.CharField(max_length=30, choices=Kind, default=Kind.MEETING)
    city = models.CharField(max_length=100, blank=True)
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, null=True, blank=True, related_name="meetings"
    )
    purpose = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="meetings")

    objects = MeetingQuerySet.as_manager()
    natural_key_fields = ("date", "title")

    history = HistoricalRecords(m2m_fields=["topics"])

    class Meta:
        ordering = ["-date_first", "-date_last", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=MeetingKind.values), name="meeting_kind_valid"
            ),
            models.UniqueConstraint(fields=["date", "title"], name="meeting_unique_date_title"),
        ]
        indexes = [models.Index(fields=["date_first", "date_last"], name="meeting_date_idx")]

    def __str__(self):
        return f"{self.date} — {self.title}" if self.date else self.title

    def get_absolute_url(self):
        return reverse("meetings:meeting_detail", args=[self.pk])

    @property
    def place(self):
        return ", ".join(str(part) for part in (self.city, self.country) if part)


PERSON_OR_POST = "Name the person, or the post they held when the name is unknown."


class Participant(Cited, Record):
    """Someone at a meeting: a named person, or the unnamed holder of a post."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="participations"
    )
    position = models.ForeignKey(
        Position,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
        help_text="The post the participant held. Enough alone when the source does not "
        "name the holder.",
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="participations",
        help_text="The organization the participant represented.",
    )
    capacity = models.CharField(
        max_length=300, blank=True, help_text="In what capacity: head of delegation, host…"
    )

    natural_key_fields = (
        "meeting__date",
        "meeting__title",
        "organization__slug",
        "person__slug",
        "capacity",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(position__isnull=False),
                name="participant_person_or_position",
                violation_error_message=PERSON_OR_POST,
            ),
        ]

    def __str__(self):
        return f"{self.who} ({self.organization.short_name})"

    @property
    def who(self):
        if self.person:
            return str(self.person)
        if self.position and self.position.holder:
            return str(self.position.holder)
        if self.position:
            return f"the {self.position.title} (not named)"
        return "unknown"

    def clean(self):
        super().clean()
        if (
            self.person_id
            and self.position_id
            and self.position.holder_id
            and self.position.holder_id != self.person_id
        ):
            raise ValidationError(
                {"position": f"This post is recorded as held by {self.position.holder}."}
            )


class OutcomeKind(models.TextChoices):
    AGREED = "agreed", "Agreed"
    REQUESTED = "requested", "Requested"
    COMMITTED = "committed", "Committed"
    STATED = "stated", "Position stated"


class Outcome(Cited, Record):
    """What a meeting produced or put on record: an agreement, a request, a commitment,
    a position stated by one side."""

    Kind = OutcomeKind

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="outcomes")
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.AGREED)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Whose request, commitment or position it is.",
    )
    description = models.TextField()

    natural_key_fields = ("meeting__date", "meeting__title", "description")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "outcome or statement"
        verbose_name_plural = "outcomes and statements"
        ordering = ["meeting", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OutcomeKind.values), name="outcome_kind_valid"
            ),
        ]

    def __str__(self):
        return self.description
