"""Warnings from the engine: gaps, members who never work, layers lost to their windows."""

from __future__ import annotations

from dataclasses import replace

from oncall.engine.lint import lint_org
from oncall.times import Duration
from tests.engine.build import layer, org, override, schedule, utc, window

WEEKDAYS = window("mon,tue,wed,thu,fri", "00:00", "24:00")


def messages(*schedules):
    return [p.message for p in lint_org(org(*schedules), utc("2026-02-01T00:00Z"))]


def codes(*schedules, at="2026-02-01T00:00Z"):
    return [(p.code, p.message) for p in lint_org(org(*schedules), utc(at))]


def test_seven_daily_against_weekdays_flags_the_two_who_never_work():
    found = messages(schedule("UTC", layer("a,b,c,d,e,f,g", "2026-01-05T00:00", "1d", only=(WEEKDAYS,))))
    idle = [m for m in found if "never get" in m]
    assert len(idle) == 1 and "f, g never" in idle[0]  # Jan 5 is a Monday: f always Saturday, g Sunday


def test_six_daily_against_weekdays_is_fair():
    found = messages(schedule("UTC", layer("a,b,c,d,e,f", "2026-01-05T00:00", "1d", only=(WEEKDAYS,))))
    assert not [m for m in found if "never get" in m]


def test_layer_lost_entirely_to_its_windows():
    # A one-day layer on Monday 2026-02-02 restricted to Saturdays can never cover anything.
    lost = layer("a,b", "2026-02-02T00:00", "1w", end="2026-02-03T00:00", only=(window("sat", "09:00", "10:00"),))
    found = messages(schedule("UTC", layer("x", "2026-01-01T00:00", "1d"), lost))
    assert any("covers nothing" in m for m in found)


def test_gaps_are_reported_with_their_hours_and_clean_schedules_are_quiet():
    gappy = schedule("UTC", layer("a,b", "2026-01-01T00:00", "1d", only=(window("all", "09:00", "17:00"),)), sid="gappy")
    full = schedule("UTC", layer("a,b", "2026-01-01T00:00", "1d"), sid="full")
    found = messages(gappy, full)
    gaps = [m for m in found if "coverage gap" in m]
    assert len(gaps) == 1 and "'gappy'" in gaps[0] and "(18d 16h with nobody on call)" in gaps[0]  # 16 h x 28 days


def test_a_gap_is_told_by_its_own_bounds_with_a_rounded_length_never_the_instant_asked():
    # Asked at 23:30:31 on a Saturday in New York: the gap began at 17:00 on Friday and ends Monday 09:00.
    sched = schedule("America/New_York", layer("a,b", "2026-01-05T09:00", "1d",
                                               only=(window("mon,tue,wed,thu,fri", "09:00", "17:00"),)), sid="biz")
    [(code, message)] = [c for c in codes(sched, at="2026-11-29T04:30:31Z") if c[0] == "gap"]
    assert "from 2026-11-27 17:00 EST to 2026-11-30 09:00 EST (2d 16h)" in message
    assert "23:30" not in message and ":31" not in message
    assert "with nobody on call" in message


def test_every_finding_has_a_stable_code():
    lost = layer("a,b", "2026-02-02T00:00", "1w", end="2026-02-03T00:00", only=(window("sat", "09:00", "10:00"),),
                 name="lost")
    seven = layer("a,b,c,d,e,f,g", "2026-01-05T00:00", "1d", only=(WEEKDAYS,), name="seven")
    shadowed = schedule("UTC", layer("x,y", "2026-01-01T00:00", "1w"), sid="shadow",
                        overrides=(override("z", "2026-01-01T00:00", "2027-06-01T00:00", "UTC"),))
    found = {code for code, _ in codes(schedule("UTC", seven, lost), shadowed)}
    assert found == {"gap", "never-on-call", "layer-covers-nothing", "no-time-on-call"}


def test_a_huge_every_and_300_hourly_layers_are_linted_over_bounded_horizons():
    # A one-turn layer of 100000 weeks and 300 hourly layers: the look is bounded either way.
    # (The loader takes at most ten years; the engine is asked about a model built directly.)
    huge = schedule("UTC", replace(layer("a,b", "2026-01-01T00:00", "1w"), every=Duration(100000, "w")), sid="huge")
    many = schedule("UTC", *(layer("a,b,c", "2026-01-01T00:00", "1h", name=f"h{i}") for i in range(300)), sid="many")
    found = codes(huge, many)
    assert not [c for c in found if c[0] == "gap"]


def test_member_shadowed_by_overrides_is_flagged():
    sched = schedule("UTC", layer("a,b", "2026-01-01T00:00", "1w"),
                     overrides=(override("c", "2026-01-01T00:00", "2027-06-01T00:00", "UTC"),))
    found = messages(sched)
    assert any("get(s) no time on call" in m and "a, b" in m for m in found)
