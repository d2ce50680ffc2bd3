"""Machine-readable reports of a readiness run: JSON and JUnit XML (for CI dashboards).

The table for people is drawn by the CLI; these are for scripts. Neither ever holds a secret's
value: they are built from results, whose messages never carry one.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from oncall.readiness.results import ERROR, FAIL, NOT_READY, SKIP, STATUSES, WARN, CheckResult
from oncall.times import iso


@dataclass(frozen=True)
class ShiftNote:
    """A shift that makes a checklist apply: which schedule, when it starts."""

    schedule: str
    checklist: str | None
    start: int
    end: int


@dataclass(frozen=True)
class Report:
    person: str
    at: int  # epoch seconds
    check_access: bool
    results: tuple[CheckResult, ...]
    checklists: tuple[str, ...] = ()
    shifts: tuple[ShiftNote, ...] = ()
    last_verified: int | None = None  # when the last saved --check-access run finished
    notes: tuple[str, ...] = field(default=())

    @property
    def ready(self) -> bool:
        return not any(r.status in NOT_READY for r in self.results)

    def counts(self) -> dict[str, int]:
        return {s: sum(1 for r in self.results if r.status == s) for s in STATUSES}


def to_json(report: Report, tz: Any = UTC) -> dict[str, Any]:
    """The JSON document of ``oncall ready --format json``."""
    return {
        "person": report.person,
        "ready": report.ready,
        "checked_at": iso(report.at, tz),
        "check_access": report.check_access,
        "last_verified": iso(report.last_verified, tz) if report.last_verified else None,
        "checklists": list(report.checklists),
        "shifts": [
            {"schedule": s.schedule, "checklist": s.checklist, "start": iso(s.start, tz), "end": iso(s.end, tz)}
            for s in report.shifts
        ],
        "counts": report.counts(),
        "results": [
            {
                "checklist": r.checklist,
                "item": r.item,
                "title": r.title,
                "kind": r.kind,
                "status": r.status,
                "message": r.message,
                "fix": r.fix,
                "playbook": r.playbook,
                "duration": round(r.duration, 3),
                "attempts": r.attempts,
                "last_passed": iso(r.last_passed, tz) if r.last_passed else None,
            }
            for r in report.results
        ],
    }


def to_junit(report: Report) -> str:
    """JUnit XML: one testsuite per checklist, one testcase per item.

    fail is a <failure>, error an <error>, skip a <skipped> with its reason; a warning passes
    with the warning in <system-out>.
    """
    root = ET.Element("testsuites", name=f"oncall ready {report.person}")
    by_checklist: dict[str, list[CheckResult]] = {}
    for r in report.results:
        by_checklist.setdefault(r.checklist, []).append(r)
    stamp = datetime.fromtimestamp(report.at, UTC).isoformat(timespec="seconds")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for checklist, results in by_checklist.items():
        suite = ET.SubElement(root, "testsuite", name=checklist, timestamp=stamp, hostname="")
        counts = _suite_counts(results)
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
        suite.set("time", f"{sum(r.duration for r in results):.3f}")
        for r in results:
            case = ET.SubElement(suite, "testcase", classname=f"{checklist}", name=f"{r.item}: {r.title}",
                                 time=f"{r.duration:.3f}")
            text = r.message + (f"\nfix: {r.fix}" if r.fix else "")
            if r.status == FAIL:
                ET.SubElement(case, "failure", message=r.message, type="fail").text = text
            elif r.status == ERROR:
                ET.SubElement(case, "error", message=r.message, type="error").text = text
            elif r.status == SKIP:
                ET.SubElement(case, "skipped", message=r.message)
            elif r.status == WARN:
                ET.SubElement(case, "system-out").text = f"warning: {text}"
            else:
                ET.SubElement(case, "system-out").text = r.message
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _suite_counts(results: Sequence[CheckResult]) -> dict[str, int]:
    return {
        "tests": len(results),
        "failures": sum(1 for r in results if r.status == FAIL),
        "errors": sum(1 for r in results if r.status == ERROR),
        "skipped": sum(1 for r in results if r.status == SKIP),
    }
