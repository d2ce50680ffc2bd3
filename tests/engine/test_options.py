"""Rotation options, rule by rule (docs/scheduling.md, "Rotation options"): a layer's own timezone,
offset, advance on covered turns, avoid, and public holidays per person."""

from __future__ import annotations

from datetime import date, timedelta

from oncall.engine import schedule_timeline, who_at
from oncall.engine.lint import lint_org
from oncall.engine.turns import CoveredPeriods, LayerClock
from oncall.holidays import FixedHolidays
from oncall.model import Reason, reason_codes
from oncall.times import zone
from tests.engine.build import layer, local, org, override, person, schedule, utc, window

WEEKDAYS = window("mon,tue,wed,thu,fri", "00:00", "24:00")
OFFICE = window("mon,tue,wed,thu,fri", "09:00", "17:00")


def shifts(o, sched, start, end):
    return [(s.person, s.start, s.end) for s in schedule_timeline(o, sched, start, end).shifts]


def reasons(o, sched, start, end):
    return [(s.person, reason_codes(s.reasons)) for s in schedule_timeline(o, sched, start, end).shifts]


# Rule 7: a layer's timezone reads its start, end, turns and windows there.
def test_a_london_layer_keeps_london_office_hours_in_a_new_york_schedule():
    emea = layer("tom", "2026-01-05T09:00", "1d", only=(OFFICE,), timezone="Europe/London")
    sched = schedule("America/New_York", emea)
    o = org(sched)
    # Monday 16 March: London still on GMT, New York already on EDT; Monday 6 April: both summer.
    assert shifts(o, sched, utc("2026-03-16T00:00Z"), utc("2026-03-17T00:00Z")) == [
        ("tom", utc("2026-03-16T09:00Z"), utc("2026-03-16T17:00Z"))]
    assert shifts(o, sched, utc("2026-04-06T00:00Z"), utc("2026-04-07T00:00Z")) == [
        ("tom", utc("2026-04-06T08:00Z"), utc("2026-04-06T16:00Z"))]
    # Without its own zone, the same layer is read in New York's.
    plain = schedule("America/New_York", layer("tom", "2026-01-05T09:00", "1d", only=(OFFICE,)))
    assert shifts(org(plain), plain, utc("2026-04-06T00:00Z"), utc("2026-04-07T00:00Z")) == [
        ("tom", utc("2026-04-06T13:00Z"), utc("2026-04-06T21:00Z"))]


def test_a_layer_zone_reads_start_and_end_and_hands_off_on_its_own_wall_clock():
    emea = layer("tom,una", "2026-01-05T09:00", "1w", end="2026-04-13T09:00", timezone="Europe/London")
    sched = schedule("Asia/Tokyo", emea)
    got = shifts(org(sched), sched, utc("2026-01-01T00:00Z"), utc("2026-05-01T00:00Z"))
    assert got[0] == ("tom", utc("2026-01-05T09:00Z"), utc("2026-01-12T09:00Z"))
    # After London's spring change the Monday handoff is 08:00Z; the layer ends at 09:00 BST.
    assert got[-2:] == [("tom", utc("2026-03-30T08:00Z"), utc("2026-04-06T08:00Z")),
                        ("una", utc("2026-04-06T08:00Z"), utc("2026-04-13T08:00Z"))]


# Rule 8: offset.
def test_offset_shifts_the_rotation_and_time_off_cover_looks_on_from_there():
    people = (person("a"), person("b", off=(("2026-01-05", "2026-01-06"),)), person("c"))
    secondary = schedule("UTC", layer("a,b,c", "2026-01-05T00:00", "1w", offset=1))
    o = org(secondary, people=people)
    # Week 0 belongs to b (people[(0 + 1) mod 3]); b is off Monday and Tuesday, so c (after b) covers.
    assert reasons(o, secondary, utc("2026-01-05T00:00Z"), utc("2026-01-26T00:00Z")) == [
        ("c", "cover:b"), ("b", "layer:layer-1"), ("c", "layer:layer-1"), ("a", "layer:layer-1")]
    assert shifts(o, secondary, utc("2026-01-05T00:00Z"), utc("2026-01-12T00:00Z"))[0][2] == utc("2026-01-07T00:00Z")


