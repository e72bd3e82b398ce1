"""An organization's briefing (/organizations/<slug>/brief/): what an ambassador reads
before meeting it, every fact numbered to its source."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.models import Agreement
from tests import factories
from tests.factories import country

BNPT_MOU = "MOU on Counter-terrorism Cooperation between RATS-SCO and BNPT"
ASEAN_MOU = "MOU on Counter-terrorism Cooperation between RATS-SCO and the ASEAN Secretariat"
MEETING = "Ambassador Asruchin meets the Director of the RATS-SCO Executive Committee"
SCO_BRIEF = "/organizations/sco/brief/"

# Queries of a briefing, the same whatever the number of records. Seven are the session,
# the user and their permissions, and renewing the session's idle timeout. +2: the
# organization and its citations; +3: its bodies (Organization.within, a query a level
# and the list). The agreements part: +7, the open agreements, their steps and their open
# follow-ups (each with their citations), and their parties; +4, the other open
# follow-ups with their citations, and the two counts. The meetings part: +7, the last
# meetings, their participants and their outcomes (each with their citations), and the
# count. +4: the memberships and the posts held on the day, with their citations.
QUERIES = 35


def text(response):
    """The page's text without its tags, spaces run together."""
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    body = re.sub(r"\s+", " ", body).replace(" ,", ",").replace(" .", ".")
    return re.sub(r" \[(\d+)\]", r"[\1]", body)  # a reference number follows its fact


@pytest.fixture
def sco_brief(tashkent, analyst_client):
    return analyst_client.get(SCO_BRIEF)


def test_it_sends_anonymous_users_to_the_login_page(client, tashkent):
    response = client.get(SCO_BRIEF)
    assert response.status_code == 302
    assert response.url == f"/accounts/login/?next={SCO_BRIEF}"


@pytest.mark.parametrize("role", ["analyst", "staff", "administrator"])
def test_analysts_staff_and_administrators_read_it(client, tashkent, role):
    client.force_login(getattr(factories, role)())
    response = client.get(SCO_BRIEF)
    assert response.status_code == 200
    assert "Shanghai Cooperation Organization" in text(response)


def test_an_account_without_a_role_is_refused(client, tashkent):
    client.force_login(factories.UserFactory(username="nobody", is_staff=False))
    assert client.get(SCO_BRIEF).status_code == 403


def test_an_organization_that_does_not_exist_is_not_found(analyst_client, db):
    assert analyst_client.get("/organizations/no-such-body/brief/").status_code == 404


def test_the_organization_page_links_to_its_briefing(analyst_client, tashkent):
    page = analyst_client.get("/organizations/sco/?as_of=2013-08-20").content.decode()
    assert '<a href="/organizations/sco/brief/?as_of=2013-08-20">Briefing (printable)</a>' in page


def test_it_lists_the_two_open_mous_with_their_status_and_who_owes_the_follow_ups(sco_brief):
    (part,) = [p for p in sco_brief.context["parts"] if "agreements" in p["template_name"]]
    assert sorted(agreement.title for agreement in part["agreements"]) == [BNPT_MOU, ASEAN_MOU]
    for agreement in part["agreements"]:
        assert agreement.current_status_label == "Follow-up requested"
        assert str(agreement.status_date) == "20 August 2013"
        assert [str(f.owed_by_display) for f in agreement.owed] == [
            "H.E. Mohamad Asruchin (Indonesian Embassy in Tashkent)"
        ]
    page = text(sco_brief)
    assert page.count("Follow-up requested since 20 August 2013") == 2
    owed = (
        "Facilitate the follow-up of the draft MOU · owed by H.E. Mohamad Asruchin (Indonesian "
        "Embassy in Tashkent) · asked by Mr. Zhang Xinfeng (RATS-SCO) · no due date"
    )
    assert page.count(owed) == 2
    assert "Draft agreed, 2011 at Visit to Jakarta" in page
    # What the Embassy took on at the meeting, tied to no agreement, is owed too.
    assert (
        "Encourage and facilitate further cooperation between RATS-SCO and its relevant "
        "Indonesian partners · owed by Indonesian Embassy in Tashkent · no due date"
    ) in page


