"""Reasons and bounds as the engine gives them: holiday cover is not time-off cover in any output,
and a person's next shifts show their real ends, not the window's edge."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from freezegun import freeze_time

from tests.cli.cli_runner import run_oncall

PEOPLE = """\
people:
  alice: {name: Alice Park, timezone: America/New_York, country: US}
  bob: {name: Bob Okafor, timezone: America/New_York, time_off: [{from: 2026-12-01, to: 2026-12-01}]}
  carol: {name: Carol Nguyen, timezone: America/New_York}
"""
OPS = """\
name: Ops
timezone: America/New_York
layers:
  - name: weekly
    people: [alice, bob, carol]
    start: 2026-11-23T09:00
    every: 1w
    skip_holidays: people
"""


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "org" / "schedules").mkdir(parents=True)
    (tmp_path / "org" / "schedules" / "people.yaml").write_text(PEOPLE)
    (tmp_path / "org" / "schedules" / "ops.yaml").write_text(OPS)
    for name, value in (("TZ", "America/New_York"), ("NO_COLOR", "1"), ("COLUMNS", "160"),
                        ("XDG_CACHE_HOME", str(tmp_path / "cache"))):
        monkeypatch.setenv(name, value)
    return tmp_path / "org"


def test_holiday_cover_and_time_off_cover_are_different_reasons(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Thanksgiving (Thu 26 Nov), alice's own holiday, falls in her week: bob covers it; bob's day off
    # (Tue 1 Dec) in his own week goes to carol.
    window = ["--from", "2026-11-25", "--to", "2026-12-02"]
    table = run_oncall(["--root", str(root), "schedule", "generate", *window], capsys).out
    assert "covering Alice Park (public holiday)" in table
    assert "covering Bob Okafor's time off" in table
    assert "Alice Park's time off" not in table
    rows = list(csv.DictReader(io.StringIO(
        run_oncall(["--root", str(root), "schedule", "generate", *window, "--format", "csv"], capsys).out)))
    assert [r["reason"] for r in rows if r["person"] == "bob"][0] == "holiday:alice"
    assert [r["reason"] for r in rows if r["person"] == "carol"][-1] == "cover:bob"
    shifts = json.loads(run_oncall(["--root", str(root), "schedule", "generate", *window, "--format", "json"],
                                   capsys).out)["shifts"]
    assert {s["reason"] for s in shifts} >= {"layer:weekly", "holiday:alice", "cover:bob"}
    whois = run_oncall(["--root", str(root), "whois", "2026-11-26T12:00"], capsys).out
    assert "Bob Okafor, covering Alice Park (public holiday)" in whois
    at = json.loads(run_oncall(["--root", str(root), "whois", "2026-11-26T12:00", "--format", "json"], capsys).out)
    assert at[0]["reason"] == "holiday:alice"


@freeze_time("2026-11-24T15:00:00Z")
def test_next_shows_real_starts_and_ends(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shown = json.loads(run_oncall(["--root", str(root), "next", "--person", "alice", "--within", "2d",
                                   "--format", "json"], capsys).out)
    # Under way since Mon 23 Nov 09:00 and going on to Thanksgiving: neither end is the window's.
    assert (shown[0]["start"], shown[0]["end"]) == ("2026-11-23T09:00:00-05:00", "2026-11-26T00:00:00-05:00")
    table = run_oncall(["--root", str(root), "next", "--person", "alice", "--within", "2d"], capsys).out
    assert "Mon 2026-11-23 09:00 EST" in table and "Thu 2026-11-26 00:00 EST" in table
    assert "10:00 EST" not in table  # now (10:00) and now + 2 days are nowhere
