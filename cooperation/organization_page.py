"""The parts that other apps add to an organization's page.

The core app sits below meetings and agreements and imports nothing from them. An app
with something to show on an organization's page adds a part here from its
AppConfig.ready(): the template that draws the part, and a function
`(organization, as_of)` that returns the values the template shows, as a dict (`as_of`
is the day asked for, None for today). The page shows the parts in the order of their
`position`, after its own memberships and posts and before its sources; each part's
template reads its values as `part.NAME`.
"""

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
