"""One staleness rule for checklists: ``schedule validate``, ``ready`` and notifications agree."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oncall.config.review import stale_checklists
from oncall.model import Checklist, ChecklistItem, Org
from oncall.readiness.runner import review_findings
from oncall.times import Duration

MakeRoot = Callable[..., Path]
ITEM = ChecklistItem(id="a", title="A", kind="env", check={"env": "HOME"})


def checklist(reviewed: date | None, every: Duration | None) -> Checklist:
    return Checklist(id="c", name="C", items=(ITEM,), owner="alice", reviewed=reviewed, review_every=every)


def org(*checklists: Checklist) -> Org:
    return Org(root=Path("."), people={}, schedules={}, checklists={c.id: c for c in checklists})


def test_reviewed_yesterday_every_day_is_stale_today_in_both() -> None:
    today = date(2026, 11, 26)
    cl = checklist(today - timedelta(days=1), Duration(1, "d"))
    [warning] = stale_checklists(org(cl), today)
    assert warning.code == "stale-checklist" and warning.severity == "warning"
    assert "was due for review on 2026-11-26" in warning.message
    [finding] = review_findings([cl], today, 0)
    assert finding.status == "warn" and "(due today)" in finding.message and "alice" in finding.message
    assert stale_checklists(org(cl), today - timedelta(days=1)) == []
    assert review_findings([cl], today - timedelta(days=1), 0) == []


@pytest.mark.parametrize(("every", "due_after_days"), [
    (Duration(1, "s"), 1), (Duration(23, "h"), 1), (Duration(24, "h"), 1), (Duration(36, "h"), 2),
    (Duration(90, "d"), 90), (Duration(2, "w"), 14),
])
def test_review_every_counts_whole_days_rounded_up(every: Duration, due_after_days: int) -> None:
    reviewed = date(2026, 3, 1)
    cl = checklist(reviewed, every)
    assert cl.review_due == reviewed + timedelta(days=due_after_days)
    assert cl.overdue_days(cl.review_due - timedelta(days=1)) is None
    assert cl.overdue_days(cl.review_due) == 0
    assert cl.overdue_days(cl.review_due + timedelta(days=10)) == 10


def test_overdue_is_counted_in_whole_days() -> None:
    cl = checklist(date(2026, 10, 1), Duration(30, "d"))
    [finding] = review_findings([cl], date(2026, 11, 26), 0)
    assert "(overdue by 26 days)" in finding.message
    [finding] = review_findings([cl], date(2026, 11, 1), 0)
    assert "(overdue by 1 day)" in finding.message


def test_no_rule_without_both_dates() -> None:
    assert checklist(None, None).review_due is None and checklist(date(2026, 1, 1), None).overdue_days(
        date(2030, 1, 1)) is None
    [warning] = stale_checklists(org(checklist(None, Duration(30, "d"))), date(2026, 11, 26))
    assert "has review_every but no `reviewed:` date" in warning.message
    assert review_findings([checklist(None, Duration(30, "d"))], date(2026, 11, 26), 0) == []


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
       st.builds(Duration, st.integers(1, 400), st.sampled_from("smhdw")),
       st.integers(-500, 500))
def test_validate_and_ready_always_agree(reviewed: date, every: Duration, offset: int) -> None:
    today = reviewed + timedelta(days=offset)
    cl = checklist(reviewed, every)
    stale_by_validate = bool(stale_checklists(org(cl), today))
    stale_by_ready = bool(review_findings([cl], today, 0))
    assert stale_by_validate == stale_by_ready == (offset >= max(1, -(-every.seconds // 86400)))


def test_validate_reads_today_in_the_machine_timezone(make_root: MakeRoot, capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from freezegun import freeze_time

    from tests.cli.cli_runner import run_oncall

    text = "reviewed: 2026-11-25\nreview_every: 1d\nitems:\n  - {id: a, check: {env: HOME}}\n"
    root = make_root({"checklists/c.yaml": text})
    seen = {}
    for tz in ("UTC", "America/New_York"):
        monkeypatch.setenv("TZ", tz)
        with freeze_time("2026-11-26 02:00:00"):  # the 26th in UTC, still the 25th in New York
            result = run_oncall(["--root", str(root), "schedule", "validate"], capsys)
        seen[tz] = "was due for review on 2026-11-26" in result.err
    assert seen == {"UTC": True, "America/New_York": False}
