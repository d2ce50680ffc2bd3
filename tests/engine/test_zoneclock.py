"""The one wall-clock <-> instant converter agrees with zoneinfo's fold=0, near and far."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import available_timezones

from hypothesis import given, settings
from hypothesis import strategies as st

from oncall.engine import who_at
from oncall.times import (
    Duration,
    ZoneClock,
    epoch_to_wall,
    wall_datetime,
    wall_seconds,
    wall_to_epoch,
    zone,
    zone_clock,
)
from tests.engine.build import layer, org, schedule, utc

ZONES = ["America/New_York", "Europe/London", "Australia/Sydney", "Australia/Lord_Howe", "Asia/Kolkata",
         "Pacific/Chatham", "America/Sao_Paulo", "Africa/Casablanca", "UTC"]


def reference(wall: datetime, tz_name: str) -> int:
    return int(wall.replace(tzinfo=zone(tz_name), fold=0).timestamp())


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(ZONES), st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1)))
def test_wall_to_epoch_is_fold_0_and_epoch_to_wall_inverts_it(tz_name: str, wall: datetime) -> None:
    wall = wall.replace(microsecond=0)
    tz = zone(tz_name)
    instant = wall_to_epoch(wall, tz)
    assert instant == reference(wall, tz_name)
    assert epoch_to_wall(instant, tz) == datetime.fromtimestamp(instant, tz).replace(tzinfo=None)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(ZONES), st.integers(0, 3000), st.integers(0, 7000))
def test_readings_far_apart_convert_alike_without_scanning_between(tz_name: str, near: int, far: int) -> None:
    # A reading thousands of years from the first is converted directly; both stay exact.
    tz = zone(tz_name)
    first = datetime(2026, 1, 1) + timedelta(days=near)
    second = datetime(2026, 1, 1) + timedelta(days=far * 365 // 7 * 7 // 10)
    for wall in (first, second, first):
        assert wall_to_epoch(wall, tz) == reference(wall, tz_name)
    clock = zone_clock(tz)
    assert clock.years is None or clock.years[1] - clock.years[0] <= 120


def test_the_spring_forward_gap_and_the_fall_back_fold() -> None:
    ny = zone("America/New_York")
    assert wall_to_epoch(datetime(2026, 3, 8, 2, 30), ny) == utc("2026-03-08T07:30Z")  # shown as 03:30 EDT
    assert wall_to_epoch(datetime(2026, 11, 1, 1, 30), ny) == utc("2026-11-01T05:30Z")  # the first 01:30
    assert zone_clock(ny).offset_changes(utc("2026-01-01T00:00Z"), utc("2027-01-01T00:00Z")) == [
        utc("2026-03-08T07:00Z"), utc("2026-11-01T06:00Z")]
    assert wall_seconds(datetime(1970, 1, 2)) == 86400


def test_whois_on_a_turn_of_100000_weeks_answers_and_says_the_end_is_beyond_reach() -> None:
    # (The loader takes at most ten years; the engine is asked about a model built directly.)
    sched = schedule("Europe/London", replace(layer("alice,bob", "2026-01-05T09:00", "1w"), every=Duration(100000, "w")))
    answer = who_at(org(sched), sched, utc("2026-06-01T00:00Z"))
    assert answer.person == "alice" and answer.start == utc("2026-01-05T09:00Z")
    assert answer.shift is not None and answer.shift.whole_end is None  # 1,900 years on: beyond reach
    assert answer.next_person is None and answer.next_start is None


@settings(max_examples=200, deadline=None)
@given(st.sampled_from([*ZONES, "Pacific/Apia"]), st.integers(-2000, 80000), st.sampled_from([1, 1800, 3600, 86400, 604800]),
       st.integers(0, 800), st.booleans())
def test_converting_sorted_readings_at_once_agrees_with_one_at_a_time(tz_name: str, hours: int, step: int, count: int,
                                                                       fresh: bool) -> None:
    # Readings from 1988 to 2036, one second to a week apart, over spring-forward gaps and fall-back
    # folds; with a fresh clock, and with one whose table already holds other years.
    tz = zone(tz_name)
    first = wall_seconds(datetime(2011, 1, 1)) + hours * 3600 * (1 if hours >= 0 else 100)
    walls = range(first, first + count * step, step)
    clock = ZoneClock(tz) if fresh else zone_clock(tz)
    one_at_a_time = ZoneClock(tz)
    at_once = clock.to_instants(walls)
    assert at_once == [one_at_a_time.to_instant(w) for w in walls]
    assert at_once[::40] == [reference(wall_datetime(w), tz_name) for w in walls[::40]]


def test_converting_readings_three_centuries_apart_at_once_agrees_with_one_at_a_time() -> None:
    # Further apart than one table holds: the far ones are converted directly, as one at a time.
    tz = zone("America/New_York")
    walls = range(wall_seconds(datetime(1900, 3, 11, 2, 30)), wall_seconds(datetime(2199, 12, 1)), 91 * 86400 + 3600)
    assert ZoneClock(tz).to_instants(walls) == [reference(wall_datetime(w), "America/New_York") for w in walls]


def test_offset_changes_are_all_listed_whatever_years_the_clock_held_before() -> None:
    ny = zone("America/New_York")
    clock = ZoneClock(ny)
    clock.to_instant(wall_seconds(datetime(2190, 6, 1)))  # the table now holds years around 2190
    assert clock.offset_changes(utc("2026-01-01T00:00Z"), utc("2027-01-01T00:00Z")) == [
        utc("2026-03-08T07:00Z"), utc("2026-11-01T06:00Z")]
    centuries = clock.offset_changes(utc("1950-01-01T00:00Z"), utc("2190-01-01T00:00Z"))
    assert len(centuries) > 2 * 200 and utc("2026-03-08T07:00Z") in centuries


def _changes_day_by_day(tz_name: str, lo: int, hi: int) -> list[tuple[int, int, int]]:
    """Every offset change in years [lo, hi), found the plain way: zoneinfo's offset at each
    midnight (UTC), then the exact second by bisection."""
    tz = zone(tz_name)

    def offset(t: int) -> int:
        return int(datetime.fromtimestamp(t, tz).utcoffset().total_seconds())  # type: ignore[union-attr]

    start, end = int(datetime(lo, 1, 1, tzinfo=UTC).timestamp()), int(datetime(hi, 1, 1, tzinfo=UTC).timestamp())
    found = []
    before = offset(start)
    for t in range(start + 86400, end + 1, 86400):
        after = offset(t)
        if after != before:
            a, b = t - 86400, t
            while b - a > 1:
                mid = (a + b) // 2
                a, b = (mid, b) if offset(mid) == before else (a, mid)
            found.append((b, before, after))
        before = after
    return found


def test_the_offset_changes_a_clock_finds_are_zoneinfos_in_every_zone() -> None:
    # Every change of these years in every IANA zone, each to the second, with the offsets either
    # side: the clock steps one datetime a day at a time, the reference asks zoneinfo afresh.
    for tz_name in sorted(available_timezones()):
        if tz_name.startswith(("posix/", "right/")) or tz_name in ("Factory", "localtime"):
            continue
        assert ZoneClock(zone(tz_name))._scan(2024, 2027) == _changes_day_by_day(tz_name, 2024, 2027), tz_name
