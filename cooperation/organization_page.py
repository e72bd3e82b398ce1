"""The parts that other apps add to an organization's page.

The core app sits below meetings and agreements and imports nothing from them. An app
with something to show on an organization's page adds a part here from its
AppConfig.ready(): the template that draws the part, and a function
`(organization, as_of)` that returns the values the template shows, as a dict (`as_of`
is the day asked for, None for today). The page shows the parts in the order of their
`position`, after its own memberships and posts and before its sources; each part's
template reads its values as `part.NAME`.

An app can also say which act decided the start or the end of the page's memberships and
posts (meetings: "decided at the Astana summit"), with set_decided_at(); see decided_at().
"""

from typing import NamedTuple

_parts = []  # (position, template name, function)


def add_part(template_name, function, *, position):
    if not any(added is function for _, _, added in _parts):  # ready() may run twice
        _parts.append((position, template_name, function))


def parts(organization, as_of):
    """Each app's part of `organization`'s page, in order."""
    return [
        {"template_name": template_name, **function(organization, as_of)}
        for _, template_name, function in sorted(_parts, key=lambda part: part[0])
    ]


def empty_parts():
    """The parts with no values, for a page whose day could not be read: they show their
    headings only, as the page did before it was split into parts."""
    return [
        {"template_name": template_name}
        for _, template_name, _ in sorted(_parts, key=lambda part: part[0])
    ]


class Decided(NamedTuple):
    """What decided a start or an end, as the page shows it: its name and its page."""

    text: str
    url: str


_find_decided = None  # the function set_decided_at() was given


def set_decided_at(function):
    """Let an app tell what decided the page's memberships and posts.

    `function(memberships, positions)` returns {(record, "start" or "end"): Decided} for
    the records it knows a decision of, in one query for all of them.
    """
    global _find_decided
    _find_decided = function


def decided_at(memberships, positions):
    """Give each of `memberships` and `positions` `start_decided` and `end_decided`: the
    Decided that made it start or end, or None."""
    found = _find_decided(memberships, positions) if _find_decided else {}
    for record in [*memberships, *positions]:
        record.start_decided = found.get((record, "start"))
        record.end_decided = found.get((record, "end"))
