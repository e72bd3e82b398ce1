"""Bodies rolled up to their organization: SCO's page, filters and exports include what
RATS-SCO (a body of SCO) did, unless the analyst asks for SCO alone."""

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cooperation.models import Organization
from tests import factories
from tests.organization_pages import page_part

BNPT_MOU = "MOU on Counter-terrorism Cooperation between RATS-SCO and BNPT"
ASEAN_MOU = "MOU on Counter-terrorism Cooperation between RATS-SCO and the ASEAN Secretariat"
TASHKENT_MEETING = "Ambassador Asruchin meets the Director of the RATS-SCO Executive Committee"
JAKARTA_VISIT = "Visit to Jakarta by the then Director of the RATS-SCO Executive Committee"


def content(response):
    if response.streaming:
        body = b"".join(response.streaming_content)
        return body if body.startswith(b"PK") else body.decode("utf-8-sig")  # a zip: a workbook
    return response.content.decode()


def section(html, heading, next_heading):
    return html[html.index(f"<h2>{heading}</h2>") : html.index(f"<h2>{next_heading}</h2>")]


def agreement_titles(response):
    return sorted(row.title for row in response.context["rows"])


def meeting_titles(response):
    return sorted(meeting.title for meeting in response.context["page"].object_list)


def test_within_finds_an_organization_and_its_bodies_at_every_depth(db):
    top = factories.OrganizationFactory(acronym="TOP")
    body = factories.OrganizationFactory(acronym="BODY", parent=top)
    body_of_body = factories.OrganizationFactory(acronym="SUB", parent=body)
    sibling = factories.OrganizationFactory(acronym="SIB", parent=top)
    factories.OrganizationFactory(acronym="OUT")
    assert set(Organization.objects.within(top)) == {top, body, body_of_body, sibling}
    assert set(Organization.objects.within(body)) == {body, body_of_body}
    assert list(Organization.objects.within(body_of_body)) == [body_of_body]


def test_within_costs_one_query_a_level(db, django_assert_num_queries):
    top = factories.OrganizationFactory()
    level = [top]
    for _ in range(3):
        level = [factories.OrganizationFactory(parent=parent) for parent in level * 2]
    with django_assert_num_queries(5):  # four levels, and one that finds none
        assert len(Organization.objects.within(top)) == 1 + 2 + 4 + 8


# The Tashkent records: both MOUs, both meetings and the follow-ups involve RATS-SCO,
# a body of SCO, and never SCO itself.


