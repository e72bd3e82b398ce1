"""Every analysts' page: who may open it, what it costs in queries, how it fails."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.models import Agreement, FollowUp
from cooperation import exports
from cooperation.models import CITED_RECORDS, Citation
from meetings.models import Meeting
from tests import factories
from tests.factories import country

BNPT_MOU = "MOU on Counter-terrorism Cooperation between RATS-SCO and BNPT"


def make_agreements(count):
    """`count` agreements with all the trimmings a status page row shows."""
    topic = factories.TopicFactory()
    rats = factories.OrganizationFactory(acronym="RATS", home_country=country("UZ"))
    for number in range(count):
        partner = factories.OrganizationFactory(home_country=country("ID"))
        factories.OrganizationNameFactory(organization=partner)
        meeting = factories.MeetingFactory()
        factories.ParticipantFactory(meeting=meeting, organization=partner)
        agreement = factories.AgreementFactory()
        agreement.topics.add(topic)
        factories.AgreementPartyFactory(agreement=agreement, organization=rats)
        factories.AgreementPartyFactory(agreement=agreement, organization=partner)
        agreement.record_event("draft_agreed", "2011")
        agreement.record_event("follow_up_requested", "2013-08-20", meeting=meeting)
        factories.FollowUpFactory(
            agreement=agreement,
            meeting=meeting,
            responsible_organization=partner,
            responsible_person=factories.PersonFactory(),
            requested_on="2013-08-20",
            due="2014-01",
        )
        factories.MembershipFactory(
            organization=rats,
            country=country(["CN", "RU", "KZ"][number % 3]),
            start=f"{2001 + number}",
        )
    return rats


def page_urls(organization):
    agreement = Agreement.objects.order_by("pk").first()
    meeting = Meeting.objects.order_by("pk").first()
    participant = meeting.participants.first()
    owing = FollowUp.objects.order_by("pk").first().responsible_person
    return {
        "status page": "/agreements/",
        "status page, filtered": (
            "/agreements/?status=follow_up_requested&stalled=30&overdue=on&sort=-last_activity"
        ),
        "status page as of a day": "/agreements/?as_of=2013-09-01",
        "status page as CSV": "/agreements/?format=csv",
        "status page as JSON": "/agreements/?format=json",
        "status page as Excel": "/agreements/?format=xlsx",
        "agreement": f"/agreements/{agreement.pk}/",
        "meetings": "/meetings/",
        "meetings, filtered": (
            f"/meetings/?organization={participant.organization.slug}&date_after=2013-01-01"
        ),
        "meetings, sorted": "/meetings/?sort=-follow_ups",
        "meetings as CSV": "/meetings/?format=csv",
        "meetings as Excel": "/meetings/?sort=topics&format=xlsx",
        "meeting": f"/meetings/{meeting.pk}/",
        "organizations": "/organizations/",
        "organization": f"/organizations/{organization.slug}/",
        "organization as of a day": f"/organizations/{organization.slug}/?as_of=2005-06-01",
        "organization's countries as CSV": (
            f"/organizations/{organization.slug}/countries.csv?as_of=2005-06-01"
        ),
        "organization's countries as Excel": (
            f"/organizations/{organization.slug}/?as_of=2005-06-01&format=xlsx"
        ),
        "organization's briefing": f"/organizations/{organization.slug}/brief/",
        "organization's briefing as of a day": (
            f"/organizations/{organization.slug}/brief/?as_of=2013-08-20"
        ),
        "people": "/people/",
        "people, searched": "/people/?name=person",
        "person": owing.get_absolute_url(),
        "person as of a day": f"{owing.get_absolute_url()}?as_of=2013-08-20",
    }


PAGE_NAMES = [
    "status page",
    "status page, filtered",
    "status page as of a day",
    "status page as CSV",
    "status page as JSON",
    "status page as Excel",
    "agreement",
    "meetings",
    "meetings, filtered",
    "meetings, sorted",
    "meetings as CSV",
    "meetings as Excel",
    "meeting",
    "organizations",
    "organization",
    "organization as of a day",
    "organization's countries as CSV",
    "organization's countries as Excel",
    "organization's briefing",
    "organization's briefing as of a day",
    "people",
    "people, searched",
    "person",
    "person as of a day",
]

# Queries per page, the same whatever the number of records. Seven of them are the
# session, the user and the user's permissions, and renewing the session's idle
# timeout (a savepoint, the update, its release); one more counts the overdue follow-ups
# on the account's desk, for the navigation (pages only: not exports). The status page's
# filter form lists countries, topics and desk officers in three more (parties are
# typed, not listed: there are too many).
QUERIES = {
    "status page": 16,
    "status page, filtered": 16,
    "status page as of a day": 16,
    "status page as CSV": 10,
    "status page as JSON": 10,
    "status page as Excel": 11,  # +1: the rows counted first, a workbook holds so many
    # A page that quotes its records' sources reads the citations of each list of them in
    # one query: the agreement, its parties, its events and its follow-ups (+4).
    "agreement": 17,
    # +1 for each list of meetings: the kinds of their outcomes (what they came to, counted
    # in the meetings' own query, as are the agreements and follow-ups they moved).
    "meetings": 14,
    "meetings, filtered": 17,  # +2: the organization and its bodies (Organization.within)
    "meetings, sorted": 14,
    # No page (-2: its count and its choices of topics). +1 for the workbook: the rows
    # counted first, as a workbook holds so many.
    "meetings as CSV": 11,
    "meetings as Excel": 12,
    # +1: the memberships and posts it decided. +4: citations of the meeting, its
    # participants, its agreement events and follow-ups (no outcome or decision here).
    "meeting": 19,
    "organizations": 10,
    # +6: its agreements part and its meetings part each read the organization and its
    # bodies (Organization.within, two queries), and the agreements part its follow-ups (two).
    # +1: the meetings that decided its memberships and posts. +2: the citations of the
    # organization and of its memberships (it has no posts here).
    "organization": 27,
    "organization as of a day": 27,
    "organization's countries as CSV": 10,  # +1: the sources of its countries
    "organization's countries as Excel": 10,
    # The organization page's parts and its posts and statuses, without the chart; no
    # meetings or posts here (tests/test_brief.py pins a busy organization at 34).
    "organization's briefing": 27,
    "organization's briefing as of a day": 27,
    "people": 11,  # +3: the count, the page of people, and the posts each holds today
    "people, searched": 11,
    # +2: the person and their citations. +1: their posts (none here: nor the others in
    # them, nor what decided them). +2: the meetings part, their places at meetings (none
    # here) and the count. +4: the follow-ups part, those owed with their citations, those
    # asked for (none here), and the counts. tests/test_people_pages.py pins a busy person.
    "person": 17,
    "person as of a day": 17,
}


def content(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response["Content-Type"] == exports.CONTENT_TYPES["xlsx"]:
        return body  # a zip file, no text
    return body.decode()


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_it_sends_anonymous_users_to_the_login_page(client, db, name):
    url = page_urls(make_agreements(1))[name]
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")


@pytest.mark.parametrize("name", PAGE_NAMES)
@pytest.mark.parametrize("role", ["analyst", "staff"])
def test_analysts_and_staff_read_every_page(client, db, name, role):
    url = page_urls(make_agreements(1))[name]
    client.force_login(getattr(factories, role)())
    response = client.get(url)
    assert response.status_code == 200
    assert content(response)


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_an_account_without_a_role_is_refused(client, db, name):
    url = page_urls(make_agreements(1))[name]
    client.force_login(factories.UserFactory(username="nobody", is_staff=False))
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_a_page_costs_the_same_queries_for_one_record_and_for_fifty(client, db, name):
    counts = []
    for size in (1, 50):
        organization = make_agreements(size)
        url = page_urls(organization)[name]
        client.force_login(factories.analyst())
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            content(response)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts == [QUERIES[name], QUERIES[name]], (name, counts)


def cite_every_record(times):
    """Cite every record that can cite a source `times` more times."""
    source = factories.SourceFactory()
    for kind in CITED_RECORDS:
        for record in Citation._meta.get_field(kind).related_model.objects.all():
            for number in range(times):
                Citation.objects.create(
                    **{kind: record}, source=source, attests_on=f"{2000 + number}"
                )


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_a_page_costs_the_same_queries_for_one_citation_a_record_and_for_fifty(client, db, name):
    url = page_urls(make_agreements(2))[name]
    client.force_login(factories.analyst())
    counts = []
    for added in (1, 49):
        cite_every_record(added)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            content(response)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts == [QUERIES[name], QUERIES[name]], (name, counts)


def test_staff_see_the_admin_link_and_analysts_do_not(client, db):
    make_agreements(1)
    client.force_login(factories.staff())
    assert 'href="/admin/"' in client.get("/agreements/").text
    client.force_login(factories.analyst())
    assert 'href="/admin/"' not in client.get("/agreements/").text


@pytest.mark.parametrize(
    "url",
    ["/agreements/999999/", "/meetings/999999/", "/organizations/no-such-body/"],
)
def test_a_missing_record_is_a_404_page(analyst_client, url):
    response = analyst_client.get(url)
    assert response.status_code == 404
    assert "There is nothing here" in response.text
