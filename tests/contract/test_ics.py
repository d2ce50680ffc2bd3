"""``schedule generate --format ics``: RFC 5545 that a real parser reads, one VEVENT per shift,
DTSTART/DTEND as UTC instants, UIDs that stay the same across windows, TRANSP:TRANSPARENT."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import icalendar
import pytest

from tests.contract.conftest import Oncall, generate, write_root

PEOPLE = "people:\n  alice: {name: Alice Park}\n  bob: {name: Bob Okafor}\n  carol: {name: Carol Diaz}\n"
SCHEDULE = """\
name: Payments primary
timezone: America/New_York
layers:
  - people: [alice, bob]
    start: 2026-10-26T09:00
    every: 1w
overrides:
  - {person: carol, from: 2026-11-04T12:00, to: 2026-11-04T18:00}
"""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write_root(tmp_path / "root", {"schedules/people.yaml": PEOPLE, "schedules/payments.yaml": SCHEDULE})


def ics(oncall: Oncall, root: Path, start: str, end: str) -> str:
    result = oncall("--root", str(root), "schedule", "generate", "--format", "ics", "--from", start, "--to", end)
    assert result.code == 0, result.err
    return result.out


def events(text: str) -> list[icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(text)
    return [c for c in calendar.walk("VEVENT")]


def test_one_vevent_per_shift_with_utc_instants(oncall: Oncall, root: Path) -> None:
    start, end = "2026-10-26T13:00Z", "2026-11-16T14:00Z"
    text = ics(oncall, root, start, end)
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.rstrip("\r\n").endswith("END:VCALENDAR")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")  # CRLF line ends
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))  # folded lines
    found = events(text)
    shifts = generate(oncall, root, "--from", start, "--to", end)["shifts"]
    assert len(found) == len(shifts) == 5
    got = sorted((e.decoded("DTSTART"), e.decoded("DTEND")) for e in found)
    # New York falls back on Sunday 1 November: 09:00 EDT (13:00Z), then 09:00 EST (14:00Z)
    assert got == [
        (datetime(2026, 10, 26, 13, tzinfo=UTC), datetime(2026, 11, 2, 14, tzinfo=UTC)),
        (datetime(2026, 11, 2, 14, tzinfo=UTC), datetime(2026, 11, 4, 17, tzinfo=UTC)),
        (datetime(2026, 11, 4, 17, tzinfo=UTC), datetime(2026, 11, 4, 23, tzinfo=UTC)),
        (datetime(2026, 11, 4, 23, tzinfo=UTC), datetime(2026, 11, 9, 14, tzinfo=UTC)),
        (datetime(2026, 11, 9, 14, tzinfo=UTC), datetime(2026, 11, 16, 14, tzinfo=UTC)),
    ]
    for line in text.split("\r\n"):
        if line.startswith(("DTSTART", "DTEND")):
            assert line.endswith("Z") and ";" not in line.split(":")[0], line  # UTC, no TZID
    for event in found:
        assert str(event["TRANSP"]) == "TRANSPARENT"
        assert event["UID"] and event.get("DTSTAMP") is not None


def test_uids_stay_the_same_whatever_the_window(oncall: Oncall, root: Path) -> None:
    wide = {str(e["UID"]): (e.decoded("DTSTART"), e.decoded("DTEND"))
            for e in events(ics(oncall, root, "2026-10-20T00:00Z", "2026-11-20T00:00Z"))}
    for start, end in [("2026-11-04T15:00Z", "2026-11-04T20:00Z"), ("2026-11-03T00:00Z", "2026-11-10T00:00Z"),
                       ("2026-10-30T00:00Z", "2026-11-01T00:00Z")]:
        narrow = {str(e["UID"]): (e.decoded("DTSTART"), e.decoded("DTEND"))
                  for e in events(ics(oncall, root, start, end))}
        assert narrow and all(wide.get(uid) == bounds for uid, bounds in narrow.items()), (start, narrow)
    again = {str(e["UID"]) for e in events(ics(oncall, root, "2026-10-20T00:00Z", "2026-11-20T00:00Z"))}
    assert again == set(wide)
    assert len(set(wide)) == len(wide)


def test_ics_to_a_file(oncall: Oncall, root: Path, tmp_path: Path) -> None:
    target = tmp_path / "oncall.ics"
    result = oncall("--root", str(root), "schedule", "generate", "--format", "ics", "--from", "2026-11-01",
                    "--to", "2026-11-10", "--output", str(target))
    assert result.code == 0, result.err
    assert len(events(target.read_bytes().decode())) >= 2
