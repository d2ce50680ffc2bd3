"""Writing times back as the files write them: the reading, the offset only where it is needed,
and the same instant when read again."""

from __future__ import annotations

from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from oncall.times import day_text, instant_text, parse_time, wall_text, wall_to_epoch, zone

NY = zone("America/New_York")
LONDON = zone("Europe/London")
ZONES = ["America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kolkata", "Pacific/Chatham", "UTC"]


def test_a_reading_shows_seconds_only_when_there_are_some() -> None:
    assert wall_text(datetime(2026, 1, 5, 9, 0)) == "2026-01-05T09:00"
    assert wall_text(datetime(2026, 1, 5, 9, 0, 30)) == "2026-01-05T09:00:30"


def test_an_offset_is_added_only_for_the_second_pass_of_a_fall_back_hour() -> None:
    first = wall_to_epoch(datetime(2026, 11, 1, 1, 30), NY)
    assert instant_text(first, NY) == "2026-11-01T01:30"
    assert instant_text(first + 3600, NY) == "2026-11-01T01:30-05:00"
    assert parse_time(instant_text(first + 3600, NY)).instant(NY) == first + 3600


def test_the_second_pass_into_utc_is_written_with_z() -> None:
    first = wall_to_epoch(datetime(2026, 10, 25, 1, 30), LONDON)
    assert instant_text(first + 3600, LONDON) == "2026-10-25T01:30Z"
    assert parse_time("2026-10-25T01:30Z").instant(LONDON) == first + 3600


def test_a_parsed_time_is_written_in_the_canonical_form() -> None:
    for given_text, written in (("2026-12-24", "2026-12-24"), ("2026-01-05 09:00", "2026-01-05T09:00"),
                                ("2026-01-05T09:00:30", "2026-01-05T09:00:30"),
                                ("2026-01-05T14:00+00:00", "2026-01-05T14:00Z"),
                                ("2026-01-05T09:00-0500", "2026-01-05T09:00-05:00"),
                                ("2026-01-05T20:45+05:45", "2026-01-05T20:45+05:45")):
        assert parse_time(given_text).text == written


@settings(max_examples=300)
@given(st.sampled_from(ZONES), st.integers(wall_to_epoch(datetime(2026, 1, 1), NY) // 60,
                                           wall_to_epoch(datetime(2028, 1, 1), NY) // 60))
def test_an_instant_written_in_a_zone_reads_back_as_itself(name: str, minute: int) -> None:
    tz = zone(name)
    text = instant_text(minute * 60, tz)
    assert parse_time(text).instant(tz) == minute * 60
    bare_reads_back = parse_time(text[:16]).instant(tz) == minute * 60
    assert (len(text) == 16) == bare_reads_back  # the offset is written only where it is needed


def test_a_time_at_a_glance_names_the_zone_in_force_and_leaves_out_what_it_is_asked_to() -> None:
    fall_back_second = wall_to_epoch(datetime(2026, 11, 1, 1, 30), NY) + 3600  # 01:30 again, now EST
    assert day_text(fall_back_second, NY) == "Sun 1 Nov 2026 01:30 EST"
    assert day_text(fall_back_second - 3600, NY) == "Sun 1 Nov 2026 01:30 EDT"
    summer = wall_to_epoch(datetime(2027, 7, 4, 9, 5), LONDON)
    assert day_text(summer, LONDON, year=False) == "Sun 4 Jul 09:05 BST"
    assert day_text(summer, LONDON, year=False, zone_name=False) == "Sun 4 Jul 09:05"
