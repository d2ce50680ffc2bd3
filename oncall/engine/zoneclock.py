"""Fast wall-clock ↔ instant conversion for one timezone, from its list of UTC-offset changes.

The engine converts hundreds of thousands of wall-clock readings a year of schedules; going
through ``datetime.replace(tzinfo=...).timestamp()`` for each costs more than all the rest of
the engine. A zone's offset changes a few times a year, so we find those changes once per year
(asking ``zoneinfo`` itself, so the answers are the same) and convert with a bisection.

Readings are "wall seconds": seconds since 1970-01-01T00:00 on the local wall clock.
The fold=0 rule of SPEC §2 holds: a reading in a spring-forward gap uses the offset from
before the jump; an ambiguous reading is its first occurrence.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import UTC, datetime, tzinfo
from functools import lru_cache

_DAY = 86400
_YEAR0 = 1970


def _offset(tz: tzinfo, t: int) -> int:
    off = datetime.fromtimestamp(t, tz).utcoffset()
    return int(off.total_seconds()) if off is not None else 0


def _year_start(year: int) -> int:
    return int(datetime(year, 1, 1, tzinfo=UTC).timestamp())


class ZoneClock:
    """Offset changes of one zone, found lazily a year at a time."""

    __slots__ = ("tz", "years", "changes", "wall_keys", "offsets_after", "first_offset", "safe_lo", "safe_hi")

    def __init__(self, tz: tzinfo) -> None:
        self.tz = tz
        self.years: tuple[int, int] | None = None  # [lo, hi) years scanned
        self.changes: list[int] = []  # UTC instants at which the offset changes
        self.wall_keys: list[int] = []  # wall seconds from which the new offset applies (fold=0)
        self.offsets_after: list[int] = []
        self.first_offset = 0
        # instants (and wall readings) strictly inside these need no further scanning
        self.safe_lo = self.safe_hi = 0

    def _scan(self, lo: int, hi: int) -> list[tuple[int, int, int]]:
        """(instant, before, after) for every offset change in years [lo, hi)."""
        found = []
        t = _year_start(lo)
        end = _year_start(hi)
        before = _offset(self.tz, t)
        while t < end:
            nxt = min(t + _DAY, end)
            after = _offset(self.tz, nxt)
            if after != before:
                a, b = t, nxt  # the change is in (a, b]
                while b - a > 1:
                    mid = (a + b) // 2
                    if _offset(self.tz, mid) == before:
                        a = mid
                    else:
                        b = mid
                found.append((b, before, after))
            before = after
            t = nxt
        return found

    def _cover(self, year: int) -> None:
        if self.years is None:
            lo, hi = year, year + 1
            self.first_offset = _offset(self.tz, _year_start(lo))
        else:
            lo, hi = self.years
            if lo < year < hi - 1:
                return
            lo, hi = min(lo, year - 1), max(hi, year + 2)
        changes = self._scan(lo, hi)
        self.years = (lo, hi)
        self.first_offset = _offset(self.tz, _year_start(lo))
        self.changes = [t for t, _, _ in changes]
        self.wall_keys = [t + max(b, a) for t, b, a in changes]
        self.offsets_after = [a for _, _, a in changes]
        self.safe_lo = _year_start(lo) + 2 * _DAY
        self.safe_hi = _year_start(hi) - 2 * _DAY

    def _year_of(self, seconds: int) -> int:
        return _YEAR0 + int(seconds // (365.2425 * _DAY))

    def ensure(self, start: int, end: int) -> None:
        """Make conversions within instants ``[start, end)`` (± a day) exact."""
        for year in range(self._year_of(start - _DAY), self._year_of(end + _DAY) + 1):
            self._cover(year)

    def to_instant(self, wall: int) -> int:
        """The instant of a wall-clock reading (fold=0)."""
        if not self.safe_lo < wall < self.safe_hi:
            self._cover(self._year_of(wall))
        i = bisect_right(self.wall_keys, wall)
        return wall - (self.offsets_after[i - 1] if i else self.first_offset)

    def to_wall(self, instant: int) -> int:
        """The wall-clock reading of an instant."""
        if not self.safe_lo < instant < self.safe_hi:
            self._cover(self._year_of(instant))
        i = bisect_right(self.changes, instant)
        return instant + (self.offsets_after[i - 1] if i else self.first_offset)


@lru_cache(maxsize=256)
def zone_clock(tz: tzinfo) -> ZoneClock:
    """The shared ``ZoneClock`` of ``tz``."""
    return ZoneClock(tz)


def wall_seconds(moment: datetime) -> int:
    """Wall seconds of a naive wall-clock reading."""
    return (moment.toordinal() - 719163) * _DAY + moment.hour * 3600 + moment.minute * 60 + moment.second
