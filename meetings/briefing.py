"""The meetings part of an organization's briefing (cooperation/briefing.py):
the last meetings it or its bodies took part in, who was there and what came of them."""

from django.db.models import Case, Count, Prefetch, Q, When

from cooperation.models import with_sources
from meetings.models import Meeting, Outcome, OutcomeKind, Participant

LAST = 5  # meetings on a briefing


def last_meetings_part(organization, organizations, as_of):
    meetings = Meeting.objects.involving(organizations)
    if as_of is not None:
        meetings = meetings.filter(date_last__lte=as_of)  # certainly held by then
    participants = Participant.objects.select_related(
        "person", "position__holder", "organization"
    ).prefetch_related(with_sources())
    # What came of it: what was agreed, requested, committed. The positions each side
    # stated are only counted: a briefing has two sheets, the meeting's page has them all.
    outcomes = (
        Outcome.objects.exclude(kind=OutcomeKind.STATED)
        .select_related("organization")
        .prefetch_related(with_sources())
        .order_by(
            Case(*[When(kind=kind, then=rank) for rank, kind in enumerate(OutcomeKind.values)]),
            "pk",
        )
    )
    stated = Count("outcomes", filter=Q(outcomes__kind=OutcomeKind.STATED))
    latest = list(
        meetings.select_related("country")
        .annotate(positions_stated=stated)
        .prefetch_related(
            with_sources(),
            Prefetch("participants", queryset=participants.order_by("pk")),
            Prefetch("outcomes", queryset=outcomes),
        )
        .order_by("-date_first", "-date_last", "-pk")[:LAST]
    )
    cited = []
    for meeting in latest:
        cited += [meeting, *meeting.participants.all(), *meeting.outcomes.all()]
    return {"meetings": latest, "count": meetings.count(), "cited": cited}
