"""The timeline drawings: one row per day in the schedule's zone, time running left to right.

Horizontal positions are percentages of the drawing's width and heights are pixels, so a
drawing fills a phone's width as well as a desktop's while names keep a readable size. Each
shift is a nested ``<svg>`` that clips its own label: a name shows as much as its shift's width
allows, and the whole of it is in the shift's tooltip and in the table beside the drawing.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import NamedTuple

from oncall.site.html import esc, long_day, why
from oncall.site.views import ScheduleView, Segment
from oncall.times import wall_to_epoch, zone

LABEL_W = 14.0  # % of the width kept for day and lane labels
LANE_X = 15.0
LANE_W = 100.0 - LANE_X
RESULT_H = 28  # px: the final result's lane
LAYER_H = 18  # px: each layer's own lane in the week view
MONTH_H = 24  # px: a day in the month view
SPACING = 6
SCALE_H = 16  # px: the hour scale on top

# Patterns every drawing on a page refers to (the page holds this once).
DEFS = (
    '<svg class="defs" width="0" height="0" aria-hidden="true" focusable="false"><defs>'
    '<pattern id="hatch" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
    '<rect width="3" height="8" fill="#1a1a1a" fill-opacity=".28"/></pattern>'
    '<pattern id="gaps" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(-45)">'
    '<rect width="8" height="8" fill="#ffe3e3"/><rect width="3" height="8" fill="#d0021b" fill-opacity=".45"/>'
    "</pattern>"
    '<pattern id="outside" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
    '<rect width="6" height="6" fill="#f1f1f1"/><rect width="1" height="6" fill="#9a9a9a"/></pattern>'
    "</defs></svg>"
)


class Day(NamedTuple):
    """One local day: ``[start, end)`` in epoch seconds and its midnight on the wall clock."""

    start: int
    end: int
    midnight: datetime


def local_days(tz_name: str, start: int, end: int) -> list[Day]:
    """The local days of ``tz_name`` that overlap ``[start, end)``, in order."""
    tz = zone(tz_name)
    first = datetime.fromtimestamp(start, tz).replace(tzinfo=None)
    midnight = first.replace(hour=0, minute=0, second=0, microsecond=0)
    days = []
    t0 = wall_to_epoch(midnight, tz)
    while t0 < end:
        following = midnight + timedelta(days=1)
        t1 = wall_to_epoch(following, tz)
        days.append(Day(t0, t1, midnight))
        midnight, t0 = following, t1
    return days


def week_from(tz_name: str, at: int) -> tuple[int, int]:
    """Seven local days from the start of the day of ``at``."""
    tz = zone(tz_name)
    midnight = datetime.fromtimestamp(at, tz).replace(tzinfo=None, hour=0, minute=0, second=0, microsecond=0)
    return wall_to_epoch(midnight, tz), wall_to_epoch(midnight + timedelta(days=7), tz)


PALETTE = 10  # colours p0 ... p9 in the stylesheet
# How a reason marks a shift: overrides hatched, cover for someone (their time off, or their being
# on call in a schedule this one avoids) a dashed edge, cover for a public holiday a dotted edge.
_MARKS = (("override", "ovr"), ("cover", "cov"), ("avoid", "cov"), ("holiday", "hol"))


def colours(view: ScheduleView) -> dict[str, str]:
    """A colour class per person of the schedule, in the order they first appear, so that people
    who hand over to each other differ (up to ``PALETTE`` people)."""
    order: dict[str, str] = {}
    for segments in [view.segments] + [lane for _, lane in view.lanes]:
        for segment in segments:
            if segment.person is not None and segment.person not in order:
                order[segment.person] = f"p{len(order) % PALETTE}"
    return order


def day_label(midnight: datetime, first: bool = False) -> str:
    """``Mon 7``; ``1 Jan`` on the first of a month or the first row, so rows name their month."""
    if first or midnight.day == 1:
        return f"{midnight.day} {midnight:%b}"
    return f"{midnight:%a} {midnight.day}"


def _x(t: int, day: Day) -> float:
    return LANE_X + (t - day.start) * LANE_W / (day.end - day.start)


def _pct(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".") + "%"


class _Drawing:
    """Accumulates one drawing's markup; rows are added top to bottom."""

    def __init__(self, view: ScheduleView, names: dict[str, str], window: tuple[int, int]) -> None:
        self.view = view
        self.names = names
        self.window = window
        self.parts: list[str] = []
        self.y = 0
        self._ends: dict[int, list[int]] = {}  # each lane's segment ends, for finding a day's segments
        self.colours = colours(view)

    def scale(self) -> None:
        """Hour labels over the lanes (positions on a 24-hour day)."""
        marks = []
        for hour in (0, 6, 12, 18):
            x = LANE_X + hour * LANE_W / 24
            marks.append(f'<text x="{_pct(x + 0.4)}" y="12">{hour:02d}:00</text>')
        self.parts.append(f'<g class="scale" aria-hidden="true">{"".join(marks)}</g>')
        self.y += SCALE_H

    def lane(self, day: Day, segments: Sequence[Segment], height: int, *, gaps: bool = True) -> None:
        """One lane of ``day`` at the current height: its segments, and where the window ends.
        Without ``gaps``, time nobody covers is left blank (a layer that does not cover it)."""
        lo, hi = self.window
        parts = self.parts
        for a, b in ((day.start, min(day.end, lo)), (max(day.start, hi), day.end)):
            if a < b:
                parts.append(
                    f'<rect class="out" x="{_pct(_x(a, day))}" y="{self.y}" width="{_pct(_x(b, day) - _x(a, day))}" '
                    f'height="{height}" fill="url(#outside)"><title>not in this build</title></rect>'
                )
        ends = self._ends.get(id(segments))
        if ends is None:
            ends = self._ends[id(segments)] = [s.end for s in segments]
        for segment in segments[bisect_right(ends, day.start):]:
            if segment.start >= day.end:
                break
            a, b = max(segment.start, day.start, lo), min(segment.end, day.end, hi)
            if a < b and (gaps or not segment.is_gap):
                parts.append(self._segment(segment, day, a, b, height))

    def _segment(self, segment: Segment, day: Day, a: int, b: int, height: int) -> str:
        tz = zone(self.view.timezone)
        start, end = datetime.fromtimestamp(segment.start, tz), datetime.fromtimestamp(segment.end, tz)
        span = f"{start:%a %H:%M}–{end:%H:%M}" if end - start < timedelta(days=1) else f"{start:%a %H:%M}–{end:%a %H:%M}"
        kinds = {reason.kind for reason in segment.reasons}
        if segment.person is None:
            classes, label, tip, fill = "seg gap", "nobody", f"nobody, {span}", ' fill="url(#gaps)"'
        else:
            label = self.names.get(segment.person, segment.person)
            classes = f"seg {self.colours.get(segment.person, 'p0')}"
            classes += "".join(f" {css}" for kind, css in _MARKS if kind in kinds)
            tip = f"{label}, {span}"
            words = why(segment.reasons, self.names)
            if words:
                tip += f", {words}"
            fill = ""
        inner = f"<title>{esc(tip)}</title><rect width=\"100%\" height=\"100%\"{fill}/>"
        if "override" in kinds:
            inner += '<rect class="hatch" width="100%" height="100%" fill="url(#hatch)"/>'
        inner += f'<text x="4" y="{height * 0.68:.0f}">{esc(label)}</text>'
        return (
            f'<svg class="{classes}" x="{_pct(_x(a, day))}" y="{self.y}" width="{_pct(_x(b, day) - _x(a, day))}" '
            f'height="{height}" data-p="{esc(segment.person or "")}" data-s="{segment.start}" '
            f'data-e="{segment.end}">{inner}</svg>'
        )

    def label(self, text: str, height: int, cls: str = "day", tip: str = "") -> None:
        title = f"<title>{esc(tip)}</title>" if tip else ""
        self.parts.append(
            f'<svg class="label {cls}" width="{_pct(LABEL_W)}" y="{self.y}" height="{height}">{title}'
            f'<text x="0" y="{height * 0.68:.0f}">{esc(text)}</text></svg>'
        )

    def row(self, day: Day, top: int, bottom: int, now: int) -> None:
        """Mark a day's block for the "now" line (moved by the page's script in the reader's clock)."""
        x = _pct(_x(now, day)) if day.start <= now < day.end else "0%"
        hidden = "" if day.start <= now < day.end else ' visibility="hidden"'
        self.parts.append(
            f'<line class="now" data-t0="{day.start}" data-t1="{day.end}" x1="{x}" x2="{x}" '
            f'y1="{top - 2}" y2="{bottom + 2}"{hidden}/>'
        )

    def svg(self, label_id: str) -> str:
        # Hour lines over the whole drawing, for a 24-hour day (a daylight-saving day is an hour
        # longer or shorter: its shifts are drawn exactly, its hour lines are off by up to an hour).
        for hour in (6, 12, 18):
            x = _pct(LANE_X + hour * LANE_W / 24)
            self.parts.insert(1, f'<line class="tick" x1="{x}" x2="{x}" y1="{SCALE_H}" y2="{self.y}"/>')
        return (
            f'<svg class="timeline" width="100%" height="{self.y}" role="img" aria-labelledby="{label_id}" '
            f'data-lane="{LANE_X:g} {LANE_W:g}">'
            + "".join(self.parts) + "</svg>"
        )


