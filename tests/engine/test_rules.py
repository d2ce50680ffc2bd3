"""The rules of docs/scheduling.md, one by one, with hand-computed expectations across the DST changes of 2026 and 2027."""

from __future__ import annotations

from datetime import date

import pytest

from oncall.engine import generate, schedule_timeline, who_at
from oncall.holidays import FixedHolidays
from oncall.model import Reason, reason_codes
from tests.engine.build import layer, local, org, override, person, schedule, utc, window


def shifts(sched, people, start, end):
    tl = schedule_timeline(org(sched, people=people), sched, start, end)
    return [(s.person, s.start, s.end) for s in tl.shifts], [(g.start, g.end) for g in tl.gaps], tl


# Rule 1: day and week turns keep their wall-clock handoff across DST changes.
# (zone, the Monday before the change at 09:00 local in UTC, the Monday after, in UTC)
WEEKLY_HANDOFFS = [
    ("America/New_York", "2026-03-02T14:00Z", "2026-03-09T13:00Z"),
    ("America/New_York", "2026-10-26T13:00Z", "2026-11-02T14:00Z"),
    ("America/New_York", "2027-03-08T14:00Z", "2027-03-15T13:00Z"),
    ("America/New_York", "2027-11-01T13:00Z", "2027-11-08T14:00Z"),
    ("Europe/London", "2026-03-23T09:00Z", "2026-03-30T08:00Z"),
    ("Europe/London", "2026-10-19T08:00Z", "2026-10-26T09:00Z"),
    ("Europe/London", "2027-03-22T09:00Z", "2027-03-29T08:00Z"),
    ("Europe/London", "2027-10-25T08:00Z", "2027-11-01T09:00Z"),
    ("Australia/Sydney", "2026-03-29T22:00Z", "2026-04-05T23:00Z"),
    ("Australia/Sydney", "2026-09-27T23:00Z", "2026-10-04T22:00Z"),
    ("Australia/Sydney", "2027-03-28T22:00Z", "2027-04-04T23:00Z"),
    ("Australia/Sydney", "2027-09-26T23:00Z", "2027-10-03T22:00Z"),
    ("Australia/Lord_Howe", "2026-03-29T22:00Z", "2026-04-05T22:30Z"),
    ("Australia/Lord_Howe", "2026-09-27T22:30Z", "2026-10-04T22:00Z"),
    ("Australia/Lord_Howe", "2027-03-28T22:00Z", "2027-04-04T22:30Z"),
    ("Australia/Lord_Howe", "2027-09-26T22:30Z", "2027-10-03T22:00Z"),
    ("Asia/Kolkata", "2026-03-02T03:30Z", "2026-03-09T03:30Z"),
    ("Asia/Kolkata", "2026-10-26T03:30Z", "2026-11-02T03:30Z"),
    ("Pacific/Chatham", "2026-03-29T19:15Z", "2026-04-05T20:15Z"),
    ("Pacific/Chatham", "2026-09-20T20:15Z", "2026-09-27T19:15Z"),
    ("Pacific/Chatham", "2027-03-28T19:15Z", "2027-04-04T20:15Z"),
    ("Pacific/Chatham", "2027-09-19T20:15Z", "2027-09-26T19:15Z"),
]


@pytest.mark.parametrize("tz,before,after", WEEKLY_HANDOFFS)
def test_weekly_handoff_stays_at_nine_local(tz, before, after):
    # Monday 2026-01-05 09:00 local: alice's turn 0; the rotation alternates weekly.
    sched = schedule(tz, layer("alice,bob", "2026-01-05T09:00", "1w"))
    start, end = utc(before), utc(after)
    got, gaps, _ = shifts(sched, (), start - 3600, end + 3600)
    assert gaps == []
    assert [(s, e) for _, s, e in got] == [(start - 3600, start), (start, end), (end, end + 3600)]
    # the shift across the change is a different person from the ones either side
    assert got[0][0] != got[1][0] != got[2][0]


