"""``oncall rotation add|remove``: every shift that starts before T stays exactly as it was; from T
the new order, starting with whoever was due at T; comments kept; --dry-run writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from freezegun import freeze_time

from tests.contract.conftest import Oncall, assert_one_error_line, generate, shifts, write_root

PEOPLE = """\
people:
  a: {name: A}
  b: {name: B}
  c: {name: C}
  d: {name: D}
  e: {name: E}
"""

WEEKLY = """\
# the primary pager
timezone: America/New_York
layers:
  - name: weekly          # Monday handoffs
    people: [a, b, c]     # in turn
    start: 2026-01-05T09:00
    every: 1w
    {extra}
"""

WINDOW = ("--from", "2026-02-01T00:00Z", "--to", "2026-05-01T00:00Z")


def org(tmp_path: Path, schedule: str, people: str = PEOPLE) -> Path:
    return write_root(tmp_path / "root", {"schedules/people.yaml": people, "schedules/s.yaml": schedule})


def whole_shifts(oncall: Oncall, root: Path) -> list[dict[str, str]]:
    return list(generate(oncall, root, *WINDOW)["shifts"])


def weekly_people(oncall: Oncall, root: Path, start: str, weeks: int) -> list[str]:
    """Who holds each Monday-09:00 week from ``start`` (a UTC instant of a handoff)."""
    got = shifts(oncall, root, "--from", start, "--to", "2026-06-01T00:00Z")
    out: list[str] = []
    for _, person, first, last in got:
        from datetime import datetime
        length = (datetime.fromisoformat(last.replace("Z", "+00:00"))
                  - datetime.fromisoformat(first.replace("Z", "+00:00"))).days
        out += [person] * max(1, round(length / 7))
    return out[:weeks]


def edit(oncall: Oncall, root: Path, *args: str) -> None:
    result = oncall("--root", str(root), "rotation", *args)
    assert result.code == 0, result.err


def unchanged_before(before: list[dict[str, str]], after: list[dict[str, str]], at: str) -> None:
    """Every shift that starts before ``at`` (an ISO instant) is exactly as it was."""
    from tests.contract.conftest import utc
    early = [s for s in before if utc(s["start"]) < at]  # type: ignore[operator]
    assert early and [s for s in after if utc(s["start"]) < at] == early  # type: ignore[operator]


# 2026-01-05 + 9 weeks = 2026-03-09 09:00 EDT (13:00Z): turn 9, 9 mod 3 = 0 -> a is due
AT = "2026-03-09T13:00:00Z"


@pytest.mark.parametrize(("args", "expected"), [
    (["add", "d", "--after", "b"], ["a", "b", "d", "c", "a", "b"]),
    (["add", "d"], ["a", "b", "c", "d", "a", "b"]),
    (["add", "d", "--after", "c"], ["a", "b", "c", "d", "a", "b"]),
    (["remove", "a"], ["b", "c", "b", "c", "b", "c"]),  # a was due: the next in the old order, b
    (["remove", "c"], ["a", "b", "a", "b", "a", "b"]),
    (["remove", "b"], ["a", "c", "a", "c", "a", "c"]),
])
def test_from_t_the_new_order_goes_on_with_whoever_was_due(oncall: Oncall, tmp_path: Path, args: list[str],
                                                           expected: list[str]) -> None:
    root = org(tmp_path, WEEKLY.format(extra=""))
    before = whole_shifts(oncall, root)
    edit(oncall, root, *args, "--schedule", "s", "--at", "2026-03-09T09:00")
    unchanged_before(before, whole_shifts(oncall, root), AT)
    assert weekly_people(oncall, root, AT[:16] + "Z", 6) == expected


def test_an_offset_layer_keeps_its_offset_counting(oncall: Oncall, tmp_path: Path) -> None:
    root = org(tmp_path, WEEKLY.format(extra="offset: 1"))
    # turn 9 with offset 1: people[(9 + 1) mod 3] = b is due
    before = whole_shifts(oncall, root)
    edit(oncall, root, "add", "d", "--after", "b", "--schedule", "s", "--at", "2026-03-09T09:00")
    unchanged_before(before, whole_shifts(oncall, root), AT)
    assert weekly_people(oncall, root, AT[:16] + "Z", 5) == ["b", "d", "c", "a", "b"]


def test_covered_advance_and_windows_carry_over(oncall: Oncall, tmp_path: Path) -> None:
    root = org(tmp_path, """\
