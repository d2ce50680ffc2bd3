"""Helpers for the calendar tests: an org across DST changes in three zones and the engine's shifts."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from oncall.engine import generate
from oncall.model import Interval, Layer, Org, Override, Person, Schedule, Shift, Window
from oncall.times import parse_duration, wall_to_epoch, zone
from tests.zones import compile_zone as compile_zone  # for the tests of new zone data

HERE = Path(__file__).parent
JS_DIR = HERE.parent / "js"
NOW = int(datetime(2026, 2, 1, 12, 0, tzinfo=UTC).timestamp())
# 2026's DST changes: New York Mar 8 / Nov 1, London Mar 29 / Oct 25, Sydney Apr 5 / Oct 4.
WINDOW = (int(datetime(2026, 2, 23, tzinfo=UTC).timestamp()), int(datetime(2026, 11, 9, tzinfo=UTC).timestamp()))
ZONES = ("America/New_York", "Europe/London", "Australia/Sydney")


def epoch(text: str, tz: str = "UTC") -> int:
    return wall_to_epoch(datetime.fromisoformat(text), zone(tz))


def dst_org() -> Org:
    """Three schedules, one per zone: a weekly 09:00 handoff, a Friday/Saturday night layer that
    crosses midnight (and the 02:00 changes), an override and some time off."""
    people = {
        "alice": Person("alice", "Alice Park, SRE", "alice@example.com", "America/New_York",
                        time_off=(Interval(epoch("2026-03-02T00:00", "America/New_York"),
                                           epoch("2026-03-05T00:00", "America/New_York")),)),
        "bob": Person("bob", "Bob Łukasz; ops", None, "Europe/London"),
        "carol": Person("carol", "キャロル 🚀", None, "Australia/Sydney"),
        "dave": Person("dave", "Dave \\ O'Brien", None, "Europe/London"),
    }
    schedules = {}
    for i, tz in enumerate(ZONES):
        sid = tz.split("/")[1].lower().replace("_", "-")
        schedules[sid] = Schedule(
            id=sid,
            timezone=tz,
            name=f"Primary, {tz.split('/')[1].replace('_', ' ')}",
            checklist="primary",
            layers=(
                Layer("weekly", ("alice", "bob", "carol"), datetime(2026, 1, 5, 9), parse_duration("1w")),
                Layer("nights", ("dave", "bob"), datetime(2026, 1, 2, 22), parse_duration("1d"),
                      only=(Window(frozenset({4, 5}), 22 * 60, 3 * 60),)),
            ),
            overrides=(Override("dave", epoch("2026-06-10T09:00", tz) + i * 3600,
                                epoch("2026-06-11T09:00", tz)),),
        )
    return Org(Path("."), people, dict(sorted(schedules.items())), {})


def expected_shifts(org: Org, start: int, end: int) -> list[Shift]:
    """The engine's shifts that overlap ``[start, end)``, whole: generated over a wider window
    (a month each side is far more than any turn here) and filtered, never clipped."""
    margin = 31 * 86400
    wide = generate(org, start - margin, end + margin).shifts
    return [s for s in wide if s.start < end and s.end > start]




def upload(calendar: object, data: bytes) -> None:
    """Store each VEVENT of ``data`` in a CalDAV calendar as its own resource (CalDAV keeps one UID
    per resource), without METHOD, which belongs to iTIP messages and not to stored events."""
    from icalendar import Calendar

    exported = Calendar.from_ical(data)
    for event in exported.walk("VEVENT"):
        single = Calendar()
        single.add("version", "2.0")
        single.add("prodid", str(exported["PRODID"]))
        single.add_component(event)
        calendar.add_event(single.to_ical().decode("utf-8"), increase_seqno=False)  # type: ignore[attr-defined]


def stored_events(calendar: object, start: int, end: int) -> list[tuple[str, int, int, str, int]]:
    """``(uid, start, end, status, sequence)`` of the events a CalDAV calendar holds in ``[start, end)``."""
    found = calendar.search(  # type: ignore[attr-defined]
        start=datetime.fromtimestamp(start, UTC), end=datetime.fromtimestamp(end, UTC), event=True, expand=False
    )
    out = []
    for resource in found:
        event = resource.icalendar_component
        out.append((str(event["UID"]), int(event.start.timestamp()), int(event.end.timestamp()),
                    str(event.get("STATUS", "")), int(event.get("SEQUENCE", 0))))
    return sorted(out)
