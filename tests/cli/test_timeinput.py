"""The command line's time grammar: file-format times, and times relative to now."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from oncall.cli.timeinput import parse_when
from oncall.times import TimeValueError, zone

NY = zone("America/New_York")
# Thursday 2026-03-05 10:30 in New York (15:30Z); the DST change is on Sunday 2026-03-08.
NOW = int(datetime(2026, 3, 5, 15, 30, tzinfo=UTC).timestamp())


def local(text: str) -> str:
    """The instant ``text`` means, shown as a New York reading."""
    parsed = parse_when(text, NOW, NY)
    return datetime.fromtimestamp(parsed.instant(NY), NY).strftime("%Y-%m-%d %H:%M %Z")


@pytest.mark.parametrize(("text", "expected"), [
    ("now", "2026-03-05 10:30 EST"),
    ("NOW", "2026-03-05 10:30 EST"),
    ("+2h", "2026-03-05 12:30 EST"),
    ("-30m", "2026-03-05 10:00 EST"),
    ("+ 90s", "2026-03-05 10:31 EST"),
    ("in 3 days", "2026-03-08 10:30 EDT"),  # wall-clock days: still 10:30 after the DST change
    ("+3d", "2026-03-08 10:30 EDT"),
    ("in 72 hours", "2026-03-08 11:30 EDT"),  # elapsed hours: the lost hour shows
    ("in 1 week", "2026-03-12 10:30 EDT"),
    ("2 hours ago", "2026-03-05 08:30 EST"),
    ("1 day ago", "2026-03-04 10:30 EST"),
    ("today", "2026-03-05 00:00 EST"),
    ("tomorrow", "2026-03-06 00:00 EST"),
    ("yesterday", "2026-03-04 00:00 EST"),
    ("thursday", "2026-03-05 00:00 EST"),  # a weekday alone: this week's, today included
    ("fri", "2026-03-06 00:00 EST"),
    ("wednesday", "2026-03-11 00:00 EDT"),
    ("next thursday", "2026-03-12 00:00 EDT"),  # next: the first one after today
    ("next monday", "2026-03-09 00:00 EDT"),
    ("last thursday", "2026-02-26 00:00 EST"),
    ("last monday", "2026-03-02 00:00 EST"),
    ("tomorrow 09:00", "2026-03-06 09:00 EST"),
    ("next monday at 9:30", "2026-03-09 09:30 EDT"),
    ("17:00", "2026-03-05 17:00 EST"),
    ("2026-03-09T09:00", "2026-03-09 09:00 EDT"),
    ("2026-03-09T09:00Z", "2026-03-09 05:00 EDT"),
])
def test_forms(text: str, expected: str) -> None:
    assert local(text) == expected


def test_day_words_are_whole_days_and_relative_instants_keep_their_offset() -> None:
    assert parse_when("tomorrow", NOW, NY).is_date
    assert parse_when("2026-03-09", NOW, NY).is_date
    assert not parse_when("tomorrow 09:00", NOW, NY).is_date
    assert parse_when("tomorrow 09:00", NOW, NY).aware is None  # read in the caller's zone, like a local datetime
    plus = parse_when("+2h", NOW, NY)
    assert plus.aware is not None and plus.aware.utcoffset() == NY.utcoffset(plus.aware.replace(tzinfo=None))
    assert plus.instant(zone("Asia/Tokyo")) == NOW + 7200  # an instant, whatever zone reads it
    tomorrow = parse_when("tomorrow", NOW, NY)
    assert tomorrow.end_instant(NY) - tomorrow.instant(NY) == 86400


@pytest.mark.parametrize("text", ["next blursday", "in three days", "+2y", "tomorrow 25:00", "someday", "",
                                  "+99999999999w"])
def test_bad_values_say_what_to_write(text: str) -> None:
    with pytest.raises(TimeValueError) as caught:
        parse_when(text, NOW, NY)
    message = str(caught.value)
    assert "write" in message
    assert "Traceback" not in message