# Rule 9: advance on covered turns.
def test_a_daily_rotation_of_seven_on_weekdays_gives_monday_to_the_one_after_friday():
    seven = layer("a,b,c,d,e,f,g", "2026-01-05T00:00", "1d", only=(WEEKDAYS,), advance="covered")
    sched = schedule("UTC", seven)
    got = [p for p, _, _ in shifts(org(sched), sched, utc("2026-01-05T00:00Z"), utc("2026-01-17T00:00Z"))]
    assert got == ["a", "b", "c", "d", "e", "f", "g", "a", "b", "c"]
    # Counted as always, f and g would only ever get the weekend, which the windows lose.
    always = schedule("UTC", layer("a,b,c,d,e,f,g", "2026-01-05T00:00", "1d", only=(WEEKDAYS,)))
    got = {p for p, _, _ in shifts(org(always), always, utc("2026-01-05T00:00Z"), utc("2026-03-01T00:00Z"))}
    assert got == {"a", "b", "c", "d", "e"}


def test_covered_counting_from_years_ago_is_arithmetic_and_right():
    start = date(2019, 12, 30)  # a Monday
    seven = layer("a,b,c,d,e,f,g", "2019-12-30T09:00", "1d", only=(OFFICE,), advance="covered",
                  timezone="America/New_York")
    sched = schedule("UTC", seven)
    day = date(2026, 6, 15)
    weekdays = sum(1 for i in range((day - start).days) if (start + timedelta(days=i)).weekday() < 5)
    got = shifts(org(sched), sched, local("2026-06-15T00:00", "America/New_York"), local("2026-06-16T00:00", "America/New_York"))
    assert got == [("abcdefg"[weekdays % 7], local("2026-06-15T09:00", "America/New_York"),
                    local("2026-06-15T17:00", "America/New_York"))]


def test_time_off_does_not_change_the_counting():
    people = (person("c", off=(("2026-01-07", "2026-01-07"),)),)
    sched = schedule("UTC", layer("a,b,c,d,e,f,g", "2026-01-05T00:00", "1d", only=(WEEKDAYS,), advance="covered"))
    got = reasons(org(sched, people=people), sched, utc("2026-01-05T00:00Z"), utc("2026-01-10T00:00Z"))
    assert got == [("a", "layer:layer-1"), ("b", "layer:layer-1"), ("d", "cover:c, layer:layer-1"),
                   ("e", "layer:layer-1")]


def test_without_windows_covered_is_always():
    a = schedule("UTC", layer("a,b,c", "2026-01-05T00:00", "1d", advance="covered"))
    b = schedule("UTC", layer("a,b,c", "2026-01-05T00:00", "1d"))
    window_ = (utc("2026-02-01T00:00Z"), utc("2026-03-01T00:00Z"))
    assert shifts(org(a), a, *window_) == shifts(org(b), b, *window_)


def test_covered_periods_before_j_is_the_count_checked_one_by_one_across_dst():
    for tz, every in (("America/New_York", "1d"), ("Australia/Lord_Howe", "8h"), ("Pacific/Chatham", "2d"),
                      ("Europe/London", "1w")):
        lay = layer("a,b", "2025-10-20T02:30", every, only=(window("mon,wed,fri", "01:00", "03:30"),
                                                           window("sun", "23:00", "01:30")))
        clock = LayerClock(lay, zone(tz))
        periods = CoveredPeriods(clock, lay.only, zone(tz))
        checked = 0
        for j in range(0, 1200 if every == "8h" else 500):
            assert periods.before(j) == checked, (tz, every, j)
            checked += periods.covered(j)


