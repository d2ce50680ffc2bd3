"""Rotation options 7-11: a layer's own timezone, offset, advance on covered turns, avoid, and
public holidays per layer or per person."""

from __future__ import annotations

from pathlib import Path

import pytest
from freezegun import freeze_time

from tests.contract.conftest import Oncall, assert_one_error_line, generate, shifts, utc, write_root

PEOPLE = """\
people:
  a: {name: A}
  b: {name: B}
  c: {name: C}
  d: {name: D}
"""


def org(tmp_path: Path, schedules: dict[str, str], people: str = PEOPLE) -> Path:
    files = {"schedules/people.yaml": people} | {f"schedules/{k}.yaml": v for k, v in schedules.items()}
    return write_root(tmp_path / "root", files)


def who(oncall: Oncall, root: Path, start: str, end: str, *args: str) -> list[tuple[str, str, str]]:
    return [(s[1], s[2], s[3]) for s in shifts(oncall, root, "--from", start, "--to", end, *args)]


# ---------------------------------------------------------------------------------------- rule 7

def test_a_layer_timezone_reads_start_end_turns_and_windows_in_that_zone(oncall: Oncall, tmp_path: Path) -> None:
    root = org(tmp_path, {"s": """\
timezone: America/New_York
layers:
  - people: [a, b]
    timezone: Europe/London
    start: 2026-03-23T09:00
    every: 1w
    end: 2026-04-13T09:00
  - people: [c]
    timezone: Asia/Kolkata
    start: 2026-03-23T00:00
    every: 1w
    only: [{days: [wed], from: "10:00", to: "12:00"}]
"""})
    # London: GMT until Sunday 29 March, then BST; Kolkata: +05:30 all year
    assert who(oncall, root, "2026-03-23T00:00Z", "2026-04-14T00:00Z") == [
        ("a", "2026-03-23T09:00:00Z", "2026-03-25T04:30:00Z"),
        ("c", "2026-03-25T04:30:00Z", "2026-03-25T06:30:00Z"),
        ("a", "2026-03-25T06:30:00Z", "2026-03-30T08:00:00Z"),
        ("b", "2026-03-30T08:00:00Z", "2026-04-01T04:30:00Z"),
        ("c", "2026-04-01T04:30:00Z", "2026-04-01T06:30:00Z"),
        ("b", "2026-04-01T06:30:00Z", "2026-04-06T08:00:00Z"),
        ("a", "2026-04-06T08:00:00Z", "2026-04-08T04:30:00Z"),
        ("c", "2026-04-08T04:30:00Z", "2026-04-08T06:30:00Z"),
        ("a", "2026-04-08T06:30:00Z", "2026-04-13T08:00:00Z"),
    ]


# ---------------------------------------------------------------------------------------- rule 8

def people_off(off: dict[str, str]) -> str:
    lines = ["people:"]
    for person in "abcd":
        lines.append(f"  {person}:\n    name: {person.upper()}")
        if person in off:
            lines.append(f"    time_off:\n      - {off[person]}")
    return "\n".join(lines) + "\n"


def test_offset_starts_the_rotation_further_on_and_cover_looks_on_from_there(oncall: Oncall,
                                                                            tmp_path: Path) -> None:
    layer = """\
timezone: UTC
layers:
  - people: [a, b, c]
    start: 2026-03-09T00:00
    every: 1d
    offset: {offset}
"""
    root = org(tmp_path, {"s": layer.format(offset=1)})
    assert [w[0] for w in who(oncall, root, "2026-03-09T00:00Z", "2026-03-13T00:00Z")] == ["b", "c", "a", "b"]
    root = org(tmp_path, {"s": layer.format(offset=5)})
    assert [w[0] for w in who(oncall, root, "2026-03-09T00:00Z", "2026-03-13T00:00Z")] == ["c", "a", "b", "c"]
    root = org(tmp_path, {"s": layer.format(offset=0)})
    assert [w[0] for w in who(oncall, root, "2026-03-09T00:00Z", "2026-03-13T00:00Z")] == ["a", "b", "c", "a"]
    # turn 0 with offset 1 is b's; b off: the next after b's position is c (not a)
    root = org(tmp_path, {"s": layer.format(offset=1)}, people_off({"b": "{from: 2026-03-09, to: 2026-03-09}"}))
    assert who(oncall, root, "2026-03-09T00:00Z", "2026-03-10T00:00Z") == [
        ("c", "2026-03-09T00:00:00Z", "2026-03-10T00:00:00Z")]


