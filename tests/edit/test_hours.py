"""report hours: figures checked against hours worked out by hand, across DST changes."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from oncall.edit.hours import night_and_weekend, person_hours
from oncall.model import Person, Shift

from .conftest import PEOPLE, Runner, make_root

# Weekly turns from Monday 2026-10-26 09:00 New York: alice, then bob, then carol. New York
# falls back on Sunday 2026-11-01 (02:00 EDT -> 01:00 EST); London already did on 2026-10-25.
AUTUMN = """\
name: Primary
timezone: America/New_York
layers:
  - people: [alice, bob, carol]
    start: 2026-10-26T09:00
    every: 1w
"""
# One person around the clock across New York's spring-forward (2026-03-08 02:00 -> 03:00).
SPRING = """\
timezone: America/New_York
layers:
  - people: [dave]
    start: 2026-03-07T12:00
    every: 1d
"""


def _root(tmp_path: Path, people: str = PEOPLE) -> Path:
    return make_root(tmp_path / "root", {"primary": AUTUMN, "solo": SPRING}, people)


def test_hours_across_the_autumn_change(tmp_path: Path, run: Runner) -> None:
    result = run("report", "hours", "-s", "primary", "--from", "2026-10-26T09:00-04:00",
                 "--to", "2026-11-16T09:00-05:00", "-f", "json", root=_root(tmp_path))
    assert result.code == 0, result.err
    data = json.loads(result.out)
    rows = {p["person"]: p for p in data["people"]}
    assert set(rows) == {"alice", "bob", "carol"}
    # alice, New York, Mon 10-26 09:00 EDT to Mon 11-02 09:00 EST: 7 days and the hour gained.
    #   nights: 2h (Mon 22-24) + 5 x 9h (Tue-Sat) + 10h (Sun: 00:00 EDT-07:00 EST is 8h, + 22-24)
    #           + 7h (Mon 00-07) = 64h; weekend: Sat 00:00 EDT to Mon 00:00 EST = 49h.
    assert rows["alice"] == {"person": "alice", "name": "Alice Park", "timezone": "America/New_York",
                             "country": "US", "hours": 169, "night_hours": 64, "weekend_hours": 49,
                             "holiday_hours": 0, "shifts": 1}
    # bob, on London's clock (14:00 to 14:00 GMT): 168h; nights 2 + 6 x 9 + 7 = 63h; weekend 48h;
    # no country, so no holiday figure.
    assert (rows["bob"]["hours"], rows["bob"]["night_hours"], rows["bob"]["weekend_hours"],
            rows["bob"]["holiday_hours"]) == (168, 63, 48, None)
    # carol, New York, 11-09 to 11-16 EST: Veterans Day (Wed 11-11) is a US public holiday.
    assert (rows["carol"]["hours"], rows["carol"]["night_hours"], rows["carol"]["weekend_hours"],
            rows["carol"]["holiday_hours"]) == (168, 63, 48, 24)
    assert data["schedules"] == [{
        "schedule": "primary",
        "hours": {"alice": 169, "bob": 168, "carol": 168},
        "max": {"person": "alice", "hours": 169},
        "min": {"person": "bob", "hours": 168},
        "spread": 1.01,
    }]


def test_hours_across_the_spring_change(tmp_path: Path, run: Runner) -> None:
    result = run("report", "hours", "-s", "solo", "--from", "2026-03-07T12:00-05:00",
                 "--to", "2026-03-08T12:00-04:00", "-f", "csv", root=_root(tmp_path))
    assert result.code == 0, result.err
    rows = list(csv.DictReader(io.StringIO(result.out)))
    # Sat 12:00 EST to Sun 12:00 EDT is 23h, all weekend; the night is 22:00-00:00 (2h) plus
    # 00:00 EST-07:00 EDT (6h).
    assert rows == [{"person": "dave", "name": "Dave Rossi", "hours": "23", "night_hours": "8",
                     "weekend_hours": "23", "holiday_hours": "", "shifts": "1"}]


def test_everyone_in_a_rotation_is_listed_even_without_hours(tmp_path: Path, run: Runner) -> None:
    result = run("report", "hours", "-s", "primary", "--from", "2026-10-26T09:00-04:00",
                 "--to", "2026-11-02T09:00-05:00", root=_root(tmp_path))
    assert result.code == 0, result.err
    assert "Bob Li" in result.out and "Carol Diaz" in result.out
    assert "Spread per schedule" in result.out
    assert "Night is 22:00-07:00" in result.out


def test_unknown_country_is_a_located_error(tmp_path: Path, run: Runner) -> None:
    root = _root(tmp_path, PEOPLE.replace("country: US\n  bob", "country: XX\n  bob"))
    result = run("report", "hours", "--from", "2026-10-26", "--to", "2026-11-15", root=root)
    assert result.code == 2
    assert "people.yaml" in result.err and "'XX'" in result.err and "ISO 3166" in result.err


# -- night and weekend seconds against a reference made of datetimes, day by day ----------------

# Zones whose clocks change at or around midnight (Havana, Santiago, Asuncion, Beirut), by half
# an hour (Lord Howe), or skip a whole day (Apia, 2011-12-30), beside the usual ones.
ZONES = ["America/New_York", "Europe/London", "America/Havana", "America/Santiago", "America/Asuncion",
         "Asia/Beirut", "Australia/Lord_Howe", "Pacific/Apia", "Asia/Kolkata", "UTC"]


def _reference(start: int, end: int, tz: ZoneInfo) -> tuple[int, int]:
    """Night (22:00-07:00) and weekend seconds of [start, end), local day by local day, each day
    running from the instant of its midnight to the next (fold=0, as the engine reads walls)."""
    def instant(day: date, seconds: int) -> int:
        wall = datetime.combine(day, datetime.min.time()) + timedelta(seconds=seconds)
        return int(wall.replace(tzinfo=tz).timestamp())

    def clip(lo: int, hi: int) -> int:
        return max(0, min(end, hi) - max(start, lo))

    night = weekend = 0
    day = datetime.fromtimestamp(start, tz).date() - timedelta(days=1)
    while instant(day, 0) < end:
        midnight, next_midnight = instant(day, 0), instant(day, 86400)
        night += clip(midnight, instant(day, 7 * 3600)) + clip(instant(day, 22 * 3600), next_midnight)
        if day.weekday() >= 5:
            weekend += clip(midnight, next_midnight)
        day += timedelta(days=1)
    return night, weekend


@settings(max_examples=300, deadline=None)
@given(zone_name=st.sampled_from(ZONES),
       start=st.integers(int(datetime(2009, 1, 1, tzinfo=UTC).timestamp()),
                         int(datetime(2028, 1, 1, tzinfo=UTC).timestamp())),
       length=st.integers(1, 20 * 86400))
def test_night_and_weekend_match_a_day_by_day_reference(zone_name: str, start: int, length: int) -> None:
    tz = ZoneInfo(zone_name)
    assert night_and_weekend(start, start + length, tz) == _reference(start, start + length, tz)


def test_a_persons_figures_add_their_shifts_in_any_order() -> None:
    """Shifts of two schedules interleave in time; the running totals are shared by the zone."""
    tz = ZoneInfo("America/Havana")
    base = int(datetime(2026, 3, 1, tzinfo=UTC).timestamp())
    shifts = [Shift("b", "x", base + 9 * 86400, base + 16 * 86400), Shift("a", "x", base, base + 3 * 86400 + 5),
              Shift("a", "x", base + 20 * 86400, base + 21 * 86400)]
    got = person_hours(Person("x", "X", timezone="America/Havana"), shifts, base, base + 30 * 86400)
    expected = [_reference(s.start, s.end, tz) for s in shifts]
    assert (got.night, got.weekend) == (sum(n for n, _ in expected), sum(w for _, w in expected))
    assert got.total == sum(s.end - s.start for s in shifts)
