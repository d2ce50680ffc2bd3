"""schedule diff: rotation changes with the date of their first effect (even beyond the window),
and why each shift change happens (override added, time off, holiday, rotation change)."""

from __future__ import annotations

import json
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from freezegun import freeze_time

from oncall.edit.diff import diff, rotation_changes, why
from oncall.holidays import FixedHolidays
from oncall.model import Reason, Schedule
from tests.engine.build import layer, org, override, person, schedule, utc, window

from .conftest import Runner, make_root

NY = "America/New_York"
WEEK = 7 * 86400


def _twelve(**changes: object) -> str:
    """Twelve people weekly from Monday 2026-11-16 (turn 1 is on now, 2026-11-26)."""
    people = changes.pop("people", ", ".join(f"p{i:02d}" for i in range(1, 13)))
    return ("name: Twelve\ntimezone: America/New_York\nlayers:\n  - name: weekly\n"
            f"    people: [{people}]\n    start: 2026-11-16T09:00\n    every: 1w\n")


TWELVE_PEOPLE = "people:\n" + "".join(f"  p{i:02d}:\n    name: Person {i}\n" for i in range(1, 13))


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false",
                    *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture
def twelve(tmp_path: Path) -> Path:
    root = make_root(tmp_path / "org", {"payments": _twelve()}, people=TWELVE_PEOPLE)
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "twelve")
    return root


def _remove_p12(root: Path) -> None:
    people = ", ".join(f"p{i:02d}" for i in range(1, 12))
    (root / "schedules" / "payments.yaml").write_text(_twelve(people=people))


# --- the twelve-person rotation: the first effect lies past the default window ----------------


def test_removing_someone_says_when_it_first_changes_who_is_on_call(twelve: Path, run: Runner) -> None:
    _remove_p12(twelve)
    with freeze_time("2026-11-26 12:00:00"):
        table = run("schedule", "diff", "--exit-code", root=twelve)
        data = json.loads(run("schedule", "diff", "-f", "json", root=twelve).out)
        markdown = run("schedule", "diff", "-f", "markdown", root=twelve).out
    # Turn 11 (2027-02-01) was p12's; without p12 it is p01's. The default window ends 2027-01-21.
    assert "No shift changes between" in table.out
    assert ("removing p12 from payments/weekly first changes who is on call on 2027-02-01 (after this window)"
            in " ".join(table.out.split()))
    assert table.code == 1  # --exit-code: something changes, later
    [change] = data["changes"]
    assert change == {"kind": "rotation-change", "schedule": "payments", "layer": "weekly",
                      "first_effect": "2027-02-01T09:00:00-05:00",
                      "summary": "removing p12 from payments/weekly first changes who is on call on 2027-02-01"}
    assert "#### Rotation changes" in markdown
    assert ("- removing p12 from payments/weekly first changes who is on call on 2027-02-01 (after this window)"
            in markdown)


def test_a_wide_enough_window_shows_the_shift_too(twelve: Path, run: Runner) -> None:
    _remove_p12(twelve)
    with freeze_time("2026-11-26 12:00:00"):
        data = json.loads(run("schedule", "diff", "--to", "2027-02-10", "-f", "json", root=twelve).out)
    moved = [c for c in data["changes"] if c["kind"] == "moved"]
    assert moved[0]["start"] == "2027-02-01T09:00:00-05:00"
    assert (moved[0]["before"], moved[0]["after"], moved[0]["why"]) == ("p12", "p01", ["removes p12 from layer weekly"])
    [late] = [c for c in data["changes"] if c["kind"] == "rotation-change"]
    assert late["first_effect"] == moved[0]["start"]


def test_no_change_no_rotation_change(twelve: Path, run: Runner) -> None:
    with freeze_time("2026-11-26 12:00:00"):
        result = run("schedule", "diff", "--exit-code", "-f", "json", root=twelve)
    assert result.code == 0 and json.loads(result.out)["changes"] == []


