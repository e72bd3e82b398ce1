import datetime
from collections import Counter

from django.contrib.auth.decorators import permission_required
from django.db.models import Count, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy
from django.views.decorators.http import require_safe

from cooperation import exports
from cooperation.middleware import form_reads_query
from cooperation.models import Topic, citations_by_source, with_sources
from cooperation.paging import page_or_404
from cooperation.sorting import sort_headings
from meetings.filters import NUMERIC_COLUMNS, SORT_COLUMNS, MeetingFilter
from meetings.models import Meeting, Outcome, OutcomeKind, Participant

PAGE_SIZE = 50
CHUNK = 500  # meetings fetched at a time by an export


def participants():
    return Participant.objects.select_related(
        "person", "position__holder", "organization"
    ).order_by("pk")


def count_of(relation, counted="pk"):
    """How many rows each meeting has of `relation` (a relation to it, by its name on
    Meeting), distinct by `counted`: 0 for none. A subquery, not a join, so that two
    counts do not multiply each other."""
    link = Meeting._meta.get_field(relation)
    rows = link.related_model.objects.filter(**{link.field.name: OuterRef("pk")})
    counts = rows.order_by().values(link.field.name).annotate(n=Count(counted, distinct=True))
    return Coalesce(Subquery(counts.values("n")), 0)


def with_results(meetings):
    """Meetings with what came of each (its outcomes, the agreements it moved, the
    follow-ups it created) and the keys its list sorts by (meetings.filters.SORT_COLUMNS).

    Agreement events and follow-ups are the agreements app's: read by their relations'
    names, as meeting_detail reads them, not by importing it.
    """
    first_topic = Topic.objects.filter(meetings=OuterRef("pk")).order_by("name", "pk")
    return meetings.annotate(
        place_key=Coalesce(NullIf("city", Value("")), "country__name"),
        participant_count=count_of("participants"),
        first_topic=Subquery(first_topic.values("name")[:1]),
        outcome_count=count_of("outcomes"),
        agreements_moved=count_of("agreement_events", counted="agreement"),
        follow_ups_created=count_of("follow_ups"),
    ).prefetch_related(
        "topics",
        Prefetch("participants", queryset=participants()),
        Prefetch("outcomes", queryset=Outcome.objects.only("meeting", "kind").order_by("pk")),
    )


# How many outcomes of each kind a meeting had, in words, in the kinds' order.
OUTCOMES_OF_KIND = {
    OutcomeKind.AGREED: ngettext_lazy("%(count)d agreed", "%(count)d agreed", "count"),
    OutcomeKind.REQUESTED: ngettext_lazy("%(count)d requested", "%(count)d requested", "count"),
    OutcomeKind.COMMITTED: ngettext_lazy("%(count)d committed", "%(count)d committed", "count"),
    OutcomeKind.STATED: ngettext_lazy(
        "%(count)d position stated", "%(count)d position stated", "count"
    ),
}


def outcomes_in_words(meeting):
    """Its outcomes by kind, in the kinds' order: "2 agreed, 1 requested"."""
    counts = Counter(outcome.kind for outcome in meeting.outcomes.all())
    return ", ".join(
        OUTCOMES_OF_KIND[kind] % {"count": counts[kind]} for kind in OutcomeKind if counts[kind]
    )


FORMATS = ("html", *exports.FORMATS)


@form_reads_query
@permission_required("meetings.view_meeting", raise_exception=True)
@require_safe
def meeting_list(request):
    output = exports.asked_format(request)
    if output not in FORMATS:
        return exports.no_such_format(output, FORMATS[1:])
    filterset = MeetingFilter(
        request.GET, queryset=with_results(Meeting.objects.select_related("country"))
    )
    if not filterset.is_valid():
        return render(request, "meetings/meeting_list.html", {"filterset": filterset}, status=400)
    meetings = filterset.qs  # in the order the filter's sort gives
    if output != "html":
        if output == "xlsx" and (refused := exports.too_many_rows(meetings.count(), output)):
            return refused
        return exports.export(
            meetings.iterator(chunk_size=CHUNK),
            meeting_columns(request),
            output,
            f"meetings-{datetime.date.today().isoformat()}",
        )
    page = page_or_404(meetings, request, PAGE_SIZE)
    page.object_list = list(page.object_list)
    for meeting in page.object_list:
        meeting.outcomes_in_words = outcomes_in_words(meeting)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filterset": filterset,
        "page": page,
        "query_without_page": query.urlencode(),
        "sort_columns": sort_headings(
            request,
            filterset.form.cleaned_data.get("sort") or [],
            SORT_COLUMNS,
            numeric=NUMERIC_COLUMNS,
        ),
    }
    return render(request, "meetings/meeting_list.html", context)


