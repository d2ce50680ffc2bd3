"""The lint findings about the wall clock and about overrides: each code with a case that
triggers it and a near miss that must not."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from oncall.engine.lint import lint_org
from oncall.holidays import FixedHolidays
from oncall.model import Layer, Override, Schedule
from tests.engine.build import layer, org, override, person, schedule, utc, window

NOW = "2026-11-26T12:00Z"  # the next year holds New York's changes of 2027-03-14 and 2027-11-07
WEEKDAYS = "mon,tue,wed,thu,fri"


def found(*schedules: Schedule, code: str, at: str = NOW, **options: object) -> list[tuple[int, str]]:
    """(line, message) of each finding with ``code``."""
    return [(p.location.line if p.location else 0, p.message)
            for p in lint_org(org(*schedules, **options), utc(at)) if p.code == code]  # type: ignore[arg-type]


def lined(item: Layer, **lines: int) -> Layer:
    return replace(item, lines=lines)


def ny(*layers: Layer, **kw: object) -> Schedule:
    return schedule("America/New_York", *layers, **kw)  # type: ignore[arg-type]


# --- nonexistent-handoff ------------------------------------------------------------------------


def test_a_handoff_in_the_spring_forward_gap_says_the_date_and_what_it_becomes() -> None:
    daily = lined(layer("a,b", "2026-01-05T02:30", "1d"), start=7)
    [(line, message)] = found(ny(daily), code="nonexistent-handoff")
    assert line == 7  # the `start:` line
    assert "the 02:30 handoff is in the spring-forward gap on 2027-03-14" in message
    assert "(America/New_York springs forward from 02:00 to 03:00)" in message
    assert "it moves forward by the gap, to 03:30 EDT" in message
    assert "move `start:` out of 02:00-03:00" in message


def test_near_misses_of_the_gap() -> None:
    # 03:00 exists; 02:00 is the jump itself (nothing moves); a Monday handoff never meets a Sunday change.
    assert found(ny(layer("a,b", "2026-01-05T03:00", "1d")), code="nonexistent-handoff") == []
    assert found(ny(layer("a,b", "2026-01-05T02:00", "1d")), code="nonexistent-handoff") == []
    assert found(ny(layer("a,b", "2026-01-05T02:30", "1w")), code="nonexistent-handoff") == []
    # The same handoff in a zone without daylight saving time.
    assert found(schedule("Asia/Kolkata", layer("a,b", "2026-01-05T02:30", "1d")), code="nonexistent-handoff") == []


def test_the_layer_zone_decides() -> None:
    in_london = replace(layer("a,b", "2026-01-05T01:30", "1d"), timezone="Europe/London")
    [(_, message)] = found(ny(in_london), code="nonexistent-handoff")
    assert "on 2027-03-28 (Europe/London springs forward from 01:00 to 02:00)" in message
    assert "to 02:30 BST" in message


def test_a_window_edge_in_the_gap_points_at_the_window_line() -> None:
    nights = replace(window("all", "22:00", "02:30"), lines={"from": 11, "to": 12})
    [(line, message)] = found(ny(layer("a,b", "2026-01-05T09:00", "1w", only=(nights,))), code="nonexistent-handoff")
    assert line == 12
    assert "the window daily 22:00-02:30 closes at 02:30, which is in the spring-forward gap on 2027-03-14" in message
    assert "to 03:30 EDT" in message and "move the window's `to:` out of 02:00-03:00" in message


def test_a_window_edge_outside_the_gap_or_on_other_days_is_quiet() -> None:
    weekdays = window(WEEKDAYS, "01:30", "02:30")  # the change is on a Sunday
    assert found(ny(layer("a,b", "2026-01-05T09:00", "1w", only=(weekdays,))), code="nonexistent-handoff") == []
    # Two windows that meet inside the gap are one span: the meeting point is no edge.
    joined = (window("sat", "20:00", "02:30"), window("sun", "02:30", "09:00"))
    assert found(ny(layer("a,b", "2026-01-05T09:00", "1w", only=joined)), code="nonexistent-handoff") == []


def test_a_handoff_outside_the_windows_is_no_handoff_anyone_sees() -> None:
    business = (window(WEEKDAYS + ",sat,sun", "09:00", "17:00"),)
    assert found(ny(layer("a,b", "2026-01-05T02:30", "1d", only=business)), code="nonexistent-handoff") == []


def test_the_layer_end_in_the_gap() -> None:
    ending = lined(layer("a,b", "2026-01-05T09:00", "1w", end="2027-03-14T02:15"), end=9)
    [(line, message)] = found(ny(ending), code="nonexistent-handoff")
    assert line == 9 and "the 02:15 end is in the spring-forward gap on 2027-03-14" in message


def test_only_the_next_year_is_looked_at() -> None:
    # Asked the day after a change: the next one is nearly a year on, still within reach.
    [(_, later)] = found(ny(layer("a,b", "2026-01-05T02:30", "1d")), code="nonexistent-handoff", at="2027-03-15T12:00Z")
    assert "on 2028-03-12 " in later
    # Asked on 2026-03-09, the day after that year's change: the next one (2027-03-14) is 370 days on.
    assert found(ny(layer("a,b", "2026-01-05T02:30", "1d")), code="nonexistent-handoff", at="2026-03-09T12:00Z") == []
    ended = layer("a,b", "2026-01-05T02:30", "1d", end="2027-03-01T00:00")
    assert found(ny(ended), code="nonexistent-handoff") == []


# --- ambiguous-handoff --------------------------------------------------------------------------


def test_a_handoff_in_the_fold_says_which_occurrence_is_used() -> None:
    [(_, message)] = found(ny(layer("a,b", "2026-01-04T01:30", "1d")), code="ambiguous-handoff")
    assert "the 01:30 handoff happens twice on 2027-11-07 (America/New_York falls back from 02:00 to 01:00)" in message
    assert "the first, 01:30 EDT, is used" in message
    assert "move `start:` out of 01:00-02:00" in message


def test_near_misses_of_the_fold() -> None:
    assert found(ny(layer("a,b", "2026-01-04T02:00", "1d")), code="ambiguous-handoff") == []
    assert found(ny(layer("a,b", "2026-01-04T00:59", "1d")), code="ambiguous-handoff") == []


def test_a_window_opening_in_the_fold() -> None:
    sunday = window("sun", "01:30", "05:00")
    [(_, message)] = found(ny(layer("a,b", "2026-01-05T09:00", "1w", only=(sunday,))), code="ambiguous-handoff")
    assert "the window sun 01:30-05:00 opens at 01:30, which happens twice on 2027-11-07" in message


def test_lord_howe_half_hour_gap() -> None:
    [(_, message)] = found(schedule("Australia/Lord_Howe", layer("a,b", "2026-01-05T02:15", "1d")),
                           code="nonexistent-handoff")
    assert "springs forward from 02:00 to 02:30" in message and "to 02:45" in message


# --- elapsed-turns-with-windows -----------------------------------------------------------------


def test_hours_in_a_zone_with_dst_where_days_are_meant() -> None:
    daily = lined(layer("a,b", "2026-01-05T09:00", "24h"), every=8)
    [(line, message)] = found(ny(daily), code="elapsed-turns-with-windows")
    assert line == 8  # the `every:` line
    assert "every: 24h in layer 'layer-1' of schedule 's' counts elapsed hours" in message
    assert "its handoffs are at 09:00 now, but after America/New_York changes its clocks on 2027-03-14 they are at " \
           "10:00 EDT" in message
    assert "write every: 1d" in message
    weekly = found(ny(layer("a,b", "2026-01-05T09:00", "168h")), code="elapsed-turns-with-windows")
    assert "write every: 1w" in weekly[0][1]


def test_hours_with_windows_even_without_dst() -> None:
    windowed = layer("a,b", "2026-01-05T09:00", "48h", only=(window(WEEKDAYS, "09:00", "17:00"),))
    [(_, message)] = found(schedule("UTC", windowed), code="elapsed-turns-with-windows")
    assert "in UTC that is the same as 2d today, but write every: 2d" in message


def test_near_misses_of_elapsed_turns() -> None:
    assert found(schedule("UTC", layer("a,b", "2026-01-05T09:00", "24h")), code="elapsed-turns-with-windows") == []
    assert found(ny(layer("a,b", "2026-01-05T09:00", "1d")), code="elapsed-turns-with-windows") == []
    follow_the_sun = layer("a,b,c", "2026-01-05T09:00", "8h", only=(window(WEEKDAYS, "09:00", "17:00"),))
    assert found(ny(follow_the_sun), code="elapsed-turns-with-windows") == []


# --- override-on-time-off -----------------------------------------------------------------------


def _overridden(*overrides: Override, **kw: object) -> Schedule:
    return ny(layer("a,b", "2026-01-05T09:00", "1w"), overrides=overrides, **kw)


def test_an_override_on_time_off() -> None:
    away = person("c", "America/New_York", off=(("2026-12-24", "2026-12-26"),))
    cover = replace(override("c", "2026-12-23T09:00", "2026-12-25T09:00", "America/New_York"), lines={"person": 14})
    [(line, message)] = found(_overridden(cover), code="override-on-time-off", people=(away,))
    assert line == 14
    assert ("override 1 of schedule 's' puts c on call from 2026-12-23 09:00 EST to 2026-12-25 09:00 EST, but they "
            "are off for 1d 9h of it: from 2026-12-24 00:00 EST to 2026-12-25 09:00 EST (time off)") in message


def test_near_misses_of_time_off() -> None:
    away = person("c", "America/New_York", off=(("2026-12-24", "2026-12-26"),))
    before = override("c", "2026-12-22T09:00", "2026-12-24T00:00", "America/New_York")  # ends as time off begins
    assert found(_overridden(before), code="override-on-time-off", people=(away,)) == []
    past = person("c", "America/New_York", off=(("2026-10-01", "2026-10-02"),))
    old = override("c", "2026-10-01T09:00", "2026-10-02T09:00", "America/New_York")  # over before now
    assert found(_overridden(old), code="override-on-time-off", people=(past,)) == []


def test_an_override_on_a_holiday_the_schedule_skips() -> None:
    business = layer("a,b,c", "2026-01-05T09:00", "1d", only=(window(WEEKDAYS, "09:00", "17:00"),),
                     skip_holidays="US")
    christmas = override("c", "2026-12-25T00:00", "2026-12-26T00:00", "America/New_York")
    holidays = FixedHolidays({"US": ["2026-12-25"]})
    [(_, message)] = found(ny(business, overrides=(christmas,)), code="override-on-time-off", holidays=holidays)
    # Off where the layer would cover that day: its window.
    assert "off for 8h of it: from 2026-12-25 09:00 EST to 2026-12-25 17:00 EST (a public holiday)" in message
    # Near misses: someone the holiday rule does not cover, and a layer that does not skip holidays.
    stranger = override("z", "2026-12-25T00:00", "2026-12-26T00:00", "America/New_York")
    assert found(ny(business, overrides=(stranger,)), code="override-on-time-off", holidays=holidays) == []
    working = replace(business, skip_holidays=None)
    assert found(ny(working, overrides=(christmas,)), code="override-on-time-off", holidays=holidays) == []


def test_own_holidays_with_skip_holidays_people() -> None:
    berlin = replace(person("g", "Europe/Berlin"), country="DE")
    rota = replace(layer("g,h", "2026-01-05T09:00", "1w"), skip_holidays="people")
    day = override("g", "2026-12-26T00:00", "2026-12-27T00:00", "Europe/Berlin")
    [(_, message)] = found(schedule("Europe/Berlin", rota, overrides=(day,)), code="override-on-time-off",
                           people=(berlin,), holidays=FixedHolidays({"DE": ["2026-12-26"]}))
    assert "from 2026-12-26 00:00 CET to 2026-12-27 00:00 CET (a public holiday)" in message


# --- replaces-not-on-call -----------------------------------------------------------------------


def test_replaces_someone_not_on_call() -> None:
    # The week of 2026-12-21 is turn 50, a's (a and b alternate from 2026-01-05).
    swap = replace(override("c", "2026-12-22T09:00", "2026-12-23T09:00", "America/New_York"), replaces="b",
                   lines={"replaces": 17})
    [(line, message)] = found(_overridden(swap), code="replaces-not-on-call")
    assert line == 17
    assert ("override 1 of schedule 's' replaces b, but b would not be on call at any moment from 2026-12-22 09:00 "
            "EST to 2026-12-23 09:00 EST (a would be)") in message


def test_replaces_the_right_person_or_part_of_their_turn() -> None:
    right = replace(override("c", "2026-12-22T09:00", "2026-12-23T09:00", "America/New_York"), replaces="a")
    assert found(_overridden(right), code="replaces-not-on-call") == []
    across = replace(override("c", "2026-12-27T09:00", "2026-12-29T09:00", "America/New_York"), replaces="b")
    assert found(_overridden(across), code="replaces-not-on-call") == []  # b's turn begins on the 28th
    # An earlier override already gives that time to d: a would not be on call, d would.
    first = override("d", "2026-12-22T09:00", "2026-12-23T09:00", "America/New_York")
    [(_, message)] = found(_overridden(first, right), code="replaces-not-on-call")
    assert "override 2 of schedule 's' replaces a" in message and "(d would be)" in message


def test_every_finding_code_is_registered() -> None:
    from oncall.config import codes

    problems = lint_org(org(ny(lined(layer("a,b", "2026-01-05T02:30", "24h"), start=1))), utc(NOW))
    assert problems and all(p.code in codes.WARNINGS for p in problems)


def test_a_zone_clock_built_while_time_is_frozen_reads_the_repeated_hour_right() -> None:
    # The lint and the CLI tests run under freezegun, whose datetime.fromtimestamp drops `fold`.
    from freezegun import freeze_time

    from oncall.times import ZoneClock, wall_seconds, zone

    second_pass = utc("2026-11-01T06:30Z")  # 01:30 EST, after New York falls back
    with freeze_time("2026-11-26 12:00:00"):
        clock = ZoneClock(zone("America/New_York"))
        wall = clock.to_wall(second_pass)
    assert wall == wall_seconds(datetime(2026, 11, 1, 1, 30))
