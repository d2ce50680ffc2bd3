"""Turn arithmetic for one layer (rule 1 of docs/scheduling.md) and restriction windows (rule 2).

Turn k of a layer starts at ``start + k·every``: on the local wall clock for ``d``/``w`` steps, as
elapsed time for ``h`` steps. Finding the turn for an instant is a division, not a walk, so a
rotation that began years ago costs the same as one that began yesterday.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from datetime import tzinfo
from math import gcd
from operator import itemgetter
from typing import Any, TypeVar, cast

from oncall.model import Layer, Window
from oncall.times import DAY, wall_seconds, zone_clock

_START, _END = itemgetter(0), itemgetter(1)  # a span's start and end
_Span = TypeVar("_Span", bound=tuple[Any, ...])  # a span, or a piece: its start and end first


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

    def turn_starts(self, first: int, stop: int) -> list[int]:
        """``turn_start(k)`` for each ``k`` in ``range(first, stop)``."""
        if self.calendar:
            return self.clock.to_instants(range(self.start_wall + first * self.step,
                                                self.start_wall + stop * self.step, self.step))
        return list(range(self.first + first * self.step, self.first + stop * self.step, self.step))

    def turns(self, start: int, end: int) -> list[tuple[int, int, int]]:
        """``(k, from, to)`` for every turn overlapping ``[start, end)``, clipped to it and to the
        layer's own ``[start, end)``."""
        lo, hi = self.active(start, end)
        if lo >= hi:
            return []
        first, last = self.turn_at(lo), self.turn_at(hi - 1)
        edges = [lo, *self.turn_starts(first + 1, last + 1), hi]
        # A turn can be empty: a calendar day that a zone skipped (Samoa, 2011-12-30).
        return [(k, s, e) for k, s, e in zip(range(first, last + 1), edges, edges[1:], strict=False) if s < e]


