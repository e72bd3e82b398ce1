"""The status page's overview: the filtered agreements by status, each bar divided by how
long since their last activity. Laid out here, drawn as SVG by the template
agreements/_overview.html, as the other charts are (cooperation/charts.py)."""

import datetime
from dataclasses import dataclass

from django.db.models import Case, CharField, Q, Value, When
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agreements.models import EventKind

# How long since the last activity, at least (a partial date counts from its last day):
# (key, label, up to how many days; None for no limit).
AGES = [
    ("recent", _("within 90 days"), 90),
    ("months", _("90 days to a year"), 365),
    ("years", _("1 to 3 years"), 3 * 365),
    ("old", _("over 3 years"), None),
]
NO_ACTIVITY = ("none", _("no activity recorded"))

WIDTH = 420  # the SVG's own units; it scales to the page, and its text with it
LABEL_WIDTH = 165  # status names, left of the bars
BAR_LEFT, BAR_RIGHT = LABEL_WIDTH + 8, WIDTH - 36  # room for the count after each bar
ROW_HEIGHT = 24
BAR_HEIGHT = 16
TOP = 6
LEGEND_ROW = 20
FONT_SIZE = 15


def age(today):
    """An annotation: which of AGES the row's last activity falls in, else "none"."""
    whens = [
        When(last_activity__gte=today - datetime.timedelta(days=days), then=Value(key))
        for key, _, days in AGES
        if days is not None
    ]
    return Case(
        When(Q(last_activity__isnull=True), then=Value(NO_ACTIVITY[0])),
        *whens,
        default=Value(AGES[-1][0]),
        output_field=CharField(),
    )


@dataclass(frozen=True)
class Segment:
    age: str
    label: str
    count: int
    x: float
    width: float


@dataclass(frozen=True)
class Bar:
    status: str
    label: str
    total: int
    y: float
    segments: list

    @property
    def text_y(self):
        return self.y + BAR_HEIGHT - 3

    @property
    def count_x(self):
        return (self.segments[-1].x + self.segments[-1].width if self.segments else BAR_LEFT) + 5


@dataclass(frozen=True)
class Overview:
    bars: list
    legend: list  # (age key, label, x, y)
    height: float
    width: int = WIDTH
    font_size: int = FONT_SIZE
    label_right: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT

    @property
    def description(self):
        return "; ".join(
            f"{bar.label}: {bar.total} ("
            + ", ".join(f"{s.count} {s.label}" for s in bar.segments)
            + ")"
            for bar in self.bars
        )


def overview(counts):
    """The chart of `counts`: {(status or None, age key): number of agreements}."""
    statuses = [(kind, label) for kind, label in EventKind.choices]
    statuses.append((None, gettext("No events yet")))
    ages = [*((key, label) for key, label, _ in AGES), NO_ACTIVITY]
    totals = {
        status: sum(n for (s, _), n in counts.items() if s == status) for status, _ in statuses
    }
    largest = max(totals.values(), default=0)
    bars = []
    for status, label in statuses:
        if not totals[status]:
            continue
        y = TOP + len(bars) * ROW_HEIGHT
        x, segments = BAR_LEFT, []
        for key, age_label in ages:
            count = counts.get((status, key), 0)
            if count:
                width = (BAR_RIGHT - BAR_LEFT) * count / largest
                segments.append(Segment(key, age_label, count, round(x, 1), round(width, 1)))
                x += width
        bars.append(Bar(status or "none", label, totals[status], y, segments))
    shown = {segment.age for bar in bars for segment in bar.segments}
    legend_top = TOP + len(bars) * ROW_HEIGHT + 8
    legend = []
    for number, (key, label) in enumerate(a for a in ages if a[0] in shown):
        column, row = number % 2, number // 2
        legend.append((key, label, 8 + column * (WIDTH // 2), legend_top + row * LEGEND_ROW))
    rows_of_legend = (len(legend) + 1) // 2
    return Overview(bars, legend, legend_top + rows_of_legend * LEGEND_ROW)
