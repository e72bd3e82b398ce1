"""Agreements (MOUs and other instruments), their dated history, and the follow-up they need."""

import datetime
import re
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.core.exceptions import ValidationError
from django.db import connections, models, transaction
from django.db.models import Case, Count, Exists, F, OuterRef, Q, Subquery, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cooperation.models import (
    CITED_RECORDS,
    Citation,
    Cited,
    Country,
    Organization,
    OrganizationName,
    Person,
    Record,
    RecordQuerySet,
    Topic,
)
from cooperation.partial_dates import PartialDate, PartialDateField
from meetings.models import Meeting


class AgreementKind(models.TextChoices):
    MOU = "mou", _("Memorandum of understanding")
    AGREEMENT = "agreement", _("Agreement")
    TREATY = "treaty", _("Treaty")
    PROTOCOL = "protocol", _("Protocol")
    LETTER_OF_INTENT = "letter_of_intent", _("Letter of intent")
    JOINT_DECLARATION = "joint_declaration", _("Joint declaration")
    OTHER = "other", _("Other")


class EventKind(models.TextChoices):
    """The steps in an agreement's life, roughly in the order they come."""

    PROPOSED = "proposed", _("Proposed")
    DRAFT_AGREED = "draft_agreed", _("Draft agreed")
    FOLLOW_UP_REQUESTED = "follow_up_requested", _("Follow-up requested")
    UNDER_NEGOTIATION = "under_negotiation", _("Under negotiation")
    SIGNED = "signed", _("Signed")
    IN_FORCE = "in_force", _("In force")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")
    WITHDRAWN = "withdrawn", _("Withdrawn")

    @classmethod
    def pending(cls):
        """Statuses of agreements that may still be on their way, and so can stall.

        "Signed" among them only while the agreement awaits its entry into force:
        AgreementQuerySet.pending() and is_pending() say which, by one rule.
        """
        return [
            cls.PROPOSED,
            cls.DRAFT_AGREED,
            cls.FOLLOW_UP_REQUESTED,
            cls.UNDER_NEGOTIATION,
            cls.SIGNED,
        ]


class EntryIntoForce(models.TextChoices):
    """How an agreement takes effect: on its signature, or on a later act."""

    NOT_RECORDED = "not_recorded", _("Not recorded")
    ON_SIGNATURE = "on_signature", _("On signature")
    LATER_ACT = "later_act", _("On a later act (ratification, an exchange of notes, a date)")


@dataclass(frozen=True)
class Signatures:
    """Which of an agreement's parties had signed it by a day: those that an event
    "signed" names as the party that acted (AgreementPartyQuerySet.with_signature())."""

    parties: tuple[str, ...] = ()  # their short names
    signed: tuple[str, ...] = ()  # the short names of those that had signed

    @classmethod
    def of(cls, party_links):
        """From an agreement's AgreementParty rows read with_signature(); named by their
        organizations' names, as the status page names them."""
        links = sorted(party_links, key=lambda link: (link.organization.name, link.organization.pk))
        return cls(
            parties=tuple(link.organization.short_name for link in links),
            signed=tuple(link.organization.short_name for link in links if link.has_signed),
        )

    @property
    def awaited(self):
        """Some parties have signed and some have not yet. A signature that names no
        party says nothing of who signed: it leaves no one awaited."""
        return bool(self.signed) and len(self.signed) < len(self.parties)

    def status_label(self, status):
        """A status as the pages show it: "Signed by 1 of 2 parties: BNPT" while other
        parties' signatures are awaited, otherwise the status's own label."""
        if status == EventKind.SIGNED and self.awaited:
            return ngettext(
                "Signed by %(signed)d of %(count)d party: %(names)s",
                "Signed by %(signed)d of %(count)d parties: %(names)s",
                len(self.parties),
            ) % {
                "signed": len(self.signed),
                "count": len(self.parties),
                "names": ", ".join(self.signed),
            }
        return EventKind(status).label if status else ""


