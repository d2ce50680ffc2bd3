"""Opsgenie schedules: rotation types, time restrictions, participants that are not users, and
rotations that overlap (Opsgenie notifies everyone on call in all of them).

The fixtures follow Opsgenie's Schedule and Schedule Rotation API (GET /v2/schedules/{id}
?expand=rotation); Opsgenie's API has no rendered timeline to compare with, so the coverage below
is worked out by hand. Europe/London springs forward on Sunday 2026-03-29 (01:00 GMT -> 02:00 BST).
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from oncall.errors import ConfigError
from oncall.imports import opsgenie
from oncall.imports.exports import Node
from oncall.imports.model import Export

from .conftest import ImportFn, fixture, inexact, layer_cover


def _support() -> Export:
    return opsgenie.read([fixture("opsgenie", "support.json")], fixture("opsgenie", "users.json"))


def test_rotation_types_and_restrictions_become_layers(root: Path, do_import: ImportFn) -> None:
    do_import(_support(), check=False)
    text = (root / "schedules" / "support.yaml").read_text()
    assert (
        "  - name: weekdays\n"
        "    people: [alice-park, bob-okafor]\n"
        "    start: 2026-03-16T09:00\n"
        "    every: 1w\n"
        "    only:\n"
        '      - {days: [mon, tue, wed, thu], from: "09:00", to: "09:00"}\n'
        '      - {days: [fri], from: "09:00", to: "17:00"}\n'
    ) in text
    assert '    every: 1d\n    end: 2026-04-13T18:00\n    only:\n      - {from: "17:00", to: "09:00"}\n' in text
    assert "    every: 12h\n" in text


def test_weekly_handoffs_stay_at_nine_local_across_the_change(root: Path, do_import: ImportFn) -> None:
    # Weekdays: alice from Mon Mar 16 09:00 GMT, bob Mar 23, alice again Mon Mar 30 at 09:00 BST.
    do_import(_support(), check=False)
    assert layer_cover(root, "support", "weekdays", "2026-03-27T00:00+00:00", "2026-03-30T12:00+01:00") == [
        ("2026-03-27T00:00+00:00", "2026-03-27T17:00+00:00", "bob-okafor"),
        ("2026-03-30T09:00+01:00", "2026-03-30T12:00+01:00", "alice-park"),
    ]


def test_hourly_turns_count_elapsed_hours_within_a_weekend_window(root: Path, do_import: ImportFn) -> None:
    # Weekend: 12-hour turns from Fri Mar 20 20:00 GMT (dave, erin, ...): 20:00 and 08:00 GMT,
    # which are 21:00 and 09:00 BST after the change; covered Friday 20:00 to Monday 08:00 local.
    do_import(_support(), check=False)
    assert layer_cover(root, "support", "weekend", "2026-03-27T00:00+00:00", "2026-03-31T00:00+01:00") == [
        ("2026-03-27T20:00+00:00", "2026-03-28T08:00+00:00", "dave"),
        ("2026-03-28T08:00+00:00", "2026-03-28T20:00+00:00", "erin"),
        ("2026-03-28T20:00+00:00", "2026-03-29T09:00+01:00", "dave"),
        ("2026-03-29T09:00+01:00", "2026-03-29T21:00+01:00", "erin"),
        ("2026-03-29T21:00+01:00", "2026-03-30T08:00+01:00", "dave"),
    ]


def test_none_and_team_participants_are_placeholders_and_everything_inexact_is_listed(
        root: Path, do_import: ImportFn) -> None:
    plan = do_import(_support(), check=False)
    # Nights: carol, nobody, the sre team, one day each from Mon Mar 16 17:00; Mar 29 is day 13.
    assert layer_cover(root, "support", "nights", "2026-03-29T17:00+01:00", "2026-03-31T09:00+01:00") == [
        ("2026-03-29T17:00+01:00", "2026-03-30T09:00+01:00", "nobody"),
        ("2026-03-30T17:00+01:00", "2026-03-31T09:00+01:00", "sre-team"),
    ]
    people = (root / "schedules" / "people.yaml").read_text()
    assert '  # Opsgenie participant "none" (placeholder: nobody on call (an Opsgenie `none` participant))\n' \
           "  nobody:\n    name: Nobody\n" in people
    assert inexact(plan) == [
        'Opsgenie rotation b58blq04-0a27-4ff4-ae4a-3cee1d27c7c8 "Nights": a participant is `none` (nobody on '
        "call for that turn); written instead: a placeholder person for those turns (Nobody)",
        'Opsgenie rotation b58blq04-0a27-4ff4-ae4a-3cee1d27c7c8 "Nights": a participant is the team sre, whose '
        "on-call person is not in this export; written instead: a placeholder person for those turns (sre team)",
        "Opsgenie override dentist-cover: applies only to the rotation(s) Weekdays; written instead: an "
        "override of the whole schedule",
        'Opsgenie rotation b58blq04-0a27-4ff4-ae4a-3cee1d27c7c8 "Nights": overlaps Opsgenie rotation '
        'a47alp93-9f16-4ee3-9d39-2bdd0c16b6b7 "Weekdays" from 2026-03-16T17:00:00+00:00 to '
        "2026-03-17T09:00:00+00:00 (the first overlap found); Opsgenie puts both on call; written instead: "
        "nights wins where they overlap (the later layer)",
        'Opsgenie rotation c69cmr15-1b38-4005-bf5b-4dff2e38d8d9 "Weekend": overlaps Opsgenie rotation '
        'b58blq04-0a27-4ff4-ae4a-3cee1d27c7c8 "Nights" from 2026-03-20T20:00:00+00:00 to '
        "2026-03-21T08:00:00+00:00 (the first overlap found); Opsgenie puts both on call; written instead: "
        "weekend wins where they overlap (the later layer)",
    ]


def test_a_rotations_list_needs_the_schedules_time_zone(root: Path, do_import: ImportFn) -> None:
    with pytest.raises(ConfigError, match="a rotations list carries no time zone; pass --timezone"):
        opsgenie.read([fixture("opsgenie", "rotations.json")])
    plan = do_import(opsgenie.read([fixture("opsgenie", "rotations.json")], timezone="Europe/London"), check=False)
    assert [f.display for f in plan.files] == ["schedules/rotations.yaml", "schedules/people.yaml"]
    assert "timezone: Europe/London\n" in plan.files[0].text and inexact(plan) == []


def test_restrictions_across_midnight_with_equal_ends_cover_whole_days() -> None:
    data = copy.deepcopy(fixture("opsgenie", "rotations.json").value)
    data["data"][0]["timeRestriction"] = {"type": "time-of-day", "restriction": {
        "startHour": 8, "startMin": 30, "endHour": 8, "endMin": 30}}
    export = opsgenie.read([Node(data, "r.json", "")], timezone="UTC")
    assert export.schedules[0].rotations[0].windows == ()  # all day every day: no restriction


def test_an_unknown_rotation_type_is_an_error_naming_the_field() -> None:
    data = copy.deepcopy(fixture("opsgenie", "support.json").value)
    data["data"]["rotations"][2]["type"] = "monthly"
    with pytest.raises(ConfigError) as caught:
        opsgenie.read([Node(data, "support.json", "")])
    assert str(caught.value) == ("support.json: data.rotations[2].type: unknown rotation type 'monthly'; "
                                 "expected hourly, daily or weekly")


def test_a_disabled_rotation_is_left_out_and_said(root: Path, do_import: ImportFn) -> None:
    data = copy.deepcopy(fixture("opsgenie", "support.json").value)
    data["data"]["rotations"][1]["enabled"] = False
    plan = do_import(opsgenie.read([Node(data, "support.json", "")]), check=False)
    assert 'Opsgenie rotation b58blq04-0a27-4ff4-ae4a-3cee1d27c7c8 "Nights" is disabled; not written' in plan.notes
    assert "name: nights" not in (root / "schedules" / "support.yaml").read_text()
