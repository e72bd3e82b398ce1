"""Exports read back as a user would: CSV by Python's csv module as Excel writes it
(UTF-8 with a byte-order mark), workbooks by openpyxl; and the meetings list's columns."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from cooperation import exports
from meetings.filters import SORT_COLUMNS
from tests import factories
from tests.factories import country

GENEVA_MEETING = "Réunion à Genève — suivi du projet"
GENEVA_MOU = "Mémorandum d’entente — coopération"


@pytest.fixture
def geneva(db):
    """A story told in accented words and dashes, with a date known to the day
    (20 August 2013) and dates known to the year (2011) or the month (January 2014)."""
    body = factories.OrganizationFactory(
        name="Organisation de coopération — Genève", acronym="OCG-É", slug="ocg"
    )
    meeting = factories.MeetingFactory(
        title=GENEVA_MEETING, date="2013-08-20", city="Genève", country=country("CH")
    )
    factories.ParticipantFactory(
        meeting=meeting, organization=body, person=factories.PersonFactory(name="José Núñez")
    )
    meeting.topics.add(factories.TopicFactory(name="Sécurité"))
    factories.OutcomeFactory(meeting=meeting, kind="agreed")
    factories.OutcomeFactory(meeting=meeting, kind="agreed", description="To meet again.")
    factories.OutcomeFactory(meeting=meeting, kind="requested", description="A draft.")
    factories.MeetingFactory(title="Visite de 2011", date="2011", city="Jakarta")
    agreement = factories.AgreementFactory(title=GENEVA_MOU)
    factories.AgreementPartyFactory(agreement=agreement, organization=body)
    agreement.record_event("draft_agreed", "2011")
    agreement.record_event("follow_up_requested", "2013-08-20", meeting=meeting)
    factories.FollowUpFactory(
        agreement=agreement,
        meeting=meeting,
        action="Relire le projet",
        responsible_organization=body,
        due="2014-01",
    )
    factories.MembershipFactory(organization=body, country=country("CI"), start="2011")
    return {"body": body, "meeting": meeting, "agreement": agreement}


def body(response):
    assert response.status_code == 200, response.content
    if response.streaming:
        return b"".join(response.streaming_content)
    return b"".join(response)


def csv_rows(response):
    """The rows as Python reads a CSV file Excel saved: "utf-8-sig" drops the mark."""
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    data = body(response)
    assert data.startswith("\ufeff".encode())  # the byte-order mark Excel looks for
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def workbook_rows(response):
    """The rows of the workbook's one sheet, as {heading: cell}."""
    assert response["Content-Type"] == exports.CONTENT_TYPES["xlsx"]
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(body(response))).active
    header, *rows = sheet.iter_rows()
    headings = [cell.value for cell in header]
    return [dict(zip(headings, row, strict=True)) for row in rows]


def day(text):
    return datetime.datetime.fromisoformat(text)


ROLES = ["analyst", "staff"]


@pytest.fixture(params=ROLES)
def user_client(request, client, db):
    client.force_login(getattr(factories, request.param)())
    return client


# The status page.


def test_the_agreements_csv_keeps_accents_and_has_readable_headings(user_client, geneva):
    response = user_client.get("/agreements/?format=csv")
    assert response["Content-Disposition"].endswith('.csv"')
    (row,) = csv_rows(response)
    assert row["Agreement"] == GENEVA_MOU
    assert row["Parties"] == "OCG-É"
    assert row["Status"] == "Follow-up requested"
    assert row["Set at meeting"] == GENEVA_MEETING
    assert row["Days since last activity, at least"].isdigit()
    assert row["Link"] == f"http://testserver/agreements/{geneva['agreement'].pk}/"
    # The due date in a column of its own, as written, with its first and last day.
    assert (row["Next due"], row["Next due: first day"], row["Next due: last day"]) == (
        "2014-01",
        "2014-01-01",
        "2014-01-31",
    )
    assert (
        row["Open follow-ups"] == "Relire le projet — OCG-É (Organisation de coopération — Genève)"
    )
    assert row["Open follow-ups: due"] == "2014-01"


def test_the_agreements_workbook_has_date_cells_and_partial_dates_as_text(user_client, geneva):
    (row,) = workbook_rows(user_client.get("/agreements/?format=xlsx"))
    assert row["Agreement"].value == GENEVA_MOU
    assert row["Id"].value == geneva["agreement"].pk
    assert row["Stalled"].value in ("yes", "no")
    # Known to the day: a date cell.
    assert row["Status date"].value == day("2013-08-20")
    assert row["Status date"].is_date
    # Known to the month: the text as written, its first and last day dates beside it.
    assert row["Next due"].value == "2014-01" and row["Next due"].data_type == "s"
    assert row["Next due: first day"].value == day("2014-01-01")
    assert row["Next due: last day"].value == day("2014-01-31")
    link = f"http://testserver/agreements/{geneva['agreement'].pk}/"
    assert row["Link"].value == link and row["Link"].hyperlink.target == link


