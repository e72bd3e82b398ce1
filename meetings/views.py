from django.contrib.auth.decorators import permission_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from cooperation.middleware import form_reads_query
from cooperation.models import citations_by_source, with_sources
from cooperation.paging import page_or_404
from meetings.filters import MeetingFilter
from meetings.models import Meeting, Participant

PAGE_SIZE = 50


def participants():
    return Participant.objects.select_related(
        "person", "position__holder", "organization"
    ).order_by("pk")


@form_reads_query
@permission_required("meetings.view_meeting", raise_exception=True)
@require_safe
def meeting_list(request):
    filterset = MeetingFilter(
        request.GET,
        queryset=Meeting.objects.select_related("country").prefetch_related(
            "topics", Prefetch("participants", queryset=participants())
        ),
    )
    if not filterset.is_valid():
        return render(request, "meetings/meeting_list.html", {"filterset": filterset}, status=400)
    meetings = filterset.qs.order_by("-date_first", "-date_last", "title", "pk")
    page = page_or_404(meetings, request, PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filterset": filterset, "page": page, "query_without_page": query.urlencode()}
    return render(request, "meetings/meeting_list.html", context)


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
        [("The meeting", meeting)]
        + [(f"Participant: {p.who}", p) for p in people]
        + [(f"{o.get_kind_display()}: {o.description}", o) for o in outcomes]
        + [(str(d), d) for d in decisions]
        + [(f"{e.agreement}: {e.get_kind_display()}", e) for e in agreement_events]
        + [(f"Follow-up: {f.action}", f) for f in follow_ups]
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