def test_it_tells_the_meeting_of_20_august_2013_and_what_came_of_it(sco_brief):
    page = text(sco_brief)
    assert f"20 August 2013 — {MEETING}" in page
    assert "Present: H.E. Mohamad Asruchin (Indonesian Ambassador to Uzbekistan)" in page
    assert (
        "Requested (RATS-SCO): The Director requested the good offices and assistance of "
        "Ambassador Asruchin to facilitate the follow-up of the two draft MOUs."
    ) in page
    assert "Committed (Indonesian Embassy in Tashkent)" in page
    assert "Also 10 positions stated" in page
    assert "Agreed (RATS-SCO): A draft MOU on counter-terrorism cooperation between" in page
    # The latest first.
    assert page.index(f"20 August 2013 — {MEETING}") < page.index("2011 — Visit to Jakarta")


def test_it_names_the_people_in_their_posts(sco_brief):
    page = text(sco_brief)
    assert re.search(
        r"Director of the Executive Committee \(RATS-SCO\) Mr\. Zhang Xinfeng attested "
        r"20 August 2013 presumed, last confirmed 20 August 2013",
        page,
    )
    # His unnamed predecessor left the post: not among today's people.
    assert "not named" not in page.split("People and posts")[1]


def test_scos_members_and_observers_today_are_presumed_since_the_report(sco_brief):
    page = text(sco_brief)
    countries = page.split("Members and observers on")[1].split("Sources")[0]
    assert "Members: 6 Presumed, last confirmed 20 August 2013" in countries
    assert "Observers: 5 Presumed, last confirmed 20 August 2013" in countries
    assert "Known:" not in countries.split("Known: a source confirms")[0]
    for name in ["China", "Russian Federation", "Uzbekistan", "India", "Pakistan"]:
        assert re.search(rf"{name}\[\d+\]", countries), name


def test_as_of_the_day_of_the_report_the_countries_are_known(tashkent, analyst_client):
    page = text(analyst_client.get(f"{SCO_BRIEF}?as_of=2013-08-20"))
    assert "Briefing · as of 20 August 2013" in page
    countries = page.split("Members and observers on 20 August 2013")[1]
    assert "Members: 6 Known: China (attested 20 August 2013)" in countries
    assert "Presumed" not in countries.split("Known: a source confirms")[0]


def test_as_of_a_day_before_the_meeting_it_has_not_happened_yet(tashkent, analyst_client):
    response = analyst_client.get(f"{SCO_BRIEF}?as_of=2012-06-01")
    page = text(response)
    assert MEETING not in page
    assert "2011 — Visit to Jakarta" in page
    for agreement in response.context["parts"][0]["agreements"]:
        assert agreement.current_status_label == "Draft agreed"
        assert agreement.owed == []


@pytest.mark.parametrize(
    ("as_of", "message"),
    [
        ("yesterday", "Enter the day as YYYY-MM-DD, e.g. 2013-08-20."),
        ("2013-02-30", "Enter the day as YYYY-MM-DD, e.g. 2013-08-20."),
        ("0001-01-01", "Enter a day between 1900-01-01 and 2199-12-31."),
    ],
)
def test_a_day_it_cannot_read_gets_its_message(tashkent, analyst_client, as_of, message):
    response = analyst_client.get(SCO_BRIEF, {"as_of": as_of})
    assert response.status_code == 400
    assert f"As of: {message}" in text(response)


def test_every_reference_number_resolves_to_a_source(sco_brief):
    page = sco_brief.content.decode()
    cited = {int(n) for n in re.findall(r'<a class="ref" href="#ref-(\d+)">\[\1\]</a>', page)}
    listed = [int(n) for n in re.findall(r'<li id="ref-(\d+)">', page)]
    assert listed == list(range(1, len(listed) + 1))
    assert cited == set(listed)
    assert "[no source]" not in page
    sources = sco_brief.context["sources"]
    assert [entry.source.title for entry in sources] == [
        "Developing the cooperation between RATS-SCO and Indonesian National Agency In "
        "Combating Terrorism"
    ]
    assert "Indonesian Embassy in Tashkent." in text(sco_brief).split("Sources")[-1]


def test_a_reference_gives_its_source_and_the_passage_kept_short(db, analyst_client):
    source = factories.SourceFactory(
        title="Annual report", publisher="The Secretariat", date="2014-03", text="x " * 200
    )
    organization = factories.OrganizationFactory(
        source=source, passage="x " * 60, name="Council", acronym=""
    )
    page = text(analyst_client.get(f"/organizations/{organization.slug}/brief/"))
    assert "Council[1]" in page
    listed = page.split("Sources")[-1]
    assert "Annual report. The Secretariat, March 2014." in listed
    assert "[1] “" + "x " * 24 + "…”" in listed


