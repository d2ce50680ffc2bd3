"""``schedule generate`` and ``whois``: times on the command line, the JSON shapes, clipping and
order, ISO offsets, and the shift that contains an instant."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from freezegun import freeze_time

from tests.contract.conftest import Oncall, assert_one_error_line, generate, utc, write_root

PEOPLE = """\
people:
  alice: {name: Alice Park, timezone: America/New_York}
  bob: {name: Bob Okafor, timezone: Europe/London}
  carol: {name: Carol Diaz}
"""
# ids sort one way, names the other: output is sorted by id
ZULU = """\
name: AAA first by name
timezone: America/New_York
layers:
  - people: [alice, bob]
    start: 2026-03-02T09:00
    every: 1w
"""
ALPHA = """\
name: ZZZ last by name
timezone: Europe/London
layers:
  - people: [carol, bob]
    start: 2026-03-09T00:00
    every: 1d
    only: [{from: "08:00", to: "20:00"}]
"""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write_root(tmp_path / "root", {"schedules/people.yaml": PEOPLE, "schedules/zulu.yaml": ZULU,
                                          "schedules/alpha.yaml": ALPHA})


def test_generate_json_is_one_object_of_shifts_and_gaps_clipped_and_sorted(oncall: Oncall, root: Path) -> None:
    data = generate(oncall, root, "--from", "2026-03-10T06:00Z", "--to", "2026-03-11T12:00Z")
    assert set(data) >= {"shifts", "gaps"}
    for shift in data["shifts"]:
        assert {"schedule", "person", "start", "end"} <= set(shift)
    for gap in data["gaps"]:
        assert {"schedule", "start", "end"} <= set(gap)
    # London is on GMT, New York on EDT: zulu's week from Mon 9 March 09:00 EDT is bob's
    assert [(s["schedule"], s["person"], utc(s["start"]), utc(s["end"])) for s in data["shifts"]] == [
        ("alpha", "bob", "2026-03-10T08:00:00Z", "2026-03-10T20:00:00Z"),
        ("alpha", "carol", "2026-03-11T08:00:00Z", "2026-03-11T12:00:00Z"),
        ("zulu", "bob", "2026-03-10T06:00:00Z", "2026-03-11T12:00:00Z"),
    ]
    assert [(g["schedule"], utc(g["start"]), utc(g["end"])) for g in data["gaps"]] == [
        ("alpha", "2026-03-10T06:00:00Z", "2026-03-10T08:00:00Z"),
        ("alpha", "2026-03-10T20:00:00Z", "2026-03-11T08:00:00Z"),
    ]


def test_iso_datetimes_carry_their_utc_offset(oncall: Oncall, root: Path) -> None:
    result = oncall("--root", str(root), "schedule", "generate", "--schedule", "zulu", "--from", "2026-03-02T14:00Z",
                    "--to", "2026-03-16T13:00Z", "--format", "json")
    data = json.loads(result.out)
    starts = [s["start"] for s in data["shifts"]]
    assert starts == ["2026-03-02T09:00:00-05:00", "2026-03-09T09:00:00-04:00"]
    whois = json.loads(oncall("--root", str(root), "whois", "2026-03-10T12:00Z", "--schedule", "zulu",
                              "--format", "json").out)
    assert whois[0]["start"] == "2026-03-09T09:00:00-04:00" and whois[0]["end"] == "2026-03-16T09:00:00-04:00"


@pytest.mark.parametrize(("tz", "args", "first", "last"), [
    # a local datetime, with T or a space, read in the machine's zone
    ("Asia/Kolkata", ("--from", "2026-03-10T09:00", "--to", "2026-03-10T21:00"),
     "2026-03-10T03:30:00Z", "2026-03-10T15:30:00Z"),
    ("Asia/Kolkata", ("--from", "2026-03-10 09:00", "--to", "2026-03-10 21:00:30"),
     "2026-03-10T03:30:00Z", "2026-03-10T15:30:30Z"),
    # a date: from its first moment; as --to, through its last
    ("America/Los_Angeles", ("--from", "2026-03-10", "--to", "2026-03-10"),
     "2026-03-10T07:00:00Z", "2026-03-11T07:00:00Z"),
    ("America/Los_Angeles", ("--from", "2026-03-10", "--to", "2026-03-11"),
     "2026-03-10T07:00:00Z", "2026-03-12T07:00:00Z"),
    ("UTC", ("--from", "2026-03-10", "--to", "2026-03-10"), "2026-03-10T00:00:00Z", "2026-03-11T00:00:00Z"),
    # an offset is that instant, whatever the machine's zone
    ("Asia/Kolkata", ("--from", "2026-03-10T09:00+02:00", "--to", "2026-03-10T10:00Z"),
     "2026-03-10T07:00:00Z", "2026-03-10T10:00:00Z"),
    ("Asia/Kolkata", ("--from", "2026-03-10T09:00:00-05:00", "--to", "2026-03-10T23:59:59Z"),
     "2026-03-10T14:00:00Z", "2026-03-10T23:59:59Z"),
])
def test_command_line_times(oncall: Oncall, root: Path, tz: str, args: tuple[str, ...], first: str,
                            last: str) -> None:
    oncall.tz = tz
    data = generate(oncall, root, "--schedule", "zulu", *args)
    assert utc(data["shifts"][0]["start"]) == first
    assert utc(data["shifts"][-1]["end"]) == last


def test_to_a_date_with_from_a_date_in_a_dst_change(oncall: Oncall, root: Path) -> None:
    oncall.tz = "America/New_York"
    data = generate(oncall, root, "--schedule", "zulu", "--from", "2026-03-08", "--to", "2026-03-08")
    assert utc(data["shifts"][0]["start"]) == "2026-03-08T05:00:00Z"
    assert utc(data["shifts"][-1]["end"]) == "2026-03-09T04:00:00Z"  # a 23-hour day


def test_generate_person_lists_only_their_shifts(oncall: Oncall, root: Path) -> None:
    data = generate(oncall, root, "--from", "2026-03-09T00:00Z", "--to", "2026-03-12T00:00Z", "--person", "carol")
    assert [(s["schedule"], s["person"], utc(s["start"])) for s in data["shifts"]] == [
        ("alpha", "carol", "2026-03-09T08:00:00Z"), ("alpha", "carol", "2026-03-11T08:00:00Z")]


def test_generate_schedule_repeats_and_output_writes_a_file(oncall: Oncall, root: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    result = oncall("--root", str(root), "schedule", "generate", "--schedule", "zulu", "--schedule", "alpha",
                    "--from", "2026-03-10T00:00Z", "--to", "2026-03-11T00:00Z", "--format", "json",
                    "--output", str(target))
    assert result.code == 0, result.err
    assert result.out == ""
    data = json.loads(target.read_text())
    assert sorted({s["schedule"] for s in data["shifts"]}) == ["alpha", "zulu"]


def test_generate_csv_starts_with_the_five_columns(oncall: Oncall, root: Path) -> None:
    result = oncall("--root", str(root), "schedule", "generate", "--schedule", "zulu", "--from", "2026-03-10T00:00Z",
                    "--to", "2026-03-11T00:00Z", "--format", "csv")
    rows = list(csv.reader(io.StringIO(result.out)))
    assert rows[0][:4] == ["schedule", "person", "start", "end"]
    assert rows[1][:4] == ["zulu", "bob", "2026-03-09T20:00:00-04:00", "2026-03-10T20:00:00-04:00"]


@pytest.mark.parametrize("args", [
    ("--from", "2026-03-11T00:00Z", "--to", "2026-03-10T00:00Z"),
    ("--from", "2026-03-10T00:00Z", "--to", "2026-03-10T00:00Z"),
    ("--from", "yesterdayish"),
    ("--to", "2026-02-30"),
    ("--from", "2026-03-10T25:00"),
    ("--schedule", "nope"),
    ("--person", "nobody"),
    ("--format", "xml"),
])
def test_bad_generate_options_exit_2(oncall: Oncall, root: Path, args: tuple[str, ...]) -> None:
    result = oncall("--root", str(root), "schedule", "generate", *args)
    assert result.code == 2
    assert "Traceback" not in result.text
    assert result.out == ""


def test_whois_json_sorted_by_id_with_the_containing_shift_and_null_gaps(oncall: Oncall, root: Path) -> None:
    result = oncall("--root", str(root), "whois", "2026-03-10T21:00Z", "--format", "json")
    assert result.code == 0, result.err
    rows = json.loads(result.out)
    assert isinstance(rows, list)
    assert [r["schedule"] for r in rows] == ["alpha", "zulu"]
    alpha, zulu = rows
    assert (alpha["person"], alpha["start"], alpha["end"]) == (None, None, None)
    assert zulu["person"] == "bob"
    assert (utc(zulu["start"]), utc(zulu["end"])) == ("2026-03-09T13:00:00Z", "2026-03-16T13:00:00Z")


@pytest.mark.parametrize(("at", "person", "start"), [
    ("2026-03-16T13:00:00Z", "alice", "2026-03-16T13:00:00Z"),  # a handoff belongs to the new shift
    ("2026-03-16T12:59:59Z", "bob", "2026-03-09T13:00:00Z"),
    ("2026-03-16 09:00", "alice", "2026-03-16T13:00:00Z"),  # read in the machine's zone (New York)
    ("2026-03-16T08:59:59", "bob", "2026-03-09T13:00:00Z"),
    ("2026-03-16", "bob", "2026-03-09T13:00:00Z"),  # a date: its first moment
])
def test_whois_at_an_instant(oncall: Oncall, root: Path, at: str, person: str, start: str) -> None:
    oncall.tz = "America/New_York"
    rows = json.loads(oncall("--root", str(root), "whois", at, "--schedule", "zulu", "--format", "json").out)
    assert (rows[0]["person"], utc(rows[0]["start"])) == (person, start)


def test_whois_bounds_are_the_whole_shift_even_long_ago(oncall: Oncall, tmp_path: Path) -> None:
    root = write_root(tmp_path / "r", {"schedules/people.yaml": PEOPLE, "schedules/s.yaml": """\
