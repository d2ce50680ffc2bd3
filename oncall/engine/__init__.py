"""The scheduling engine: pure functions of the model and explicit instants (no clock, no I/O).

``generate`` lists shifts and gaps in a window, each complete (whole bounds, who is on call
either side, why); ``whois`` answers who holds the pager at an instant, with the whole shift
around it and who comes next; ``answers_during`` gives those answers for a span of time, as the
few pieces over which each stays the same. All go through ``schedule_timeline``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import NamedTuple

from oncall.engine.timeline import REACH, Timeline, schedule_timeline
from oncall.errors import NotFound
from oncall.model import Gap, OnCall, Org, Schedule, Shift

__all__ = ["Answer", "OnCall", "Timeline", "answers_during", "generate", "schedule_timeline", "select_schedules",
           "timelines", "whois", "who_at"]


def select_schedules(org: Org, ids: Iterable[str] | None = None, argument: str | None = None) -> list[Schedule]:
    """The schedules named by ``ids`` (all when None or empty), sorted by id; ``NotFound`` naming
    the known ids otherwise (``argument``: the command-line argument that gave them, for the
    message). Every command that takes schedule ids looks them up here."""
    wanted = sorted(set(ids)) if ids else sorted(org.schedules)
    unknown = [i for i in wanted if i not in org.schedules]
    if unknown:
        known = ", ".join(sorted(org.schedules)) or "none"
        raise NotFound(f"no schedule {', '.join(map(repr, unknown))}; known schedules: {known}", argument=argument)
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
    shifts: list[Shift] = []
    gaps: list[Gap] = []
    for timeline in timelines(org, start, end, schedules, person):
        shifts.extend(timeline.shifts)
        gaps.extend(timeline.gaps)
    return Timeline(shifts, gaps)


def timelines(
    org: Org,
    start: int,
    end: int,
    schedules: Iterable[str] | None = None,
    person: str | None = None,
) -> Iterator[Timeline]:
    """``generate`` one schedule at a time: each selected schedule's timeline, in schedule id
    order, as it is made, so a long window of a large org can be written out without being held
    in memory. An unknown schedule or person raises here, before the first timeline."""
    if person is not None:
        org.person(person)
    selected = select_schedules(org, schedules, argument="schedule")

    def each() -> Iterator[Timeline]:
        for schedule in selected:
            timeline = schedule_timeline(org, schedule, start, end)
            if person is None:
                yield timeline
            else:
                yield Timeline([s for s in timeline.shifts if s.person == person], [])

    return each()


def who_at(org: Org, schedule: Schedule, at: int) -> OnCall:
    """Who is on call in ``schedule`` at ``at``: the whole shift and who is next."""
    timeline = schedule_timeline(org, schedule, at, at + 1)
    if timeline.shifts:
        shift = timeline.shifts[0]
        whole = shift._replace(
            start=shift.whole_start if shift.whole_start is not None else at - REACH,
            end=shift.whole_end if shift.whole_end is not None else at + 1 + REACH,
        )
        return OnCall(schedule.id, at, whole, None, *_next_after_shift(org, schedule, shift))
    gap = timeline.gaps[0]
    return OnCall(schedule.id, at, None, gap, *_next_after_gap(gap))


def _next_after_shift(org: Org, schedule: Schedule, shift: Shift) -> tuple[str | None, int | None]:
    """Who is on call next after ``shift``, and from when: who takes over from it, or, when a gap
    follows it, whoever ends the gap (None, None: nobody, or not known within the engine's reach)."""
    if shift.after is not None or shift.whole_end is None:
        return shift.after, shift.whole_end if shift.after else None
    return _next_after_gap(schedule_timeline(org, schedule, shift.whole_end, shift.whole_end + 1).gaps[0])


def _next_after_gap(gap: Gap) -> tuple[str | None, int | None]:
    """Who ends ``gap``, and when (None, None: nobody, or not known within the engine's reach)."""
    return gap.after, gap.whole_end if gap.after else None


def whois(org: Org, at: int, schedules: Iterable[str] | None = None) -> list[OnCall]:
    """``who_at`` for every selected schedule, sorted by schedule id."""
    return [who_at(org, schedule, at) for schedule in select_schedules(org, schedules, argument="schedule")]


class Answer(NamedTuple):
    """``who_at``'s answer at every instant of ``[start, end)``: ``on_call`` is that answer at
    ``start``, its gap (if any) clipped to the piece; at another instant of the piece only ``at``
    and that clipping differ."""

    start: int
    end: int
    on_call: OnCall


def answers_during(org: Org, schedule: Schedule, start: int, end: int) -> list[Answer] | None:
    """``who_at`` for every instant of ``[start, end)``, as pieces that tile it, one per shift or
    gap: an answer changes only at the edges of the shifts and gaps. None when an answer changes
    with the instant itself: a shift whose bounds lie beyond the engine's reach is answered with
    bounds as far as it looked from the instant asked."""
    timeline = schedule_timeline(org, schedule, start, end)
    answers: list[Answer] = []
    for shift in timeline.shifts:
        if shift.whole_start is None or shift.whole_end is None or not _within_reach(shift, start, end):
            return None
        answer = OnCall(schedule.id, shift.start, _whole(shift), None, *_next_after_shift(org, schedule, shift))
        answers.append(Answer(shift.start, shift.end, answer))
    for gap in timeline.gaps:
        if not _within_reach(gap, start, end):
            return None
        answers.append(Answer(gap.start, gap.end, OnCall(schedule.id, gap.start, None, gap, *_next_after_gap(gap))))
    answers.sort()
    return answers


def _whole(shift: Shift) -> Shift:
    assert shift.whole_start is not None and shift.whole_end is not None
    return shift._replace(start=shift.whole_start, end=shift.whole_end)


def _within_reach(item: Shift | Gap, start: int, end: int) -> bool:
    """Whether the bounds found for ``item`` from the span's edges are those found from any
    instant of it: each known bound lies well within the engine's reach of the whole span."""
    margin = REACH - (end - start) - 2 * 86400
    return ((item.whole_start is None or start - item.whole_start < margin)
            and (item.whole_end is None or item.whole_end - end < margin))
