"""The MOU follow-up status page: filters, as_of, sorting, pages and exports."""

import csv
import datetime
import io
import json

import pytest

from agreements.models import Agreement
from cooperation.models import Organization
from meetings.models import Meeting
from tests import factories
from tests.factories import country

TODAY = datetime.date.today()


def content(response):
    return b"".join(response.streaming_content).decode("utf-8-sig")


def titles(response):
    return [row.title for row in response.context["rows"]]


@pytest.fixture
def story(db):
    """Three agreements in three different states, owed by different people."""
    rats = factories.OrganizationFactory(
        name="Regional Anti-Terrorism Structure",
        acronym="RATS-SCO",
        slug="rats-sco",
        home_country=country("UZ"),
    )
    bnpt = factories.OrganizationFactory(
        name="Indonesian National Agency In Combating Terrorism",
        acronym="BNPT",
        slug="bnpt",
        home_country=country("ID"),
    )
    factories.OrganizationNameFactory(
        organization=bnpt, name="Badan Nasional Penanggulangan Terorisme"
    )
    secretariat = factories.OrganizationFactory(
        name="ASEAN Secretariat", acronym="", slug="asean-secretariat"
    )
    interpol = factories.OrganizationFactory(
        name="Interpol", acronym="", slug="interpol", home_country=country("FR")
    )
    terrorism = factories.TopicFactory(name="Terrorism", slug="terrorism")
    drugs = factories.TopicFactory(name="Drug trafficking", slug="drug-trafficking")

    stalled = factories.AgreementFactory(title="MOU RATS-SCO and BNPT")
    stalled.topics.add(terrorism)
    for party in (rats, bnpt):
        factories.AgreementPartyFactory(agreement=stalled, organization=party)
    stalled.record_event("draft_agreed", "2011")
    stalled.record_event("follow_up_requested", "2013-08-20")
    factories.FollowUpFactory(
        agreement=stalled,
        action="Facilitate the follow-up",
        responsible_organization=bnpt,
        requested_on="2013-08-20",
        due="2014-01",
    )

    moving = factories.AgreementFactory(title="MOU RATS-SCO and ASEAN Secretariat")
    moving.topics.add(terrorism)
    for party in (rats, secretariat):
        factories.AgreementPartyFactory(agreement=moving, organization=party)
    moving.record_event("draft_agreed", "2011")
    moving.record_event("under_negotiation", TODAY - datetime.timedelta(days=10))
    factories.FollowUpFactory(
        agreement=moving,
        action="Send comments",
        responsible_organization=secretariat,
        requested_on="2013-08-20",
        due=(TODAY + datetime.timedelta(days=30)).isoformat(),
    )

    done = factories.AgreementFactory(title="Agreement with Interpol", kind="agreement")
    done.topics.add(drugs)
    factories.AgreementPartyFactory(agreement=done, organization=interpol)
    done.record_event("signed", "2015-03-01")
    done.record_event("in_force", "2016")
    return {"stalled": stalled, "moving": moving, "done": done}


