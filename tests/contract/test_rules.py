"""The scheduling rules 1-6: turns, restrictions, layers, time off, overrides, shifts and gaps."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.contract.conftest import Oncall, gaps, shifts, write_root

PEOPLE = """\
people:
  a: {name: A}
  b: {name: B}
  c: {name: C}
  d: {name: D}
"""


def org(tmp_path: Path, schedule: str, people: str = PEOPLE) -> Path:
    return write_root(tmp_path / "root", {"schedules/people.yaml": people, "schedules/s.yaml": schedule})


def who(oncall: Oncall, root: Path, start: str, end: str) -> list[tuple[str, str, str]]:
    return [(s[1], s[2], s[3]) for s in shifts(oncall, root, "--from", start, "--to", end)]


# ---------------------------------------------------------------------------------------- rule 1

WEEKLY_NY = """\
timezone: America/New_York
layers:
  - people: [a, b, c]
    start: 2026-03-02T09:00
    every: 1w
"""


def test_weekly_turns_keep_their_wall_clock_handoff_across_dst(oncall: Oncall, tmp_path: Path) -> None:
    root = org(tmp_path, WEEKLY_NY)
    assert who(oncall, root, "2026-03-02T14:00Z", "2026-03-23T13:00Z") == [
        ("a", "2026-03-02T14:00:00Z", "2026-03-09T13:00:00Z"),  # 09:00 EST to 09:00 EDT: 167 hours
        ("b", "2026-03-09T13:00:00Z", "2026-03-16T13:00:00Z"),
        ("c", "2026-03-16T13:00:00Z", "2026-03-23T13:00:00Z"),
    ]


def test_turn_k_is_found_directly_years_later(oncall: Oncall, tmp_path: Path) -> None:
    root = org(tmp_path, WEEKLY_NY)
    # 2026-03-02 to 2030-03-04 is 1463 days = 209 weeks: turn 209, 209 mod 3 = 2 -> c (EST, -05:00)
    assert who(oncall, root, "2030-03-04T14:00Z", "2030-03-04T15:00Z") == [
        ("c", "2030-03-04T14:00:00Z", "2030-03-04T15:00:00Z")]
    assert who(oncall, root, "2030-03-04T13:00Z", "2030-03-04T14:00Z")[0][0] == "b"


def test_hourly_turns_are_elapsed_time(oncall: Oncall, tmp_path: Path) -> None:
    root = org(tmp_path, """\
timezone: America/New_York
layers:
  - people: [a, b]
    start: 2026-03-07T09:00
    every: 12h
""")
    # 09:00 EST is 14:00Z; every 12 hours of elapsed time: 10:00 and 22:00 EDT after the change
    assert who(oncall, root, "2026-03-07T14:00Z", "2026-03-09T14:00Z") == [
        ("a", "2026-03-07T14:00:00Z", "2026-03-08T02:00:00Z"),
        ("b", "2026-03-08T02:00:00Z", "2026-03-08T14:00:00Z"),
        ("a", "2026-03-08T14:00:00Z", "2026-03-09T02:00:00Z"),
        ("b", "2026-03-09T02:00:00Z", "2026-03-09T14:00:00Z"),
    ]


def test_daily_turns_across_fall_back_are_25_hours(oncall: Oncall, tmp_path: Path) -> None:
    root = org(tmp_path, """\
timezone: America/New_York
layers:
  - people: [a, b]
    start: 2026-10-31T09:00
    every: 1d
""")
    assert who(oncall, root, "2026-10-31T13:00Z", "2026-11-02T14:00Z") == [
        ("a", "2026-10-31T13:00:00Z", "2026-11-01T14:00:00Z"),
        ("b", "2026-11-01T14:00:00Z", "2026-11-02T14:00:00Z"),
    ]


def test_nothing_before_start_nor_from_end_on(oncall: Oncall, tmp_path: Path) -> None:
    root = org(tmp_path, """\
timezone: UTC
layers:
  - people: [a, b]
    start: 2026-03-10T06:00
    every: 1d
    end: 2026-03-11T18:00
""")
    window = ("--from", "2026-03-10T00:00Z", "--to", "2026-03-12T00:00Z")
    assert shifts(oncall, root, *window) == [
        ("s", "a", "2026-03-10T06:00:00Z", "2026-03-11T06:00:00Z"),
        ("s", "b", "2026-03-11T06:00:00Z", "2026-03-11T18:00:00Z"),
    ]
    assert gaps(oncall, root, *window) == [
        ("s", "2026-03-10T00:00:00Z", "2026-03-10T06:00:00Z"),
        ("s", "2026-03-11T18:00:00Z", "2026-03-12T00:00:00Z"),
    ]


def test_a_person_may_appear_more_than_once(oncall: Oncall, tmp_path: Path) -> None:
    root = org(tmp_path, """\
