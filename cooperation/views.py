import datetime
import sys
from dataclasses import dataclass

from django.contrib.auth.decorators import login_not_required, permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.utils.timesince import timesince
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_deny
from django.views.decorators.http import require_safe
from django.views.generic import ListView
from psycopg2.errors import QueryCanceled

from cooperation import exports, organization_page
from cooperation.charts import membership_chart
from cooperation.forms import AsOfForm
from cooperation.models import (
    Membership,
    Organization,
    Source,
    citations_by_source,
    sources_named,
    with_sources,
)

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
    context = {"record": target, "model_name": target._meta.verbose_name if target else "record"}
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


def confirmed_before(period, day):
    """How long before `day` a source last confirmed `period`: "13 years"; "" if never
    or not before."""
    confirmed = period.last_confirmed
    if confirmed is None or confirmed.last >= day:
        return ""
    return timesince(confirmed.last, day, depth=1)


class OrganizationListView(PermissionRequiredMixin, ListView):
    permission_required = "cooperation.view_organization"
    raise_exception = True
    paginate_by = 50
    queryset = Organization.objects.select_related("parent", "home_country").order_by("name", "pk")


@permission_required("cooperation.view_organization", raise_exception=True)
@require_safe
def organization_detail(request, slug):
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

    memberships = list(
        organization.memberships.with_certainty_on(day)
        .select_related("country")
        .prefetch_related(with_sources())
        .order_by("country__name", "start_first", "attested_first")
    )
    held = [m for m in memberships if m.held]
    for record in held:
        record.confirmed_before = confirmed_before(record, day)
    by_status = [
        StatusOnTheDay(
            label,
            known=[m for m in held if m.status == status and not m.presumed],
            presumed=[m for m in held if m.status == status and m.presumed],
        )
        for status, label in Membership.Status.choices
    ]
    positions = list(
        organization.positions.with_certainty_on(day)
        .select_related("holder")
        .prefetch_related(with_sources())
        .order_by("title", "start_first", "attested_first", "pk")
    )
    for record in positions:
        record.confirmed_before = confirmed_before(record, day)
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
        "held_count": len(held),
        "presumed_count": sum(1 for m in held if m.presumed),
        "chart": membership_chart(memberships, day, today),
        "positions": positions,
        # What the apps above this one show of the organization: its agreements, its
        # meetings (see cooperation/organization_page.py).
        "parts": organization_page.parts(organization, as_of_form.cleaned_data["as_of"]),
        "citations": citations_by_source(
            [("The organization", organization)]
            + [(str(m), m) for m in memberships]
            + [(str(p), p) for p in positions]
        ),
    }
    return render(request, "cooperation/organization_detail.html", context)


# Each date as written, then its first and last possible day (exports.partial_date_cells).
MEMBER_COLUMNS = [
    "country",
    "country_code",
    "status",
    "on_day",
    "certainty",
    *exports.partial_date_headings("last_confirmed"),
    *exports.partial_date_headings("start"),
    *exports.partial_date_headings("end"),
    "source",
]


def member_row(membership, day):
    """One country of the export, as a record of MEMBER_COLUMNS."""
    return {
        "country": membership.country.name,
        "country_code": membership.country.code,
        "status": membership.get_status_display(),
        "on_day": day.isoformat(),
        "certainty": "presumed" if membership.presumed else "known",
        **exports.partial_date_cells("last_confirmed", membership.last_confirmed),
        **exports.partial_date_cells("start", membership.start),
        **exports.partial_date_cells("end", membership.end),
        "source": sources_named(membership),
    }


@permission_required("cooperation.view_membership", raise_exception=True)
@require_safe
def organization_members_csv(request, slug):
    """The countries holding a status in the organization on a day, as the page lists
    them, each known or presumed, with the last date a source confirms it."""
    organization = get_object_or_404(Organization, slug=slug)
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
    rows = (
        [record[column] for column in MEMBER_COLUMNS]
        for record in (member_row(membership, day) for membership in memberships)
    )
    response = HttpResponse(
        "".join(exports.csv_lines(MEMBER_COLUMNS, rows)), content_type="text/csv; charset=utf-8"
    )
    name = f"{organization.slug}-countries-{day.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@permission_required("cooperation.view_source", raise_exception=True)
@require_safe
def source_file(request, pk):
    """A source's original file, as it was uploaded, from wherever the storage keeps it."""
    source = get_object_or_404(Source, pk=pk)
    if not source.file:
        raise Http404("This source has no file kept.")
    try:
        kept = source.file.storage.open(source.file.name, "rb")
    except FileNotFoundError:
        raise Http404("This source's file is missing from the storage.") from None
    return FileResponse(kept, as_attachment=True, filename=source.file_name)