def window_instants(windows: tuple[Window, ...], tz: tzinfo, start: int, end: int) -> list[tuple[int, int]]:
    """The union of a layer's restriction windows within ``[start, end)``, as sorted disjoint
    instants. Windows are read on the wall clock of ``tz``, each starting on one of its days."""
    if start >= end:
        return []
    clock = zone_clock(tz)
    days = range(clock.to_wall(start) // DAY - 1, clock.to_wall(end) // DAY + 1)
    spans: list[tuple[int, int]] = []
    for window in windows:
        # 1970-01-01 (day 0) was a Thursday
        opens = [day * DAY + window.start * 60 for day in days if (day + 3) % 7 in window.days]
        length = window.length * 60
        closes = clock.to_instants([wall + length for wall in opens])
        # (a window in a spring-forward gap can end before it starts: it covers nothing)
        spans += [(s, e) for s, e in zip(clock.to_instants(opens), closes, strict=True) if s < e]
    # The days looked at reach a day or so beyond [start, end): only the spans at its ends need
    # dropping or clipping.
    return clip(union(spans), start, end)


def clip(spans: list[_Span], start: int, end: int) -> list[_Span]:
    """The sorted disjoint ``spans`` (tuples that begin with their start and end) clipped to
    ``[start, end)``, found by bisection."""
    inside = spans[bisect_right(spans, start, key=_END):bisect_left(spans, end, key=_START)]
    if inside and inside[0][0] < start:
        inside[0] = cast(_Span, (start, *inside[0][1:]))
    if inside and inside[-1][1] > end:
        inside[-1] = cast(_Span, (inside[-1][0], end, *inside[-1][2:]))
    return inside


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
    turns: Iterable[tuple[int, int, int]], spans: list[tuple[int, int]]
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


WEEK = 7 * DAY
_MARGIN = 2 * DAY  # periods this close to an offset change are checked one by one


class CoveredPeriods:
    """Which of a layer's periods meet its windows, and how many before a given one
    (``advance: covered``, rule 9 of docs/scheduling.md).

    Period j runs from ``turn_start(j)`` to ``turn_start(j + 1)``. Between two changes of the
    zone's UTC offset, the wall clock is the instant plus a constant, and the windows repeat every
    week on the wall clock; so whether period j meets them repeats with j (every ``7 / gcd(days,
    7)`` periods for days and weeks, every ``168 / gcd(hours, 168)`` for hours). Counting the
    covered periods before j is therefore arithmetic over the stretches between offset changes
    (two a year in most zones), with only the periods within two days of a change checked one by
    one. It never walks the rotation from its start.
    """

    __slots__ = ("clock", "windows", "tz", "spans", "patterns")

    def __init__(self, clock: LayerClock, windows: tuple[Window, ...], tz: tzinfo) -> None:
        self.clock, self.windows, self.tz = clock, windows, tz
        # the windows on a week of wall clock from Monday 00:00, repeated a week either side
        spans = []
        for w in windows:
            for day in w.days:
                opens = day * DAY + w.start * 60
                for shift in (-WEEK, 0, WEEK):
                    spans.append((opens + shift, opens + w.length * 60 + shift))
        self.spans = union(spans)
        self.patterns: dict[int, tuple[int, list[int]]] = {}  # wall base -> (cycle length, prefix counts)

    def covered(self, j: int) -> bool:
        """Whether period ``j`` meets the windows (checked on the instants themselves)."""
        start, end = self.clock.turn_start(j), self.clock.turn_start(j + 1)
        return bool(window_instants(self.windows, self.tz, start, end))

    def before(self, j: int) -> int:
        """How many of periods ``0 .. j-1`` meet the windows."""
        if j <= 0:
            return 0
        clock = self.clock
        changes = clock.clock.offset_changes(clock.first - _MARGIN, clock.turn_start(j) + _MARGIN)
        count = 0
        k = 0  # periods before k are counted
        for change in changes:
            near_lo = max(clock.turn_at(change - _MARGIN), 0)
            near_hi = clock.turn_at(change + _MARGIN) + 1
            if near_lo > k:
                count += self._arithmetic(k, min(near_lo, j))
            for i in range(max(k, near_lo), min(near_hi, j)):
                count += self.covered(i)
            k = max(k, near_hi)
            if k >= j:
                return count
        return count + self._arithmetic(k, j)

    def _arithmetic(self, lo: int, hi: int) -> int:
        """Covered periods in ``[lo, hi)``, all in one stretch of constant UTC offset."""
        if hi <= lo:
            return 0
        clock = self.clock
        if clock.calendar:
            base, step = clock.start_wall, clock.step  # period j starts at base + j·step, wall clock
        else:
            start = clock.turn_start(lo)
            base, step = clock.clock.to_wall(start) - lo * clock.step, clock.step
        cycle, prefix = self._pattern(base % WEEK, step)
        return _count_to(hi, cycle, prefix) - _count_to(lo, cycle, prefix)

    def _pattern(self, base: int, step: int) -> tuple[int, list[int]]:
        known = self.patterns.get(base)
        if known is None:
            cycle = WEEK // gcd(step, WEEK)
            prefix = [0]
            for r in range(cycle):
                prefix.append(prefix[-1] + self._meets(base + r * step, step))
            known = self.patterns[base] = (cycle, prefix)
        return known

    def _meets(self, wall: int, length: int) -> bool:
        """Whether ``[wall, wall + length)`` on the wall clock meets a window."""
        if length >= WEEK:
            return bool(self.spans)
        lo = (wall + 3 * DAY) % WEEK  # 1970-01-01 was a Thursday: Monday 00:00 is 0
        hi = lo + length
        return any(s < hi and e > lo for s, e in self.spans)


def _count_to(j: int, cycle: int, prefix: list[int]) -> int:
    """Covered periods in ``[0, j)`` of a pattern repeating every ``cycle`` periods."""
    full, rest = divmod(j, cycle)
    return full * prefix[-1] + prefix[rest]