def test_a_contradicting_source_marks_the_fact_disputed(db, analyst_client):
    organization = factories.OrganizationFactory(name="Council", acronym="")
    factories.MembershipFactory(organization=organization, country=country("IN"), attested="2013")
    membership = organization.memberships.get()
    factories.cite(
        membership,
        passage="",
        contradicts=True,
        states_instead="an observer, not a member",
        source=factories.SourceFactory(title="Later report"),
    )
    page = text(analyst_client.get(f"/organizations/{organization.slug}/brief/"))
    assert "India[1] disputed[2] states “an observer, not a member”" in page
    assert "Later report" in page.split("Sources")[-1]


def make_records(count):
    """An organization with a body, and `count` of each thing its briefing shows."""
    organization = factories.OrganizationFactory()
    body = factories.OrganizationFactory(parent=organization)
    source = factories.SourceFactory()
    for number in range(count):
        partner = factories.OrganizationFactory()
        meeting = factories.MeetingFactory(date=f"{2000 + number}-05-01", source=source)
        factories.ParticipantFactory(meeting=meeting, organization=body, source=source)
        factories.OutcomeFactory(meeting=meeting, organization=body, source=source)
        factories.OutcomeFactory(meeting=meeting, kind="stated", source=source)
        agreement = factories.AgreementFactory(source=source)
        factories.AgreementPartyFactory(agreement=agreement, organization=body)
        factories.AgreementPartyFactory(agreement=agreement, organization=partner)
        agreement.record_event("draft_agreed", f"{2000 + number}")
        agreement.record_event("follow_up_requested", f"{2000 + number}-05-01", meeting=meeting)
        factories.FollowUpFactory(
            agreement=agreement,
            meeting=meeting,
            responsible_organization=partner,
            requested_by_organization=body,
            due="2014-01",
            source=source,
        )
        factories.FollowUpFactory(
            agreement=None, responsible_organization=body, meeting=meeting, source=source
        )
        factories.PositionFactory(organization=body, start=f"{2000 + number}", source=source)
        factories.MembershipFactory(
            organization=organization,
            country=country(["CN", "RU", "KZ"][number % 3]),
            start=f"{2000 + number}",
            end=f"{2000 + number}-12",
            source=source,
        )
    factories.MembershipFactory(organization=organization, country=country("IN"), attested="2013")
    return organization


def test_a_briefing_costs_the_same_queries_for_one_record_and_for_fifty(client, db):
    counts = []
    for size in (1, 50):
        organization = make_records(size)
        client.force_login(factories.analyst())
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/organizations/{organization.slug}/brief/")
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts == [QUERIES, QUERIES]


def test_a_long_history_is_cut_to_what_fits_on_two_sheets(db, analyst_client):
    organization = make_records(12)
    response = analyst_client.get(f"/organizations/{organization.slug}/brief/")
    agreements, meetings = response.context["parts"]
    assert len(agreements["agreements"]) == 10
    assert agreements["open_count"] == 12
    assert len(meetings["meetings"]) == 5
    assert meetings["count"] == 12
    assert "The last 5 of 12 meetings" in text(response)


def test_an_agreement_no_longer_on_its_way_is_left_out(tashkent, analyst_client):
    agreement = Agreement.objects.get(title=BNPT_MOU)
    agreement.record_event("signed", "2014-05-01")
    agreement.record_event("in_force", "2014-06-01")
    response = analyst_client.get(SCO_BRIEF)
    assert [a.title for a in response.context["parts"][0]["agreements"]] == [ASEAN_MOU]
    assert "1 agreement of SCO or its bodies still on its way" in text(response)


def test_an_organization_with_nothing_recorded_says_so(db, analyst_client):
    organization = factories.OrganizationFactory(name="Quiet Council", acronym="", slug="quiet")
    page = text(analyst_client.get("/organizations/quiet/brief/"))
    assert f"No agreement of {organization.short_name} was still on its way" in page
    assert "No meeting of Quiet Council recorded" in page
    assert "No country is recorded" in page
    assert "No source is cited." in page
    assert "Quiet Council [no source]" in page
