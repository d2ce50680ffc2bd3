"""The commands, run as a user runs them: ``calendar publish`` and ``schedule generate --format ics``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from oncall.calendar.ics import uid_for
from oncall.config import load_org
from oncall.engine import generate

PEOPLE = """\
timezone: America/New_York
people:
  alice: {name: "Alice Park, SRE", email: alice@example.com}
  bob: {name: "Bob Łukasz", timezone: Europe/London}
  carol: {name: "キャロル 🚀", timezone: Australia/Sydney}
"""
SCHEDULE = """\
name: Payments primary
timezone: America/New_York
checklist: primary
layers:
  - name: weekly
    people: [alice, bob, carol]
    start: 2026-01-05T09:00
    every: 1w
overrides:
  - person: carol
    from: 2026-03-10T09:00
    to: 2026-03-11T09:00
"""
CHECKLIST = """\
name: Primary on-call readiness
items:
  - id: playbook
    title: Read the incident playbook
    confirm: I have read the incident playbook
"""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "schedules").mkdir()
    (tmp_path / "checklists").mkdir()
    (tmp_path / "schedules" / "people.yaml").write_text(PEOPLE, encoding="utf-8")
    (tmp_path / "schedules" / "payments.yaml").write_text(SCHEDULE, encoding="utf-8")
    (tmp_path / "checklists" / "primary.yaml").write_text(CHECKLIST, encoding="utf-8")
    return tmp_path


def oncall(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ONCALL_ROOT": str(root), "TZ": "UTC", "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "oncall", *args], capture_output=True, text=True, env=env,
                          timeout=60, stdin=subprocess.DEVNULL)


def test_publish_twice(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    args = ("calendar", "publish", str(out), "--from", "2026-03-01", "--to", "2026-04-30",
            "--base-url", "https://oncall.example.com/cal")
    first = oncall(root, *args)
    assert first.returncode == 0, first.stderr
    assert "schedule-payments.ics" in first.stdout and "written" in first.stdout
    assert "file(s) written" in first.stderr
    mtimes = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    second = oncall(root, *args, "--format", "json")
    assert second.returncode == 0, second.stderr
    summary = json.loads(second.stdout)
    assert summary["index_written"] is False
    assert all(not f["written"] and f["added"] == f["changed"] == f["cancelled"] == 0 for f in summary["feeds"])
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == mtimes


@pytest.mark.parametrize("args, message", [
    (("--base-url", "oncall.example.com"), "--base-url"),
    (("--from", "2026-04-01", "--to", "2026-03-01"), "--to must be after --from"),
    (("--from", "yesterday-ish"), "--from"),
    (("--schedule", "nope"), "no schedule 'nope'"),
])
def test_publish_bad_input_is_one_line_exit_2(root: Path, tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    result = oncall(root, "calendar", "publish", str(tmp_path / "site"), *args)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.startswith("error: ")


def test_schedule_generate_format_ics(root: Path, tmp_path: Path) -> None:
    import vobject

    out = tmp_path / "payments.ics"
    result = oncall(root, "schedule", "generate", "--from", "2026-03-01", "--to", "2026-04-30",
                    "--format", "ics", "--output", str(out))
    assert result.returncode == 0, result.stderr
    calendar = vobject.readOne(out.read_text(encoding="utf-8"))
    got = sorted((e.uid.value, int(e.dtstart.value.timestamp()), int(e.dtend.value.timestamp()))
                 for e in calendar.vevent_list)
    org = load_org(root)
    start, end = 1772323200, 1777593600  # 2026-03-01T00:00Z, 2026-05-01T00:00Z (TZ=UTC)
    wide = generate(org, start - 31 * 86400, end + 31 * 86400).shifts
    want = sorted((uid_for(s.schedule, s.start, s.person), s.start, s.end) for s in wide if s.start < end and s.end > start)
    assert got == want
    # Across New York's spring change the 09:00 handoff moves from 14:00Z to 13:00Z.
    starts = {s for _, s, _ in got}
    assert 1772460000 in starts and 1773666000 in starts  # 2026-03-02T14:00Z, 2026-03-16T13:00Z
    stdout = oncall(root, "schedule", "generate", "--from", "2026-03-01", "--to", "2026-04-30", "--format", "ics")
    assert stdout.returncode == 0 and stdout.stdout.startswith("BEGIN:VCALENDAR")


def test_publish_into_a_file_is_exit_2(root: Path, tmp_path: Path) -> None:
    target = tmp_path / "taken"
    target.write_text("not a folder")
    result = oncall(root, "calendar", "publish", str(target))
    assert result.returncode == 2 and "is a file" in result.stderr and "Traceback" not in result.stderr