timezone: UTC
layers:
  - people: [a, b, a, c]
    start: 2026-03-09T00:00
    every: 1d
""")
    got = who(oncall, root, "2026-03-09T00:00Z", "2026-03-14T00:00Z")
    assert [g[0] for g in got] == ["a", "b", "a", "c", "a"]


# ---------------------------------------------------------------------------------------- rule 2

def test_restrictions_keep_the_turns_owner_and_leave_the_rest_uncovered(oncall: Oncall, tmp_path: Path) -> None:
    root = org(tmp_path, """\
timezone: America/New_York
layers:
  - people: [a, b]
    start: 2026-03-09T12:00
    every: 1d
    only:
      - {days: [mon, tue, wed, thu, fri], from: "09:00", to: "17:00"}
""")
    window = ("2026-03-12T04:00Z", "2026-03-16T04:00Z")  # Thu to Sun, New York days
    # Turn k starts Mon 9 March 12:00 + k days: k=0 a (Mon noon-Tue noon), 1 b, 2 a (Wed noon-Thu
    # noon), 3 b (Thu noon-Fri noon), 4 a (Fri noon-Sat noon). Thu 09:00-12:00 is a's, 12:00-17:00 b's;
    # Fri 09:00-12:00 b's, 12:00-17:00 a's; nothing at the weekend (a and b keep their turns).
    assert who(oncall, root, *window) == [
        ("a", "2026-03-12T13:00:00Z", "2026-03-12T16:00:00Z"),
        ("b", "2026-03-12T16:00:00Z", "2026-03-12T21:00:00Z"),
        ("b", "2026-03-13T13:00:00Z", "2026-03-13T16:00:00Z"),
        ("a", "2026-03-13T16:00:00Z", "2026-03-13T21:00:00Z"),
    ]
    assert gaps(oncall, root, "--from", window[0], "--to", window[1])[-1] == (
        "s", "2026-03-13T21:00:00Z", "2026-03-16T04:00:00Z")


def test_windows_are_a_union_and_belong_to_the_day_they_start(oncall: Oncall, tmp_path: Path) -> None:
    root = org(tmp_path, """\
timezone: UTC
layers:
  - people: [a]
    start: 2026-03-01T00:00
    every: 1w
    only:
      - {days: [sun], from: "22:00", to: "02:00"}
      - {days: [mon], from: "01:00", to: "03:00"}
      - {days: [mon], from: "09:00", to: "12:00"}
      - {days: [mon], from: "11:00", to: "13:00"}
""")
    assert who(oncall, root, "2026-03-08T00:00Z", "2026-03-10T00:00Z") == [
        ("a", "2026-03-08T22:00:00Z", "2026-03-09T03:00:00Z"),
        ("a", "2026-03-09T09:00:00Z", "2026-03-09T13:00:00Z"),
    ]


def test_windows_are_read_on_the_schedules_wall_clock(oncall: Oncall, tmp_path: Path) -> None:
    root = org(tmp_path, """\
timezone: Europe/London
layers:
  - people: [a]
    start: 2026-03-01T00:00
    every: 1w
    only:
      - {days: [fri, mon], from: "09:00", to: "17:00"}
""")
    # London moves to BST on Sunday 29 March 2026
    assert who(oncall, root, "2026-03-27T00:00Z", "2026-03-31T00:00Z") == [
        ("a", "2026-03-27T09:00:00Z", "2026-03-27T17:00:00Z"),
        ("a", "2026-03-30T08:00:00Z", "2026-03-30T16:00:00Z"),
    ]


# ---------------------------------------------------------------------------------------- rule 3

def test_the_later_layer_wins(oncall: Oncall, tmp_path: Path) -> None:
    root = org(tmp_path, """\
timezone: UTC
layers:
  - name: base
    people: [a]
    start: 2026-03-01T00:00
    every: 1w
  - name: top
    people: [b, c]
    start: 2026-03-09T00:00
    every: 1d
    only:
      - {from: "09:00", to: "17:00"}
