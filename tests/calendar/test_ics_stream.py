"""The streamed export (``stream_calendar``, what ``schedule generate --format ics`` writes) is
the same calendar as the one built whole (``export_calendar``), written one schedule at a time."""

from __future__ import annotations

from ics_helpers import epoch

from oncall.calendar.ics import export_calendar, stream_calendar
from oncall.engine import generate, timelines
from oncall.model import Org

START = epoch("2026-02-20T00:00", "UTC")
END = epoch("2026-04-10T00:00", "UTC")  # across the March changes of all three zones
NOW = epoch("2026-02-01T12:00", "UTC")


def test_streamed_bytes_are_the_whole_export(org: Org) -> None:
    whole = export_calendar(org, generate(org, START, END).shifts, name="On call", now=NOW)
    pieces = list(stream_calendar(org, (t.shifts for t in timelines(org, START, END)), name="On call", now=NOW))
    assert b"".join(pieces) == whole
    # a header, one piece per schedule, the footer
    assert len(pieces) == len(org.schedules) + 2
    assert pieces[-1] == b"END:VCALENDAR\r\n"


def test_one_persons_stream_is_their_export(org: Org) -> None:
    mine = generate(org, START, END, person="bob").shifts
    streamed = stream_calendar(org, (t.shifts for t in timelines(org, START, END, person="bob")),
                               name="On call: bob", now=NOW)
    assert b"".join(streamed) == export_calendar(org, mine, name="On call: bob", now=NOW)


def test_timelines_are_generate_one_schedule_at_a_time(org: Org) -> None:
    each = list(timelines(org, START, END))
    assert [{s.schedule for s in t.shifts} for t in each] == [{sid} for sid in sorted(org.schedules)]
    whole = generate(org, START, END)
    assert [s for t in each for s in t.shifts] == whole.shifts
    assert [g for t in each for g in t.gaps] == whole.gaps
