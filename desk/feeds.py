"""Each account's calendar feed: the due dates of the follow-ups it tracks, for Outlook,
Thunderbird or a phone to subscribe to.

Calendar applications cannot sign in, so the address itself is the key: it holds the
account's `Desk.calendar_secret`, and whoever has the address reads the feed. Renewing
the secret is how an account takes a leaked address back.
"""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required, permission_required
from django.http import Http404, HttpResponse
from django.http.request import split_domain_port
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST, require_safe
from icalendar import Calendar, Event, vDuration

from agreements.models import FollowUp
from cooperation.accounts import name_of
from cooperation.partial_dates import PartialDate
from cooperation.roles import may_use_site
from desk.models import Desk

PRODID = "-//Cooperation Tracker//Calendar feed//EN"
# How often subscribers should fetch the feed again (RFC 7986 REFRESH-INTERVAL, and
# Outlook's X-PUBLISHED-TTL): due dates change seldom, and an hour is soon enough.
REFRESH_EVERY = datetime.timedelta(hours=1)
# A secret longer than any Desk.calendar_secret is not looked up at all.
SECRET_MAX_LENGTH = Desk._meta.get_field("calendar_secret").max_length


@login_not_required
@require_safe
# Private: for its owner's calendar only, never a shared cache. No-cache: a refresh the
# owner asks for shows the follow-ups as they are now.
@cache_control(private=True, no_cache=True)
def calendar_feed(request, secret):
    """The feed whose address holds `secret`: 404, the same for each, when no desk of an
    account that may use the site has it (never had it, renewed since, or the account
    is switched off or has lost its role).

    The secret is looked up in the database, by its unique index: no comparison in
    Python that would take longer the more leading characters a guess gets right.
    """
    desk = (
        Desk.objects.filter(
            calendar_secret=secret,
            account__in=get_user_model().objects.filter(may_use_site()),
        )
        .select_related("account")
        .first()
        if len(secret) <= SECRET_MAX_LENGTH
        else None
    )
    if desk is None:
        raise Http404
    # Written in the desk's language, the one its owner last read the desk in: a
    # calendar application says nothing of its user's language.
    with translation.override(desk.language):
        calendar = due_dates_calendar(desk.account, site_url(request), feed_host(request))
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Language"] = desk.language
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@permission_required("agreements.view_agreement", raise_exception=True)
@require_POST
def renew_calendar_secret(request):
    """A new address for the signed-in account's feed: the old one stops working, so
    every calendar subscribed to it needs the new one."""
    Desk.of(request.user).renew_calendar_secret()
    messages.success(
        request,
        _(
            "Your calendar feed has a new address. The old address no longer works: "
            "subscribe again with the new one."
        ),
    )
    return redirect("desk:my_desk")


def due_dates_calendar(account, site_url, host):
    """The iCalendar of the open follow-ups `account` tracks that have a due date."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    name = _("Cooperation Tracker: follow-ups tracked by %(account)s") % {
        "account": name_of(account)
    }
    description = _("The due dates of the open follow-ups you track as desk officer.")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-caldesc", description)
    calendar.add("refresh-interval", REFRESH_EVERY, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH_EVERY))
    stamp = timezone.now()
    for follow_up in dated_follow_ups_of(account):
        calendar.add_component(due_date_event(follow_up, site_url, host, stamp))
    return calendar


def dated_follow_ups_of(account):
    """The open follow-ups `account` is the desk officer of and that have a due date,
    with what their events name, in one query."""
    return (
        FollowUp.objects.filter(desk_officer=account)
        .open()
        .exclude(due="")
        .select_related("agreement", "meeting", "responsible_organization", "responsible_person")
        .order_by("due_first", "pk")
    )


def due_date_event(follow_up, site_url, host, stamp):
    """An all-day event on the follow-up's due date.

    A due date known only to the month or the year ("2013-09", "2014") is shown on its
    last day: the follow-up is overdue only after that day (FollowUpQuerySet.past_due),
    and a month- or year-long event would cover every other day in the calendar. The
    description says so.
    """
    day = follow_up.due.last
    url = site_url + follow_up.get_absolute_url()
    event = Event()
    event.add("uid", f"followup-{follow_up.pk}@{host}")
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + datetime.timedelta(days=1))
    event.add("summary", follow_up.action)
    event.add("description", "\n".join(description_lines(follow_up, url)))
    event.add("url", url)
    # A reminder of a due date, not a meeting: it leaves the day free.
    event.add("transp", "TRANSPARENT")
    return event


def description_lines(follow_up, url):
    yield due_wording(follow_up.due)
    if follow_up.agreement:
        yield _("Agreement: %(agreement)s") % {"agreement": follow_up.agreement}
    elif follow_up.meeting:
        yield _("Meeting: %(meeting)s") % {"meeting": follow_up.meeting}
    yield _("Owed by %(owed_by)s.") % {"owed_by": follow_up.owed_by_display}
    yield _("Details: %(url)s") % {"url": url}


def due_wording(due):
    if due.precision == PartialDate.Precision.DAY:
        return _("Due on %(date)s.") % {"date": due}
    if due.precision == PartialDate.Precision.MONTH:
        return _(
            "Due by the end of %(month)s: the due date is known only to the month, "
            "so the calendar shows it on the month's last day."
        ) % {"month": due}
    return _(
        "Due by the end of %(year)s: the due date is known only to the year, "
        "so the calendar shows it on the year's last day."
    ) % {"year": due}


def site_url(request):
    """The start of the links: settings.SITE_URL, else the address the feed was asked at."""
    return settings.SITE_URL or request.build_absolute_uri("/").rstrip("/")


def feed_host(request):
    """The domain in the events' UIDs: the site's, so that they stay the same from one
    fetch to the next."""
    return urlsplit(settings.SITE_URL).hostname or split_domain_port(request.get_host())[0]
