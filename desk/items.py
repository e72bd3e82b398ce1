"""What is on an account's desk: the follow-ups and agreements it tracks that need it.

The desk page, the weekly digest and the navigation's count all read it here.
"""

import datetime
from dataclasses import dataclass

from agreements.filters import DEFAULT_STALLED_DAYS
from agreements.models import Agreement, FollowUp

DUE_SOON_DAYS = 14
STALLED_DAYS = DEFAULT_STALLED_DAYS


@dataclass
class DeskItems:
    overdue: object  # follow-ups past their due date
    due_soon: object  # follow-ups due within DUE_SOON_DAYS
    undated: object  # open follow-ups with no due date
    stalled: object  # agreements with no activity for more than STALLED_DAYS


def on_the_desk_of(account, today=None):
    """The querysets of what `account` tracks that is overdue, due soon, undated or stalled."""
    today = today or datetime.date.today()
    follow_ups = FollowUp.objects.filter(desk_officer=account).select_related(
        "agreement", "meeting", "responsible_organization", "responsible_person"
    )
    return DeskItems(
        overdue=follow_ups.overdue_now(today).order_by("due_first", "pk"),
        due_soon=follow_ups.due_within(DUE_SOON_DAYS, today).order_by("due_first", "pk"),
        undated=follow_ups.undated().order_by("pk"),
        stalled=Agreement.objects.filter(desk_officer=account)
        .with_status()
        .stalled(STALLED_DAYS, today)
        .order_by("last_activity", "pk"),
    )


def overdue_count(account, today=None):
    """The navigation's count: the follow-ups `account` tracks that are overdue."""
    today = today or datetime.date.today()
    return FollowUp.objects.filter(desk_officer=account).overdue_now(today).count()
