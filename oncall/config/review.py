"""Warnings for checklists past their review date (the rule is ``Checklist.overdue_days``)."""

from __future__ import annotations

from datetime import date

from oncall.config import codes
from oncall.errors import Location, Problem
from oncall.model import Org


def stale_checklists(org: Org, today: date) -> list[Problem]:
    """A warning for each checklist that is stale on ``today`` (the caller's calendar date), and
    for each that says how often to review but not when it last was."""
    problems = []
    for checklist in org.checklists.values():
        if checklist.review_every is None:
            continue
        where = checklist.review_location or Location(f"checklists/{checklist.id}.yaml")
        if checklist.reviewed is None:
            problems.append(Problem(
                f"checklist {checklist.id!r} has review_every but no `reviewed:` date; "
                f"write the date of its last review, e.g. reviewed: {today.isoformat()}", where, "warning",
                codes.STALE_CHECKLIST))
            continue
        if checklist.overdue_days(today) is not None:
            assert checklist.review_due is not None
            problems.append(Problem(
                f"checklist {checklist.id!r} was due for review on {checklist.review_due.isoformat()} (reviewed "
                f"{checklist.reviewed.isoformat()}, review_every {checklist.review_every}); review it "
                f"and set reviewed: {today.isoformat()}", where, "warning", codes.STALE_CHECKLIST))
    return problems
