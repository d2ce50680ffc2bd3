"""Times in the files: local datetimes (T or space, quoted or not, seconds optional), explicit
offsets, dates as whole days, times of day (17:00 unquoted, 24:00 as an end), durations, the
spring-forward gap and the fall-back fold, half-open ranges and date-only ranges."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.contract.conftest import Oncall, assert_one_error_line, shifts, write_root

PEOPLE = "people:\n  alice: {name: Alice}\n  bob: {name: Bob}\n"


def with_override(tmp_path: Path, start: str, end: str) -> Path:
    """Alice on call all the time in New York's schedule ``s``, and an override for bob."""
    return write_root(tmp_path / "root", {
        "schedules/people.yaml": PEOPLE,
        "schedules/s.yaml": f"""\
timezone: America/New_York
layers:
  - people: [alice]
    start: 2026-01-05T09:00
    every: 1w
overrides:
  - person: bob
    from: {start}
    to: {end}
""",
    })


def bob(oncall: Oncall, root: Path, start: str, end: str) -> list[tuple[str, str]]:
    return [(s[2], s[3]) for s in shifts(oncall, root, "--from", start, "--to", end) if s[1] == "bob"]


# New York is on EDT (-04:00) from 2026-03-08 to 2026-11-01, EST (-05:00) otherwise.
FORMS = [
    ("2026-03-10T09:00", "2026-03-10T17:00", "2026-03-10T13:00:00Z", "2026-03-10T21:00:00Z"),
    ('"2026-03-10T09:00"', "'2026-03-10T17:00'", "2026-03-10T13:00:00Z", "2026-03-10T21:00:00Z"),
    ("2026-03-10 09:00", "2026-03-10 17:00", "2026-03-10T13:00:00Z", "2026-03-10T21:00:00Z"),
    ('"2026-03-10 09:00"', '"2026-03-10 17:00"', "2026-03-10T13:00:00Z", "2026-03-10T21:00:00Z"),
    ("2026-03-10 09:00:00", "2026-03-10T17:00:00", "2026-03-10T13:00:00Z", "2026-03-10T21:00:00Z"),
    ("2026-03-10T09:00:30", "2026-03-10 17:00:45", "2026-03-10T13:00:30Z", "2026-03-10T21:00:45Z"),
    ('"2026-03-10 09:00:30"', '"2026-03-10T17:00:45"', "2026-03-10T13:00:30Z", "2026-03-10T21:00:45Z"),
    ("2026-03-10T09:00Z", "2026-03-10T17:00:00Z", "2026-03-10T09:00:00Z", "2026-03-10T17:00:00Z"),
    ("2026-03-10 09:00:00Z", '"2026-03-10T17:00Z"', "2026-03-10T09:00:00Z", "2026-03-10T17:00:00Z"),
    ("2026-03-10T09:00+02:00", "2026-03-10T17:00:00+02:00", "2026-03-10T07:00:00Z", "2026-03-10T15:00:00Z"),
    ("2026-03-10 09:00:00+02:00", '"2026-03-10 17:00-07:00"', "2026-03-10T07:00:00Z", "2026-03-11T00:00:00Z"),
    # mixed: an instant with an offset, and a local datetime
    ("2026-03-10T12:00Z", "2026-03-10T09:00", "2026-03-10T12:00:00Z", "2026-03-10T13:00:00Z"),
]


@pytest.mark.parametrize(("start", "end", "utc_start", "utc_end"), FORMS)
def test_local_datetimes_and_offsets(oncall: Oncall, tmp_path: Path, start: str, end: str, utc_start: str,
                                     utc_end: str) -> None:
    root = with_override(tmp_path, start, end)
    assert bob(oncall, root, "2026-03-09T00:00Z", "2026-03-12T00:00Z") == [(utc_start, utc_end)]


@pytest.mark.parametrize(("start", "end", "utc_start", "utc_end"), [
    # a date is the whole day in the schedule's zone; a date-only range includes its last day
    ("2026-03-10", "2026-03-10", "2026-03-10T04:00:00Z", "2026-03-11T04:00:00Z"),
    ("2026-03-10", "2026-03-11", "2026-03-10T04:00:00Z", "2026-03-12T04:00:00Z"),
    ('"2026-03-10"', '"2026-03-11"', "2026-03-10T04:00:00Z", "2026-03-12T04:00:00Z"),
    # the day New York springs forward is 23 hours long
    ("2026-03-08", "2026-03-08", "2026-03-08T05:00:00Z", "2026-03-09T04:00:00Z"),
    # the day it falls back is 25 hours long
    ("2026-11-01", "2026-11-01", "2026-11-01T04:00:00Z", "2026-11-02T05:00:00Z"),
])
def test_dates_are_whole_days_and_date_ranges_include_their_last_day(
        oncall: Oncall, tmp_path: Path, start: str, end: str, utc_start: str, utc_end: str) -> None:
    root = with_override(tmp_path, start, end)
    assert bob(oncall, root, utc_start[:10] + "T00:00Z", "2026-11-05T00:00Z") == [(utc_start, utc_end)]