# Rule 1 with the time rules of docs/formats.md: nonexistent and ambiguous handoff times (fold=0).
@pytest.mark.parametrize(
    "tz,handoff,day,expected",
    [
        ("America/New_York", "02:30", "2026-03-08", "2026-03-08T07:30Z"),  # gap: shown 03:30 EDT
        ("America/New_York", "02:30", "2027-03-14", "2027-03-14T07:30Z"),
        ("America/New_York", "01:30", "2026-11-01", "2026-11-01T05:30Z"),  # ambiguous: first (EDT)
        ("America/New_York", "01:30", "2027-11-07", "2027-11-07T05:30Z"),
        ("Europe/London", "01:30", "2026-03-29", "2026-03-29T01:30Z"),  # gap: GMT offset before the jump
        ("Europe/London", "01:30", "2026-10-25", "2026-10-25T00:30Z"),  # ambiguous: BST
        ("Australia/Lord_Howe", "02:15", "2026-10-04", "2026-10-03T15:45Z"),  # 30-minute gap
        ("Australia/Lord_Howe", "01:45", "2026-04-05", "2026-04-04T14:45Z"),  # 30-minute fold
        ("Pacific/Chatham", "03:00", "2026-09-27", "2026-09-26T14:15Z"),
        ("Australia/Sydney", "02:30", "2026-10-04", "2026-10-03T16:30Z"),
        ("Australia/Sydney", "02:30", "2026-04-05", "2026-04-04T15:30Z"),
    ],
)
def test_daily_handoff_in_gap_or_fold(tz, handoff, day, expected):
    sched = schedule(tz, layer("alice,bob", f"2026-01-01T{handoff}", "1d"))
    at = utc(expected)
    got, _, _ = shifts(sched, (), at - 6 * 3600, at + 6 * 3600)
    assert at in [s for _, s, _ in got]


def test_hour_turns_are_elapsed_time_across_dst():
    # 12-hour turns from 21:00 EST on 2026-03-07 (02:00Z): after the change, handoffs move to 10:00/22:00 EDT.
    sched = schedule("America/New_York", layer("alice,bob", "2026-03-07T21:00", "12h"))
    got, _, _ = shifts(sched, (), utc("2026-03-08T02:00Z"), utc("2026-03-09T14:00Z"))
    assert got == [
        ("alice", utc("2026-03-08T02:00Z"), utc("2026-03-08T14:00Z")),
        ("bob", utc("2026-03-08T14:00Z"), utc("2026-03-09T02:00Z")),
        ("alice", utc("2026-03-09T02:00Z"), utc("2026-03-09T14:00Z")),
    ]


def test_turn_k_belongs_to_people_k_mod_n_and_nothing_before_start_or_after_end():
    sched = schedule(
        "UTC", layer("alice,bob,carol", "2026-01-01T00:00", "1d", end="2026-01-05T12:00")
    )
    got, gaps, _ = shifts(sched, (), utc("2025-12-31T00:00Z"), utc("2026-01-07T00:00Z"))
    assert got == [
        ("alice", utc("2026-01-01T00:00Z"), utc("2026-01-02T00:00Z")),
        ("bob", utc("2026-01-02T00:00Z"), utc("2026-01-03T00:00Z")),
        ("carol", utc("2026-01-03T00:00Z"), utc("2026-01-04T00:00Z")),
        ("alice", utc("2026-01-04T00:00Z"), utc("2026-01-05T00:00Z")),
        ("bob", utc("2026-01-05T00:00Z"), utc("2026-01-05T12:00Z")),
    ]
    assert gaps == [
        (utc("2025-12-31T00:00Z"), utc("2026-01-01T00:00Z")),
        (utc("2026-01-05T12:00Z"), utc("2026-01-07T00:00Z")),
    ]


def test_a_rotation_started_long_ago_costs_the_same_and_is_right():
    sched = schedule("Europe/London", layer("a,b,c,d,e,f,g", "1990-01-01T09:00", "1d"))
    # 1990-01-01 to 2026-06-15 is 13314 days; 13314 mod 7 = 0 -> 'a' from 09:00 BST (08:00Z).
    who = who_at(org(sched), sched, utc("2026-06-15T12:00Z"))
    assert (who.person, who.start, who.end) == ("a", utc("2026-06-15T08:00Z"), utc("2026-06-16T08:00Z"))


