"""schedule diff: the comparison itself, and against a real git repository with commits."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from oncall.edit.diff import Change, PersonHours, compare, hours_moved
from oncall.model import Shift

from .conftest import PRIMARY, Runner, make_root

H = 3600


def _shifts(*spec: tuple[str, int, int]) -> list[Shift]:
    return [Shift("s", person, start * H, end * H) for person, start, end in spec]


def test_compare_finds_moves_and_gaps_and_joins_neighbours() -> None:
    old = _shifts(("alice", 0, 10), ("bob", 10, 20), ("carol", 25, 30))
    new = _shifts(("alice", 0, 5), ("dave", 5, 15), ("bob", 15, 20), ("carol", 20, 30))
    assert compare("s", old, new, 0, 30 * H) == [
        Change("s", 5 * H, 10 * H, "alice", "dave"),
        Change("s", 10 * H, 15 * H, "bob", "dave"),
        Change("s", 20 * H, 25 * H, None, "carol"),
    ]
    assert compare("s", new, old, 0, 30 * H)[-1].kind == "gap opened"
    assert compare("s", old, old, 0, 30 * H) == []


def test_hours_moved_adds_up_per_person() -> None:
    changes = [Change("s", 0, 5 * H, "alice", "dave"), Change("s", 5 * H, 7 * H, "bob", "dave"),
               Change("s", 7 * H, 8 * H, None, "alice")]
    assert hours_moved(changes) == (PersonHours("alice", H, 5 * H), PersonHours("bob", 0, 2 * H),
                                    PersonHours("dave", 7 * H, 0))


def _git(repo: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false",
         *args], cwd=repo, capture_output=True, text=True, check=True)
    return result.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose config root is the subfolder ``oncall/``: commit 1 is the rotation,
    commit 2 adds an override (dave takes alice's week of 2026-03-09)."""
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    root = make_root(repo / "oncall")
    (repo / "README.md").write_text("not config\n")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "rotation")
    (root / "schedules" / "primary.yaml").write_text(
        PRIMARY + "overrides:\n  - person: dave\n    from: 2026-03-09T09:00\n    to: 2026-03-16T09:00\n")
    _git(repo, "commit", "-q", "-am", "dave covers alice")
    return repo


WINDOW = ("--from", "2026-03-02T00:00-05:00", "--to", "2026-03-30T00:00-04:00")


def test_diff_between_two_revisions(repo: Path, run: Runner) -> None:
    result = run("schedule", "diff", "HEAD~1", "HEAD", *WINDOW, "-f", "json", root=repo / "oncall")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["changes"] == [{"schedule": "primary", "start": "2026-03-09T09:00:00-04:00",
                                "end": "2026-03-16T09:00:00-04:00", "hours": 168, "kind": "moved",
                                "before": "alice", "after": "dave", "why": ["override added"]}]
    assert data["people"] == [
        {"person": "alice", "gained_hours": 0, "lost_hours": 168, "net_hours": -168},
        {"person": "dave", "gained_hours": 168, "lost_hours": 0, "net_hours": 168},
    ]


def test_diff_of_the_working_tree_against_head(repo: Path, run: Runner) -> None:
    root = repo / "oncall"
    clean = run("schedule", "diff", *WINDOW, "--exit-code", root=root)
    assert clean.code == 0 and "No shift changes" in clean.out
    # An uncommitted edit: bob's week goes to nobody once the layer ends early.
    path = root / "schedules" / "primary.yaml"
    path.write_text(path.read_text().replace("    every: 1w   # keep weekly\n",
                                             "    every: 1w   # keep weekly\n    end: 2026-03-16T09:00\n"))
    result = run("schedule", "diff", *WINDOW, "--exit-code", root=root)
    assert result.code == 1
    assert "HEAD → working tree" in result.out
    assert "Bob Li" in result.out and "nobody" in result.out and "-168h" in result.out
    # REV alone compares that revision with the working tree: both changes show, and the layer's new end.
    data = json.loads(run("schedule", "diff", "HEAD~1", *WINDOW, "-f", "json", root=root).out)
    shifts = [c for c in data["changes"] if c["kind"] != "rotation-change"]
    assert [(c["before"], c["after"], c["kind"], c["why"]) for c in shifts] == [
        ("alice", "dave", "moved", ["override added"]), ("bob", None, "gap opened", ["rotation change"]),
        ("carol", None, "gap opened", ["rotation change"])]
    [late] = [c for c in data["changes"] if c["kind"] == "rotation-change"]
    assert late["summary"] == ("changing the end of primary/weekly from none to 2026-03-16 09:00 first changes who "
                               "is on call on 2026-03-16")


def test_markdown_is_a_pull_request_comment(repo: Path, run: Runner) -> None:
    result = run("schedule", "diff", "HEAD~1", "HEAD", *WINDOW, "-f", "markdown", root=repo / "oncall")
    lines = result.out.splitlines()
    assert lines[0] == "<!-- oncall-schedule-diff -->"
    assert lines[1] == "### On-call changes: HEAD~1 → HEAD"
    assert "#### Primary (primary, America/New\\_York)" in lines
    assert ("| Mon 2026-03-09 09:00 EDT | Mon 2026-03-16 09:00 EDT | 7d | Alice Park | Dave Rossi | override added |"
            in lines)
    assert "| Dave Rossi | 168h | 0h | +168h |" in lines


def test_a_new_schedule_counts_as_gaps_closed(repo: Path, run: Runner) -> None:
    root = repo / "oncall"
    (root / "schedules" / "second.yaml").write_text(PRIMARY.replace("name: Primary", "name: Second"))
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "second schedule")
    data = json.loads(run("schedule", "diff", "HEAD~1", "HEAD", *WINDOW, "-f", "json", root=root).out)
    assert data["schedules_added"] == ["second"]
    assert {c["kind"] for c in data["changes"]} == {"gap closed"}
    assert sum(c["hours"] for c in data["changes"]) == 4 * 168 - 1  # the DST change on 2026-03-08


def test_invalid_config_at_a_revision_names_the_revision(repo: Path, run: Runner) -> None:
    root = repo / "oncall"
    (root / "schedules" / "primary.yaml").write_text(PRIMARY.replace("every: 1w", "every: weekly"))
    _git(repo, "commit", "-q", "-am", "broken")
    result = run("schedule", "diff", "HEAD", "HEAD~1", *WINDOW, root=root)
    assert result.code == 2
    assert "HEAD:schedules/primary.yaml" in result.err
    assert "oncall-rev-" not in result.err


def test_unknown_revision_and_missing_repository_exit_2(repo: Path, tmp_path: Path, run: Runner) -> None:
    result = run("schedule", "diff", "no-such-branch", *WINDOW, root=repo / "oncall")
    assert result.code == 2 and "unknown git revision 'no-such-branch'" in result.err
    result = run("schedule", "diff", *WINDOW, "--", "--output=x", root=repo / "oncall")
    assert result.code == 2 and "is not a git revision" in result.err
    plain = make_root(tmp_path / "plain")
    result = run("schedule", "diff", *WINDOW, root=plain)
    assert result.code == 2 and "not a git repository" in result.err.lower()
    assert "Traceback" not in result.err
