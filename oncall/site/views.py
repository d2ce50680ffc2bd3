"""What the site shows, worked out by the engine: every schedule's shifts and gaps in the window,
the shift around the window's edges, and each layer on its own for the week drawn in detail.

Everything here is read through ``oncall.engine`` (``generate`` and ``whois``) and uses only a
shift's schedule, person, start, end and reasons, so the site agrees with ``oncall schedule
generate`` and ``oncall whois``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from oncall.model import Gap, Org, Shift

# What a shift's reasons say, in the kinds people are shown: a layer's own turn, an override,
# cover for someone's time off, cover for someone's public holiday.
LAYER, OVERRIDE, COVER, HOLIDAY = "layer", "override", "cover", "holiday"


class Why(NamedTuple):
    """One reason a person holds a shift: ``kind`` (see above) and its detail (the layer's name,
    or the person covered)."""

    kind: str
    detail: str = ""


class Segment(NamedTuple):
    """A piece of a schedule's timeline: a shift (``person`` set) or a gap (``person`` None)."""

    start: int
    end: int
    person: str | None
    why: tuple[Why, ...] = ()

    @property
    def is_gap(self) -> bool:
        return self.person is None


@dataclass
class ScheduleView:
    """One schedule over the window: ``segments`` tile ``[start, end)`` in order.

    ``lead`` is when the first segment really starts (it may begin before the window) and ``tail``
    when the last one really ends; None where the engine found no edge within its reach.
    ``after`` is who comes on call after the window's last segment, and when.
    """

    id: str
    name: str
    timezone: str
    checklist: str | None
    segments: list[Segment]
    lead: int | None = None
    tail: int | None = None
    after: tuple[str, int] | None = None
    lanes: list[tuple[str, list[Segment]]] = field(default_factory=list)  # (layer name, its pieces)


def reasons_of(shift: Shift) -> tuple[Why, ...]:
    """A shift's reasons as ``Why`` values (the one place the site reads them)."""
    found: list[Why] = []
    for part in (shift.reason or "").split(", "):
        kind, _, detail = part.partition(":")
        if kind in (LAYER, OVERRIDE, COVER, HOLIDAY):
            found.append(Why(kind, detail))
    return tuple(found)


def schedule_views(org: Org, start: int, end: int) -> list[ScheduleView]:
    """Every schedule's shifts and gaps in ``[start, end)``, sorted by schedule id."""
    from oncall.engine import generate, whois

    timeline = generate(org, start, end)
    by_schedule: dict[str, list[Segment]] = {sid: [] for sid in org.schedules}
    for shift in timeline.shifts:
        by_schedule[shift.schedule].append(Segment(shift.start, shift.end, shift.person, reasons_of(shift)))
    for gap in timeline.gaps:
        by_schedule[gap.schedule].append(Segment(gap.start, gap.end, None))
    first = {a.schedule: a for a in whois(org, start)}
    last = {a.schedule: a for a in whois(org, end - 1)}
    views = []
    for sid in sorted(org.schedules):
        schedule = org.schedules[sid]
        segments = sorted(by_schedule[sid])
        head, foot = first[sid], last[sid]
        lead = head.start if head.person is not None else head.gap_start
        tail = foot.end if foot.person is not None else foot.gap_end
        after = (foot.next_person, foot.next_start) if foot.next_person and foot.next_start else None
        views.append(ScheduleView(sid, schedule.display, schedule.timezone, schedule.checklist, segments,
                                  lead, tail, after))
    return views


def add_lanes(org: Org, view: ScheduleView, start: int, end: int) -> None:
    """Fill ``view.lanes``: what each layer of the schedule gives on its own in ``[start, end)``
    (its turns, restrictions and time-off cover; no other layer and no override)."""
    from oncall.engine import generate

    schedule = org.schedules[view.id]
    lanes = []
    for layer in schedule.layers:
        alone = replace(schedule, layers=(layer,), overrides=())
        solo = replace(org, schedules={**org.schedules, view.id: alone})
        timeline = generate(solo, start, end, [view.id])
        lanes.append((layer.name, _segments(timeline.shifts, timeline.gaps)))
    view.lanes = lanes


def _segments(shifts: Iterable[Shift], gaps: Iterable[Gap]) -> list[Segment]:
    pieces = [Segment(s.start, s.end, s.person, reasons_of(s)) for s in shifts]
    pieces += [Segment(g.start, g.end, None) for g in gaps]
    return sorted(pieces)


def person_shifts(views: Iterable[ScheduleView]) -> Mapping[str, list[tuple[str, Segment]]]:
    """Each person's shifts in the window as ``(schedule id, segment)``, sorted by start."""
    found: dict[str, list[tuple[str, Segment]]] = {}
    for view in views:
        for segment in view.segments:
            if segment.person is not None:
                found.setdefault(segment.person, []).append((view.id, segment))
    for shifts in found.values():
        shifts.sort(key=lambda pair: (pair[1].start, pair[0]))
    return found