timezone: America/New_York
layers:
  - name: days
    people: [a, b, c]
    start: 2026-03-09T09:00
    every: 1d
    advance: covered
    only: [{days: [mon, tue, wed, thu, fri], from: "09:00", to: "17:00"}]
""")
    before = whole_shifts(oncall, root)
    # Mon 9 a, Tue b, Wed c, Thu a, Fri b; Mon 16 c is due: from then c, a, d, b, c, a...
    edit(oncall, root, "add", "d", "--after", "a", "--schedule", "s", "--at", "2026-03-16T09:00")
    unchanged_before(before, whole_shifts(oncall, root), "2026-03-16T13:00:00Z")
    got = [s[1] for s in shifts(oncall, root, "--from", "2026-03-16T04:00Z", "--to", "2026-03-24T04:00Z")]
    assert got == ["c", "a", "d", "b", "c", "a"]


def test_time_off_in_the_layer_keeps_shifts_before_t(oncall: Oncall, tmp_path: Path) -> None:
    people = PEOPLE.replace("b: {name: B}", "b: {name: B, time_off: [{from: 2026-03-20, to: 2026-03-31}]}")
    root = org(tmp_path, WEEKLY.format(extra=""), people)
    before = whole_shifts(oncall, root)
    edit(oncall, root, "add", "d", "--after", "b", "--schedule", "s", "--at", "2026-03-16T09:00")
    after = whole_shifts(oncall, root)
    unchanged_before(before, after, "2026-03-16T13:00:00Z")
    # From 16 March: b (due), d, c... b is off from 20 March (UTC, the default): d, the next in the
    # new order, covers
    got = [(s[1], s[2]) for s in shifts(oncall, root, "--from", "2026-03-16T13:00Z", "--to", "2026-04-06T13:00Z")]
    assert got == [("b", "2026-03-16T13:00:00Z"), ("d", "2026-03-20T00:00:00Z"), ("c", "2026-03-30T13:00:00Z")]


def test_comments_and_the_rest_of_the_file_are_kept(oncall: Oncall, tmp_path: Path) -> None:
    schedule = WEEKLY.format(extra="") + "overrides:\n  - {person: e, from: 2026-04-01T00:00, to: 2026-04-02T00:00}  # x\n"
    root = org(tmp_path, schedule)
    edit(oncall, root, "add", "d", "--schedule", "s", "--at", "2026-03-09T09:00")
    text = (root / "schedules" / "s.yaml").read_text()
    for line in schedule.splitlines():
        assert line in text.splitlines()
    assert "# the primary pager" in text and "# Monday handoffs" in text and "# in turn" in text


def test_dry_run_shows_the_edit_and_the_changed_shifts_and_writes_nothing(oncall: Oncall, tmp_path: Path) -> None:
    root = org(tmp_path, WEEKLY.format(extra=""))
    path = root / "schedules" / "s.yaml"
    text = path.read_text()
    result = oncall("--root", str(root), "rotation", "add", "d", "--schedule", "s", "--at", "2026-03-09T09:00",
                    "--dry-run")
    assert result.code == 0, result.err
    assert path.read_text() == text
    assert "+" in result.out and "people:" in result.out  # the edit
    assert "D" in result.out  # d's first turn (30 March) is among the changed shifts


@freeze_time("2026-03-04T12:00:00Z")
def test_t_defaults_to_the_layers_first_handoff_after_now(oncall: Oncall, tmp_path: Path) -> None:
    root = org(tmp_path, WEEKLY.format(extra=""))
    edit(oncall, root, "remove", "a", "--schedule", "s")
    # now is Wed 4 March: the first handoff after it is Mon 9 March, a's turn, which goes to b
    assert weekly_people(oncall, root, "2026-03-02T14:00Z", 4) == ["c", "b", "c", "b"]


@pytest.mark.parametrize("at", ["2026-03-10T09:00", "2026-03-09T10:00", "2026-03-09T09:00:01"])
def test_t_must_be_a_handoff(oncall: Oncall, tmp_path: Path, at: str) -> None:
    root = org(tmp_path, WEEKLY.format(extra=""))
    path = root / "schedules" / "s.yaml"
    text = path.read_text()
    assert_one_error_line(oncall("--root", str(root), "rotation", "add", "d", "--schedule", "s", "--at", at),
                          "handoff")
    assert path.read_text() == text
