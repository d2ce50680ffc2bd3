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

from oncall.model import Gap, Org, Reason, Shift


class Segment(NamedTuple):
    """A piece of a schedule's timeline: a shift (``person`` set) or a gap (``person`` None).

    ``start``/``end`` are cut at the window's edges; ``whole_start``/``whole_end`` are the real
    bounds (None where the engine found none within its reach).
    """

    start: int
    end: int
    person: str | None
    reasons: tuple[Reason, ...] = ()
    whole_start: int | None = None
    whole_end: int | None = None

    @property
    def is_gap(self) -> bool:
        return self.person is None


@dataclass
class ScheduleView:
    """One schedule over the window: ``segments`` tile ``[start, end)`` in order.

    ``lead`` is when the first segment really starts (it may begin before the window) and ``tail``
    when the last one really ends (the segments' whole bounds); None where the engine found no
    edge within its reach.
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


def schedule_views(org: Org, start: int, end: int) -> list[ScheduleView]:
    """Every schedule's shifts and gaps in ``[start, end)``, sorted by schedule id."""
    from oncall.engine import generate, whois

    timeline = generate(org, start, end)
    by_schedule: dict[str, list[Segment]] = {sid: [] for sid in org.schedules}
    for piece in _segments(timeline.shifts, timeline.gaps):
        by_schedule[piece[0]].append(piece[1])
    last = {a.schedule: a for a in whois(org, end - 1)}  # who follows the window's last segment
    views = []
    for sid in sorted(org.schedules):
        schedule = org.schedules[sid]
        segments = sorted(by_schedule[sid], key=lambda s: s.start)
        foot = last[sid]
        after = (foot.next_person, foot.next_start) if foot.next_person and foot.next_start else None
        views.append(ScheduleView(sid, schedule.display, schedule.timezone, schedule.checklist, segments,
                                  segments[0].whole_start if segments else None,
                                  segments[-1].whole_end if segments else None, after))
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
        lanes.append((layer.name, sorted((seg for _, seg in _segments(timeline.shifts, timeline.gaps)),
                                         key=lambda seg: seg.start)))
    view.lanes = lanes


def _segments(shifts: Iterable[Shift], gaps: Iterable[Gap]) -> list[tuple[str, Segment]]:
    """(schedule id, segment) for every shift and gap, in no particular order."""
    pieces = [(s.schedule, Segment(s.start, s.end, s.person, s.reasons, s.whole_start, s.whole_end)) for s in shifts]
    pieces += [(g.schedule, Segment(g.start, g.end, None, (), g.whole_start, g.whole_end)) for g in gaps]
    return pieces


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