@pytest.mark.parametrize("bad", ["-1", "1.5", "one", "true"])
def test_offset_is_a_whole_number_from_zero(oncall: Oncall, tmp_path: Path, bad: str) -> None:
    root = org(tmp_path, {"s": f"timezone: UTC\nlayers:\n  - people: [a]\n    start: 2026-03-09T00:00\n"
                               f"    every: 1d\n    offset: {bad}\n"})
    assert_one_error_line(oncall("--root", str(root), "schedule", "validate"), "s.yaml:6")


# ---------------------------------------------------------------------------------------- rule 9

WEEKDAYS = """\
timezone: America/New_York
layers:
  - people: [a, b, c]
    start: 2026-03-09T09:00
    every: 1d
    advance: {advance}
    only:
      - {{days: [mon, tue, wed, thu, fri], from: "09:00", to: "17:00"}}
"""


def business_days(oncall: Oncall, root: Path) -> list[str]:
    # Mon 9 March to Wed 18 March, New York (EDT)
    return [w[0] for w in who(oncall, root, "2026-03-09T04:00Z", "2026-03-19T04:00Z")]


def test_advance_covered_counts_only_periods_that_meet_the_windows(oncall: Oncall, tmp_path: Path) -> None:
    root = org(tmp_path, {"s": WEEKDAYS.format(advance="covered")})
    # Mon a, Tue b, Wed c, Thu a, Fri b; the weekend is not counted: Mon c, Tue a, Wed b
    assert business_days(oncall, root) == ["a", "b", "c", "a", "b", "c", "a", "b"]
    root = org(tmp_path, {"s": WEEKDAYS.format(advance="always")})
    # always: Sat (turn 5, c) and Sun (turn 6, a) are counted though they cover nothing: Mon is b
    assert business_days(oncall, root) == ["a", "b", "c", "a", "b", "b", "c", "a"]


def test_time_off_does_not_change_the_counting(oncall: Oncall, tmp_path: Path) -> None:
    root = org(tmp_path, {"s": WEEKDAYS.format(advance="covered")},
               people_off({"a": "{from: 2026-03-12, to: 2026-03-12}"}))
    # Thu is a's turn (turn 3); a is off, so b covers it (and b's Fri turn follows: one shift)
    got = who(oncall, root, "2026-03-09T04:00Z", "2026-03-19T04:00Z")
    assert [w[0] for w in got] == ["a", "b", "c", "b", "b", "c", "a", "b"]


def test_covered_without_only_is_always(oncall: Oncall, tmp_path: Path) -> None:
    plain = "timezone: UTC\nlayers:\n  - people: [a, b, c]\n    start: 2026-03-09T00:00\n    every: 1d\n"
    root = org(tmp_path, {"s": plain + "    advance: covered\n"})
    with_covered = who(oncall, root, "2026-03-09T00:00Z", "2026-03-20T00:00Z")
    assert [w[0] for w in with_covered] == ["a", "b", "c"] * 3 + ["a", "b"]


@pytest.mark.parametrize("bad", ["sometimes", "true", "[covered]"])
def test_advance_is_always_or_covered(oncall: Oncall, tmp_path: Path, bad: str) -> None:
    root = org(tmp_path, {"s": WEEKDAYS.format(advance=bad)})
    assert_one_error_line(oncall("--root", str(root), "schedule", "validate"), "s.yaml:6")


# ---------------------------------------------------------------------------------------- rule 10

PRIMARY = """\
timezone: UTC
layers:
  - people: [a]
    start: 2026-03-02T00:00
    every: 1w
overrides:
  - {person: c, from: 2026-03-10T00:00, to: 2026-03-10T12:00}
"""
SECONDARY = """\
timezone: UTC
avoid: [p]
layers:
  - people: [a, c, d]
    start: 2026-03-09T00:00
    every: 1w
"""


def test_avoid_treats_someone_on_call_in_another_schedule_as_off(oncall: Oncall, tmp_path: Path) -> None:
    root = org(tmp_path, {"p": PRIMARY, "s2": SECONDARY})
    got = who(oncall, root, "2026-03-09T00:00Z", "2026-03-11T00:00Z", "--schedule", "s2")
    # a is on call in p except during c's override there; when c is on call in p, c is avoided too
    # and the turn's owner a is free; otherwise c covers a
    assert got == [
        ("c", "2026-03-09T00:00:00Z", "2026-03-10T00:00:00Z"),
        ("a", "2026-03-10T00:00:00Z", "2026-03-10T12:00:00Z"),
        ("c", "2026-03-10T12:00:00Z", "2026-03-11T00:00:00Z"),
    ]
    data = generate(oncall, root, "--from", "2026-03-09T00:00Z", "--to", "2026-03-10T00:00Z", "--schedule", "s2")
    assert "avoid:a" in data["shifts"][0]["reason"]