def test_the_why_column_in_markdown(twelve: Path, run: Runner) -> None:
    path = twelve / "schedules" / "payments.yaml"
    path.write_text(_twelve() + "overrides:\n  - person: p05\n    from: 2026-12-01T09:00\n    to: 2026-12-02T09:00\n")
    with freeze_time("2026-11-26 12:00:00"):
        markdown = run("schedule", "diff", "-f", "markdown", root=twelve).out
        table = run("schedule", "diff", root=twelve).out
    assert "| From | To | Length | Before | After | Why |" in markdown
    assert "| Tue 2026-12-01 09:00 EST | Wed 2026-12-02 09:00 EST | 1d | Person 3 | Person 5 | override added |" \
        in markdown
    assert "Rotation changes" not in markdown  # an override is no rotation change
    assert "override added" in table


# --- rotation changes on the model ---------------------------------------------------------------


START = utc("2026-11-26T12:00Z")


def _changes(old_layer, new_layer, tz: str = NY):
    old, new = schedule(tz, old_layer), schedule(tz, new_layer)
    return rotation_changes(org(old, new), old, new, START)


def _summary(found, both) -> str:
    return found.summary(both)


def test_each_kind_of_layer_change_is_named() -> None:
    base = layer("a,b,c", "2026-01-05T09:00", "1w", name="weekly")
    cases = {
        "reordering the people of s/weekly": replace(base, people=("b", "a", "c")),
        "adding d to s/weekly": replace(base, people=("a", "b", "c", "d")),
        "changing the start of s/weekly from 2026-01-05 09:00 to 2026-01-06 09:00":
            replace(base, start=base.start.replace(day=6)),
        "changing the turn length of s/weekly from 1w to 2w": layer("a,b,c", "2026-01-05T09:00", "2w", name="weekly"),
        "changing the offset of s/weekly from 0 to 1": replace(base, offset=1),
        "changing the timezone of s/weekly from none to Europe/London": replace(base, timezone="Europe/London"),
        "changing the windows of s/weekly": replace(base, only=(window("mon", "09:00", "17:00"),)),
    }
    for phrase, changed in cases.items():
        old, new = schedule(NY, base), schedule(NY, changed)
        both = org(old, new)
        [found] = rotation_changes(both, old, new, START)
        assert found.summary(both).startswith(phrase), (phrase, found.summary(both))


def test_several_changes_to_one_layer_are_one_sentence() -> None:
    base = layer("a,b,c", "2026-01-05T09:00", "1w", name="weekly")
    old, new = schedule(NY, base), schedule(NY, replace(base, people=("a", "b"), offset=1))
    both = org(old, new)
    [found] = rotation_changes(both, old, new, START)
    assert found.summary(both) == ("removing c from s/weekly and changing its offset from 0 to 1 first change who is "
                                   "on call on 2026-11-30")  # turn 46 is b's either way


def test_layers_added_and_removed() -> None:
    weekly = layer("a,b", "2026-01-05T09:00", "1w", name="weekly")
    nights = layer("c,d", "2026-01-05T09:00", "1d", name="nights", only=(window("all", "22:00", "06:00"),))
    old, new = schedule(NY, weekly), schedule(NY, weekly, nights)
    both = org(old, new)
    [added] = rotation_changes(both, old, new, START)
    assert added.summary(both) == "adding the layer s/nights first changes who is on call on 2026-11-26"
    assert added.first_effect == utc("2026-11-27T03:00Z")  # its first window opens at 22:00 EST
    [removed] = rotation_changes(both, new, old, START)
    assert removed.layer == "nights" and removed.first_effect == utc("2026-11-27T03:00Z")  # 22:00 EST


def test_a_change_nobody_sees_has_no_first_effect() -> None:
    # The lower layer is covered everywhere by the one above it: reordering it changes nothing.
    hidden = layer("a,b", "2026-01-05T09:00", "1w", name="hidden")
    top = layer("c", "2026-01-05T09:00", "1w", name="top")
    old = schedule(NY, hidden, top)
    new = schedule(NY, replace(hidden, people=("b", "a")), top)
    both = org(old, new)
    [found] = rotation_changes(both, old, new, START)
    assert found.first_effect is None
    assert found.summary(both) == "reordering the people of s/hidden changes nobody's shifts in the next 800 days"
    assert not diff(both, org(new), START, START + 8 * WEEK)  # nothing changes who is on call


