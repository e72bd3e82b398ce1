"""The meetings part of an organization's page (cooperation/organization_page.py): the
meetings the organization or any of its bodies, at every depth, took part in; and the
meetings that decided its memberships and posts."""

from collections import defaultdict

from django.db.models import Count, Q

from cooperation.models import Organization
from cooperation.organization_page import Decided
from meetings.models import Decision, Meeting, Participant

LATEST = 50  # meetings listed on an organization's page


def meetings_part(organization, as_of):
    organizations = list(Organization.objects.within(organization))
    bodies = {body.pk: body for body in organizations if body.pk != organization.pk}
    meetings = Meeting.objects.involving(organizations)
    # The latest few; the meetings list has them all, by link (its organization filter
    # includes the bodies too). Meetings are shown whatever the day asked for.
    latest = list(meetings.order_by("-date_first", "-pk")[:LATEST])
    mark_bodies(latest, organization, bodies)
    part = {
        "meetings": latest,
        "count": meetings.count(),
        "through": [],
        "has_bodies": bool(bodies),
    }
    if bodies:
        # What the count includes: how many meetings the organization itself and each
        # body took part in.
        participants = Participant.objects.filter(organization__in=organizations).order_by()
        took_part_in = dict(
            participants.values("organization")
            .annotate(n=Count("meeting", distinct=True))
            .values_list("organization", "n")
        )
        part["own_count"] = took_part_in.get(organization.pk, 0)
        part["through"] = [
            (body, took_part_in[pk]) for pk, body in bodies.items() if pk in took_part_in
        ]
    return part


def mark_bodies(meetings, organization, bodies):
    """Give each meeting `through`: the short names of the bodies that took part in it
    when the organization itself did not."""
    present = defaultdict(set)  # {meeting: the organizations of the page that took part}
    if bodies:
        participants = (
            Participant.objects.filter(meeting__in=[meeting.pk for meeting in meetings])
            .filter(organization__in=[organization.pk, *bodies])
            .order_by()
            .values_list("meeting", "organization")
            .distinct()
        )
        for meeting, taking_part in participants:
            present[meeting].add(taking_part)
    for meeting in meetings:
        there = present[meeting.pk]
        meeting.through = [
            body.short_name
            for pk, body in bodies.items()
            if pk in there and organization.pk not in there
        ]


def decided_at(memberships, positions):
    """The meetings that decided the starts and ends of `memberships` and `positions`:
    {(membership or post, "start" or "end"): Decided}, in one query."""
    if not memberships and not positions:
        return {}
    decisions = Decision.objects.filter(
        Q(membership__in=memberships) | Q(position__in=positions)
    ).select_related("meeting", "membership", "position")
    return {
        (decision.decided, decision.change): Decided(
            str(decision.meeting), decision.meeting.get_absolute_url()
        )
        for decision in decisions
    }
