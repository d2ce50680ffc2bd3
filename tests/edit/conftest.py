"""A small config root in a temp folder and an in-process runner for the ``oncall`` command."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from textwrap import dedent

import pytest

from oncall.cli.app import run as run_oncall

PEOPLE = """\
# The team.
timezone: America/New_York
people:
  alice:
    name: Alice Park
    country: US
  bob:
    name: Bob Li
    timezone: Europe/London   # no country: no holiday figures
  carol:
    name: Carol Diaz
    country: US
  dave:
    name: Dave Rossi
"""

PRIMARY = """\
# Weekly rotation, Monday 09:00 handoffs.
name: Primary
timezone: America/New_York
layers:
  - name: weekly
    people: [alice, bob, carol]
    start: 2026-01-05T09:00
    every: 1w   # keep weekly
"""


@dataclass
class Result:
    code: int
    out: str
    err: str


Runner = Callable[..., Result]


def make_root(folder: Path, schedules: dict[str, str] | None = None, people: str = PEOPLE) -> Path:
    """Write a config root: people.yaml plus ``schedules`` (id -> YAML), default one ``primary``."""
    (folder / "schedules").mkdir(parents=True)
    (folder / "checklists").mkdir()
    (folder / "schedules" / "people.yaml").write_text(dedent(people))
    for sid, text in (schedules or {"primary": PRIMARY}).items():
        (folder / "schedules" / f"{sid}.yaml").write_text(dedent(text))
    return folder


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return make_root(tmp_path / "root")


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Runner:
    """Run ``oncall ARGS`` in this process; returns exit code, stdout and stderr."""
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")

    def invoke(*args: str, root: Path | None = None) -> Result:
        capsys.readouterr()
        code = run_oncall([*(["--root", str(root)] if root else []), *args])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return invoke
