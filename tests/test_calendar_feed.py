"""The calendar feed: each account's open follow-ups with due dates, as all-day events at
a secret address that whoever holds it can read and its owner can renew."""

import datetime
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory
from icalendar import Calendar
from playwright.sync_api import expect

from agreements.models import FollowUp
from desk.models import Desk
from tests.axe import describe, severe_violations
from tests.factories import (
    AgreementFactory,
    FollowUpFactory,
    MeetingFactory,
    OrganizationFactory,
    PersonFactory,
    UserFactory,
)

D = datetime.date
SITE_URL = "https://tracker.example.org"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE_URL


def feed_url(account):
    return f"/calendar/{Desk.of(account).calendar_secret}.ics"


def fetch(client, account):
    response = client.get(feed_url(account))
    assert response.status_code == 200
    return Calendar.from_ical(response.content)


def events_by_summary(calendar):
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def event_day(event, name="DTSTART"):
    return event.decoded(name)


# What the feed holds


def test_it_is_an_icalendar_with_the_properties_subscribers_need(client, analyst):
    response = client.get(feed_url(analyst))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"] == "-//Cooperation Tracker//Calendar feed//EN"
    assert "analyst" in str(calendar["X-WR-CALNAME"])
    assert calendar.walk("VEVENT") == []


def test_a_due_day_is_an_all_day_event_on_that_day(client, analyst):
    agreement = AgreementFactory(title="MOU on counter-terrorism")
    organization = OrganizationFactory(acronym="BNPT", name="National Counter Terrorism Agency")
    follow_up = FollowUpFactory(
        action="Send the revised draft",
        agreement=agreement,
        responsible_organization=organization,
        due="2013-09-15",
        desk_officer=analyst,
    )
    event = events_by_summary(fetch(client, analyst))["Send the revised draft"]
    assert event_day(event) == D(2013, 9, 15)
    assert type(event_day(event)) is datetime.date  # VALUE=DATE: all day, no time
    assert event_day(event, "DTEND") == D(2013, 9, 16)
    assert str(event["UID"]) == f"followup-{follow_up.pk}@tracker.example.org"
    assert event.decoded("DTSTAMP")
    link = f"{SITE_URL}/agreements/{agreement.pk}/#follow-up-{follow_up.pk}"
    assert str(event["URL"]) == link
    description = str(event["DESCRIPTION"])
    assert "15 September 2013" in description
    assert "MOU on counter-terrorism" in description
    assert "BNPT (National Counter Terrorism Agency)" in description
    assert link in description


def test_a_due_month_is_shown_on_its_last_day_and_says_so(client, analyst):
    FollowUpFactory(action="Reply to the note", due="2013-09", desk_officer=analyst)
    event = events_by_summary(fetch(client, analyst))["Reply to the note"]
    assert event_day(event) == D(2013, 9, 30)
    assert event_day(event, "DTEND") == D(2013, 10, 1)
    assert "known only to the month" in str(event["DESCRIPTION"])
    assert "September 2013" in str(event["DESCRIPTION"])


def test_a_due_year_is_shown_on_its_last_day_and_says_so(client, analyst):
    FollowUpFactory(action="Ratify", due="2014", desk_officer=analyst)
    event = events_by_summary(fetch(client, analyst))["Ratify"]
    assert event_day(event) == D(2014, 12, 31)
    assert event_day(event, "DTEND") == D(2015, 1, 1)
    assert "known only to the year" in str(event["DESCRIPTION"])


def test_a_follow_up_keeps_its_uid_from_one_fetch_to_the_next(client, analyst):
    FollowUpFactory(action="Ratify", due="2014", desk_officer=analyst)
    first = events_by_summary(fetch(client, analyst))["Ratify"]["UID"]
    second = events_by_summary(fetch(client, analyst))["Ratify"]["UID"]
    assert first == second


def test_a_follow_up_without_an_agreement_links_to_its_meeting(client, analyst):
    meeting = MeetingFactory(title="Senior officials' meeting")
    follow_up = FollowUpFactory(
        action="Circulate the minutes",
        agreement=None,
        meeting=meeting,
        due="2013-09-01",
        desk_officer=analyst,
    )
    event = events_by_summary(fetch(client, analyst))["Circulate the minutes"]
    assert str(event["URL"]) == f"{SITE_URL}/meetings/{meeting.pk}/#follow-up-{follow_up.pk}"
    assert "Senior officials' meeting" in str(event["DESCRIPTION"])


