"""My desk (/desk/): each account sees what it tracks that needs it, what changed on it
since its last visit, and switches its weekly digest; the navigation counts what is overdue."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agreements.models import AgreementEvent, FollowUp
from desk.models import Desk
from desk.views import CHANGES_SHOWN, ONE_VISIT
from tests import factories

TODAY = datetime.date.today()

# The session and the account (7, as on every page, tests/test_pages.py), the desk read
# and its visit written (2), the four lists (4), and the history of agreements, follow-ups
# and events, each with the rows before them (6).
DESK_QUERIES = 19


def in_days(days):
    return (TODAY + datetime.timedelta(days=days)).isoformat()


def put_on_desk(account, count=1):
    """`count` of each kind of item on `account`'s desk, and some that are not on it."""
    for number in range(count):
        overdue = factories.FollowUpFactory(
            desk_officer=account, action=f"Overdue {number}", due="2014-01"
        )
        overdue.details = "Reminded by telephone."  # a change, beside each addition
        overdue.save()
        factories.FollowUpFactory(desk_officer=account, action=f"Soon {number}", due=in_days(5))
        factories.FollowUpFactory(desk_officer=account, action=f"Undated {number}", due="")
        stalled = factories.AgreementFactory(desk_officer=account, title=f"Stalled MOU {number}")
        stalled.record_event("draft_agreed", "2011")
        event = stalled.events.get()
        event.description = "Agreed in Jakarta."
        event.save()
        stalled.summary = "Counter-terrorism."
        stalled.save()
    # Not on the desk: done, due far off, or tracked by nobody.
    factories.FollowUpFactory(
        desk_officer=account, action="Done long ago", due="2014-01", state=FollowUp.State.DONE
    )
    factories.FollowUpFactory(desk_officer=account, action="Far off", due=in_days(60))
    factories.FollowUpFactory(action="Nobody's step", due="2014-01")
    lively = factories.AgreementFactory(desk_officer=account, title="Lively MOU")
    lively.record_event("draft_agreed", in_days(-3))


def forget_history_until(moment):
    """Date every history row written so far at `moment`: made before the visit."""
    for model in (FollowUp, AgreementEvent, factories.Agreement):
        model.history.model.objects.update(history_date=moment)


def last_visited(account, moment):
    Desk.objects.update_or_create(
        account=account, defaults={"last_visit": moment, "previous_visit": None}
    )


# Who sees it


def test_it_sends_anonymous_users_to_the_login_page(client, db):
    response = client.get("/desk/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=/desk/")


@pytest.mark.parametrize("role", ["analyst", "staff"])
def test_each_account_sees_its_own_desk_and_nobody_elses(client, db, role):
    account = getattr(factories, role)()
    other = factories.UserFactory(username="colleague")
    factories.FollowUpFactory(desk_officer=account, action="My overdue step", due="2014-01")
    factories.FollowUpFactory(desk_officer=other, action="Their overdue step", due="2014-01")
    client.force_login(account)
    response = client.get("/desk/")
    assert response.status_code == 200
    assert "My overdue step" in response.text
    assert "Their overdue step" not in response.text


def test_an_account_without_a_role_has_no_desk(client, db):
    # One that lost its role keeps its records' desk officer, and reads nothing of them.
    nobody = factories.UserFactory(username="nobody", is_staff=False)
    factories.FollowUpFactory(desk_officer=nobody, action="A step of mine", due="2014-01")
    client.force_login(nobody)
    response = client.get("/desk/")
    assert response.status_code == 403
    assert "A step of mine" not in response.text
    assert client.post("/desk/digest/", {"digest": "off"}).status_code == 403
    assert client.post("/desk/calendar/renew/").status_code == 403


# What is on it


def test_it_lists_overdue_soon_due_undated_and_stalled_items_and_nothing_else(analyst_client):
    analyst = factories.analyst()
    put_on_desk(analyst)
    response = analyst_client.get("/desk/")
    context = response.context
    assert [f.action for f in context["overdue"]] == ["Overdue 0"]
    assert [f.action for f in context["due_soon"]] == ["Soon 0"]
    assert [f.action for f in context["undated"]] == ["Undated 0"]
    assert [a.title for a in context["stalled"]] == ["Stalled MOU 0"]
    for absent in ("Done long ago", "Far off", "Nobody&#x27;s step", "Lively MOU"):
        assert absent not in response.text.split('id="changes"')[0], absent


def test_each_item_links_to_its_page_and_its_due_date_reads_as_elsewhere(analyst_client):
    analyst = factories.analyst()
    follow_up = factories.FollowUpFactory(
        desk_officer=analyst, action="Answer the letter", due="2014-01"
    )
    stalled = factories.AgreementFactory(desk_officer=analyst, title="Old MOU")
    stalled.record_event("draft_agreed", "2011")
    meeting = factories.MeetingFactory()
    factories.FollowUpFactory(
        desk_officer=analyst, action="Write the minutes", agreement=None, meeting=meeting, due=""
    )
    text = analyst_client.get("/desk/").text
    assert f'<a href="/agreements/{follow_up.agreement.pk}/">Answer the letter</a>' in text
    assert f'<a href="/agreements/{stalled.pk}/">Old MOU</a>' in text
    assert f'<a href="/meetings/{meeting.pk}/">Write the minutes</a>' in text
    assert "January 2014" in text
    assert "mark-overdue" in text