def test_repeated_person_and_adjacent_turns_merge_into_one_shift():
    sched = schedule("UTC", layer("alice,alice,bob", "2026-01-01T00:00", "1d"))
    got, _, _ = shifts(sched, (), utc("2026-01-01T00:00Z"), utc("2026-01-04T00:00Z"))
    assert got == [("alice", utc("2026-01-01T00:00Z"), utc("2026-01-03T00:00Z")),
                   ("bob", utc("2026-01-03T00:00Z"), utc("2026-01-04T00:00Z"))]


# Rule 2: restriction windows, on the schedule's wall clock.
def test_business_hours_window_moves_with_the_wall_clock():
    sched = schedule(
        "Europe/London",
        layer("dave", "2026-01-05T00:00", "1d", only=(window("mon,tue,wed,thu,fri", "09:00", "17:00"),)),
    )
    got, _, _ = shifts(sched, (), utc("2026-03-27T00:00Z"), utc("2026-03-31T00:00Z"))
    assert got == [
        ("dave", utc("2026-03-27T09:00Z"), utc("2026-03-27T17:00Z")),  # Friday, GMT
        ("dave", utc("2026-03-30T08:00Z"), utc("2026-03-30T16:00Z")),  # Monday, BST
    ]


def test_window_past_midnight_across_fall_back_lasts_nine_hours():
    sched = schedule("America/New_York", layer("nina", "2026-01-01T00:00", "1w", only=(window("sat", "22:00", "06:00"),)))
    got, _, _ = shifts(sched, (), utc("2026-10-31T00:00Z"), utc("2026-11-02T00:00Z"))
    assert got == [("nina", utc("2026-11-01T02:00Z"), utc("2026-11-01T11:00Z"))]


def test_window_to_2400_on_spring_forward_day_is_23_hours():
    sched = schedule("America/New_York", layer("sam", "2026-01-01T00:00", "1w", only=(window("sun", "00:00", "24:00"),)))
    got, _, _ = shifts(sched, (), utc("2026-03-07T00:00Z"), utc("2026-03-10T00:00Z"))
    assert got == [("sam", utc("2026-03-08T05:00Z"), utc("2026-03-09T04:00Z"))]


def test_restricted_time_is_not_handed_to_anyone_else():
    # A daily rotation of three restricted to weekdays: Saturday's and Sunday's turns are simply lost.
    sched = schedule("UTC", layer("a,b,c", "2026-01-05T00:00", "1d", only=(window("mon,tue,wed,thu,fri", "00:00", "24:00"),)))
    got, gaps, _ = shifts(sched, (), utc("2026-01-09T00:00Z"), utc("2026-01-13T00:00Z"))
    # Jan 5 is turn 0 (a); Jan 9 turn 4 (b); Jan 12 turn 7 (b); Jan 10/11 lost.
    assert got == [("b", utc("2026-01-09T00:00Z"), utc("2026-01-10T00:00Z")),
                   ("b", utc("2026-01-12T00:00Z"), utc("2026-01-13T00:00Z"))]
    assert gaps == [(utc("2026-01-10T00:00Z"), utc("2026-01-12T00:00Z"))]


def test_turn_keeps_its_owner_inside_a_window_that_spans_a_handoff():
    # Weekly handoff Monday 09:00; window Monday 06:00-12:00: alice then bob within one window.
    sched = schedule("UTC", layer("alice,bob", "2026-01-05T09:00", "1w", only=(window("mon", "06:00", "12:00"),)))
    got, _, _ = shifts(sched, (), utc("2026-01-12T00:00Z"), utc("2026-01-13T00:00Z"))
    assert got == [("alice", utc("2026-01-12T06:00Z"), utc("2026-01-12T09:00Z")),
                   ("bob", utc("2026-01-12T09:00Z"), utc("2026-01-12T12:00Z"))]


