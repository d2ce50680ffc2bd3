"""The exact bytes of an export: golden file, escaping, folding, identity and revisions."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from ics_helpers import HERE, NOW, WINDOW, epoch

from oncall.calendar.ics import export_calendar, read_events, revision, uid_for
from oncall.engine import generate
from oncall.model import Layer, Org, Override, Person, Reason, Schedule, Shift
from oncall.times import parse_duration

GOLDEN = HERE / "golden"


def small_org() -> Org:
    people = {
        "ana": Person("ana", "Ana María, SRE; on call", timezone="Europe/Madrid"),
        "li": Person("li", "李小龍 🐉", timezone="Asia/Shanghai"),
    }
    schedule = Schedule(
        "db", "Europe/Madrid",
        (Layer("weekly", ("ana", "li"), datetime(2026, 3, 16, 9), parse_duration("1w")),),
        name="Database, primary; EU", checklist="primary",
        overrides=(Override("ana", epoch("2026-03-25T09:00", "Europe/Madrid"), epoch("2026-03-26T09:00", "Europe/Madrid")),),
    )
    return Org(Path("."), people, {"db": schedule}, {})


def small_export(**kwargs: object) -> bytes:
    org = small_org()
    start, end = epoch("2026-03-16T00:00", "Europe/Madrid"), epoch("2026-04-06T00:00", "Europe/Madrid")
    return export_calendar(org, generate(org, start, end).shifts, name="DB on call, EU", now=NOW, **kwargs)  # type: ignore[arg-type]


def test_golden_bytes_of_a_small_calendar() -> None:
    data = small_export()
    golden = GOLDEN / "small.ics"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_bytes(data)
    assert data == golden.read_bytes(), "export changed; check the diff, then UPDATE_GOLDEN=1 to accept"


def test_lines_are_crlf_and_folded_at_75_octets() -> None:
    data = small_export()
    assert data.endswith(b"END:VCALENDAR\r\n")
    lines = data.split(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in lines)
    assert any(line.startswith(b" ") for line in lines), "the descriptions are long enough to fold"
    # Folding never splits a UTF-8 sequence: every physical line decodes on its own.
    for line in lines:
        line.decode("utf-8")


def test_text_is_escaped() -> None:
    text = small_export().decode("utf-8").replace("\r\n ", "")
    assert "SUMMARY:On call: Database\\, primary\\; EU — Ana María\\, SRE\\; on call\r\n" in text
    assert "SUMMARY:On call: Database\\, primary\\; EU — 李小龍 🐉\r\n" in text
    assert "NAME:DB on call\\, EU\r\n" in text and "X-WR-CALNAME:DB on call\\, EU\r\n" in text


def test_calendar_properties() -> None:
    text = small_export().decode("utf-8")
    for line in ("VERSION:2.0", "PRODID:-//oncall//oncall-cli//EN", "METHOD:PUBLISH",
                 "REFRESH-INTERVAL;VALUE=DURATION:PT1H", "X-PUBLISHED-TTL:PT1H"):
        assert f"\r\n{line}\r\n" in text
    assert "VTIMEZONE" not in text and "TZID" not in text
    assert text.count("BEGIN:VEVENT") == text.count("TRANSP:TRANSPARENT") == 5


def test_same_input_same_bytes_and_stamp_from_now() -> None:
    assert small_export() == small_export()
    text = small_export().decode("utf-8")
    assert "DTSTAMP:20260201T120000Z" in text
    assert f"SEQUENCE:{revision(NOW)}" in text


def test_description_says_handoff_reason_and_checklist() -> None:
    events = read_events(small_export())
    override = events[uid_for("db", epoch("2026-03-25T09:00", "Europe/Madrid"), "ana")]
    description = next(line for line in override.lines if line.startswith("DESCRIPTION:")).replace("\\n", "\n")
    assert "takes over from 李小龍 🐉" in description
    assert "Hands over to 李小龍 🐉" in description
    assert "Why: override." in description
    assert "oncall ready --checklist primary" in description


def test_uid_is_the_same_whatever_the_window() -> None:
    org = small_org()
    tz = "Europe/Madrid"
    a = export_calendar(org, generate(org, epoch("2026-03-16T00:00", tz), epoch("2026-04-06T00:00", tz)).shifts,
                        name="x", now=NOW)
    # This window cuts the shift of 2026-03-23 09:00 in half and starts mid-shift.
    b = export_calendar(org, generate(org, epoch("2026-03-24T12:00", tz), epoch("2026-04-02T00:00", tz)).shifts,
                        name="x", now=NOW)
    events_a, events_b = read_events(a), read_events(b)
    assert set(events_b) <= set(events_a)
    for uid, event in events_b.items():
        assert (event.start, event.end, event.lines) == (events_a[uid].start, events_a[uid].end, events_a[uid].lines)


def test_uid_names_the_shift_and_its_holder() -> None:
    org = small_org()
    shift = Shift("db", "ana", epoch("2026-03-16T09:00", "Europe/Madrid"), epoch("2026-03-23T09:00", "Europe/Madrid"))
    other = Shift("db", "li", shift.start, shift.end)
    a = read_events(export_calendar(org, [shift], name="x", now=NOW))
    b = read_events(export_calendar(org, [other], name="x", now=NOW))
    assert list(a) == [uid_for("db", shift.start, "ana")] == ["db-20260316T080000Z-ana@oncall"]
    assert list(b) == [uid_for("db", shift.start, "li")]


def test_previous_file_keeps_unchanged_events_and_bumps_changed_ones() -> None:
    org = small_org()
    start, end = WINDOW[0], WINDOW[0] + 60 * 86400
    first = export_calendar(org, generate(org, start, end).shifts, name="x", now=NOW)
    later = NOW + 3 * 86400
    again = export_calendar(org, generate(org, start, end).shifts, name="x", now=later, previous=first)
    assert again == first, "nothing changed: same bytes, the old DTSTAMP kept"

    changed_schedule = org.schedules["db"].__class__(**{**org.schedules["db"].__dict__, "overrides": ()})
    changed = Org(org.root, org.people, {"db": changed_schedule}, {})
    third = export_calendar(changed, generate(changed, start, end).shifts, name="x", now=later, previous=first,
                            window=(start, end))
    old, new = read_events(first), read_events(third)
    override_uid = uid_for("db", epoch("2026-03-25T09:00", "Europe/Madrid"), "ana")
    assert new[override_uid].cancelled and new[override_uid].sequence > old[override_uid].sequence
    cut = uid_for("db", epoch("2026-03-23T09:00", "Europe/Madrid"), "li")  # li's week is no longer cut short
    assert new[cut].end > old[cut].end and new[cut].sequence > old[cut].sequence
    assert new[cut].stamp == later
    untouched = uid_for("db", epoch("2026-03-16T09:00", "Europe/Madrid"), "ana")
    assert (new[untouched].sequence, new[untouched].stamp) == (old[untouched].sequence, old[untouched].stamp)


def test_shifts_of_unknown_schedules_are_written_as_given() -> None:
    org = small_org()
    shifts = [Shift("elsewhere", "ana", 1_800_000_000, 1_800_003_600, (Reason("override"),)),
              Shift("elsewhere", "zed", 1_800_003_600, 1_800_007_200)]
    events = read_events(export_calendar(org, shifts, name="x", now=NOW))
    assert [(e.start, e.end) for e in events.values()] == [(s.start, s.end) for s in shifts]
    text = export_calendar(org, shifts, name="x", now=NOW).decode("utf-8")
    assert "On call: elsewhere — zed" in text
