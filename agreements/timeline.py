"""An agreement's events drawn to scale, partial dates as spans, today marked."""

from dataclasses import dataclass

from cooperation.charts import (
    FIRST_LANE_Y,
    LANE_HEIGHT,
    TIMELINE_AXIS_Y,
    TIMELINE_LEFT,
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

    @property
    def height(self):
        return FIRST_LANE_Y + self.lanes * LANE_HEIGHT

    @property
    def axis_y(self):
        return TIMELINE_AXIS_Y

    @property
    def ticks(self):
        return self.scale.year_ticks()

    def lane_y(self, lane):
        return FIRST_LANE_Y + lane * LANE_HEIGHT


def agreement_timeline(events, today):
    if not events:
        return None
    scale = TimeScale.covering(
        [e.date.first for e in events] + [e.date.last for e in events],
        left=TIMELINE_LEFT,
        right=TIMELINE_RIGHT,
        today=today,
    )
    marks, lanes = lay_out_events(
        [(e.date, e.get_kind_display(), f"event-{e.kind}") for e in events], scale
    )
    timeline = Timeline(scale, marks, lanes, scale.x(today))
    for mark in marks:
        mark.y = timeline.lane_y(mark.lane)
    return timeline