# Rule 3: the later layer wins where both cover.
def test_later_layer_wins():
    sched = schedule(
        "America/New_York",
        layer("alice,bob", "2026-01-05T09:00", "1w", name="week"),
        layer("dave", "2026-01-05T09:00", "1d", name="biz", only=(window("mon,tue,wed,thu,fri", "09:00", "17:00"),)),
    )
    got, _, tl = shifts(sched, (), local("2026-03-09T00:00", "America/New_York"), local("2026-03-10T00:00", "America/New_York"))
    assert got == [
        ("alice", utc("2026-03-09T04:00Z"), utc("2026-03-09T13:00Z")),  # turn 8 (even) ends 09:00 EDT
        ("dave", utc("2026-03-09T13:00Z"), utc("2026-03-09T21:00Z")),
        ("bob", utc("2026-03-09T21:00Z"), utc("2026-03-10T04:00Z")),  # turn 9
    ]
    assert [s.reasons for s in tl.shifts] == [(Reason("layer", "week"),), (Reason("layer", "biz"),), (Reason("layer", "week"),)]
    assert [reason_codes(s.reasons) for s in tl.shifts] == ["layer:week", "layer:biz", "layer:week"]


# Rule 4: time off hands the part of the turn to the next person in rotation order.
def test_time_off_goes_to_the_next_available_person():
    people = (
        person("a", "UTC", off=(("2026-01-02", "2026-01-02"),)),  # whole day Jan 2
        person("b", "UTC", off=(("2026-01-02T00:00", "2026-01-02T12:00"),)),
        person("c", "UTC"),
    )
    # Turn 0 (Jan 1) a, turn 1 (Jan 2) b, turn 2 (Jan 3) c. b is off Jan 2 morning -> next after b is c.
    sched = schedule("UTC", layer("a,b,c", "2026-01-01T00:00", "1d"))
    got, _, tl = shifts(sched, people, utc("2026-01-02T00:00Z"), utc("2026-01-03T00:00Z"))
    assert got == [("c", utc("2026-01-02T00:00Z"), utc("2026-01-02T12:00Z")),
                   ("b", utc("2026-01-02T12:00Z"), utc("2026-01-03T00:00Z"))]
    assert tl.shifts[0].reasons == (Reason("cover", "layer-1", "b"),)
    assert reason_codes(tl.shifts[0].reasons) == "cover:b"


def test_cover_skips_people_who_are_also_off_and_wraps_around():
    people = (person("a"), person("b", off=(("2026-01-03", "2026-01-03"),)), person("c", off=(("2026-01-03", "2026-01-03"),)))
    sched = schedule("UTC", layer("a,b,c", "2026-01-01T00:00", "1d"))
    # Jan 3 is c's turn; c off -> next after c is a (wraps); a is available.
    got, _, _ = shifts(sched, people, utc("2026-01-03T00:00Z"), utc("2026-01-04T00:00Z"))
    assert got == [("a", utc("2026-01-03T00:00Z"), utc("2026-01-04T00:00Z"))]


def test_everyone_off_means_the_layer_covers_nothing_there():
    off = (("2026-01-01T06:00", "2026-01-01T08:00"),)
    people = (person("a", off=off), person("b", off=off))
    sched = schedule("UTC", layer("a,b", "2026-01-01T00:00", "1d"))
    got, gaps, _ = shifts(sched, people, utc("2026-01-01T00:00Z"), utc("2026-01-02T00:00Z"))
    assert gaps == [(utc("2026-01-01T06:00Z"), utc("2026-01-01T08:00Z"))]
    assert [p for p, _, _ in got] == ["a", "a"]


def test_date_time_off_is_whole_days_in_the_persons_zone():
    # A Tokyo person's day off on 2026-02-10 is 2026-02-09T15:00Z to 2026-02-10T15:00Z.
    people = (person("kenji", "Asia/Tokyo", off=(("2026-02-10", "2026-02-10"),)), person("lena", "Europe/Berlin"))
    sched = schedule("UTC", layer("kenji,lena", "2026-02-01T00:00", "4w"))
    got, _, _ = shifts(sched, people, utc("2026-02-09T00:00Z"), utc("2026-02-11T00:00Z"))
    assert got == [("kenji", utc("2026-02-09T00:00Z"), utc("2026-02-09T15:00Z")),
                   ("lena", utc("2026-02-09T15:00Z"), utc("2026-02-10T15:00Z")),
                   ("kenji", utc("2026-02-10T15:00Z"), utc("2026-02-11T00:00Z"))]


