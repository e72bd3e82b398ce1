"""The weekly digest (`manage.py send_digest`), received by a real SMTP server.

The server is aiosmtpd on 127.0.0.1, and the site speaks to it with Django's own SMTP
backend, as it would to the embassy's mail server.
"""

import datetime
import email
import socket
from email import policy
from io import StringIO

import pytest
from aiosmtpd.controller import Controller
from django.core.management import CommandError, call_command
from django.db import connections

from cooperation.roles import ANALYSTS
from desk.digest import this_weeks_digests, week_of
from desk.management.commands import send_digest
from desk.models import Desk, DigestSent
from tests import factories

SITE = "https://tracker.example.org"
TODAY = "2025-03-19"  # a Wednesday
MONDAY = "2025-03-17"


class Mailbox:
    """An aiosmtpd handler that keeps what it receives, and can refuse as a server does."""

    def __init__(self):
        self.messages = []
        self.busy = set()  # addresses answered 451 at RCPT TO
        self.accept = None  # how many more messages to take before answering 421

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.busy:
            return "451 4.2.1 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.accept is not None:
            if self.accept == 0:
                return "421 4.3.2 Service shutting down"
            self.accept -= 1
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((envelope.rcpt_tos, message))
        return "250 Message accepted for delivery"

    def to(self, address):
        """The messages received for `address`."""
        return [message for recipients, message in self.messages if address in recipients]

    @property
    def recipients(self):
        return sorted(address for recipients, _message in self.messages for address in recipients)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def mail_server(settings):
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "tracker@embassy.example"
    settings.SITE_URL = SITE
    yield mailbox
    controller.stop()


def account(username, email="", **kwargs):
    return factories.UserFactory(username=username, email=email, role=ANALYSTS, **kwargs)


def follow_up(officer, action, due, **kwargs):
    return factories.FollowUpFactory(desk_officer=officer, action=action, due=due, **kwargs)


