"""Partial dates stay honest: exports write them as written with their first and last
possible day, and "days since" a partial date is a range, never one made-up number."""

import csv
import datetime
import io
import json

import pytest

from agreements.models import Agreement
from tests import factories

TODAY = datetime.date.today()
BNPT_MOU = "MOU on Counter-terrorism Cooperation between RATS-SCO and BNPT"
ASEAN_MOU = "MOU on Counter-terrorism Cooperation between RATS-SCO and the ASEAN Secretariat"
# A day on which the Tashkent MOUs stood as drafts agreed "in 2011".
AS_OF = "2012-06-01"
# That day is 153 days after 31 December 2011, the last day "2011" can mean, and 517
# after 1 January 2011, its first.


def content(response):
    return b"".join(response.streaming_content).decode("utf-8-sig")


def csv_rows(client, query=""):
    response = client.get(f"/agreements/?{query}&format=csv")
    assert response.status_code == 200
    return {row["Agreement"]: row for row in csv.DictReader(io.StringIO(content(response)))}


def json_records(client, query=""):
    response = client.get(f"/agreements/?{query}&format=json")
    assert response.status_code == 200
    return {record["title"]: record for record in json.loads(content(response))}


def agreement_dated(date):
    """An MOU whose one event (if `date`) is dated `date`, as written."""
    agreement = factories.AgreementFactory(title=f"MOU dated {date or 'never'}")
    if date:
        agreement.record_event("draft_agreed", date)
    return agreement


DATES = [
    # as written, first possible day, last possible day
    ("2011", "2011-01-01", "2011-12-31"),
    ("2013-08", "2013-08-01", "2013-08-31"),
    ("2013-02", "2013-02-01", "2013-02-28"),
    ("2013-08-20", "2013-08-20", "2013-08-20"),
]


@pytest.mark.parametrize("written, first, last", DATES)
def test_the_csv_gives_a_date_as_written_and_its_first_and_last_day(
    analyst_client, written, first, last
):
    agreement_dated(written)
    row = csv_rows(analyst_client)[f"MOU dated {written}"]
    for column in ("Status date", "Last activity"):
        assert (row[column], row[f"{column}: first day"], row[f"{column}: last day"]) == (
            written,
            first,
            last,
        )


@pytest.mark.parametrize("written, first, last", DATES)
def test_the_json_gives_a_date_as_written_and_its_first_and_last_day(
    analyst_client, written, first, last
):
    agreement_dated(written)
    record = json_records(analyst_client)[f"MOU dated {written}"]
    for name in ("status_date", "last_activity"):
        assert (record[name], record[f"{name}_first"], record[f"{name}_last"]) == (
            written,
            first,
            last,
        )


def test_an_unknown_date_is_exported_empty_not_made_up(analyst_client, db):
    agreement_dated("")
    row = csv_rows(analyst_client)["MOU dated never"]
    record = json_records(analyst_client)["MOU dated never"]
    for column in ("Status date", "Last activity"):
        assert row[column] == row[f"{column}: first day"] == row[f"{column}: last day"] == ""
    for name in ("status_date", "last_activity"):
        assert record[name] == "" and record[f"{name}_first"] is record[f"{name}_last"] is None
    assert (
        row["Days since last activity, at least"] == row["Days since last activity, at most"] == ""
    )
    assert record["days_since_min"] is record["days_since_max"] is None


def test_a_follow_ups_due_month_is_exported_with_its_first_and_last_day(analyst_client, db):
    agreement = agreement_dated("2013-08-20")
    factories.FollowUpFactory(agreement=agreement, action="Send comments", due="2014-01")
    factories.FollowUpFactory(agreement=agreement, action="Sign", due="2015")
    factories.FollowUpFactory(agreement=agreement, action="Someday", due="")
    record = json_records(analyst_client)["MOU dated 2013-08-20"]
    dues = {
        f["action"]: (f["due"], f["due_first"], f["due_last"]) for f in record["open_follow_ups"]
    }
    assert dues == {
        "Send comments": ("2014-01", "2014-01-01", "2014-01-31"),
        "Sign": ("2015", "2015-01-01", "2015-12-31"),
        "Someday": ("", None, None),
    }
    assert (record["next_due"], record["next_due_first"], record["next_due_last"]) == (
        "2014-01",
        "2014-01-01",
        "2014-01-31",
    )
    row = csv_rows(analyst_client)["MOU dated 2013-08-20"]
    assert (row["Next due"], row["Next due: first day"], row["Next due: last day"]) == (
        "2014-01",
        "2014-01-01",
        "2014-01-31",
    )
    # Each open follow-up's due date, in the order of the follow-ups.
    assert sorted(row["Open follow-ups: due"].split("; ")) == ["2014-01", "2015", "none"]


def test_no_open_follow_up_means_no_next_due(analyst_client, db):
    agreement_dated("2013-08-20")
    row = csv_rows(analyst_client)["MOU dated 2013-08-20"]
    assert row["Next due"] == row["Next due: first day"] == row["Next due: last day"] == ""


