"""`oncall whois`, `oncall schedule generate` and `oncall next` on a small config root."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from freezegun import freeze_time
from typer.testing import CliRunner

from oncall.cli.app import app

PEOPLE = """\
people:
  alice: {name: Alice Park, email: alice@example.com, timezone: America/New_York}
  bob: {name: Bob Okafor, email: bob@example.com, timezone: Europe/London}
  carol:
    name: Carol Diaz
    timezone: America/New_York
    time_off:
      - {from: 2026-03-12, to: 2026-03-12}
"""
PAYMENTS = """\
name: Payments primary
timezone: America/New_York
layers:
  - name: weekly
    people: [alice, bob]
    start: 2026-01-05T09:00
    every: 1w
overrides:
  - {person: carol, from: 2026-03-10T09:00, to: 2026-03-11T09:00}
"""
NIGHTS = """\
timezone: Europe/London
layers:
  - name: nights
    people: [bob, carol]
    start: 2026-01-05T00:00
    every: 1d
    only:
      - {from: "22:00", to: "06:00"}
"""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "schedules").mkdir()
    (tmp_path / "checklists").mkdir()
    (tmp_path / "schedules" / "people.yaml").write_text(PEOPLE)
    (tmp_path / "schedules" / "payments.yaml").write_text(PAYMENTS)
    (tmp_path / "schedules" / "nights.yaml").write_text(NIGHTS)
    return tmp_path


def run(root: Path, *args: str, env: dict[str, str] | None = None):
    result = CliRunner().invoke(app, ["--root", str(root), *args], env=env)
    return result


@freeze_time("2026-03-11T16:00:00Z")
def test_whois_now_json_follows_the_contract(root):
    result = run(root, "whois", "now", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["schedule"] for r in rows] == ["nights", "payments"]
    nights, payments = rows
    # 16:00Z (12:00 EDT) on Wed 11 March: bob's week (turn 9, from Mon 9 March 09:00 EDT), after carol's override.
    assert payments["person"] == "bob"
    assert payments["start"] == "2026-03-11T09:00:00-04:00"
    assert payments["end"] == "2026-03-16T09:00:00-04:00"
    # nights only cover 22:00-06:00 London: at noon it is a gap, and the gap's end is given.
    assert (nights["person"], nights["start"], nights["end"]) == (None, None, None)
    assert nights["gap_end"] == "2026-03-11T22:00:00+00:00"


def test_whois_at_a_given_time_and_schedule_filter(root):
    result = run(root, "whois", "2026-03-10T15:00:00Z", "--schedule", "payments", "--format", "json")
    rows = json.loads(result.stdout)
    assert len(rows) == 1
    assert rows[0]["person"] == "carol" and rows[0]["reason"] == "override"
    assert (rows[0]["start"], rows[0]["end"]) == ("2026-03-10T09:00:00-04:00", "2026-03-11T09:00:00-04:00")


@freeze_time("2026-03-11T16:00:00Z")
def test_whois_table_shows_gap_plainly(root):
    result = run(root, "whois")
    assert result.exit_code == 0
    assert "NOBODY (gap)" in result.stdout
    assert "Bob Okafor" in result.stdout


def test_generate_json_clips_sorts_and_lists_gaps(root):
    result = run(root, "schedule", "generate", "--from", "2026-03-10T00:00:00Z", "--to", "2026-03-11T00:00:00Z",
                 "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"shifts", "gaps"}
    keys = [(s["schedule"], s["start"]) for s in data["shifts"]]
    assert keys == sorted(keys)
    payments = [s for s in data["shifts"] if s["schedule"] == "payments"]
    assert [(s["person"], s["start"], s["end"]) for s in payments] == [
        ("bob", "2026-03-09T20:00:00-04:00", "2026-03-10T09:00:00-04:00"),
        ("carol", "2026-03-10T09:00:00-04:00", "2026-03-10T20:00:00-04:00"),
    ]
    nights = [g for g in data["gaps"] if g["schedule"] == "nights"]
    assert nights == [{"schedule": "nights", "start": "2026-03-10T06:00:00+00:00", "end": "2026-03-10T22:00:00+00:00"}]


def test_generate_to_date_includes_the_whole_day(root):
    result = run(root, "schedule", "generate", "--from", "2026-03-10", "--to", "2026-03-10", "-s", "payments",
                 "--format", "json", env={"TZ": "America/New_York"})
    shifts = json.loads(result.stdout)["shifts"]
    assert shifts[0]["start"] == "2026-03-10T00:00:00-04:00"
    assert shifts[-1]["end"] == "2026-03-11T00:00:00-04:00"


def test_generate_person_filter_and_csv(root):
    result = run(root, "schedule", "generate", "--from", "2026-03-09T00:00:00Z", "--to", "2026-03-16T00:00:00Z",
                 "--person", "carol", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["person"] for r in rows} == {"carol"}
    assert any(r["reason"] == "override" for r in rows)


def test_generate_output_file_is_written(root, tmp_path):
    target = tmp_path / "out" / "shifts.json"
    result = run(root, "schedule", "generate", "--from", "2026-03-09T00:00:00Z", "--to", "2026-03-10T00:00:00Z",
                 "--format", "json", "--output", str(target))
    assert result.exit_code == 0
    assert json.loads(target.read_text())["shifts"]


@freeze_time("2026-03-11T16:00:00Z")
def test_next_lists_upcoming_shifts_for_the_person_from_env(root):
    result = run(root, "next", "--format", "json", env={"ONCALL_PERSON": "alice"})
    assert result.exit_code == 0, result.output
    shifts = json.loads(result.stdout)
    assert shifts and {s["person"] for s in shifts} == {"alice"}
    assert shifts[0]["start"] == "2026-03-16T09:00:00-04:00"
    assert "ONCALL_PERSON" in result.stderr


@pytest.mark.parametrize(
    "args,needle",
    [
        (["whois", "yesterday-ish"], "is not a date or time"),
        (["schedule", "generate", "--schedule", "nope"], "error: --schedule: no schedule 'nope'"),
        (["whois", "--schedule", "nope"], "error: --schedule: no schedule 'nope'"),
        (["schedule", "generate", "--from", "2026-03-10", "--to", "2026-03-09"], "--to must be after --from"),
        (["next", "--person", "zed"], "no person 'zed'"),
    ],
)
def test_bad_input_exits_2_with_one_clear_line(root, args, needle):
    proc = subprocess.run([sys.executable, "-m", "oncall", "--root", str(root), *args],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert needle in proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("error: ")


def test_example_org_runs_out_of_the_box():
    repo = Path(__file__).resolve().parents[2]
    proc = subprocess.run([sys.executable, "-m", "oncall", "whois", "now", "--format", "json"], cwd=repo,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    assert rows and all({"schedule", "person", "start", "end"} <= set(r) for r in rows)


@pytest.mark.parametrize("window", [("2026-03-09T00:00:00Z", "2026-03-12T00:00:00Z"), ("2020-01-01", "2020-01-02")])
def test_generate_json_is_one_document_with_one_row_per_line(root, window):
    result = run(root, "schedule", "generate", "--from", window[0], "--to", window[1], "--format", "json")
    data = json.loads(result.stdout)
    rows = [json.dumps(row, ensure_ascii=False) for row in data["shifts"]]
    gaps = [json.dumps(gap, ensure_ascii=False) for gap in data["gaps"]]

    def listed(items: list[str]) -> str:
        return "[\n" + ",\n".join(f"    {item}" for item in items) + "\n  ]" if items else "[]"

    assert result.stdout == f'{{\n  "shifts": {listed(rows)},\n  "gaps": {listed(gaps)}\n}}\n'
    assert list(data) == ["shifts", "gaps"]
