import datetime
import sys
from collections import defaultdict
from dataclasses import dataclass
from operator import attrgetter

from django.contrib.auth.decorators import login_not_required, permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.db.models import Prefetch, Q
from django.db.models.functions import Coalesce
from django.http import (
    FileResponse,
    Http404,
    HttpResponseBadRequest,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_deny
from django.views.decorators.http import require_safe
from django.views.generic import ListView
from psycopg2.errors import QueryCanceled

from cooperation import briefing, exports, organization_page, person_page
from cooperation.charts import membership_chart
from cooperation.filters import PeopleFilter
from cooperation.forms import AsOfForm
from cooperation.models import (
    Membership,
    Organization,
    Person,
    Position,
    Source,
    citations_by_source,
    sources_named,
    with_sources,
)
from cooperation.paging import page_or_404

# Seconds after which a client may try again during a database outage.
RETRY_AFTER = "30"


@require_safe
def home(request):
    return redirect("agreements:agreement_list")


@login_not_required
@never_cache
@xframe_options_deny  # served ahead of XFrameOptionsMiddleware
@require_safe
def healthz(request):
    """Liveness and database readiness, for a load balancer; it tells nothing else.

    Served by cooperation.middleware.HealthProbeMiddleware, ahead of sessions and logins.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        response = JsonResponse({"alive": True, "database": "unavailable"}, status=503)
        response["Retry-After"] = RETRY_AFTER
        return response
    return JsonResponse({"alive": True, "database": "ready"})


@login_not_required
def server_error(request):
    """handler500: a database that cannot be reached is an outage (503), not a bug; nor
    is a statement the database cut for running too long (503, saying to narrow it).

    Called while the exception is being handled, so sys.exc_info() tells which it
    was. The pages say nothing of the error itself, and touch no database.
    """
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError) and isinstance(error.__cause__, QueryCanceled):
        # Cut by the statement timeout (cooperation/database.py): not an outage, and the
        # same request would take as long again, so no Retry-After.
        return HttpResponseServerError(loader.render_to_string("503_too_long.html"), status=503)
    if isinstance(error, OperationalError | InterfaceError):
        response = HttpResponseServerError(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = RETRY_AFTER
        return response
    return HttpResponseServerError(loader.render_to_string("500.html"))


def edit_conflict(request, target=None):
    """django-concurrency's 409 handler, for a conflict that got past the form's check."""
    context = {"record": target, "model_name": target._meta.verbose_name if target else _("record")}
    return render(request, "409.html", context, status=409)


@dataclass
class StatusOnTheDay:
    """The countries holding one status on the page's day, known apart from presumed."""

    label: str
    known: list
    presumed: list

    @property
    def count(self):
        return len(self.known) + len(self.presumed)

    def presumed_by_confirmation(self):
        """The presumed ones by the last date a source confirms them, the latest first:
        [(that date or None, how long before the day, [memberships])]."""
        groups = {}
        for membership in self.presumed:
            key = (membership.last_confirmed, membership.confirmed_before)
            groups.setdefault(key, []).append(membership)
        ordered = sorted(groups, key=lambda key: key[0].sort_key() if key[0] else (), reverse=True)
        return [(confirmed, before, groups[(confirmed, before)]) for confirmed, before in ordered]


def confirmed_before(period, day):
    """How long before `day` a source last confirmed `period`: "13 years"; "" if never
    or not before."""
    confirmed = period.last_confirmed
    if confirmed is None or confirmed.last >= day:
        return ""
    return timesince(confirmed.last, day, depth=1)


def memberships_on(organization, day):
    """Every membership in `organization`, each with its certainty on `day` and its
    sources, by country: what its pages read."""
    return list(
        organization.memberships.with_certainty_on(day)
        .select_related("country")
        .prefetch_related(with_sources())
        .order_by("country__name", "start_first", "attested_first")
    )


def statuses_on(memberships, day):
    """The countries of `memberships` (memberships_on) holding each status on `day`,
    known apart from presumed; each with how long before `day` a source last confirmed it."""
    held = [m for m in memberships if m.held]
    for record in held:
        record.confirmed_before = confirmed_before(record, day)
    return [
        StatusOnTheDay(
            label,
            known=[m for m in held if m.status == status and not m.presumed],
            presumed=[m for m in held if m.status == status and m.presumed],
        )
        for status, label in Membership.Status.choices
    ]


def posts_on(positions, day):
    """`positions` (a queryset of posts), each with its certainty on `day`, how long
    before it a source last confirmed it, and its sources."""
    positions = list(
        positions.with_certainty_on(day)
        .select_related("holder", "organization")
        .prefetch_related(with_sources())
        .order_by("title", "start_first", "attested_first", "pk")
    )
    for record in positions:
        record.confirmed_before = confirmed_before(record, day)
    return positions


class OrganizationListView(PermissionRequiredMixin, ListView):
    permission_required = "cooperation.view_organization"
    raise_exception = True
    paginate_by = 50
    queryset = Organization.objects.select_related("parent", "home_country").order_by("name", "pk")


@permission_required("cooperation.view_organization", raise_exception=True)
@require_safe
def organization_detail(request, slug):
    output = exports.asked_format(request)
    if output != "html":
        # Its countries on the day, as a file.
        return organization_members_export(request, slug, output)
    organization = get_object_or_404(
        Organization.objects.select_related(
            "parent", "home_country", "accredited_to"
        ).prefetch_related(with_sources()),
        slug=slug,
    )
    as_of_form = AsOfForm(request.GET)
    if not as_of_form.is_valid():
        context = {
            "organization": organization,
            "as_of_form": as_of_form,
            "parts": organization_page.empty_parts(),
        }
        return render(request, "cooperation/organization_detail.html", context, status=400)
    today = datetime.date.today()
    day = as_of_form.cleaned_data["as_of"] or today

    memberships = memberships_on(organization, day)
    by_status = statuses_on(memberships, day)
    positions = posts_on(organization.positions.all(), day)
    # The meetings that decided their starts and ends, when the meetings app is there.
    organization_page.decided_at(memberships, positions)
    context = {
        "organization": organization,
        "as_of_form": as_of_form,
        "day": day,
        "is_today": day == today,
        "children": organization.children.order_by("name"),
        "other_names": organization.other_names.all(),
        "by_status": by_status,
        "held_count": sum(status.count for status in by_status),
        "presumed_count": sum(len(status.presumed) for status in by_status),
        "chart": membership_chart(memberships, day, today),
        "positions": positions,
        # What the apps above this one show of the organization: its agreements, its
        # meetings (see cooperation/organization_page.py).
        "parts": organization_page.parts(organization, as_of_form.cleaned_data["as_of"]),
        "citations": citations_by_source(
            [(_("The organization"), organization)]
            + [(str(m), m) for m in memberships]
            + [(str(p), p) for p in positions]
        ),
    }
    return render(request, "cooperation/organization_detail.html", context)


@permission_required("cooperation.view_organization", raise_exception=True)
@require_safe
def organization_brief(request, slug):
    """A briefing on the organization and its bodies for an ambassador about to meet it,
    printable on two A4 sheets: its open agreements and who owes what, its last meetings
    and what came of them (the parts of cooperation/briefing.py), its people, its
    countries on the day with their certainty; every fact numbered to its source."""
    organization = get_object_or_404(
        Organization.objects.select_related("parent").prefetch_related(with_sources()),
        slug=slug,
    )
    as_of_form = AsOfForm(request.GET)
    if not as_of_form.is_valid():
        context = {
            "organization": organization,
            "as_of_form": as_of_form,
            "parts": briefing.empty_parts(),
        }
        return render(request, "cooperation/organization_brief.html", context, status=400)
    as_of = as_of_form.cleaned_data["as_of"]
    today = datetime.date.today()
    day = as_of or today
    organizations = list(Organization.objects.within(organization).order_by("name", "pk"))
    parts = briefing.parts(organization, organizations, as_of)
    by_status = statuses_on(memberships_on(organization, day), day)
    positions = posts_on(Position.objects.filter(organization__in=organizations).on(day), day)
    held = [m for status in by_status for m in status.known + status.presumed]
    context = {
        "organization": organization,
        "as_of_form": as_of_form,
        "day": day,
        "is_today": day == today,
        "bodies": [body for body in organizations if body != organization],
        "parts": parts,
        "positions": positions,
        "by_status": by_status,
        "held_count": len(held),
        # Numbered in the order the briefing shows its records.
        "sources": briefing.number_references(
            [organization]
            + [record for part in parts for record in part["cited"]]
            + positions
            + held
        ),
    }
    return render(request, "cooperation/organization_brief.html", context)


def confirmed_and_period_columns():
    """A membership's or a post's dates, in an export: last confirmed, start and end, each
    as written and by the first and last day it can mean."""
    return [
        *exports.partial_date_columns(
            _("Last confirmed"),
            attrgetter("last_confirmed"),
            first=_("Last confirmed: first day"),
            last=_("Last confirmed: last day"),
        ),
        *exports.partial_date_columns(
            _("Start"), attrgetter("start"), first=_("Start: first day"), last=_("Start: last day")
        ),
        *exports.partial_date_columns(
            _("End"), attrgetter("end"), first=_("End: first day"), last=_("End: last day")
        ),
    ]


def member_columns(day):
    """The columns of the export of an organization's countries on `day`."""
    # Translated once, for every row.
    presumed, known = _("presumed"), _("known")
    return [
        exports.Column(_("Country"), lambda membership: membership.country.name),
        exports.Column(_("Country code"), lambda membership: membership.country.code),
        exports.Column(_("Status"), lambda membership: membership.get_status_display()),
        exports.Column(_("On day"), lambda membership: day),
        exports.Column(
            _("Certainty"), lambda membership: presumed if membership.presumed else known
        ),
        *confirmed_and_period_columns(),
        exports.Column(_("Sources"), sources_named),
    ]


@permission_required("cooperation.view_membership", raise_exception=True)
@require_safe
def organization_members_export(request, slug, output):
    """The countries holding a status in the organization on a day, as the page lists
    them, each known or presumed, with the last date a source confirms it."""
    organization = get_object_or_404(Organization, slug=slug)
    if output not in exports.FORMATS:
        return exports.no_such_format(output, exports.FORMATS)
    as_of_form = AsOfForm(request.GET)
    if not as_of_form.is_valid():
        errors = "; ".join(as_of_form.errors["as_of"])
        return HttpResponseBadRequest(f"as_of: {errors}", content_type="text/plain; charset=utf-8")
    day = as_of_form.cleaned_data["as_of"] or datetime.date.today()
    memberships = (
        organization.memberships.on(day)
        .with_certainty_on(day)
        .select_related("country")
        .prefetch_related(with_sources())
        .order_by("status", "country__name", "pk")
    )
    name = f"{organization.slug}-countries-{day.isoformat()}"
    return exports.export(memberships, member_columns(day), output, name)


def organization_members_csv(request, slug):
    """The address the members' CSV export had before `?format=` did it."""
    return organization_members_export(request, slug, "csv")


PEOPLE_PAGE_SIZE = 50


@permission_required("cooperation.view_person", raise_exception=True)
@require_safe
def person_list(request):
    """Everyone recorded, found by any spelling of their name, with the posts they hold
    today, known or presumed."""
    today = datetime.date.today()
    posts_today = (
        Position.objects.on(today)
        .with_certainty_on(today)
        .select_related("organization")
        .order_by("title", "pk")
    )
    filterset = PeopleFilter(
        request.GET,
        queryset=Person.objects.prefetch_related(
            Prefetch("positions", queryset=posts_today, to_attr="posts_today")
        ),
    )
    if not filterset.is_valid():
        return render(request, "cooperation/person_list.html", {"filterset": filterset}, status=400)
    page = page_or_404(filterset.qs.order_by("name", "pk"), request, PEOPLE_PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filterset": filterset, "page": page, "query_without_page": query.urlencode()}
    return render(request, "cooperation/person_list.html", context)


def spellings(person):
    """The other names of `person`, one a line as staff type them."""
    return [line.strip() for line in person.other_names.splitlines() if line.strip()]


def same_posts(positions, person):
    """Give each of `person`'s `positions` `others`: the records of the same post (its
    title in its organization) held by someone else, named or not, such as an unnamed
    predecessor. In one query."""
    by_post = defaultdict(list)
    if positions:
        post = Q()
        for position in positions:
            post |= Q(organization=position.organization_id, title=position.title)
        others = (
            Position.objects.filter(post)
            .exclude(holder=person)
            .select_related("holder")
            .order_by(Coalesce("start_first", "attested_first").asc(nulls_first=True), "pk")
        )
        for other in others:
            by_post[(other.organization_id, other.title)].append(other)
    for position in positions:
        position.others = by_post[(position.organization_id, position.title)]


def posts_over_time(person, day):
    """`person`'s posts, the earliest first, each with its certainty on `day` and its
    sources: what their page and its export list."""
    return (
        person.positions.with_certainty_on(day)
        .select_related("organization")
        .prefetch_related(with_sources())
        .order_by(Coalesce("start_first", "attested_first").asc(nulls_first=True), "title", "pk")
    )


@permission_required("cooperation.view_person", raise_exception=True)
@require_safe
def person_detail(request, slug):
    """A person: their names, their posts over time with what is known of each on a day
    (`?as_of=`), and what the apps above add (cooperation/person_page.py): the meetings
    they attended, the follow-ups they owe and asked for."""
    output = exports.asked_format(request)
    if output != "html":
        # Their posts, with what is known of each on the day, as a file.
        return person_posts_export(request, slug, output)
    person = get_object_or_404(Person.objects.prefetch_related(with_sources()), slug=slug)
    as_of_form = AsOfForm(request.GET)
    if not as_of_form.is_valid():
        context = {
            "person": person,
            "other_names": spellings(person),
            "as_of_form": as_of_form,
            "parts": person_page.empty_parts(),
        }
        return render(request, "cooperation/person_detail.html", context, status=400)
    today = datetime.date.today()
    day = as_of_form.cleaned_data["as_of"] or today
    positions = list(posts_over_time(person, day))
    for record in positions:
        record.confirmed_before = confirmed_before(record, day)
    same_posts(positions, person)
    organization_page.decided_at([], positions)
    parts = person_page.parts(person, as_of_form.cleaned_data["as_of"])
    context = {
        "person": person,
        "other_names": spellings(person),
        "as_of_form": as_of_form,
        "day": day,
        "is_today": day == today,
        "positions": positions,
        "held": [record for record in positions if record.held],
        "parts": parts,
        "citations": citations_by_source(
            [(str(person), person)]
            + [(f"{p.title}, {p.organization.short_name}", p) for p in positions]
            + [cited for part in parts for cited in part.get("cited", [])]
        ),
    }
    return render(request, "cooperation/person_detail.html", context)


def certainty_words():
    """How the person's page says a post on its day: {"not held": …, "presumed": …,
    "known": …}, in the active language: read once for the rows of an export."""
    return {"not held": _("not held"), "presumed": _("presumed"), "known": _("known")}


def certainty_on_the_day(position, words=None):
    """A post on the page's day, in words, as the person's page says it."""
    words = words or certainty_words()
    if not position.held:
        return words["not held"]
    return words["presumed"] if position.presumed else words["known"]


def post_columns(request, day):
    """The columns of the export of a person's posts, with what is known of each on `day`."""
    words = certainty_words()
    return [
        exports.Column(_("Post"), lambda position: position.title),
        exports.Column(_("Organization"), lambda position: position.organization.name),
        exports.link_column(
            request,
            _("Organization page"),
            lambda position: position.organization.get_absolute_url(),
        ),
        exports.Column(_("On day"), lambda position: day),
        exports.Column(_("Certainty"), lambda position: certainty_on_the_day(position, words)),
        *confirmed_and_period_columns(),
        exports.Column(
            _("Ended, date unknown"), lambda position: position.ended and not position.end
        ),
        exports.Column(_("Sources"), sources_named),
    ]


@permission_required("cooperation.view_position", raise_exception=True)
@require_safe
def person_posts_export(request, slug, output):
    """A person's posts over time, as the page lists them, each known, presumed or not
    held on the day asked for (`?as_of=`, today when blank)."""
    person = get_object_or_404(Person, slug=slug)
    if output not in exports.FORMATS:
        return exports.no_such_format(output, exports.FORMATS)
    as_of_form = AsOfForm(request.GET)
    if not as_of_form.is_valid():
        errors = "; ".join(as_of_form.errors["as_of"])
        return HttpResponseBadRequest(f"as_of: {errors}", content_type="text/plain; charset=utf-8")
    day = as_of_form.cleaned_data["as_of"] or datetime.date.today()
    positions = posts_over_time(person, day)
    name = f"{person.slug}-posts-{day.isoformat()}"
    return exports.export(positions, post_columns(request, day), output, name)


@permission_required("cooperation.view_source", raise_exception=True)
@require_safe
def source_file(request, pk):
    """A source's original file, as it was uploaded, from wherever the storage keeps it."""
    source = get_object_or_404(Source, pk=pk)
    if not source.file:
        raise Http404(_("This source has no file kept."))
    try:
        kept = source.file.storage.open(source.file.name, "rb")
    except FileNotFoundError:
        raise Http404(_("This source's file is missing from the storage.")) from None
    return FileResponse(kept, as_attachment=True, filename=source.file_name)
