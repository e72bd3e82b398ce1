"""People's pages: /people/ and /people/<slug>/, their names, posts over time with what
is known of each on a day, meetings, follow-ups, sources; what they cost; how they fail."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from agreements.models import Agreement
from cooperation.models import Person, Position
from meetings.models import Meeting
from tests import factories

ZHANG = "/people/zhang-xinfeng/"
ASRUCHIN = "/people/mohamad-asruchin/"
BNPT_MOU = "MOU on Counter-terrorism Cooperation between RATS-SCO and BNPT"
MEETING = "Ambassador Asruchin meets the Director of the RATS-SCO Executive Committee"


def page_part(response, app):
    """The values of `app`'s part of a person's page (cooperation/person_page.py)."""
    (part,) = [
        part
        for part in response.context["parts"]
        if part["template_name"] == f"person_page/{app}.html"
    ]
    return part


def post(response, title):
    (position,) = [p for p in response.context["positions"] if p.title == title]
    return position


# Who may read them


@pytest.mark.parametrize("url", ["/people/", ZHANG])
def test_it_sends_anonymous_users_to_the_login_page(client, tashkent, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")


@pytest.mark.parametrize("url", ["/people/", ZHANG])
@pytest.mark.parametrize("role", ["analyst", "staff"])
def test_analysts_and_staff_read_the_people_pages(client, tashkent, url, role):
    client.force_login(getattr(factories, role)())
    response = client.get(url)
    assert response.status_code == 200
    assert "Zhang Xinfeng" in response.text


@pytest.mark.parametrize("url", ["/people/", ZHANG])
def test_an_account_without_a_role_is_refused(client, tashkent, url):
    client.force_login(factories.UserFactory(username="nobody", is_staff=False))
    assert client.get(url).status_code == 403


def test_staff_see_the_admin_link_and_analysts_do_not(client, tashkent):
    edit = "Edit this person in the admin"
    client.force_login(factories.staff())
    assert edit in client.get(ZHANG).text
    client.force_login(factories.analyst())
    assert edit not in client.get(ZHANG).text


# The Tashkent records


def test_a_persons_page_gives_every_spelling_of_the_name(analyst_client, tashkent):
    response = analyst_client.get(ZHANG)
    assert response.context["person"].honorific == "Mr."
    assert response.context["other_names"] == ["Mr.Zhang Xinfeng", "Mr. Xinfeng"]
    assert "<h1>Mr. Zhang Xinfeng</h1>" in response.text
    assert "Mr.Zhang Xinfeng; Mr. Xinfeng" in response.text


def test_the_directors_page_shows_his_post_and_his_unnamed_predecessors(analyst_client, tashkent):
    response = analyst_client.get(ZHANG + "?as_of=2013-08-20")
    director = post(response, "Director of the Executive Committee")
    assert director.organization.slug == "rats-sco"
    assert director.held and not director.presumed
    (predecessor,) = director.others
    assert predecessor.holder is None and predecessor.ended
    assert "someone not named (attested 2011, since ended)" in response.text
    assert "The predecessor of Mr. Zhang Xinfeng; the report does not name him." in response.text
    assert 'href="/organizations/rats-sco/"' in response.text


def test_the_ambassadors_page_shows_his_meeting_and_the_follow_ups_he_owes(
    analyst_client, tashkent
):
    response = analyst_client.get(ASRUCHIN)
    assert post(response, "Ambassador of Indonesia to Uzbekistan").organization.slug == (
        "indonesian-embassy-tashkent"
    )
    meetings = page_part(response, "meetings")
    assert [p.meeting.title for p in meetings["participations"]] == [MEETING]
    follow_ups = page_part(response, "follow_ups")
    assert follow_ups["owed_count"] == 2 and follow_ups["owed_open_count"] == 2
    assert {f.agreement.title for f in follow_ups["owed"]} == {
        BNPT_MOU,
        "MOU on Counter-terrorism Cooperation between RATS-SCO and the ASEAN Secretariat",
    }
    assert follow_ups["requested"] == []
    # Asked by the Director, whose name leads to his page.
    assert 'href="/people/zhang-xinfeng/">Mr. Zhang Xinfeng</a> (RATS-SCO)' in response.text


def test_the_directors_page_shows_the_follow_ups_he_asked_for(analyst_client, tashkent):
    response = analyst_client.get(ZHANG)
    follow_ups = page_part(response, "follow_ups")
    assert follow_ups["owed"] == []
    assert follow_ups["requested_count"] == 2
    assert 'href="/people/mohamad-asruchin/">H.E. Mohamad Asruchin</a>' in response.text


def test_the_page_quotes_the_sources_of_the_posts_meetings_and_follow_ups(analyst_client, tashkent):
    response = analyst_client.get(ASRUCHIN)
    cited = {
        what
        for _, passages in response.context["citations"]
        for _, entries in passages
        for what, _ in entries
    }
    assert "H.E. Mohamad Asruchin" in cited
    assert any(what.startswith("Ambassador of Indonesia to Uzbekistan") for what in cited)
    assert "At " + MEETING + ", 20 August 2013" in cited
    assert any(what.startswith("Follow-up: Facilitate the follow-up") for what in cited)
    assert '<h2 id="sources">Sources</h2>' in response.text
    assert "No source is cited." not in response.text


# Certainty on a day


def test_a_post_is_known_on_the_day_a_source_attests_it(analyst_client, tashkent):
    response = analyst_client.get(ZHANG + "?as_of=2013-08-20")
    assert "in post (known)" in response.text
    assert "Director of the Executive Committee, RATS-SCO (known)" in response.text


def test_a_post_is_presumed_after_its_last_confirmation(analyst_client, tashkent):
    response = analyst_client.get(ZHANG + "?as_of=2020-01-01")
    director = post(response, "Director of the Executive Committee")
    assert director.held and director.presumed
    # timesince() writes a no-break space between the number and its unit.
    assert "presumed in post: last confirmed 20 August 2013, 6\xa0years before this day" in (
        response.text
    )
    assert "(presumed)" in response.text


def test_a_post_is_not_held_before_anything_attests_it(analyst_client, tashkent):
    response = analyst_client.get(ZHANG + "?as_of=2010-01-01")
    assert not post(response, "Director of the Executive Committee").held
    assert "not in post, as far as recorded" in response.text
    assert "in no recorded post" in response.text


def test_a_post_with_recorded_dates_is_known_between_them(analyst_client, db):
    person = factories.PersonFactory(name="Ali Rahman", slug="ali-rahman")
    factories.PositionFactory(holder=person, title="Head", start="2010-03", end="2014")
    assert "in post (known)" in analyst_client.get("/people/ali-rahman/?as_of=2012-06-01").text
    response = analyst_client.get("/people/ali-rahman/?as_of=2015-06-01")
    assert "not in post, as far as recorded" in response.text


def test_a_post_says_which_meeting_decided_its_start(analyst_client, db):
    person = factories.PersonFactory(name="Ali Rahman", slug="ali-rahman")
    director = factories.PositionFactory(holder=person, title="Director", start="2017-06-09")
    summit = factories.MeetingFactory(title="Astana summit", date="2017-06-09")
    factories.DecisionFactory(meeting=summit, position=director)
    html = analyst_client.get("/people/ali-rahman/").text
    assert f'start decided at <a href="{summit.get_absolute_url()}">' in html


# Meetings through a post


def test_a_meeting_attended_as_the_holder_of_a_post_is_on_the_holders_page(analyst_client, db):
    person = factories.PersonFactory(name="Ali Rahman", slug="ali-rahman")
    director = factories.PositionFactory(holder=person, title="Director")
    meeting = factories.MeetingFactory(title="Working visit")
    factories.ParticipantFactory(
        meeting=meeting, person=None, position=director, organization=director.organization
    )
    response = analyst_client.get("/people/ali-rahman/")
    assert [p.meeting for p in page_part(response, "meetings")["participations"]] == [meeting]
    assert "Recorded as the Director, not by name" in response.text


# The list


@pytest.mark.parametrize(
    "typed, found",
    [
        ("Xinfeng", ["Zhang Xinfeng"]),
        ("mr. xinfeng", ["Zhang Xinfeng"]),
        ("Mr.Zhang", ["Zhang Xinfeng"]),
        ("Ambassador", ["Mohamad Asruchin"]),
        ("H.E. Asruchin", ["Mohamad Asruchin"]),
        ("", ["Mohamad Asruchin", "Zhang Xinfeng"]),
        ("Nobody", []),
    ],
)
def test_the_people_list_finds_a_person_by_any_spelling(analyst_client, tashkent, typed, found):
    response = analyst_client.get("/people/", {"name": typed})
    assert response.status_code == 200
    assert [person.name for person in response.context["page"].object_list] == found


def test_the_people_list_gives_each_persons_posts_today(analyst_client, tashkent):
    response = analyst_client.get("/people/")
    assert "Director of the Executive Committee, RATS-SCO" in response.text
    assert 'href="/people/zhang-xinfeng/"' in response.text


def test_the_main_navigation_leads_to_the_people_list(analyst_client, tashkent):
    html = analyst_client.get("/people/").text
    assert '<a href="/people/" aria-current="page">People</a>' in html
    html = analyst_client.get("/agreements/").text
    assert '<a href="/people/">People</a>' in html


# Everywhere a person is named, their name leads to their page


def test_the_other_pages_link_the_people_they_name(analyst_client, tashkent):
    zhang, asruchin = 'href="/people/zhang-xinfeng/"', 'href="/people/mohamad-asruchin/"'
    meeting = Meeting.objects.get(title=MEETING)
    html = analyst_client.get(meeting.get_absolute_url()).text
    assert zhang in html and asruchin in html
    html = analyst_client.get(Agreement.objects.get(title=BNPT_MOU).get_absolute_url()).text
    assert zhang in html and asruchin in html
    html = analyst_client.get("/organizations/rats-sco/").text
    assert zhang in html
    html = analyst_client.get("/organizations/indonesian-embassy-tashkent/").text
    assert asruchin in html


def test_person_knows_its_page(tashkent):
    assert Person.objects.get(name="Zhang Xinfeng").get_absolute_url() == ZHANG


# The export of a person's posts


def read_csv(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_a_persons_posts_export_as_csv_with_their_certainty_on_the_day(analyst_client, tashkent):
    response = analyst_client.get(ZHANG, {"as_of": "2020-01-01", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="zhang-xinfeng-posts-2020-01-01.csv"'
    )
    (row,) = read_csv(response)
    assert row["Post"] == "Director of the Executive Committee"
    assert row["Organization page"] == "http://testserver/organizations/rats-sco/"
    assert row["On day"] == "2020-01-01"
    assert row["Certainty"] == "presumed"
    assert row["Last confirmed"] == "2013-08-20"
    assert row["Start"] == "" and row["End"] == ""
    assert row["Ended, date unknown"] == "no"
    assert row["Sources"].startswith("Developing the cooperation between RATS-SCO")
    (row,) = read_csv(analyst_client.get(ZHANG, {"as_of": "2013-08-20", "format": "csv"}))
    assert row["Certainty"] == "known"
    (row,) = read_csv(analyst_client.get(ZHANG, {"as_of": "2010-01-01", "format": "csv"}))
    assert row["Certainty"] == "not held"


def test_a_persons_posts_export_as_a_workbook(analyst_client, tashkent):
    response = analyst_client.get(ASRUCHIN, {"format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert rows[0][:2] == ("Post", "Organization")
    assert rows[1][:2] == (
        "Ambassador of Indonesia to Uzbekistan",
        "Indonesian Embassy in Tashkent",
    )
    assert len(rows) == 2


def test_the_page_links_its_exports(analyst_client, tashkent):
    html = analyst_client.get(ZHANG + "?as_of=2013-08-20").text
    assert 'href="?as_of=2013-08-20&amp;format=csv"' in html
    assert 'href="?as_of=2013-08-20&amp;format=xlsx"' in html


@pytest.mark.parametrize(
    "query, message",
    [
        ({"format": "pdf"}, "There is no “pdf” export of this page."),
        ({"format": "csv", "as_of": "2013-13-01"}, "as_of: Enter the day as YYYY-MM-DD"),
    ],
)
def test_a_bad_export_is_a_400_that_says_why(analyst_client, tashkent, query, message):
    response = analyst_client.get(ZHANG, query)
    assert response.status_code == 400
    assert response.content.decode().startswith(message)


def test_the_export_of_an_unknown_person_is_a_404(analyst_client, db):
    assert analyst_client.get("/people/nobody/?format=csv").status_code == 404


def test_the_export_sends_anonymous_users_to_the_login_page(client, tashkent):
    response = client.get(ZHANG + "?format=csv")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")


# What they cost


def busy_person(count):
    """A person with `count` posts, meetings, follow-ups owed and asked for, all cited."""
    person = factories.PersonFactory(name=f"Busy {count}", other_names="Busy\nB.")
    factories.cite(person, passage="", attests_on="2013")
    asked = factories.PersonFactory()
    for number in range(count):
        position = factories.PositionFactory(
            holder=person, title=f"Post {number}", start=f"{2000 + number % 20}", attested="2013"
        )
        # Someone else held each post before.
        factories.PositionFactory(
            holder=factories.PersonFactory(),
            organization=position.organization,
            title=position.title,
            attested="1999",
            ended=True,
        )
        meeting = factories.MeetingFactory()
        factories.ParticipantFactory(
            meeting=meeting,
            person=person if number % 2 else None,
            position=position,
            organization=position.organization,
            attested="2013",
        )
        factories.FollowUpFactory(
            meeting=meeting,
            responsible_person=person,
            requested_by_person=asked,
            due="2014-01",
            attested="2013",
        )
        factories.FollowUpFactory(
            responsible_person=asked, requested_by_person=person, attested="2013"
        )
    return person


# Seven are the session, the user, the permissions and renewing the session's idle
# timeout. Then the person and their citations (2); their posts and their citations (2);
# the others in the same posts (1); the meetings that decided the posts (1); the meetings
# part: its participations and their citations, and the count (3); the follow-ups part:
# the owed and the asked for, each with its citations (4), and their counts (1).
PERSON_QUERIES = 22
LIST_QUERIES = 11  # +3: the count, the page of people, and their posts today
EXPORT_QUERIES = 10  # +3: the person, their posts, and the posts' citations


@pytest.mark.parametrize("as_of", ["", "?as_of=2013-08-20"])
def test_a_persons_page_costs_the_same_queries_for_one_record_and_for_fifty(
    analyst_client, db, as_of
):
    counts = []
    for size in (1, 50):
        person = busy_person(size)
        with CaptureQueriesContext(connection) as queries:
            response = analyst_client.get(person.get_absolute_url() + as_of)
        assert response.status_code == 200
        assert len(response.context["positions"]) == size
        assert len(page_part(response, "meetings")["participations"]) == size
        counts.append(len(queries))
    assert counts == [PERSON_QUERIES, PERSON_QUERIES]


@pytest.mark.parametrize("output", ["csv", "xlsx"])
def test_the_export_of_posts_costs_the_same_queries_for_one_post_and_for_fifty(
    analyst_client, db, output
):
    counts = []
    for size in (1, 50):
        person = busy_person(size)
        with CaptureQueriesContext(connection) as queries:
            response = analyst_client.get(person.get_absolute_url(), {"format": output})
            sent = b"".join(response.streaming_content)
        assert response.status_code == 200 and sent
        counts.append(len(queries))
    assert counts == [EXPORT_QUERIES, EXPORT_QUERIES]


def test_the_people_list_costs_the_same_queries_for_one_person_and_for_fifty(analyst_client, db):
    counts = []
    for size in (1, 50):
        for _ in range(size):
            busy_person(1)
        with CaptureQueriesContext(connection) as queries:
            response = analyst_client.get("/people/?name=busy")
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts == [LIST_QUERIES, LIST_QUERIES]


# Bad input


def test_an_unknown_person_is_a_404_page(analyst_client, db):
    response = analyst_client.get("/people/no-such-person/")
    assert response.status_code == 404
    assert "There is nothing here" in response.text


@pytest.mark.parametrize("as_of", ["2013-13-01", "yesterday", "0000-01-01", "1066-10-14"])
def test_a_bad_day_is_a_400_page_that_says_why(analyst_client, tashkent, as_of):
    response = analyst_client.get(ZHANG, {"as_of": as_of})
    assert response.status_code == 400
    assert 'role="alert"' in response.text
    assert "As of: Enter " in response.text
    # The person is still named; what depends on the day waits for a day it can read.
    assert "Mr.Zhang Xinfeng; Mr. Xinfeng" in response.text
    assert "Shown once the day above can be read." in response.text


def test_a_search_too_long_is_a_400_page_that_says_why(analyst_client, tashkent):
    response = analyst_client.get("/people/", {"name": "word " * 11})
    assert response.status_code == 400
    assert "Type at most 10 words" in response.text


@pytest.mark.parametrize("query", ["?page=99", "?page=last", "?page=-1"])
def test_a_page_of_the_list_that_does_not_exist_is_a_404(analyst_client, tashkent, query):
    assert analyst_client.get("/people/" + query).status_code == 404


@pytest.mark.parametrize("url", ["/people/?name=Zh%00ang", ZHANG + "?as_of=2013%00-08-20"])
def test_a_null_character_is_refused_with_a_400(analyst_client, tashkent, url):
    assert analyst_client.get(url).status_code == 400


def test_a_post_held_by_someone_else_is_not_on_the_page(analyst_client, tashkent):
    # The unnamed predecessor's post is beside the Director's, not one of his.
    response = analyst_client.get(ZHANG)
    assert [p.title for p in response.context["positions"]] == [
        "Director of the Executive Committee"
    ]
    assert Position.objects.filter(holder=None).count() == 1
