"""The parts that other apps add to a person's page, as organization_page.py does for an
organization's.

The core app imports nothing from meetings or agreements. An app with something to show
on a person's page adds a part here from its AppConfig.ready(): the template that draws
the part, and a function `(person, as_of)` that returns the values the template shows,
as a dict (`as_of` is the day asked for, None for today). The page shows the parts in
the order of their `position`, after the person's posts and before the sources; each
part's template reads its values as `part.NAME`. A part's `cited` values, a list of
(what, record) with their citations prefetched, join the page's list of sources.
"""

_parts = []  # (position, template name, function)


def add_part(template_name, function, *, position):
    if not any(added is function for _, _, added in _parts):  # ready() may run twice
        _parts.append((position, template_name, function))


def parts(person, as_of):
    """Each app's part of `person`'s page, in order."""
    return [
        {"template_name": template_name, **function(person, as_of)}
        for _, template_name, function in sorted(_parts, key=lambda part: part[0])
    ]


def empty_parts():
    """The parts with no values, for a page whose day could not be read: they show their
    headings only."""
    return [
        {"template_name": template_name}
        for _, template_name, _ in sorted(_parts, key=lambda part: part[0])
    ]