def test_half_open_ranges_hand_back_at_to(oncall: Oncall, tmp_path: Path) -> None:
    root = with_override(tmp_path, "2026-03-10T09:00", "2026-03-10T17:00")
    got = shifts(oncall, root, "--from", "2026-03-10T00:00Z", "--to", "2026-03-11T00:00Z")
    assert got == [
        ("s", "alice", "2026-03-10T00:00:00Z", "2026-03-10T13:00:00Z"),
        ("s", "bob", "2026-03-10T13:00:00Z", "2026-03-10T21:00:00Z"),
        ("s", "alice", "2026-03-10T21:00:00Z", "2026-03-11T00:00:00Z"),
    ]


@pytest.mark.parametrize(("start", "end", "utc_start", "utc_end"), [
    # 02:30 does not exist on 2026-03-08 in New York: it is read with the offset before the jump
    # (EST, -05:00), 07:30Z, which the clock shows as 03:30 EDT
    ("2026-03-08T02:30", "2026-03-08T04:00", "2026-03-08T07:30:00Z", "2026-03-08T08:00:00Z"),
    ("2026-03-08 02:00", "2026-03-08 02:59", "2026-03-08T07:00:00Z", "2026-03-08T07:59:00Z"),
    # 01:30 happens twice on 2026-11-01: the first (EDT, -04:00) is meant
    ("2026-11-01T01:30", "2026-11-01T01:45", "2026-11-01T05:30:00Z", "2026-11-01T05:45:00Z"),
    ("2026-11-01T00:30", "2026-11-01T01:00", "2026-11-01T04:30:00Z", "2026-11-01T05:00:00Z"),
])
def test_spring_forward_gap_and_fall_back_fold(oncall: Oncall, tmp_path: Path, start: str, end: str,
                                               utc_start: str, utc_end: str) -> None:
    root = with_override(tmp_path, start, end)
    assert bob(oncall, root, utc_start[:10] + "T00:00Z", utc_start[:10] + "T23:00Z") == [(utc_start, utc_end)]


def test_a_handoff_in_the_gap_is_shown_as_the_wall_clock_after_the_jump(oncall: Oncall, tmp_path: Path) -> None:
    root = with_override(tmp_path, "2026-03-08T02:30", "2026-03-08T04:00")
    result = oncall("--root", str(root), "schedule", "generate", "--from", "2026-03-08T00:00Z", "--to",
                    "2026-03-09T00:00Z", "--format", "json")
    assert '"start": "2026-03-08T03:30:00-04:00"' in result.out.replace(" ", " ")


def daily_window(tmp_path: Path, only: str) -> Path:
    return write_root(tmp_path / "root", {
        "schedules/people.yaml": PEOPLE,
        "schedules/s.yaml": f"""\
timezone: America/New_York
layers:
  - people: [alice]
    start: 2026-01-05T00:00
    every: 1d
    only:
{only}""",
    })


@pytest.mark.parametrize("only", [
    "      - {from: 09:00, to: 17:00}\n",
    "      - from: 09:00\n        to: 17:00\n",
    '      - {from: "09:00", to: "17:00"}\n',
    "      - {from: '9:00', to: '17:00'}\n",
])
def test_times_of_day_quoted_or_not(oncall: Oncall, tmp_path: Path, only: str) -> None:
    root = daily_window(tmp_path, only)
    got = shifts(oncall, root, "--from", "2026-03-10T00:00Z", "--to", "2026-03-11T00:00Z")
    assert got == [("s", "alice", "2026-03-10T13:00:00Z", "2026-03-10T21:00:00Z")]


@pytest.mark.parametrize("end", ["24:00", '"24:00"'])
def test_24_00_is_allowed_as_an_end(oncall: Oncall, tmp_path: Path, end: str) -> None:
    root = daily_window(tmp_path, f"      - {{days: [tue], from: '18:00', to: {end}}}\n")
    got = shifts(oncall, root, "--from", "2026-03-09T00:00Z", "--to", "2026-03-14T00:00Z")
    assert got == [("s", "alice", "2026-03-10T22:00:00Z", "2026-03-11T04:00:00Z")]