@pytest.mark.usefixtures("tashkent")
class TestTheTashkentRecordsOnSCO:
    def test_scos_page_lists_both_mous_marked_with_rats_sco(self, analyst_client):
        response = analyst_client.get("/organizations/sco/")
        part = page_part(response, "agreements")
        assert sorted(agreement.title for agreement in part["agreements"]) == [BNPT_MOU, ASEAN_MOU]
        listed = section(response.text, "Agreements", "Follow-up actions")
        assert "No agreements with this organization" not in listed
        assert listed.count('<span class="through">through RATS-SCO</span>') == 2
        assert "2 agreements, 2 of them through RATS-SCO." in listed
        assert "with BNPT" in listed and "with ASEAN Secretariat" in listed

    def test_scos_page_lists_both_meetings_marked_with_rats_sco(self, analyst_client):
        response = analyst_client.get("/organizations/sco/")
        titles = [meeting.title for meeting in page_part(response, "meetings")["meetings"]]
        assert titles == [TASHKENT_MEETING, JAKARTA_VISIT]  # the latest first
        listed = response.text[response.text.index("<h2>Meetings</h2>") :]
        assert "No meetings recorded" not in listed
        assert listed.count('<span class="through">through RATS-SCO</span>') == 2
        assert "2 meetings, 2 of them through RATS-SCO." in listed

    def test_scos_page_lists_the_follow_ups_rats_sco_asked_for(self, analyst_client):
        response = analyst_client.get("/organizations/sco/")
        follow_ups = page_part(response, "agreements")["follow_ups"]
        assert sorted(f.action for f in follow_ups) == [
            "Facilitate the follow-up of the draft MOU",
            "Facilitate the follow-up of the draft MOU",
        ]
        listed = section(response.text, "Follow-up actions", "Meetings")
        assert listed.count('<span class="through">through RATS-SCO</span>') == 2
        zhang = '<a href="/people/zhang-xinfeng/">Mr. Zhang Xinfeng</a>'
        assert f"requested by {zhang} (RATS-SCO)" in listed
        assert "2 follow-up actions owed or asked for by SCO or its bodies, 2 of them open." in (
            listed
        )

    def test_rats_scos_own_page_marks_nothing(self, analyst_client):
        html = analyst_client.get("/organizations/rats-sco/").text
        assert BNPT_MOU in html and JAKARTA_VISIT in html
        assert 'class="through"' not in html
        assert "of them through" not in html

    def test_the_status_page_finds_scos_agreements_through_its_bodies(self, analyst_client):
        response = analyst_client.get("/agreements/?party=sco")
        assert response.status_code == 200
        assert agreement_titles(response) == [BNPT_MOU, ASEAN_MOU]
        assert "Including the bodies of SCO: RATS-SCO." in response.text

    def test_the_status_page_finds_none_for_sco_alone(self, analyst_client):
        response = analyst_client.get("/agreements/?party=sco&only_itself=on")
        assert response.status_code == 200
        assert agreement_titles(response) == []
        assert "SCO alone, without its bodies: RATS-SCO." in response.text
        assert 'name="only_itself" id="id_only_itself" checked' in response.text

    def test_the_switch_says_nothing_for_an_organization_without_bodies(self, analyst_client):
        response = analyst_client.get("/agreements/?party=bnpt")
        assert agreement_titles(response) == [BNPT_MOU]
        assert "Including the bodies" not in response.text

    def test_the_meetings_list_finds_scos_meetings_through_its_bodies(self, analyst_client):
        response = analyst_client.get("/meetings/?organization=sco")
        assert response.status_code == 200
        assert meeting_titles(response) == [TASHKENT_MEETING, JAKARTA_VISIT]
        assert "Including the bodies of SCO: RATS-SCO." in response.text

    def test_the_meetings_list_finds_none_for_sco_alone(self, analyst_client):
        response = analyst_client.get("/meetings/?organization=sco&only_itself=on")
        assert response.status_code == 200
        assert meeting_titles(response) == []
        assert "SCO alone, without its bodies: RATS-SCO." in response.text

    @pytest.mark.parametrize("output", ["csv", "json"])
    def test_exports_include_the_bodies_agreements(self, analyst_client, output):
        def exported(query):
            response = analyst_client.get(f"/agreements/?{query}&format={output}")
            assert response.status_code == 200
            text = content(response)
            if output == "json":
                return sorted(row["title"] for row in json.loads(text))
            return sorted(row["Agreement"] for row in csv.DictReader(io.StringIO(text)))

        assert exported("party=sco") == [BNPT_MOU, ASEAN_MOU]
        assert exported("party=sco&only_itself=on") == []


def test_a_body_of_a_body_rolls_up_to_the_top(analyst_client):
    top = factories.OrganizationFactory(acronym="TOP", slug="top")
    body = factories.OrganizationFactory(acronym="BODY", parent=top)
    unit = factories.OrganizationFactory(acronym="UNIT", parent=body)
    partner = factories.OrganizationFactory(acronym="PARTNER")
    agreement = factories.AgreementFactory(title="MOU of the unit")
    for party in (unit, partner):
        factories.AgreementPartyFactory(agreement=agreement, organization=party)
    agreement.record_event("proposed", "2020")
    factories.ParticipantFactory(
        meeting=factories.MeetingFactory(title="The unit meets"), organization=unit
    )
    factories.FollowUpFactory(
        agreement=agreement, action="Send the draft", responsible_organization=unit
    )

    html = analyst_client.get("/organizations/top/").text
    assert "MOU of the unit" in html and "The unit meets" in html and "Send the draft" in html
    assert html.count('<span class="through">through UNIT</span>') == 3
    assert "owed by UNIT" in html

    assert agreement_titles(analyst_client.get("/agreements/?party=top")) == ["MOU of the unit"]
    assert agreement_titles(analyst_client.get("/agreements/?party=top&only_itself=on")) == []
    assert meeting_titles(analyst_client.get("/meetings/?organization=top")) == ["The unit meets"]
    assert meeting_titles(analyst_client.get("/meetings/?organization=top&only_itself=on")) == []
    response = analyst_client.get("/agreements/?party=top")
    assert "Including the bodies of TOP: BODY, UNIT." in response.text


