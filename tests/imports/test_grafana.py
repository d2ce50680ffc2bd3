"""Grafana OnCall schedules: rolling users, recurrent and single events, levels, overrides, shift
time zones, and --check against /schedules/{id}/final_shifts.

The fixtures follow Grafana OnCall's HTTP API reference (schedules, on_call_shifts, users,
final_shifts); the final shifts were worked out by hand from the shifts, as each test says.
Europe/Berlin springs forward on 2026-03-29, New York on 2026-03-08.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from oncall.errors import ConfigError
from oncall.imports import grafana
from oncall.imports.exports import Node
from oncall.imports.model import Export

from .conftest import ImportFn, differences, fixture, inexact, layer_cover

SCHEDULE_ID = "SFOLLOWSUN01"


def _platform(shifts: Any = None) -> Export:
    shift_node = fixture("grafana", "platform_shifts.json") if shifts is None else Node(shifts, "shifts.json", "")
    return grafana.read(fixture("grafana", "platform_schedules.json"), shift_node, fixture("grafana", "users.json"),
                        {None: fixture("grafana", "platform_final_shifts.json")})


def _shifts_with(**changes: Any) -> dict[str, Any]:
    """The platform shifts with the weekly rotation changed."""
    data = copy.deepcopy(fixture("grafana", "platform_shifts.json").value)
    data["results"][0].update(changes)
    return data


def test_levels_events_and_overrides_match_the_final_shifts(root: Path, do_import: ImportFn) -> None:
    # Weekly turns from Mon Mar 2 09:00 Berlin (alice, bob, carol; 09:00 CEST after Mar 29);
    # dave's single event Mar 18 12:00-16:00 at level 1; erin's deploys Tue/Thu 18:00-20:00 at
    # level 2 until Mar 26 (23:59:59 UTC); dave's override Mar 25 09:00-17:00.
    plan = do_import(_platform())
    assert differences(plan) == [] and plan.checks[0].entries == 16
    assert inexact(plan) == []
    text = (root / "schedules" / "platform.yaml").read_text()
    names = [line.split(": ")[1] for line in text.splitlines() if line.startswith("  - name:")]
    assert names == ["weekly", "release-watch", "evening-deploys"]  # by level, lowest first
    assert ("    end: 2026-03-26T20:00\n    only:\n"
            '      - {days: [tue, thu], from: "18:00", to: "20:00"}\n') in text
    assert "overrides:\n  # Grafana OnCall shift OOVERRIDE3XX \"Cover for alice\"\n  - person: dave\n" in text


def test_check_catches_a_wrong_final_shift(root: Path, do_import: ImportFn) -> None:
    final = copy.deepcopy(fixture("grafana", "platform_final_shifts.json").value)
    final["results"][4]["shift_end"] = "2026-03-18T16:00:00Z"  # Grafana says dave until 17:00 Berlin
    final["results"][5]["shift_start"] = "2026-03-18T16:00:00Z"
    export = grafana.read(fixture("grafana", "platform_schedules.json"), fixture("grafana", "platform_shifts.json"),
                          fixture("grafana", "users.json"), {"S3Z477AHDXTMF": Node(final, "final.json", "")})
    plan = do_import(export, write=False)
    assert differences(plan) == [("2026-03-18T16:00+01:00", "2026-03-18T17:00+01:00", "dave", "carol")]


def test_a_group_of_several_people_is_reported_and_its_first_person_written(root: Path, do_import: ImportFn) -> None:
    A, B, C = "U4DNY931HHJS5", "U7S8H84ARFTGN", "UC2CHRT5SD34X"
    plan = do_import(_platform(_shifts_with(rolling_users=[[A, B], [C]])))
    assert inexact(plan) == ['Grafana OnCall shift OWEEKLY1ROTA "Weekly": alice, bob are on call together; '
                             "written instead: alice alone"]
    # The final shifts still show three turns; bob is in no written layer, so he is named as
    # Grafana's user (the export's range starts at midnight UTC).
    assert differences(plan)[0] == ("2026-03-16T01:00+01:00", "2026-03-16T09:00+01:00",
                                    "Grafana OnCall user U7S8H84ARFTGN (bob)", "carol")


def test_shifts_of_one_level_that_overlap_are_reported(root: Path, do_import: ImportFn) -> None:
    data = copy.deepcopy(fixture("grafana", "platform_shifts.json").value)
    data["results"][1]["level"] = 0  # the single event now shares level 0 with the weekly rotation
    plan = do_import(_platform(data), check=False)
    assert inexact(plan) == [
        'Grafana OnCall shift OSINGLE2EVNT "Release watch": overlaps Grafana OnCall shift OWEEKLY1ROTA "Weekly" '
        "from 2026-03-18T12:00:00+01:00 to 2026-03-18T16:00:00+01:00 (the first overlap found); Grafana OnCall "
        "puts both on call (same level); written instead: release-watch wins where they overlap (the later layer)"]


@pytest.mark.parametrize(("changes", "message"), [
    ({"frequency": "monthly"}, "monthly recurrences cannot be written; written instead: nothing"),
    ({"interval": 2, "duration": 3600}, "events of 3600 s in turns of 2w leave time uncovered in a pattern that "
                                        "does not repeat each week; written instead: turns of 2w covered whole"),
    ({"duration": 700000}, "events of 700000 s outlast turns of 1w, so two groups are on call together; "
                           "written instead: each turn ends at the next"),
    ({"frequency": "hourly", "interval": 12, "duration": 43200},
     "hourly turns step on the Europe/Berlin wall clock, which jumps when clocks change; written instead: "
     "turns of elapsed hours"),
])
def test_what_a_schedule_file_cannot_say_is_reported(changes: dict[str, Any], message: str,
                                                     root: Path, do_import: ImportFn) -> None:
    plan = do_import(_platform(_shifts_with(**changes)), check=False)
    assert any(message in line for line in inexact(plan)), inexact(plan)


def test_rotation_start_later_than_start_begins_at_the_next_turn(root: Path, do_import: ImportFn) -> None:
    plan = do_import(_platform(_shifts_with(rotation_start="2026-03-18T09:00:00")), check=False)
    assert layer_cover(root, "platform", "weekly", "2026-03-16T00:00+01:00", "2026-03-24T00:00+01:00") == [
        ("2026-03-23T09:00+01:00", "2026-03-24T00:00+01:00", "alice")]
    assert any("rotation_start falls inside a turn" in line for line in inexact(plan))


def test_until_ends_the_rotation_after_the_last_turn_it_starts(root: Path, do_import: ImportFn) -> None:
    do_import(_platform(_shifts_with(until="2026-03-20T00:00:00")), check=False)
    text = (root / "schedules" / "platform.yaml").read_text()
    assert "    every: 1w\n    end: 2026-03-23T09:00\n" in text  # carol's turn from Mar 16 runs its course


def test_an_ical_schedule_is_reported_not_written() -> None:
    schedules = {"results": [{"id": "SICAL", "name": "From a calendar", "type": "ical",
                              "ical_url_primary": "https://example.com/calendar.ics"}]}
    export = grafana.read(Node(schedules, "schedules.json", ""), Node({"results": []}, "shifts.json", ""))
    assert export.schedules == []
    assert [str(i) for i in export.inexact] == [
        'Grafana OnCall schedule SICAL "From a calendar": an iCal schedule: its shifts live in the calendar at '
        "ical_url_primary, not in the API; written instead: no schedule file"]


def test_final_shifts_of_several_schedules_need_the_schedule_id() -> None:
    schedules = {"results": [{"id": "S1", "name": "One"}, {"id": "S2", "name": "Two"}]}
    with pytest.raises(ConfigError, match="name the one these final shifts belong to"):
        grafana.read(Node(schedules, "s.json", ""), None, None, {None: Node({"results": []}, "f.json", "")})


def test_shift_time_zones_offsets_and_weekday_rotations(root: Path, do_import: ImportFn) -> None:
    # New York days: weekdays 09:00-17:00 New York time, one group a weekday starting with noah
    # (start_rotation_from_user_index 1): Mon Mar 2 noah, Tue nora, Wed nina, Thu noah, Fri nora,
    # Mon Mar 9 nina (weekends are not counted; 13:00Z after New York's change). London mornings:
    # Mon/Wed/Fri 08:00-09:00 London, a group a week from Monday; the first week starts on
    # Wednesday Mar 4 (liam), then lena from Mon Mar 9.
    export = grafana.read(fixture("grafana", "sun_schedules.json"), fixture("grafana", "sun_shifts.json"),
                          fixture("grafana", "sun_users.json"),
                          {SCHEDULE_ID: fixture("grafana", "sun_final_shifts.json")})
    plan = do_import(export)
    text = (root / "schedules" / "follow-the-sun.yaml").read_text()
    assert ("    timezone: America/New_York\n    people: [nina, noah, nora]\n    start: 2026-03-02T09:00\n"
            "    every: 1d\n    offset: 1\n    advance: covered\n") in text
    assert inexact(plan) == []
    assert differences(plan) == []


def test_a_daily_rotation_on_chosen_days_lists_each_group_for_its_interval(root: Path, do_import: ImportFn) -> None:
    # Two chosen days per group (interval 2), starting with bob's group: the daily rotation counts
    # only days with a window, and each person is listed twice in a row.
    plan = do_import(_platform(_shifts_with(frequency="daily", interval=2, duration=28800,
                                            by_day=["MO", "TU", "WE", "TH", "FR"],
                                            start_rotation_from_user_index=1)), check=False)
    text = (root / "schedules" / "platform.yaml").read_text()
    assert ("    people: [alice, alice, bob, bob, carol, carol]\n    start: 2026-03-02T09:00\n    every: 1d\n"
            "    offset: 2\n    advance: covered\n    only:\n"
            '      - {days: [mon, tue, wed, thu, fri], from: "09:00", to: "17:00"}\n') in text
    assert plan.files


def test_a_start_on_a_day_not_chosen_moves_to_the_first_chosen_day_of_the_week(root: Path,
                                                                              do_import: ImportFn) -> None:
    # Start Tuesday Mar 3, chosen Monday and Friday, weeks from Monday: Grafana moves the start to
    # the next Monday (the first chosen day in week order), not to Friday.
    do_import(_platform(_shifts_with(start="2026-03-03T09:00:00", rotation_start="2026-03-03T09:00:00",
                                     duration=3600, by_day=["MO", "FR"])), check=False)
    text = (root / "schedules" / "platform.yaml").read_text()
    assert ("  - name: weekly\n    people: [alice, bob, carol]\n    start: 2026-03-09T09:00\n    every: 1w\n"
            "    only:\n") in text


def test_recurrent_events_every_few_hours_become_windows_each_day(root: Path, do_import: ImportFn) -> None:
    data = copy.deepcopy(fixture("grafana", "platform_shifts.json").value)
    data["results"][3].update(frequency="hourly", interval=6, duration=5430, by_day=None, until=None)
    plan = do_import(_platform(data), check=False)
    text = (root / "schedules" / "platform.yaml").read_text()
    # Every six hours from 18:00 for 1h 30m 30s (written as 91 minutes, and listed).
    assert ('      - {from: "00:00", to: "01:31"}\n      - {from: "06:00", to: "07:31"}\n'
            '      - {from: "12:00", to: "13:31"}\n      - {from: "18:00", to: "19:31"}\n') in text
    assert inexact(plan) == ['Grafana OnCall shift ORECUR4EVNTS "Evening deploys": events last 5430 s; windows '
                             "are in whole minutes; written instead: 91 minutes"]
