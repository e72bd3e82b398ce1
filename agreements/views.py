"""The MOU follow-up status page, its exports, and one agreement's whole history."""

import datetime
import json
from collections import defaultdict

from django.contrib.auth.decorators import permission_required
from django.db.models import Count
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from agreements import overview
from agreements.filters import DEFAULT_STALLED_DAYS, SORT_COLUMNS, AgreementFilter
from agreements.models import Agreement, EventKind, Signatures
from agreements.rows import AGREEMENT_FIELDS, days_since, each_row, rows_of
from agreements.timeline import agreement_timeline
from cooperation import exports
from cooperation.middleware import form_reads_query
from cooperation.models import citations_by_source, with_sources
from cooperation.paging import page_or_404
from cooperation.sorting import sort_headings

PAGE_SIZE = 50
FORMATS = ("html", "csv", "json", "xlsx")


@form_reads_query
@permission_required("agreements.view_agreement", raise_exception=True)
@require_safe
def agreement_list(request):
    output = exports.asked_format(request)
    if output not in FORMATS:
        return exports.no_such_format(output, FORMATS[1:])
    filterset = AgreementFilter(request.GET, request=request)
    if not filterset.is_valid():
        context = {"filterset": filterset, "stalled_days": DEFAULT_STALLED_DAYS}
        return render(request, "agreements/agreement_list.html", context, status=400)

    agreements = filterset.qs  # in the order the filter's sort gives

    if output != "html":
        return export(request, agreements, output, filterset)

    page = page_or_404(agreements.values(*AGREEMENT_FIELDS), request, PAGE_SIZE)
    # One query for both the counts by status and the overview chart.
    by_status_and_age = {
        (row["status"], row["age"]): row["n"]
        for row in agreements.order_by()
        .annotate(age=overview.age(filterset.today))
        .values("status", "age")
        .annotate(n=Count("pk"))
    }
    counts = defaultdict(int)
    for (status, _age), n in by_status_and_age.items():
        counts[status] += n
    context = {
        "filterset": filterset,
        "as_of": filterset.as_of_day,
        "today": filterset.today,
        "stalled_days": filterset.stalled_days,
        "page": page,
        "rows": rows_of(page.object_list, filterset),
        "status_counts": [
            (kind, label, counts[kind]) for kind, label in EventKind.choices if kind in counts
        ],
        "without_events": counts.get(None, 0),
        "overview": overview.overview(by_status_and_age),
        "total": page.paginator.count,
        "query_without_page": query_without(request, "page"),
        "sort_columns": sort_headings(
            request,
            filterset.form.cleaned_data.get("sort") or [],
            SORT_COLUMNS,
            numeric={"last_activity"},
        ),
    }
    return render(request, "agreements/agreement_list.html", context)


def query_without(request, *names):
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def agreement_columns(request):
    """The columns of the CSV and Excel exports: what the page shows, a cell for each
    thing, each date as written with its first and last possible day beside it."""
    # Translated once, for every row.
    none = _("none")
    return [
        exports.Column(_("Id"), lambda row: row.pk),
        exports.Column(_("Agreement"), lambda row: row.title),
        exports.link_column(request, path=exports.page_of("agreements:agreement_detail")),
        exports.Column(_("Kind"), lambda row: row.kind_label),
        exports.Column(_("Parties"), lambda row: "; ".join(row.parties)),
        exports.Column(_("Status"), lambda row: row.status_label),
        *exports.partial_date_columns(
            _("Status date"),
            lambda row: row.status_date,
            first=_("Status date: first day"),
            last=_("Status date: last day"),
        ),
        exports.Column(_("Set at meeting"), lambda row: row.meeting_title or ""),
        # The status event is the latest activity.
        *exports.partial_date_columns(
            _("Last activity"),
            lambda row: row.status_date,
            first=_("Last activity: first day"),
            last=_("Last activity: last day"),
        ),
        exports.Column(_("Days since last activity, at least"), lambda row: row.days_since),
        exports.Column(_("Days since last activity, at most"), lambda row: row.days_since_max),
        exports.Column(_("Stalled"), lambda row: row.stalled),
        exports.Column(_("Overdue"), lambda row: row.overdue),
        *exports.partial_date_columns(
            _("Next due"),
            lambda row: row.next_due,
            first=_("Next due: first day"),
            last=_("Next due: last day"),
        ),
        exports.Column(_("Open follow-ups"), open_follow_ups),
        exports.Column(_("Open follow-ups: due"), lambda row: follow_ups_due(row, none)),
        exports.Column(_("Desk officer"), lambda row: row.desk_officer),
    ]


