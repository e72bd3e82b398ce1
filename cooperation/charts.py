"""Time charts drawn on the server as SVG: no script, nothing loaded from elsewhere.

A `TimeScale` maps days to x positions; the agreement timeline and the membership
chart lay their marks out with it, and templates draw them. Every size and position
of both charts, in pixels, is set here and handed to the templates as values.
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

ONE_DAY = datetime.timedelta(days=1)

# The agreement timeline (agreements/timeline.py): labels run right of their marks.
TIMELINE_WIDTH = 900
TIMELINE_LEFT, TIMELINE_RIGHT = 20, TIMELINE_WIDTH - 170
# Drawn again, narrower, for a phone: scaled to a 358px screen its 11px labels stay
# 11px or more, where the wide drawing's would shrink to 4px.
TIMELINE_NARROW_WIDTH = 340
TIMELINE_NARROW_LEFT, TIMELINE_NARROW_RIGHT = 20, TIMELINE_NARROW_WIDTH - 130
TIMELINE_AXIS_Y = 30
FIRST_LANE_Y = TIMELINE_AXIS_Y + 16
LANE_HEIGHT = 34

# The membership chart on an organization's page: countries' names left of the bars.
CHART_WIDTH = 900
CHART_LEFT, CHART_RIGHT = 170, CHART_WIDTH - 20
CHART_AXIS_Y = 28
TICK_LENGTH = 5  # above and below the axis
TICK_LABEL_Y = 18
FIRST_ROW_Y = 40
ROW_HEIGHT = 22
BAR_HEIGHT = 15
BOTTOM_MARGIN = 10
ROW_LABEL_GAP = 8  # between a country's name and the chart's left edge
ROW_LABEL_DY = 12  # from a row's top to its name's baseline
# The narrow drawing, for a phone, writes each country's name above its bars.
CHART_NARROW_WIDTH = 320
CHART_NARROW_LEFT, CHART_NARROW_RIGHT = 20, CHART_NARROW_WIDTH - 20
NARROW_ROW_HEIGHT = 36
NARROW_BAR_DY = 16  # from a row's top to its bars, below the name
MOST_TICKS, MOST_NARROW_TICKS = 12, 4  # year labels on the axis
STRIPE_PERIOD = 6  # presumed spans: a stripe this far from the next, at 45 degrees
STRIPE_WIDTH = 3


@dataclass(frozen=True)
class TimeScale:
    start: datetime.date
    end: datetime.date
    left: float
    right: float

    @classmethod
    def covering(cls, days, *, left, right, today):
        """A scale over the given days and today, widened to whole years."""
        days = [d for d in days if d] + [today]
        start = datetime.date(min(days).year, 1, 1)
        last_year = max(days).year
        end = (
            datetime.date(last_year + 1, 1, 1)
            if last_year < datetime.MAXYEAR
            else datetime.date.max
        )
        return cls(start, end, left, right)

    def x(self, day):
        day = min(max(day, self.start), self.end)
        span = (self.end - self.start).days
        return round(self.left + (self.right - self.left) * (day - self.start).days / span, 1)

    def year_ticks(self, most=MOST_TICKS):
        """(x, label) for each year, thinned to `most` so that labels do not collide."""
        years = list(range(self.start.year, min(self.end.year, datetime.MAXYEAR - 1) + 1))
        step = max(1, len(years) // most + (1 if len(years) % most else 0))
        return [
            (self.x(datetime.date(year, 1, 1)), str(year))
            for year in years
            if (year - years[0]) % step == 0
        ]


@dataclass
class Mark:
    """One dated thing on a timeline: a dot for a day, a bar for a month or a year."""

    x1: float
    x2: float
    lane: int
    label: str
    date_label: str
    precision: str
    css_class: str = ""
    y: float = 0

    @property
    def is_span(self):
        return self.precision != "day"

    @property
    def width(self):
        return max(self.x2 - self.x1, 2)

    @property
    def middle(self):
        return round((self.x1 + self.x2) / 2, 1)


def lay_out_events(items, scale, *, label_width=150):
    """Marks for (partial date, label, css_class) items, in lanes so labels don't overlap."""
    lanes_end = []
    marks = []
    for date, label, css_class in sorted(items, key=lambda item: item[0].sort_key()):
        x1 = scale.x(date.first)
        # To the end of its last day; one that ends the calendar reaches the scale's end.
        x2 = scale.x(date.last + ONE_DAY) if date.last < datetime.date.max else scale.right
        lane = next((i for i, end in enumerate(lanes_end) if end <= x1), len(lanes_end))
        if lane == len(lanes_end):
            lanes_end.append(0)
        lanes_end[lane] = max(x2, x1 + label_width)
        marks.append(Mark(x1, x2, lane, label, str(date), date.precision, css_class))
    return marks, max(len(lanes_end), 1)