def test_an_agreement_of_the_organization_itself_is_not_marked(analyst_client):
    top = factories.OrganizationFactory(acronym="TOP", slug="top")
    body = factories.OrganizationFactory(acronym="BODY", parent=top)
    own = factories.AgreementFactory(title="MOU of TOP itself")
    factories.AgreementPartyFactory(agreement=own, organization=top)
    through = factories.AgreementFactory(title="MOU of its body")
    factories.AgreementPartyFactory(agreement=through, organization=body)
    html = analyst_client.get("/organizations/top/").text
    listed = section(html, "Agreements", "Follow-up actions")
    assert listed.count('class="through"') == 1
    assert "2 agreements, 1 of them with TOP itself as a party, 1 of them through BODY." in listed


def test_open_follow_ups_come_first(analyst_client):
    top = factories.OrganizationFactory(acronym="TOP", slug="top")
    factories.FollowUpFactory(action="Done long ago", responsible_organization=top, state="done")
    factories.FollowUpFactory(action="Still to do", responsible_organization=top)
    response = analyst_client.get("/organizations/top/")
    follow_ups = page_part(response, "agreements")["follow_ups"]
    assert [f.action for f in follow_ups] == ["Still to do", "Done long ago"]
    assert "2 follow-up actions owed or asked for by TOP, 1 of them open." in response.text


# Who may see: anonymous users are sent to log in; analysts and staff read.

URLS = [
    "/organizations/sco/",
    "/agreements/?party=sco",
    "/agreements/?party=sco&only_itself=on",
    "/agreements/?party=sco&format=csv",
    "/agreements/?party=sco&format=json",
    "/meetings/?organization=sco",
    "/meetings/?organization=sco&only_itself=on",
]


@pytest.mark.usefixtures("tashkent")
@pytest.mark.parametrize("url", URLS)
def test_anonymous_users_are_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")


@pytest.mark.usefixtures("tashkent")
@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("role", ["analyst", "staff"])
def test_analysts_and_staff_see_the_bodies_rolled_up(client, url, role):
    client.force_login(getattr(factories, role)())
    response = client.get(url)
    assert response.status_code == 200
    if "only_itself" not in url:
        assert "RATS-SCO" in content(response)


# Query counts: the same for 1 and for 20 agreements, meetings and follow-ups of a
# body; a body of a body adds one query a level to each use of Organization.within.


def organization_with_busy_bodies(count):
    """An organization whose body's body has `count` agreements, meetings and follow-ups."""
    top = factories.OrganizationFactory(acronym=f"TOP{count}", slug=f"top-{count}")
    body = factories.OrganizationFactory(parent=top)
    unit = factories.OrganizationFactory(parent=body)
    for _ in range(count):
        partner = factories.OrganizationFactory()
        agreement = factories.AgreementFactory()
        for party in (unit, partner):
            factories.AgreementPartyFactory(agreement=agreement, organization=party)
        agreement.record_event("proposed", "2020")
        meeting = factories.MeetingFactory()
        factories.ParticipantFactory(meeting=meeting, organization=unit)
        factories.ParticipantFactory(meeting=meeting, organization=body)
        factories.FollowUpFactory(
            agreement=agreement, responsible_organization=partner, requested_by_organization=unit
        )
    return top


# Seven of each are the session, the user and their permissions (see tests/test_pages.py).
# Organization.within costs a query a level, here three (TOP, its body, the body's body)
# and one that reads the organizations found; the organization's page asks it twice
# (its agreements part and its meetings part). A list that finds nothing reads no rows.
QUERIES = {
    "/organizations/{slug}/": 32,  # + 1: the organization's citations
    "/agreements/?party={slug}": 21,
    "/agreements/?party={slug}&only_itself=on": 18,
    "/agreements/?party={slug}&format=csv": 15,
    "/agreements/?party={slug}&format=json": 15,
    # +1: the kinds of the listed meetings' outcomes (tests/test_pages.py "meetings").
    "/meetings/?organization={slug}": 19,
    "/meetings/?organization={slug}&only_itself=on": 15,
    "/meetings/?organization={slug}&format=csv": 16,
    "/meetings/?organization={slug}&format=xlsx": 17,  # +1: the rows counted first
}


@pytest.mark.parametrize("url", list(QUERIES))
def test_pages_cost_the_same_queries_for_one_record_of_a_body_and_for_twenty(client, db, url):
    client.force_login(factories.analyst())
    counts = []
    for size in (1, 20):
        top = organization_with_busy_bodies(size)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url.format(slug=top.slug))
            content(response)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts == [QUERIES[url], QUERIES[url]], (url, counts)
