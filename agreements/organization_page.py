"""The agreements part of an organization's page (cooperation/organization_page.py): the
agreements and follow-up actions of the organization and of its bodies at every depth."""

from collections import defaultdict

from django.db.models import Count, F, Q

from agreements.models import OPEN_STATES, Agreement, AgreementParty, FollowUp
from cooperation.models import Organization

LATEST = 50  # agreements, and follow-up actions, listed on an organization's page


def agreements_part(organization, as_of):
    organizations = list(Organization.objects.within(organization))
    bodies = {body.pk: body for body in organizations if body.pk != organization.pk}
    links = AgreementParty.objects.filter(organization__in=organizations)
    agreements = agreements_of(organizations)
    # The latest few; the status page has them all, by link (its party filter includes
    # the bodies too).
    latest = list(
        agreements.with_status(as_of=as_of).order_by(
            F("last_activity").desc(nulls_last=True), "title"
        )[:LATEST]
    )
    mark_parties(latest, organization, bodies)
    part = {
        "agreements": latest,
        "count": agreements.count(),
        "through": [],
        "has_bodies": bool(bodies),
    }
    if bodies:
        # What the count includes: how many the organization itself and each body are
        # a party to. One row a party, as many as its agreements: counted without reading them.
        party_to = dict(
            links.order_by()
            .values("organization")
            .annotate(n=Count("pk"))
            .values_list("organization", "n")
        )
        part["own_count"] = party_to.get(organization.pk, 0)
        part["through"] = [(body, party_to[pk]) for pk, body in bodies.items() if pk in party_to]
    return part | follow_ups_part(organization, organizations, bodies)


def agreements_of(organizations):
    """The agreements any of `organizations` is a party to, each once."""
    links = AgreementParty.objects.filter(organization__in=organizations)
    return Agreement.objects.filter(pk__in=links.values("agreement"))


def follow_ups_of(organizations):
    """The follow-up actions any of `organizations` owes or asked for."""
    return FollowUp.objects.filter(
        Q(responsible_organization__in=organizations)
        | Q(requested_by_organization__in=organizations)
    )


def mark_parties(agreements, organization, bodies):
    """Give each agreement `through`, the short names of the bodies that are its parties
    when the organization itself is not, and `other_parties`, those of the rest."""
    parties = defaultdict(list)  # {agreement: [(party, its short name), by name]}
    links = (
        AgreementParty.objects.filter(agreement__in=[agreement.pk for agreement in agreements])
        .order_by("organization__name", "organization__pk")
        .values_list("agreement", "organization", "organization__acronym", "organization__name")
    )
    for agreement, party, acronym, name in links:
        parties[agreement].append((party, acronym or name))
    for agreement in agreements:
        its_parties = parties[agreement.pk]
        party_keys = {party for party, _ in its_parties}
        through = set() if organization.pk in party_keys else party_keys & bodies.keys()
        agreement.through = [name for party, name in its_parties if party in through]
        agreement.other_parties = [
            name for party, name in its_parties if party != organization.pk and party not in through
        ]


def follow_ups_part(organization, organizations, bodies):
    """The follow-up actions the organization or its bodies owe or asked for, open ones
    first, then by due date; each marked with the body involved when the organization
    itself is not. As they stand today, whatever day the page is asked for, like its
    meetings."""
    involved = follow_ups_of(organizations)
    follow_ups = list(
        involved.select_related(
            "agreement",
            "responsible_organization",
            "responsible_person",
            "requested_by_organization",
            "requested_by_person",
        )
        .marking_overdue()
        .open_first()[:LATEST]
    )
    for follow_up in follow_ups:
        sides = [follow_up.responsible_organization, follow_up.requested_by_organization]
        keys = {side.pk for side in sides if side is not None}
        follow_up.through = [
            body.short_name
            for pk, body in bodies.items()
            if pk in keys and organization.pk not in keys
        ]
    counts = involved.aggregate(
        count=Count("pk"), open_count=Count("pk", filter=Q(state__in=OPEN_STATES))
    )
    return {
        "follow_ups": follow_ups,
        "follow_up_count": counts["count"],
        "open_follow_up_count": counts["open_count"],
    }
