"""How the command line reads a time ``T`` (the grammar is documented in docs/cli.md).

Besides the file formats' times (``2026-03-09T09:00``, with or without an offset, and dates),
a command-line time may be relative to now:

* ``now``; ``+2h``, ``-30m``, ``+1d`` (a duration's units: s, m, h, d, w);
* ``in 3 days``, ``in 2 hours``, ``3 days ago`` (units in words, singular or plural);
* ``today``, ``tomorrow``, ``yesterday``, a weekday (``monday`` or ``mon``: that day this week,
  today included), ``next monday`` (the first Monday after today), ``last monday`` (the last
  Monday before today): each a whole day, like a date;
* any of those day words, or nothing, followed by a time of day: ``tomorrow 09:00``,
  ``next monday at 9:30``, ``17:00`` (today).

Days and weeks step on the wall clock of the zone the time is read in (``+1d`` at 09:00 is 09:00
the next day, across a DST change too); seconds, minutes and hours are elapsed time.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, tzinfo

from oncall.times import ParsedTime, TimeValueError, parse_time, wall_to_epoch

_UNITS = {
    "s": "s", "sec": "s", "secs": "s", "second": "s", "seconds": "s",
    "m": "m", "min": "m", "mins": "m", "minute": "m", "minutes": "m",
    "h": "h", "hr": "h", "hrs": "h", "hour": "h", "hours": "h",
    "d": "d", "day": "d", "days": "d",
    "w": "w", "wk": "w", "wks": "w", "week": "w", "weeks": "w",
}
_SECONDS = {"s": 1, "m": 60, "h": 3600}
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_UNIT = "|".join(sorted(_UNITS, key=len, reverse=True))
_DAY = "|".join(_WEEKDAYS + tuple(d[:3] for d in _WEEKDAYS))

_SIGNED = re.compile(r"^([+-])\s*([0-9]+)\s*([smhdw])$")
_IN = re.compile(rf"^in\s+([0-9]+)\s*({_UNIT})$")
_AGO = re.compile(rf"^([0-9]+)\s*({_UNIT})\s+ago$")
_DAY_WORD = re.compile(
    rf"^(?:(today|tomorrow|yesterday)|(?:(next|last)\s+)?({_DAY}))(?:\s+(?:at\s+)?([0-9]{{1,2}}):([0-9]{{2}}))?$"
)
_TIME_ONLY = re.compile(r"^(?:at\s+)?([0-9]{1,2}):([0-9]{2})$")

FORMS = ("2026-03-09T09:00, 2026-03-09, now, +2h, -30m, in 3 days, 2 hours ago, today, tomorrow, "
         "next monday, tomorrow 09:00")


def parse_when(text: str, now: int, tz: tzinfo) -> ParsedTime:
    """Read ``text`` as a time: a file-format time, or one relative to ``now`` in zone ``tz``.

    A relative instant (``+2h``) is returned with its offset in ``tz``; a day word (``tomorrow``)
    as a date; a day word with a time of day as a local datetime (read in the caller's zone,
    like ``2026-03-09T09:00``).
    """
    words = " ".join(str(text).lower().split())
    try:
        parsed = _relative(words, now, tz)
    except TimeValueError:
        raise
    except (OverflowError, ValueError):  # a date beyond what datetime holds
        raise TimeValueError(f"{text!r} is too far from now; write a time within a few thousand years") from None
    if parsed is not None:
        return parsed
    try:
        return parse_time(text)
    except TimeValueError:
        raise TimeValueError(f"{text!r} is not a date or time; write e.g. {FORMS}") from None


def _relative(words: str, now: int, tz: tzinfo) -> ParsedTime | None:
    if words == "now":
        return _instant(now, tz)
    if m := _SIGNED.match(words):
        return _shifted(now, tz, int(m.group(2)) * (1 if m.group(1) == "+" else -1), m.group(3))
    if m := _IN.match(words):
        return _shifted(now, tz, int(m.group(1)), _UNITS[m.group(2)])
    if m := _AGO.match(words):
        return _shifted(now, tz, -int(m.group(1)), _UNITS[m.group(2)])
    today = datetime.fromtimestamp(now, tz).date()
    day, hour, minute = None, None, None
    if m := _DAY_WORD.match(words):
        word, direction, weekday = m.group(1), m.group(2), m.group(3)
        if word:
            day = today + timedelta(days={"today": 0, "tomorrow": 1, "yesterday": -1}[word])
        else:
            target = next(i for i, name in enumerate(_WEEKDAYS) if name.startswith(weekday))
            ahead = (target - today.weekday()) % 7
            if direction == "next":
                ahead = ahead or 7
            elif direction == "last":
                ahead = ahead - 7 if ahead else -7
            day = today + timedelta(days=ahead)
        if m.group(4) is not None:
            hour, minute = int(m.group(4)), int(m.group(5))
    elif m := _TIME_ONLY.match(words):
        day, hour, minute = today, int(m.group(1)), int(m.group(2))
    if day is None:
        return None
    wall = datetime(day.year, day.month, day.day)
    if hour is None or minute is None:
        return ParsedTime(wall, True)
    if hour > 23 or minute > 59:
        raise TimeValueError(f"{hour:02d}:{minute:02d} is not a time of day; write HH:MM from 00:00 to 23:59")
    return ParsedTime(wall.replace(hour=hour, minute=minute), False)


def _shifted(now: int, tz: tzinfo, count: int, unit: str) -> ParsedTime:
    if unit in _SECONDS:
        return _instant(now + count * _SECONDS[unit], tz)
    days = count * (7 if unit == "w" else 1)
    wall = datetime.fromtimestamp(now, tz).replace(tzinfo=None) + timedelta(days=days)
    return _instant(wall_to_epoch(wall, tz), tz)


def _instant(seconds: int, tz: tzinfo) -> ParsedTime:
    aware = datetime.fromtimestamp(seconds, tz)
    return ParsedTime(datetime.fromtimestamp(seconds, UTC).replace(tzinfo=None), False, aware)