@pytest.mark.parametrize(
    "query, expected",
    [
        (
            "",
            [
                "Agreement with Interpol",
                "MOU RATS-SCO and ASEAN Secretariat",
                "MOU RATS-SCO and BNPT",
            ],
        ),
        ("status=follow_up_requested", ["MOU RATS-SCO and BNPT"]),
        (
            "status=follow_up_requested&status=in_force",
            ["Agreement with Interpol", "MOU RATS-SCO and BNPT"],
        ),
        ("kind=agreement", ["Agreement with Interpol"]),
        ("party=bnpt", ["MOU RATS-SCO and BNPT"]),
        ("party=BNPT", ["MOU RATS-SCO and BNPT"]),  # its acronym, typed
        ("party=penanggulangan", ["MOU RATS-SCO and BNPT"]),  # part of another name
        ("party=asean+secretariat", ["MOU RATS-SCO and ASEAN Secretariat"]),
        ("party=rats-sco", ["MOU RATS-SCO and ASEAN Secretariat", "MOU RATS-SCO and BNPT"]),
        ("country=ID", ["MOU RATS-SCO and BNPT"]),
        ("country=FR", ["Agreement with Interpol"]),
        ("topic=drug-trafficking", ["Agreement with Interpol"]),
        ("responsible=asean-secretariat", ["MOU RATS-SCO and ASEAN Secretariat"]),
        ("stalled=365", ["MOU RATS-SCO and BNPT"]),
        ("stalled=5", ["MOU RATS-SCO and ASEAN Secretariat", "MOU RATS-SCO and BNPT"]),
        ("overdue=on", ["MOU RATS-SCO and BNPT"]),
        ("stalled=365&overdue=on", ["MOU RATS-SCO and BNPT"]),
        ("responsible=bnpt&overdue=on", ["MOU RATS-SCO and BNPT"]),
        ("responsible=asean-secretariat&overdue=on", []),  # its follow-up is not overdue
        (
            "last_activity_after=2015-01-01&last_activity_before=2017-01-01",
            ["Agreement with Interpol"],
        ),
        ("q=penanggulangan", ["MOU RATS-SCO and BNPT"]),
        ("q=asean+secretariat", ["MOU RATS-SCO and ASEAN Secretariat"]),
        ("q=interpol", ["Agreement with Interpol"]),
        ("q=nothing-like-this", []),
    ],
)
def test_each_filter_narrows_the_list(analyst_client, story, query, expected):
    response = analyst_client.get(f"/agreements/?{query}")
    assert response.status_code == 200
    assert titles(response) == expected


@pytest.mark.parametrize(
    "query, message",
    [
        ("as_of=2013-13-01", "Enter the day as YYYY-MM-DD"),
        ("as_of=20/08/2013", "Enter the day as YYYY-MM-DD"),
        ("status=signed-ish", "Select a valid choice"),
        ("party=no-such-party", "No organization is called “no-such-party”"),
        ("party=terror", "could be more than one organization"),
        ("party=a%00b", "Null characters are not allowed"),
        ("country=XX", "Select a valid choice"),
        ("stalled=abc", "Enter a number"),
        ("stalled=-3", "greater than or equal to 0"),
        ("last_activity_after=yesterday", "Enter a valid date"),
        ("sort=secret_column", "Select a valid choice"),
    ],
)
def test_invalid_input_shows_the_form_with_its_error_and_answers_400(
    analyst_client, story, query, message
):
    response = analyst_client.get(f"/agreements/?{query}")
    assert response.status_code == 400
    assert message in response.text
    assert "Some filters could not be read" in response.text


@pytest.mark.parametrize("number", ["2", "0", "x"])
def test_a_page_that_does_not_exist_is_a_clear_404(analyst_client, story, number):
    response = analyst_client.get(f"/agreements/?page={number}")
    assert response.status_code == 404
    assert "the list has 1 page(s)" in response.text


def test_rows_say_where_each_agreement_stands_and_who_owes_the_next_step(analyst_client, story):
    response = analyst_client.get("/agreements/?sort=title")
    rows = {row.title: row for row in response.context["rows"]}
    stalled = rows["MOU RATS-SCO and BNPT"]
    assert stalled.status_label == "Follow-up requested"
    assert str(stalled.status_date) == "20 August 2013"
    assert stalled.days_since == (TODAY - datetime.date(2013, 8, 20)).days
    assert stalled.stalled and stalled.overdue
    assert [f.action for f in stalled.open_follow_ups] == ["Facilitate the follow-up"]
    moving = rows["MOU RATS-SCO and ASEAN Secretariat"]
    assert not moving.stalled and not moving.overdue and moving.days_since == 10
    done = rows["Agreement with Interpol"]
    assert done.status_label == "In force" and not done.stalled  # in force is not stalled
    html = response.text
    assert "owed by BNPT" in html and "due January 2014" in html
    assert html.count('class="mark mark-overdue"') == 1 + 1  # the legend and one row