def test_an_empty_desk_says_there_is_nothing(analyst_client):
    text = analyst_client.get("/desk/").text
    assert "Nothing is overdue." in text
    assert "Nothing is due within the next 14 days." in text
    assert "No open follow-up action of yours is without a due date." in text
    assert "None of your agreements is stalled." in text
    assert "Nothing you track has any recorded change yet." in text


# What changed since the last visit


def test_it_shows_what_changed_since_the_last_visit_by_whom_the_latest_first(client, db):
    analyst, staff = factories.analyst(), factories.staff()
    follow_up = factories.FollowUpFactory(desk_officer=analyst, action="Reply to RATS", due="")
    agreement = factories.AgreementFactory(desk_officer=analyst, title="BNPT MOU")
    theirs = factories.FollowUpFactory(desk_officer=staff, action="Someone else's step")
    long_ago = timezone.now() - datetime.timedelta(hours=3)
    forget_history_until(long_ago)
    last_visit = timezone.now() - datetime.timedelta(hours=2)
    last_visited(analyst, last_visit)

    follow_up.due = "2030-01"
    follow_up._history_user = staff
    follow_up.save()
    agreement.record_event("under_negotiation", "2026-01")  # outside a request: by no one
    theirs.due = "2030-02"
    theirs.save()

    client.force_login(analyst)
    response = client.get("/desk/")
    changes = response.context["changes"]
    assert [(c.kind, c.name, c.how, c.who) for c in changes] == [
        ("event", "Under negotiation, January 2026, on BNPT MOU", "added", "the system"),
        ("follow-up", "Reply to RATS", "changed", "staff"),
    ]
    assert changes[1].fields == ["due"]
    assert changes[0].url == f"/agreements/{agreement.pk}/"
    assert "Changes since your last visit" in response.text
    desk = Desk.of(analyst)
    assert desk.previous_visit == last_visit
    assert timezone.now() - desk.last_visit < datetime.timedelta(minutes=1)

    # A reload a moment later is the same visit: the changes are still there.
    again = client.get("/desk/")
    assert len(again.context["changes"]) == 2
    assert Desk.of(analyst).previous_visit == last_visit


def test_a_visit_after_a_while_starts_from_the_one_before(client, db):
    analyst = factories.analyst()
    factories.FollowUpFactory(desk_officer=analyst, action="Reply to RATS")
    forget_history_until(timezone.now() - datetime.timedelta(days=2))
    earlier = timezone.now() - ONE_VISIT - datetime.timedelta(minutes=1)
    last_visited(analyst, earlier)
    client.force_login(analyst)
    response = client.get("/desk/")
    assert response.context["changes"] == []
    assert "Nothing has changed on what you track since your last visit." in response.text
    assert Desk.of(analyst).previous_visit == earlier


def test_the_first_visit_shows_the_latest_changes(analyst_client):
    analyst = factories.analyst()
    factories.FollowUpFactory(desk_officer=analyst, action="Reply to RATS")
    response = analyst_client.get("/desk/")
    assert [c.name for c in response.context["changes"]] == ["Reply to RATS"]
    assert "Latest changes" in response.text
    assert Desk.of(analyst).previous_visit is None


def test_a_deleted_follow_up_is_said_deleted_without_a_link(analyst_client):
    analyst = factories.analyst()
    follow_up = factories.FollowUpFactory(desk_officer=analyst, action="Cancelled step")
    follow_up.delete()
    changes = analyst_client.get("/desk/").context["changes"]
    assert [(c.name, c.how) for c in changes][0] == ("Cancelled step", "deleted")


def test_the_changes_are_bounded(analyst_client):
    analyst = factories.analyst()
    follow_up = factories.FollowUpFactory(desk_officer=analyst, action="Busy step")
    for number in range(CHANGES_SHOWN + 5):
        follow_up.details = f"Note {number}"
        follow_up.save()
    response = analyst_client.get("/desk/")
    assert len(response.context["changes"]) == CHANGES_SHOWN
    assert response.context["changes"][0].fields == ["details"]
    assert f"The latest {CHANGES_SHOWN} changes are shown." in response.text


# The visit, the language


def test_a_visit_records_the_language_the_desk_was_read_in(client, db):
    analyst = factories.analyst()
    client.force_login(analyst)
    client.get("/desk/", headers={"accept-language": "id"})
    assert Desk.of(analyst).language == "id"
    client.get("/desk/", headers={"accept-language": "en"})
    assert Desk.of(analyst).language == "en-gb"


# The digest switch


