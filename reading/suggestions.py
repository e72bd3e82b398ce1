"""What staff can do with a sentence of a source: cite it for a record it mentions, or
start a new record from it, in an admin form filled with what the sentence names."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from agreements.models import Agreement, AgreementEvent, FollowUp
from cooperation.models import Membership, Position
from meetings.models import Meeting


@dataclass
class Action:
    """A link that opens an admin form pre-filled from a sentence."""

    label: str
    url: str


def _admin_url(model, view, *args, **params):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)
    filled = {name: value for name, value in params.items() if value not in (None, "", [])}
    return f"{url}?{urlencode(filled)}" if filled else url


def _pk(record):
    return record.pk if record is not None else None


class Suggestions:
    """For each sentence of a reading, the records it mentions that it could be cited for,
    and the new records it could start. The records are read once for the whole source
    (a query for each kind), not once a sentence."""

    LIMIT = 20  # records offered for citing, a sentence

    def __init__(self, reading, source):
        self.source = source
        people = {m.record for m in reading.mentions if m.kind == "person"}
        organizations = {m.record for m in reading.mentions if m.kind == "organization"}
        countries = {m.record for m in reading.mentions if m.kind == "country"}
        days = {m.date.first for m in reading.mentions if m.date and m.date.day}
        self.memberships = list(
            Membership.objects.filter(organization__in=organizations, country__in=countries)
            .select_related("organization", "country")
            .order_by("organization__name", "country__name", "pk")
        )
        self.positions = list(
            Position.objects.filter(holder__in=people)
            .select_related("organization", "holder")
            .order_by("holder__name", "start_first", "pk")
        )
        self.meetings = list(
            Meeting.objects.filter(
                Q(participants__person__in=people) | Q(date_first__in=days, date_last__in=days)
            )
            .distinct()
            .prefetch_related("participants")
            .order_by("date_first", "pk")[:100]
        )
        self.agreements = list(
            Agreement.objects.annotate(
                named=Count("parties", filter=Q(parties__in=organizations), distinct=True),
                party_count=Count("parties", distinct=True),
            )
            .filter(Q(named__gte=2) | Q(named=1, party_count=1))
            .prefetch_related("parties")
            .order_by("title", "pk")[:100]
        )

    def citable(self, sentence):
        """The records `sentence` names or speaks of, that it could be cited for and
        is not yet."""
        people = set(sentence.mentioned("person"))
        organizations = set(sentence.mentioned("organization"))
        countries = set(sentence.mentioned("country"))
        days = {date.first for date in sentence.dates() if date.day}
        records = [*sentence.mentioned("organization"), *sentence.mentioned("person")]
        records += [
            membership
            for membership in self.memberships
            if membership.organization in organizations and membership.country in countries
        ]
        records += [position for position in self.positions if position.holder in people]
        records += [
            meeting
            for meeting in self.meetings
            if {p.person_id for p in meeting.participants.all()} & {p.pk for p in people}
            or (meeting.date.day and meeting.date.first in days)
        ]
        records += [
            agreement for agreement in self.agreements if _parties_named(agreement, organizations)
        ]
        # A record that already cites the sentence needs no second citation of it.
        citing = {(type(c.cited_record), c.cited_record.pk) for c in sentence.citations}
        return [r for r in records if (type(r), r.pk) not in citing][: self.LIMIT]

    def cite_actions(self, sentence, passage):
        return [
            Action(
                f"{record._meta.verbose_name.capitalize()}: {record}",
                _admin_url(
                    type(record),
                    "change",
                    record.pk,
                    **self._citation(sentence, passage),
                ),
            )
            for record in self.citable(sentence)
        ]

    def new_actions(self, sentence, passage):
        """Links that start a meeting, a membership, a position (a post), an agreement
        event or a follow-up action from `sentence`, filled with what it names."""
        first = _first_of(sentence)
        date = first["date"].iso if first["date"] else None
        citation = self._citation(sentence, passage)
        organizations = set(sentence.mentioned("organization"))
        agreement = next((a for a in self.agreements if _parties_named(a, organizations)), None)
        country = _pk(first["country"])
        starts = [
            (_("Meeting"), Meeting, {
                "date": date,
                "country": country,
                "topics": ",".join(str(topic.pk) for topic in sentence.mentioned("topic")),
                "participants": ",".join(str(p.pk) for p in sentence.mentioned("person")),
            }),
            (_("Membership"), Membership, {
                "organization": _pk(first["organization"]), "country": country, "start": date,
            }),
            (_("Position"), Position, {
                "holder": _pk(first["person"]),
                "organization": _pk(first["organization"]),
                "start": date,
            }),
            (_("Agreement event"), AgreementEvent, {
                "agreement": _pk(agreement), "date": date, "country": country,
            }),
            (_("Follow-up action"), FollowUp, {"agreement": _pk(agreement), "requested_on": date}),
        ]  # fmt: skip
        return [
            Action(label, _admin_url(model, "add", **fields, **citation))
            for label, model, fields in starts
        ]

    def _citation(self, sentence, passage):
        """What a citation of `passage` is filled with: this source, the passage, and the
        day it speaks of (the source's date; else the first date the sentence gives)."""
        dates = sentence.dates()
        attests_on = self.source.date or (dates[0] if dates else None)
        return {
            "source": self.source.pk,
            "passage": passage,
            "attests_on": attests_on.iso if attests_on else None,
        }


def _parties_named(agreement, organizations):
    parties = {party.pk for party in agreement.parties.all()}
    named = parties & {organization.pk for organization in organizations}
    return len(named) >= 2 or (len(parties) == 1 and named)


def _first_of(sentence):
    first = {}
    for kind in ("organization", "person", "country"):
        mentioned = sentence.mentioned(kind)
        first[kind] = mentioned[0] if mentioned else None
    dates = sentence.dates()
    first["date"] = dates[0] if dates else None
    return first
