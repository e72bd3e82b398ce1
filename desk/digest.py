"""The weekly digest: what each desk officer's follow-ups and agreements need, by email.

`manage.py send_digest` sends it. An account gets one digest a week at most: each is
recorded (DigestSent) as soon as the mail server has accepted it, one at a time, so a
run that stops halfway (the server down) leaves exactly the unsent ones to the next run.
"""

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from cooperation.accounts import name_of
from cooperation.roles import may_use_site
from desk.items import DUE_SOON_DAYS, STALLED_DAYS, on_the_desk_of
from desk.models import DigestSent

# Why an account that tracks something gets no digest this time.
MAY_NOT_USE_SITE = "account inactive or without a role"
NO_EMAIL = "no email address"
SWITCHED_OFF = "digest switched off"
ALREADY_SENT = "already sent this week"
NOTHING_DUE = "nothing overdue, due soon or stalled"


def week_of(day):
    """The Monday of `day`'s week: the week a digest counts against."""
    return day - datetime.timedelta(days=day.weekday())


def accounts_tracking_records():
    """The accounts that track at least one follow-up or agreement, by username, each
    with `may_use_site`: a desk officer who left or lost its role gets no digest."""
    return (
        get_user_model()
        .objects.filter(Q(follow_ups_on_desk__isnull=False) | Q(agreements_on_desk__isnull=False))
        .distinct()
        .annotate(may_use_site=ExpressionWrapper(may_use_site(), output_field=BooleanField()))
        .select_related("desk")
        .order_by("username")
    )


def absolute(path):
    """An address that works from a mail client: the site's address, then `path`."""
    return settings.SITE_URL + path


@dataclass
class Digest:
    """One account's digest for one week: its overdue and soon-due follow-ups and its
    stalled agreements, as they stand on `today`."""

    account: object
    today: datetime.date
    overdue: list
    due_soon: list
    stalled: list

    @classmethod
    def of(cls, account, today):
        items = on_the_desk_of(account, today)
        return cls(
            account=account,
            today=today,
            overdue=list(items.overdue.select_related("meeting")),
            due_soon=list(items.due_soon.select_related("meeting")),
            stalled=list(items.stalled),
        )

    @property
    def week(self):
        return week_of(self.today)

    @property
    def count(self):
        return len(self.overdue) + len(self.due_soon) + len(self.stalled)

    @property
    def language(self):
        """The account's Desk.language; the site's default for an account without a desk."""
        desk = getattr(self.account, "desk", None)
        return desk.language if desk else settings.LANGUAGE_CODE

    def summary(self):
        """A line for the command's output (in English, for whoever runs it)."""
        return (
            f"{len(self.overdue)} overdue, {len(self.due_soon)} due soon, "
            f"{len(self.stalled)} stalled"
        )

    def message(self, connection=None):
        """The mail, plain text and HTML, in the account's language."""
        with translation.override(self.language):
            context = {
                "name": name_of(self.account),
                "week": self.week,
                "today": self.today,
                "due_soon_days": DUE_SOON_DAYS,
                "stalled_days": STALLED_DAYS,
                "overdue": [(item, absolute(item.get_absolute_url())) for item in self.overdue],
                "due_soon": [(item, absolute(item.get_absolute_url())) for item in self.due_soon],
                "stalled": [(item, absolute(item.get_absolute_url())) for item in self.stalled],
                "desk_url": absolute(reverse("desk:my_desk")),
            }
            subject = gettext("Your desk in Cooperation Tracker, week of %(week)s") % {
                "week": date_format(self.week, "j F Y")
            }
            text = render_to_string("desk/digest_email.txt", context)
            html = render_to_string("desk/digest_email.html", context)
        message = EmailMultiAlternatives(
            subject=subject,
            body=re.sub(r"\n{3,}", "\n\n", text).strip() + "\n",
            to=[self.account.email],
            connection=connection,
            # RFC 3834: no out-of-office replies to a machine's mail.
            headers={"Auto-Submitted": "auto-generated"},
        )
        message.attach_alternative(html, "text/html")
        return message

    def send(self, connection=None):
        """Claim this week's digest, send it, and keep the claim once the server accepts it.

        The claim (a DigestSent row, one per account and week) is written first, in one
        transaction with the sending: a run that overlaps this one waits for it on the
        row's unique key, then finds the digest sent. Returns False when another run had
        sent it already. Raises what the mail server's refusal raises (OSError,
        smtplib.SMTPException), the claim rolled back: the next run tries again.
        """
        try:
            with transaction.atomic():
                DigestSent.objects.create(account=self.account, week=self.week, items=self.count)
                self.message(connection).send()
        except IntegrityError:
            return False
        return True


def this_weeks_digests(today):
    """For each desk officer, by username: (account, its Digest, None) when it is due one
    this week, else (account, None, why not)."""
    week = week_of(today)
    sent = set(DigestSent.objects.filter(week=week).values_list("account_id", flat=True))
    for account in accounts_tracking_records():
        desk = getattr(account, "desk", None)
        if not account.may_use_site:
            yield account, None, MAY_NOT_USE_SITE
        elif not account.email:
            yield account, None, NO_EMAIL
        elif desk is not None and not desk.digest:
            yield account, None, SWITCHED_OFF
        elif account.pk in sent:
            yield account, None, ALREADY_SENT
        else:
            digest = Digest.of(account, today)
            if digest.count:
                yield account, digest, None
            else:
                yield account, None, NOTHING_DUE
