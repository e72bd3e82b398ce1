"""A save is whole or refused: two staff saving at the same moment never leave half of one
submission beside half of the other, never meet a 500, and are refused only for rows
they changed.

Each rule is tested with one save after the other, on any database; the races also with
real concurrent requests on PostgreSQL, many rounds of them, each of which must end with
one submission saved whole and the other refused whole, with its form and why.
"""

import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.db import connection
from django.test import Client

from agreements.admin import AgreementAdmin
from agreements.models import Agreement, AgreementEvent, FollowUp
from meetings.models import Meeting
from tests import factories
from tests.admin_forms import add_rows, admin_url, errors_on_page, form_values

CONFLICT = "Someone else saved this"
REFUSED = "Nothing was saved"
CLASH = "Event with this Agreement, Kind and Date already exists."
ROUNDS = 20

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs truly concurrent writers: SQLite serializes them and has no row locks",
)


@pytest.fixture
def two_staff(db):
    first, second = Client(), Client()
    first.force_login(factories.staff())
    second.force_login(factories.UserFactory(username="staff2", role="Embassy staff"))
    return first, second


def row(data, prefix, field, pk):
    """The POST key of `field` on the inline row that holds record `pk`."""
    index = next(
        i for i in range(int(data[f"{prefix}-TOTAL_FORMS"])) if data[f"{prefix}-{i}-id"] == str(pk)
    )
    return f"{prefix}-{index}-{field}"


def someone_saves_while_this_one_writes(monkeypatch, admin_class, their_save):
    """Run `their_save` after the form and its rows were checked, as this one starts
    writing: where a concurrent save lands in a race, reproduced on any database."""
    original = admin_class.save_model

    def save_model(self, request, obj, form, change):
        their_save()
        return original(self, request, obj, form, change)

    monkeypatch.setattr(admin_class, "save_model", save_model)


def new_event(kind="under_negotiation", date="2014-03-01"):
    return {"kind": kind, "date": date, "description": "", "meeting": "", "source": ""}


# One after the other, on any database.


def test_a_save_refused_for_its_record_writes_none_of_its_rows(two_staff, tashkent):
    first, second = two_staff
    agreement = Agreement.objects.first()
    follow_up = agreement.follow_ups.get()
    url = admin_url(Agreement, "change", agreement.pk)
    mine, theirs = form_values(first.get(url)), form_values(second.get(url))
    mine["summary"] = "The first's summary"
    assert first.post(url, mine).status_code == 302

    theirs["summary"] = "The second's summary"
    theirs[row(theirs, "follow_ups", "details", follow_up.pk)] = "The second's note"
    response = second.post(url, theirs)
    assert response.status_code == 200
    assert any(m.startswith(CONFLICT) for m in errors_on_page(response))
    agreement.refresh_from_db()
    follow_up.refresh_from_db()
    assert agreement.summary == "The first's summary"
    assert follow_up.details == ""


def test_a_conflict_met_only_while_writing_refuses_the_whole_save(
    staff_client, tashkent, monkeypatch
):
    agreement = Agreement.objects.first()
    summary = agreement.summary
    follow_up = agreement.follow_ups.get()
    url = admin_url(Agreement, "change", agreement.pk)
    data = form_values(staff_client.get(url))

    def their_save():
        theirs = Agreement.objects.get(pk=agreement.pk)
        theirs.summary = "Theirs"
        theirs.save()

    someone_saves_while_this_one_writes(monkeypatch, AgreementAdmin, their_save)
    data["summary"] = "Mine"
    data[row(data, "follow_ups", "details", follow_up.pk)] = "My note"
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert any(m.startswith(REFUSED) for m in errors_on_page(response))
    assert response.context["adminform"].form["summary"].value() == "Mine"
    agreement.refresh_from_db()
    follow_up.refresh_from_db()
    assert follow_up.details == ""
    # Theirs was in this request's transaction, so it went back with the refused save.
    assert agreement.summary == summary


def test_a_restore_met_by_a_save_while_writing_is_refused_not_dropped(
    staff_client, tashkent, monkeypatch
):
    agreement = Agreement.objects.first()
    earliest = agreement.history.order_by("history_date").first()
    url = admin_url(Agreement, "change", agreement.pk)
    data = form_values(staff_client.get(url))
    data["summary"] = "A mistaken summary"
    assert staff_client.post(url, data).status_code == 302

    def their_save():
        Agreement.objects.get(pk=agreement.pk).save()

    someone_saves_while_this_one_writes(monkeypatch, AgreementAdmin, their_save)
    restore = admin_url(Agreement, "simple_history", agreement.pk, earliest.history_id)
    response = staff_client.post(restore, form_values(staff_client.get(restore)))
    assert response.status_code == 200
    assert any(m.startswith(REFUSED) for m in errors_on_page(response))
    agreement.refresh_from_db()
    assert agreement.summary == "A mistaken summary"


