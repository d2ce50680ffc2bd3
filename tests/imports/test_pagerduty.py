"""PagerDuty schedules: layer order, the virtual start, restrictions, DST, overrides, --check.

The fixtures follow PagerDuty's REST API v2 reference (GET /schedules/{id}); their
``final_schedule.rendered_schedule_entries`` were worked out by hand from the layers, as the
comments in each test say, so ``--check`` compares against an independent answer.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from oncall.config import load
from oncall.errors import ConfigError, UsageError
from oncall.imports import pagerduty
from oncall.imports.exports import Node

from .conftest import ImportFn, differences, fixture, inexact, shifts


def test_layers_are_written_lowest_precedence_first_and_check_finds_no_difference(
        root: Path, do_import: ImportFn) -> None:
    # The API lists "Weeknights" (layer 2) before "Weekly" (layer 1); layer 2 wins in PagerDuty,
    # so it must come last in the file. Weekly turns: Feb 2 alice, Feb 9 bob, Feb 16 carol,
    # Feb 23 alice, Mar 2 bob, Mar 9 carol (09:00 local across the March 8 change). Weeknights
    # 18:00-08:00 Monday to Friday, dave and erin by day from Feb 2. Frank overrides Mar 4 12-16.
    plan = do_import(pagerduty.read([fixture("pagerduty", "weekly_and_weeknights.json")]))
    assert differences(plan) == []
    assert plan.checks[0].entries == 25
    assert inexact(plan) == []
    text = (root / "schedules" / "payments-primary.yaml").read_text()
    names = [line.split(": ")[1] for line in text.splitlines() if line.startswith("  - name:")]
    assert names == ["weekly-first-turn", "weekly", "weeknights"]
    assert '      - {days: [mon, tue, wed, thu, fri], from: "18:00", to: "08:00"}' in text
    assert "# PagerDuty layer PLAYER2 \"Weeknights\": turns of 86400 s" in text
    assert "# PagerDuty override POVER01" in text
    result = load(root)
    assert result.org is not None and not result.problems


def test_coverage_starting_mid_turn_writes_that_turn_as_its_own_layer(root: Path, do_import: ImportFn) -> None:
    # "Weekly" starts on Monday Feb 16 at 12:00, three hours into carol's turn (turns from Feb 2
    # 09:00): carol is on call from 12:00 until the next handoff, then the rotation goes on.
    do_import(pagerduty.read([fixture("pagerduty", "weekly_and_weeknights.json")]), check=False)
    assert shifts(root, "payments-primary", "2026-02-16T00:00-05:00", "2026-02-23T12:00-05:00")[:2] == [
        ("2026-02-16T12:00-05:00", "2026-02-16T18:00-05:00", "carol-nguyen"),
        ("2026-02-16T18:00-05:00", "2026-02-17T08:00-05:00", "dave-rossi"),  # day 14: dave
    ]
    weekly = shifts(root, "payments-primary", "2026-02-21T08:00-05:00", "2026-02-23T12:00-05:00")
    assert weekly == [("2026-02-21T08:00-05:00", "2026-02-23T09:00-05:00", "carol-nguyen"),
                      ("2026-02-23T09:00-05:00", "2026-02-23T12:00-05:00", "alice-park")]


def test_check_reports_every_difference_with_the_service_and_the_file(root: Path, do_import: ImportFn) -> None:
    node = fixture("pagerduty", "weekly_and_weeknights.json")
    data = copy.deepcopy(node.value)
    entries = data["schedule"]["final_schedule"]["rendered_schedule_entries"]
    entries[2]["user"] = entries[4]["user"]  # PagerDuty says erin on Monday night, not dave
    entries[-1]["end"] = "2026-03-17T00:00:00-04:00"  # and carol one more day
    plan = do_import(pagerduty.read([Node(data, node.file, "")]), write=False)
    assert differences(plan) == [
        ("2026-03-02T18:00-05:00", "2026-03-03T08:00-05:00", "erin-walsh", "dave-rossi"),
        # carol's turn ends Monday 09:00; then alice's week, and Monday night is dave's (day 42)
        ("2026-03-16T09:00-04:00", "2026-03-16T18:00-04:00", "carol-nguyen", "alice-park"),
        ("2026-03-16T18:00-04:00", "2026-03-17T00:00-04:00", "carol-nguyen", "dave-rossi"),
    ]


def test_daily_turns_keep_local_handoffs_and_hourly_turns_count_elapsed_time_across_dst(
        root: Path, do_import: ImportFn) -> None:
    # New York springs forward on Sunday March 8. "Days" (86400 s) hands over at 09:00 local on
    # both sides; "Weekend" (43200 s) hands over every 12 elapsed hours, 06:00/18:00 EST then
    # 07:00/19:00 EDT, within Friday 18:00 to Monday 08:00 (a weekly restriction across the end
    # of the week); "Handover" covers one day and ends. See fixtures/pagerduty/dst.json.
    plan = do_import(pagerduty.read([fixture("pagerduty", "dst.json")], fixture("pagerduty", "users.json")))
    assert differences(plan) == [] and plan.checks[0].entries == 17
    text = (root / "schedules" / "infra.yaml").read_text()
    assert "    every: 1d\n" in text and "    every: 12h\n" in text
    assert ('      - {days: [fri, sat], from: "18:00", to: "18:00"}\n'
            '      - {days: [sun], from: "18:00", to: "08:00"}\n') in text
    assert "    end: 2026-03-10T12:00\n" not in text and "    end: 2026-03-11T12:00\n" in text
    people = (root / "schedules" / "people.yaml").read_text()
    assert "  ben-cho:\n    name: Ben Cho\n    email: \"ben@example.com\"\n    timezone: America/Chicago\n" in people


def test_a_layer_starting_at_a_later_handoff_keeps_the_order_with_an_offset(root: Path, do_import: ImportFn) -> None:
    # "Weekly" turns from Jan 5: avery, blake, casey; it starts Jan 19, in casey's turn.
    # "Early start" begins Feb 2, seven daily turns before its virtual start of Feb 9 (avery):
    # casey, avery, blake... from Feb 2, one hour a day at noon.
    plan = do_import(pagerduty.read([fixture("pagerduty", "offset.json")]))
    text = (root / "schedules" / "offset-start.yaml").read_text()
    assert "    people: [avery-stone, blake-reed, casey-moss]\n    start: 2026-01-19T00:00\n" in text
    assert text.count("    offset: 2\n") == 2
    assert inexact(plan) == []
    assert differences(plan) == []


def test_check_without_rendered_entries_is_a_usage_error(root: Path) -> None:
    node = fixture("pagerduty", "dst.json")
    data = copy.deepcopy(node.value)
    del data["schedule"]["final_schedule"]
    from oncall.imports.plan import plan_import

    with pytest.raises(UsageError, match="--check needs what PagerDuty rendered"):
        plan_import(pagerduty.read([Node(data, node.file, "")]), root, check=True)


def test_wrappers_and_lists_of_schedules_are_read(tmp_path: Path) -> None:
    one = fixture("pagerduty", "dst.json").value
    two = fixture("pagerduty", "offset.json").value
    for document in ([one, two], {"schedules": [one["schedule"], two["schedule"]]}):
        export = pagerduty.read([Node(document, "x.json", "")])
        assert [s.name for s in export.schedules] == ["Infra", "Offset start"]


def test_turns_that_are_not_whole_hours_and_restrictions_with_seconds_are_reported(
        root: Path, do_import: ImportFn) -> None:
    data = copy.deepcopy(fixture("pagerduty", "dst.json").value)
    layer = data["schedule"]["schedule_layers"][1]
    layer["rotation_turn_length_seconds"] = 45000  # 12.5 hours
    layer["restrictions"][0]["start_time_of_day"] = "18:00:30"
    plan = do_import(pagerduty.read([Node(data, "dst.json", "")]), check=False)
    assert inexact(plan) == [
        'PagerDuty layer PLWEEK2 "Weekend": turns of 45000 s are not whole hours; written instead: every: 12h',
        'PagerDuty layer PLWEEK2 "Weekend": a restriction starts at 18:00:30; windows are in whole minutes; '
        "written instead: 18:00",
    ]


@pytest.mark.parametrize(("change", "message"), [
    ({"time_zone": "Eastern Time (US & Canada)"},
     "schedule.time_zone: 'Eastern Time (US & Canada)' is not an IANA time zone; export again with ?time_zone="),
    ({"schedule_layers": [{"name": "x"}]}, "schedule.schedule_layers[0]: missing `start`"),
    ({"schedule_layers": "nope"}, "schedule.schedule_layers: expected a list, found 'nope'"),
])
def test_bad_exports_name_the_field_and_what_to_write(change: dict[str, object], message: str) -> None:
    data = copy.deepcopy(fixture("pagerduty", "dst.json").value)
    data["schedule"].update(change)
    with pytest.raises(ConfigError) as caught:
        pagerduty.read([Node(data, "export.json", "")])
    assert str(caught.value).startswith("export.json: " + message)


def test_not_a_schedule_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "users.json"
    path.write_text(json.dumps({"users": []}))
    from oncall.imports.exports import read_json

    with pytest.raises(ConfigError, match="not a PagerDuty schedule"):
        pagerduty.read([read_json(str(path))])


def test_overrides_come_from_the_overrides_subschedule_when_the_list_is_absent(root: Path,
                                                                               do_import: ImportFn) -> None:
    data = copy.deepcopy(fixture("pagerduty", "weekly_and_weeknights.json").value)
    del data["schedule"]["overrides"]
    plan = do_import(pagerduty.read([Node(data, "x.json", "")]))
    assert differences(plan) == []
    text = (root / "schedules" / "payments-primary.yaml").read_text()
    assert "  # PagerDuty override entry\n  - person: frank-moreau\n    from: 2026-03-04T12:00\n" in text


def test_layers_without_users_or_that_end_before_they_start_are_left_out_and_said(root: Path,
                                                                                   do_import: ImportFn) -> None:
    data = copy.deepcopy(fixture("pagerduty", "dst.json").value)
    layers = data["schedule"]["schedule_layers"]
    layers[0]["end"] = layers[0]["start"]
    layers[1]["users"] = []
    plan = do_import(pagerduty.read([Node(data, "x.json", "")]), check=False)
    # in precedence order, lowest first: the API's list reversed
    assert plan.notes == ['PagerDuty layer PLWEEK2 "Weekend" has no users; not written',
                          'PagerDuty layer PLHAND3 "Handover" ended before it started; not written']
    assert "name: days" in (root / "schedules" / "infra.yaml").read_text()
