"""One agreement, one meeting, one organization: what an analyst reads on each."""

import re

import pytest

from agreements.models import Agreement
from meetings.models import Meeting
from tests import factories
from tests.organization_pages import page_part

BNPT_MOU = "MOU on Counter-terrorism Cooperation between RATS-SCO and BNPT"
REQUEST = (
    "He therefore, requested the good offices and assistance from Ambassador Asruchin "
    "to facilitate the follow-up of the said MOUs."
)

pytestmark = pytest.mark.usefixtures("tashkent")


def test_an_agreement_shows_its_parties_status_and_history(analyst_client):
    agreement = Agreement.objects.get(title=BNPT_MOU)
    response = analyst_client.get(f"/agreements/{agreement.pk}/")
    html = response.text
    assert response.status_code == 200
    assert "Follow-up requested" in html and "since 20 August 2013" in html
    assert "RATS-SCO (Regional Anti-Terrorism Structure" in html and "BNPT (Indonesian" in html
    assert [e.kind for e in response.context["events"]] == ["draft_agreed", "follow_up_requested"]
    assert "Visit to Jakarta" in html and "Tashkent, Uzbekistan" in html
    assert f"“{REQUEST}”" in html
    asruchin = '<a href="/people/mohamad-asruchin/">H.E. Mohamad Asruchin</a>'
    assert f"{asruchin} (Indonesian Embassy in Tashkent)" in html


def test_the_timeline_is_an_svg_drawn_to_scale_with_partial_dates_as_spans(analyst_client):
    agreement = Agreement.objects.get(title=BNPT_MOU)
    html = analyst_client.get(f"/agreements/{agreement.pk}/").text
    svg = html[html.index("<svg") : html.index("</svg>")]
    (span,) = re.findall(r'<rect class="mark-span" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', svg)
    (dot,) = re.findall(r'<circle class="mark-day" cx="([\d.]+)"', svg)
    span_x, span_width, dot_x = float(span[0]), float(span[1]), float(dot)
    # 2011 is a whole year wide; 20 August 2013 lies about 1.6 of those years after its end.
    year = span_width
    assert 1.5 * year < dot_x - (span_x + span_width) < 1.75 * year
    assert "today" in svg and "Draft agreed" in svg and "Follow-up requested" in svg
    assert "<script" not in html and "http://" not in svg.replace("http://www.w3.org/2000/svg", "")


def test_an_agreement_lists_its_sources_with_the_passages_quoted(analyst_client):
    agreement = Agreement.objects.get(title=BNPT_MOU)
    response = analyst_client.get(f"/agreements/{agreement.pk}/")
    ((source, passages),) = response.context["citations"]
    assert source.slug == "tashkent-2013-report"
    assert REQUEST in dict(passages)
    assert "Read the whole source" in response.text


def test_the_tashkent_meeting_shows_who_came_what_was_said_and_what_it_moved(analyst_client):
    meeting = Meeting.objects.get(city="Tashkent")
    response = analyst_client.get(f"/meetings/{meeting.pk}/")
    html = response.text
    assert "20 August 2013" in html and "Tashkent, Uzbekistan" in html
    assert "Indonesian Ambassador to Uzbekistan" in html
    assert "Director of the Executive Committee of RATS-SCO" in html
    assert "nearing 2014" in html
    assert "Requested" in html and "Committed" in html
    assert len(response.context["agreement_events"]) == 2
    assert len(response.context["follow_ups"]) == 3
    assert "Afghanistan after 2014" in html


def test_the_meeting_page_says_what_came_of_it_first_and_quotes_each_passage_once(
    analyst_client,
):
    meeting = Meeting.objects.get(city="Tashkent")
    html = analyst_client.get(f"/meetings/{meeting.pk}/").text
    headings = re.findall(r"<h2[^>]*>(.*?)</h2>", html)
    assert headings.index("Agreements moved") < headings.index("Participants")
    assert headings.index("Follow-up actions it created") < headings.index("Sources")
    quoted = re.findall(r'<blockquote class="passage">(.*?)</blockquote>', html, re.S)
    assert quoted and len(quoted) == len(set(quoted))
    # Each record's sources link to its passage under "Sources".
    for target in re.findall(r'href="#(citation-\d+)"', html):
        assert f'id="{target}"' in html


def test_the_jakarta_visit_shows_the_unnamed_predecessor_as_unknown(analyst_client):
    meeting = Meeting.objects.get(city="Jakarta")
    html = analyst_client.get(f"/meetings/{meeting.pk}/").text
    assert "(known only to the year)" in html
    assert (
        '<span class="unknown">the Director of the Executive Committee (not named)</span>' in html
    )
    assert "Purpose" in html and "not stated" in html


def test_sco_on_20_august_2013_has_six_members_and_five_observers(analyst_client):
    response = analyst_client.get("/organizations/sco/?as_of=2013-08-20")
    by_status = {status.label: status.known for status in response.context["by_status"]}
    # The day the report speaks of: every status known, none presumed.
    assert not any(status.presumed for status in response.context["by_status"])
    assert sorted(m.country.code for m in by_status["Member"]) == [
        "CN",
        "KG",
        "KZ",
        "RU",
        "TJ",
        "UZ",
    ]
    assert sorted(m.country.code for m in by_status["Observer"]) == ["AF", "IN", "IR", "MN", "PK"]
    assert "<strong>6</strong> members" in response.text
    assert "<strong>5</strong> observers" in response.text
    assert "Countries on 20 August 2013" in response.text


def test_sco_the_day_before_shows_no_one_rather_than_a_guess(analyst_client):
    response = analyst_client.get("/organizations/sco/?as_of=2013-08-19")
    assert response.context["held_count"] == 0
    assert "No country is recorded" in response.text


