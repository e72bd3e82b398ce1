"""The meetings part of a person's page (cooperation/person_page.py): the meetings they
attended, named in person or as the holder of a post the record names instead."""

from django.db.models import Q
from django.utils.translation import gettext as _

from cooperation.models import with_sources
from meetings.models import Participant

LATEST = 50  # meetings listed on a person's page; the meetings list has them all


def attended_part(person, as_of):
    """Their places at meetings, the latest first, whatever the day asked for (a meeting
    is not true on one day and not another), each with its sources."""
    attended = Participant.objects.filter(Q(person=person) | Q(position__holder=person))
    latest = list(
        attended.select_related("meeting__country", "organization", "position")
        .prefetch_related(with_sources())
        .order_by("-meeting__date_first", "-meeting__date_last", "-meeting__pk", "pk")[:LATEST]
    )
    return {
        "participations": latest,
        "count": attended.values("meeting").distinct().count(),
        "cited": [
            (
                _("At %(meeting)s, %(date)s")
                % {"meeting": p.meeting.title, "date": p.meeting.date},
                p,
            )
            for p in latest
        ],
    }