# Rule 10: avoid.
def test_a_secondary_avoiding_the_primary_never_doubles_up_on_one_person():
    people = (person("a", off=(("2026-01-05", "2026-01-11"),)), person("b"), person("c"))
    primary = schedule("UTC", layer("a,b,c", "2026-01-05T00:00", "1w"), sid="primary",
                       overrides=(override("c", "2026-01-13T00:00", "2026-01-13T12:00", "UTC"),))
    secondary = schedule("UTC", layer("a,b,c", "2026-01-05T00:00", "1w", offset=1), sid="secondary",
                         avoid=("primary",))
    o = org(primary, secondary, people=people)
    week = (utc("2026-01-05T00:00Z"), utc("2026-01-12T00:00Z"))
    # a is off: b covers the primary; the secondary's turn is b's, who is busy there, so c takes it
    # (and goes on with their own turn the week after: the reasons are the whole shift's).
    assert reasons(o, primary, *week) == [("b", "cover:a, layer:layer-1")]
    assert reasons(o, secondary, *week) == [("c", "avoid:b, layer:layer-1")]
    # The primary's override puts c on call on the 13th: c is busy there too (overrides count).
    got = shifts(o, secondary, utc("2026-01-13T00:00Z"), utc("2026-01-14T00:00Z"))
    assert got == [("a", utc("2026-01-13T00:00Z"), utc("2026-01-13T12:00Z")),
                   ("c", utc("2026-01-13T12:00Z"), utc("2026-01-14T00:00Z"))]
    assert Reason("avoid", "layer-1", "b").describe(str.title) == "covering B (on call in another schedule)"


def test_an_override_in_the_avoiding_schedule_still_wins_and_is_a_warning():
    primary = schedule("UTC", layer("a,b", "2026-01-05T00:00", "1w"), sid="primary")
    secondary = schedule("UTC", layer("a,b", "2026-01-05T00:00", "1w", offset=1), sid="secondary",
                         avoid=("primary",), overrides=(override("a", "2026-02-02T00:00", "2026-02-03T00:00", "UTC"),))
    o = org(primary, secondary)
    # Week of 2 Feb is turn 4: a on the primary; the override puts a on the secondary as well.
    assert shifts(o, secondary, utc("2026-02-02T00:00Z"), utc("2026-02-03T00:00Z")) == [
        ("a", utc("2026-02-02T00:00Z"), utc("2026-02-03T00:00Z"))]
    found = [p for p in lint_org(o, utc("2026-02-01T00:00Z")) if p.code == "double-booked"]
    assert len(found) == 1 and "a is on call in both 'primary' and 'secondary'" in found[0].message


def test_a_cycle_built_directly_does_not_recurse():
    one = schedule("UTC", layer("a,b", "2026-01-05T00:00", "1w"), sid="one", avoid=("two",))
    two = schedule("UTC", layer("a,b", "2026-01-05T00:00", "1w"), sid="two", avoid=("one",))
    o = org(one, two)
    assert shifts(o, one, utc("2026-01-05T00:00Z"), utc("2026-01-06T00:00Z"))


# Rule 11: public holidays, per person or per country.
HOLIDAYS = FixedHolidays({"US": ["2026-07-03", "2026-12-25"], "GB": ["2026-08-31", "2026-12-25"]})


def test_each_person_is_off_on_their_own_holidays_midnight_to_midnight_in_their_zone():
    people = (person("alice", "America/New_York", country="US"), person("bob", "Europe/London", country="GB"),
              person("carol", "Australia/Sydney"))
    sched = schedule("UTC", layer("alice,bob", "2026-07-01T00:00", "1d", skip_holidays="people"))
    o = org(sched, people=people, holidays=HOLIDAYS)
    # 3 July is alice's turn; her holiday is 04:00Z to 04:00Z (midnight in New York): bob covers.
    got = schedule_timeline(o, sched, utc("2026-07-03T00:00Z"), utc("2026-07-05T00:00Z")).shifts
    assert [(s.person, s.start, s.end, reason_codes(s.reasons)) for s in got] == [
        ("alice", utc("2026-07-03T00:00Z"), utc("2026-07-03T04:00Z"), "layer:layer-1"),
        ("bob", utc("2026-07-03T04:00Z"), utc("2026-07-05T00:00Z"), "holiday:alice, layer:layer-1")]
    # 31 August is bob's turn and London's bank holiday (23:00Z to 23:00Z in summer): alice covers.
    got = schedule_timeline(o, sched, utc("2026-08-31T00:00Z"), utc("2026-09-01T00:00Z")).shifts
    assert [(s.person, s.start, s.end, reason_codes(s.reasons)) for s in got] == [
        ("alice", utc("2026-08-31T00:00Z"), utc("2026-08-31T23:00Z"), "layer:layer-1, holiday:bob"),
        ("bob", utc("2026-08-31T23:00Z"), utc("2026-09-01T00:00Z"), "layer:layer-1")]