""")
    assert who(oncall, root, "2026-03-09T00:00Z", "2026-03-11T00:00Z") == [
        ("a", "2026-03-09T00:00:00Z", "2026-03-09T09:00:00Z"),
        ("b", "2026-03-09T09:00:00Z", "2026-03-09T17:00:00Z"),
        ("a", "2026-03-09T17:00:00Z", "2026-03-10T09:00:00Z"),
        ("c", "2026-03-10T09:00:00Z", "2026-03-10T17:00:00Z"),
        ("a", "2026-03-10T17:00:00Z", "2026-03-11T00:00:00Z"),
    ]


# ---------------------------------------------------------------------------------------- rule 4

def people_off(off: dict[str, list[str]]) -> str:
    lines = ["people:"]
    for person in "abcd":
        lines.append(f"  {person}:\n    timezone: UTC")
        if off.get(person):
            lines.append("    time_off:")
            lines += [f"      - {r}" for r in off[person]]
    return "\n".join(lines) + "\n"


DAILY = """\
timezone: UTC
layers:
  - people: [{people}]
    start: 2026-03-09T00:00
    every: 1w
"""


def test_time_off_goes_to_the_next_available_person_and_splits_where_availability_changes(
        oncall: Oncall, tmp_path: Path) -> None:
    root = org(tmp_path, DAILY.format(people="a, b, c, d"), people_off({
        "a": ["{from: 2026-03-10, to: 2026-03-12}"],
        "b": ["{from: 2026-03-11T06:00, to: 2026-03-11T18:00}"],
    }))
    assert who(oncall, root, "2026-03-09T00:00Z", "2026-03-16T00:00Z") == [
        ("a", "2026-03-09T00:00:00Z", "2026-03-10T00:00:00Z"),
        ("b", "2026-03-10T00:00:00Z", "2026-03-11T06:00:00Z"),
        ("c", "2026-03-11T06:00:00Z", "2026-03-11T18:00:00Z"),
        ("b", "2026-03-11T18:00:00Z", "2026-03-13T00:00:00Z"),
        ("a", "2026-03-13T00:00:00Z", "2026-03-16T00:00:00Z"),
    ]


def test_cover_looks_on_cyclically_from_the_position_after_the_turns(oncall: Oncall, tmp_path: Path) -> None:
    # turn 2 (people[2] = a, a second time) hands a's time off to c, the one after position 2, not to b
    root = org(tmp_path, DAILY.format(people="a, b, a, c"), people_off({"a": ["{from: 2026-03-23, to: 2026-03-29}"]}))
    assert who(oncall, root, "2026-03-23T00:00Z", "2026-03-30T00:00Z") == [
        ("c", "2026-03-23T00:00:00Z", "2026-03-30T00:00:00Z")]
    # d's turn (turn 3) while d is off: a (wrapping round) is off on the 30th and 31st, so b, then a
    root = org(tmp_path, DAILY.format(people="a, b, c, d"), people_off({
        "d": ["{from: 2026-03-30, to: 2026-04-05}"], "a": ["{from: 2026-03-30, to: 2026-03-31}"]}))
    assert who(oncall, root, "2026-03-30T00:00Z", "2026-04-06T00:00Z") == [
        ("b", "2026-03-30T00:00:00Z", "2026-04-01T00:00:00Z"),
        ("a", "2026-04-01T00:00:00Z", "2026-04-06T00:00:00Z"),
    ]


def test_everyone_off_leaves_the_layer_empty_and_lower_layers_show(oncall: Oncall, tmp_path: Path) -> None:
    schedule = """\
timezone: UTC
layers:
  - people: [d]
    start: 2026-03-01T00:00
    every: 1w
  - people: [a, b]
    start: 2026-03-09T00:00
    every: 1w
"""
    root = org(tmp_path, schedule, people_off({
        "a": ["{from: 2026-03-10, to: 2026-03-10}"], "b": ["{from: 2026-03-10T12:00, to: 2026-03-11T12:00}"]}))
    assert who(oncall, root, "2026-03-09T00:00Z", "2026-03-12T00:00Z") == [
        ("a", "2026-03-09T00:00:00Z", "2026-03-10T00:00:00Z"),
        ("b", "2026-03-10T00:00:00Z", "2026-03-10T12:00:00Z"),
        ("d", "2026-03-10T12:00:00Z", "2026-03-11T00:00:00Z"),
        ("a", "2026-03-11T00:00:00Z", "2026-03-12T00:00:00Z"),
    ]
    root = org(tmp_path, DAILY.format(people="a, b"), people_off({
        "a": ["{from: 2026-03-10, to: 2026-03-10}"], "b": ["{from: 2026-03-10, to: 2026-03-10}"]}))
    assert gaps(oncall, root, "--from", "2026-03-09T00:00Z", "--to", "2026-03-12T00:00Z") == [
        ("s", "2026-03-10T00:00:00Z", "2026-03-11T00:00:00Z")]


# ---------------------------------------------------------------------------------------- rule 5

def test_overrides_win_whoever_is_off_and_the_later_one_wins(oncall: Oncall, tmp_path: Path) -> None:
    schedule = DAILY.format(people="a") + """\
