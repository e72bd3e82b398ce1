"""An account's desk: what it tracks that needs it, what changed since it last looked,
and its weekly digest's switch."""

import datetime
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import OuterRef, Q, Subquery
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from agreements.models import Agreement, AgreementEvent, FollowUp
from cooperation.history import NOT_COMPARED, tracked_fields
from desk.items import DUE_SOON_DAYS, STALLED_DAYS, on_the_desk_of
from desk.models import Desk

# Reloads and clicks back to the desk within this while are one visit: they must not
# wipe "since your last visit" before it was read.
ONE_VISIT = datetime.timedelta(minutes=30)

# The changes listed, the latest first: enough to catch up, a page bounded whatever
# happened while the account was away.
CHANGES_SHOWN = 50


def note_the_visit(desk, now, language):
    """Mark a visit to `desk` at `now`, in `language` (the digest's language from then on).

    A visit more than ONE_VISIT after the last one begins a new visit: the last one
    becomes the previous one, which "since your last visit" counts from.
    """
    if desk.last_visit is None or now - desk.last_visit >= ONE_VISIT:
        desk.previous_visit = desk.last_visit
    desk.last_visit = now
    desk.language = language
    desk.save(update_fields=["previous_visit", "last_visit", "language"])


def request_language(request):
    """The request's language as one of settings.LANGUAGES, which the digest speaks."""
    try:
        return translation.get_supported_language_variant(request.LANGUAGE_CODE)
    except LookupError:
        return settings.LANGUAGE_CODE


@dataclass
class Change:
    """One historical record of something on the desk: who changed what, and when."""

    kind: str  # "agreement", "follow-up" or "event", as the page says it
    name: str
    url: str
    how: str  # added, changed or deleted
    who: str
    when: datetime.datetime
    reason: str
    fields: list = field(default_factory=list)  # the labels of the fields it changed


HOW = {
    "+": gettext_lazy("added"),
    "~": gettext_lazy("changed"),
    "-": gettext_lazy("deleted"),
}


def agreement_url(pk):
    return reverse("agreements:agreement_detail", args=[pk]) if pk else ""


def changed_fields(model, entry, previous):
    """The labels of the fields `entry` changed from `previous` (both history rows).

    Compared column by column, as cooperation.history does: a partial date's hidden
    first and last days go with the date itself, and the version is bookkeeping.
    """
    if previous is None:
        return []
    return [
        str(model_field.verbose_name)
        for model_field in tracked_fields(model)
        if model_field.editable
        and not model_field.primary_key
        and model_field.name not in NOT_COMPARED
        and getattr(entry, model_field.attname) != getattr(previous, model_field.attname)
    ]


def latest_history(model, condition, since, related=()):
    """The latest CHANGES_SHOWN history rows of `model` matching `condition` after
    `since` (all of them when None), each with the row before it: two queries."""
    history = model.history.model
    before = history.objects.filter(
        id=OuterRef("id"), history_date__lt=OuterRef("history_date")
    ).order_by("-history_date", "-history_id")
    rows = history.objects.filter(condition)
    if since is not None:
        rows = rows.filter(history_date__gt=since)
    rows = list(
        rows.select_related("history_user", *related)
        .annotate(previous_id=Subquery(before.values("history_id")[:1]))
        .order_by("-history_date", "-history_id")[:CHANGES_SHOWN]
    )
    previous = history.objects.in_bulk([row.previous_id for row in rows if row.previous_id])
    return [(row, previous.get(row.previous_id)) for row in rows]


def changes_on_the_desk_of(account, since):
    """What changed on the agreements and follow-ups `account` tracks, and on those
    agreements' events, after `since`: the latest CHANGES_SHOWN, the latest first.

    A record counts if it is on the desk now, or was when the history row was written
    (so that one deleted, or handed to someone else, still says so). Six queries.
    """
    agreements = Agreement.objects.filter(desk_officer=account).values("pk")
    follow_ups = FollowUp.objects.filter(desk_officer=account).values("pk")
    changes = []
    for entry, previous in latest_history(
        Agreement, Q(id__in=agreements) | Q(desk_officer=account), since
    ):
        changes.append(
            change(
                Agreement,
                entry,
                previous,
                kind=_("agreement"),
                name=entry.title,
                url="" if entry.history_type == "-" else agreement_url(entry.id),
            )
        )
    for entry, previous in latest_history(
        FollowUp, Q(id__in=follow_ups) | Q(desk_officer=account), since
    ):
        url = agreement_url(entry.agreement_id) or (
            reverse("meetings:meeting_detail", args=[entry.meeting_id]) if entry.meeting_id else ""
        )
        changes.append(
            change(FollowUp, entry, previous, kind=_("follow-up"), name=entry.action, url=url)
        )
    event_rows = latest_history(
        AgreementEvent, Q(agreement__in=agreements), since, related=["agreement"]
    )
    for entry, previous in event_rows:
        changes.append(
            change(
                AgreementEvent,
                entry,
                previous,
                kind=_("event"),
                name=_("%(event)s, %(date)s, on %(agreement)s")
                % {
                    "event": entry.get_kind_display(),
                    "date": entry.date,
                    "agreement": entry.agreement.title,
                },
                url=agreement_url(entry.agreement_id),
            )
        )
    changes.sort(key=lambda change: change.when, reverse=True)
    return changes[:CHANGES_SHOWN]


def change(model, entry, previous, *, kind, name, url):
    return Change(
        kind=kind,
        name=name,
        url=url,
        how=HOW.get(entry.history_type, ""),
        who=entry.history_user.get_username() if entry.history_user else _("the system"),
        when=entry.history_date,
        reason=entry.history_change_reason or "",
        fields=changed_fields(model, entry, previous) if entry.history_type == "~" else [],
    )


@permission_required("agreements.view_agreement", raise_exception=True)
@require_safe
def my_desk(request):
    """The signed-in account's desk: its follow-ups overdue, due soon or undated, its
    stalled agreements, and what changed on them since its last visit.

    Every account that may read the agreements has one (analysts, staff,
    administrators); it shows only what the account itself tracks.
    """
    account = request.user
    desk = Desk.of(account)
    note_the_visit(desk, timezone.now(), request_language(request))
    items = on_the_desk_of(account, datetime.date.today())
    overdue = list(items.overdue)
    context = {
        "desk": desk,
        "overdue": overdue,
        "due_soon": list(items.due_soon),
        "undated": list(items.undated),
        "stalled": list(items.stalled),
        "changes": changes_on_the_desk_of(account, desk.previous_visit),
        "changes_shown": CHANGES_SHOWN,
        "due_soon_days": DUE_SOON_DAYS,
        "stalled_days": STALLED_DAYS,
        # The navigation's count, already read here (desk/context_processors.py).
        "desk_overdue_count": len(overdue),
    }
    return render(request, "desk/desk.html", context)


class DigestForm(forms.Form):
    digest = forms.ChoiceField(choices=[("on", "on"), ("off", "off")])


@permission_required("agreements.view_agreement", raise_exception=True)
@require_POST
def digest_setting(request):
    """Switch the account's weekly digest on or off, and go back to its desk."""
    form = DigestForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(
            _('Say "on" or "off" to switch the weekly digest.'),
            content_type="text/plain; charset=utf-8",
        )
    desk = Desk.of(request.user)
    desk.digest = form.cleaned_data["digest"] == "on"
    desk.save(update_fields=["digest"])
    if desk.digest:
        messages.success(request, _("The weekly digest is on."))
    else:
        messages.success(request, _("The weekly digest is off."))
    return redirect("desk:my_desk")