def test_per_person_holidays_skip_a_cover_on_their_own_holiday_too():
    people = (person("alice", "UTC", country="US"), person("bob", "UTC", country="GB"), person("carol", "UTC"))
    sched = schedule("UTC", layer("alice,bob,carol", "2026-12-25T00:00", "1w", skip_holidays="people"))
    o = org(sched, people=people, holidays=HOLIDAYS)
    assert reasons(o, sched, utc("2026-12-25T00:00Z"), utc("2026-12-26T00:00Z")) == [("carol", "holiday:alice")]


def test_a_country_holiday_is_everybodys_time_off_in_the_layers_zone():
    people = (person("alice", country="US"), person("bob", country="US"))
    # The layer is read in London: the GB holiday is midnight to midnight there (23:00Z in summer),
    # and everybody in the layer is off then, so the layer leaves a gap (rules 11 and 4).
    sched = schedule("UTC", layer("alice,bob", "2026-08-31T00:00", "1w", skip_holidays="GB", timezone="Europe/London"))
    o = org(sched, people=people, holidays=HOLIDAYS)
    tl = schedule_timeline(o, sched, utc("2026-08-30T00:00Z"), utc("2026-09-01T00:00Z"))
    assert [(s.person, s.start, s.end, reason_codes(s.reasons)) for s in tl.shifts] == [
        ("alice", utc("2026-08-31T23:00Z"), utc("2026-09-01T00:00Z"), "layer:layer-1")]
    # Before the layer's start (23:00Z) and then the holiday: one gap.
    assert [(g.start, g.end) for g in tl.gaps] == [(utc("2026-08-30T00:00Z"), utc("2026-08-31T23:00Z"))]


def test_whois_tells_the_holiday_cover_apart_from_time_off():
    people = (person("alice", "America/New_York", country="US"), person("bob", "Europe/London", country="GB"))
    sched = schedule("UTC", layer("alice,bob", "2026-07-01T00:00", "1d", skip_holidays="people"))
    answer = who_at(org(sched, people=people, holidays=HOLIDAYS), sched, utc("2026-07-03T12:00Z"))
    assert answer.person == "bob" and answer.reasons[0] == Reason("holiday", "layer-1", "alice")


# validate's "never gets a turn" suggests advance: covered where that fixes it.
def test_the_never_on_call_warning_suggests_advance_covered_when_it_would_fix_it():
    seven = schedule("UTC", layer("a,b,c,d,e,f,g", "2026-01-05T00:00", "1d", only=(WEEKDAYS,)), sid="seven")
    [found] = [p for p in lint_org(org(seven), utc("2026-02-01T00:00Z")) if p.code == "never-on-call"]
    assert "advance: covered" in found.message
    # A layer whose turns all fall on Saturdays: counting covered turns cannot help.
    weekly = schedule("UTC", layer("a,b", "2026-01-03T00:00", "1w", only=(window("sat,sun", "00:00", "24:00"),
                                                                          window("mon", "00:00", "01:00"))),
                      sid="weekly")
    counted = schedule("UTC", layer("a,b,c,d,e,f,g", "2026-01-05T00:00", "1d", only=(WEEKDAYS,), advance="covered"),
                       sid="counted")
    assert not [p for p in lint_org(org(weekly, counted), utc("2026-02-01T00:00Z")) if p.code == "never-on-call"]
