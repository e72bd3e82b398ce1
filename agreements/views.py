"""The MOU follow-up status page, its exports, and one agreement's whole history."""

import datetime
import json

from django.contrib.auth.decorators import permission_required
from django.db.models import Count
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from agreements.filters import DEFAULT_STALLED_DAYS, SORT_COLUMNS, AgreementFilter
from agreements.models import Agreement, EventKind, Signatures
from agreements.rows import AGREEMENT_FIELDS, batched, days_since, each_row, rows_of
from agreements.timeline import agreement_timeline
from cooperation import exports
from cooperation.middleware import form_reads_query
from cooperation.models import citations_by_source, with_sources
from cooperation.paging import page_or_404

PAGE_SIZE = 50
FORMATS = ("html", "csv", "json")


@form_reads_query
@permission_required("agreements.view_agreement", raise_exception=True)
@require_safe
def agreement_list(request):
    filterset = AgreementFilter(request.GET)
    output = request.GET.get("format", "html")
    valid = filterset.is_valid()
    if output not in FORMATS:
        # Listed with the filters' errors: a format is one more thing the URL asks for.
        filterset.form.add_error(None, f"There is no “{output}” format: use html, csv or json.")
        valid = False
    if not valid:
        context = {"filterset": filterset, "stalled_days": DEFAULT_STALLED_DAYS}
        return render(request, "agreements/agreement_list.html", context, status=400)

    agreements = filterset.qs  # in the order the filter's sort gives

    if output != "html":
        return export(agreements, output, filterset)

    page = page_or_404(agreements.values(*AGREEMENT_FIELDS), request, PAGE_SIZE)
    counts = {
        row["status"]: row["n"]
        for row in agreements.order_by().values("status").annotate(n=Count("pk"))
    }
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
        "total": page.paginator.count,
        "query_without_page": query_without(request, "page"),
        "sort_columns": sort_columns(request, filterset.form.cleaned_data.get("sort") or []),
    }
    return render(request, "agreements/agreement_list.html", context)


def sort_columns(request, current):
    """Each column's heading, the link that sorts by it, and how it is sorted now."""
    base = query_without(request, "page", "sort")
    columns = []
    for name, label, _ in SORT_COLUMNS:
        if current == [name]:
            direction, target = "ascending", f"-{name}"
        elif current == [f"-{name}"]:
            direction, target = "descending", name
        else:
            direction, target = "", name
        url = f"?{base}&sort={target}" if base else f"?sort={target}"
        columns.append(
            {"label": label, "url": url, "direction": direction, "num": name == "last_activity"}
        )
    return columns


def query_without(request, *names):
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


# Each date as written, then its first and last possible day (exports.partial_date_cells).
CSV_COLUMNS = [
    "id",
    "title",
    "kind",
    "parties",
    "status",
    *exports.partial_date_headings("status_date"),
    "set_at_meeting",
    *exports.partial_date_headings("last_activity"),
    "days_since_min",
    "days_since_max",
    "stalled",
    "overdue",
    *exports.partial_date_headings("next_due"),
    "open_follow_ups",
]


def export(agreements, output, filterset):
    """Every row of the filtered, sorted set, streamed, never held in memory at once."""
    rows = (row.as_record() for row in each_row(agreements, filterset))
    stamp = filterset.today.isoformat()
    if output == "csv":
        body = in_batches(csv_lines(rows))
        response = StreamingHttpResponse(body, content_type="text/csv; charset=utf-8")
    else:
        body = in_batches(json_lines(rows))
        response = StreamingHttpResponse(body, content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="agreements-{stamp}.{output}"'
    return response


def in_batches(lines, size=100):
    """Join lines `size` at a time: a response chunk per row costs more than the row."""
    for batch in batched(lines, size):
        yield "".join(batch)


def csv_lines(records):
    return exports.csv_lines(CSV_COLUMNS, (csv_row(record) for record in records))


def csv_row(record):
    """A record of as_record() as CSV cells: lists joined into one text, flags as words."""
    record["parties"] = "; ".join(record["parties"])
    record["open_follow_ups"] = "; ".join(
        " — ".join(
            part for part in (f["action"], f["owed_by"], f["due"] and f"due {f['due']}") if part
        )
        for f in record["open_follow_ups"]
    )
    record["stalled"] = "yes" if record["stalled"] else "no"
    record["overdue"] = "yes" if record["overdue"] else "no"
    return [record[column] for column in CSV_COLUMNS]


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
            [("The agreement", agreement)]
            + [(f"Party: {link.organization.short_name}", link) for link in party_links]
            + [(f"{event.get_kind_display()}, {event.date}", event) for event in events]
            + [(f"Follow-up: {follow_up.action}", follow_up) for follow_up in follow_ups]
        ),
    }
    return render(request, "agreements/agreement_detail.html", context)
