"""The agreements part of an organization's briefing (cooperation/briefing.py):
its open agreements and those of its bodies, as they stood on the day, with their steps
so far and the follow-up actions still owed on them; then the other follow-ups still
open that it or its bodies owe or asked for, or that came from their meetings."""

import datetime

from django.db.models import F, Prefetch

from agreements.models import AgreementEvent, FollowUp
from agreements.organization_page import agreements_of, follow_ups_of, mark_parties
from agreements.rows import days_since
from cooperation.models import with_sources
from meetings.models import Meeting

LISTED = 10  # open agreements, and other open follow-ups, on a briefing


def open_agreements_part(organization, organizations, as_of):
    """Open: still on their way (AgreementQuerySet.pending) on the day; the latest
    active first."""
    bodies = {body.pk: body for body in organizations if body.pk != organization.pk}
    open_agreements = agreements_of(organizations).with_status(as_of=as_of).pending(as_of)
    steps = AgreementEvent.objects.select_related("meeting", "acting_party", "country")
    if as_of is not None:
        # The steps certainly taken by then, as with_status(as_of) reads them.
        steps = steps.filter(date_last__lte=as_of)
    agreements = list(
        open_agreements.prefetch_related(
            with_sources(),
            Prefetch(
                "events",
                queryset=steps.prefetch_related(with_sources()).order_by(
                    "date_first", "date_last", "pk"
                ),
                to_attr="steps",
            ),
            Prefetch("follow_ups", queryset=open_follow_ups(as_of), to_attr="owed"),
        ).order_by(F("last_activity").desc(nulls_last=True), "title")[:LISTED]
    )
    mark_parties(agreements, organization, bodies)
    today = as_of or datetime.date.today()
    for agreement in agreements:
        agreement.days_since = days_since(agreement.status_date, today)
    # Besides those it owes or asked for, those that came from its meetings: what the
    # other side took on there (the Embassy's commitment to RATS-SCO).
    involved = follow_ups_of(organizations) | FollowUp.objects.filter(
        meeting__in=Meeting.objects.involving(organizations)
    )
    others = involved.exclude(agreement__in=[agreement.pk for agreement in agreements])
    other_follow_ups = list(open_follow_ups(as_of).filter(pk__in=others.values("pk"))[:LISTED])
    cited = []
    for agreement in agreements:
        cited += [agreement, *agreement.steps, *agreement.owed]
    return {
        "agreements": agreements,
        "open_count": open_agreements.count(),
        "follow_ups": other_follow_ups,
        "other_follow_up_count": others.open(as_of).count(),
        "has_bodies": bool(bodies),
        "cited": cited + other_follow_ups,
    }


def open_follow_ups(as_of):
    """The follow-up actions open on the day, with who owes them and who asked, overdue
    marked: the earliest due first."""
    return (
        FollowUp.objects.open(as_of)
        .select_related(
            "agreement",
            "responsible_organization",
            "responsible_person",
            "requested_by_organization",
            "requested_by_person",
        )
        .prefetch_related(with_sources())
        .marking_overdue(as_of)
        .order_by(F("due_first").asc(nulls_last=True), "pk")
    )
