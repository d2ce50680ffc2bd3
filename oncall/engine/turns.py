"""Turn arithmetic for one layer (SPEC §4 rule 1) and restriction windows (rule 2).

Turn k of a layer starts at ``start + k·every``: on the local wall clock for ``d``/``w`` steps, as
elapsed time for ``h`` steps. Finding the turn for an instant is a division, not a walk, so a
rotation that began years ago costs the same as one that began yesterday.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, tzinfo

from oncall.model import Layer, Window
from oncall.times import epoch_to_wall, wall_to_epoch

DAY = 86400


class LayerClock:
    """Where a layer's turns fall, in epoch seconds."""

    __slots__ = ("tz", "start_wall", "first", "last", "calendar", "step")

    def __init__(self, layer: Layer, tz: tzinfo) -> None:
        self.tz = tz
        self.start_wall: datetime = layer.start
        self.first = wall_to_epoch(layer.start, tz)
        self.last = wall_to_epoch(layer.end, tz) if layer.end is not None else None
        self.calendar = layer.every.is_calendar
        self.step = layer.every.days if self.calendar else layer.every.seconds

    def turn_start(self, k: int) -> int:
        """The instant turn ``k`` starts (k may be any integer; negative turns are never covered)."""
        if self.calendar:
            return wall_to_epoch(self.start_wall + timedelta(days=k * self.step), self.tz)
        return self.first + k * self.step

    def turn_at(self, t: int) -> int:
        """The turn ``k`` with ``turn_start(k) <= t < turn_start(k + 1)``."""
        if not self.calendar:
            return (t - self.first) // self.step
        elapsed = epoch_to_wall(t, self.tz) - self.start_wall
        k = int((elapsed.days * DAY + elapsed.seconds) // (self.step * DAY))
        # The wall-clock estimate is off by at most one turn around a DST change.
        while self.turn_start(k) > t:
            k -= 1
        while self.turn_start(k + 1) <= t:
            k += 1
        return k

    def turns(self, start: int, end: int) -> Iterator[tuple[int, int, int]]:
        """``(k, from, to)`` for every turn overlapping ``[start, end)``, clipped to it and to the
        layer's own ``[start, end)``."""
        lo = max(start, self.first)
        hi = end if self.last is None else min(end, self.last)
        if lo >= hi:
            return
        k = self.turn_at(lo)
        begin = self.turn_start(k)
        while begin < hi:
            finish = self.turn_start(k + 1)
            s, e = max(begin, lo), min(finish, hi)
            if s < e:
                yield k, s, e
            k += 1
            begin = finish


def window_instants(windows: tuple[Window, ...], tz: tzinfo, start: int, end: int) -> list[tuple[int, int]]:
    """The union of a layer's restriction windows within ``[start, end)``, as sorted disjoint
    instants. Windows are read on the schedule's wall clock, each starting on one of its days."""
    first_day = (epoch_to_wall(start, tz) - timedelta(days=1)).date()
    last_day = epoch_to_wall(end, tz).date()
    spans: list[tuple[int, int]] = []
    day = first_day
    one = timedelta(days=1)
    while day <= last_day:
        midnight = datetime(day.year, day.month, day.day)
        weekday = day.weekday()
        for window in windows:
            if weekday not in window.days:
                continue
            s = wall_to_epoch(midnight + timedelta(minutes=window.start), tz)
            e = wall_to_epoch(midnight + timedelta(minutes=window.start + window.length), tz)
            s, e = max(s, start), min(e, end)
            if s < e:
                spans.append((s, e))
        day += one
    return union(spans)


def union(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, merged ``[start, end)`` spans (touching spans join)."""
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            if e > merged[-1][1]:
                merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged


def intersect(
    turns: Iterator[tuple[int, int, int]], spans: list[tuple[int, int]]
) -> Iterator[tuple[int, int, int]]:
    """Clip each ``(k, from, to)`` turn to the sorted disjoint ``spans``."""
    i = 0
    count = len(spans)
    for k, s, e in turns:
        while i < count and spans[i][1] <= s:
            i += 1
        j = i
        while j < count and spans[j][0] < e:
            lo, hi = max(s, spans[j][0]), min(e, spans[j][1])
            if lo < hi:
                yield k, lo, hi
            j += 1
