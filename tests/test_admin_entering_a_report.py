"""Staff enter a report in the admin: an organization, a meeting and an agreement, each with
its rows."""

import pytest

from agreements.models import Agreement, AgreementEvent, FollowUp
from cooperation.models import Membership, Organization
from meetings.models import Meeting, Outcome
from tests import factories
from tests.admin_forms import add_rows, admin_url, errors_on_page, form_values
from tests.admin_records import tashkent_report
from tests.factories import country


@pytest.fixture
def report(db):
    return tashkent_report()


def test_staff_add_an_organization_with_another_name_and_a_membership(staff_client, report):
    data = form_values(staff_client.get(admin_url(Organization, "add")))
    data.update(
        name="Indonesian National Agency In Combating Terrorism",
        acronym="BNPT",
        kind=Organization.Kind.NATIONAL_AGENCY,
        home_country=str(country("ID").pk),
    )
    add_rows(data, "citations", {"source": str(report.pk), "passage": "a draft MOU"})
    add_rows(
        data,
        "other_names",
        {"name": "Badan Nasional Penanggulangan Terorisme", "note": "in Indonesian"},
    )
    sco = factories.OrganizationFactory(acronym="SCO")
    response = staff_client.post(admin_url(Organization, "add"), data)
    assert response.status_code == 302, errors_on_page(response)

    bnpt = Organization.objects.get(acronym="BNPT")
    assert bnpt.slug == "bnpt"  # made from the acronym, as the help text says
    assert bnpt.home_country.code == "ID"
    assert [(c.source, c.passage) for c in bnpt.citations.all()] == [(report, "a draft MOU")]
    (other_name,) = bnpt.other_names.all()
    assert (other_name.name, other_name.note) == (
        "Badan Nasional Penanggulangan Terorisme",
        "in Indonesian",
    )

    data = form_values(staff_client.get(admin_url(Organization, "change", sco.pk)))
    add_rows(
        data,
        "memberships",
        {
            "country": str(country("IN").pk),
            "status": Membership.Status.OBSERVER,
            "start": "2005",
            "end": "2017-06-09",
            "source": str(report.pk),
            "passage": "RATS-SCO",
            "attests_on": "2013-08-20",
        },
    )
    response = staff_client.post(admin_url(Organization, "change", sco.pk), data)
    assert response.status_code == 302, errors_on_page(response)
    (membership,) = sco.memberships.all()
    assert (membership.country.code, membership.status) == ("IN", "observer")
    assert (membership.start.iso, membership.end.iso) == ("2005", "2017-06-09")
    assert membership.end_first.isoformat() == "2017-06-09"
    (citation,) = membership.citations.all()
    assert (citation.source, citation.passage) == (report, "RATS-SCO")
    assert membership.attested.iso == membership.last_attested.iso == "2013-08-20"


