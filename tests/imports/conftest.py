"""Helpers for the import tests: fixtures read from public API documentation, an import into a
temporary config root, and who the written files put on call."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from oncall.config import load_org
from oncall.engine import schedule_timeline
from oncall.imports.exports import Node, read_json
from oncall.imports.model import Export
from oncall.imports.plan import ImportPlan, plan_import, write_plan
from oncall.times import zone

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(service: str, name: str) -> Node:
    return read_json(str(FIXTURES / service / name))


def at(text: str) -> int:
    """An ISO datetime with its offset, as epoch seconds."""
    return int(datetime.fromisoformat(text).timestamp())


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "root"
    (folder / "schedules").mkdir(parents=True)
    return folder


ImportFn = Callable[..., ImportPlan]


@pytest.fixture
def do_import(root: Path) -> ImportFn:
    """Plan an import into ``root`` (checking against what the service rendered) and write it."""

    def run(export: Export, *, check: bool = True, force: bool = False, write: bool = True) -> ImportPlan:
        plan = plan_import(export, root, check=check, force=force)
        if write:
            write_plan(plan)
        return plan

    return run


def shifts(root: Path, schedule: str, start: str, end: str) -> list[tuple[str, str, str]]:
    """``(start, end, person)`` of the written schedule, times in its own zone to the minute."""
    org = load_org(root)
    tz = zone(org.schedules[schedule].timezone)
    timeline = schedule_timeline(org, org.schedules[schedule], at(start), at(end))
    return [(_local(s.start, tz), _local(s.end, tz), s.person) for s in timeline.shifts]


def _local(instant: int, tz: object) -> str:
    return datetime.fromtimestamp(instant, tz).isoformat(timespec="minutes")  # type: ignore[arg-type]


def differences(plan: ImportPlan) -> list[tuple[str, str, str, str]]:
    out = []
    for check in plan.checks:
        tz = zone(check.timezone)
        out += [(_local(d.start, tz), _local(d.end, tz), d.service, d.written) for d in check.differences]
    return out


def inexact(plan: ImportPlan) -> list[str]:
    return [str(item) for item in plan.inexact]



def layer_cover(root: Path, schedule: str, layer: str, start: str, end: str) -> list[tuple[str, str, str]]:
    """What one layer alone covers, ``(start, end, person)`` in the schedule's zone."""
    from oncall.engine.timeline import layer_pieces

    org = load_org(root)
    found = org.schedules[schedule]
    tz = zone(found.timezone)
    chosen = next(item for item in found.layers if item.name == layer)
    pieces = layer_pieces(org, found, chosen, at(start), at(end), with_time_off=False)
    return [(_local(s, tz), _local(e, tz), who) for s, e, who, _ in pieces]