def meeting_columns(request):
    """The columns of the meetings list's CSV and Excel exports."""
    return [
        exports.Column(_("Id"), lambda meeting: meeting.pk),
        exports.Column(_("Meeting"), lambda meeting: meeting.title),
        exports.link_column(request, path=exports.page_of("meetings:meeting_detail")),
        exports.Column(_("Kind"), lambda meeting: meeting.get_kind_display()),
        *exports.partial_date_columns(
            _("Date"),
            lambda meeting: meeting.date,
            first=_("Date: first day"),
            last=_("Date: last day"),
        ),
        exports.Column(_("City"), lambda meeting: meeting.city),
        exports.Column(
            _("Country"), lambda meeting: meeting.country.name if meeting.country else ""
        ),
        exports.Column(
            _("Participants"),
            lambda meeting: "; ".join(
                f"{p.who} ({p.organization.short_name})" for p in meeting.participants.all()
            ),
        ),
        exports.Column(
            _("Topics"), lambda meeting: "; ".join(str(topic) for topic in meeting.topics.all())
        ),
        exports.Column(_("Outcomes"), lambda meeting: meeting.outcome_count),
        exports.Column(_("Outcomes by kind"), outcomes_in_words),
        exports.Column(_("Agreements moved"), lambda meeting: meeting.agreements_moved),
        exports.Column(_("Follow-ups created"), lambda meeting: meeting.follow_ups_created),
        exports.Column(_("Purpose"), lambda meeting: meeting.purpose),
    ]


@permission_required("meetings.view_meeting", raise_exception=True)
@require_safe
def meeting_detail(request, pk):
    meeting = get_object_or_404(
        Meeting.objects.select_related("country").prefetch_related("topics", with_sources()), pk=pk
    )
    people = list(
        meeting.participants.select_related("person", "position__holder", "organization")
        .prefetch_related(with_sources())
        .order_by("pk")
    )
    outcomes = list(
        meeting.outcomes.select_related("organization")
        .prefetch_related(with_sources())
        .order_by("pk")
    )
    decisions = list(
        meeting.decisions.select_related(
            "membership__organization",
            "membership__country",
            "position__organization",
            "position__holder",
        )
        .prefetch_related(with_sources())
        .order_by("change", "pk")
    )
    # Reverse relations: agreements depend on meetings, not the other way round.
    agreement_events = list(
        meeting.agreement_events.select_related("agreement")
        .prefetch_related(with_sources())
        .order_by("agreement__title", "date_first", "pk")
    )
    follow_ups = list(
        meeting.follow_ups.select_related(
            "agreement", "responsible_organization", "responsible_person"
        )
        .prefetch_related(with_sources())
        .order_by("due_first", "pk")
    )
    cited = (
        [(_("The meeting"), meeting)]
        + [(_("Participant: %(who)s") % {"who": p.who}, p) for p in people]
        + [(f"{o.get_kind_display()}: {o.description}", o) for o in outcomes]
        + [(str(d), d) for d in decisions]
        + [(f"{e.agreement}: {e.get_kind_display()}", e) for e in agreement_events]
        + [(_("Follow-up: %(action)s") % {"action": f.action}, f) for f in follow_ups]
    )
    context = {
        "meeting": meeting,
        "participants": people,
        "outcomes": outcomes,
        "decisions": decisions,
        "agreement_events": agreement_events,
        "follow_ups": follow_ups,
        "citations": citations_by_source(cited),
    }
    return render(request, "meetings/meeting_detail.html", context)
