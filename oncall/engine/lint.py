"""Warnings about schedules that are legal but wrong in practice, found by running the engine.

Each finding has a stable ``Problem.code``:

* ``gap``: coverage gaps in the next ``days`` days, each with its own bounds;
* ``never-on-call``: layer members who never get a turn inside the layer's windows (a daily
  rotation of 7 people restricted to weekdays: two of them never work);
* ``layer-covers-nothing``: layers whose turns are entirely lost to their windows;
* ``no-time-on-call``: members who get no time at all over a whole rotation cycle, because later
  layers or overrides cover every one of their turns;

``lint_clock`` adds the wall-clock warnings (handoffs in daylight-saving gaps and folds, turns of
hours where days are meant), ``lint_overrides`` those about overrides (on time off, replacing
someone who is not on call) and ``lint_links`` double bookings across linked schedules (an
override in a schedule that avoids another included); every code is listed in
``oncall.config.codes``.

Every look is over a bounded horizon (a few rotation cycles, at most about a year), and each
schedule is composed once for all its layers, so the cost grows with the number of turns in that
horizon, not with ``every`` or the product of layers.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import tzinfo
from pathlib import Path

from oncall.engine.lint_clock import clock_findings
from oncall.engine.lint_links import double_bookings
from oncall.engine.lint_overrides import override_findings
from oncall.engine.timeline import compose_runs, layer_pieces, layer_zone, schedule_timeline
from oncall.engine.turns import LayerClock
from oncall.errors import Location, Problem
from oncall.model import Gap, Layer, Org, Schedule
from oncall.times import DAY, length_text, local_text

_MAX_GAPS_LISTED = 3
_MAX_HORIZON = 366 * DAY  # the longest look at one layer
_MAX_LEAD = 400 * DAY  # layers starting further ahead than this are not looked at yet


def lint_org(org: Org, start: int, days: int = 28) -> list[Problem]:
    """Every warning for every schedule, for the ``days`` days from ``start``."""
    problems: list[Problem] = []
    for sid in sorted(org.schedules):
        schedule = org.schedules[sid]
        problems.extend(_gaps(org, schedule, start, start + days * DAY, days))
        problems.extend(_fairness(org, schedule, start, days))
        problems.extend(clock_findings(schedule, start, _where(org, schedule).file))
        problems.extend(override_findings(org, schedule, start, _where(org, schedule).file))
    files = {sid: _where(org, schedule).file for sid, schedule in org.schedules.items()}
    problems.extend(double_bookings(org, start, files))
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
    gaps = schedule_timeline(org, schedule, start, end).gaps
    if not gaps:
        return []
    tz = schedule.tz
    total = sum(g.end - g.start for g in gaps)
    listed = ", ".join(_gap_text(g, tz) for g in gaps[:_MAX_GAPS_LISTED])
    more = f" and {len(gaps) - _MAX_GAPS_LISTED} more" if len(gaps) > _MAX_GAPS_LISTED else ""
    count = f"{len(gaps)} coverage gap{'s' if len(gaps) > 1 else ''}"
    where = Location(_where(org, schedule).file, schedule.lines.get("layers", 0))  # where a layer would go
    return [Problem(
        f"schedule {schedule.id!r} has {count} in the next {days} days ({length_text(total)} with nobody "
        f"on call): {listed}{more}; add a layer or an override that covers them",
        where, "warning", "gap",
    )]


def _gap_text(gap: Gap, tz: tzinfo) -> str:
    """``from 2026-11-27 17:00 to 2026-11-30 09:00 EST (2d 16h)``: the gap's own bounds."""
    if gap.whole_start is None and gap.whole_end is None:
        return "nobody on call at all"
    if gap.whole_start is None:
        assert gap.whole_end is not None
        return f"until {local_text(gap.whole_end, tz)}"
    if gap.whole_end is None:
        return f"from {local_text(gap.whole_start, tz)} on"
    return f"from {local_text(gap.whole_start, tz)} to {local_text(gap.whole_end, tz)} ({length_text(gap.whole_end - gap.whole_start)})"



