"""Warnings about the wall clock: handoffs and window edges in daylight-saving gaps and folds,
and turns counted in elapsed hours where days are meant.

* ``nonexistent-handoff``: a handoff (a turn's start or the layer's end) or a window edge falls
  in a spring-forward gap on some date in the next year. Such a reading moves forward by the gap
  (02:30 on the day New York springs forward is 03:30 EDT), as docs/scheduling.md says.
* ``ambiguous-handoff``: one falls in a fall-back fold; its first occurrence is used.
* ``elapsed-turns-with-windows``: ``every`` in hours, a whole number of days, on a layer with
  windows or in a zone that changes its offset in the next year: turns of elapsed hours drift an
  hour against the wall clock at each change, where ``1d`` keeps them in place.

Only the zone's offset changes in the next year are looked at (two in most zones), each with
arithmetic on the layer's turns and windows: nothing walks turn by turn.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import tzinfo
from typing import NamedTuple

from oncall.config import codes
from oncall.engine.timeline import layer_zone
from oncall.engine.turns import LayerClock
from oncall.errors import Location, Problem
from oncall.model import WEEKDAYS, Layer, Schedule, Window
from oncall.times import DAY, local_text, wall_datetime, wall_seconds, zone_clock

YEAR = 366 * DAY  # how far ahead handoffs are looked at
_DATES_LISTED = 3


class Jump(NamedTuple):
    """One change of a zone's UTC offset: at ``instant`` it goes from ``before`` to ``after``."""

    instant: int
    before: int
    after: int

    @property
    def gap(self) -> bool:
        return self.after > self.before

    @property
    def walls(self) -> tuple[int, int]:
        """The wall-clock readings ``[lo, hi)`` that do not exist (a gap) or happen twice (a fold)."""
        low, high = sorted((self.before, self.after))
        return self.instant + low, self.instant + high

    def affects(self, wall: int) -> bool:
        """Whether a reading is in the gap or the fold. The first reading of a gap (02:00 when
        02:00 jumps to 03:00) is the instant of the jump itself, so nothing moves: it is not."""
        lo, hi = self.walls
        return (lo < wall if self.gap else lo <= wall) and wall < hi


def jumps(tz: tzinfo, start: int, end: int) -> list[Jump]:
    """The offset changes of ``tz`` within ``[start, end)``."""
    clock = zone_clock(tz)
    return [Jump(t, clock.to_wall(t - 1) - (t - 1), clock.to_wall(t) - t) for t in clock.offset_changes(start, end)]


def clock_findings(schedule: Schedule, start: int, file: str) -> list[Problem]:
    """Every wall-clock warning of ``schedule``'s layers in the year from ``start``; ``file`` is
    the schedule's file as messages name it."""
    problems: list[Problem] = []
    for layer in schedule.layers:
        tz = layer_zone(schedule, layer)
        clock = LayerClock(layer, tz)
        lo, hi = clock.active(start, start + YEAR)
        if lo >= hi:
            continue
        changes = jumps(tz, lo, hi)
        where = _Where(file, layer)
        problems += _elapsed(schedule, layer, clock, tz, changes, lo, where)
        if changes:
            problems += _handoffs(schedule, layer, clock, tz, changes, where)
            problems += _window_edges(schedule, layer, clock, tz, changes, lo, hi, where)
    return problems


class _Where:
    """The line of a key of a layer (or of one of its windows) in the schedule's file."""

    def __init__(self, file: str, layer: Layer) -> None:
        self.file, self.layer = file, layer

    def __call__(self, key: str, window: Window | None = None) -> Location:
        owner = window if window is not None else self.layer
        line = owner.lines.get(key) or (owner.location.line if owner.location else 0)
        return Location(self.file, line)


# --------------------------------------------------------------------------- gaps and folds