timezone: UTC
layers:
  - people: [alice, bob]
    start: 2025-01-01T00:00
    every: 1w
    end: 2027-01-01T00:00
overrides:
  - {person: carol, from: 2024-06-01T00:00, to: 2026-03-10T00:00}
"""})
    rows = json.loads(oncall("--root", str(root), "whois", "2026-03-01T00:00Z", "--format", "json").out)
    assert (rows[0]["person"], utc(rows[0]["start"]), utc(rows[0]["end"])) == (
        "carol", "2024-06-01T00:00:00Z", "2026-03-10T00:00:00Z")


@freeze_time("2026-03-10T21:00:00Z")
def test_whois_now_is_the_default(oncall: Oncall, root: Path) -> None:
    now = json.loads(oncall("--root", str(root), "whois", "--format", "json").out)
    explicit = json.loads(oncall("--root", str(root), "whois", "now", "--format", "json").out)
    assert now == explicit
    assert [r["person"] for r in now] == [None, "bob"]


def test_whois_table_names_everyone_even_at_60_columns(oncall: Oncall, root: Path) -> None:
    result = oncall("--root", str(root), "whois", "2026-03-10T12:00Z", env={"COLUMNS": "60"})
    assert result.code == 0, result.err
    assert "Bob Okafor" in result.out
    assert max(len(line) for line in result.out.splitlines()) <= 60


@pytest.mark.parametrize("args", [("someday",), ("--schedule", "nope"), ("--format", "yaml"),
                                  ("2026-13-01T00:00",), ("2026-03-10T09:00+25:00",)])
def test_bad_whois_input_exits_2(oncall: Oncall, root: Path, args: tuple[str, ...]) -> None:
    result = oncall("--root", str(root), "whois", *args)
    assert result.code == 2
    assert "Traceback" not in result.text and result.out == ""


def test_generate_and_whois_in_a_subprocess(oncall: Oncall, root: Path) -> None:
    result = oncall.subprocess("--root", str(root), "whois", "2026-03-10T09:00", "--format", "json",
                               env={"TZ": "Asia/Kolkata"})
    assert result.code == 0, result.err
    # 09:00 Kolkata is 03:30Z: carol's alpha window has not begun; zulu is bob's week
    assert [r["person"] for r in json.loads(result.out)] == [None, "bob"]
    bad = oncall.subprocess("--root", str(root), "schedule", "generate", "--from", "nope")
    assert_one_error_line(bad, "--from")