def test_an_event_someone_added_meanwhile_gives_the_form_back(staff_client, tashkent):
    agreement = Agreement.objects.first()
    url = admin_url(Agreement, "change", agreement.pk)
    data = add_rows(form_values(staff_client.get(url)), "events", new_event())
    agreement.record_event("under_negotiation", "2014-03-01")
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert CLASH in errors_on_page(response)
    assert agreement.events.filter(kind="under_negotiation").count() == 1


def test_an_event_clash_met_only_while_writing_gives_the_form_back(
    staff_client, tashkent, monkeypatch
):
    agreement = Agreement.objects.first()
    summary = agreement.summary
    url = admin_url(Agreement, "change", agreement.pk)
    data = add_rows(form_values(staff_client.get(url)), "events", new_event())
    data["summary"] = "Mine"

    def their_save():
        Agreement.objects.get(pk=agreement.pk).record_event("under_negotiation", "2014-03-01")

    someone_saves_while_this_one_writes(monkeypatch, AgreementAdmin, their_save)
    response = staff_client.post(url, data)
    assert response.status_code == 200
    messages = errors_on_page(response)
    (refusal,) = [m for m in messages if m.startswith(REFUSED)]
    assert CLASH in refusal
    agreement.refresh_from_db()
    assert agreement.summary == summary
    assert not agreement.events.filter(kind="under_negotiation").exists()


def test_a_row_only_someone_else_changed_does_not_block_the_save(two_staff, tashkent):
    first, second = two_staff
    agreement = Agreement.objects.first()
    follow_up = agreement.follow_ups.get()
    url = admin_url(Agreement, "change", agreement.pk)
    mine = form_values(second.get(url))

    # The first changes the follow-up on its own page.
    follow_up_url = admin_url(FollowUp, "change", follow_up.pk)
    theirs = form_values(first.get(follow_up_url))
    theirs["details"] = "The first's note"
    assert first.post(follow_up_url, theirs).status_code == 302
    version = FollowUp.objects.get(pk=follow_up.pk).version

    mine["summary"] = "The second's summary"
    response = second.post(url, mine)
    assert response.status_code == 302, errors_on_page(response)
    agreement.refresh_from_db()
    follow_up.refresh_from_db()
    assert agreement.summary == "The second's summary"
    assert follow_up.details == "The first's note"  # the second's page had the old one
    assert follow_up.version == version


def test_a_row_both_changed_is_refused_with_what_the_other_changed(two_staff, tashkent):
    first, second = two_staff
    agreement = Agreement.objects.first()
    summary = agreement.summary
    follow_up = agreement.follow_ups.get()
    url = admin_url(Agreement, "change", agreement.pk)
    mine = form_values(second.get(url))

    follow_up_url = admin_url(FollowUp, "change", follow_up.pk)
    theirs = form_values(first.get(follow_up_url))
    theirs["details"] = "The first's note"
    assert first.post(follow_up_url, theirs).status_code == 302

    mine["summary"] = "The second's summary"
    mine[row(mine, "follow_ups", "details", follow_up.pk)] = "The second's note"
    response = second.post(url, mine)
    assert response.status_code == 200
    messages = errors_on_page(response)
    assert any(m.startswith(CONFLICT) for m in messages)
    assert any("“The first's note”" in m for m in messages), messages
    agreement.refresh_from_db()
    follow_up.refresh_from_db()
    assert agreement.summary == summary
    assert follow_up.details == "The first's note"


# At the same moment, on PostgreSQL.