def test_the_person_who_owes_it_is_named(client, analyst):
    FollowUpFactory(
        action="Call back",
        due="2013-09-01",
        responsible_organization=OrganizationFactory(acronym="BNPT"),
        responsible_person=PersonFactory(name="A. Rahman", honorific="Mr"),
        desk_officer=analyst,
    )
    event = events_by_summary(fetch(client, analyst))["Call back"]
    assert "Mr A. Rahman (BNPT)" in str(event["DESCRIPTION"])


def test_it_holds_only_its_owners_open_dated_follow_ups(client, analyst, staff):
    FollowUpFactory(action="Mine", due="2013-09-01", desk_officer=analyst)
    FollowUpFactory(action="Mine, in progress", due="2013-09-02", desk_officer=analyst,
                    state=FollowUp.State.IN_PROGRESS)  # fmt: skip
    FollowUpFactory(action="Mine, undated", due="", desk_officer=analyst)
    FollowUpFactory(action="Mine, done", due="2013-09-03", desk_officer=analyst,
                    state=FollowUp.State.DONE, closed_on="2013-09-03")  # fmt: skip
    FollowUpFactory(action="Mine, dropped", due="2013-09-04", desk_officer=analyst,
                    state=FollowUp.State.DROPPED)  # fmt: skip
    FollowUpFactory(action="Someone else's", due="2013-09-01", desk_officer=staff)
    FollowUpFactory(action="Nobody's", due="2013-09-01")
    assert set(events_by_summary(fetch(client, analyst))) == {"Mine", "Mine, in progress"}
    assert set(events_by_summary(fetch(client, staff))) == {"Someone else's"}


def test_it_is_written_in_the_language_of_the_owners_desk(client, analyst):
    Desk.objects.filter(pk=Desk.of(analyst).pk).update(language="id")
    FollowUpFactory(action="Ratify", due="2014-08", desk_officer=analyst)
    description = str(events_by_summary(fetch(client, analyst))["Ratify"]["DESCRIPTION"])
    assert "Agustus 2014" in description


# Who can read it


def test_anyone_with_the_address_can_read_it_without_signing_in(client, analyst):
    FollowUpFactory(action="Mine", due="2013-09-01", desk_officer=analyst)
    response = client.get(feed_url(analyst))
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert b"Mine" in response.content


def test_an_unknown_secret_is_not_found_and_says_nothing(client, analyst):
    FollowUpFactory(action="Mine", due="2013-09-01", desk_officer=analyst)
    Desk.of(analyst)
    for address in ("/calendar/not-the-secret.ics", f"/calendar/{'x' * 500}.ics"):
        response = client.get(address)
        assert response.status_code == 404
        assert b"Mine" not in response.content
        assert b"analyst" not in response.content


def test_without_a_secret_there_is_no_feed(client, analyst):
    Desk.of(analyst)
    assert client.get("/calendar/.ics").status_code == 404
    assert client.get("/calendar/").status_code == 404


def test_a_signed_in_account_reads_no_other_feed_without_its_secret(client, analyst, staff):
    FollowUpFactory(action="Staff's", due="2013-09-01", desk_officer=staff)
    Desk.of(staff)
    client.force_login(analyst)
    response = client.get(f"/calendar/{Desk.of(analyst).calendar_secret}.ics")
    assert b"Staff's" not in response.content
    assert client.get("/calendar/guess.ics").status_code == 404


def test_an_inactive_accounts_feed_is_not_found(client, analyst):
    address = feed_url(analyst)
    analyst.is_active = False
    analyst.save()
    assert client.get(address).status_code == 404


def test_the_feed_is_read_only(client, analyst):
    assert client.post(feed_url(analyst)).status_code == 405


# Renewing the secret


def test_renewing_makes_a_new_address_and_the_old_one_stop_working(client, analyst):
    old = feed_url(analyst)
    client.force_login(analyst)
    response = client.post("/desk/calendar/renew/", follow=False)
    assert response.status_code == 302
    assert response["Location"] == "/desk/"
    new = feed_url(analyst)
    assert new != old
    client.logout()
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_renewing_says_so(client, analyst):
    client.force_login(analyst)
    response = client.post("/desk/calendar/renew/")
    messages = [str(message) for message in response.wsgi_request._messages]
    assert any("old address no longer works" in message for message in messages)


