"""Meetings: who met whom, where and when, about what, and what came of it."""

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from cooperation.models import (
    Cited,
    Country,
    Membership,
    Organization,
    Person,
    Position,
    Record,
    RecordQuerySet,
    Topic,
)
from cooperation.partial_dates import PartialDate, PartialDateField


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

    def choice_label(self):
        """How a search box or a select of the admin names the meeting among others: with
        its kind and place too — "20 August 2013 — Ambassador Asruchin meets … (meeting,
        Tashkent, Uzbekistan)" — so that two meetings on one day are told apart.

        Reads its country: fetch it with it.
        """
        about = ", ".join(part for part in (self.get_kind_display().lower(), self.place) if part)
        return f"{self} ({about})"

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


class DecisionChange(models.TextChoices):
    START = "start", "Start"
    END = "end", "End"


ONE_RECORD_DECIDED = "Name the membership or the post it decided: one of them, not both."


class DecisionQuerySet(RecordQuerySet):
    def get_by_natural_key(self, *key):
        """A decision's key names its membership or its post; every lookup of the other
        one is None, which is read as "it has none"."""
        lookups = dict(zip(self.model.natural_key_fields, key, strict=True))
        for side in ("membership", "position"):
            names = [name for name in lookups if name.startswith(f"{side}__")]
            if all(lookups[name] is None for name in names):
                for name in names:
                    del lookups[name]
                lookups[f"{side}__isnull"] = True
        return self.get(**lookups)


class Decision(Cited, Record):
    """A meeting deciding the start or the end of a membership or a post: the summit that
    admitted a member, the meeting that appointed a director.

    It lives here, not on Membership and Position, because the core app knows nothing of
    meetings. A decision may take effect later than the meeting (an appointment from
    1 January), never earlier.
    """

    Change = DecisionChange

    # PROTECT: a meeting that decided something is not deleted with its decisions unseen.
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions")
    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, null=True, blank=True, related_name="decisions"
    )
    position = models.ForeignKey(
        Position,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name="post",
    )
    change = models.CharField(
        max_length=10, choices=Change, help_text="Which of its dates the meeting decided."
    )

    natural_key_fields = (
        "membership__organization__slug",
        "membership__country__code",
        "membership__status",
        "membership__start",
        "position__organization__slug",
        "position__title",
        "position__holder__slug",
        "position__attested",
        "change",
    )
    objects = DecisionQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(change__in=DecisionChange.values), name="decision_change_valid"
            ),
            models.CheckConstraint(
                condition=Q(membership__isnull=False, position__isnull=True)
                | Q(membership__isnull=True, position__isnull=False),
                name="decision_membership_or_position",
                violation_error_message=ONE_RECORD_DECIDED,
            ),
            models.UniqueConstraint(
                fields=["membership", "change"],
                name="decision_unique_membership_change",
                violation_error_message="A meeting is already recorded as deciding this "
                "change of this membership.",
            ),
            models.UniqueConstraint(
                fields=["position", "change"],
                name="decision_unique_position_change",
                violation_error_message="A meeting is already recorded as deciding this "
                "change of this post.",
            ),
        ]

    def __str__(self):
        return f"{self.get_change_display()} of {self.decided}"

    @property
    def decided(self):
        """The membership or the post whose start or end the meeting decided."""
        return self.membership or self.position

    def clean(self):
        super().clean()
        decided = self.decided
        if decided is None or not decided.dates_are_valid():
            return  # the constraint names what is missing; wrong dates are refused there
        what = "membership" if isinstance(decided, Membership) else "post"
        if self.change == self.Change.START:
            date = decided.start
            if not date:
                raise ValidationError(
                    {"change": f"No start is recorded for this {what}: record its start first."}
                )
        elif self.change == self.Change.END:
            date = decided.end
            if not date and not decided.ended:
                raise ValidationError(
                    {
                        "change": f"No end is recorded for this {what}: record its end "
                        "(or mark it as ended) first."
                    }
                )
        else:
            return
        # On a new meeting's page the meeting is not saved yet: read the one the row is on.
        meeting_date = getattr(related_or_none(self, "meeting"), "date", None)
        if date and isinstance(meeting_date, PartialDate) and meeting_date.first > date.last:
            on = "on" if meeting_date.precision == "day" else "in"
            # Not on the meeting field: on the meeting's page the rows do not show it.
            raise ValidationError(
                f"This meeting was {on} {meeting_date}, after the "
                f"{self.get_change_display().lower()} it decided ({date})."
            )


def related_or_none(record, name):
    """The record that `record.name` points to, saved or not (a page's rows point to the
    record the page is entering); None when it points to none."""
    try:
        return getattr(record, name)
    except ObjectDoesNotExist:
        return None
