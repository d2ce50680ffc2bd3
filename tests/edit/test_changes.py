"""override add, timeoff add and swap: the file edit, the printed changes, and refusals."""

from __future__ import annotations

import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from oncall.config import load_org
from oncall.engine import generate
from oncall.times import parse_time

from .conftest import PRIMARY, Runner, make_root

NY = ZoneInfo("America/New_York")


def _at(text: str) -> int:
    return parse_time(text).instant(NY)


def _who(root: Path, at: str, schedule: str = "primary") -> str:
    t = _at(at)
    shifts = generate(load_org(root), t, t + 1, schedules=[schedule]).shifts
    return shifts[0].person if shifts else ""


def test_override_add_appends_to_the_file_and_prints_the_change(root: Path, run: Runner) -> None:
    path = root / "schedules" / "primary.yaml"
    old = path.read_text()
    result = run("override", "add", "-s", "primary", "-p", "dave", "--from", "2026-03-10T09:00",
                 "--to", "2026-03-12T09:00", "--replaces", "alice", root=root)
    assert result.code == 0, result.err
    assert path.read_text() == old + (
        "overrides:\n"
        "  - person: dave\n"
        "    from: 2026-03-10T09:00\n"
        "    to: 2026-03-12T09:00\n"
        "    replaces: alice\n"
    )
    assert "Alice Park" in result.out and "Dave Rossi" in result.out and "+48h" in result.out
    assert "added override for dave on primary" in result.err
    assert _who(root, "2026-03-11T12:00") == "dave"
    assert load_org(root).schedules["primary"].overrides[0].replaces == "alice"


def test_override_times_are_read_in_the_schedules_zone(root: Path, run: Runner) -> None:
    # The machine runs in UTC (see the runner); 09:00 still means 09:00 New York time.
    result = run("override", "add", "-s", "primary", "-p", "dave", "--from", "2026-03-10T09:00",
                 "--to", "2026-03-10T10:00", "-f", "json", root=root)
    data = json.loads(result.out)
    assert data["written"] is True
    assert data["changes"] == [{"schedule": "primary", "start": "2026-03-10T09:00:00-04:00",
                                "end": "2026-03-10T10:00:00-04:00", "hours": 1, "kind": "moved",
                                "before": "alice", "after": "dave", "why": ["override added"]}]
    assert data["people"] == [{"person": "alice", "gained_hours": 0, "lost_hours": 1, "net_hours": -1},
                              {"person": "dave", "gained_hours": 1, "lost_hours": 0, "net_hours": 1}]


def test_timeoff_add_hands_the_turn_on(root: Path, run: Runner) -> None:
    path = root / "schedules" / "people.yaml"
    old = path.read_text()
    result = run("timeoff", "add", "-p", "bob", "--from", "2026-03-17", "--to", "2026-03-18",
                 "--reason", "Dentist", "-f", "json", root=root)
    assert result.code == 0, result.err
    # Inserted after bob's last line; every other line unchanged.
    assert path.read_text() == old.replace(
        "    timezone: Europe/London   # no country: no holiday figures\n",
        "    timezone: Europe/London   # no country: no holiday figures\n"
        "    time_off:\n      - from: 2026-03-17\n        to: 2026-03-18\n        reason: Dentist\n")
    changes = json.loads(result.out)["changes"]
    # Dates are whole days in bob's zone (London), both inclusive; carol is next in the rotation.
    assert [(c["start"], c["end"], c["before"], c["after"]) for c in changes] == [
        ("2026-03-16T20:00:00-04:00", "2026-03-18T20:00:00-04:00", "bob", "carol")]


def test_swap_writes_one_override_per_shift_with_replaces(root: Path, run: Runner) -> None:
    path = root / "schedules" / "primary.yaml"
    result = run("swap", "alice", "bob", "-s", "primary", "--from", "2026-03-09T09:00",
                 "--to", "2026-03-23T09:00", root=root)
    assert result.code == 0, result.err
    assert path.read_text() == PRIMARY + (
        "overrides:\n"
        "  - person: bob\n    from: 2026-03-09T09:00\n    to: 2026-03-16T09:00\n    replaces: alice\n"
        "  - person: alice\n    from: 2026-03-16T09:00\n    to: 2026-03-23T09:00\n    replaces: bob\n"
    )
    assert _who(root, "2026-03-10T12:00") == "bob"
    assert _who(root, "2026-03-17T12:00") == "alice"
    assert _who(root, "2026-03-24T12:00") == "carol"