def test_time_off_in_a_lower_layer_does_not_leak_into_a_higher_one():
    people = (person("a", off=(("2026-01-01", "2026-01-01"),)), person("b"), person("x"))
    sched = schedule("UTC", layer("a,b", "2026-01-01T00:00", "1w", name="base"),
                     layer("x", "2026-01-01T00:00", "1d", name="top", only=(window("all", "09:00", "10:00"),)))
    got, _, _ = shifts(sched, people, utc("2026-01-01T00:00Z"), utc("2026-01-02T00:00Z"))
    assert got == [("b", utc("2026-01-01T00:00Z"), utc("2026-01-01T09:00Z")),
                   ("x", utc("2026-01-01T09:00Z"), utc("2026-01-01T10:00Z")),
                   ("b", utc("2026-01-01T10:00Z"), utc("2026-01-02T00:00Z"))]


# Rule 5: overrides win over every layer, whoever is off; later overrides win.
def test_overrides_win_even_over_time_off_and_later_ones_win():
    people = (person("a"), person("b"), person("frank", "UTC", off=(("2026-01-01", "2026-01-10"),)), person("gina"))
    sched = schedule(
        "UTC",
        layer("a,b", "2026-01-01T00:00", "1w"),
        overrides=(override("frank", "2026-01-02T00:00", "2026-01-04T00:00", "UTC"),
                   override("gina", "2026-01-03T00:00", "2026-01-03T12:00", "UTC")),
    )
    got, _, tl = shifts(sched, people, utc("2026-01-01T00:00Z"), utc("2026-01-05T00:00Z"))
    assert got == [
        ("a", utc("2026-01-01T00:00Z"), utc("2026-01-02T00:00Z")),
        ("frank", utc("2026-01-02T00:00Z"), utc("2026-01-03T00:00Z")),
        ("gina", utc("2026-01-03T00:00Z"), utc("2026-01-03T12:00Z")),
        ("frank", utc("2026-01-03T12:00Z"), utc("2026-01-04T00:00Z")),
        ("a", utc("2026-01-04T00:00Z"), utc("2026-01-05T00:00Z")),
    ]
    assert tl.shifts[1].reasons == (Reason("override"),)


def test_override_in_a_gap_fills_it():
    sched = schedule("UTC", layer("a", "2026-01-05T00:00", "1d"),
                     overrides=(override("b", "2026-01-04T12:00", "2026-01-05T12:00", "UTC"),))
    got, gaps, _ = shifts(sched, (), utc("2026-01-04T00:00Z"), utc("2026-01-06T00:00Z"))
    assert got == [("b", utc("2026-01-04T12:00Z"), utc("2026-01-05T12:00Z")),
                   ("a", utc("2026-01-05T12:00Z"), utc("2026-01-06T00:00Z"))]
    assert gaps == [(utc("2026-01-04T00:00Z"), utc("2026-01-04T12:00Z"))]


# whois: the whole shift, unclipped, and who comes next; gaps say when they end.
def test_whois_reports_whole_shift_and_next():
    sched = schedule("America/New_York", layer("alice,bob", "2026-01-05T09:00", "1w"))
    at = utc("2026-03-11T12:00Z")
    who = who_at(org(sched), sched, at)
    assert (who.person, who.start, who.end) == ("bob", utc("2026-03-09T13:00Z"), utc("2026-03-16T13:00Z"))
    assert (who.next_person, who.next_start) == ("alice", utc("2026-03-16T13:00Z"))


def test_whois_in_a_gap_reports_its_bounds():
    sched = schedule("UTC", layer("a", "2026-01-05T00:00", "1d", only=(window("all", "09:00", "17:00"),)))
    who = who_at(org(sched), sched, utc("2026-02-01T20:00Z"))
    assert (who.person, who.start, who.end) == (None, None, None)
    assert (who.gap_start, who.gap_end) == (utc("2026-02-01T17:00Z"), utc("2026-02-02T09:00Z"))
    assert (who.next_person, who.next_start) == ("a", utc("2026-02-02T09:00Z"))


