"""Turn arithmetic for one layer (rule 1 of docs/scheduling.md) and restriction windows (rule 2).

Turn k of a layer starts at ``start + k·every``: on the local wall clock for ``d``/``w`` steps, as
elapsed time for ``h`` steps. Finding the turn for an instant is a division, not a walk, so a
rotation that began years ago costs the same as one that began yesterday.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import tzinfo

from oncall.model import Layer, Window
from oncall.times import DAY, wall_seconds, zone_clock


class LayerClock:
    """Where a layer's turns fall, in epoch seconds."""

    __slots__ = ("clock", "start_wall", "first", "last", "calendar", "step")

    def __init__(self, layer: Layer, tz: tzinfo) -> None:
        self.clock = zone_clock(tz)
        self.start_wall = wall_seconds(layer.start)
        self.first = self.clock.to_instant(self.start_wall)
        self.last = self.clock.to_instant(wall_seconds(layer.end)) if layer.end is not None else None
        self.calendar = layer.every.is_calendar
        # wall seconds per turn for days/weeks, elapsed seconds for hours
        self.step = layer.every.days * DAY if self.calendar else layer.every.seconds

    def turn_start(self, k: int) -> int:
        """The instant turn ``k`` starts (k may be any integer; negative turns are never covered)."""
        if self.calendar:
            return self.clock.to_instant(self.start_wall + k * self.step)
        return self.first + k * self.step

    def turn_at(self, t: int) -> int:
        """The turn ``k`` with ``turn_start(k) <= t < turn_start(k + 1)``."""
        if not self.calendar:
            return (t - self.first) // self.step
        k = (self.clock.to_wall(t) - self.start_wall) // self.step
        # The wall-clock estimate is off by at most one turn around a DST change.
        while self.turn_start(k) > t:
            k -= 1
        while self.turn_start(k + 1) <= t:
            k += 1
        return k

    def active(self, start: int, end: int) -> tuple[int, int]:
        """``[start, end)`` clipped to the layer's own ``[start, end)`` (empty when ``lo >= hi``)."""
        return max(start, self.first), end if self.last is None else min(end, self.last)

    def turns(self, start: int, end: int) -> Iterator[tuple[int, int, int]]:
        """``(k, from, to)`` for every turn overlapping ``[start, end)``, clipped to it and to the
        layer's own ``[start, end)``."""
        lo, hi = self.active(start, end)
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
    instants. Windows are read on the wall clock of ``tz``, each starting on one of its days."""
    if start >= end:
        return []
    clock = zone_clock(tz)
    to_instant = clock.to_instant
    first_day = clock.to_wall(start) // DAY - 1
    last_day = clock.to_wall(end) // DAY
    bounds = [(w.days, w.start * 60, (w.start + w.length) * 60) for w in windows]
    spans: list[tuple[int, int]] = []
    for day in range(first_day, last_day + 1):
        weekday = (day + 3) % 7  # 1970-01-01 was a Thursday
        midnight = day * DAY
        for days, opens, closes in bounds:
            if weekday not in days:
                continue
            s = to_instant(midnight + opens)
            e = to_instant(midnight + closes)
            if s < start:
                s = start
            if e > end:
                e = end
            if s < e:
                spans.append((s, e))
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