def open_follow_ups(row):
    """Each open follow-up and who owes it: "Facilitate the follow-up — BNPT; …"."""
    return "; ".join(" — ".join(filter(None, (f.action, f.owed_by))) for f in row.open_follow_ups)


def follow_ups_due(row, none="none"):
    """When each of open_follow_ups() is due, in the same order: "2014-01; none" (`none`
    the word for one without a due date, in the language of the request)."""
    return "; ".join(f.due.iso if f.due else none for f in row.open_follow_ups)


def export(request, agreements, output, filterset):
    """Every row of the filtered, sorted set: CSV and JSON streamed, never held in memory
    at once; a workbook built in a temporary file, up to exports.XLSX_MAX_ROWS rows."""
    name = f"agreements-{filterset.today.isoformat()}"
    if output == "xlsx" and (refused := exports.too_many_rows(agreements.count(), output)):
        return refused
    rows = each_row(agreements, filterset)
    if output != "json":
        return exports.export(rows, agreement_columns(request), output, name)
    records = (row.as_record() for row in rows)
    response = StreamingHttpResponse(
        exports.in_batches(json_lines(records)), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.json"'
    return response


def json_lines(records):
    yield "["
    for number, record in enumerate(records):
        yield ("," if number else "") + "\n" + json.dumps(record, ensure_ascii=False)
    yield "\n]\n"


@permission_required("agreements.view_agreement", raise_exception=True)
@require_safe
def agreement_detail(request, pk):
    agreement = get_object_or_404(
        Agreement.objects.with_status().prefetch_related("topics", with_sources()), pk=pk
    )
    today = datetime.date.today()
    party_links = list(
        agreement.party_links.with_signature(today)
        .select_related("organization__home_country")
        .prefetch_related(with_sources())
    )
    events = list(
        agreement.events.select_related("acting_party", "meeting__country", "country")
        .prefetch_related(with_sources())
        .order_by("date_first", "date_last", "pk")
    )
    follow_ups = list(
        agreement.follow_ups.select_related(
            "responsible_organization",
            "responsible_person",
            "requested_by_organization",
            "requested_by_person",
            "meeting__country",
        )
        .prefetch_related(with_sources())
        # Open now (is_open), and past due on the real today, as the status page marks it.
        .marking_overdue()
        .order_by("due_first", "pk")
    )
    meetings = {e.meeting.pk: e.meeting for e in events if e.meeting}
    meetings.update({f.meeting.pk: f.meeting for f in follow_ups if f.meeting})
    context = {
        "agreement": agreement,
        "status_label": Signatures.of(party_links).status_label(agreement.status),
        "party_links": party_links,
        "events": events,
        "follow_ups": follow_ups,
        "today": today,
        "days_since": days_since(agreement.status_date, today),
        "meetings": sorted(meetings.values(), key=lambda m: m.date.sort_key()),
        "timeline": agreement_timeline(events, today),
        "citations": citations_by_source(
            [(_("The agreement"), agreement)]
            + [
                (_("Party: %(party)s") % {"party": link.organization.short_name}, link)
                for link in party_links
            ]
            + [(f"{event.get_kind_display()}, {event.date}", event) for event in events]
            + [
                (_("Follow-up: %(action)s") % {"action": follow_up.action}, follow_up)
                for follow_up in follow_ups
            ]
        ),
    }
    return render(request, "agreements/agreement_detail.html", context)