def test_the_agreements_workbook_keeps_the_filters_and_the_sort(analyst_client, geneva):
    for number in range(3):
        factories.AgreementFactory(title=f"Plain MOU {number}").record_event("proposed", "2020")
    rows = workbook_rows(analyst_client.get("/agreements/?status=proposed&sort=-title&format=xlsx"))
    assert [row["Agreement"].value for row in rows] == [
        "Plain MOU 2",
        "Plain MOU 1",
        "Plain MOU 0",
    ]
    assert {row["Status date"].value for row in rows} == {"2020"}


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_a_text_like_a_formula_is_a_text_in_a_workbook(analyst_client, db, start):
    factories.AgreementFactory(title=f'{start}HYPERLINK("https://evil.example","x")')
    (row,) = workbook_rows(analyst_client.get("/agreements/?format=xlsx"))
    assert row["Agreement"].data_type == "s"
    assert row["Agreement"].value == f'{start}HYPERLINK("https://evil.example","x")'


def test_the_status_page_links_to_every_export(analyst_client, geneva):
    html = analyst_client.get("/agreements/?status=follow_up_requested").text
    for output in ["csv", "xlsx", "json"]:
        assert f"?status=follow_up_requested&amp;format={output}" in html


# The meetings list.


def test_the_meetings_csv_keeps_accents_and_has_readable_headings(user_client, geneva):
    rows = {row["Meeting"]: row for row in csv_rows(user_client.get("/meetings/?format=csv"))}
    row = rows[GENEVA_MEETING]
    assert row["City"] == "Genève"
    assert row["Participants"] == "José Núñez (OCG-É)"
    assert row["Topics"] == "Sécurité"
    assert row["Link"] == f"http://testserver/meetings/{geneva['meeting'].pk}/"
    assert (row["Outcomes"], row["Outcomes by kind"]) == ("3", "2 agreed, 1 requested")
    assert (row["Agreements moved"], row["Follow-ups created"]) == ("1", "1")
    visit = rows["Visite de 2011"]
    assert (visit["Date"], visit["Date: first day"], visit["Date: last day"]) == (
        "2011",
        "2011-01-01",
        "2011-12-31",
    )
    assert (visit["Outcomes"], visit["Agreements moved"], visit["Outcomes by kind"]) == (
        "0",
        "0",
        "",
    )


def test_the_meetings_workbook_has_date_cells_and_partial_dates_as_text(user_client, geneva):
    rows = {
        row["Meeting"].value: row
        for row in workbook_rows(user_client.get("/meetings/?format=xlsx"))
    }
    geneva_row, visit = rows[GENEVA_MEETING], rows["Visite de 2011"]
    assert geneva_row["Date"].value == day("2013-08-20") and geneva_row["Date"].is_date
    assert geneva_row["Follow-ups created"].value == 1
    assert visit["Date"].value == "2011" and visit["Date"].data_type == "s"
    assert visit["Date: first day"].value == day("2011-01-01")
    assert visit["Date: last day"].value == day("2011-12-31")


def test_the_meetings_exports_keep_the_filters_of_the_page(analyst_client, geneva):
    for output in ["csv", "xlsx"]:
        response = analyst_client.get("/meetings/", {"place": "Genève", "format": output})
        rows = csv_rows(response) if output == "csv" else workbook_rows(response)
        assert len(rows) == 1


def test_the_meetings_list_links_to_its_exports_with_its_filters(analyst_client, geneva):
    html = analyst_client.get("/meetings/?place=Jakarta").text
    for output in ["csv", "xlsx"]:
        assert f"?place=Jakarta&amp;format={output}" in html


# An organization's countries on a day.


def test_the_countries_csv_keeps_their_certainty(user_client, geneva):
    for url in ["/organizations/ocg/countries.csv", "/organizations/ocg/?format=csv"]:
        (row,) = csv_rows(user_client.get(f"{url}{'&' if '?' in url else '?'}as_of=2012-05-01"))
        assert row["Country"] == "Côte d'Ivoire"
        assert (row["Status"], row["Certainty"], row["On day"]) == (
            "Member",
            "presumed",
            "2012-05-01",
        )
        assert (row["Start"], row["Start: first day"], row["Start: last day"]) == (
            "2011",
            "2011-01-01",
            "2011-12-31",
        )


def test_the_countries_workbook_keeps_their_certainty(user_client, geneva):
    response = user_client.get("/organizations/ocg/?as_of=2012-05-01&format=xlsx")
    assert response["Content-Disposition"].endswith('filename="ocg-countries-2012-05-01.xlsx"')
    (row,) = workbook_rows(response)
    assert row["Country"].value == "Côte d'Ivoire"
    assert row["Certainty"].value == "presumed"
    assert row["On day"].value == day("2012-05-01")
    assert row["Start"].value == "2011"
    assert row["Start: first day"].value == day("2011-01-01")
    assert row["Start: last day"].value == day("2011-12-31")
    assert row["End"].value is None


def test_the_organization_page_links_to_its_countries_exports(analyst_client, geneva):
    html = analyst_client.get("/organizations/ocg/?as_of=2012-05-01").text
    for output in ["csv", "xlsx"]:
        assert f"?as_of=2012-05-01&amp;format={output}" in html


