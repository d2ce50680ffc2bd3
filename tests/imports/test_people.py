"""Imported people: ids from names, clashes, people already in people.yaml, and its comments kept."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from oncall.errors import ConfigError
from oncall.imports.model import Export, Origin, Rotation, SourcePerson, SourceSchedule
from oncall.imports.writer import PersonEntry, add_people
from oncall.times import Duration

from .conftest import ImportFn, at

EXISTING = """\
# The team. Keep this comment.
timezone: America/New_York

people:
  # Person ids: lower-case.
  alice:
    name: Alice Park
    email: alice@example.com   # work address
  jo:
    name: Jo Ng

# A trailing note about the file.
"""


def _export(*people: SourcePerson) -> Export:
    rotation = Rotation(Origin("PagerDuty", "layer", "L1", "Primary"), "Primary", [p.key for p in people],
                        at("2026-01-05T09:00:00-05:00"), Duration(1, "w"), at("2026-01-05T09:00:00-05:00"),
                        timezone="America/New_York")
    schedule = SourceSchedule(Origin("PagerDuty", "schedule", "S1", "Primary"), "Primary", "America/New_York",
                              [rotation])
    return Export("PagerDuty", "pagerduty", [schedule], {p.key: p for p in people})


def _person(key: str, name: str, email: str | None = None) -> SourcePerson:
    return SourcePerson(key, name, Origin("PagerDuty", "user", key, name), email=email)


def test_new_people_are_added_after_the_last_entry_keeping_every_comment(root: Path, do_import: ImportFn) -> None:
    people = root / "schedules" / "people.yaml"
    people.write_text(EXISTING)
    plan = do_import(_export(_person("P1", "Alice Park", "ALICE@example.com"), _person("P2", "Jo Ng"),
                             _person("P3", "Sam Reyes", "sam@example.com")), check=False)
    text = people.read_text()
    assert text == EXISTING.replace("    name: Jo Ng\n", (
        "    name: Jo Ng\n"
        '  # PagerDuty user P3 "Sam Reyes"\n'
        "  sam-reyes:\n"
        "    name: Sam Reyes\n"
        '    email: "sam@example.com"\n'))
    assert plan.notes == ['PagerDuty user P1 "Alice Park" is alice in people.yaml (same email)',
                          'PagerDuty user P2 "Jo Ng" is jo in people.yaml (same name)']
    schedule = (root / "schedules" / "primary.yaml").read_text()
    assert "    people: [alice, jo, sam-reyes]\n" in schedule


def test_clashing_names_get_numbered_ids_and_are_reported(root: Path, do_import: ImportFn) -> None:
    people = root / "schedules" / "people.yaml"
    people.write_text("people:\n  alex-kim:\n    name: Alex Kim\n    email: alex@example.com\n")
    plan = do_import(_export(_person("P1", "Alex Kim", "alex.kim@example.com"), _person("P2", "Alex Kim"),
                             _person("P3", "alex kim", "other@example.com")), check=False)
    data = yaml.safe_load(people.read_text())["people"]
    # P2 has no email and the same name as alex-kim: the same person. P1 and P3 have other emails.
    assert list(data) == ["alex-kim", "alex-kim-2", "alex-kim-3"]
    assert plan.notes == [
        'PagerDuty user P1 "Alex Kim" would be alex-kim, which is taken; written as alex-kim-2',
        'PagerDuty user P2 "Alex Kim" is alex-kim in people.yaml (same name)',
        'PagerDuty user P3 "alex kim" would be alex-kim, which is taken; written as alex-kim-3',
    ]


@pytest.mark.parametrize("text", ["people:\n", "people: {}\n", "people: ~  # nobody yet\n", "", "timezone: UTC\n"])
def test_an_empty_people_mapping_gets_a_block(text: str) -> None:
    result = add_people(text, [PersonEntry("sam", "Sam", "from somewhere")], "people.yaml")
    assert yaml.safe_load(result)["people"] == {"sam": {"name": "Sam"}}
    assert "# from somewhere" in result


def test_a_flow_people_mapping_is_refused_with_what_to_do() -> None:
    with pytest.raises(ConfigError, match="people: must be a block mapping"):
        add_people("people: {a: {name: A}}\n", [PersonEntry("sam", "Sam", "x")], "schedules/people.yaml")


def test_entries_follow_the_files_indentation() -> None:
    text = "people:\n    alice:\n        name: Alice\n"
    result = add_people(text, [PersonEntry("sam", "Sam", "x")], "people.yaml")
    assert result == text + "    # x\n    sam:\n        name: Sam\n"