def test_swap_needs_a_shift_from_each(root: Path, run: Runner) -> None:
    before = (root / "schedules" / "primary.yaml").read_text()
    result = run("swap", "alice", "bob", "-s", "primary", "--from", "2026-03-09T09:00",
                 "--to", "2026-03-16T09:00", root=root)
    assert result.code == 2
    assert "bob has no shifts on primary" in result.err
    assert (root / "schedules" / "primary.yaml").read_text() == before


def test_dry_run_writes_nothing(root: Path, run: Runner) -> None:
    before = (root / "schedules" / "primary.yaml").read_text()
    result = run("override", "add", "-s", "primary", "-p", "dave", "--from", "2026-03-10T09:00",
                 "--to", "2026-03-12T09:00", "--dry-run", root=root)
    assert result.code == 0
    assert "would add" in result.err and "Dave Rossi" in result.out
    assert (root / "schedules" / "primary.yaml").read_text() == before


@pytest.mark.parametrize(("args", "message"), [
    (["override", "add", "-s", "primary", "-p", "zoe", "--from", "2026-03-10", "--to", "2026-03-11"],
     "--person: no person 'zoe'"),
    (["override", "add", "-s", "nope", "-p", "dave", "--from", "2026-03-10", "--to", "2026-03-11"],
     "--schedule: no schedule 'nope'"),
    (["override", "add", "-s", "primary", "-p", "dave", "--from", "2026-03-10", "--to", "2026-03-11",
      "--replaces", "zoe"], "--replaces: no person 'zoe'"),
    (["override", "add", "-s", "primary", "-p", "dave", "--from", "2026-03-12T09:00", "--to", "2026-03-11T09:00"],
     "--to: 2026-03-11T09:00 is not after the start 2026-03-12T09:00"),
    (["override", "add", "-s", "primary", "-p", "dave", "--from", "next blursday", "--to", "2026-03-11"],
     "--from: 'next blursday' is not a date or time"),
    (["timeoff", "add", "-p", "zoe", "--from", "2026-03-10", "--to", "2026-03-11"], "no person 'zoe'"),
    (["swap", "alice", "alice", "-s", "primary", "--from", "2026-03-02", "--to", "2026-03-30"],
     "two different people"),
])
def test_invalid_edits_exit_2_and_leave_files_untouched(root: Path, run: Runner, args: list[str],
                                                        message: str) -> None:
    files = {p: p.read_bytes() for p in (root / "schedules").iterdir()}
    result = run(*args, root=root)
    assert result.code == 2
    assert message in result.err
    assert "Traceback" not in result.err
    assert {p: p.read_bytes() for p in (root / "schedules").iterdir()} == files


def test_an_edit_the_loader_rejects_is_refused_naming_the_real_file(tmp_path: Path, run: Runner) -> None:
    root = make_root(tmp_path / "root", {"primary": PRIMARY, "broken": "name: Broken\nlayers: []\n"})
    files = {p: p.read_bytes() for p in (root / "schedules").iterdir()}
    result = run("--root", str(root), "override", "add", "-s", "primary", "-p", "dave",
                 "--from", "2026-03-10", "--to", "2026-03-11")
    assert result.code == 2
    assert "broken.yaml" in result.err
    assert "oncall-edit-" not in result.err  # never the temporary copy
    assert {p: p.read_bytes() for p in (root / "schedules").iterdir()} == files


def test_check_edit_rejects_what_only_the_loader_knows(root: Path) -> None:
    from oncall.edit.files import check_edit
    from oncall.errors import ConfigErrors

    path = root / "schedules" / "primary.yaml"
    with pytest.raises(ConfigErrors) as caught:
        check_edit(root, {path: PRIMARY.replace("every: 1w", "every: 1x")})
    assert str(path) in str(caught.value) or "primary.yaml" in str(caught.value)
    assert "oncall-edit-" not in str(caught.value)
    assert path.read_text() == PRIMARY
