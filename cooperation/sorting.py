"""How a list page is sorted by its columns: `?sort=title` or `?sort=-title`, one
heading link per column, rows with nothing to sort by last (agreements, meetings)."""

import django_filters
from django import forms
from django.db.models import F
from django_filters.widgets import BaseCSVWidget


class HiddenCSVWidget(BaseCSVWidget, forms.HiddenInput):
    """The sort, kept by the filter form as "title" or "-title,parties", not as "['title']"."""

    surrogate = forms.HiddenInput


class NullsLastOrderingFilter(django_filters.OrderingFilter):
    """Rows with nothing to sort by (no events, no due date) go last, whichever the direction.

    `default`: the order when none is asked for. Then, always, by row, so that a page of
    the list always holds the same rows.
    """

    def __init__(self, *args, default=("title",), **kwargs):
        self.default = list(default)
        kwargs.setdefault("widget", HiddenCSVWidget)  # kept by the form, changed by headings
        super().__init__(*args, **kwargs)

    def get_ordering_value(self, param):
        descending = param.startswith("-")
        field = F(self.param_map[param.lstrip("-")])
        return field.desc(nulls_last=True) if descending else field.asc(nulls_last=True)

    def filter(self, qs, value):
        asked = [self.get_ordering_value(param) for param in value or [] if param]
        return qs.order_by(*(asked or self.default), "pk")


def sort_headings(request, current, columns, numeric=()):
    """Each column's heading, the link that sorts by it, and how it is sorted now.

    `columns`: (sort parameter, heading, …) for each; `current`: the sort asked for, as
    the filter read it; `numeric`: the parameters of columns of numbers (right-aligned).
    """
    query = request.GET.copy()
    for name in ("page", "sort"):
        query.pop(name, None)
    base = query.urlencode()
    headings = []
    for name, label, *_ in columns:
        if current == [name]:
            direction, target = "ascending", f"-{name}"
        elif current == [f"-{name}"]:
            direction, target = "descending", name
        else:
            direction, target = "", name
        url = f"?{base}&sort={target}" if base else f"?sort={target}"
        headings.append(
            {"label": label, "url": url, "direction": direction, "num": name in numeric}
        )
    return headings
