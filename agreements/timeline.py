"""An agreement's events drawn to scale, partial dates as spans, today marked."""

from dataclasses import dataclass

from cooperation.charts import TimeScale, lay_out_events

WIDTH = 900
LEFT, RIGHT = 20, WIDTH - 170
AXIS_Y = 30
LANE_HEIGHT = 34


@dataclass
class Timeline:
    scale: TimeScale
    marks: list
    lanes: int
    today_x: float
    width: int = WIDTH

    @property
    def height(self):
        return AXIS_Y + 16 + self.lanes * LANE_HEIGHT

    @property
    def axis_y(self):
        return AXIS_Y

    @property
    def ticks(self):
        return self.scale.year_ticks()

    def lane_y(self, lane):
        return AXIS_Y + 16 + lane * LANE_HEIGHT


def agreement_timeline(events, today):
    if not events:
        return None
    scale = TimeScale.covering(
        [e.date.first for e in events] + [e.date.last for e in events],
        left=LEFT,
        right=RIGHT,
        today=today,
    )
    marks, lanes = lay_out_events(
        [(e.date, e.get_kind_display(), f"event-{e.kind}") for e in events], scale
    )
    timeline = Timeline(scale, marks, lanes, scale.x(today))
    for mark in marks:
        mark.y = timeline.lane_y(mark.lane)
    return timeline