def test_counts_by_status_stand_above_the_table(analyst_client, story):
    response = analyst_client.get("/agreements/")
    assert [(kind, count) for kind, _, count in response.context["status_counts"]] == [
        ("follow_up_requested", 1),
        ("under_negotiation", 1),
        ("in_force", 1),
    ]
    assert response.context["total"] == 3


def test_as_of_shows_the_page_as_it_stood_that_day(analyst_client, story):
    response = analyst_client.get("/agreements/?as_of=2013-06-01&sort=title")
    rows = {row.title: row for row in response.context["rows"]}
    assert rows["MOU RATS-SCO and BNPT"].status_label == "Draft agreed"
    assert rows["MOU RATS-SCO and BNPT"].open_follow_ups == []  # not yet requested
    assert rows["Agreement with Interpol"].status is None  # nothing had happened
    assert (
        rows["MOU RATS-SCO and BNPT"].days_since
        == (datetime.date(2013, 6, 1) - datetime.date(2011, 12, 31)).days
    )
    later = analyst_client.get("/agreements/?as_of=2014-06-01&overdue=on")
    assert titles(later) == ["MOU RATS-SCO and BNPT"]
    assert "as of 1 June 2014" in later.text


def test_a_follow_up_closed_later_is_still_open_as_of_an_earlier_day(analyst_client, story):
    follow_up = story["stalled"].follow_ups.get()
    follow_up.state, follow_up.closed_on = "done", "2015-02-01"
    follow_up.save()
    now = analyst_client.get("/agreements/?overdue=on")
    assert titles(now) == []
    then = analyst_client.get("/agreements/?overdue=on&as_of=2015-01-01")
    assert titles(then) == ["MOU RATS-SCO and BNPT"]


@pytest.mark.parametrize(
    "sort, expected_first",
    [
        ("title", "Agreement with Interpol"),
        ("-title", "MOU RATS-SCO and BNPT"),
        ("status", "MOU RATS-SCO and BNPT"),
        ("-status", "Agreement with Interpol"),
        ("last_activity", "MOU RATS-SCO and BNPT"),
        ("-last_activity", "MOU RATS-SCO and ASEAN Secretariat"),
        ("parties", "MOU RATS-SCO and ASEAN Secretariat"),
        ("follow_ups", "MOU RATS-SCO and BNPT"),
    ],
)
def test_every_column_sorts(analyst_client, story, sort, expected_first):
    response = analyst_client.get(f"/agreements/?sort={sort}")
    assert titles(response)[0] == expected_first


def test_sort_links_keep_the_filters_and_flip_the_direction(analyst_client, story):
    response = analyst_client.get("/agreements/?status=follow_up_requested&sort=title&page=1")
    columns = {c["label"]: c for c in response.context["sort_columns"]}
    assert columns["Agreement"]["url"] == "?status=follow_up_requested&sort=-title"
    assert columns["Agreement"]["direction"] == "ascending"
    assert columns["Parties"]["url"] == "?status=follow_up_requested&sort=parties"


def test_fifty_rows_a_page(analyst_client, db):
    for number in range(51):
        factories.AgreementFactory(title=f"MOU {number:03d}")
    first = analyst_client.get("/agreements/?sort=title")
    second = analyst_client.get("/agreements/?sort=title&page=2")
    assert len(first.context["rows"]) == 50
    assert titles(second) == ["MOU 050"]
    assert "page=2" in first.text