def test_an_override_in_the_avoiding_schedule_wins_and_is_a_warning(oncall: Oncall, tmp_path: Path) -> None:
    root = org(tmp_path, {"p": PRIMARY, "s2": SECONDARY + """\
overrides:
  - {person: a, from: 2026-03-09T06:00, to: 2026-03-09T08:00}
"""})
    got = who(oncall, root, "2026-03-09T00:00Z", "2026-03-10T00:00Z", "--schedule", "s2")
    assert got == [
        ("c", "2026-03-09T00:00:00Z", "2026-03-09T06:00:00Z"),
        ("a", "2026-03-09T06:00:00Z", "2026-03-09T08:00:00Z"),
        ("c", "2026-03-09T08:00:00Z", "2026-03-10T00:00:00Z"),
    ]
    with freeze_time("2026-03-01T00:00:00Z"):
        validate = oncall("--root", str(root), "schedule", "validate")
        strict = oncall("--root", str(root), "schedule", "validate", "--strict")
    assert validate.code == 0, validate.err
    assert "warning: schedules/s2.yaml:8:" in validate.err and "double-booked" in validate.err
    assert strict.code == 1


@pytest.mark.parametrize("schedules", [
    {"p": "timezone: UTC\navoid: [q]\nlayers: [{people: [a], start: 2026-03-02T00:00, every: 1w}]\n",
     "q": "timezone: UTC\navoid: [p]\nlayers: [{people: [b], start: 2026-03-02T00:00, every: 1w}]\n"},
    {"p": "timezone: UTC\navoid: [q]\nlayers: [{people: [a], start: 2026-03-02T00:00, every: 1w}]\n",
     "q": "timezone: UTC\navoid: [r]\nlayers: [{people: [b], start: 2026-03-02T00:00, every: 1w}]\n",
     "r": "timezone: UTC\navoid: [p]\nlayers: [{people: [c], start: 2026-03-02T00:00, every: 1w}]\n"},
    {"p": "timezone: UTC\navoid: [p]\nlayers: [{people: [a], start: 2026-03-02T00:00, every: 1w}]\n"},
])
def test_an_avoid_cycle_is_a_validation_error_naming_it(oncall: Oncall, tmp_path: Path,
                                                        schedules: dict[str, str]) -> None:
    root = org(tmp_path, schedules)
    result = oncall("--root", str(root), "schedule", "validate")
    line = assert_one_error_line(result, "p.yaml:2")
    assert "cycle" in line
    for sid in schedules:
        assert sid in line
    assert oncall("--root", str(root), "whois", "2026-03-09T00:00Z").code == 2


def test_avoid_an_unknown_schedule_is_an_error(oncall: Oncall, tmp_path: Path) -> None:
    root = org(tmp_path, {"s": SECONDARY})
    assert_one_error_line(oncall("--root", str(root), "schedule", "validate"), "s.yaml:2", "'p'")


# ---------------------------------------------------------------------------------------- rule 11

def test_skip_holidays_country_makes_everyone_off_on_its_holidays(oncall: Oncall, tmp_path: Path) -> None:
    root = org(tmp_path, {"s": """\
timezone: UTC
layers:
  - people: [d]
    start: 2026-11-02T00:00
    every: 1w
  - people: [a, b]
    timezone: America/New_York
    start: 2026-11-23T09:00
    every: 1d
    only: [{from: "09:00", to: "17:00"}]
    skip_holidays: US
"""})
    # Thanksgiving, Thursday 26 November 2026: nobody in the layer, d shows through
    got = who(oncall, root, "2026-11-25T05:00Z", "2026-11-28T05:00Z")
    assert got == [
        ("d", "2026-11-25T05:00:00Z", "2026-11-25T14:00:00Z"),
        ("a", "2026-11-25T14:00:00Z", "2026-11-25T22:00:00Z"),
        ("d", "2026-11-25T22:00:00Z", "2026-11-27T14:00:00Z"),
        ("a", "2026-11-27T14:00:00Z", "2026-11-27T22:00:00Z"),
        ("d", "2026-11-27T22:00:00Z", "2026-11-28T05:00:00Z"),
    ]


PEOPLE_COUNTRIES = """\
people:
  a: {name: A, timezone: Europe/London, country: GB}
  b: {name: B, timezone: America/New_York, country: US}
  c: {name: C, timezone: Europe/Berlin, country: DE, subdivision: BY}
  d: {name: D, timezone: Europe/Berlin, country: DE}
"""