def test_unchanged_layers_are_not_listed() -> None:
    same = layer("a,b", "2026-01-05T09:00", "1w", name="weekly")
    old, new = schedule(NY, same), schedule(NY, replace(same, location=None))
    assert rotation_changes(org(old), old, new, START) == []


# --- why ------------------------------------------------------------------------------------------


def test_why_from_the_engine_reasons() -> None:
    own = Reason("layer", "weekly")
    assert why({own}, {Reason("override", note="swap")}) == ("override added",)
    assert why({Reason("override")}, {own}) == ("override removed",)
    assert why({own}, {Reason("cover", "weekly", "a")}) == ("time off",)
    assert why({own}, {Reason("holiday", "weekly", "a")}) == ("holiday",)
    assert why({own}, {Reason("layer", "nights")}) == ("rotation change",)
    assert why({own}, {own}) == ("rotation change",)


def test_why_time_off_and_holiday_end_to_end() -> None:
    weekly = layer("a,b", "2026-01-05T09:00", "1w", name="weekly", skip_holidays="people")
    sched = schedule(NY, weekly)
    calm = org(sched, people=(person("a", NY, country="US"), person("b", NY)), holidays=FixedHolidays({}))
    away = org(sched, people=(person("a", NY, off=(("2026-11-30", "2026-11-30"),)), person("b", NY)),
               holidays=FixedHolidays({}))
    holiday = org(sched, people=(person("a", NY, country="US"), person("b", NY)),
                  holidays=FixedHolidays({"US": ["2026-11-30"]}))
    window_ = (utc("2026-11-29T00:00Z"), utc("2026-12-02T00:00Z"))
    [off] = diff(calm, away, *window_).changes
    assert (off.before, off.after, off.why) == ("a", "b", ("time off",))
    # a's own holiday (Monday 2026-11-30) until 09:00, when b's turn begins anyway: b covers it.
    skipped = diff(calm, holiday, *window_).changes
    assert [(c.before, c.after, c.why) for c in skipped] == [("a", "b", ("holiday",))]
    moved = org(replace(sched, overrides=(override("b", "2026-11-29T12:00", "2026-11-29T13:00", NY),)),
                people=(person("a", NY), person("b", NY)), holidays=FixedHolidays({}))
    [swap] = diff(calm, moved, *window_).changes
    assert swap.why == ("override added",)


def test_changes_to_several_layers_are_judged_together() -> None:
    # A rotation continued by a new layer from 2027-01-04 (turn 52, a's): the old layer's end alone
    # would open a gap, but with the new layer nothing changes until the newcomer's first turn.
    old_layer = layer("a,b", "2026-01-05T09:00", "1w", name="weekly")
    ended = replace(old_layer, end=old_layer.start.replace(year=2027, month=1, day=4))
    same = layer("a,b", "2027-01-04T09:00", "1w", name="weekly-2027")
    grown = layer("a,b,c", "2027-01-04T09:00", "1w", name="weekly-2027")
    old = schedule(NY, old_layer)
    for continued, effect in ((same, None), (grown, utc("2027-01-18T14:00Z"))):
        new = schedule(NY, ended, continued)
        both = org(old, new)
        found = rotation_changes(both, old, new, START)
        assert [(r.layer, r.first_effect) for r in found] == [("weekly", effect), ("weekly-2027", effect)]
    assert found[1].summary(both) == ("adding the layer s/weekly-2027, with the other rotation changes to s, first "
                                      "changes who is on call on 2027-01-18")


# --- why: people added to or removed from a layer -------------------------------------------------


def _whys(old: Schedule, new: Schedule) -> set[tuple[str, ...]]:
    return {c.why for c in diff(org(old), org(new), START, START + 20 * WEEK).changes}


