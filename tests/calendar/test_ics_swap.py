"""After a swap, the feed of the person who gave a shift away and the feed of the person who took it
say the same thing in any order: a shift's UID names its holder, so the giver's cancelled event
and the taker's new event are two events, not one UID in two states.

Proved with the real parsers (icalendar, ical, vobject) and a real Radicale server holding both
feeds in one calendar, imported in both orders.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from ics_helpers import NOW, epoch, stored_events, upload

from oncall.calendar.ics import read_events, uid_for
from oncall.calendar.publish import publish
from oncall.model import Layer, Org, Override, Person, Schedule
from oncall.times import parse_duration

TZ = "America/New_York"
WINDOW = (epoch("2026-03-01T00:00", TZ), epoch("2026-04-15T00:00", TZ))
# alice's week (turn 9 of alice, bob, carol from 2026-01-05) and bob's the week after are swapped.
WEEK = (epoch("2026-03-09T09:00", TZ), epoch("2026-03-16T09:00", TZ))
NEXT = (WEEK[1], epoch("2026-03-23T09:00", TZ))
SWAP = (Override("bob", *WEEK, replaces="alice", reason="swap"), Override("alice", *NEXT, replaces="bob", reason="swap"))


def team(*overrides: Override) -> Org:
    people = {pid: Person(pid, pid.title(), f"{pid}@example.com", TZ) for pid in ("alice", "bob", "carol")}
    layer = Layer("weekly", ("alice", "bob", "carol"), datetime(2026, 1, 5, 9), parse_duration("1w"))
    return Org(Path("."), people, {"payments": Schedule("payments", TZ, (layer,), name="Payments",
                                                         overrides=overrides)}, {})


@pytest.fixture
def feeds(tmp_path: Path) -> tuple[bytes, bytes]:
    """alice's and bob's person feeds, published before the swap and again (an hour later) after it."""
    publish(team(), tmp_path, start=WINDOW[0], end=WINDOW[1], now=NOW, base_url=None)
    before = read_events((tmp_path / "person-alice.ics").read_bytes())
    assert uid_for("payments", WEEK[0], "alice") in before
    publish(team(*SWAP), tmp_path, start=WINDOW[0], end=WINDOW[1], now=NOW + 3600, base_url=None)
    return (tmp_path / "person-alice.ics").read_bytes(), (tmp_path / "person-bob.ics").read_bytes()


def merged(*files: bytes) -> dict[str, tuple[int, int, str, int]]:
    """What a calendar that reads ``files`` in this order holds: one entry per UID, the last one
    read winning unless an earlier one has a higher SEQUENCE (RFC 5546's rule)."""
    from icalendar import Calendar

    held: dict[str, tuple[int, int, str, int]] = {}
    for data in files:
        for event in Calendar.from_ical(data).walk("VEVENT"):
            uid = str(event["UID"])
            entry = (int(event.start.timestamp()), int(event.end.timestamp()), str(event["STATUS"]),
                     int(event["SEQUENCE"]))
            if uid not in held or entry[3] >= held[uid][3]:
                held[uid] = entry
    return held


def test_the_giver_cancels_and_the_taker_confirms_two_different_events(feeds: tuple[bytes, bytes]) -> None:
    alice, bob = feeds
    alice_events, bob_events = read_events(alice), read_events(bob)
    for week, giver, taker, gave_events, took_events in ((WEEK, "alice", "bob", alice_events, bob_events),
                                                          (NEXT, "bob", "alice", bob_events, alice_events)):
        gave, took = uid_for("payments", week[0], giver), uid_for("payments", week[0], taker)
        assert gave_events[gave].cancelled and gave not in took_events
        assert not took_events[took].cancelled and took not in gave_events
    # No UID is in both feeds in two states, so the order they are read in does not matter.
    assert merged(alice, bob) == merged(bob, alice)
    live = sorted((s, e) for s, e, status, _ in merged(alice, bob).values()
                  if status == "CONFIRMED" and s < NEXT[1] and e > WEEK[0])
    assert live == [WEEK, NEXT]


def test_the_real_parsers_read_the_same_events_from_both_feeds(feeds: tuple[bytes, bytes]) -> None:
    import vobject
    from ical.calendar_stream import IcsCalendarStream

    for data in feeds:
        ours = {uid: (e.start, e.end, e.cancelled) for uid, e in read_events(data).items()}
        strict = IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
        assert {e.uid: (int(e.dtstart.timestamp()), int(e.dtend.timestamp()), e.status == "CANCELLED")
                for e in strict.events} == ours
        loose = vobject.readOne(data.decode("utf-8"))
        assert {e.uid.value: (int(e.dtstart.value.timestamp()), int(e.dtend.value.timestamp()),
                              e.status.value == "CANCELLED") for e in loose.vevent_list} == ours


def test_radicale_holding_both_feeds_in_one_calendar_gives_the_same_result_in_either_order(
        feeds: tuple[bytes, bytes], radicale: str) -> None:
    import caldav

    alice, bob = feeds
    client = caldav.DAVClient(url=radicale, username="oncall", password="unused")  # type: ignore[operator]
    principal = client.principal()
    results = []
    for name, order in (("alice-then-bob", (alice, bob)), ("bob-then-alice", (bob, alice))):
        calendar = principal.make_calendar(name=name)
        for data in order:
            upload(calendar, data)
        results.append(stored_events(calendar, *WINDOW))
    assert results[0] == results[1]
    held = {uid: status for uid, _, _, status, _ in results[0]}
    assert held[uid_for("payments", WEEK[0], "alice")] == held[uid_for("payments", NEXT[0], "bob")] == "CANCELLED"
    assert held[uid_for("payments", WEEK[0], "bob")] == held[uid_for("payments", NEXT[0], "alice")] == "CONFIRMED"
    confirmed = sorted((s, e) for _, s, e, status, _ in results[0] if status == "CONFIRMED" and s < NEXT[1] and e > WEEK[0])
    assert confirmed == [WEEK, NEXT]

