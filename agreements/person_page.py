"""The follow-ups part of a person's page (cooperation/person_page.py): the follow-up
actions they owe, and those they asked for."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from agreements.models import OPEN_STATES, FollowUp
from cooperation.models import with_sources

LATEST = 50  # follow-up actions of each kind listed on a person's page


def follow_ups_part(person, as_of):
    """As they stand today, whatever day the page is asked for, as on an organization's
    page: open ones first, then by due date."""
    owed = FollowUp.objects.filter(responsible_person=person)
    requested = FollowUp.objects.filter(requested_by_person=person)
    owed_latest, requested_latest = listed(owed), listed(requested)
    open_state = Q(state__in=OPEN_STATES)
    counts = FollowUp.objects.filter(
        Q(responsible_person=person) | Q(requested_by_person=person)
    ).aggregate(
        owed_count=Count("pk", filter=Q(responsible_person=person)),
        owed_open_count=Count("pk", filter=Q(responsible_person=person) & open_state),
        requested_count=Count("pk", filter=Q(requested_by_person=person)),
        requested_open_count=Count("pk", filter=Q(requested_by_person=person) & open_state),
    )
    return {
        "owed": owed_latest,
        "requested": requested_latest,
        **counts,
        "cited": [
            (cited_as(follow_up), follow_up)
            # Once each, though one they asked of themselves is in both lists.
            for follow_up in {f.pk: f for f in [*owed_latest, *requested_latest]}.values()
        ],
    }


def cited_as(follow_up):
    """How the sources name a follow-up: two of one action are told apart by what they serve."""
    if follow_up.agreement:
        return _("Follow-up: %(action)s, for %(agreement)s") % {
            "action": follow_up.action,
            "agreement": follow_up.agreement.title,
        }
    return _("Follow-up: %(action)s") % {"action": follow_up.action}


def listed(follow_ups):
    return list(
        follow_ups.select_related(
            "agreement",
            "meeting",
            "responsible_organization",
            "responsible_person",
            "requested_by_organization",
            "requested_by_person",
        )
        .prefetch_related(with_sources())
        .marking_overdue()
        .open_first()[:LATEST]
    )
