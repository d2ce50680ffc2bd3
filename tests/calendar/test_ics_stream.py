"""The streamed export (``stream_calendar``, what ``schedule generate --format ics`` writes) is
the same calendar as the one built whole (``export_calendar``), written one schedule at a time."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime

from ics_helpers import epoch

from oncall.calendar.ics import export_calendar, stream_calendar
from oncall.engine import generate, timelines
from oncall.model import Layer, Org, Person, Schedule
from oncall.times import parse_duration

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


def test_long_ids_and_percent_signs_stream_as_the_whole_export(org: Org) -> None:
    # The streamed export writes an event's first lines itself when its UID line fits on one line;
    # long ids make a UID line that must be folded, as the whole export folds it. Names with "%"
    # and format-like text are written as they are.
    long_id = "primary-payments-platform-europe-west-and-north-region"
    person_id = "alexandra.konstantinopoulou-papadimitriou"
    people = dict(org.people)
    people[person_id] = Person(person_id, "Alexandra 100% %s %b %%", None, "Europe/London")
    people["bob"] = replace(people["bob"], name="Bob %(name)s 50%")
    long_schedule = Schedule(id=long_id, timezone="Europe/London", name="Payments 24%7", checklist=None,
                             layers=(Layer("weekly", (person_id, "bob"), datetime(2026, 1, 5, 9),
                                           parse_duration("1w")),))
    odd = replace(org, people=people, schedules=dict(sorted({**org.schedules, long_id: long_schedule}.items())))
    whole = export_calendar(odd, generate(odd, START, END).shifts, name="On call", now=NOW)
    streamed = b"".join(stream_calendar(odd, (t.shifts for t in timelines(odd, START, END)), name="On call", now=NOW))
    assert streamed == whole
    unfolded = streamed.replace(b"\r\n ", b"")
    uid = re.compile(rf"UID:{re.escape(long_id)}-\d{{8}}T\d{{6}}Z-{re.escape(person_id)}@oncall\r\n".encode())
    assert uid.search(unfolded) and not uid.search(streamed)  # there, and folded
    assert b"Alexandra 100% %s %b %%" in unfolded and b"Bob %(name)s 50%" in unfolded