class Browser:
    """A staff member's browser: the form as the page gave it, sent back over HTTP."""

    def __init__(self, live_server, user):
        self.live_server = live_server
        self.client = Client()
        self.client.force_login(user)

    def open(self, url):
        data = form_values(self.client.get(url))
        data["csrfmiddlewaretoken"] = self.client.cookies["csrftoken"].value
        return data

    def post(self, url, data):
        cookies = "; ".join(f"{c.key}={c.value}" for c in self.client.cookies.values())
        request = urllib.request.Request(
            self.live_server.url + url,
            data=urllib.parse.urlencode(data, doseq=True).encode(),
            headers={"Cookie": cookies},
        )
        opener = urllib.request.build_opener(NoRedirects)
        try:
            with opener.open(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def at_once(*posts, head_start=0.0):
    """Send the posts from threads released together, the first after `head_start`
    seconds more; their (status, page), in order."""
    start = threading.Barrier(len(posts))
    answers = [None] * len(posts)

    def send(index, browser, url, data):
        start.wait()
        if index == 0:
            time.sleep(head_start)
        answers[index] = browser.post(url, data)

    threads = [
        threading.Thread(target=send, args=(index, *post)) for index, post in enumerate(posts)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert None not in answers, "a request did not finish"
    return answers


@pytest.fixture
def two_browsers(live_server, tashkent):
    return (
        Browser(live_server, factories.staff()),
        Browser(live_server, factories.UserFactory(username="staff2", role="Embassy staff")),
    )


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_saves_of_one_agreement_at_once_are_never_half_saved(two_browsers):
    first, second = two_browsers
    agreement = Agreement.objects.first()
    event = agreement.events.earliest("date_first")
    follow_up = agreement.follow_ups.get()
    url = admin_url(Agreement, "change", agreement.pk)
    winners = []
    for round in range(ROUNDS):
        before = (event.description, follow_up.details)
        mine, theirs = first.open(url), second.open(url)
        # Each changes the agreement and a row the other leaves alone.
        mine["summary"] = f"First, round {round}"
        mine[row(mine, "events", "description", event.pk)] = f"First, round {round}"
        theirs["summary"] = f"Second, round {round}"
        theirs[row(theirs, "follow_ups", "details", follow_up.pk)] = f"Second, round {round}"

        answers = at_once((first, url, mine), (second, url, theirs))

        statuses = [status for status, _ in answers]
        assert sorted(statuses) == [200, 302], f"round {round}: {statuses}"
        winner = statuses.index(302)
        (_, refused_page) = answers[1 - winner]
        assert CONFLICT in refused_page, f"round {round}"
        agreement.refresh_from_db()
        event.refresh_from_db()
        follow_up.refresh_from_db()
        saved = (agreement.summary, event.description, follow_up.details)
        if winner == 0:
            assert saved == (f"First, round {round}", f"First, round {round}", before[1])
        else:
            assert saved == (f"Second, round {round}", before[0], f"Second, round {round}")
        winners.append(winner)
    print(f"\n{ROUNDS} rounds: the first won {winners.count(0)}, the second {winners.count(1)}")


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_staff_adding_one_event_at_once_on_its_agreement(two_browsers):
    first, second = two_browsers
    agreement = Agreement.objects.first()
    url = admin_url(Agreement, "change", agreement.pk)
    winners = []
    for round in range(ROUNDS):
        event = new_event(date=f"{2014 + round}-03-01")
        mine = add_rows(first.open(url), "events", event)
        theirs = add_rows(second.open(url), "events", event)

        answers = at_once((first, url, mine), (second, url, theirs))

        statuses = [status for status, _ in answers]
        assert sorted(statuses) == [200, 302], f"round {round}: {statuses}"
        (_, refused_page) = answers[statuses.index(200)]
        assert CONFLICT in refused_page or CLASH in refused_page, f"round {round}"
        assert agreement.events.filter(date=event["date"]).count() == 1
        winners.append(statuses.index(302))
    print(f"\n{ROUNDS} rounds: the first won {winners.count(0)}, the second {winners.count(1)}")


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_staff_adding_one_event_at_once_from_its_agreement_and_its_meeting(two_browsers):
    first, second = two_browsers
    agreement = Agreement.objects.first()
    meeting = Meeting.objects.get(city="Tashkent")
    on_agreement = admin_url(Agreement, "change", agreement.pk)
    on_meeting = admin_url(Meeting, "change", meeting.pk)
    answered_by = {"agreement": 0, "meeting": 0}
    for round in range(ROUNDS):
        # The meeting's own date: from its page, the row's date may not be another.
        event = new_event(kind=("signed", "in_force")[round % 2], date=meeting.date.iso)
        for earlier in AgreementEvent.objects.filter(agreement=agreement, kind=event["kind"]):
            earlier.delete()
        mine = add_rows(first.open(on_agreement), "events", {**event, "meeting": meeting.pk})
        theirs = add_rows(
            second.open(on_meeting), "agreement_events", {**event, "agreement": agreement.pk}
        )

        # The meeting's page takes longer to check: give it a head start in some rounds,
        # so that either page may be the first to write.
        answers = at_once(
            (first, on_agreement, mine), (second, on_meeting, theirs), head_start=round % 5 * 0.2
        )

        statuses = [status for status, _ in answers]
        assert sorted(statuses) == [200, 302], f"round {round}: {statuses}"
        (_, refused_page) = answers[statuses.index(200)]
        assert CLASH in refused_page, f"round {round}"
        assert agreement.events.filter(kind=event["kind"], date=event["date"]).count() == 1
        answered_by[("agreement", "meeting")[statuses.index(302)]] += 1
    print(f"\n{ROUNDS} rounds: saved from {answered_by}")


def test_a_broken_rule_that_no_other_save_explains_is_a_fault_not_a_clash():
    from django.db import IntegrityError

    from cooperation.admin_base import write_refusal

    assert write_refusal(IntegrityError("UNIQUE constraint failed: agreements_agreement.title"))
    assert write_refusal(IntegrityError("NOT NULL constraint failed: agreements.kind")) is None
