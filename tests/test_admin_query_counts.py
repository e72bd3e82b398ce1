"""What the admin's lists and searches cost in queries: the same whatever the number of records."""

import pytest
from django.contrib import admin

from agreements.models import Agreement, AgreementEvent, AgreementParty, FollowUp
from cooperation.models import (
    Country,
    Membership,
    Organization,
    OrganizationName,
    Person,
    Position,
    Source,
    Topic,
)
from meetings.models import Decision, Meeting, Outcome, Participant
from tests import factories
from tests.admin_forms import admin_url, autocomplete, changelist_results
from tests.admin_records import DOMAIN, KINDS, label


def make_records(count):
    """`count` of each listed record, each with everything its list row shows."""
    terrorism = factories.TopicFactory(name="Terrorism")
    rats = factories.OrganizationFactory(acronym="RATS-SCO")
    countries = Country.objects.order_by("code")[:count]
    for number, member in enumerate(countries):
        source = factories.SourceFactory()
        factories.TopicFactory()
        partner = factories.OrganizationFactory(parent=rats, home_country=member, source=source)
        factories.OrganizationNameFactory(organization=partner, source=source)
        person = factories.PersonFactory()
        post = factories.PositionFactory(organization=partner, holder=person)
        meeting = factories.MeetingFactory(country=member)
        meeting.topics.add(terrorism)
        factories.ParticipantFactory(
            meeting=meeting, organization=partner, person=person, position=post
        )
        factories.OutcomeFactory(meeting=meeting, organization=partner)
        agreement = factories.AgreementFactory()
        agreement.topics.add(terrorism)
        factories.AgreementPartyFactory(agreement=agreement, organization=rats)
        factories.AgreementPartyFactory(agreement=agreement, organization=partner)
        agreement.record_event(AgreementEvent.Kind.DRAFT_AGREED, "2011")
        agreement.record_event(
            AgreementEvent.Kind.FOLLOW_UP_REQUESTED, "2013-08-20", meeting=meeting
        )
        factories.FollowUpFactory(
            agreement=agreement,
            meeting=meeting,
            requested_by_organization=rats,
            responsible_organization=partner,
            responsible_person=factories.PersonFactory(),
            due="2014-01",
        )
        admitted = factories.MembershipFactory(
            organization=rats, country=member, start=str(2001 + number)
        )
        factories.DecisionFactory(meeting=meeting, membership=admitted)
        factories.DecisionFactory(meeting=meeting, membership=None, position=post)


# Six on every list: the session and the user, the user's and the group's permissions,
# the count of the rows shown (not of the whole table: show_full_result_count is off), the
# page itself; three to save the session again
# (SESSION_SAVE_EVERY_REQUEST: a savepoint, the update, its release); and what the
# filters list or the rows prefetch.
CHANGELIST_QUERIES = {
    # + the parties of the page's agreements, + the topics and desk officers to filter by
    Agreement: 12,
    AgreementParty: 9,
    AgreementEvent: 9,
    Country: 9,
    Decision: 9,
    FollowUp: 10,  # + the desk officers to filter by
    Meeting: 10,  # + the topics to filter by
    Membership: 9,  # filtered by kind and status, which are choices: no query
    Organization: 9,
    OrganizationName: 9,
    Outcome: 9,
    Participant: 9,
    Person: 9,
    Position: 9,
    Source: 9,
    Topic: 9,
}


def test_every_list_of_records_has_its_queries_counted():
    assert set(CHANGELIST_QUERIES) == DOMAIN | KINDS["reference"]


@pytest.mark.parametrize("model", CHANGELIST_QUERIES, ids=label)
@pytest.mark.parametrize("count", [1, 20])
def test_a_list_costs_the_same_queries_whatever_the_number_of_records(
    staff_client, django_assert_num_queries, model, count
):
    make_records(count)
    shown = min(model.objects.count(), admin.site._registry[model].list_per_page)
    with django_assert_num_queries(CHANGELIST_QUERIES[model]):
        response = staff_client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    assert len(changelist_results(response)) == shown


@pytest.mark.parametrize("count", [1, 20])
def test_searching_for_a_post_costs_the_same_queries_whatever_the_number_of_posts(
    staff_client, django_assert_num_queries, count
):
    rats = factories.OrganizationFactory(acronym="RATS-SCO")
    for _ in range(count):
        factories.PositionFactory(title="Director", organization=rats)
    # Session, user, two for permissions, the count and the page of posts, three to save
    # the session.
    with django_assert_num_queries(9):
        offered = autocomplete(staff_client, Participant, "position", "Director")
    assert len(offered) == count
