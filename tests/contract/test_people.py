"""people.yaml: the default timezone (else UTC), time off read in the person's zone (dates whole
and inclusive, datetimes half-open), person ids, and free-form extras."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.contract.conftest import Oncall, assert_one_error_line, shifts, write_root

# alice's week in a UTC schedule: 2026-03-09 00:00Z to 2026-03-16 00:00Z; bob covers her time off
SCHEDULE = """\
timezone: UTC
layers:
  - people: [alice, bob]
    start: 2026-03-09T00:00
    every: 1w
"""


def team(tmp_path: Path, people: str) -> Path:
    return write_root(tmp_path / "root", {"schedules/people.yaml": people, "schedules/s.yaml": SCHEDULE})


def covered_by_bob(oncall: Oncall, root: Path) -> list[tuple[str, str]]:
    got = shifts(oncall, root, "--from", "2026-03-09T00:00Z", "--to", "2026-03-16T00:00Z")
    return [(s[2], s[3]) for s in got if s[1] == "bob"]


def people(alice_zone: str, off: str, default: str = "") -> str:
    head = f"timezone: {default}\n" if default else ""
    zone = f"    timezone: {alice_zone}\n" if alice_zone else ""
    return f"""{head}people:
  alice:
    name: Alice
{zone}    time_off:
{off}
  bob:
    name: Bob
"""


DATES = "      - {from: 2026-03-10, to: 2026-03-11}"


@pytest.mark.parametrize(("zone", "default", "expected"), [
    ("Asia/Kolkata", "", ("2026-03-09T18:30:00Z", "2026-03-11T18:30:00Z")),
    ("Asia/Kolkata", "America/New_York", ("2026-03-09T18:30:00Z", "2026-03-11T18:30:00Z")),
    ("", "America/New_York", ("2026-03-10T04:00:00Z", "2026-03-12T04:00:00Z")),
    ("", "", ("2026-03-10T00:00:00Z", "2026-03-12T00:00:00Z")),
])
def test_time_off_dates_are_whole_inclusive_days_in_the_persons_zone(
        oncall: Oncall, tmp_path: Path, zone: str, default: str, expected: tuple[str, str]) -> None:
    root = team(tmp_path, people(zone, DATES, default))
    assert covered_by_bob(oncall, root) == [expected]


@pytest.mark.parametrize(("off", "expected"), [
    # Berlin is on CET (+01:00) until 29 March 2026
    ("      - {from: 2026-03-10T12:00, to: 2026-03-10T18:00}", ("2026-03-10T11:00:00Z", "2026-03-10T17:00:00Z")),
    ("      - {from: '2026-03-10 12:00', to: 2026-03-10 18:00:00}", ("2026-03-10T11:00:00Z", "2026-03-10T17:00:00Z")),
    ("      - {from: 2026-03-10T12:00Z, to: 2026-03-10T18:00+02:00}", ("2026-03-10T12:00:00Z", "2026-03-10T16:00:00Z")),
    ("      - {from: 2026-03-12, to: 2026-03-12}", ("2026-03-11T23:00:00Z", "2026-03-12T23:00:00Z")),
    ("      - from: 2026-03-10T12:00\n        to: 2026-03-10T13:00\n      - from: 2026-03-10T13:00\n"
     "        to: 2026-03-10T14:00", ("2026-03-10T11:00:00Z", "2026-03-10T13:00:00Z")),
])
def test_time_off_datetimes_are_half_open_in_the_persons_zone(oncall: Oncall, tmp_path: Path, off: str,
                                                              expected: tuple[str, str]) -> None:
    root = team(tmp_path, people("Europe/Berlin", off))
    assert covered_by_bob(oncall, root) == [expected]


def test_the_default_timezone_is_utc_and_reaches_whois(oncall: Oncall, tmp_path: Path) -> None:
    root = team(tmp_path, people("", "      - {from: 2026-03-10, to: 2026-03-10}"))
    ask = ("--root", str(root), "whois", "--format", "json")
    import json
    assert json.loads(oncall(*ask, "2026-03-09T23:59:59Z").out)[0]["person"] == "alice"
    assert json.loads(oncall(*ask, "2026-03-10T00:00:00Z").out)[0]["person"] == "bob"
    assert json.loads(oncall(*ask, "2026-03-10T23:59:59Z").out)[0]["person"] == "bob"
    assert json.loads(oncall(*ask, "2026-03-11T00:00:00Z").out)[0]["person"] == "alice"


EXTRAS = """\
people:
  alice:
    name: Alice
    email: alice@example.com
    slack: U024BE7LH
    phone: "+1 312 555 0142"
    github: alice-p
    team: payments
    pager: {primary: true}
  bob.o_2-x:
    name: Bob
"""


def test_free_form_extras_are_allowed_without_a_warning(oncall: Oncall, tmp_path: Path) -> None:
    root = write_root(tmp_path / "root", {"schedules/people.yaml": EXTRAS,
                                          "schedules/s.yaml": SCHEDULE.replace("bob", "bob.o_2-x")})
    result = oncall("--root", str(root), "schedule", "validate")
    assert result.code == 0, result.err
    assert "github" not in result.err and "phone" not in result.err and "team" not in result.err


@pytest.mark.parametrize("bad_id", ["Alice", "al ice", "alice!", "élise"])
def test_person_ids_are_lower_case_letters_digits_dot_underscore_dash(oncall: Oncall, tmp_path: Path,
                                                                      bad_id: str) -> None:
    root = write_root(tmp_path / "root", {"schedules/people.yaml": f"people:\n  bob: {{name: B}}\n  '{bad_id}':"
                                                                   " {name: X}\n"})
    assert_one_error_line(oncall("--root", str(root), "schedule", "validate"), "people.yaml:3")


@pytest.mark.parametrize(("people_yaml", "line"), [
    ("people:\n  alice:\n    timezone: Mars/Base\n", 3),
    ("timezone: Mars/Base\npeople:\n  alice: {name: A}\n", 1),
    ("people:\n  alice:\n    time_off:\n      - {from: 2026-03-12, to: 2026-03-10}\n", 4),
    ("people:\n  alice:\n    time_off:\n      - {from: 2026-03-12}\n", 4),
    ("people:\n  alice:\n    time_off:\n      - {from: 2026-02-30, to: 2026-03-10}\n", 4),
])
def test_bad_people_files_name_the_line(oncall: Oncall, tmp_path: Path, people_yaml: str, line: int) -> None:
    root = write_root(tmp_path / "root", {"schedules/people.yaml": people_yaml})
    assert_one_error_line(oncall("--root", str(root), "schedule", "validate"), f"people.yaml:{line}")
