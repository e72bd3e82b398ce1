from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from cooperation.models import Source
from reading.recognize import Names, Reading
from reading.suggestions import Suggestions

# What a cited record's name is made of, read with its citation rather than one query
# a record (Membership: "Iran — observer of SCO", a post: its title and holder…).
NAMED_WITH = [
    "organization",
    "organization_name",
    "membership__organization",
    "membership__country",
    "person",
    "position__organization",
    "position__holder",
    "meeting",
    "participant__person",
    "participant__position__holder",
    "participant__organization",
    "outcome",
    "decision__membership__organization",
    "decision__membership__country",
    "decision__position__organization",
    "decision__position__holder",
    "agreement",
    "party__organization",
    "event",
    # A follow-up's page is its row on its agreement's page, or its meeting's.
    "follow_up__agreement",
    "follow_up__meeting",
]


def record_url(record):
    """Where staff see a cited record: its page on the site, or else its admin page."""
    if hasattr(record, "get_absolute_url"):
        return record.get_absolute_url()
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])


@permission_required("cooperation.change_source", raise_exception=True)
@require_safe
def source_reading(request, pk):
    """A source's text sentence by sentence: the names and dates recognized in it, what
    cites each sentence, and links that start an admin form from it."""
    source = get_object_or_404(Source, pk=pk)
    citations = source.citations.select_related(*NAMED_WITH).order_by("pk")
    reading = Reading(source, Names.of_records(), citations)
    suggestions = Suggestions(reading, source)
    only_left = request.GET.get("left") == "1"
    sentences = []
    for number, sentence in enumerate(reading.sentences, start=1):
        if only_left and sentence.citations:
            continue
        sentences.append(
            {
                "number": number,
                "sentence": sentence,
                "recognized": sentence.recognized(),
                "cited_by": [
                    {
                        "record": citation.cited_record,
                        "url": record_url(citation.cited_record),
                        "kind": citation.cited_record._meta.verbose_name,
                        "contradicts": citation.contradicts,
                    }
                    for citation in sentence.citations
                ],
                "cite": suggestions.cite_actions(sentence, sentence.passage),
                "new": suggestions.new_actions(sentence, sentence.passage),
            }
        )
    context = {
        "source": source,
        "reading": reading,
        "sentences": sentences,
        "only_left": only_left,
        "left": len(reading.sentences) - reading.cited_count,
    }
    return render(request, "reading/source_reading.html", context)