def test_staff_add_a_meeting_with_a_named_and_an_unnamed_participant_and_outcomes(
    staff_client, report
):
    embassy = factories.OrganizationFactory(name="Indonesian Embassy in Tashkent", acronym="")
    rats = factories.OrganizationFactory(acronym="RATS-SCO")
    ambassador = factories.PersonFactory(name="Mohamad Asruchin", honorific="H.E.")
    predecessor_post = factories.PositionFactory(
        title="Director of the Executive Committee", organization=rats, holder=None, ended=True
    )
    topic = factories.TopicFactory(name="Terrorism")

    data = form_values(staff_client.get(admin_url(Meeting, "add")))
    data.update(
        title="Ambassador Asruchin meets the Director of RATS-SCO",
        date="2013-08-20",
        kind=Meeting.Kind.MEETING,
        city="Tashkent",
        country=str(country("UZ").pk),
        topics=[str(topic.pk)],
    )
    add_rows(
        data,
        "citations",
        {"source": str(report.pk), "passage": "on August 20th, 2013 in Tashkent"},
    )
    add_rows(
        data,
        "participants",
        {
            "person": str(ambassador.pk),
            "organization": str(embassy.pk),
            "capacity": "Indonesian Ambassador to Uzbekistan",
            "passage": "Ambassador Asruchin",
        },
        {
            "position": str(predecessor_post.pk),
            "organization": str(rats.pk),
            "source": str(report.pk),
            "passage": "His predecessor",
        },
    )
    add_rows(
        data,
        "outcomes",
        {
            "kind": Outcome.Kind.REQUESTED,
            "organization": str(rats.pk),
            "description": "Help",
            "passage": "met the Director of RATS-SCO",
        },
        {"kind": Outcome.Kind.COMMITTED, "organization": str(embassy.pk), "description": "Yes"},
    )
    response = staff_client.post(admin_url(Meeting, "add"), data)
    assert response.status_code == 302, errors_on_page(response)

    meeting = Meeting.objects.get()
    assert (meeting.date.iso, meeting.city, meeting.country.code) == (
        "2013-08-20",
        "Tashkent",
        "UZ",
    )
    assert list(meeting.topics.all()) == [topic]
    assert [(c.source, c.passage) for c in meeting.citations.all()] == [
        (report, "on August 20th, 2013 in Tashkent")
    ]
    named, unnamed = meeting.participants.order_by("pk")
    assert (named.person, named.position, named.organization) == (ambassador, None, embassy)
    assert (unnamed.person, unnamed.position, unnamed.organization) == (
        None,
        predecessor_post,
        rats,
    )
    assert unnamed.who == "the Director of the Executive Committee (not named)"
    # A row's passage quotes the report its page cites, named or not.
    assert [(c.source, c.passage) for c in named.citations.all()] == [
        (report, "Ambassador Asruchin")
    ]
    assert [(c.source, c.passage) for c in unnamed.citations.all()] == [(report, "His predecessor")]
    assert [(o.kind, o.organization, o.description) for o in meeting.outcomes.order_by("pk")] == [
        ("requested", rats, "Help"),
        ("committed", embassy, "Yes"),
    ]
    requested, committed = meeting.outcomes.order_by("pk")
    assert [(c.source, c.passage) for c in requested.citations.all()] == [
        (report, "met the Director of RATS-SCO")
    ]
    assert not committed.citations.exists()


def test_staff_add_an_agreement_with_two_parties_an_event_and_a_follow_up(staff_client, report):
    rats = factories.OrganizationFactory(acronym="RATS-SCO")
    bnpt = factories.OrganizationFactory(acronym="BNPT")
    embassy = factories.OrganizationFactory(name="Indonesian Embassy in Tashkent", acronym="")
    visit = factories.MeetingFactory(title="Visit to Jakarta", date="2011", city="Jakarta")

    data = form_values(staff_client.get(admin_url(Agreement, "add")))
    data.update(
        title="MOU on Counter-terrorism Cooperation between RATS-SCO and BNPT",
        kind=Agreement.Kind.MOU,
    )
    add_rows(data, "citations", {"source": str(report.pk), "passage": "a draft MOU"})
    add_rows(data, "party_links", {"organization": str(rats.pk)}, {"organization": str(bnpt.pk)})
    add_rows(
        data,
        "events",
        {
            "kind": AgreementEvent.Kind.DRAFT_AGREED,
            "date": "2011",
            "meeting": str(visit.pk),
            "source": str(report.pk),
            "passage": "agreed on a draft MOU",
        },
    )
    add_rows(
        data,
        "follow_ups",
        {
            "action": "Facilitate the follow-up of the draft MOU",
            "state": FollowUp.State.OPEN,
            "due": "2013-12",
            "requested_by_organization": str(rats.pk),
            "responsible_organization": str(embassy.pk),
            "meeting": str(visit.pk),
            "passage": "agreed on a draft MOU",
        },
    )
    response = staff_client.post(admin_url(Agreement, "add"), data)
    assert response.status_code == 302, errors_on_page(response)

    agreement = Agreement.objects.with_status().get()
    assert set(agreement.parties.all()) == {rats, bnpt}
    assert [(c.source, c.passage) for c in agreement.citations.all()] == [(report, "a draft MOU")]
    (event,) = agreement.events.all()
    assert [(c.source, c.passage) for c in event.citations.all()] == [
        (report, "agreed on a draft MOU")
    ]
    assert (event.kind, event.date.iso, event.meeting) == ("draft_agreed", "2011", visit)
    assert (agreement.status, agreement.status_date.iso) == ("draft_agreed", "2011")
    (follow_up,) = agreement.follow_ups.all()
    assert follow_up.responsible_organization == embassy
    assert follow_up.requested_by_organization == rats
    assert follow_up.due.iso == "2013-12"
    assert follow_up.requested_on.iso == "2011"  # the date of the meeting it came from
    assert follow_up.is_open
    # No source named: the report the agreement's page cites.
    assert [(c.source, c.passage) for c in follow_up.citations.all()] == [
        (report, "agreed on a draft MOU")
    ]