def week_view(view: ScheduleView, names: dict[str, str], window: tuple[int, int], week: tuple[int, int],
              now: int, label_id: str) -> str:
    """The week ``week``: each day's final result on top, each layer on its own below it."""
    drawing = _Drawing(view, names, window)
    drawing.scale()
    for i, day in enumerate(local_days(view.timezone, week[0], week[1])):
        top = drawing.y
        drawing.label(day_label(day.midnight, i == 0), RESULT_H, tip=long_day(day.midnight))
        drawing.lane(day, view.segments, RESULT_H)
        drawing.y += RESULT_H + 2
        for name, lane in view.lanes:
            drawing.label(name, LAYER_H, "layer")
            drawing.lane(day, lane, LAYER_H, gaps=False)
            drawing.y += LAYER_H + 2
        drawing.row(day, top, drawing.y - 2, now)
        drawing.y += SPACING
    return drawing.svg(label_id)


def month_view(view: ScheduleView, names: dict[str, str], window: tuple[int, int], now: int, label_id: str) -> str:
    """Every day of the window, the final result only."""
    drawing = _Drawing(view, names, window)
    drawing.scale()
    for i, day in enumerate(local_days(view.timezone, window[0], window[1])):
        cls = "day monday" if day.midnight.weekday() == 0 else "day"
        drawing.label(day_label(day.midnight, i == 0), MONTH_H, cls, tip=long_day(day.midnight))
        drawing.lane(day, view.segments, MONTH_H)
        drawing.row(day, drawing.y, drawing.y + MONTH_H, now)
        drawing.y += MONTH_H + 3
    return drawing.svg(label_id)
