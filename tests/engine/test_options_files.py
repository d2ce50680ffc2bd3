"""The rotation options as a team writes them in schedule files, loaded and run through the engine."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from oncall.config import load_org
from oncall.engine import generate, whois
from oncall.holidays import FixedHolidays
from oncall.model import reason_codes
from tests.engine.build import utc

PEOPLE = """\
timezone: UTC
people:
  alice: {name: Alice, timezone: America/New_York, country: US}
  bob: {name: Bob, timezone: Europe/London, country: GB}
  carol: {name: Carol, timezone: Australia/Sydney}
  dave: {name: Dave, timezone: UTC}
"""
PRIMARY = """\
timezone: America/New_York
layers:
  - name: weekly
    people: [alice, bob, carol, dave]
    start: 2026-01-05T09:00
    every: 1w
    skip_holidays: people
"""
SECONDARY = """\
timezone: America/New_York
avoid: [primary]
layers:
  - name: weekly
    people: [alice, bob, carol, dave]
    start: 2026-01-05T09:00
    every: 1w
    offset: 1
  - name: emea
    timezone: Europe/London
    people: [bob, dave, alice]
    start: 2026-01-05T09:00
    every: 1d
    advance: covered
    only:
      - {days: [mon, tue, wed, thu, fri], from: "09:00", to: "17:00"}
"""


def team(tmp_path: Path):
    (tmp_path / "schedules").mkdir()
    (tmp_path / "checklists").mkdir()
    for name, text in (("people", PEOPLE), ("primary", PRIMARY), ("secondary", SECONDARY)):
        (tmp_path / "schedules" / f"{name}.yaml").write_text(text)
    return replace(load_org(tmp_path), holidays=FixedHolidays({"US": ["2026-07-03"], "GB": ["2026-08-31"]}))


def test_the_options_from_the_files(tmp_path: Path) -> None:
    org = team(tmp_path)
    timeline = generate(org, utc("2026-07-01T00:00Z"), utc("2026-07-08T00:00Z"), ["secondary"])
    emea = [(s.person, reason_codes(s.reasons)) for s in timeline.shifts if s.start % 86400 == 8 * 3600]  # 09:00 BST
    # Weekdays from Monday 5 January to Tuesday 30 June: 127 covered days, so 1 July is turn 127:
    # dave, then alice; 3 July is bob's, who is on call in the primary, so dave takes it.
    assert emea == [("dave", "layer:emea"), ("alice", "layer:emea"), ("dave", "avoid:bob"),
                    ("dave", "layer:emea, layer:weekly"), ("alice", "layer:emea")]
    # The secondary's weekly rotation is the primary's list with offset 1.
    primary, secondary = whois(org, utc("2026-07-04T12:00Z"))
    assert (primary.person, secondary.person) == ("bob", "carol")


def test_a_persons_own_holiday_in_the_files(tmp_path: Path) -> None:
    org = team(tmp_path)
    # The week of 24 August (turn 33) is bob's; his bank holiday, 31 August midnight to midnight in
    # London (23:00Z to 23:00Z), takes the end of it: carol, next in order, covers, then her own week.
    timeline = generate(org, utc("2026-08-24T13:00Z"), utc("2026-09-07T13:00Z"), ["primary"])
    assert [(s.person, s.start, s.end, reason_codes(s.reasons)) for s in timeline.shifts] == [
        ("bob", utc("2026-08-24T13:00Z"), utc("2026-08-30T23:00Z"), "layer:weekly"),
        ("carol", utc("2026-08-30T23:00Z"), utc("2026-09-07T13:00Z"), "holiday:bob, layer:weekly")]