def test_days_since_a_partial_date_are_exported_as_both_bounds(analyst_client, db):
    agreement_dated("2011")
    row = csv_rows(analyst_client, f"as_of={AS_OF}")["MOU dated 2011"]
    record = json_records(analyst_client, f"as_of={AS_OF}")["MOU dated 2011"]
    assert (
        row["Days since last activity, at least"],
        row["Days since last activity, at most"],
    ) == ("153", "517")
    assert (record["days_since_min"], record["days_since_max"]) == (153, 517)
    assert "Days since last activity" not in row and "days_since_last_activity" not in record


def test_days_since_a_full_date_are_one_number_twice(analyst_client, db):
    agreement_dated("2013-08-20")
    record = json_records(analyst_client)["MOU dated 2013-08-20"]
    days = (TODAY - datetime.date(2013, 8, 20)).days
    assert record["days_since_min"] == record["days_since_max"] == days


def test_the_status_page_marks_days_since_a_partial_date_as_a_minimum(analyst_client, db):
    agreement_dated("2011")
    response = analyst_client.get(f"/agreements/?as_of={AS_OF}")
    (row,) = response.context["rows"]
    assert (row.days_since, row.days_since_max) == (153, 517)
    html = " ".join(response.text.split())
    assert "at least 153" in html and "at most 517" in html


def test_the_status_page_shows_one_number_for_a_full_date(analyst_client, db):
    agreement_dated("2012-05-30")
    response = analyst_client.get(f"/agreements/?as_of={AS_OF}")
    (row,) = response.context["rows"]
    assert row.days_since == row.days_since_max == 2
    table = response.text[response.text.index("<tbody") :]
    assert "at least" not in table and "at most" not in table


def test_sorting_by_days_since_still_orders_partial_and_full_dates(analyst_client, db):
    for date in ("2011", "2011-06-15", "2010-12"):
        agreement_dated(date)
    response = analyst_client.get(f"/agreements/?as_of={AS_OF}&sort=last_activity")
    assert [row.title for row in response.context["rows"]] == [
        "MOU dated 2010-12",
        "MOU dated 2011-06-15",
        "MOU dated 2011",
    ]


def test_the_agreement_page_says_days_since_a_partial_date_the_same_way(analyst_client, db):
    agreement = agreement_dated("2011")
    html = " ".join(analyst_client.get(f"/agreements/{agreement.pk}/").text.split())
    at_least = (TODAY - datetime.date(2011, 12, 31)).days
    at_most = (TODAY - datetime.date(2011, 1, 1)).days
    assert f"since 2011, at least {at_least} days ago" in html
    assert f"at most {at_most}" in html


def test_the_agreement_page_gives_one_number_for_a_full_date(analyst_client, db):
    agreement = agreement_dated("2013-08-20")
    html = " ".join(analyst_client.get(f"/agreements/{agreement.pk}/").text.split())
    days = (TODAY - datetime.date(2013, 8, 20)).days
    assert f"since 20 August 2013, {days} days ago" in html
    status = html[html.index("<dt>Status</dt>") : html.index("<dt>Parties</dt>")]
    assert "at least" not in status and "at most" not in status


def test_the_tashkent_drafts_export_2011_and_its_bounds(analyst_client, tashkent):
    rows = csv_rows(analyst_client, f"as_of={AS_OF}")
    records = json_records(analyst_client, f"as_of={AS_OF}")
    assert set(rows) == set(records) == {BNPT_MOU, ASEAN_MOU}
    for row in rows.values():
        assert row["Status"] == "Draft agreed"
        assert (
            row["Status date"],
            row["Status date: first day"],
            row["Status date: last day"],
        ) == ("2011", "2011-01-01", "2011-12-31")
    for record in records.values():
        assert record["status"] == "Draft agreed"
        assert (
            record["status_date"],
            record["status_date_first"],
            record["status_date_last"],
        ) == ("2011", "2011-01-01", "2011-12-31")
    for record in records.values():
        assert (record["days_since_min"], record["days_since_max"]) == (153, 517)
    page = " ".join(analyst_client.get(f"/agreements/?as_of={AS_OF}").text.split())
    assert page.count("at least 153") == 2


def test_the_tashkent_requests_of_20_august_2013_export_one_day(analyst_client, tashkent):
    for record in json_records(analyst_client).values():
        assert (
            record["status_date"],
            record["status_date_first"],
            record["status_date_last"],
        ) == ("2013-08-20", "2013-08-20", "2013-08-20")
        assert record["days_since_min"] == record["days_since_max"]


def test_anonymous_users_get_no_export_and_staff_get_the_same_columns(client, staff, db):
    agreement_dated("2011")
    response = client.get("/agreements/?format=csv")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(staff)
    row = csv_rows(client)["MOU dated 2011"]
    assert (row["Status date: first day"], row["Status date: last day"]) == (
        "2011-01-01",
        "2011-12-31",
    )
    assert Agreement.objects.count() == 1


def test_a_date_that_may_still_be_running_has_at_least_no_days_since(analyst_client, db):
    """An event dated to this year may be today's: "at least 0", never a negative count."""
    this_year = str(datetime.date.today().year)
    agreement = factories.AgreementFactory(title="Signed this year")
    agreement.record_event("signed", this_year)
    (row,) = analyst_client.get("/agreements/").context["rows"]
    assert row.days_since == 0
    assert row.days_since_max == (datetime.date.today() - datetime.date(int(this_year), 1, 1)).days