def test_generate_sorts_by_schedule_then_start_and_filters_person():
    s1 = schedule("UTC", layer("a,b", "2026-01-01T00:00", "1d"), sid="zeta")
    s2 = schedule("UTC", layer("b,c", "2026-01-01T00:00", "1d"), sid="alpha")
    o = org(s1, s2)
    tl = generate(o, utc("2026-01-01T00:00Z"), utc("2026-01-03T00:00Z"))
    assert [(s.schedule, s.person) for s in tl.shifts] == [("alpha", "b"), ("alpha", "c"), ("zeta", "a"), ("zeta", "b")]
    mine = generate(o, utc("2026-01-01T00:00Z"), utc("2026-01-03T00:00Z"), person="b")
    assert [(s.schedule, s.start) for s in mine.shifts] == [("alpha", utc("2026-01-01T00:00Z")), ("zeta", utc("2026-01-02T00:00Z"))]
    assert mine.gaps == []


# Rule 11: a country's public holiday is time off for everybody in the layer, so by rule 4 the
# layer covers nothing that day and the layer below (or a gap) shows through.
def test_skip_holidays_of_a_country_leaves_the_day_to_the_layer_below():
    tz = "America/New_York"
    base = layer("dave", "2026-11-02T00:00", "1w", name="weekly")
    top = layer("alice,bob,carol", "2026-11-02T00:00", "1w", name="business", skip_holidays="US")
    sched = schedule(tz, base, top)
    everyone = org(sched, holidays=FixedHolidays({"US": ["2026-11-26"]}))
    # Week of 2026-11-23 is turn 3 -> alice; on Thanksgiving (Thu 26 Nov) nobody in her layer is on
    # call, not even the next in order: the weekly layer below holds the day.
    tl = schedule_timeline(everyone, sched, local("2026-11-25T00:00", tz), local("2026-11-28T00:00", tz))
    assert [(s.person, s.start, s.end) for s in tl.shifts] == [
        ("alice", local("2026-11-25T00:00", tz), local("2026-11-26T00:00", tz)),
        ("dave", local("2026-11-26T00:00", tz), local("2026-11-27T00:00", tz)),
        ("alice", local("2026-11-27T00:00", tz), local("2026-11-28T00:00", tz)),
    ]
    assert tl.shifts[1].reasons == (Reason("layer", "weekly"),)
    # Alone, the layer leaves a gap on the holiday.
    alone = schedule(tz, top)
    gaps = schedule_timeline(org(alone, holidays=FixedHolidays({"US": ["2026-11-26"]})), alone,
                             local("2026-11-25T00:00", tz), local("2026-11-28T00:00", tz)).gaps
    assert [(g.start, g.end) for g in gaps] == [(local("2026-11-26T00:00", tz), local("2026-11-27T00:00", tz))]


def test_holiday_cover_is_its_own_reason():
    # With `skip_holidays: people` the person with the holiday is covered by the next in order.
    assert Reason("holiday", "layer-1", "alice").describe(str.title) == "covering Alice (public holiday)"
    assert Reason("cover", "layer-1", "alice").describe(str.title) == "covering Alice's time off"
    assert reason_codes((Reason("holiday", "layer-1", "alice"),)) == "holiday:alice"


def test_the_holiday_calendar_caches_dates_so_later_runs_need_not_import_the_package(tmp_path):
    from oncall.holidays import HolidayCalendar

    calendar = HolidayCalendar(tmp_path)
    days = calendar.days("us", None, 2026)
    assert date(2026, 11, 26) in days and date(2026, 7, 3) in days  # Thanksgiving, Independence Day observed
    assert (tmp_path / "US-2026.json").exists()
    assert HolidayCalendar(tmp_path).days("US", None, 2026) == days
    # An unknown country has no holidays here (the loader reports it at its line).
    assert calendar.days("ZZ", None, 2026) == frozenset()
    assert not (tmp_path / "ZZ-2026.json").exists()
