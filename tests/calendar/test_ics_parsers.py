"""Real parsers read every exported file, and every event's instants are the engine's shifts.

``ical`` is strict (pydantic models of RFC 5545); ``vobject`` reads times the way Outlook does;
``icalendar`` is the library the export is built with. The org spans the DST changes of New York,
London and Sydney.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from ics_helpers import NOW, WINDOW, epoch, expected_shifts

from oncall.calendar.ics import export_calendar, uid_for
from oncall.engine import generate
from oncall.model import Org


def _export(org: Org, person: str | None = None, schedules: list[str] | None = None) -> tuple[bytes, list]:
    shifts = generate(org, *WINDOW, schedules=schedules, person=person).shifts
    data = export_calendar(org, shifts, name="On call", now=NOW)
    expected = [s for s in expected_shifts(org, *WINDOW) if person is None or s.person == person]
    if schedules:
        expected = [s for s in expected if s.schedule in schedules]
    return data, expected


def _ts(value: object) -> int:
    assert isinstance(value, datetime), f"an exported instant must be a date-time, not {value!r}"
    assert value.tzinfo is not None, "an exported instant must not be floating"
    return int(value.timestamp())


def _want(expected: list) -> list[tuple[str, int, int]]:
    return sorted((uid_for(s.schedule, s.start, s.person), s.start, s.end) for s in expected)


SELECTIONS = [
    pytest.param({}, id="all"),
    pytest.param({"person": "bob"}, id="person-bob"),
    pytest.param({"schedules": ["sydney"]}, id="schedule-sydney"),
]


@pytest.mark.parametrize("selection", SELECTIONS)
def test_ical_strict_parser_reads_the_engine_shifts(org: Org, selection: dict) -> None:
    from ical.calendar_stream import IcsCalendarStream
    from ical.event import EventStatus

    data, expected = _export(org, **selection)
    calendar = IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
    got = sorted((e.uid, _ts(e.dtstart), _ts(e.dtend)) for e in calendar.events)
    assert got == _want(expected)
    assert len(expected) > 20
    for event in calendar.events:
        assert event.transparency is not None and event.transparency.upper() == "TRANSPARENT"
        assert event.status == EventStatus.CONFIRMED
        assert event.summary and event.summary.startswith("On call: Primary, ")


@pytest.mark.parametrize("selection", SELECTIONS)
def test_vobject_reads_the_engine_shifts(org: Org, selection: dict) -> None:
    import vobject

    data, expected = _export(org, **selection)
    calendar = vobject.readOne(data.decode("utf-8"))
    events = calendar.vevent_list
    got = sorted((e.uid.value, _ts(e.dtstart.value), _ts(e.dtend.value)) for e in events)
    assert got == _want(expected)
    names = {e.summary.value.split(" — ")[1] for e in events}
    assert names <= {"Alice Park, SRE", "Bob Łukasz; ops", "キャロル 🚀", "Dave \\ O'Brien"}
    assert calendar.contents["x-wr-calname"][0].value == "On call"


def test_icalendar_reads_back_every_property(org: Org) -> None:
    from icalendar import Calendar, Event

    data, expected = _export(org)
    calendar = Calendar.from_ical(data)
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["X-PUBLISHED-TTL"]) == "PT1H"
    assert calendar["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    events = [e for e in calendar.walk("VEVENT") if isinstance(e, Event)]
    got = sorted((str(e["UID"]), _ts(e.start), _ts(e.end)) for e in events)
    assert got == _want(expected)
    bob = next(e for e in events if "Bob" in str(e["SUMMARY"]))
    assert "Bob Łukasz; ops" in str(bob["SUMMARY"])
    assert "oncall ready --checklist primary" in str(bob["DESCRIPTION"])


def test_handoffs_stay_on_the_local_wall_clock_across_dst(org: Org) -> None:
    """The weekly 09:00 handoff reads 09:00 local on both sides of each zone's changes."""
    import vobject

    data, expected = _export(org)
    calendar = vobject.readOne(data.decode("utf-8"))
    by_start = {(e.contents["x-oncall-schedule"][0].value, int(e.dtstart.value.timestamp())): e
                for e in calendar.vevent_list}
    for schedule, tz, before, after in [
        ("new-york", "America/New_York", "2026-03-02T09:00", "2026-03-09T09:00"),
        ("new-york", "America/New_York", "2026-10-26T09:00", "2026-11-02T09:00"),
        ("london", "Europe/London", "2026-03-23T09:00", "2026-03-30T09:00"),
        ("sydney", "Australia/Sydney", "2026-03-30T09:00", "2026-04-06T09:00"),
        ("sydney", "Australia/Sydney", "2026-09-28T09:00", "2026-10-05T09:00"),
    ]:
        for wall in (before, after):
            start = epoch(wall, tz)
            assert (schedule, start) in by_start, (schedule, wall)
            event = by_start[schedule, start]
            assert event.uid.value == uid_for(schedule, start, event.contents["x-oncall-person"][0].value)
            assert event.dtstart.value.tzinfo == UTC or event.dtstart.value.utcoffset().total_seconds() == 0
        # The two handoffs are a week of wall clock apart, so 167 or 169 hours apart in fact.
        gap = epoch(after, tz) - epoch(before, tz)
        assert gap in (167 * 3600, 169 * 3600), (schedule, before, gap)