def test_csv_carries_exactly_the_filtered_rows_across_all_pages(analyst_client, story):
    for number in range(60):
        agreement = factories.AgreementFactory(title=f"Extra MOU {number:02d}")
        agreement.record_event("proposed", "2020")
    response = analyst_client.get("/agreements/?status=proposed&sort=-title&format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(content(response))))
    assert len(rows) == 60
    assert rows[0]["Agreement"] == "Extra MOU 59" and rows[-1]["Agreement"] == "Extra MOU 00"
    assert rows[0]["Status"] == "Proposed" and rows[0]["Status date"] == "2020"
    # As written, with its last possible day in a column of its own, not as a made-up day.
    assert rows[0]["Last activity"] == "2020"
    assert rows[0]["Last activity: last day"] == "2020-12-31"


def test_csv_columns_are_iso_dates_and_plain_words(analyst_client, story):
    response = analyst_client.get("/agreements/?party=bnpt&format=csv")
    (row,) = list(csv.DictReader(io.StringIO(content(response))))
    assert row["Parties"] == "BNPT; RATS-SCO"
    assert row["Status date"] == "2013-08-20"
    assert row["Last activity"] == "2013-08-20"
    assert row["Stalled"] == "yes" and row["Overdue"] == "yes"
    assert (
        row["Open follow-ups"]
        == "Facilitate the follow-up — BNPT (Indonesian National Agency In Combating Terrorism)"
    )
    assert row["Open follow-ups: due"] == row["Next due"] == "2014-01"


def test_json_carries_the_same_rows_as_csv(analyst_client, story):
    as_json = json.loads(content(analyst_client.get("/agreements/?q=rats&format=json")))
    as_csv = list(
        csv.DictReader(io.StringIO(content(analyst_client.get("/agreements/?q=rats&format=csv"))))
    )
    assert (
        [r["title"] for r in as_json]
        == [r["Agreement"] for r in as_csv]
        == [
            "MOU RATS-SCO and ASEAN Secretariat",
            "MOU RATS-SCO and BNPT",
        ]
    )
    assert as_json[1]["parties"] == ["BNPT", "RATS-SCO"]
    assert as_json[1]["open_follow_ups"][0]["due"] == "2014-01"


def test_an_export_with_bad_filters_is_refused_not_emptied(analyst_client, story):
    response = analyst_client.get("/agreements/?as_of=someday&format=csv")
    assert response.status_code == 400


def test_an_agreement_with_no_events_is_listed_as_such(analyst_client, db):
    factories.AgreementFactory(title="Just an idea")
    response = analyst_client.get("/agreements/")
    assert "no events yet" in response.text
    assert response.context["without_events"] == 1
    assert Agreement.objects.with_status().get().status is None


def test_rows_name_parties_and_who_owes_what_as_the_records_do(analyst_client, story):
    """The rows are built from plain values: they must say what the models say."""
    director = factories.PersonFactory(honorific="Mr.", name="Ahmad Yani")
    factories.FollowUpFactory(
        agreement=story["stalled"],
        action="Name a contact point",
        responsible_organization=Organization.objects.get(slug="bnpt"),
        responsible_person=director,
        due="2014-02-01",
    )
    response = analyst_client.get("/agreements/?sort=title")
    rows = {row.pk: row for row in response.context["rows"]}
    assert len(rows) == Agreement.objects.count() == 3
    for agreement in Agreement.objects.all():
        row = rows[agreement.pk]
        assert row.parties == [party.short_name for party in agreement.parties.all()]
        expected = agreement.follow_ups.filter(state__in=["open", "in_progress"])
        assert [(f.action, f.owed_by) for f in row.open_follow_ups] == [
            (f.action, f.owed_by_display) for f in expected.order_by("due_first", "pk")
        ]
    owed = [f.owed_by for f in rows[story["stalled"].pk].open_follow_ups]
    assert owed == [
        "BNPT (Indonesian National Agency In Combating Terrorism)",
        "Mr. Ahmad Yani (BNPT)",
    ]


def test_a_row_links_to_the_meeting_where_its_status_was_set(analyst_client, tashkent):
    response = analyst_client.get("/agreements/?status=follow_up_requested")
    meeting = Meeting.objects.get(date="2013-08-20")
    for row in response.context["rows"]:
        assert (row.meeting_pk, row.meeting_title) == (meeting.pk, meeting.title)
    assert f'href="/meetings/{meeting.pk}/"' in response.text
    earlier = analyst_client.get("/agreements/?as_of=2012-06-01")
    assert {row.meeting_title for row in earlier.context["rows"]} == {
        Meeting.objects.get(date="2011").title
    }
