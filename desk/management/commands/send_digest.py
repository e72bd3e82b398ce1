import argparse
import contextlib
import datetime
import smtplib

from django.conf import settings
from django.core.mail import get_connection
from django.core.management.base import BaseCommand, CommandError

from desk.digest import ALREADY_SENT, this_weeks_digests, week_of

DISCARDING_BACKENDS = {
    "django.core.mail.backends.dummy.EmailBackend",
}


def a_day(text):
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a day: write it as YYYY-MM-DD, e.g. 2025-03-17."
        ) from None


class Command(BaseCommand):
    help = (
        "Send each desk officer this week's digest by email: the follow-ups it tracks that "
        "are overdue or due soon, and its stalled agreements. Run it weekly; a second run "
        "in the same week sends only what the first could not."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List who would get a digest and what it would hold; send and record nothing.",
        )
        parser.add_argument(
            "--today",
            type=a_day,
            metavar="YYYY-MM-DD",
            help="Take this day as today: its week, and what is overdue or stalled on it.",
        )

    def handle(self, *args, dry_run=False, today=None, **options):
        today = today or datetime.date.today()
        if not settings.SITE_URL:
            raise CommandError(
                "DJANGO_SITE_URL is not set, and the digests' links need the site's address "
                "(e.g. DJANGO_SITE_URL=https://tracker.example.org). Nothing was sent."
            )
        if not dry_run and settings.EMAIL_BACKEND in DISCARDING_BACKENDS:
            raise CommandError(
                "No mail server is set (DJANGO_EMAIL_URL), and the digests would be thrown "
                "away. Nothing was sent."
            )

        connection = None if dry_run else get_connection()
        sent, skipped, unsent = 0, 0, []
        server_error = None
        try:
            for account, digest, why_not in this_weeks_digests(today):
                if digest is None:
                    skipped += 1
                    self.stdout.write(f"skipped   {account}: {why_not}")
                    continue
                address = f"{account} <{account.email}>"
                if dry_run:
                    self.stdout.write(f"would send {address}: {digest.summary()}")
                    self.list_items(digest)
                    continue
                if server_error is not None:
                    unsent.append(account)  # the server is down: don't knock again
                    continue
                try:
                    sent_now = digest.send(connection)
                except smtplib.SMTPRecipientsRefused as error:
                    # This address only (e.g. 451, mailbox busy): the others may still go.
                    unsent.append(account)
                    self.stderr.write(
                        f"NOT SENT  {address}: the mail server refused the address "
                        f"({self.smtp_reply(error)})"
                    )
                except OSError as error:  # refused connection, timeout, any SMTP error
                    server_error = error
                    unsent.append(account)
                    self.stderr.write(f"NOT SENT  {address}: {self.describe(error)}")
                else:
                    if not sent_now:
                        skipped += 1
                        self.stdout.write(f"skipped   {account}: {ALREADY_SENT}, by another run")
                        continue
                    sent += 1
                    self.stdout.write(f"sent      {address}: {digest.summary()}")
        finally:
            if connection is not None:
                with contextlib.suppress(OSError):
                    connection.close()

        week = f"week of {week_of(today):%Y-%m-%d}"
        if dry_run:
            self.stdout.write(f"Dry run, {week}: nothing sent or recorded; {skipped} skipped.")
            return
        self.stdout.write(f"{week}: {sent} sent, {skipped} skipped, {len(unsent)} not sent.")
        if unsent:
            cause = self.describe(server_error) if server_error else "addresses refused"
            raise CommandError(
                f"{len(unsent)} digest(s) not sent ({', '.join(map(str, unsent))}): {cause}. "
                "Run the command again once the mail server accepts them: it sends these "
                "and nothing that already went."
            )

    def list_items(self, digest):
        for label, follow_ups in (("overdue", digest.overdue), ("due soon", digest.due_soon)):
            for follow_up in follow_ups:
                self.stdout.write(f"    {label}: {follow_up.action} (due {follow_up.due})")
        for agreement in digest.stalled:
            self.stdout.write(f"    stalled: {agreement.title} (since {agreement.last_activity})")

    @staticmethod
    def smtp_reply(error):
        """ "451 mailbox busy" from an SMTPRecipientsRefused's {address: (code, message)}."""
        return "; ".join(
            f"{code} {reply.decode(errors='replace') if isinstance(reply, bytes) else reply}"
            for code, reply in error.recipients.values()
        )

    @staticmethod
    def describe(error):
        where = f"{settings.EMAIL_HOST}:{settings.EMAIL_PORT}"
        if isinstance(error, smtplib.SMTPResponseException):
            reply = error.smtp_error
            reply = reply.decode(errors="replace") if isinstance(reply, bytes) else reply
            return f"the mail server at {where} answered {error.smtp_code} {reply}"
        if isinstance(error, smtplib.SMTPException):
            return f"the mail server at {where} failed: {error}"
        return f"the mail server at {where} cannot be reached ({error})"
