"""`oncall rotation add|remove` as a user types it: the printed changes, --dry-run, JSON, and the
refusals (exit 2, files untouched)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from freezegun import freeze_time

from tests.edit.conftest import Runner, make_root, run  # noqa: F401  (the runner fixture)

NOW = "2026-03-04T12:00:00Z"  # a Wednesday; the weekly layer hands off on Monday 2026-03-09 09:00 New York

PEOPLE = """\
timezone: America/New_York
people:
  alice: {name: Alice Park}
  bob: {name: Bob Li}
  carol: {name: Carol Diaz}
  dave: {name: Dave Rossi}
  zoe: {name: Zoe Kim}
"""

PRIMARY = """\
# Weekly rotation, Monday 09:00 handoffs.
name: Primary
timezone: America/New_York
layers:
  - name: weekly
    people: [alice, bob, carol]   # in turn
    start: 2026-01-05T09:00
    every: 1w
"""

TWO = PRIMARY + """\
  - name: days
    people: [dave, carol]
    start: 2026-01-05T09:00
    every: 1d
    only: [{days: weekdays, from: "09:00", to: "17:00"}]
"""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return make_root(tmp_path / "root", {"primary": PRIMARY, "two": TWO}, people=PEOPLE)


def _files(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in (root / "schedules").iterdir()}


@freeze_time(NOW)
def test_add_prints_the_changes_and_says_who_is_due(root: Path, run: Runner) -> None:  # noqa: F811
    result = run("rotation", "add", "zoe", "--schedule", "primary", root=root)
    assert result.code == 0, result.err
    # Turns from 2026-01-05: carol 03-02 (turn 8), alice 03-09, bob 03-16, carol 03-23, then zoe 03-30
    # where alice was.
    assert "Alice Park" in result.out and "Zoe Kim" in result.out
    assert "+168h" in result.out
    assert result.err == (f"added zoe to layer weekly of primary from Mon 2026-03-09 09:00 EDT (alice is due then) "
                          f"in {root / 'schedules' / 'primary.yaml'}\n")
    text = (root / "schedules" / "primary.yaml").read_text()
    assert text.startswith(PRIMARY[:-1])  # every old line is still there
    assert "  - name: weekly-from-2026-03-09\n    people: [alice, bob, carol, zoe]\n    start: 2026-03-09T09:00\n" in text


@freeze_time(NOW)
def test_json_names_the_layers_the_due_person_and_the_edit(root: Path, run: Runner) -> None:  # noqa: F811
    result = run("rotation", "remove", "bob", "-s", "primary", "--at", "2026-03-16", "-f", "json", root=root)
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert {k: data[k] for k in ("written", "schedule", "layer", "continued_as", "at", "people_before",
                                 "people_after", "due")} == {
        "written": True, "schedule": "primary", "layer": "weekly", "continued_as": "weekly-from-2026-03-16",
        "at": "2026-03-16T09:00:00-04:00", "people_before": ["alice", "bob", "carol"],
        "people_after": ["alice", "carol"], "due": "carol"}
    assert "+    end: 2026-03-16T09:00\n" in data["edit"]
    # bob was due on 03-16: carol, the next in the old order, takes that turn, then alice, carol...
    moved = [c for c in data["changes"] if c["kind"] == "moved"]
    assert [(c["start"], c["before"], c["after"]) for c in moved][:3] == [
        ("2026-03-16T09:00:00-04:00", "bob", "carol"), ("2026-03-23T09:00:00-04:00", "carol", "alice"),
        ("2026-03-30T09:00:00-04:00", "alice", "carol")]


@freeze_time(NOW)
def test_dry_run_shows_the_edit_and_the_changes_and_writes_nothing(root: Path, run: Runner) -> None:  # noqa: F811
    before = _files(root)
    result = run("rotation", "add", "zoe", "-s", "primary", "--after", "alice", "--dry-run", root=root)
    assert result.code == 0, result.err
    assert result.out.startswith("--- a/schedules/primary.yaml\n+++ b/schedules/primary.yaml\n")
    assert "+    end: 2026-03-09T09:00\n" in result.out and "+    people: [alice, zoe, bob, carol]\n" in result.out
    assert "Zoe Kim" in result.out  # the changed shifts follow the edit
    assert result.err.startswith("would add zoe to layer weekly of primary")
    assert _files(root) == before


@freeze_time(NOW)
@pytest.mark.parametrize(("args", "message"), [
    (["add", "zoe", "-s", "two"], "--layer: schedule 'two' has 2 layers; say which with --layer: weekly, days"),
    (["add", "zoe", "-s", "two", "--layer", "nights"], "--layer: schedule 'two' has no layer 'nights'; its layers: "
                                                        "weekly, days"),
    (["add", "zoe", "-s", "nope"], "--schedule: no schedule 'nope'"),
    (["add", "nobody", "-s", "primary"], "PERSON: no person 'nobody' in people.yaml; add them there first"),
    (["add", "bob", "-s", "primary"], "PERSON: bob is already in layer 'weekly' (alice, bob, carol); to move them, "
                                      "`oncall rotation remove bob` first"),
    (["add", "zoe", "-s", "primary", "--after", "dave"], "--after: dave is not in layer 'weekly'"),
    (["remove", "dave", "-s", "primary"], "PERSON: dave is not in layer 'weekly' (alice, bob, carol)"),
    (["add", "zoe", "-s", "primary", "--at", "2026-03-10T09:00"],
     "--at: 2026-03-10T09:00 is not a handoff of layer 'weekly' (every 1w from 2026-01-05T09:00, "
     "America/New_York); the nearest: 2026-03-09T09:00 and 2026-03-16T09:00; give one of them"),
    (["add", "zoe", "-s", "primary", "--at", "someday"], "--at: 'someday' is not a date or time"),
])
def test_refusals_exit_2_and_leave_the_files_alone(root: Path, run: Runner, args: list[str],  # noqa: F811
                                                   message: str) -> None:
    before = _files(root)
    result = run("rotation", *args, root=root)
    assert result.code == 2
    assert result.err.startswith(f"error: {message}"), result.err
    assert "Traceback" not in result.err
    assert _files(root) == before


@freeze_time(NOW)
def test_removing_the_last_person_says_what_to_do(tmp_path: Path, run: Runner) -> None:  # noqa: F811
    root = make_root(tmp_path / "root", {"solo": PRIMARY.replace("[alice, bob, carol]   # in turn", "[alice]")},
                     people=PEOPLE)
    result = run("rotation", "remove", "alice", "-s", "solo", root=root)
    assert result.code == 2
    assert "alice is the only person in layer 'weekly'" in result.err
    assert "add who takes over first (`oncall rotation add`)" in result.err


def test_the_installed_command_runs_it_in_a_fresh_process(root: Path) -> None:
    """The whole command as a user runs it: its own process, the real clock, the registry."""
    repo = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-m", "oncall", "--root", str(root), "rotation", "add", "zoe", "-s",
                           "primary", "--dry-run", "--format", "json"], capture_output=True, text=True,
                          env={"PYTHONPATH": str(repo), "PATH": "/usr/bin:/bin", "TZ": "UTC",
                               "ONCALL_NO_CACHE": "1", "HOME": str(root)}, timeout=120)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["written"] is False and data["people_after"] == ["alice", "bob", "carol", "zoe"]
