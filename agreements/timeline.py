"""An agreement's events drawn to scale, partial dates as spans, today marked."""

from dataclasses import dataclass

from cooperation.charts import (
    FIRST_LANE_Y,
    LANE_HEIGHT,
    MOST_NARROW_TICKS,
    MOST_TICKS,
    TIMELINE_AXIS_Y,
    TIMELINE_LEFT,
    TIMELINE_NARROW_LEFT,
    TIMELINE_NARROW_RIGHT,
    TIMELINE_NARROW_WIDTH,
    TIMELINE_RIGHT,
    TIMELINE_WIDTH,
    TimeScale,
    lay_out_events,
)


@dataclass
class Timeline:
    scale: TimeScale
    marks: list
    lanes: int
    today_x: float
    width: int = TIMELINE_WIDTH
    most_ticks: int = MOST_TICKS
    css_class: str = "timeline"
    narrow: "Timeline | None" = None  # the same drawn for a phone

    @property
    def height(self):
        return FIRST_LANE_Y + self.lanes * LANE_HEIGHT

    @property
    def axis_y(self):
        return TIMELINE_AXIS_Y

    @property
    def ticks(self):
        return self.scale.year_ticks(self.most_ticks)

    @property
    def drawings(self):
        return [self, self.narrow] if self.narrow else [self]

    def lane_y(self, lane):
        return FIRST_LANE_Y + lane * LANE_HEIGHT


def agreement_timeline(events, today):
    """The events to scale, with `narrow`, the same drawn narrower for a phone."""
    if not events:
        return None
    timeline = drawn_timeline(events, today, TIMELINE_WIDTH, TIMELINE_LEFT, TIMELINE_RIGHT)
    timeline.narrow = drawn_timeline(
        events, today, TIMELINE_NARROW_WIDTH, TIMELINE_NARROW_LEFT, TIMELINE_NARROW_RIGHT
    )
    timeline.narrow.most_ticks = MOST_NARROW_TICKS
    timeline.narrow.css_class = "timeline-narrow"
    return timeline


def drawn_timeline(events, today, width, left, right):
    scale = TimeScale.covering(
        [e.date.first for e in events] + [e.date.last for e in events],
        left=left,
        right=right,
        today=today,
    )
    marks, lanes = lay_out_events(
        [(e.date, e.get_kind_display(), f"event-{e.kind}") for e in events], scale
    )
    timeline = Timeline(scale, marks, lanes, scale.x(today), width)
    for mark in marks:
        mark.y = timeline.lane_y(mark.lane)
    return timeline
