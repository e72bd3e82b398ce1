"""An organization's briefing: the parts other apps add to it, and its numbered references.

The core app imports nothing from meetings or agreements. An app with something to brief
on adds a part here from its AppConfig.ready(), as on the organization's page
(organization_page.py): the template that draws it, and a function
`(organization, organizations, as_of)` that returns the values the template shows, as a
dict. `organizations` is the organization and its bodies at every depth
(Organization.objects.within, read once for every part); `as_of` is the day asked for,
None for today. The briefing shows the parts in the order of their `position`, before
the people and the countries. A part's `cited` values, its records in the order it shows
them, with their citations prefetched (with_sources), get their reference numbers.
"""

from dataclasses import dataclass, field

_parts = []  # (position, template name, function)


def add_part(template_name, function, *, position):
    if not any(added is function for _, _, added in _parts):  # ready() may run twice
        _parts.append((position, template_name, function))


def parts(organization, organizations, as_of):
    """Each app's part of `organization`'s briefing, in order."""
    return [
        {"template_name": template_name, **function(organization, organizations, as_of)}
        for _, template_name, function in sorted(_parts, key=lambda part: part[0])
    ]


def empty_parts():
    """The parts with no values, for a briefing whose day could not be read: they show
    their headings only."""
    return [
        {"template_name": template_name}
        for _, template_name, _ in sorted(_parts, key=lambda part: part[0])
    ]


@dataclass
class Dispute:
    """A source that contradicts a record: its reference number and what it states."""

    number: int
    states_instead: str


@dataclass
class SourceListed:
    """A source in the briefing's list: its numbered passages, [(number, passage)]."""

    source: object
    passages: list = field(default_factory=list)


def number_references(records):
    """Number the sources of `records` (in the order the briefing shows them, their
    citations prefetched with their sources) for the briefing's source list.

    Each passage of a source gets one number, wherever it is cited; the numbers run
    source by source, in the order the sources are first cited, so that the list reads
    in order. Gives each record `references`, the numbers of the passages that support
    it, and `disputes`, those that contradict it; returns the list of sources.
    """
    listed = {}  # {source: {passage: number}}, numbered below
    for record in records:
        for citation in record.citations.all():
            if citation.source_id:
                listed.setdefault(citation.source, {}).setdefault(citation.passage, None)
    number = 0
    sources = []
    for source, passages in listed.items():
        entry = SourceListed(source)
        for passage in passages:
            number += 1
            passages[passage] = number
            entry.passages.append((number, passage))
        sources.append(entry)
    for record in records:
        cited = [c for c in record.citations.all() if c.source_id]
        record.references = sorted(
            {listed[c.source][c.passage] for c in cited if not c.contradicts}
        )
        record.disputes = [
            Dispute(listed[c.source][c.passage], c.states_instead) for c in cited if c.contradicts
        ]
    return sources