# What free text is matched against, as search documents; on PostgreSQL each has a GIN
# index (migration 0004), which a query uses only if it builds the same expression.
AGREEMENT_TEXT = SearchVector("title", "summary", config="simple")
ORGANIZATION_TEXT = SearchVector("name", "acronym", config="simple")
OTHER_NAME_TEXT = SearchVector("name", config="simple")
PERSON_TEXT = SearchVector("name", "other_names", config="simple")


def desk_officer_field(related_name):
    """The account of ours that tracks an agreement or a follow-up (its desk officer)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name=related_name,
        verbose_name=_("desk officer"),
        help_text=_("The account of ours that tracks it, apart from whoever owes the next step."),
    )


class AgreementQuerySet(RecordQuerySet):
    def matching(self, text):
        """Agreements in which every word of `text` appears: in the title or summary, in
        any name of a party, or in the name of a person who owes or asked a follow-up.

        PostgreSQL: full-text search on the indexed documents, each word matching as a
        prefix ("penang" finds "Penanggulangan"). Elsewhere: the same, by substring.
        """
        full_text = connections[self.db].vendor == "postgresql"
        agreements = self
        for word in re.findall(r"\w+", text):
            agreements = agreements.filter(
                self._full_text_match(word) if full_text else self._substring_match(word)
            )
        return agreements

    @staticmethod
    def _full_text_match(word):
        # Each part a subquery of its own, so that each can use its own GIN index.
        query = SearchQuery(f"{word}:*", search_type="raw", config="simple")

        def matching(model, document):
            return model.objects.annotate(document=document).filter(document=query)

        people = matching(Person, PERSON_TEXT).values("pk")
        return (
            Q(pk__in=matching(Agreement, AGREEMENT_TEXT).values("pk"))
            | Q(
                pk__in=AgreementParty.objects.filter(
                    Q(organization__in=matching(Organization, ORGANIZATION_TEXT).values("pk"))
                    | Q(
                        organization__in=matching(OrganizationName, OTHER_NAME_TEXT).values(
                            "organization"
                        )
                    )
                ).values("agreement")
            )
            | Q(
                pk__in=FollowUp.objects.filter(
                    Q(responsible_person__in=people) | Q(requested_by_person__in=people)
                ).values("agreement")
            )
        )

    @staticmethod
    def _substring_match(word):
        parties = AgreementParty.objects.filter(
            Q(organization__name__icontains=word)
            | Q(organization__acronym__icontains=word)
            | Q(organization__other_names__name__icontains=word),
            agreement=OuterRef("pk"),
        )
        people = FollowUp.objects.filter(
            Q(responsible_person__name__icontains=word)
            | Q(responsible_person__other_names__icontains=word)
            | Q(requested_by_person__name__icontains=word)
            | Q(requested_by_person__other_names__icontains=word),
            agreement=OuterRef("pk"),
        )
        return (
            Q(title__icontains=word) | Q(summary__icontains=word) | Exists(parties) | Exists(people)
        )

    def with_status(self, as_of=None):
        """Annotate each agreement with its status: the kind, date and meeting of its
        latest event, and the last day of activity.

        Now: from the columns that refresh_status() keeps. With `as_of`, the status as
        it stood on that day: the latest of the events that had certainly happened by
        then (their last possible day is on or before it). Where the latest event of
        all is one of those, it is also the latest of them, and the kept columns give
        the status and last activity; the others read their events.
        """
        if as_of is None:
            # The status event's own columns by subqueries on its key, not by joins:
            # a count or a filter leaves them out, and a page reads them for its rows only.
            event = AgreementEvent.objects.filter(pk=OuterRef("latest_event")).order_by().values
            return self.annotate(
                status=F("latest_kind"),
                status_date=Subquery(event("date")),
                status_meeting=Subquery(event("meeting")),
                status_meeting_title=Subquery(event("meeting__title")),
                last_activity=F("latest_activity"),
            )
        # The bound on the first day follows from the one on the last day; said
        # outright, it lets the index skip the events that began after that day.
        latest = (
            AgreementEvent.objects.filter(
                agreement=OuterRef("pk"), date_first__lte=as_of, date_last__lte=as_of
            )
            .latest_first()
            .values
        )
        # The latest event of all, certainly past by that day, is the latest of those
        # that were (the same order picks both): its kept columns answer without a
        # subquery. Counts and filters read these two of every agreement.
        latest_was_past = Q(latest_activity__lte=as_of)
        return self.annotate(
            status=Case(
                When(latest_was_past, then=F("latest_kind")),
                default=Subquery(latest("kind")[:1]),
            ),
            status_date=Subquery(latest("date")[:1]),
            status_meeting=Subquery(latest("meeting")[:1]),
            status_meeting_title=Subquery(latest("meeting__title")[:1]),
            last_activity=Case(
                When(latest_was_past, then=F("latest_activity")),
                default=Subquery(latest("date_last")[:1]),
                output_field=models.DateField(),
            ),
        )

    def of_events(self, events):
        """The agreements that `events` are on, or were on as the database holds them:
        an edit may be moving one to another agreement."""
        stored = [event.pk for event in events if event.pk is not None]
        return self.filter(
            Q(pk__in={event.agreement_id for event in events} - {None})
            | Q(pk__in=AgreementEvent.objects.filter(pk__in=stored).values("agreement"))
        )

    def lock(self):
        """Lock these agreements' rows till the transaction ends; returns their keys.

        FOR NO KEY UPDATE, as an update of the row would: rows that refer to them may
        still be added meanwhile. In the order of their keys, so that two writers
        locking several never each wait for the other.
        """
        return list(self.select_for_update(no_key=True).order_by("pk").values_list("pk", flat=True))

    def refresh_status(self):
        """Write each agreement's latest event, its kind and last day, from its events.

        The rows are locked first, so that of two transactions changing the events of
        one agreement at once, the second reads the events after the first committed.
        """
        pks = self.lock()
        latest = AgreementEvent.objects.filter(agreement=OuterRef("pk")).latest_first().values
        # The status columns keep no history (they repeat the events'): written past the
        # refusal of bulk updates that RecordQuerySet makes to keep every edit recorded.
        return (
            self.model._base_manager.using(self.db)
            .filter(pk__in=pks)
            .update(
                latest_event=Subquery(latest("pk")[:1]),
                latest_kind=Subquery(latest("kind")[:1]),
                latest_activity=Subquery(latest("date_last")[:1]),
            )
        )

    def pending(self, today=None):
        """Still on their way: awaiting a next step, as the status (from `with_status()`)
        and the signatures by `today` (by default the real today) say.

        A signed agreement awaits its entry into force, unless it is recorded as entering
        into force on signature and no party's signature is awaited any more. is_pending()
        says the same of a row already fetched.
        """
        return self.filter(self.pending_condition(today or datetime.date.today()))

    @staticmethod
    def pending_condition(today):
        """The condition pending() filters by."""
        parties = AgreementParty.objects.filter(agreement=OuterRef("pk")).with_signature(today)
        signature_awaited = Exists(parties.filter(has_signed=True)) & Exists(
            parties.filter(has_signed=False)
        )
        in_force_on_signature = (
            Q(status=EventKind.SIGNED, entry_into_force=EntryIntoForce.ON_SIGNATURE)
            & ~signature_awaited
        )
        return Q(status__in=EventKind.pending()) & ~in_force_on_signature

    @staticmethod
    def is_pending(status, entry_into_force, signatures):
        """pending() for one row already fetched: its `status`, `entry_into_force`, and
        its Signatures by the same day."""
        in_force_on_signature = (
            status == EventKind.SIGNED
            and entry_into_force == EntryIntoForce.ON_SIGNATURE
            and not signatures.awaited
        )
        return status in EventKind.pending() and not in_force_on_signature

    def stalled(self, days, today=None):
        """Still on their way, with no event for more than `days` days before `today`.

        Needs `with_status()` first. An event dated only to a month or a year counts
        from its last possible day, so nothing is called stalled that might not be.
        """
        today = today or datetime.date.today()
        return self.pending(today).filter(last_activity__lt=self.stalled_cutoff(days, today))

    @staticmethod
    def stalled_cutoff(days, today):
        """The day an agreement's last activity must come before to be stalled on `today`."""
        # No further back than the first day a date can name: nothing happened before it.
        days = min(days, (today - datetime.date.min).days)
        return today - datetime.timedelta(days=days)

    @classmethod
    def is_stalled(cls, status, entry_into_force, signatures, last_activity, days, today):
        """stalled() for one row already fetched: is_pending(), and its `last_activity`."""
        return (
            cls.is_pending(status, entry_into_force, signatures)
            and last_activity is not None
            and last_activity < cls.stalled_cutoff(days, today)
        )

    def with_open_follow_up_count(self, as_of=None):
        open_follow_ups = FollowUp.objects.open(as_of=as_of).filter(agreement=OuterRef("pk"))
        return self.annotate(
            open_follow_up_count=Coalesce(
                Subquery(
                    open_follow_ups.order_by()
                    .values("agreement")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                0,
            )
        )

    # The status page's sort keys besides its columns: each annotated only when a
    # list is sorted by it (AgreementFilter.filter_queryset), as each costs a subquery.

    def with_status_rank(self):
        """`status_rank`: statuses in the order an agreement goes through them."""
        return self.annotate(
            status_rank=Case(
                *[When(status=kind, then=rank) for rank, kind in enumerate(EventKind.values)],
                default=len(EventKind.values),
            )
        )

    def with_first_party(self):
        """`first_party`: the name of its party that comes first in the alphabet."""
        first_party = AgreementParty.objects.filter(agreement=OuterRef("pk")).order_by(
            "organization__name"
        )
        return self.annotate(first_party=Subquery(first_party.values("organization__name")[:1]))

    def with_next_due(self, as_of=None):
        """`next_due`: the first day its earliest-due open follow-up is due."""
        open_follow_ups = FollowUp.objects.open(as_of=as_of).filter(agreement=OuterRef("pk"))
        return self.annotate(
            next_due=Subquery(
                open_follow_ups.exclude(due="").order_by("due_first").values("due_first")[:1]
            )
        )


class Agreement(Cited, Record):
    """An MOU or other instrument between organizations.

    Its status is its latest event. The `latest_*` columns repeat it, so that lists
    filter, count and sort by status on indexed columns. They are never edited: every
    write of an event goes through `record_event()` or `events_changing()`, which
    refresh them in the same transaction.
    """

    Kind = AgreementKind
    EntryIntoForce = EntryIntoForce

    title = models.CharField(max_length=300, unique=True, verbose_name=_("title"))
    kind = models.CharField(max_length=30, choices=Kind, default=Kind.MOU, verbose_name=_("kind"))
    entry_into_force = models.CharField(
        _("enters into force"),
        max_length=20,
        choices=EntryIntoForce,
        default=EntryIntoForce.NOT_RECORDED,
        help_text=_("Signed, it awaits nothing more only if it enters into force on signature."),
    )
    parties = models.ManyToManyField(
        Organization, through="AgreementParty", related_name="agreements", verbose_name=_("parties")
    )
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="agreements", verbose_name=_("topics")
    )
    summary = models.TextField(blank=True, verbose_name=_("summary"))
    desk_officer = desk_officer_field(related_name="agreements_on_desk")
    latest_event = models.ForeignKey(
        "AgreementEvent",
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
        verbose_name=_("latest event"),
    )
    # Null, like latest_event, while it has no events: what the subqueries of
    # with_status(as_of) give too, so that both read "no status" the same way.
    latest_kind = models.CharField(  # noqa: DJ001
        max_length=30, choices=EventKind, null=True, editable=False, verbose_name=_("latest kind")
    )
    latest_activity = models.DateField(
        null=True,
        editable=False,
        verbose_name=_("latest activity"),
        help_text=_("The last possible day of its latest event."),
    )

    objects = AgreementQuerySet.as_manager()
    natural_key_fields = ("title",)
    status_fields = ("latest_event", "latest_kind", "latest_activity")

    history = HistoricalRecords(m2m_fields=["topics"], excluded_fields=status_fields)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=AgreementKind.values), name="agreement_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(entry_into_force__in=EntryIntoForce.values),
                name="agreement_entry_into_force_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["latest_kind", "latest_activity"], name="agreement_status_idx"),
            models.Index(fields=["latest_activity"], name="agreement_activity_idx"),
        ]

    def __str__(self):
        return self.title

    def choice_label(self):
        """How a search box or a select of the admin names the agreement among others:
        its title, then its kind, parties and latest step — "… (memorandum of
        understanding between BNPT and RATS-SCO; draft agreed, 2011)" — since two MOUs
        between the same parties may differ only at the end of their titles.

        Reads its parties and latest event: fetch them with it.
        """
        parties = [party.short_name for party in self.parties.all()]
        kind = self.get_kind_display().lower()
        if len(parties) > 1:
            kind = gettext("%(kind)s between %(parties)s and %(last)s") % {
                "kind": kind,
                "parties": ", ".join(parties[:-1]),
                "last": parties[-1],
            }
        elif parties:
            kind = gettext("%(kind)s of %(party)s") % {"kind": kind, "party": parties[0]}
        event = self.latest_event
        latest = (
            f"{event.get_kind_display().lower()}, {event.date}"
            if event
            else gettext("no events yet")
        )
        return f"{self.title} ({kind}; {latest})"

    def get_absolute_url(self):
        return reverse("agreements:agreement_detail", args=[self.pk])

    @property
    def current_status_label(self):
        """The label of the `status` that with_status() annotates."""
        return EventKind(self.status).label if getattr(self, "status", None) else ""

    def save(self, *args, **kwargs):
        """Save the agreement's own fields; its status columns are the events' to write.

        An edit form read before a colleague recorded an event would otherwise put
        back the status it was read with.
        """
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in self.status_fields
            ]
        super().save(*args, **kwargs)

    def record_event(
        self,
        kind,
        date,
        *,
        meeting=None,
        acting_party=None,
        city="",
        country=None,
        description="",
        source=None,
        passage="",
    ):
        """Add a step to the agreement's history, checked as a form would, citing
        `passage` of `source` when given; returns it."""
        event = AgreementEvent(
            agreement=self,
            kind=kind,
            date=date,
            meeting=meeting,
            acting_party=acting_party,
            city=city,
            country=country,
            description=description,
        )
        event.full_clean()
        citation = None
        if source is not None or passage:
            citation = Citation(source=source, passage=passage)
            citation.full_clean(exclude=[*CITED_RECORDS, "version"])
        with Agreement.events_changing(event):
            event.save()
            if citation is not None:
                citation.event = event
                citation.save()
        return event

    @staticmethod
    @contextmanager
    def events_changing(*events):
        """The one way to add, change, move or delete events: do it inside this block.

            with Agreement.events_changing(event):
                event.save()  # or event.delete()

        In one transaction: the agreements the events are on, are moving to or leaving
        are locked first, so that two people changing one agreement's events at once
        each see the other's; when the block ends, their status is refreshed.
        """
        with transaction.atomic():
            affected = Agreement.objects.of_events(events).lock()
            yield
            Agreement.objects.filter(pk__in=affected).refresh_status()

    @classmethod
    def refresh_derived(cls, pks):
        """Agreements written past save() (restored, loaded from a fixture) may come with
        the status of another time or database: set it from their events."""
        cls.objects.filter(pk__in=pks).refresh_status()


