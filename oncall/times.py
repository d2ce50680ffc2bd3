"""Parsing and converting the time values of docs/formats.md ("Times, durations and YAML quoting").

Internally the engine works in integer seconds since the Unix epoch (UTC instants).
Local wall-clock readings are naive ``datetime`` objects; ``wall_to_epoch`` turns one into an
instant with RFC 5545's rule (``fold=0``): a reading in the spring-forward gap takes the
offset from before the jump, an ambiguous one is its first occurrence.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DAY = 86400  # seconds in a day of elapsed time (a wall-clock day can have 23 or 25 hours)

_DURATION = re.compile(r"^\s*([0-9]+)\s*([smhdw])\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_TIME_OF_DAY = re.compile(r"^([0-9]{1,2}):([0-9]{2})$")
_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")
_DATETIME = re.compile(
    r"^([0-9]{4})-([0-9]{2})-([0-9]{2})[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.[0-9]+)?)?"
    r"\s*(Z|[+-][0-9]{2}:?[0-9]{2})?$",
    re.IGNORECASE,
)


# The supported range. Dates and datetimes outside these years, and durations longer than ten
# years, are input mistakes (9999-12-31 for "never", a lost digit) and are refused where they are
# read, with what to write instead, rather than overflowing somewhere deep in the engine.
MIN_YEAR = 1900
MAX_YEAR = 2199
MAX_DURATION_DAYS = 3653  # ten years


class TimeValueError(ValueError):
    """A malformed time value; the message says what to write instead."""


@dataclass(frozen=True)
class Duration:
    """``<N><unit>`` as written: ``1w`` stays "one week", not 604800 seconds."""

    count: int
    unit: str  # one of s m h d w

    @property
    def seconds(self) -> int:
        return self.count * _UNIT_SECONDS[self.unit]

    @property
    def days(self) -> int:
        """Whole days for ``d``/``w`` units (wall-clock steps); 0 for the others."""
        return self.count * {"d": 1, "w": 7}.get(self.unit, 0)

    @property
    def is_calendar(self) -> bool:
        """True when steps are taken on the local wall clock (days, weeks)."""
        return self.unit in ("d", "w")

    def timedelta(self) -> timedelta:
        return timedelta(seconds=self.seconds)

    def __str__(self) -> str:
        return f"{self.count}{self.unit}"


def parse_duration(value: object, units: str = "smhdw") -> Duration:
    """Parse ``<N>s|m|h|d|w`` with N a positive integer, allowing only ``units``."""
    text = str(value) if not isinstance(value, bool) else ""
    m = _DURATION.match(text)
    allowed = ", ".join(f"'1{u}'" for u in units)
    if not m or m.group(2) not in units:
        raise TimeValueError(f"{value!r} is not a duration; write a positive whole number and a unit, e.g. {allowed}")
    count, unit = int(m.group(1)), m.group(2)
    if count <= 0:
        raise TimeValueError(f"{value!r} is zero; a duration must be positive, e.g. '1{unit}'")
    most = MAX_DURATION_DAYS * 86400 // _UNIT_SECONDS[unit]
    if count > most:
        raise TimeValueError(f"{value!r} is longer than ten years, the longest duration oncall takes; "
                             f"write at most '{most}{unit}'")
    return Duration(count, unit)


def parse_time_of_day(value: object, allow_24: bool = False) -> int:
    """Parse ``HH:MM`` into minutes after midnight (``24:00`` = 1440 when ``allow_24``)."""
    text = value if isinstance(value, str) else ""
    m = _TIME_OF_DAY.match(text.strip())
    if not m:
        raise TimeValueError(f"{value!r} is not a time of day; write HH:MM in quotes, e.g. \"09:00\"")
    hours, minutes = int(m.group(1)), int(m.group(2))
    if hours == 24 and minutes == 0 and allow_24:
        return 1440
    if hours > 23 or minutes > 59:
        hint = " (24:00 is allowed only as an end)" if hours == 24 else ""
        raise TimeValueError(f"{value!r} is not a time of day{hint}; write HH:MM from 00:00 to 23:59")
    return hours * 60 + minutes


def zone(name: object) -> ZoneInfo:
    """The IANA zone ``name``; raises ``TimeValueError`` naming what to write instead."""
    if not isinstance(name, str) or not name or name.startswith(("/", ".")) or ".." in name:
        raise TimeValueError(f"{name!r} is not an IANA timezone name; write one like 'Europe/Berlin'")
    return _zone(name)


@lru_cache(maxsize=512)
def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError, IsADirectoryError):
        raise TimeValueError(
            f"unknown timezone {name!r}; write an IANA name like 'America/New_York' or 'UTC'"
        ) from None


def wall_to_epoch(wall: datetime, tz: tzinfo) -> int:
    """Seconds since the epoch of a local wall-clock reading under the fold=0 rule."""
    return zone_clock(tz).to_instant(wall_seconds(wall))


def epoch_to_wall(seconds: int, tz: tzinfo) -> datetime:
    """The naive local wall-clock reading of an instant in ``tz``."""
    return wall_datetime(zone_clock(tz).to_wall(seconds))


# --------------------------------------------------------------------------- the zone clock
#
# Every conversion between the wall clock and instants goes through a ``ZoneClock``: the engine
# converts hundreds of thousands of wall-clock readings for a year of schedules, and going through
# ``datetime.replace(tzinfo=...).timestamp()`` for each would cost more than all the rest of the
# engine. A zone's offset changes a few times a year, so the changes are found once per year
# (asking ``zoneinfo`` itself, so the answers are the same) and conversions are a bisection.
#
# "Wall seconds" are seconds since 1970-01-01T00:00 on the local wall clock.

_DAY = 86400
_WALL_EPOCH = datetime(1970, 1, 1)
_EPOCH_ORDINAL = _WALL_EPOCH.toordinal()
_FIRST_YEAR, _LAST_YEAR = 2, 9998  # years whose offsets are scanned (datetime's range, less a year each side)
_MAX_YEARS = 120  # the most years one clock keeps in its table; anything further is converted directly


def wall_seconds(moment: datetime) -> int:
    """Wall seconds of a naive wall-clock reading (its microseconds dropped)."""
    return (moment.toordinal() - _EPOCH_ORDINAL) * _DAY + moment.hour * 3600 + moment.minute * 60 + moment.second


def wall_datetime(seconds: int) -> datetime:
    """The naive wall-clock reading of ``seconds`` wall seconds."""
    return _WALL_EPOCH + timedelta(seconds=seconds)


_UTC_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ONE_DAY = timedelta(days=1)


def _offset(tz: tzinfo, t: int) -> int:
    # Arithmetic on a datetime made at import, not datetime.fromtimestamp: under freezegun the
    # latter drops ``fold``, and a clock built while a test froze time would keep reading the
    # repeated hour of a fall-back with the summer offset.
    off = (_UTC_EPOCH + timedelta(seconds=t)).astimezone(tz).utcoffset()
    return int(off.total_seconds()) if off is not None else 0


def _year_start(year: int) -> int:
    return int(datetime(year, 1, 1, tzinfo=UTC).timestamp())


def _year_of(seconds: int) -> int:
    """The year holding ``seconds`` (an instant or wall seconds), to within one year."""
    return min(max(1970 + int(seconds // (365.2425 * _DAY)), _FIRST_YEAR), _LAST_YEAR)


class ZoneClock:
    """Wall clock <-> instants for one zone (RFC 5545's rule, Python's ``fold=0``).

    A reading in a spring-forward gap takes the offset from before the jump; an ambiguous reading
    is its first occurrence. The offset changes are kept for a contiguous run of years, grown a
    year or so at a time as readings ask for them; a reading far from that run (a turn a thousand
    years ahead) is converted directly instead, so no conversion ever scans the years in between.
    """

    __slots__ = ("tz", "years", "found", "changes", "wall_keys", "offsets_after", "first_offset", "safe_lo",
                 "safe_hi")

    def __init__(self, tz: tzinfo) -> None:
        self.tz = tz
        self.years: tuple[int, int] | None = None  # [lo, hi) years scanned
        self.found: list[tuple[int, int, int]] = []  # (instant, offset before, offset after) of each change
        self.changes: list[int] = []  # UTC instants at which the offset changes
        self.wall_keys: list[int] = []  # wall seconds from which the new offset applies (fold=0)
        self.offsets_after: list[int] = []
        self.first_offset = 0
        # instants (and wall readings) strictly inside these need no further scanning
        self.safe_lo = self.safe_hi = 0

    def to_instant(self, wall: int) -> int:
        """The instant of a wall-clock reading (fold=0)."""
        if not self._in_table(wall):
            return self._direct_instant(wall)
        i = bisect_right(self.wall_keys, wall)
        return wall - (self.offsets_after[i - 1] if i else self.first_offset)

    def to_instants(self, walls: Sequence[int]) -> list[int]:
        """``to_instant`` of each of the sorted ``walls``. The readings between two offset changes
        share one offset: each such stretch of them is converted by one subtraction apiece."""
        if not walls or not (self._in_table(walls[0]) and self._in_table(walls[-1])):
            return [self.to_instant(wall) for wall in walls]
        instants: list[int] = []
        keys = self.wall_keys
        i = bisect_right(keys, walls[0])  # the stretch of the first reading: after change i - 1
        done = 0
        while done < len(walls):
            upto = bisect_left(walls, keys[i], done) if i < len(keys) else len(walls)
            offset = self.offsets_after[i - 1] if i else self.first_offset
            instants += [wall - offset for wall in walls[done:upto]]
            done = upto
            i += 1
        return instants

    def to_wall(self, instant: int) -> int:
        """The wall-clock reading of an instant."""
        if not self._in_table(instant):
            return instant + self._direct_offset(instant)
        i = bisect_right(self.changes, instant)
        return instant + (self.offsets_after[i - 1] if i else self.first_offset)

    def _in_table(self, reading: int) -> bool:
        """Whether the table holds ``reading`` (an instant or wall seconds), growing it if need be."""
        return self.safe_lo < reading < self.safe_hi or self._cover(_year_of(reading))

    def offset_changes(self, start: int, end: int) -> list[int]:
        """The instants in ``[start, end)`` at which the offset changes."""
        first, last = _year_of(start - _DAY), _year_of(end + _DAY)
        if self._cover(first) and self._cover(last):
            changes = self.changes
        else:  # further apart than one table holds, or far from the years this clock holds
            changes = [t for t, _, _ in self._scan(max(first - 1, _FIRST_YEAR), min(last + 2, _LAST_YEAR + 1))]
        return changes[bisect_right(changes, start - 1):bisect_right(changes, end - 1)]

    def _cover(self, year: int) -> bool:
        """Grow the table to hold ``year`` (± one); False when that would make it too long."""
        if self.years is None:
            lo, hi = year - 1, year + 2
        else:
            lo, hi = self.years
            if lo < year < hi - 1:
                return True
            lo, hi = min(lo, year - 1), max(hi, year + 2)
        lo, hi = max(lo, _FIRST_YEAR), min(hi, _LAST_YEAR + 1)
        if hi - lo > _MAX_YEARS:
            return False
        if self.years is None:
            found = self._scan(lo, hi)
        else:  # only the years not scanned yet
            found = self._scan(lo, self.years[0]) + self.found + self._scan(self.years[1], hi)
        self.years = (lo, hi)
        self.found = found
        self.first_offset = _offset(self.tz, _year_start(lo))
        self.changes = [t for t, _, _ in found]
        self.wall_keys = [t + max(b, a) for t, b, a in found]
        self.offsets_after = [a for _, _, a in found]
        self.safe_lo = _year_start(lo) + 2 * _DAY
        self.safe_hi = _year_start(hi) - 2 * _DAY
        return True

    def _scan(self, lo: int, hi: int) -> list[tuple[int, int, int]]:
        """(instant, offset before, offset after) for every offset change in years [lo, hi)."""
        found: list[tuple[int, int, int]] = []
        if lo >= hi:
            return found
        t, end = _year_start(lo), _year_start(hi)  # both midnights (UTC): whole days apart
        # Stepped a day at a time on one datetime (made from _UTC_EPOCH, as _offset's are), the
        # offsets compared as they come: a third of the time of _offset per day, and this is every
        # zone's start-up (docs/performance.md).
        moment = _UTC_EPOCH + timedelta(seconds=t)
        before = moment.astimezone(self.tz).utcoffset()
        while t < end:
            moment += _ONE_DAY
            after = moment.astimezone(self.tz).utcoffset()
            if after != before:
                old, new = _offset(self.tz, t), _offset(self.tz, t + _DAY)
                a, b = t, t + _DAY  # the change is in (a, b]
                while b - a > 1:
                    mid = (a + b) // 2
                    if _offset(self.tz, mid) == old:
                        a = mid
                    else:
                        b = mid
                found.append((b, old, new))
            before = after
            t += _DAY
        return found

    def _direct_offset(self, instant: int) -> int:
        lo, hi = _year_start(_FIRST_YEAR), _year_start(_LAST_YEAR + 1) - 1
        return _offset(self.tz, min(max(instant, lo), hi))

    def _direct_instant(self, wall: int) -> int:
        lo, hi = _year_start(_FIRST_YEAR), _year_start(_LAST_YEAR + 1) - 1
        if not lo < wall < hi:  # beyond what datetime can hold: the offset at the edge
            return wall - self._direct_offset(wall)
        return int(wall_datetime(wall).replace(tzinfo=self.tz, fold=0).timestamp())


@lru_cache(maxsize=256)
def zone_clock(tz: tzinfo) -> ZoneClock:
    """The shared ``ZoneClock`` of ``tz``."""
    return ZoneClock(tz)


def to_epoch(dt: datetime) -> int:
    """Seconds since the epoch of an aware datetime."""
    return int(dt.timestamp())


def from_epoch(seconds: int, tz: tzinfo = UTC) -> datetime:
    return datetime.fromtimestamp(seconds, tz)


def iso(seconds: int, tz: tzinfo = UTC) -> str:
    """ISO 8601 with its UTC offset, to the second: ``2026-03-09T09:00:00-04:00``."""
    return datetime.fromtimestamp(seconds, tz).isoformat(timespec="seconds")


def wall_text(wall: datetime) -> str:
    """A wall-clock reading as the files write it (docs/formats.md): ``2026-01-05T09:00``, with
    the seconds only when there are some (``2026-01-05T09:00:30``). ``parse_time`` reads it back."""
    return wall.strftime("%Y-%m-%dT%H:%M:%S" if wall.second else "%Y-%m-%dT%H:%M")


def offset_text(offset: timedelta) -> str:
    """A UTC offset as the files write it after a reading: ``Z`` for UTC, else ``+05:30``,
    ``-04:00`` (to the minute, which is all ``parse_time`` reads)."""
    seconds = int(offset.total_seconds())
    if seconds == 0:
        return "Z"
    sign, minutes = ("-" if seconds < 0 else "+"), abs(seconds) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def instant_text(instant: int, tz: tzinfo) -> str:
    """An instant as the files write it in ``tz``: its wall-clock reading, with the UTC offset
    only where the reading alone would name another instant (the second pass through an hour
    repeated when clocks go back), so that ``parse_time`` reads it back as ``instant``."""
    clock = zone_clock(tz)
    wall = clock.to_wall(instant)
    text = wall_text(wall_datetime(wall))
    if clock.to_instant(wall) == instant:
        return text
    return text + offset_text(timedelta(seconds=wall - instant))


def local_text(instant: int, tz: tzinfo) -> str:
    """``2026-11-27 17:00 EST``: an instant as read in ``tz``, to the minute, for messages."""
    moment = datetime.fromtimestamp(instant, tz)
    return f"{moment:%Y-%m-%d %H:%M} {moment.tzname()}"


def day_text(instant: int, tz: tzinfo, *, year: bool = True, zone_name: bool = True) -> str:
    """``Mon 9 Mar 2026 09:00 EDT``: an instant as read in ``tz`` for a person to take in at a
    glance (messages, the site); ``year``/``zone_name`` False leave those out where the context
    says them already."""
    moment = datetime.fromtimestamp(instant, tz)
    text = f"{moment:%a} {moment.day} {moment:%b}{f' {moment.year}' if year else ''} {moment:%H:%M}"
    return f"{text} {moment.tzname()}" if zone_name else text


def length_text(seconds: int) -> str:
    """A length people read at a glance, to the minute: ``45m``, ``16h``, ``1d 9h 29m``."""
    minutes = max(0, seconds) // 60
    days, minutes = divmod(minutes, 1440)
    hours, minutes = divmod(minutes, 60)
    parts = [f"{days}d" if days else "", f"{hours}h" if hours else "", f"{minutes}m" if minutes else ""]
    return " ".join(p for p in parts if p) or "0m"


@dataclass(frozen=True)
class ParsedTime:
    """A parsed local datetime or date. ``wall`` is naive unless ``offset`` was written."""

    wall: datetime  # naive wall-clock reading (midnight for a date)
    is_date: bool
    aware: datetime | None = None  # set when the text carried an explicit offset

    def instant(self, tz: tzinfo) -> int:
        """Epoch seconds: the explicit offset if written, else the wall clock in ``tz``."""
        if self.aware is not None:
            return to_epoch(self.aware)
        return wall_to_epoch(self.wall, tz)

    def end_instant(self, tz: tzinfo) -> int:
        """As an inclusive end: a date means the end of that whole day."""
        if self.is_date:
            return wall_to_epoch(self.wall + timedelta(days=1), tz)
        return self.instant(tz)

    @property
    def text(self) -> str:
        """As the files write it: the date, or the reading with the offset if one was written
        (``2026-01-05``, ``2026-01-05T09:00``, ``2026-01-05T14:00Z``, ``2026-01-05T09:00-05:00``)."""
        if self.is_date:
            return f"{self.wall:%Y-%m-%d}"
        if self.aware is None:
            return wall_text(self.wall)
        offset = self.aware.utcoffset()
        return wall_text(self.aware.replace(tzinfo=None)) + offset_text(offset or timedelta(0))

    def wall_in(self, tz: tzinfo) -> datetime:
        """The wall-clock reading in ``tz`` (converting an explicit offset)."""
        if self.aware is not None:
            return self.aware.astimezone(tz).replace(tzinfo=None)
        return self.wall


def parse_time(value: object) -> ParsedTime:
    """Parse a local datetime, a datetime with an offset, or a date (docs/formats.md).

    Accepts strings and the ``date``/``datetime`` objects a YAML loader may produce.
    """
    if isinstance(value, date):
        _check_year(value.year, value)
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            return ParsedTime(value.astimezone(UTC).replace(tzinfo=None), False, value)
        return ParsedTime(value, False)
    if isinstance(value, date):
        return ParsedTime(datetime(value.year, value.month, value.day), True)
    if not isinstance(value, str):
        raise TimeValueError(
            f"{value!r} is not a date or time; write YYYY-MM-DD or YYYY-MM-DDTHH:MM, e.g. 2026-01-05T09:00"
        )
    text = value.strip()
    if re.match(r"^[0-9]{4}-", text):
        _check_year(int(text[:4]), value)
    try:
        m = _DATE.match(text)
        if m:
            d = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            return ParsedTime(datetime(d.year, d.month, d.day), True)
        m = _DATETIME.match(text)
        if m:
            wall = datetime(
                int(m.group(1)), int(m.group(2)), int(m.group(3)),
                int(m.group(4)), int(m.group(5)), int(m.group(6) or 0),
            )
            offset = m.group(7)
            if offset:
                aware = datetime.fromisoformat(wall.isoformat() + _normal_offset(offset))
                return ParsedTime(aware.astimezone(UTC).replace(tzinfo=None), False, aware)
            return ParsedTime(wall, False)
    except ValueError as exc:
        raise TimeValueError(f"{value!r} is not a valid date or time ({exc}); write e.g. 2026-01-05T09:00") from None
    raise TimeValueError(
        f"{value!r} is not a date or time; write YYYY-MM-DD or YYYY-MM-DDTHH:MM, e.g. 2026-01-05T09:00"
    )


def _check_year(year: int, value: object) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise TimeValueError(f"{value!r} is outside the years {MIN_YEAR} to {MAX_YEAR} that oncall works with; "
                             "write a date in that range")


def _normal_offset(offset: str) -> str:
    if offset.upper() == "Z":
        return "+00:00"
    return offset if ":" in offset else f"{offset[:3]}:{offset[3:]}"


def machine_zone() -> tzinfo:
    """The machine's timezone as an IANA zone where it can be found (TZ, /etc/localtime)."""
    name = os.environ.get("TZ", "").lstrip(":")
    if name:
        try:
            return zone(name)
        except TimeValueError:
            pass
    try:
        target = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in target:
            return zone(target.split("zoneinfo/", 1)[1])
    except (OSError, TimeValueError):
        pass
    local = datetime.now().astimezone().tzinfo
    return local if local is not None else UTC