def test_renewing_needs_a_signed_in_account(client, analyst):
    old = feed_url(analyst)
    response = client.post("/desk/calendar/renew/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert feed_url(analyst) == old


def test_renewing_needs_a_post(client, analyst):
    old = feed_url(analyst)
    client.force_login(analyst)
    assert client.get("/desk/calendar/renew/").status_code == 405
    assert feed_url(analyst) == old


def test_renewing_needs_the_csrf_token(analyst):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    old = feed_url(analyst)
    client.force_login(analyst)
    assert client.post("/desk/calendar/renew/").status_code == 403
    assert feed_url(analyst) == old


def test_renewing_renews_only_ones_own_address(client, analyst, staff):
    staffs = feed_url(staff)
    client.force_login(analyst)
    client.post("/desk/calendar/renew/")
    assert feed_url(staff) == staffs


# Queries


@pytest.mark.parametrize("count", [1, 20])
def test_the_feed_takes_two_queries_however_many_follow_ups(
    client, analyst, django_assert_num_queries, count
):
    agreement = AgreementFactory()
    for day in range(1, count + 1):
        FollowUpFactory(
            due=f"2013-09-{day:02d}",
            agreement=agreement,
            responsible_person=PersonFactory(),
            desk_officer=analyst,
        )
    address = feed_url(analyst)
    with django_assert_num_queries(2):  # the desk and its account; the follow-ups
        response = client.get(address)
    assert len(Calendar.from_ical(response.content).walk("VEVENT")) == count


# The box on the desk page


def test_the_desk_shows_the_address_how_to_subscribe_and_how_to_renew(analyst, settings):
    settings.ALLOWED_HOSTS = ["tracker.example.org"]
    desk = Desk.of(analyst)
    request = RequestFactory().get("/desk/", HTTP_HOST="tracker.example.org", secure=True)
    request.user = AnonymousUser()
    html = render_to_string("desk/_calendar_feed.html", {"desk": desk}, request=request)
    address = f"tracker.example.org/calendar/{desk.calendar_secret}.ics"
    assert f"https://{address}</textarea>" in html
    assert f'href="webcal://{address}"' in html
    assert "Outlook" in html and "Thunderbird" in html
    assert 'action="/desk/calendar/renew/"' in html
    assert "stops working" in html
    assert "no-print" in html  # the secret is kept off paper


def test_a_new_account_has_an_address_of_its_own(db):
    first, second = UserFactory(), UserFactory()
    assert feed_url(first) != feed_url(second)


def test_the_desk_page_holds_the_box_with_its_own_accounts_address(client, analyst, staff):
    client.force_login(analyst)
    response = client.get("/desk/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"/calendar/{Desk.of(analyst).calendar_secret}.ics" in html
    assert Desk.of(staff).calendar_secret not in html


# In a real browser


SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "pages"
PAST_THE_EDGE = """() => Array.from(document.querySelectorAll("#calendar-feed, #calendar-feed *"))
    .filter(element => element.getBoundingClientRect().right > window.innerWidth + 1)
    .map(element => element.tagName + " " + element.textContent.trim().slice(0, 40))"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("width", [390, 1280], ids=["390px", "1280px"])
def test_an_analyst_copies_the_address_and_renews_it_in_a_browser(
    page, live_server, analyst, width
):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/desk/")
    page.get_by_label("Username").fill("analyst")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    box = page.locator("#calendar-feed")
    address = box.get_by_label("Your feed’s address")
    old = address.input_value()
    assert old == live_server.url + f"/calendar/{Desk.of(analyst).calendar_secret}.ics"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate(PAST_THE_EDGE) == []
    violations = severe_violations(page)
    assert not violations, describe(page.url, violations)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    box.screenshot(path=SCREENSHOTS / f"desk-calendar-feed-{width}.png")

    box.get_by_role("button", name="Get a new address").click()
    expect(page.get_by_role("status")).to_contain_text("The old address no longer works")
    new = page.locator("#calendar-feed").get_by_label("Your feed’s address").input_value()
    assert new != old
    assert page.request.get(old).status == 404
    assert page.request.get(new).status == 200


def test_the_feed_of_an_account_that_lost_its_role_is_not_found(client, analyst):
    address = feed_url(analyst)
    analyst.groups.clear()
    assert client.get(address).status_code == 404