class AgreementPartyQuerySet(RecordQuerySet):
    def with_signature(self, today):
        """Each with `has_signed`: whether an event "signed" of its agreement names it as
        the party that acted, dated so that it had certainly happened by `today`."""
        signed = AgreementEvent.objects.filter(
            agreement=OuterRef("agreement"),
            acting_party=OuterRef("organization"),
            kind=EventKind.SIGNED,
            date_last__lte=today,
        )
        return self.annotate(has_signed=Exists(signed))


class AgreementParty(Cited, Record):
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        related_name="party_links",
        verbose_name=_("agreement"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="agreement_links",
        verbose_name=_("organization"),
    )

    objects = AgreementPartyQuerySet.as_manager()
    natural_key_fields = ("agreement__title", "organization__slug")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["agreement", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organization"], name="agreement_party_unique"
            ),
        ]

    def __str__(self):
        return str(self.organization)


class AgreementEventQuerySet(RecordQuerySet):
    def latest_first(self):
        return self.order_by("-date_first", "-date_last", "-pk")


class AgreementEvent(Cited, Record):
    """A dated step in an agreement's history; the latest one is its status."""

    Kind = EventKind

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="events", verbose_name=_("agreement")
    )
    kind = models.CharField(max_length=30, choices=Kind, verbose_name=_("kind"))
    date = PartialDateField(verbose_name=_("date"))
    acting_party = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("party that acted"),
        help_text=_("The party that signed (or acted) alone, if one did: one of the agreement's."),
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreement_events",
        verbose_name=_("meeting"),
        help_text=_("The meeting where it happened, if it happened at one."),
    )
    city = models.CharField(
        max_length=100,
        blank=True,
        verbose_name=_("city"),
        help_text=_("Where it happened, if not at a meeting."),
    )
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("country"),
        help_text=_("Where it happened, if not at a meeting."),
    )
    description = models.TextField(blank=True, verbose_name=_("description"))

    objects = AgreementEventQuerySet.as_manager()
    natural_key_fields = ("agreement__title", "kind", "date")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["agreement", "date_first", "date_last", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="event_kind_valid"),
            models.UniqueConstraint(
                fields=["agreement", "kind", "date"], name="event_unique_kind_date"
            ),
        ]
        indexes = [
            # Each agreement's events latest first, with their kind: the status on any
            # day is read from the index alone, without visiting the table.
            models.Index(
                fields=["agreement", "-date_first", "-date_last", "-id", "kind"],
                name="event_latest_idx",
            ),
            models.Index(fields=["kind", "date_last"], name="event_kind_date_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}, {self.date}"

    @classmethod
    def refresh_derived(cls, pks):
        """Events written past save() (restored, loaded from a fixture): refresh the
        status of the agreements they are on, and of any whose status one of them was
        (an event loaded onto another agreement than the one it was on)."""
        events = cls.objects.filter(pk__in=pks).values("agreement")
        Agreement.objects.filter(Q(pk__in=events) | Q(latest_event__in=pks)).refresh_status()

    @property
    def place(self):
        """Where it happened, "Jakarta, Indonesia", when not at a meeting (an event at
        a meeting takes the meeting's place)."""
        return ", ".join(str(part) for part in (self.city, self.country) if part)

    def clean(self):
        super().clean()
        errors = {}
        if self.meeting_id:
            place_given = {"city": self.city, "country": self.country_id}
            for name in (name for name, value in place_given.items() if value):
                errors[name] = gettext(
                    "It happened at a meeting, which gives its place: leave the place blank."
                )
        # A date that clean_fields() refused is still text: nothing to compare.
        if self.meeting_id and isinstance(self.date, PartialDate) and self.meeting.date:
            meeting_date = self.meeting.date
            if self.date.last < meeting_date.first or meeting_date.last < self.date.first:
                errors["date"] = gettext("The meeting it happened at was on %(date)s.") % {
                    "date": meeting_date
                }
        if self.acting_party_id:
            refusal = self.acting_party_refusal()
            if refusal:
                errors["acting_party"] = refusal
        if errors:
            raise ValidationError(errors)

    def acting_party_refusal(self):
        """Why the party that acted cannot be named, if it is not one of the agreement's."""
        if self.agreement_id is None:
            return gettext(
                "Save the agreement with its parties first, then name the party that acted."
            )
        parties = list(
            Organization.objects.filter(agreement_links__agreement=self.agreement_id).order_by(
                "name", "pk"
            )
        )
        if any(party.pk == self.acting_party_id for party in parties):
            return None
        names = [party.short_name for party in parties]
        acting = self.acting_party.short_name
        if not names:
            return gettext("%(acting)s is not a party to this agreement: it has none yet.") % {
                "acting": acting
            }
        if len(names) == 1:
            return gettext(
                "%(acting)s is not a party to this agreement: its party is %(party)s."
            ) % {"acting": acting, "party": names[0]}
        return gettext(
            "%(acting)s is not a party to this agreement: its parties are %(parties)s and %(last)s."
        ) % {"acting": acting, "parties": ", ".join(names[:-1]), "last": names[-1]}


class FollowUpState(models.TextChoices):
    OPEN = "open", pgettext_lazy("state of a follow-up", "Open")
    IN_PROGRESS = "in_progress", pgettext_lazy("state of a follow-up", "In progress")
    DONE = "done", pgettext_lazy("state of a follow-up", "Done")
    DROPPED = "dropped", pgettext_lazy("state of a follow-up", "Dropped")


OPEN_STATES = [FollowUpState.OPEN, FollowUpState.IN_PROGRESS]


class FollowUpQuerySet(RecordQuerySet):
    def open_first(self):
        """Open ones first, then by due date (those with none after), then as entered."""
        return self.order_by(
            Case(When(state__in=OPEN_STATES, then=0), default=1),
            F("due_first").asc(nulls_last=True),
            "pk",
        )

    def open(self, as_of=None):
        """Not done or dropped: someone still owes this step.

        With `as_of`, those open on that day: certainly requested by then, and
        not yet closed (still open now, or closed only after that day). A blank
        request date means the date of the meeting it came from; with no meeting
        either, nothing says when, and it counts as requested all along.
        """
        return self.filter(self.open_on(as_of))

    @staticmethod
    def open_on(as_of=None):
        """The condition open() filters by."""
        if as_of is None:
            return Q(state__in=OPEN_STATES)
        return (
            Q(requested_on_last__lte=as_of)
            | Q(requested_on="", meeting__date_last__lte=as_of)
            | Q(requested_on="", meeting__isnull=True)
        ) & (Q(state__in=OPEN_STATES) | Q(closed_on_first__gt=as_of))

    def overdue(self, today=None):
        """Open on `today` (by default the real today), and due on a day that had passed."""
        return self.filter(self.open_on(today), self.past_due(today))

    def marking_overdue(self, as_of=None, today=None):
        """Each with `overdue`: open as of `as_of` (None: now) and past due on `today` (by
        default `as_of`, or the real today), as overdue(as_of) says, read in the same query."""
        overdue = self.open_on(as_of) & self.past_due(today or as_of)
        return self.annotate(overdue=Case(When(overdue, then=True), default=False))

    @staticmethod
    def past_due(today=None):
        """Due on a day that had passed by `today`: even the last day a "2013-09" names."""
        return Q(due_last__lt=today or datetime.date.today())

    def owed_by(self, organization):
        """The follow-ups `organization` is responsible for: the status page's "owed by"."""
        return self.filter(responsible_organization=organization)

    def overdue_now(self, today=None):
        """Open now and past due on `today`: what a desk, its count and the digest list.
        (overdue() is the status page's: open on a day, as the request dates say.)"""
        return self.open().filter(self.past_due(today))

    def due_within(self, days, today=None):
        """Open now, not yet overdue, and due by `days` days after `today`: the last day
        a due date can mean, as for overdue (a "2013-09" is due by 30 September)."""
        today = today or datetime.date.today()
        return self.open().filter(due_last__range=(today, today + datetime.timedelta(days=days)))

    def undated(self):
        """Open, with no due date set."""
        return self.open().filter(due="")


class FollowUp(Cited, Record):
    """What must happen next, who asked for it, and who owes it."""

    State = FollowUpState

    action = models.CharField(
        max_length=300, verbose_name=_("action"), help_text=_("What must be done, in a line.")
    )
    details = models.TextField(blank=True, verbose_name=_("details"))
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("agreement"),
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("meeting"),
        help_text=_("The meeting it came from."),
    )
    requested_by_organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by organization"),
    )
    requested_by_person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by person"),
    )
    responsible_organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="follow_ups_owed",
        verbose_name=_("responsible organization"),
    )
    responsible_person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups_owed",
        verbose_name=_("responsible person"),
    )
    requested_on = PartialDateField(
        blank=True,
        verbose_name=_("requested on"),
        help_text=_("When it was asked for. Blank: the date of the meeting it came from."),
    )
    due = PartialDateField(
        blank=True, verbose_name=_("due"), help_text=_("Blank when no due date was set.")
    )
    state = models.CharField(
        max_length=20, choices=State, default=State.OPEN, verbose_name=_("state")
    )
    closed_on = PartialDateField(
        blank=True,
        verbose_name=_("closed on"),
        help_text=_("When it was done or dropped, if the source says."),
    )
    desk_officer = desk_officer_field(related_name="follow_ups_on_desk")

    objects = FollowUpQuerySet.as_manager()
    natural_key_fields = ("agreement__title", "action")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        ordering = ["due_first", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=FollowUpState.values), name="follow_up_state_valid"
            ),
        ]
        indexes = [models.Index(fields=["state", "due_last"], name="follow_up_open_due_idx")]

    def __str__(self):
        return self.action

    @property
    def owed_by_display(self):
        person, organization = self.responsible_person, self.responsible_organization
        return self.owed_by_wording(
            person and person.honorific,
            person and person.name,
            organization.acronym,
            organization.name,
        )

    # The admin's heading of the column, as it was made from the name.
    owed_by_display.fget.short_description = _("owed by display")

    @staticmethod
    def owed_by_wording(honorific, person, acronym, organization):
        """Who owes it, from the columns: "Mr A. Rahman (BNPT)", or "BNPT (Indonesian …)"."""
        if person:
            return f"{Person.display_name(honorific, person)} ({acronym or organization})"
        return Organization.display_name(acronym, organization)

    def clean(self):
        super().clean()
        if not self.requested_on and self.meeting_id:
            self.requested_on = self.meeting.date
        if self.closed_on and self.is_open:
            raise ValidationError(
                {
                    "closed_on": gettext(
                        "An open follow-up has no closing date: mark it done or dropped."
                    )
                }
            )

    def get_absolute_url(self):
        """Its row on its agreement's page, else on its meeting's; else the admin's page,
        which analysts may view: a follow-up has no page of its own."""
        if self.agreement_id:
            return f"{self.agreement.get_absolute_url()}#follow-up-{self.pk}"
        if self.meeting_id:
            return f"{self.meeting.get_absolute_url()}#follow-up-{self.pk}"
        return reverse("admin:agreements_followup_change", args=[self.pk])

    @property
    def is_open(self):
        return self.state in OPEN_STATES
