"""The rows of the status page and of its exports, built from plain values.

Building model instances costs more than the rest of the page: each row here is
read from values instead, in three queries for any number of rows (the agreements,
their parties, their open follow-ups), so a page of 50 rows and an export of
10,000 cost the same per row.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from django.urls import reverse

from agreements.models import (
    Agreement,
    AgreementParty,
    AgreementQuerySet,
    EventKind,
    FollowUp,
    Signatures,
)
from cooperation.exports import partial_date_cells
from cooperation.partial_dates import PartialDate

# What a row needs from with_status(): values(*AGREEMENT_FIELDS).
AGREEMENT_FIELDS = (
    "pk",
    "title",
    "kind",
    "entry_into_force",
    "status",
    "status_date",
    "status_meeting",
    "status_meeting_title",
    "last_activity",
    "desk_officer__first_name",
    "desk_officer__last_name",
    "desk_officer__username",
)
CHUNK = 500  # rows fetched at a time by an export
KIND_LABELS = dict(Agreement.Kind.choices)
STATUS_LABELS = dict(EventKind.choices)


class DaysSince(NamedTuple):
    """Days from a date to a day: the fewest, from the last day the date can mean,
    and the most, from its first. One number twice for a date known to the day."""

    fewest: int | None
    most: int | None


def account_name(first_name, last_name, username):
    """An account's name as pages show it (User.get_full_name(), else its username), from
    values; "" for no account."""
    return f"{first_name or ''} {last_name or ''}".strip() or username or ""


def days_since(date, today):
    """DaysSince from `date` (a PartialDate, or None for none) to `today`."""
    if date is None:
        return DaysSince(None, None)
    fewest, most = (today - date.last).days, (today - date.first).days
    if most >= 0:
        # A date that may still be running ("2026" in 2026): at least none have passed.
        fewest = max(fewest, 0)
    return DaysSince(fewest, most)


@dataclass(frozen=True)
class OpenFollowUp:
    action: str
    owed_by: str
    due: PartialDate | None
    overdue: bool
    desk_officer: str = ""


@dataclass
class StatusRow:
    """One agreement as the status page shows it and the exports write it."""

    pk: int
    title: str
    kind: str
    status: str | None
    status_date: PartialDate | None
    meeting_pk: int | None
    meeting_title: str | None
    last_activity: datetime.date | None
    days_since: int | None  # the fewest days since its last activity
    days_since_max: int | None  # the most: more than days_since for a month or a year
    stalled: bool
    desk_officer: str = ""  # the account's name, "" for none
    parties: list[str] = field(default_factory=list)
    signatures: Signatures = Signatures()
    open_follow_ups: list[OpenFollowUp] = field(default_factory=list)
    overdue: bool = False

    @property
    def kind_label(self):
        # In the active language, as a text: the JSON export writes it.
        return str(KIND_LABELS.get(self.kind, self.kind))

    @property
    def status_label(self):
        return str(STATUS_LABELS.get(self.status, ""))

    @property
    def status_wording(self):
        """The status as the page shows it: "Signed by 1 of 2 parties: BNPT"."""
        return self.signatures.status_label(self.status)

    @property
    def next_due(self):
        """The earliest due date of its open follow-ups, None when none has one."""
        return min((f.due for f in self.open_follow_ups if f.due), default=None)

    @property
    def url(self):
        return reverse("agreements:agreement_detail", args=[self.pk])

    @property
    def meeting_url(self):
        return reverse("meetings:meeting_detail", args=[self.meeting_pk]) if self.meeting_pk else ""

    def as_record(self):
        """The row as exports write it: each date as written with its first and last
        day (its last activity is its status event's date), days since as both bounds."""
        return {
            "id": self.pk,
            "title": self.title,
            "kind": self.kind_label,
            "parties": self.parties,
            "status": self.status_label,
            **partial_date_cells("status_date", self.status_date),
            "set_at_meeting": self.meeting_title or "",
            **partial_date_cells("last_activity", self.status_date),
            "days_since_min": self.days_since,
            "days_since_max": self.days_since_max,
            "stalled": self.stalled,
            "overdue": self.overdue,
            **partial_date_cells("next_due", self.next_due),
            "desk_officer": self.desk_officer,
            "open_follow_ups": [
                {
                    "action": f.action,
                    "owed_by": f.owed_by,
                    **partial_date_cells("due", f.due),
                    "desk_officer": f.desk_officer,
                }
                for f in self.open_follow_ups
            ],
        }


def rows_of(agreements, filters):
    """A StatusRow for each of `agreements` (dicts of AGREEMENT_FIELDS), in their order.

    `filters`: the valid AgreementFilter they were found by, which says the day they are
    read as of and the days that mark a row stalled.
    """
    today, stalled_days = filters.today, filters.stalled_days
    ids = [agreement["pk"] for agreement in agreements]
    signatures = signatures_of(ids, today)
    follow_ups = open_follow_ups(ids, filters.as_of_day, today)
    rows = []
    for agreement in agreements:
        last_activity = agreement["last_activity"]
        # The status event is the latest activity: its date's last day is last_activity.
        fewest, most = days_since(agreement["status_date"], today)
        owed = follow_ups.get(agreement["pk"], [])
        signed = signatures.get(agreement["pk"], Signatures())
        rows.append(
            StatusRow(
                pk=agreement["pk"],
                title=agreement["title"],
                kind=agreement["kind"],
                status=agreement["status"],
                status_date=agreement["status_date"],
                meeting_pk=agreement["status_meeting"],
                meeting_title=agreement["status_meeting_title"],
                last_activity=last_activity,
                days_since=fewest,
                days_since_max=most,
                desk_officer=account_name(
                    agreement["desk_officer__first_name"],
                    agreement["desk_officer__last_name"],
                    agreement["desk_officer__username"],
                ),
                stalled=AgreementQuerySet.is_stalled(
                    agreement["status"],
                    agreement["entry_into_force"],
                    signed,
                    last_activity,
                    stalled_days,
                    today,
                ),
                parties=list(signed.parties),
                signatures=signed,
                open_follow_ups=owed,
                overdue=any(f.overdue for f in owed),
            )
        )
    return rows


def each_row(agreements, filters):
    """Every row of the queryset `filters` found, fetched CHUNK at a time: for exports."""
    values = agreements.values(*AGREEMENT_FIELDS).iterator(chunk_size=CHUNK)
    for chunk in batched(values, CHUNK):
        yield from rows_of(chunk, filters)


def batched(items, size):
    """Lists of `size` items in turn, the last one shorter (itertools.batched, Python 3.12)."""
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def signatures_of(agreement_ids, today):
    """{agreement: its Signatures by `today`}: its parties' short names, by name, and
    those that had signed, in one query."""
    parties, signed = defaultdict(list), defaultdict(list)
    links = (
        AgreementParty.objects.filter(agreement__in=agreement_ids)
        .with_signature(today)
        .order_by("organization__name", "organization__pk")
        .values_list("agreement", "organization__acronym", "organization__name", "has_signed")
    )
    for agreement, acronym, name, has_signed in links:
        parties[agreement].append(acronym or name)
        if has_signed:
            signed[agreement].append(acronym or name)
    return {
        agreement: Signatures(tuple(names), tuple(signed[agreement]))
        for agreement, names in parties.items()
    }


def open_follow_ups(agreement_ids, as_of, today):
    """{agreement: [OpenFollowUp, by due date]}, owed by as FollowUp.owed_by_display says."""
    owed = defaultdict(list)
    follow_ups = (
        FollowUp.objects.open(as_of=as_of)
        .marking_overdue(as_of, today)
        .filter(agreement__in=agreement_ids)
        .order_by("due_first", "pk")
        .values_list(
            "agreement",
            "action",
            "due",
            "responsible_person__honorific",
            "responsible_person__name",
            "responsible_organization__acronym",
            "responsible_organization__name",
            "overdue",
            "desk_officer__first_name",
            "desk_officer__last_name",
            "desk_officer__username",
        )
    )
    for agreement, action, due, *fields in follow_ups:
        responsible, overdue, desk_officer = fields[:4], fields[4], fields[5:]
        owed[agreement].append(
            OpenFollowUp(
                action=action,
                owed_by=FollowUp.owed_by_wording(*responsible),
                due=due,
                overdue=overdue,
                desk_officer=account_name(*desk_officer),
            )
        )
    return owed
