"""Neighbours and real bounds of shifts come with the shifts from the engine: the export never
asks the engine again, and the same shift makes the same event in any window.

The golden files cover windows that cut shifts at both ends, a ``--person`` selection, gaps every
night (the office schedule), covers for time off, and a revision with changed and cancelled events.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ics_helpers import HERE, NOW, WINDOW, dst_org, epoch

import oncall.engine.timeline
from oncall.calendar.ics import export_calendar, read_events
from oncall.engine import generate
from oncall.model import Interval, Layer, Org, Override, Schedule, Window
from oncall.times import parse_duration

GOLDEN = HERE / "golden"
# Cuts a weekly shift at each end and spans the March and April DST changes of all three zones.
CUT = (epoch("2026-03-04T15:00"), epoch("2026-04-15T12:00"))
Export = Callable[..., bytes]


def gappy_org() -> Org:
    """The DST org and a business-hours schedule: gaps every night and weekend, a weekend
    override with gaps on both sides, and covers for alice's time off (a week more of it)."""
    org = dst_org()
    alice = org.people["alice"]
    week_off = Interval(epoch("2026-03-16T00:00", "Europe/London"), epoch("2026-03-21T00:00", "Europe/London"))
    people = {**org.people, "alice": replace(alice, time_off=(*alice.time_off, week_off))}
    office = Schedule(
        "office", "Europe/London",
        (Layer("days", ("alice", "bob", "dave"), datetime(2026, 1, 5, 9), parse_duration("1d"),
               only=(Window(frozenset(range(5)), 9 * 60, 17 * 60),)),),
        name="Office hours, London", checklist="primary",
        overrides=(Override("carol", epoch("2026-03-21T10:00", "Europe/London"),
                            epoch("2026-03-21T14:00", "Europe/London")),),
    )
    return Org(org.root, people, {**org.schedules, "office": office}, org.settings)


GAPPY = gappy_org()


def without_time_off(org: Org) -> Org:
    people = {pid: replace(p, time_off=()) for pid, p in org.people.items()}
    return Org(org.root, people, org.schedules, org.settings)


def scenarios(org: Org) -> Iterator[tuple[str, bytes]]:
    """Each golden file's name and the bytes the export gives for it."""
    def run(org: Org, start: int, end: int, *, person: str | None = None, schedules: list[str] | None = None,
            **kwargs: Any) -> bytes:
        timeline = generate(org, start, end, schedules, person)
        return export_calendar(org, timeline.shifts, name="On call", now=NOW, **kwargs)

    everything = run(org, *CUT)
    yield "dst_all.ics", everything
    yield "dst_person_bob.ics", run(org, *CUT, person="bob")
    yield "dst_sydney.ics", run(org, *CUT, schedules=["sydney"])
    # Alice's time off is gone and the window moved on ten days: changed and cancelled events.
    later = (CUT[0], CUT[1] + 10 * 86400)
    yield "dst_revised.ics", run(without_time_off(org), *later, previous=everything, window=later)


def test_golden_bytes() -> None:
    for name, data in scenarios(gappy_org()):
        golden = GOLDEN / name
        if os.environ.get("UPDATE_GOLDEN"):
            golden.write_bytes(data)
        assert data == golden.read_bytes(), f"{name} changed; check the diff, then UPDATE_GOLDEN=1 to accept"


def test_the_golden_files_say_what_they_are_for() -> None:
    everything = read_events((GOLDEN / "dst_all.ics").read_bytes())
    # Both ends are cut by the window: their events run beyond it, with the engine's neighbours.
    assert min(e.start for e in everything.values()) < CUT[0] < max(e.end for e in everything.values())
    assert max(e.end for e in everything.values()) > CUT[1]
    text = (GOLDEN / "dst_all.ics").read_bytes().decode().replace("\r\n ", "")
    assert "Handoff: nobody is on call just before this shift" in text  # the office's nights
    assert "Nobody is on call just after this shift" in text
    assert "covering Alice Park\\, SRE's time off" in text
    revised = read_events((GOLDEN / "dst_revised.ics").read_bytes())
    assert any(e.cancelled for e in revised.values())
    assert any(e.sequence > everything[uid].sequence for uid, e in revised.items() if uid in everything)


def test_the_export_never_asks_the_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    org = GAPPY
    timeline = generate(org, *WINDOW)
    mine = generate(org, *WINDOW, person="carol")

    def compose(*args: Any) -> Any:
        raise AssertionError("the export asked the engine")

    monkeypatch.setattr(oncall.engine.timeline, "compose", compose)
    assert export_calendar(org, timeline.shifts, name="x", now=NOW)
    assert export_calendar(org, mine.shifts, name="x", now=NOW)


DAY = 86400


@settings(max_examples=25, deadline=None)
@given(start_day=st.integers(min_value=0, max_value=300), start_hour=st.integers(min_value=0, max_value=23),
       days=st.integers(min_value=1, max_value=60), person=st.sampled_from([None, "alice", "bob", "dave"]))
def test_the_same_shift_is_the_same_event_in_any_window(start_day: int, start_hour: int, days: int,
                                                        person: str | None) -> None:
    org = GAPPY
    start = epoch("2026-01-01T00:00") + start_day * DAY + start_hour * 3600
    end = start + days * DAY
    wide = read_events(export_calendar(org, generate(org, start - 40 * DAY, end + 40 * DAY).shifts, name="x", now=NOW))
    narrow = read_events(export_calendar(org, generate(org, start, end, person=person).shifts, name="x", now=NOW))
    assert set(narrow) <= set(wide)
    for uid, event in narrow.items():
        assert event == wide[uid]
    # The order shifts come in does not matter.
    shifts = generate(org, start, end, person=person).shifts
    assert export_calendar(org, shifts[::-1], name="x", now=NOW) == export_calendar(org, shifts, name="x", now=NOW)