def test_skip_holidays_people_uses_each_persons_country_in_their_zone(oncall: Oncall, tmp_path: Path) -> None:
    root = org(tmp_path, {"s": """\
timezone: UTC
layers:
  - people: [a, b]
    start: 2026-03-30T00:00
    every: 1w
    skip_holidays: people
"""}, PEOPLE_COUNTRIES)
    # Good Friday, 3 April 2026, is a holiday in the United Kingdom, not in the US: a's day,
    # midnight to midnight London (BST, +01:00), goes to b
    got = generate(oncall, root, "--from", "2026-04-02T00:00Z", "--to", "2026-04-05T00:00Z")["shifts"]
    assert [(s["person"], utc(s["start"]), utc(s["end"]), s["reason"]) for s in got] == [
        ("a", "2026-04-02T00:00:00Z", "2026-04-02T23:00:00Z", "layer:layer-1"),
        ("b", "2026-04-02T23:00:00Z", "2026-04-03T23:00:00Z", "holiday:a"),
        ("a", "2026-04-03T23:00:00Z", "2026-04-05T00:00:00Z", "layer:layer-1"),
    ]


def test_skip_holidays_people_reads_the_subdivision(oncall: Oncall, tmp_path: Path) -> None:
    root = org(tmp_path, {"s": """\
timezone: UTC
layers:
  - people: [c, d]
    start: 2027-01-04T00:00
    every: 1w
    skip_holidays: people
  - people: [d, c]
    start: 2027-01-04T00:00
    every: 1w
    only: [{from: "12:00", to: "13:00"}]
    skip_holidays: people
"""}, PEOPLE_COUNTRIES)
    # Epiphany, 6 January 2027, is a holiday in Bavaria (c), not in Germany as a whole (d); Berlin
    # is on CET (+01:00): c's day goes to d, and d's noon hour stays d's
    got = who(oncall, root, "2027-01-05T00:00Z", "2027-01-08T00:00Z")
    assert got == [
        ("c", "2027-01-05T00:00:00Z", "2027-01-05T12:00:00Z"),
        ("d", "2027-01-05T12:00:00Z", "2027-01-05T13:00:00Z"),
        ("c", "2027-01-05T13:00:00Z", "2027-01-05T23:00:00Z"),
        ("d", "2027-01-05T23:00:00Z", "2027-01-06T23:00:00Z"),
        ("c", "2027-01-06T23:00:00Z", "2027-01-07T12:00:00Z"),
        ("d", "2027-01-07T12:00:00Z", "2027-01-07T13:00:00Z"),
        ("c", "2027-01-07T13:00:00Z", "2027-01-08T00:00:00Z"),
    ]


def test_holiday_cover_and_time_off_cover_are_named_apart(oncall: Oncall, tmp_path: Path) -> None:
    people = PEOPLE_COUNTRIES.replace("country: GB}", "country: GB, time_off: [{from: 2026-04-01, to: 2026-04-01}]}")
    root = org(tmp_path, {"s": """\
timezone: Europe/London
layers:
  - people: [a, b]
    start: 2026-03-30T00:00
    every: 1w
    skip_holidays: people
"""}, people)
    got = generate(oncall, root, "--from", "2026-04-01T00:00+01:00", "--to", "2026-04-04T00:00+01:00")["shifts"]
    assert [(s["person"], s["reason"]) for s in got] == [
        ("b", "cover:a"), ("a", "layer:layer-1"), ("b", "holiday:a")]
    table = oncall("--root", str(root), "schedule", "generate", "--from", "2026-04-01T00:00+01:00",
                   "--to", "2026-04-04T00:00+01:00", "--format", "csv")
    assert "holiday:a" in table.out and "cover:a" in table.out


@pytest.mark.parametrize(("value", "people", "line"), [
    ("XX", PEOPLE, 6), ("people", PEOPLE_COUNTRIES.replace("country: GB", "country: ZZ"), 2),
])
def test_an_unknown_country_is_a_config_error_at_its_line(oncall: Oncall, tmp_path: Path, value: str,
                                                          people: str, line: int) -> None:
    root = org(tmp_path, {"s": f"timezone: UTC\nlayers:\n  - people: [a, b]\n    start: 2026-04-06T00:00\n"
                               f"    every: 1w\n    skip_holidays: {value}\n"}, people)
    result = oncall("--root", str(root), "schedule", "validate")
    file = "s.yaml" if value == "XX" else "people.yaml"
    assert_one_error_line(result, f"{file}:{line}")
