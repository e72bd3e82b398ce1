"""The meetings part of an organization's page (cooperation/organization_page.py)."""

from meetings.models import Meeting

LATEST = 50  # meetings listed on an organization's page


def meetings_part(organization, as_of):
    # The latest few; the meetings list has them all, by link. Meetings are shown
    # whatever the day asked for.
    meetings = Meeting.objects.involving(organization)
    return {
        "meetings": list(meetings.order_by("-date_first", "-pk")[:LATEST]),
        "count": meetings.count(),
    }