@dataclass
class Segment:
    x1: float
    x2: float
    certain: bool
    note: str
    presumed: bool = False  # after the last date a source confirms, with no end recorded

    @property
    def width(self):
        return max(round(self.x2 - self.x1, 1), 1)


@dataclass
class MembershipBar:
    status: str
    label: str
    period: str
    segments: list


@dataclass
class ChartRow:
    country: object
    bars: list
    label_y: float = 0  # the baseline of the country's name
    bar_y: float = 0


def membership_rows(memberships, scale, today):
    """A row per country; each membership a bar whose uncertain parts are drawn as such.

    Solid: the days the record shows the status held. Faint: where a partial date
    leaves the start or end open, and before an unknown start (back to the edge).
    Hatched: after the last date a source confirms it, when no end is recorded: it is
    presumed to go on, up to today, but no source says so.
    """
    rows = {}
    for membership in memberships:
        since, until = membership.certain_span()
        segments = []
        if membership.start:
            if membership.start.first < since:
                segments.append(
                    Segment(
                        scale.x(membership.start.first), scale.x(since), False, _("start within")
                    )
                )
        else:
            segments.append(Segment(scale.left, scale.x(since), False, _("start unknown")))
        presumed = None
        if until == datetime.date.max:
            # No end recorded: known to the end of the last day a source confirms it,
            # presumed from then to today.
            confirmed = membership.last_confirmed
            if confirmed is None:
                until = since
            else:
                until = confirmed.last + ONE_DAY if confirmed.last < today else today
            presumed_since = max(until, since)
            if presumed_since < today:
                if confirmed:
                    note = _("presumed: last confirmed %(date)s") % {"date": confirmed}
                else:
                    note = _("presumed")
                presumed = Segment(
                    scale.x(presumed_since), scale.x(today), False, note, presumed=True
                )
        if since < until:
            segments.append(Segment(scale.x(since), scale.x(until), True, _("held")))
        if presumed:
            segments.append(presumed)
        if membership.end and membership.end.last > membership.end.first:
            segments.append(
                Segment(
                    scale.x(membership.end.first),
                    scale.x(membership.end.last),
                    False,
                    _("end within"),
                )
            )
        row = rows.setdefault(membership.country_id, ChartRow(membership.country, []))
        row.bars.append(
            MembershipBar(
                membership.status,
                membership.get_status_display(),
                membership.period_display,
                segments,
            )
        )
    return sorted(rows.values(), key=lambda row: row.country.name)


def membership_chart(memberships, day, today):
    """The membership chart's rows and geometry, for the template to draw: a row per
    country, from the first date known to the later of `today` and `day` (marked).
    `narrow` is the same chart drawn for a phone."""
    chart = membership_drawing(
        memberships, day, today, width=CHART_WIDTH, left=CHART_LEFT, right=CHART_RIGHT
    )
    chart["narrow"] = membership_drawing(
        memberships,
        day,
        today,
        width=CHART_NARROW_WIDTH,
        left=CHART_NARROW_LEFT,
        right=CHART_NARROW_RIGHT,
        narrow=True,
    )
    return chart


def membership_drawing(memberships, day, today, *, width, left, right, narrow=False):
    """One drawing of the membership chart: wide, names left of the bars; or narrow,
    names above them."""
    scale = TimeScale.covering(
        [
            d
            for m in memberships
            for d in (
                m.start and m.start.first,
                m.end and m.end.last,
                m.attested and m.attested.first,
                m.last_attested and m.last_attested.last,
            )
        ],
        left=left,
        right=right,
        today=max(today, day),
    )
    rows = membership_rows(memberships, scale, today)
    row_height = NARROW_ROW_HEIGHT if narrow else ROW_HEIGHT
    for number, row in enumerate(rows):
        top = FIRST_ROW_Y + number * row_height
        row.label_y = top + ROW_LABEL_DY
        row.bar_y = top + NARROW_BAR_DY if narrow else top
    return {
        "css_class": "memberships-narrow" if narrow else "memberships",
        "rows": rows,
        "ticks": scale.year_ticks(MOST_NARROW_TICKS if narrow else MOST_TICKS),
        "day_x": scale.x(day),
        "today_x": scale.x(today),
        "height": FIRST_ROW_Y + len(rows) * row_height + BOTTOM_MARGIN,
        "width": width,
        "left": left,
        "right": right,
        "axis_y": CHART_AXIS_Y,
        "tick_top": CHART_AXIS_Y - TICK_LENGTH,
        "tick_bottom": CHART_AXIS_Y + TICK_LENGTH,
        "tick_label_y": TICK_LABEL_Y,
        "row_label_x": left if narrow else left - ROW_LABEL_GAP,
        "row_label_anchor": "start" if narrow else "end",
        "bar_height": BAR_HEIGHT,
        "stripe_period": STRIPE_PERIOD,
        "stripe_width": STRIPE_WIDTH,
    }
