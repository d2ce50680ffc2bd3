"""A real Radicale CalDAV server: upload the export, query the range back, get the same shifts;
re-upload after a schedule change and see events updated, not duplicated."""

from __future__ import annotations

from dataclasses import replace

from ics_helpers import NOW, epoch, expected_shifts, stored_events, upload

from oncall.calendar.ics import export_calendar, uid_for
from oncall.engine import generate
from oncall.model import Org, Override

# Across New York's and London's spring changes and Sydney's autumn one.
START = epoch("2026-03-01T00:00")
END = epoch("2026-04-15T00:00")


def stored(calendar: object) -> list[tuple[str, int, int, str, int]]:
    return stored_events(calendar, START, END)


def test_radicale_round_trip_and_update(org: Org, radicale: str) -> None:
    import caldav

    client = caldav.DAVClient(url=radicale, username="oncall", password="unused")  # type: ignore[operator]
    calendar = client.principal().make_calendar(name="On call")

    first = export_calendar(org, generate(org, START, END).shifts, name="On call", now=NOW)
    upload(calendar, first)
    want = sorted((uid_for(s.schedule, s.start, s.person), s.start, s.end) for s in expected_shifts(org, START, END))
    got = stored(calendar)
    assert [(uid, s, e) for uid, s, e, _, _ in got] == want
    assert {status for *_, status, _ in got} == {"CONFIRMED"}

    # Give the London schedule an override in the middle of bob's or carol's week, then re-upload.
    london = org.schedules["london"]
    cover = Override("dave", epoch("2026-03-17T09:00", "Europe/London"), epoch("2026-03-18T09:00", "Europe/London"))
    changed = Org(org.root, org.people, {**org.schedules, "london": replace(london, overrides=london.overrides + (cover,))},
                  org.settings)
    second = export_calendar(changed, generate(changed, START, END).shifts, name="On call", now=NOW + 86400,
                             previous=first, window=(START, END))
    upload(calendar, second)
    after = stored(calendar)
    uids = [uid for uid, *_ in after]
    assert len(uids) == len(set(uids)), "an event was duplicated instead of updated"
    live = sorted((uid, s, e) for uid, s, e, status, _ in after if status != "CANCELLED")
    assert live == sorted((uid_for(s.schedule, s.start, s.person), s.start, s.end) for s in expected_shifts(changed, START, END))
    before = {uid: (s, e, seq) for uid, s, e, _, seq in got}
    override_uid = uid_for("london", cover.start, "dave")
    assert override_uid in {uid for uid, *_ in live}
    # The week the override cuts keeps its UID, now ends at the override, with a higher SEQUENCE.
    week = next(uid for uid, (s, e, _) in before.items() if uid.startswith("london-") and s < cover.start < e)
    updated = next(row for row in after if row[0] == week)
    assert updated[2] == cover.start and updated[4] > before[week][2]
