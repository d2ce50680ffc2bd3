"""Warnings about schedules that are legal but wrong in practice, found by running the engine.

* coverage gaps in the next ``days`` days;
* layer members who never get a turn inside the layer's windows (a daily rotation of 7 people
  restricted to weekdays: two of them never work);
* layers whose turns are entirely lost to their windows;
* members who get no time at all over a whole rotation cycle, because later layers or overrides
  cover every one of their turns.
"""

from __future__ import annotations

from pathlib import Path

from oncall.engine import schedule_timeline
from oncall.engine.timeline import layer_pieces
from oncall.errors import Location, Problem
from oncall.model import Layer, Org, Schedule
from oncall.times import iso

_DAY = 86400
_MAX_GAPS_LISTED = 3


def lint_org(org: Org, start: int, days: int = 28) -> list[Problem]:
    """Every warning for every schedule, for the ``days`` days from ``start``."""
    problems: list[Problem] = []
    for sid in sorted(org.schedules):
        schedule = org.schedules[sid]
        problems.extend(_gaps(org, schedule, start, start + days * _DAY, days))
        for layer in schedule.layers:
            problems.extend(_fairness(org, schedule, layer, start, days))
    return problems


def _where(org: Org, schedule: Schedule) -> Location:
    path = schedule.path
    if path is None:
        return Location(f"schedules/{schedule.id}.yaml")
    try:
        return Location(str(Path(path).resolve().relative_to(Path(org.root).resolve())))
    except (ValueError, TypeError):
        return Location(str(path))


def _gaps(org: Org, schedule: Schedule, start: int, end: int, days: int) -> list[Problem]:
    gaps = schedule_timeline(schedule, org.people, start, end).gaps
    if not gaps:
        return []
    tz = schedule.tz
    hours = sum(g.end - g.start for g in gaps) / 3600
    listed = ", ".join(f"{iso(g.start, tz)} to {iso(g.end, tz)}" for g in gaps[:_MAX_GAPS_LISTED])
    more = f" and {len(gaps) - _MAX_GAPS_LISTED} more" if len(gaps) > _MAX_GAPS_LISTED else ""
    return [Problem(
        f"schedule {schedule.id!r} has {len(gaps)} coverage gap(s) in the next {days} days "
        f"({hours:g} h with nobody on call): {listed}{more}; add a layer or an override that covers them",
        _where(org, schedule), "warning",
    )]


def _fairness(org: Org, schedule: Schedule, layer: Layer, start: int, days: int) -> list[Problem]:
    """Look over one whole rotation cycle (at least ``days`` days) from ``start`` or the layer's start."""
    from oncall.engine.turns import LayerClock

    clock = LayerClock(layer, schedule.tz)
    begin = max(start, clock.first)
    cycle = len(layer.people) * layer.every.seconds
    # A daily rotation against weekly windows repeats after lcm(n, 7) days; two cycles and a week cover it.
    horizon = max(days * _DAY, 2 * cycle + 7 * _DAY)
    end = begin + min(horizon, 730 * _DAY)
    if clock.last is not None:
        end = min(end, clock.last)
    if end <= begin:
        return []
    where = layer.location or _where(org, schedule)
    alone = layer_pieces(layer, schedule, org.people, begin, end, with_time_off=False)
    if not alone:
        reason = "its restriction windows" if layer.only else "its start and end"
        return [Problem(
            f"layer {layer.name!r} of schedule {schedule.id!r} covers nothing: every turn is lost to {reason}; "
            "widen `only:` or change `every:`/`start:`", where, "warning",
        )]
    covered = {p for _, _, p, _ in alone}
    problems = []
    idle = [p for p in dict.fromkeys(layer.people) if p not in covered]
    if idle:
        problems.append(Problem(
            f"in layer {layer.name!r} of schedule {schedule.id!r}, {', '.join(idle)} never get(s) a turn inside "
            f"the layer's windows (a rotation of {len(layer.people)} every {layer.every} against `only:`); "
            "change the number of people, `every:` or the windows", where, "warning",
        ))
    shown = {s.person for s in schedule_timeline(schedule, org.people, begin, end).shifts if
             s.person in covered}
    shadowed = [p for p in dict.fromkeys(layer.people) if p in covered and p not in shown]
    if shadowed:
        problems.append(Problem(
            f"in layer {layer.name!r} of schedule {schedule.id!r}, {', '.join(shadowed)} get(s) no time on call "
            f"in the next {(end - begin) // _DAY} days: later layers, overrides or time off cover all their turns",
            where, "warning",
        ))
    return problems