def test_the_organization_page_defaults_to_today(analyst_client):
    response = analyst_client.get("/organizations/sco/")
    assert response.context["is_today"]
    assert response.context["held_count"] == 11  # no end is recorded


def test_the_membership_chart_draws_a_row_per_country_with_unknown_starts_faint(analyst_client):
    response = analyst_client.get("/organizations/sco/?as_of=2013-08-20")
    rows = response.context["chart"]["rows"]
    assert len(rows) == 11
    china = next(row for row in rows if row.country.code == "CN")
    (bar,) = china.bars
    assert [(s.certain, s.note) for s in bar.segments] == [
        (False, "start unknown"),
        (True, "held"),
        (False, "presumed: last confirmed 20 August 2013"),
    ]
    # Six, drawn twice: the wide chart and the narrow one for a phone.
    assert response.text.count('class="bar-member uncertain"') == 12


def test_rats_sco_shows_its_parent_posts_agreements_and_meetings(analyst_client):
    html = analyst_client.get("/organizations/rats-sco/").text
    assert "SCO (Shanghai Cooperation Organization)" in html  # its parent
    assert "Zhang Xinfeng" in html and '<span class="unknown">not named</span>' in html
    assert "attested 2011, since ended" in html
    assert BNPT_MOU in html
    assert "Visit to Jakarta" in html


@pytest.mark.parametrize("as_of", ["2013-02-30", "20-08-2013", "yesterday"])
def test_a_bad_day_on_the_organization_page_answers_400_with_the_reason(analyst_client, as_of):
    response = analyst_client.get(f"/organizations/sco/?as_of={as_of}")
    assert response.status_code == 400
    assert "Enter the day as YYYY-MM-DD" in response.text


@pytest.mark.parametrize(
    "query, expected_cities",
    [
        ("", ["Tashkent", "Jakarta"]),
        ("date_after=2013-01-01", ["Tashkent"]),
        ("date_before=2012-12-31", ["Jakarta"]),
        ("date_after=2011-06-01", ["Tashkent"]),  # 2011 may fall before June
        ("place=uzbek", ["Tashkent"]),
        ("place=jakarta", ["Jakarta"]),
        ("organization=indonesian-embassy-tashkent", ["Tashkent"]),
        ("organization=rats-sco", ["Tashkent", "Jakarta"]),
        ("person=zhang-xinfeng", ["Tashkent"]),
        ("topic=illegal-migration", ["Tashkent"]),
    ],
)
def test_meeting_filters_narrow_the_list(analyst_client, query, expected_cities):
    response = analyst_client.get(f"/meetings/?{query}")
    assert response.status_code == 200
    assert [m.city for m in response.context["page"].object_list] == expected_cities


@pytest.mark.parametrize(
    "query", ["date_after=2013-13-01", "person=nobody", "topic=nothing", "organization=x"]
)
def test_bad_meeting_filters_answer_400_with_the_form(analyst_client, query):
    response = analyst_client.get(f"/meetings/?{query}")
    assert response.status_code == 400
    assert "Some filters could not be read" in response.text


def test_the_organizations_list_links_every_organization(analyst_client):
    factories.OrganizationFactory(name="Interpol", acronym="", slug="interpol")
    html = analyst_client.get("/organizations/").text
    for slug in ("sco", "rats-sco", "bnpt", "asean", "asean-secretariat", "interpol"):
        assert f'href="/organizations/{slug}/"' in html


def test_a_busy_organization_lists_its_latest_agreements_and_links_to_all(analyst_client):
    busy = factories.OrganizationFactory(name="Busy Body", acronym="BB", slug="busy-body")
    for number in range(55):
        agreement = factories.AgreementFactory(title=f"MOU {number:02d}")
        factories.AgreementPartyFactory(agreement=agreement, organization=busy)
        agreement.record_event("proposed", f"{1990 + number}")
    response = analyst_client.get("/organizations/busy-body/")
    agreements = page_part(response, "agreements")["agreements"]
    assert len(agreements) == 50
    assert agreements[0].title == "MOU 54"  # the latest activity first
    assert "The latest 50 of 55" in response.text
    assert 'href="/agreements/?party=busy-body"' in response.text


def test_each_agreement_on_an_organization_page_names_the_other_parties(analyst_client):
    host = factories.OrganizationFactory(name="Host Body", acronym="HB", slug="host-body")
    agreement = factories.AgreementFactory(title="Three-way MOU")
    for organization in (
        host,
        factories.OrganizationFactory(name="Zeta Agency", acronym="ZA"),
        factories.OrganizationFactory(name="Alpha Institute", acronym=""),
    ):
        factories.AgreementPartyFactory(agreement=agreement, organization=organization)
    factories.AgreementFactory(title="MOU without other parties").party_links.create(
        organization=host
    )
    html = analyst_client.get("/organizations/host-body/").text
    listed = html[html.index("<h2>Agreements</h2>") : html.index("<h2>Meetings</h2>")]
    assert "with Alpha Institute, ZA</div>" in listed  # by name; the page's own left out
    assert listed.count("with ") == 1


def test_a_busy_organization_lists_its_latest_meetings_however_many_came_to_each(analyst_client):
    busy = factories.OrganizationFactory(name="Busy Body", acronym="BB", slug="busy-body")
    for number in range(55):
        meeting = factories.MeetingFactory(title=f"Meeting {number:02d}", date=f"{1960 + number}")
        for _ in range(5):  # a delegation of five at every meeting
            factories.ParticipantFactory(meeting=meeting, organization=busy)
    response = analyst_client.get("/organizations/busy-body/")
    titles = [meeting.title for meeting in page_part(response, "meetings")["meetings"]]
    assert titles == [f"Meeting {number:02d}" for number in range(54, 4, -1)]
    assert "The latest 50 of 55" in response.text