overrides:
  - {person: b, from: 2026-03-10T00:00, to: 2026-03-12T00:00}
  - {person: c, from: 2026-03-11T00:00, to: 2026-03-11T12:00}
  - {person: d, from: 2026-03-13T00:00, to: 2026-03-13T06:00}
"""
    root = org(tmp_path, schedule, people_off({"b": ["{from: 2026-03-09, to: 2026-03-15}"],
                                               "d": ["{from: 2026-03-13, to: 2026-03-13}"]}))
    assert who(oncall, root, "2026-03-09T00:00Z", "2026-03-14T00:00Z") == [
        ("a", "2026-03-09T00:00:00Z", "2026-03-10T00:00:00Z"),
        ("b", "2026-03-10T00:00:00Z", "2026-03-11T00:00:00Z"),
        ("c", "2026-03-11T00:00:00Z", "2026-03-11T12:00:00Z"),
        ("b", "2026-03-11T12:00:00Z", "2026-03-12T00:00:00Z"),
        ("a", "2026-03-12T00:00:00Z", "2026-03-13T00:00:00Z"),
        ("d", "2026-03-13T00:00:00Z", "2026-03-13T06:00:00Z"),
        ("a", "2026-03-13T06:00:00Z", "2026-03-14T00:00:00Z"),
    ]


def test_an_override_fills_a_gap(oncall: Oncall, tmp_path: Path) -> None:
    schedule = """\
timezone: UTC
layers:
  - people: [a]
    start: 2026-03-09T00:00
    every: 1w
    only: [{from: "09:00", to: "17:00"}]
overrides:
  - {person: b, from: 2026-03-09T20:00, to: 2026-03-09T22:00}
"""
    root = org(tmp_path, schedule)
    window = ("--from", "2026-03-09T00:00Z", "--to", "2026-03-10T00:00Z")
    assert shifts(oncall, root, *window) == [
        ("s", "a", "2026-03-09T09:00:00Z", "2026-03-09T17:00:00Z"),
        ("s", "b", "2026-03-09T20:00:00Z", "2026-03-09T22:00:00Z"),
    ]
    assert gaps(oncall, root, *window) == [
        ("s", "2026-03-09T00:00:00Z", "2026-03-09T09:00:00Z"),
        ("s", "2026-03-09T17:00:00Z", "2026-03-09T20:00:00Z"),
        ("s", "2026-03-09T22:00:00Z", "2026-03-10T00:00:00Z"),
    ]


# ---------------------------------------------------------------------------------------- rule 6

def test_touching_pieces_with_the_same_person_are_one_shift(oncall: Oncall, tmp_path: Path) -> None:
    schedule = """\
timezone: UTC
layers:
  - name: base
    people: [a, b]
    start: 2026-03-09T00:00
    every: 1d
  - name: day
    people: [a]
    start: 2026-03-09T00:00
    every: 1w
    only: [{from: "08:00", to: "20:00"}]
overrides:
  - {person: a, from: 2026-03-10T20:00, to: 2026-03-11T02:00}
"""
    root = org(tmp_path, schedule)
    # base: a (9th), b (10th), a (11th); day layer: a 08-20 each day; override a 10th 20:00-11th 02:00
    assert who(oncall, root, "2026-03-09T00:00Z", "2026-03-11T12:00Z") == [
        ("a", "2026-03-09T00:00:00Z", "2026-03-10T00:00:00Z"),
        ("b", "2026-03-10T00:00:00Z", "2026-03-10T08:00:00Z"),
        ("a", "2026-03-10T08:00:00Z", "2026-03-11T12:00:00Z"),
    ]


@pytest.mark.parametrize("window", [("2026-03-09T00:00Z", "2026-03-16T00:00Z"),
                                    ("2026-03-09T05:00Z", "2026-03-13T07:30Z")])
def test_shifts_and_gaps_tile_the_window(oncall: Oncall, tmp_path: Path, window: tuple[str, str]) -> None:
    root = org(tmp_path, """\
timezone: UTC
layers:
  - people: [a, b]
    start: 2026-03-09T00:00
    every: 1d
    only: [{days: [mon, wed, fri], from: "06:00", to: "18:00"}]
""")
    args = ("--from", window[0], "--to", window[1])
    pieces = sorted([(s[2], s[3]) for s in shifts(oncall, root, *args)] + [(g[1], g[2]) for g in gaps(oncall, root,
                                                                                                        *args)])
    assert pieces[0][0] == window[0].replace("Z", ":00Z") and pieces[-1][1] == window[1].replace("Z", ":00Z")
    assert all(left[1] == right[0] for left, right in zip(pieces, pieces[1:], strict=False))