def test_a_continued_layer_says_who_joined_or_left() -> None:
    # What `rotation add` and `rotation remove` write: the layer ends at a handoff and a layer with
    # the new list (and the offset keeping the person due then first) continues it from there.
    weekly = layer("a,b,c", "2026-01-05T09:00", "1w", name="weekly")
    ended = replace(weekly, end=weekly.start.replace(year=2026, month=11, day=30))
    joined = layer("a,b,c,d", "2026-11-30T09:00", "1w", name="weekly-from-2026-11-30", offset=1)
    left = layer("a,c", "2026-11-30T09:00", "1w", name="weekly-from-2026-11-30", offset=1)
    assert _whys(schedule(NY, weekly), schedule(NY, ended, joined)) == {("adds d to layer weekly",)}
    assert _whys(schedule(NY, weekly), schedule(NY, ended, left)) == {("removes b from layer weekly",)}
    # Two such edits between the revisions: each continuing layer says what changed from the first.
    again = replace(joined, end=joined.start.replace(month=12, day=14))
    both_ways = layer("a,c,d", "2026-12-14T09:00", "1w", name="weekly-from-2026-12-14", offset=1)
    assert _whys(schedule(NY, weekly), schedule(NY, ended, again, both_ways)) == {
        ("adds d to layer weekly",), ("adds d to layer weekly", "removes b from layer weekly")}


def test_people_changed_in_place_say_so_too() -> None:
    weekly = layer("a,b,c", "2026-01-05T09:00", "1w", name="weekly")
    assert _whys(schedule(NY, weekly), schedule(NY, replace(weekly, people=("a", "b", "c", "d"), offset=2))) == {
        ("adds d to layer weekly",)}
    assert _whys(schedule(NY, weekly), schedule(NY, replace(weekly, people=("a", "b", "d")))) == {
        ("adds d to layer weekly", "removes c from layer weekly")}


def test_other_rotation_changes_stay_a_rotation_change() -> None:
    weekly = layer("a,b,c", "2026-01-05T09:00", "1w", name="weekly")
    ended = replace(weekly, end=weekly.start.replace(year=2026, month=11, day=30))
    for changed in (
        replace(weekly, people=("b", "a", "c")),  # reordered: nobody joined or left
        replace(weekly, people=("a", "b", "c", "d"), start=weekly.start.replace(day=6)),  # and a new start
    ):
        assert _whys(schedule(NY, weekly), schedule(NY, changed)) == {("rotation change",)}
    for continued in (
        layer("a,b,c,d", "2026-11-30T09:00", "1d", name="daily"),  # another turn length
        layer("a,b,c,d", "2026-12-01T09:00", "1w", name="late"),  # not where the old layer ends
    ):
        assert _whys(schedule(NY, weekly), schedule(NY, ended, continued)) == {("rotation change",)}
    # A continuing layer starting off the old layer's handoffs is no plain membership change.
    off_beat = replace(weekly, end=weekly.start.replace(year=2026, month=11, day=29))  # a Sunday
    assert _whys(schedule(NY, weekly), schedule(
        NY, off_beat, layer("a,b,c,d", "2026-11-29T09:00", "1w", name="weekly-2", offset=1))) == {("rotation change",)}


def test_rotation_remove_then_schedule_diff_says_who_left(twelve: Path, run: Runner) -> None:
    with freeze_time("2026-11-26 12:00:00"):
        removed = run("rotation", "remove", "p05", "--schedule", "payments", "--at", "2026-12-07", root=twelve)
        assert removed.code == 0, removed.err
        data = json.loads(run("schedule", "diff", "--to", "2027-04-01", "-f", "json", root=twelve).out)
        markdown = run("schedule", "diff", "--to", "2027-04-01", "-f", "markdown", root=twelve).out
    moved = [c for c in data["changes"] if c["kind"] == "moved"]
    assert moved and {tuple(c["why"]) for c in moved} == {("removes p05 from layer weekly",)}
    assert "| removes p05 from layer weekly |" in markdown