def _horizon(layer: Layer, clock: LayerClock, start: int, days: int) -> tuple[int, int, bool]:
    """One whole rotation cycle (at least ``days`` days) from ``start`` or the layer's start, and
    whether the layer's end cuts it short."""
    begin = max(start, clock.first)
    cycle = len(layer.people) * min(layer.every.seconds, _MAX_HORIZON)
    # A daily rotation against weekly windows repeats after lcm(n, 7) days; two cycles and a week cover it.
    end = begin + min(max(days * DAY, 2 * cycle + 7 * DAY), _MAX_HORIZON)
    if clock.last is not None and clock.last < end:
        return begin, clock.last, True
    return begin, end, False


def _fairness(org: Org, schedule: Schedule, start: int, days: int) -> list[Problem]:
    """Members who never work, layers that cover nothing, members shadowed by other layers.

    A layer that ends within its look is judged only on covering nothing at all, and only when
    the look holds its whole life: who gets turns in the last weeks of a layer (one a roster
    change ends and continues, say) says nothing about its rotation."""
    looks: list[tuple[Layer, int, int, bool]] = []
    for layer in schedule.layers:
        clock = LayerClock(layer, layer_zone(schedule, layer))
        begin, end, cut = _horizon(layer, clock, start, days)
        if begin < end and begin - start <= _MAX_LEAD and not (cut and clock.first < start):
            looks.append((layer, begin, end, cut))
    if not looks:
        return []
    # The whole schedule, composed once over every layer's horizon.
    runs = compose_runs(org, schedule, min(b for _, b, _, _ in looks), max(e for _, _, e, _ in looks))
    problems: list[Problem] = []
    for layer, begin, end, cut in looks:
        where = layer.location or _where(org, schedule)
        alone = layer_pieces(org, schedule, layer, begin, end, with_time_off=False)
        if not alone:
            reason = "its restriction windows" if layer.only else "its start and end"
            problems.append(Problem(
                f"layer {layer.name!r} of schedule {schedule.id!r} covers nothing: every turn is lost to {reason}; "
                "widen `only:` or change `every:`/`start:`", where, "warning", "layer-covers-nothing",
            ))
            continue
        if cut:
            continue
        covered = {p for _, _, p, _ in alone}
        idle = [p for p in dict.fromkeys(layer.people) if p not in covered]
        if idle:
            if layer.advance != "covered" and _covered_would_fix(org, schedule, layer, begin, end):
                fix = "write `advance: covered` on the layer, so that only turns meeting the windows count"
            else:
                fix = "change the number of people, `every:` or the windows"
            problems.append(Problem(
                f"in layer {layer.name!r} of schedule {schedule.id!r}, {', '.join(idle)} never get(s) a turn inside "
                f"the layer's windows (a rotation of {len(layer.people)} every {layer.every} against `only:`); "
                f"{fix}", where, "warning", "never-on-call",
            ))
        shown = {person for s, e, person, _ in runs if person in covered and s < end and e > begin}
        shadowed = [p for p in dict.fromkeys(layer.people) if p in covered and p not in shown]
        if shadowed:
            problems.append(Problem(
                f"in layer {layer.name!r} of schedule {schedule.id!r}, {', '.join(shadowed)} get(s) no time on call "
                f"in the next {(end - begin) // DAY} days: later layers, overrides or time off cover all their turns",
                where, "warning", "no-time-on-call",
            ))
    return problems


def _covered_would_fix(org: Org, schedule: Schedule, layer: Layer, begin: int, end: int) -> bool:
    """Whether ``advance: covered`` would give every member a turn inside the windows."""
    counted = replace(layer, advance="covered")
    covered = {p for _, _, p, _ in layer_pieces(org, schedule, counted, begin, end, with_time_off=False)}
    return covered >= set(layer.people)
