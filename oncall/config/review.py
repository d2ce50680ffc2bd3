"""Checks that are legal but wrong in practice and need no scheduling: stale checklists."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from oncall.errors import Location, Problem
from oncall.model import Checklist, Org


def stale_checklists(org: Org, at: int) -> list[Problem]:
    """Warnings for checklists whose last review (``reviewed`` + ``review_every``) is before the
    day of ``at`` (epoch seconds), and for checklists that say how often to review but not when
    they last were."""
    today = datetime.fromtimestamp(at, UTC).date()
    problems = []
    for checklist in org.checklists.values():
        if checklist.review_every is None:
            continue
        where = _reviewed_line(checklist)
        if checklist.reviewed is None:
            problems.append(Problem(
                f"checklist {checklist.id!r} has review_every but no `reviewed:` date; "
                f"write the date of its last review, e.g. reviewed: {today.isoformat()}", where, "warning"))
            continue
        due = checklist.reviewed + timedelta(days=max(1, checklist.review_every.seconds // 86400))
        if due < today:
            problems.append(Problem(
                f"checklist {checklist.id!r} was due for review on {due.isoformat()} (reviewed "
                f"{checklist.reviewed.isoformat()}, review_every {checklist.review_every}); review it "
                f"and set reviewed: {today.isoformat()}", where, "warning"))
    return problems


def _reviewed_line(checklist: Checklist) -> Location:
    """Where ``reviewed:`` is written (the model keeps no line for it; read only when warning)."""
    name = f"checklists/{checklist.path.name if checklist.path else checklist.id + '.yaml'}"
    try:
        lines = checklist.path.read_text(encoding="utf-8-sig").splitlines() if checklist.path else []
    except (OSError, UnicodeDecodeError):
        lines = []
    for number, text in enumerate(lines, 1):
        if text.startswith(("reviewed:", "review_every:")):
            return Location(name, number)
    return Location(name)
