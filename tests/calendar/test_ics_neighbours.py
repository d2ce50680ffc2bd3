"""Neighbours and real bounds of shifts: from the timeline's gaps, or from the engine, the same bytes.

The golden files here were written by the export as it was before ``gaps=`` existed (it asked the
engine about every schedule's whole span); every way of calling it now must give those bytes.
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

import oncall.engine
from oncall.calendar.ics import export_calendar, read_events, shift_contexts
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


def scenarios(org: Org, export: Export, gaps: bool) -> Iterator[tuple[str, bytes]]:
    """Each golden file's name and the bytes ``export`` gives for it (with the timeline's gaps
    when ``gaps`` and the selection is a whole schedule)."""
    def run(org: Org, start: int, end: int, *, person: str | None = None, schedules: list[str] | None = None,
            **kwargs: Any) -> bytes:
        timeline = generate(org, start, end, schedules, person)
        if gaps and person is None:
            kwargs["gaps"] = timeline.gaps
        return export(org, timeline.shifts, name="On call", now=NOW, **kwargs)

    everything = run(org, *CUT)
    yield "dst_all.ics", everything
    yield "dst_person_bob.ics", run(org, *CUT, person="bob")
    yield "dst_sydney.ics", run(org, *CUT, schedules=["sydney"])
    # Alice's time off is gone and the window moved on ten days: changed and cancelled events.
    later = (CUT[0], CUT[1] + 10 * 86400)
    yield "dst_revised.ics", run(without_time_off(org), *later, previous=everything, window=later)


@pytest.mark.parametrize("gaps", [True, False], ids=["gaps", "engine"])
def test_golden_bytes_with_and_without_gaps(gaps: bool) -> None:
    for name, data in scenarios(gappy_org(), export_calendar, gaps):
        golden = GOLDEN / name
        if os.environ.get("UPDATE_GOLDEN") and gaps:
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
    assert "covering for Alice Park\\, SRE\\, who is off" in text
    revised = read_events((GOLDEN / "dst_revised.ics").read_bytes())
    assert any(e.cancelled for e in revised.values())
    assert any(e.sequence > everything[uid].sequence for uid, e in revised.items() if uid in everything)


def counting_engine(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """The spans the export asks the real engine about."""
    asked: list[tuple[int, int]] = []
    real = oncall.engine.schedule_timeline

    def schedule_timeline(schedule: Any, people: Any, start: int, end: int) -> Any:
        asked.append((start, end))
        return real(schedule, people, start, end)

    monkeypatch.setattr(oncall.engine, "schedule_timeline", schedule_timeline)
    return asked


def test_with_gaps_the_engine_is_asked_only_about_the_window_edges(monkeypatch: pytest.MonkeyPatch) -> None:
    org = GAPPY
    timeline = generate(org, *WINDOW)
    assert timeline.gaps
    asked = counting_engine(monkeypatch)
    shift_contexts(org, timeline.shifts, timeline.gaps)
    assert 0 < len(asked) <= 2 * len(org.schedules)
    longest = max(end - start for start, end in asked)
    assert longest < 30 * 86400, "a lookup around one shift, not the whole window"


def test_without_gaps_the_engine_is_asked_around_each_open_shift(monkeypatch: pytest.MonkeyPatch) -> None:
    org = GAPPY
    timeline = generate(org, *WINDOW, person="carol")
    asked = counting_engine(monkeypatch)
    shift_contexts(org, timeline.shifts)
    assert asked
    assert sum(end - start for start, end in asked) < len(org.schedules) * (WINDOW[1] - WINDOW[0])


DAY = 86400


@settings(max_examples=25, deadline=None)
@given(start_day=st.integers(min_value=0, max_value=300), start_hour=st.integers(min_value=0, max_value=23),
       days=st.integers(min_value=1, max_value=60), person=st.sampled_from([None, "alice", "bob", "dave"]))
def test_any_window_gives_the_same_bytes_with_gaps_or_engine(start_day: int, start_hour: int, days: int,
                                                             person: str | None) -> None:
    org = GAPPY
    start = epoch("2026-01-01T00:00") + start_day * DAY + start_hour * 3600
    end = start + days * DAY
    everyone = generate(org, start, end)
    timeline = generate(org, start, end, person=person) if person else everyone
    engine_only = export_calendar(org, timeline.shifts, name="x", now=NOW)
    # The gaps are facts about the schedules: they may come with any selection of their shifts.
    for gaps in (timeline.gaps, everyone.gaps):
        assert export_calendar(org, timeline.shifts, gaps=gaps, name="x", now=NOW) == engine_only
    # The order shifts come in does not matter either.
    assert export_calendar(org, timeline.shifts[::-1], gaps=timeline.gaps, name="x", now=NOW) == engine_only