def _handoffs(schedule: Schedule, layer: Layer, clock: LayerClock, tz: tzinfo, changes: list[Jump],
              where: _Where) -> list[Problem]:
    """Turn starts (for turns of days or weeks, read on the wall clock) and the layer's end."""
    hits: dict[tuple[str, bool], list[tuple[int, Jump]]] = {}  # (key, gap) -> (wall, jump)
    for jump in changes:
        lo = jump.walls[0]
        end = wall_seconds(layer.end) if layer.end is not None else None
        if clock.calendar:
            k = max(0, -(-(lo - clock.start_wall) // clock.step))
            wall = clock.start_wall + k * clock.step
            if jump.affects(wall) and (end is None or wall < end) and (not layer.only or _covered(layer.only, wall)):
                hits.setdefault(("start", jump.gap), []).append((wall, jump))
        elif jump.affects(clock.start_wall):
            hits.setdefault(("start", jump.gap), []).append((clock.start_wall, jump))
        if end is not None and jump.affects(end):
            hits.setdefault(("end", jump.gap), []).append((end, jump))
    problems = []
    for (key, gap), found in hits.items():
        what = "handoff" if key == "start" else "end"
        subject = f"in layer {layer.name!r} of schedule {schedule.id!r}, the {_clock(found[0][0])} {what}"
        problems.append(_problem(subject, found, tz, gap, where(key), f"`{key}:`"))
    return problems


def _window_edges(schedule: Schedule, layer: Layer, clock: LayerClock, tz: tzinfo, changes: list[Jump],
                  lo: int, hi: int, where: _Where) -> list[Problem]:
    """Where a window opens or closes, on the days it starts on (an edge inside the union of the
    windows, where one window ends as the next begins, is no edge)."""
    problems = []
    for window in layer.only:
        opens, closes = window.start * 60, (window.start + window.length) * 60
        for key, offset in (("from", opens), ("to", closes)):
            by_kind: dict[bool, list[tuple[int, Jump]]] = {}
            for jump in changes:
                first, last = jump.walls
                for day in range((first - offset) // DAY, (last - 1 - offset) // DAY + 1):
                    wall = day * DAY + offset
                    if not jump.affects(wall) or _weekday(day) not in window.days:
                        continue
                    instant = clock.clock.to_instant(wall)
                    inside = _covered(layer.only, wall - 1) and _covered(layer.only, wall)
                    if lo <= instant < hi and not inside:
                        by_kind.setdefault(jump.gap, []).append((wall, jump))
            for gap, found in by_kind.items():
                verb = "opens" if key == "from" else "closes"
                subject = (f"in layer {layer.name!r} of schedule {schedule.id!r}, the window "
                           f"{_window_text(window)} {verb} at {_clock(found[0][0])}, which")
                problems.append(_problem(subject, found, tz, gap, where(key, window), f"the window's `{key}:`"))
    return problems


def _problem(subject: str, found: list[tuple[int, Jump]], tz: tzinfo, gap: bool, where: Location,
             key: str) -> Problem:
    """One warning for one handoff (or edge) time, listing the dates it falls in a gap or fold."""
    wall, jump = found[0]
    dates = _dates(w for w, _ in found)
    turn = "springs forward" if gap else "falls back"
    change = f"{_zone_name(tz)} {turn} from {_clock(jump.instant + jump.before)} to {_clock(jump.instant + jump.after)}"
    first, last = jump.walls
    becomes = _local(zone_clock(tz).to_instant(wall), tz)
    if gap:
        return Problem(
            f"{subject} is in the spring-forward gap on {dates} ({change}): it moves forward by the gap, to "
            f"{becomes}; move {key} out of {_clock(first)}-{_clock(last)}", where, "warning",
            codes.NONEXISTENT_HANDOFF)
    return Problem(
        f"{subject} happens twice on {dates} ({change}): the first, {becomes}, is used; move {key} out of "
        f"{_clock(first)}-{_clock(last)} to make it unambiguous", where, "warning", codes.AMBIGUOUS_HANDOFF)


# --------------------------------------------------------------------------- elapsed turns


def _elapsed(schedule: Schedule, layer: Layer, clock: LayerClock, tz: tzinfo, changes: list[Jump], lo: int,
             where: _Where) -> list[Problem]:
    every = layer.every
    if every.unit != "h" or every.count % 24 or not (changes or layer.only):
        return []
    days = every.count // 24
    meant = f"{days // 7}w" if days % 7 == 0 else f"{days}d"
    subject = f"every: {every} in layer {layer.name!r} of schedule {schedule.id!r} counts elapsed hours"
    if not changes:
        return [Problem(
            f"{subject}, while its windows are read on the wall clock; in {_zone_name(tz)} that is the same as "
            f"{meant} today, but write every: {meant} so that turns keep to the wall clock as the windows do",
            where("every"), "warning", codes.ELAPSED_TURNS)]
    jump = changes[0]
    before = clock.turn_start(max(clock.turn_at(max(lo, clock.first)), 0))
    after = clock.turn_start(clock.turn_at(jump.instant) + 1)
    then = _local(after, tz)
    return [Problem(
        f"{subject}: its handoffs are at {_clock(clock.clock.to_wall(before))} now, but after {_zone_name(tz)} changes "
        f"its clocks on {_dates([jump.instant + jump.after])} they are at {then}; write every: {meant} to keep "
        f"them at {_clock(clock.clock.to_wall(before))} on the wall clock",
        where("every"), "warning", codes.ELAPSED_TURNS)]


# --------------------------------------------------------------------------- helpers


def _covered(windows: tuple[Window, ...], wall: int) -> bool:
    """Whether a wall-clock reading lies inside one of the windows."""
    day = wall // DAY
    for window in windows:
        for start_day in (day, day - 1):
            opens = start_day * DAY + window.start * 60
            if _weekday(start_day) in window.days and opens <= wall < opens + window.length * 60:
                return True
    return False


def _weekday(day: int) -> int:
    return (day + 3) % 7  # 1970-01-01 was a Thursday


def _clock(wall: int) -> str:
    return f"{wall % DAY // 3600:02d}:{wall % 3600 // 60:02d}"


def _dates(walls: Iterable[int]) -> str:
    days = sorted({wall_datetime(w).date().isoformat() for w in walls})
    shown = ", ".join(days[:_DATES_LISTED])
    return shown + (f" and {len(days) - _DATES_LISTED} more" if len(days) > _DATES_LISTED else "")


def _local(instant: int, tz: tzinfo) -> str:
    """``03:30 EDT``: the reading of an instant in ``tz``, with the zone's abbreviation."""
    return local_text(instant, tz)[11:]



def _zone_name(tz: tzinfo) -> str:
    return getattr(tz, "key", None) or str(tz)


def _window_text(window: Window) -> str:
    days = ",".join(WEEKDAYS[d] for d in sorted(window.days)) if len(window.days) < 7 else "daily"
    end = window.start + window.length
    return f"{days} {_clock(window.start * 60)}-{'24:00' if end == 1440 else _clock(end * 60)}"