@pytest.mark.parametrize("start", ["24:00", '"24:00"'])
def test_24_00_is_not_a_start(oncall: Oncall, tmp_path: Path, start: str) -> None:
    root = daily_window(tmp_path, f"      - {{from: {start}, to: '06:00'}}\n")
    assert_one_error_line(oncall("--root", str(root), "schedule", "validate"), "s.yaml:7")


@pytest.mark.parametrize("bad", ["25:00", "9am", "17:60", "1020", "noon"])
def test_bad_times_of_day_are_located(oncall: Oncall, tmp_path: Path, bad: str) -> None:
    root = daily_window(tmp_path, f"      - from: '09:00'\n        to: {bad}\n")
    line = assert_one_error_line(oncall("--root", str(root), "schedule", "validate"), "s.yaml:8")
    assert "HH:MM" in line


def test_a_window_with_to_before_from_runs_past_midnight(oncall: Oncall, tmp_path: Path) -> None:
    root = daily_window(tmp_path, "      - {days: [fri], from: 22:00, to: 06:00}\n")
    got = shifts(oncall, root, "--from", "2026-03-09T00:00Z", "--to", "2026-03-16T00:00Z")
    # Friday 13 March 22:00 EDT to Saturday 06:00 EDT
    assert got == [("s", "alice", "2026-03-14T02:00:00Z", "2026-03-14T10:00:00Z")]


def test_a_window_with_to_equal_to_from_is_a_whole_day(oncall: Oncall, tmp_path: Path) -> None:
    root = daily_window(tmp_path, "      - {days: [mon], from: '09:00', to: '09:00'}\n")
    got = shifts(oncall, root, "--from", "2026-03-09T00:00Z", "--to", "2026-03-16T00:00Z")
    assert got == [("s", "alice", "2026-03-09T13:00:00Z", "2026-03-10T13:00:00Z")]


def layer_every(tmp_path: Path, every: str) -> Path:
    return write_root(tmp_path / "root", {
        "schedules/people.yaml": PEOPLE,
        "schedules/s.yaml": f"""\
timezone: UTC
layers:
  - people: [alice, bob]
    start: 2026-03-09T00:00
    every: {every}
""",
    })


@pytest.mark.parametrize(("every", "handoffs"), [
    ("36h", ["2026-03-10T12:00:00Z", "2026-03-12T00:00:00Z", "2026-03-13T12:00:00Z"]),
    ("1d", ["2026-03-10T00:00:00Z", "2026-03-11T00:00:00Z", "2026-03-12T00:00:00Z", "2026-03-13T00:00:00Z"]),
    ("2d", ["2026-03-11T00:00:00Z", "2026-03-13T00:00:00Z"]),
    ("1w", []),
])
def test_every_in_hours_days_and_weeks(oncall: Oncall, tmp_path: Path, every: str, handoffs: list[str]) -> None:
    root = layer_every(tmp_path, every)
    got = shifts(oncall, root, "--from", "2026-03-09T00:00Z", "--to", "2026-03-14T00:00Z")
    assert [s[2] for s in got[1:]] == handoffs


@pytest.mark.parametrize("every", ["30m", "3600s", "0d", "-1d", "1.5d", "1 day", "1y", "d", "'1D'", "1"])
def test_every_takes_a_positive_whole_number_of_hours_days_or_weeks(oncall: Oncall, tmp_path: Path,
                                                                    every: str) -> None:
    root = layer_every(tmp_path, every)
    line = assert_one_error_line(oncall("--root", str(root), "schedule", "validate"), "s.yaml:5")
    assert "every" in line


@pytest.mark.parametrize(("value", "ok"), [("90s", True), ("15m", True), ("12h", True), ("2d", True), ("1w", True),
                                           ("0s", False), ("10", False), ("1y", False), ("-5s", False)])
def test_durations_in_a_checklist(oncall: Oncall, tmp_path: Path, value: str, ok: bool) -> None:
    root = write_root(tmp_path / "root", {
        "schedules/people.yaml": PEOPLE,
        "checklists/c.yaml": f"""\
owner: alice
items:
  - id: env
    check: {{env: HOME, timeout: {value}}}
""",
    })
    result = oncall("--root", str(root), "schedule", "validate")
    if ok:
        assert result.code == 0, result.err
    else:
        assert_one_error_line(result, "c.yaml:4")