@pytest.fixture
def desks(db):
    """Two officers with different items; one without an address; one who switched the
    digest off; one with nothing due; an analyst who tracks nothing."""
    alice = account("alice", "alice@embassy.example", first_name="Alice", last_name="Rahman")
    budi = account("budi", "budi@embassy.example")
    Desk.objects.create(account=budi, language="id")
    carol = account("carol")
    dewi = account("dewi", "dewi@embassy.example")
    Desk.objects.create(account=dewi, digest=False)
    eko = account("eko", "eko@embassy.example")
    fajar = account("fajar", "fajar@embassy.example")
    account("gita", "gita@embassy.example")  # tracks nothing

    terrorism = factories.AgreementFactory(title="MOU on counter-terrorism", desk_officer=alice)
    follow_up(alice, "Send the draft back to RATS-SCO", "2025-03-01", agreement=terrorism)
    follow_up(alice, "Confirm the date of the visit", "2025-03-25", agreement=terrorism)
    follow_up(alice, "Prepare the annual report", "2025-06-01", agreement=terrorism)
    follow_up(alice, "Already done", "2025-01-01", agreement=terrorism, state="done")
    drugs = factories.AgreementFactory(title="MOU on drug trafficking", desk_officer=alice)
    drugs.record_event("draft_agreed", "2011")

    meeting = factories.MeetingFactory(title="Tashkent meeting")
    follow_up(budi, "Ask BNPT for its comments", "2025-02-14", agreement=None, meeting=meeting)
    migration = factories.AgreementFactory(title="MOU on illegal migration", desk_officer=budi)
    migration.record_event("draft_agreed", "2012-05")

    follow_up(carol, "Call the secretariat", "2025-03-01")
    follow_up(dewi, "Write to the embassy", "2025-03-01")
    follow_up(eko, "Plan next year", "2026-01-01")
    follow_up(fajar, "Answer the Director", "2025-03-18")
    return {
        "alice": alice,
        "budi": budi,
        "drugs": drugs,
        "terrorism": terrorism,
        "meeting": meeting,
        "migration": migration,
    }


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("send_digest", "--today", TODAY, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_as_cron(capsys, monkeypatch, *args):
    """Run it as `manage.py send_digest …` would: the exit status, stdout and stderr."""
    # run_from_argv() closes the connections when done: not the test's own.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    command = send_digest.Command()
    try:
        command.run_from_argv(["manage.py", "send_digest", "--skip-checks", *args])
        status = 0
    except SystemExit as exit:
        status = exit.code
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def text_of(message):
    return message.get_body(("plain",)).get_content()


def html_of(message):
    return message.get_body(("html",)).get_content()


def test_each_officer_gets_their_own_items_and_no_one_else_gets_mail(mail_server, desks):
    out, err = run()

    assert mail_server.recipients == [
        "alice@embassy.example",
        "budi@embassy.example",
        "fajar@embassy.example",
    ]
    [alices] = mail_server.to("alice@embassy.example")
    text = text_of(alices)
    assert "Send the draft back to RATS-SCO" in text  # overdue
    assert "Confirm the date of the visit" in text  # due within 14 days
    assert "MOU on drug trafficking" in text  # stalled since 2011
    assert "Prepare the annual report" not in text  # due in June
    assert "Already done" not in text
    assert "Ask BNPT" not in text and "Answer the Director" not in text
    assert text.index("Overdue follow-ups") < text.index("Send the draft back")
    assert text.index("Follow-ups due within 14 days") < text.index("Confirm the date")
    assert text.index("Stalled agreements") < text.index("MOU on drug trafficking")

    [budis] = mail_server.to("budi@embassy.example")
    assert "Ask BNPT for its comments" in text_of(budis)
    assert "MOU on illegal migration" in text_of(budis)  # quiet since May 2012
    assert "Send the draft back" not in text_of(budis)

    assert "alice" in out and "budi" in out and "fajar" in out
    assert "skipped   carol: no email address" in out
    assert "skipped   dewi: digest switched off" in out
    assert "skipped   eko: nothing overdue, due soon or stalled" in out
    assert "gita" not in out
    assert "week of 2025-03-17: 3 sent, 3 skipped, 0 not sent." in out
    assert err == ""


def test_the_record_says_who_got_how_many_items_for_which_week(mail_server, desks):
    run()

    assert sorted(
        (username, week.isoformat(), items)
        for username, week, items in DigestSent.objects.values_list(
            "account__username", "week", "items"
        )
    ) == [("alice", MONDAY, 3), ("budi", MONDAY, 2), ("fajar", MONDAY, 1)]


def test_the_mail_has_a_text_and_an_html_part_with_absolute_links(mail_server, desks):
    run()

    [message] = mail_server.to("alice@embassy.example")
    assert message["From"] == "tracker@embassy.example"
    assert message["To"] == "alice@embassy.example"
    assert message["Subject"] == "Your desk in Cooperation Tracker, week of 17 March 2025"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message.get_content_type() == "multipart/alternative"
    terrorism_page = SITE + desks["terrorism"].get_absolute_url()
    drugs_page = SITE + desks["drugs"].get_absolute_url()
    text, html = text_of(message), html_of(message)

    assert text.startswith("Hello Alice Rahman,")
    assert terrorism_page in text and drugs_page in text
    assert "Due 1 March 2025, owed by" in text
    assert "Draft agreed; no activity since 31 December 2011" in text
    assert f"switch the digest off on your desk: {SITE}/desk/" in text
    assert "<" not in text.replace("<a", "")  # plain text: no markup

    # A follow-up links to its row on its agreement's page; a stalled agreement to its page.
    assert f'<a href="{terrorism_page}#follow-up-' in html and f'<a href="{drugs_page}"' in html
    assert "Send the draft back to RATS-SCO</a>" in html
    assert f'switch the digest off on <a href="{SITE}/desk/">your desk</a>' in html
    assert '<html lang="en-gb">' in html


def test_a_follow_up_without_an_agreement_links_to_its_meeting(mail_server, desks):
    run()

    [message] = mail_server.to("budi@embassy.example")
    assert SITE + desks["meeting"].get_absolute_url() in text_of(message)


def test_the_digest_speaks_the_language_of_its_desk(mail_server, desks):
    run()

    [message] = mail_server.to("budi@embassy.example")
    text, html = text_of(message), html_of(message)
    # Dates and statuses in Indonesian: the catalogues Django and the site already have.
    assert "17 Maret 2025" in message["Subject"]
    assert "14 Februari 2025" in text
    assert "Rancangan disepakati" in text
    assert '<html lang="id">' in html
    assert "February" not in text and "Draft agreed" not in text
    [alices] = mail_server.to("alice@embassy.example")
    assert "March" in text_of(alices)


def test_running_twice_in_a_week_sends_nothing_more(mail_server, desks):
    run()
    assert len(mail_server.messages) == 3

    out, _err = run()
    call_command("send_digest", "--today", "2025-03-23", stdout=StringIO())  # that Sunday

    assert len(mail_server.messages) == 3
    assert "skipped   alice: already sent this week" in out
    assert "0 sent, 6 skipped, 0 not sent" in out
    assert DigestSent.objects.count() == 3


def test_the_next_week_brings_the_next_digest(mail_server, desks):
    run()
    call_command("send_digest", "--today", "2025-03-24", stdout=StringIO())

    assert len(mail_server.to("alice@embassy.example")) == 2
    assert DigestSent.objects.filter(week="2025-03-24").count() == 3


def test_a_refused_connection_fails_the_run_and_the_next_run_sends_everything(
    mail_server, desks, settings, capsys, monkeypatch
):
    running_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = free_port()  # nothing listens there

    status, out, err = run_as_cron(capsys, monkeypatch, "--today", TODAY)

    assert status == 1
    assert "NOT SENT  alice <alice@embassy.example>: the mail server at 127.0.0.1:" in err
    assert "cannot be reached" in err and "Connection refused" in err
    assert "CommandError: 3 digest(s) not sent (alice, budi, fajar)" in err
    assert "Run the command again" in err
    assert "0 sent, 3 skipped, 3 not sent" in out
    assert not DigestSent.objects.exists()

    settings.EMAIL_PORT = running_port
    status, out, err = run_as_cron(capsys, monkeypatch, "--today", TODAY)

    assert status == 0, err
    assert mail_server.recipients == [
        "alice@embassy.example",
        "budi@embassy.example",
        "fajar@embassy.example",
    ]
    assert "3 sent, 3 skipped, 0 not sent" in out


def test_a_recipient_refused_for_now_is_the_only_one_sent_next_time(
    mail_server, desks, capsys, monkeypatch
):
    mail_server.busy.add("budi@embassy.example")

    status, out, err = run_as_cron(capsys, monkeypatch, "--today", TODAY)

    assert status == 1
    assert "NOT SENT  budi <budi@embassy.example>: the mail server refused the address" in err
    assert "451 4.2.1 Mailbox busy" in err
    assert "CommandError: 1 digest(s) not sent (budi)" in err
    assert mail_server.recipients == ["alice@embassy.example", "fajar@embassy.example"]
    assert "2 sent, 3 skipped, 1 not sent" in out

    mail_server.busy.clear()
    status, out, err = run_as_cron(capsys, monkeypatch, "--today", TODAY)

    assert status == 0, err
    assert mail_server.recipients == [
        "alice@embassy.example",
        "budi@embassy.example",
        "fajar@embassy.example",
    ]
    assert "sent      budi <budi@embassy.example>" in out
    assert "skipped   alice: already sent this week" in out
    assert "skipped   fajar: already sent this week" in out


def test_a_server_that_goes_down_mid_run_loses_nothing_and_repeats_nothing(mail_server, desks):
    mail_server.accept = 1  # takes alice's, then answers 421 and stops

    with pytest.raises(CommandError) as failure:
        run()

    assert failure.value.returncode == 1
    assert "2 digest(s) not sent (budi, fajar)" in str(failure.value)
    assert "answered 421 4.3.2 Service shutting down" in str(failure.value)
    assert mail_server.recipients == ["alice@embassy.example"]
    assert list(DigestSent.objects.values_list("account__username", flat=True)) == ["alice"]

    mail_server.accept = None
    run()

    assert mail_server.recipients == [
        "alice@embassy.example",
        "budi@embassy.example",
        "fajar@embassy.example",
    ]


def test_a_dry_run_lists_who_would_get_what_and_sends_nothing(mail_server, desks):
    out, _err = run("--dry-run")

    assert "would send alice <alice@embassy.example>: 1 overdue, 1 due soon, 1 stalled" in out
    assert "    overdue: Send the draft back to RATS-SCO (due 1 March 2025)" in out
    assert "    stalled: MOU on drug trafficking (since 2011-12-31)" in out
    assert "would send budi <budi@embassy.example>: 1 overdue, 0 due soon, 1 stalled" in out
    assert "skipped   carol: no email address" in out
    assert "Dry run, week of 2025-03-17: nothing sent or recorded; 3 skipped." in out
    assert mail_server.messages == []
    assert not DigestSent.objects.exists()


@pytest.mark.parametrize("day", ["2025-13-01", "next monday", "19/03/2025"])
def test_a_bad_today_is_refused_clearly(mail_server, desks, capsys, monkeypatch, day):
    status, _out, err = run_as_cron(capsys, monkeypatch, "--today", day)

    assert status == 2
    assert f"argument --today: {day!r} is not a day: write it as YYYY-MM-DD" in err
    assert mail_server.messages == []

    with pytest.raises(CommandError, match="is not a day: write it as YYYY-MM-DD"):
        call_command("send_digest", "--today", day)


def test_it_refuses_to_send_links_without_the_sites_address(mail_server, desks, settings):
    settings.SITE_URL = ""

    with pytest.raises(CommandError, match="DJANGO_SITE_URL is not set"):
        run()

    assert mail_server.messages == []


def test_it_refuses_to_throw_the_digests_away_without_a_mail_server(desks, settings):
    settings.SITE_URL = SITE
    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"

    with pytest.raises(CommandError, match="No mail server is set"):
        run()

    assert not DigestSent.objects.exists()


def test_a_digest_another_run_sent_meanwhile_is_not_sent_again(mail_server, desks):
    # Two runs overlapping: this one listed alice's digest as due, then the other sent it.
    today = datetime.date.fromisoformat(TODAY)
    [digest] = [d for a, d, _ in this_weeks_digests(today) if a == desks["alice"]]
    DigestSent.objects.create(account=desks["alice"], week=week_of(today), items=1)
    assert digest.send() is False
    assert mail_server.to("alice@embassy.example") == []
    assert DigestSent.objects.filter(account=desks["alice"]).count() == 1


def test_an_officer_who_lost_their_role_gets_no_digest(mail_server, desks):
    desks["alice"].groups.clear()
    run()
    assert mail_server.to("alice@embassy.example") == []
    assert mail_server.to("budi@embassy.example")
