"""A team in temp folders: a config root committed to git, a bare repository as the shared
remote, and a clone per engineer (real git throughout)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

PEOPLE = """\
people:
  alice:
    name: Alice Park
    email: alice@example.com
    timezone: UTC
  bob:
    name: Bob Stone
    email: bob@example.com
    timezone: UTC
  carol:
    name: Carol Diaz
    email: carol@example.com
    timezone: UTC
"""

# Weekly turns from Monday 2026-11-23 09:00 UTC: alice, bob, carol, then alice again.
PRIMARY = """\
timezone: UTC
checklist: primary
layers:
  - people: [alice, bob, carol]
    start: 2026-11-23T09:00
    every: 1w
"""

# Daily turns, no checklist.
SUPPORT = """\
timezone: UTC
layers:
  - people: [carol, bob]
    start: 2026-11-23T09:00
    every: 1d
"""

CHECKLIST = """\
name: Primary readiness
max_age: 7d
items:
  - id: python
    title: Python runs
    check: {command: [python3, --version], timeout: 5s}
  - id: playbook
    title: Read the playbook
    confirm: I have read the playbook
    valid_for: 30d
    fix: Read playbooks/incident.md, then run oncall ready --confirm playbook
"""


def sh(cwd: Path, *args: str, stdin: str | None = None) -> str:
    """Run git in ``cwd`` and return its stdout (fails the test on an error)."""
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, input=stdin, timeout=60)
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr}"
    return done.stdout


def rotation_from_now(hours_ago: int = 24, every: str = "3d", people: str = "carol, bob, alice") -> str:
    """A primary schedule whose first turn started ``hours_ago`` (whole hours) before now, so that
    commands run against the real clock see the same shifts whatever the date: with the defaults
    carol is on call now, bob takes over in two days, alice in five."""
    import time
    from datetime import UTC, datetime

    start = datetime.fromtimestamp((int(time.time()) // 3600 - hours_ago) * 3600, UTC)
    return (f"timezone: UTC\nchecklist: primary\nlayers:\n  - people: [{people}]\n"
            f"    start: {start:%Y-%m-%dT%H:%M}\n    every: {every}\n")


def write_org(root: Path, checklist: str = CHECKLIST, settings: str = "readiness:\n  share: git\n",
              primary: str = PRIMARY) -> None:
    (root / "schedules").mkdir(parents=True, exist_ok=True)
    (root / "checklists").mkdir(exist_ok=True)
    (root / "schedules" / "people.yaml").write_text(PEOPLE)
    (root / "schedules" / "primary.yaml").write_text(primary)
    (root / "schedules" / "support.yaml").write_text(SUPPORT)
    (root / "checklists" / "primary.yaml").write_text(checklist)
    if settings:
        (root / "oncall.yaml").write_text(settings)


@dataclass
class Team:
    """The shared remote and one clone per name."""

    base: Path
    remote: Path
    clones: dict[str, Path] = field(default_factory=dict)

    def clone(self, name: str) -> Path:
        path = self.base / name
        sh(self.base, "clone", "--quiet", str(self.remote), str(path))
        self.clones[name] = path
        return path


@pytest.fixture
def git_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Git with no user or system settings of the machine running the tests."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.delenv("ONCALL_PERSON", raising=False)
    monkeypatch.delenv("ONCALL_ROOT", raising=False)
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture
def org_files() -> dict[str, str]:
    """What ``team`` commits (a test may override the fixture)."""
    return {}


@pytest.fixture
def team(tmp_path: Path, git_home: Path, org_files: dict[str, str]) -> Iterator[Team]:
    """The config root committed on main, pushed to a bare remote; no clones yet."""
    seed = tmp_path / "seed"
    seed.mkdir()
    write_org(seed, **org_files)
    sh(seed, "init", "--quiet", "--initial-branch=main")
    sh(seed, "add", ".")
    sh(seed, "-c", "user.name=Seed", "-c", "user.email=seed@example.com", "commit", "--quiet", "-m", "org")
    remote = tmp_path / "remote.git"
    sh(tmp_path, "clone", "--quiet", "--bare", str(seed), str(remote))
    yield Team(tmp_path, remote)