def test_the_digest_switches_off_and_on_with_a_message(analyst_client):
    analyst = factories.analyst()
    response = analyst_client.post("/desk/digest/", {"digest": "off"}, follow=True)
    assert response.redirect_chain == [("/desk/", 302)]
    assert "The weekly digest is off." in response.text
    assert Desk.of(analyst).digest is False
    response = analyst_client.post("/desk/digest/", {"digest": "on"}, follow=True)
    assert "The weekly digest is on." in response.text
    assert Desk.of(analyst).digest is True


def test_the_page_says_whether_the_digest_can_reach_the_account(client, db):
    with_email = factories.UserFactory(
        username="reached", email="reached@example.org", role=factories.ANALYSTS
    )
    client.force_login(with_email)
    assert "It is sent to reached@example.org." in client.get("/desk/").text
    client.force_login(factories.analyst())
    assert "Your account has no email address" in client.get("/desk/").text


@pytest.mark.parametrize("value", [None, "", "maybe", "ON"])
def test_a_bad_digest_switch_is_a_400_with_a_message(analyst_client, value):
    data = {} if value is None else {"digest": value}
    response = analyst_client.post("/desk/digest/", data)
    assert response.status_code == 400
    assert "on" in response.text and "off" in response.text
    assert Desk.of(factories.analyst()).digest is True


def test_the_digest_switch_takes_only_posts_and_the_desk_only_reads(analyst_client):
    assert analyst_client.get("/desk/digest/").status_code == 405
    assert analyst_client.post("/desk/", {}).status_code == 405


def test_the_digest_switch_needs_the_csrf_token(db):
    client = Client(enforce_csrf_checks=True)
    client.force_login(factories.analyst())
    assert client.post("/desk/digest/", {"digest": "off"}).status_code == 403
    assert Desk.of(factories.analyst()).digest is True


def test_an_anonymous_digest_switch_goes_to_the_login_page(client, db):
    response = client.post("/desk/digest/", {"digest": "off"})
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


# The navigation


def test_the_navigation_counts_the_overdue_items_for_screen_readers(analyst_client):
    analyst = factories.analyst()
    for _number in range(2):
        factories.FollowUpFactory(desk_officer=analyst, due="2014-01")
    text = analyst_client.get("/agreements/").text
    assert 'aria-label="My desk, 2 overdue"' in text
    assert '<span class="nav-count" aria-hidden="true">2</span>' in text


def test_the_navigation_shows_no_count_when_nothing_is_overdue(analyst_client):
    text = analyst_client.get("/agreements/").text
    assert '<a href="/desk/">My desk</a>' in text
    assert "nav-count" not in text


def test_the_admin_pays_no_query_for_the_count(admin_client):
    with CaptureQueriesContext(connection) as queries:
        assert admin_client.get("/admin/").status_code == 200
    assert not [q["sql"] for q in queries if "desk_officer" in q["sql"]]


# Queries


@pytest.mark.parametrize("count", [1, 20])
def test_the_desk_costs_the_same_queries_for_one_item_and_for_twenty(
    client, db, django_assert_num_queries, count
):
    analyst = factories.analyst()
    put_on_desk(analyst, count)
    Desk.of(analyst)
    client.force_login(analyst)
    with django_assert_num_queries(DESK_QUERIES):
        response = client.get("/desk/")
    assert len(response.context["overdue"]) == count
    kinds = {(change.kind, change.how) for change in response.context["changes"]}
    assert {("follow-up", "changed"), ("agreement", "changed"), ("event", "changed")} <= kinds
    assert len(response.context["changes"]) == (CHANGES_SHOWN if count == 20 else 12)


# What "overdue" and "due soon" mean on a desk: now, by the last day a due date can mean.


def test_an_open_follow_up_past_due_is_overdue_whatever_its_request_date_says(db):
    from desk.items import on_the_desk_of

    analyst = factories.analyst()
    meeting = factories.MeetingFactory(date="2025-03")  # known only to the month
    from_meeting = factories.FollowUpFactory(
        desk_officer=analyst, agreement=None, meeting=meeting, requested_on="", due="2025-03-10"
    )
    asked_in_a_year = factories.FollowUpFactory(
        desk_officer=analyst, requested_on="2025", due="2025-03-01"
    )
    items = on_the_desk_of(analyst, datetime.date(2025, 3, 19))
    assert set(items.overdue) == {from_meeting, asked_in_a_year}


def test_a_follow_up_is_due_soon_by_the_last_day_its_due_date_can_mean(db):
    from desk.items import on_the_desk_of

    analyst = factories.analyst()
    this_month = factories.FollowUpFactory(desk_officer=analyst, due="2025-03")
    this_year = factories.FollowUpFactory(desk_officer=analyst, due="2025")
    in_fourteen_days = factories.FollowUpFactory(desk_officer=analyst, due="2025-04-02")
    in_fifteen_days = factories.FollowUpFactory(desk_officer=analyst, due="2025-04-03")
    today = factories.FollowUpFactory(desk_officer=analyst, due="2025-03-19")
    items = on_the_desk_of(analyst, datetime.date(2025, 3, 19))
    assert set(items.due_soon) == {this_month, in_fourteen_days, today}
    assert this_year not in items.overdue and in_fifteen_days not in items.overdue