# Formats.

EXPORTS = [
    "/agreements/?format={}",
    "/meetings/?format={}",
    "/organizations/ocg/?format={}",
]


@pytest.mark.parametrize("url", EXPORTS)
@pytest.mark.parametrize("output", ["csv", "xlsx"])
def test_anonymous_users_are_sent_to_log_in(client, geneva, url, output):
    response = client.get(url.format(output))
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")


@pytest.mark.parametrize("url", EXPORTS)
@pytest.mark.parametrize("output", ["CSV", "Xlsx", "xLSX"])
def test_a_format_is_read_in_any_case(analyst_client, geneva, url, output):
    response = analyst_client.get(url.format(output))
    assert response.status_code == 200
    assert response["Content-Type"] == exports.CONTENT_TYPES[output.lower()]


@pytest.mark.parametrize(
    ("url", "offered"),
    [
        ("/agreements/?format={}", "format=csv, format=json, format=xlsx"),
        ("/meetings/?format={}", "format=csv, format=xlsx"),
        ("/organizations/ocg/?format={}", "format=csv, format=xlsx"),
    ],
)
@pytest.mark.parametrize("output", ["pdf", "xls", "json"])
def test_a_format_a_page_has_no_export_in_is_a_400_saying_which_it_has(
    analyst_client, geneva, url, offered, output
):
    if output == "json" and "agreements" in url:
        pytest.skip("The status page has a JSON export.")
    response = analyst_client.get(url.format(output))
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    message = response.content.decode()
    assert f"There is no “{output}” export of this page" in message
    assert offered in message


def test_a_workbook_of_too_many_rows_is_refused_with_the_way_out(
    analyst_client, geneva, monkeypatch
):
    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 1)
    response = analyst_client.get("/meetings/?format=xlsx")
    assert response.status_code == 400
    assert "format=csv" in response.content.decode()


# The meetings list's columns and their sorting.


def test_the_meetings_list_shows_what_came_of_each(analyst_client, geneva):
    response = analyst_client.get("/meetings/")
    (row,) = [m for m in response.context["page"].object_list if m.title == GENEVA_MEETING]
    assert (row.outcome_count, row.agreements_moved, row.follow_ups_created) == (3, 1, 1)
    assert "2 agreed, 1 requested" in response.text


@pytest.fixture
def ranked_meetings(db):
    """Three meetings, A < B < C by every column of the list."""
    topics = [factories.TopicFactory(name=f"{letter} topic") for letter in "ABC"]
    meetings = []
    for rank, letter in enumerate("ABC"):
        meeting = factories.MeetingFactory(
            title=f"{letter} meeting", date=f"201{rank}", city=f"{letter}ville"
        )
        meeting.topics.add(topics[rank])
        for _ in range(rank + 1):
            factories.ParticipantFactory(meeting=meeting)
            factories.OutcomeFactory(meeting=meeting, description=f"{letter}{_}")
            factories.FollowUpFactory(meeting=meeting)
            agreement = factories.AgreementFactory()
            agreement.record_event("proposed", f"201{rank}", meeting=meeting)
        meetings.append(meeting.title)
    return meetings


@pytest.mark.parametrize("column", [parameter for parameter, _, _ in SORT_COLUMNS])
def test_the_meetings_list_sorts_by_every_column(analyst_client, ranked_meetings, column):
    def titles(sort):
        response = analyst_client.get(f"/meetings/?sort={sort}")
        assert response.status_code == 200
        return [meeting.title for meeting in response.context["page"].object_list]

    assert titles(column) == ranked_meetings
    assert titles(f"-{column}") == ranked_meetings[::-1]
    # The export keeps the sort.
    rows = csv_rows(analyst_client.get(f"/meetings/?sort=-{column}&format=csv"))
    assert [row["Meeting"] for row in rows] == ranked_meetings[::-1]


def test_each_meetings_heading_links_to_its_sort(analyst_client, ranked_meetings):
    response = analyst_client.get("/meetings/?sort=outcomes&place=ville")
    headings = {heading["label"]: heading for heading in response.context["sort_columns"]}
    assert headings["Outcomes"]["direction"] == "ascending"
    assert headings["Outcomes"]["url"] == "?place=ville&sort=-outcomes"
    assert headings["Date"]["url"] == "?place=ville&sort=date"
    assert 'aria-sort="ascending"' in response.text


def test_an_unknown_sort_is_a_400_with_the_form(analyst_client, db):
    response = analyst_client.get("/meetings/?sort=secret_column")
    assert response.status_code == 400
    assert "Select a valid choice" in response.text


def test_every_sort_of_the_meetings_list_costs_the_same_queries(analyst_client, ranked_meetings):
    counts = set()
    for parameter, _, _ in SORT_COLUMNS:
        for sort in (parameter, f"-{parameter}"):
            with CaptureQueriesContext(connection) as queries:
                assert analyst_client.get(f"/meetings/?sort={sort}").status_code == 200
            counts.add(len(queries))
    assert counts == {14}  # as tests/test_pages.py pins "meetings"
