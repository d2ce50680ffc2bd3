"""The board's statuses from shifts, shared results and the checklist as it is now."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from oncall.config.loader import load_org
from oncall.model import Org
from oncall.readiness.board import all_ready, board, shifts_on_board, wanted
from oncall.readiness.share import Confirmation, SharedItem, SharedResult, checklist_blob
from oncall.times import parse_duration
from tests.engine.build import utc
from tests.team.conftest import write_org

NOW = utc("2026-11-29T12:00Z")
WEEK = 7 * 86400


@pytest.fixture
def org(tmp_path: Path) -> Org:
    write_org(tmp_path, settings="")
    return load_org(tmp_path)


def shared(person: str, at: str, org: Org, *, failing: bool = False, blob: str | None = None,
           confirmed: str | None = "2026-11-20T10:00Z") -> SharedResult:
    status = "fail" if failing else "pass"
    return SharedResult(
        person=person, checked_at=utc(at), checklist="primary",
        checklist_blob=blob or checklist_blob(org.checklists["primary"]),
        items=(SharedItem("python", "Python runs", status, 0.1, ""), SharedItem("playbook", "Read", "pass", 0.0, "")),
        confirmations=(Confirmation("playbook", "I have read the playbook", utc(confirmed)),) if confirmed else (),
    )


def entries(org: Org, results: dict[tuple[str, str], SharedResult]) -> dict[tuple[str, str], tuple[str, str]]:
    shifts = [s for s in shifts_on_board(org, NOW, WEEK) if s.schedule == "primary"]
    blobs = {cid: checklist_blob(c) for cid, c in org.checklists.items()}
    return {(e.person, e.status): (e.why, ",".join(e.failing)) for e in board(org, shifts, results, blobs, NOW)}


def test_shifts_under_way_and_within_the_window_whole(org: Org) -> None:
    shifts = shifts_on_board(org, NOW, WEEK)
    primary = [(s.person, s.start, s.end) for s in shifts if s.schedule == "primary"]
    # alice's shift is under way (its real start), bob's starts tomorrow and ends after the window.
    assert primary == [("alice", utc("2026-11-23T09:00Z"), utc("2026-11-30T09:00Z")),
                       ("bob", utc("2026-11-30T09:00Z"), utc("2026-12-07T09:00Z"))]
    support = [s for s in shifts if s.schedule == "support"]
    assert len(support) == 8 and support[0].start < NOW < support[0].end  # today's, then seven more
    assert [s.start for s in shifts] == sorted(s.start for s in shifts)
    assert wanted(org, shifts) == {("alice", "primary"), ("bob", "primary")}
    assert [s.schedule for s in shifts_on_board(org, NOW, WEEK, ["support"])] == ["support"] * 8


def test_each_status_and_why(org: Org) -> None:
    got = entries(org, {("alice", "primary"): shared("alice", "2026-11-22T09:00Z", org)})
    assert got[("alice", "ready")][0] == "checked 1 week ago; every item passed"
    assert "no shared result for checklist primary" in got[("bob", "unchecked")][0]

    failing = entries(org, {("bob", "primary"): shared("bob", "2026-11-29T08:00Z", org, failing=True)})
    assert failing[("bob", "not-ready")] == ("failing: python (checked 4 hours ago)", "python")

    changed = entries(org, {("bob", "primary"): shared("bob", "2026-11-29T08:00Z", org, failing=True, blob="0" * 40)})
    assert changed[("bob", "stale")][0] == "checklist primary changed since it was checked 4 hours ago"

    old = entries(org, {("bob", "primary"): shared("bob", "2026-11-20T09:00Z", org)})
    assert "older than max_age 7d at the shift's start" in old[("bob", "stale")][0]

    expiring = entries(org, {("bob", "primary"): shared("bob", "2026-11-29T08:00Z", org, confirmed="2026-10-25T10:00Z")})
    assert "confirmation of playbook expires before the shift starts (valid_for 30d" in expiring[("bob", "stale")][0]


def test_max_age_of_the_checklist(org: Org) -> None:
    longer = replace(org, checklists={"primary": replace(org.checklists["primary"], max_age=parse_duration("14d"))})
    got = entries(longer, {("bob", "primary"): shared("bob", "2026-11-20T09:00Z", longer)})
    assert ("bob", "ready") in got
    shorter = replace(org, checklists={"primary": replace(org.checklists["primary"], max_age=parse_duration("1d"))})
    got = entries(shorter, {("bob", "primary"): shared("bob", "2026-11-28T09:00Z", shorter)})
    assert "older than max_age 1d" in got[("bob", "stale")][0]


def test_exit_rule_ignores_shifts_without_a_checklist(org: Org) -> None:
    shifts = shifts_on_board(org, NOW, WEEK)
    blobs = {"primary": checklist_blob(org.checklists["primary"])}
    results = {(p, "primary"): shared(p, "2026-11-29T08:00Z", org) for p in ("alice", "bob")}
    full = board(org, shifts, results, blobs, NOW)
    assert {e.status for e in full} == {"ready", "no-checklist"} and all_ready(full)
    del results[("bob", "primary")]
    assert not all_ready(board(org, shifts, results, blobs, NOW))


def test_json_shape(org: Org) -> None:
    from oncall.times import zone

    shifts = shifts_on_board(org, NOW, WEEK, ["primary"])
    entry = board(org, shifts, {("bob", "primary"): shared("bob", "2026-11-29T08:00Z", org, failing=True)},
                  {}, NOW)[1]
    assert entry.to_json(zone("Europe/Berlin")) == {
        "schedule": "primary", "person": "bob", "start": "2026-11-30T10:00:00+01:00",
        "end": "2026-12-07T10:00:00+01:00", "checklist": "primary", "status": "not-ready",
        "checked_at": "2026-11-29T09:00:00+01:00", "failing": ["python"], "why": "failing: python (checked 4 hours ago)",
    }
