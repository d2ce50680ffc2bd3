"""The scheduling engine: pure functions of the model and explicit instants (no clock, no I/O).

``generate`` lists shifts and gaps in a window; ``whois`` answers who holds the pager at an
instant, with the whole shift around it and who comes next.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NamedTuple

from oncall.engine.timeline import Timeline, compose, merge
from oncall.errors import NotFound
from oncall.model import Org, Person, Schedule, Shift

__all__ = ["OnCall", "Timeline", "generate", "schedule_timeline", "select_schedules", "whois", "who_at"]

_DAY = 86400
# How far whois looks for the edges of a shift before calling it open-ended.
_MAX_REACH = 800 * _DAY


class OnCall(NamedTuple):
    """The answer for one schedule at one instant. In a gap ``person``/``start``/``end`` are None
    and ``gap_start``/``gap_end`` bound the gap (None where it is open beyond the search reach)."""

    schedule: str
    at: int
    person: str | None
    start: int | None
    end: int | None
    reason: str = ""
    next_person: str | None = None
    next_start: int | None = None
    gap_start: int | None = None
    gap_end: int | None = None


def schedule_timeline(schedule: Schedule, people: Mapping[str, Person], start: int, end: int) -> Timeline:
    """Shifts and gaps of one schedule within ``[start, end)``, clipped to it."""
    if end <= start:
        return Timeline([], [])
    return merge(schedule.id, compose(schedule, people, start, end), start, end)


def select_schedules(org: Org, ids: Iterable[str] | None = None) -> list[Schedule]:
    """The schedules named by ``ids`` (all when None or empty), sorted by id."""
    wanted = sorted(set(ids)) if ids else sorted(org.schedules)
    unknown = [i for i in wanted if i not in org.schedules]
    if unknown:
        known = ", ".join(sorted(org.schedules)) or "none"
        raise NotFound(f"no schedule {', '.join(map(repr, unknown))}; known schedules: {known}")
    return [org.schedules[i] for i in wanted]


def generate(
    org: Org,
    start: int,
    end: int,
    schedules: Iterable[str] | None = None,
    person: str | None = None,
) -> Timeline:
    """Every selected schedule's shifts and gaps in ``[start, end)``, sorted by schedule then start.

    With ``person``, only that person's shifts are listed and gaps are left out.
    """
    if person is not None and person not in org.people:
        raise NotFound(f"no person {person!r} in people.yaml; known: {', '.join(sorted(org.people))}")
    shifts: list[Shift] = []
    gaps = []
    for schedule in select_schedules(org, schedules):
        timeline = schedule_timeline(schedule, org.people, start, end)
        if person is None:
            shifts.extend(timeline.shifts)
            gaps.extend(timeline.gaps)
        else:
            shifts.extend(s for s in timeline.shifts if s.person == person)
    return Timeline(shifts, gaps)


def who_at(schedule: Schedule, people: Mapping[str, Person], at: int) -> OnCall:
    """Who is on call in ``schedule`` at ``at``: the whole shift (unclipped) and who is next.

    Looks at a window around ``at`` sized to the longest turn and widens it only while the
    answer touches its edge, so the cost does not grow with the age of the rotation.
    """
    reach = max([layer.every.seconds for layer in schedule.layers] + [_DAY]) + _DAY
    while True:
        lo, hi = at - reach, at + reach
        timeline = schedule_timeline(schedule, people, lo, hi)
        widen = reach < _MAX_REACH
        current = next((s for s in timeline.shifts if s.start <= at < s.end), None)
        if current is not None:
            following = next((s for s in timeline.shifts if s.start >= current.end), None)
            if widen and (current.start == lo or current.end == hi or following is None):
                reach *= 4
                continue
            return OnCall(
                schedule.id, at, current.person, current.start, current.end, current.reason,
                following.person if following else None, following.start if following else None,
            )
        gap = next(g for g in timeline.gaps if g.start <= at < g.end)
        following = next((s for s in timeline.shifts if s.start >= gap.end), None)
        if widen and (gap.start == lo or gap.end == hi):
            reach *= 4
            continue
        return OnCall(
            schedule.id, at, None, None, None, "",
            following.person if following else None, following.start if following else None,
            None if gap.start == lo else gap.start, None if gap.end == hi else gap.end,
        )


def whois(org: Org, at: int, schedules: Iterable[str] | None = None) -> list[OnCall]:
    """``who_at`` for every selected schedule, sorted by schedule id."""
    return [who_at(schedule, org.people, at) for schedule in select_schedules(org, schedules)]
