"""Meetings: who met whom, where and when, about what, and what came of it."""

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
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
    MEETING = "meeting", _("Meeting")
    COURTESY_CALL = "courtesy_call", _("Courtesy call")
    VISIT = "visit", _("Visit")
    NEGOTIATION = "negotiation", _("Negotiation round")
    CONFERENCE = "conference", _("Conference")
    CALL = "call", _("Call or video call")
    OTHER = "other", _("Other")


class MeetingQuerySet(RecordQuerySet):
    def involving(self, organizations):
        """Meetings any of `organizations` took part in, each once (no join to repeat them)."""
        return self.filter(
            pk__in=Participant.objects.filter(organization__in=organizations).values("meeting")
        )


class Meeting(Cited, Record):
    Kind = MeetingKind

    title = models.CharField(
        max_length=300,
        help_text=_("A short line that says who met whom."),
        verbose_name=_("title"),
    )
    date = PartialDateField(verbose_name=_("date"))
    kind = models.CharField(
        max_length=30, choices=Kind, default=Kind.MEETING, verbose_name=_("kind")
    )
    city = models.CharField(max_length=100, blank=True, verbose_name=_("city"))
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("country"),
    )
    purpose = models.TextField(blank=True, verbose_name=_("purpose"))
    summary = models.TextField(blank=True, verbose_name=_("summary"))
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="meetings", verbose_name=_("topics")
    )

    objects = MeetingQuerySet.as_manager()
    natural_key_fields = ("date", "title")

    history = HistoricalRecords(m2m_fields=["topics"])

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
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


PERSON_OR_POST = _("Name the person, or the post they held when the name is unknown.")


class Participant(Cited, Record):
    """Someone at a meeting: a named person, or the unnamed holder of a post."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="participants", verbose_name=_("meeting")
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
        verbose_name=_("person"),
    )
    position = models.ForeignKey(
        Position,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
        help_text=_(
            "The post the participant held. Enough alone when the source does not name the holder."
        ),
        verbose_name=_("position"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="participations",
        help_text=_("The organization the participant represented."),
        verbose_name=_("organization"),
    )
    capacity = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("In what capacity: head of delegation, host…"),
        verbose_name=_("capacity"),
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
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
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
            return gettext("the %(post)s (not named)") % {"post": self.position.title}
        return gettext("unknown")

    def clean(self):
        super().clean()
        if (
            self.person_id
            and self.position_id
            and self.position.holder_id
            and self.position.holder_id != self.person_id
        ):
            raise ValidationError(
                {
                    "position": gettext("This post is recorded as held by %(holder)s.")
                    % {"holder": self.position.holder}
                }
            )


class OutcomeKind(models.TextChoices):
    AGREED = "agreed", _("Agreed")
    REQUESTED = "requested", _("Requested")
    COMMITTED = "committed", _("Committed")
    STATED = "stated", _("Position stated")


class Outcome(Cited, Record):
    """What a meeting produced or put on record: an agreement, a request, a commitment,
    a position stated by one side."""

    Kind = OutcomeKind

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("meeting")
    )
    kind = models.CharField(
        max_length=20, choices=Kind, default=Kind.AGREED, verbose_name=_("kind")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Whose request, commitment or position it is."),
        verbose_name=_("organization"),
    )
    description = models.TextField(verbose_name=_("description"))

    natural_key_fields = ("meeting__date", "meeting__title", "description")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("outcome or statement")
        verbose_name_plural = _("outcomes and statements")
        ordering = ["meeting", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OutcomeKind.values), name="outcome_kind_valid"
            ),
        ]

    def __str__(self):
        return self.description


class DecisionChange(models.TextChoices):
    START = "start", pgettext_lazy("the start or the end a meeting decided", "Start")
    END = "end", pgettext_lazy("the start or the end a meeting decided", "End")


ONE_RECORD_DECIDED = _("Name the membership or the post it decided: one of them, not both.")


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
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("meeting")
    )
    membership = models.ForeignKey(
        Membership,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("membership"),
    )
    position = models.ForeignKey(
        Position,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("post"),
    )
    change = models.CharField(
        max_length=10,
        choices=Change,
        help_text=_("Which of its dates the meeting decided."),
        verbose_name=_("change"),
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
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
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
                violation_error_message=_(
                    "A meeting is already recorded as deciding this change of this membership."
                ),
            ),
            models.UniqueConstraint(
                fields=["position", "change"],
                name="decision_unique_position_change",
                violation_error_message=_(
                    "A meeting is already recorded as deciding this change of this post."
                ),
            ),
        ]

    def __str__(self):
        if self.change == self.Change.START:
            return gettext("Start of %(decided)s") % {"decided": self.decided}
        if self.change == self.Change.END:
            return gettext("End of %(decided)s") % {"decided": self.decided}
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
        membership = isinstance(decided, Membership)
        if self.change == self.Change.START:
            date = decided.start
            if not date:
                if membership:
                    message = gettext(
                        "No start is recorded for this membership: record its start first."
                    )
                else:
                    message = gettext("No start is recorded for this post: record its start first.")
                raise ValidationError({"change": message})
        elif self.change == self.Change.END:
            date = decided.end
            if not date and not decided.ended:
                if membership:
                    message = gettext(
                        "No end is recorded for this membership: record its end "
                        "(or mark it as ended) first."
                    )
                else:
                    message = gettext(
                        "No end is recorded for this post: record its end "
                        "(or mark it as ended) first."
                    )
                raise ValidationError({"change": message})
        else:
            return
        # On a new meeting's page the meeting is not saved yet: read the one the row is on.
        meeting_date = getattr(related_or_none(self, "meeting"), "date", None)
        if date and isinstance(meeting_date, PartialDate) and meeting_date.first > date.last:
            on_a_day = meeting_date.precision == "day"
            if self.change == self.Change.START and on_a_day:
                message = gettext(
                    "This meeting was on %(meeting_date)s, after the start it decided (%(date)s)."
                )
            elif self.change == self.Change.START:
                message = gettext(
                    "This meeting was in %(meeting_date)s, after the start it decided (%(date)s)."
                )
            elif on_a_day:
                message = gettext(
                    "This meeting was on %(meeting_date)s, after the end it decided (%(date)s)."
                )
            else:
                message = gettext(
                    "This meeting was in %(meeting_date)s, after the end it decided (%(date)s)."
                )
            # Not on the meeting field: on the meeting's page the rows do not show it.
            raise ValidationError(message % {"meeting_date": meeting_date, "date": date})


def related_or_none(record, name):
    """The record that `record.name` points to, saved or not (a page's rows point to the
    record the page is entering); None when it points to none."""
    try:
        return getattr(record, name)
    except ObjectDoesNotExist:
        return None
