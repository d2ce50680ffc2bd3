"""Bad input on every command: one ``error:`` line on stderr, exit 2, never a traceback, nothing
on stdout; a config error names the file and the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.contract.conftest import Oncall, assert_one_error_line, write_root

PEOPLE = "people:\n  alice: {name: Alice, email: alice@example.com}\n"
SCHEDULE = "timezone: UTC\nlayers:\n  - people: [alice]\n    start: 2026-01-05T09:00\n    every: 1w\n"

# every command, with an option none of them has
COMMANDS = [
    ["whois"], ["next"], ["schedule", "validate"], ["schedule", "generate"], ["schedule", "diff"],
    ["report", "hours"], ["override", "add"], ["timeoff", "add"], ["swap", "alice", "alice"],
    ["rotation", "add", "alice"], ["rotation", "remove", "alice"], ["ready"], ["ready", "status"],
    ["secret", "list"], ["whoami"], ["playbook", "list"], ["calendar", "publish", "out"], ["notify", "run"],
    ["notify", "test"], ["init"], ["schema", "people"], ["site", "build", "out"],
]


def root(tmp_path: Path, schedule: str = SCHEDULE) -> Path:
    return write_root(tmp_path / "root", {"schedules/people.yaml": PEOPLE, "schedules/s.yaml": schedule})


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_an_unknown_option_is_one_line_naming_it(oncall: Oncall, tmp_path: Path, command: list[str]) -> None:
    result = oncall("--root", str(root(tmp_path)), *command, "--no-such-option")
    line = assert_one_error_line(result, "--no-such-option")
    assert result.out == ""
    assert f"oncall {command[0]}" in line  # the help to read: `oncall ... --help`
    assert len(result.err.strip().splitlines()) == 1


@pytest.mark.parametrize(("args", "fragment"), [
    (["whois", "--format", "xml"], "xml"),
    (["schedule", "generate", "--format", "pdf"], "pdf"),
    (["ready", "--format", "html"], "html"),
    (["whois", "not-a-time"], "not-a-time"),
    (["whois", "2026-13-01"], "2026-13-01"),
    (["schedule", "generate", "--from", "2026-02-30"], "2026-02-30"),
    (["schedule", "generate", "--to", "yesterday-ish"], "yesterday-ish"),
    (["schedule", "generate", "--from", "2026-03-02", "--to", "2026-03-01T00:00"], "--to"),
    (["schedule", "generate", "--schedule", "nope"], "nope"),
    (["schedule", "generate", "--person", "nobody"], "nobody"),
    (["whois", "--schedule", "nope"], "nope"),
    (["rotation", "add"], "PERSON"),
    (["rotation", "add", "nobody", "--schedule", "s"], "nobody"),
    (["rotation", "remove", "alice", "--schedule", "s", "--layer", "nope"], "nope"),
    (["override", "add", "--schedule", "s", "--person", "alice", "--from", "2026-01-02", "--to", "2026-01-01"],
     "--to"),
    (["schema", "nope"], "nope"),
    (["nosuchcommand"], "nosuchcommand"),
])
def test_bad_arguments_are_one_line(oncall: Oncall, tmp_path: Path, args: list[str], fragment: str) -> None:
    result = oncall("--root", str(root(tmp_path)), *args)
    assert_one_error_line(result, fragment)
    assert result.out == ""


@pytest.mark.parametrize(("schedule", "line"), [
    ("timezone: Mars/Base\nlayers:\n  - people: [alice]\n    start: 2026-01-05T09:00\n    every: 1w\n", 1),
    ("timezone: UTC\nlayers:\n  - people: [alice]\n    start: 2026-01-05T09:00\n    every: 30m\n", 5),
    ("timezone: UTC\nlayers:\n  - people: [zed]\n    start: 2026-01-05T09:00\n    every: 1w\n", 3),
    ("timezone: UTC\nlayers:\n  - people: [alice]\n    start: 2026-01-05T25:00\n    every: 1w\n", 4),
    ("timezone: UTC\nlayers:\n\t- people: [alice]\n", 3),
])
@pytest.mark.parametrize("command", [["whois"], ["schedule", "generate"], ["schedule", "validate"], ["ready"],
                                     ["next", "--person", "alice"], ["report", "hours"]], ids=" ".join)
def test_a_config_error_names_the_file_and_line_on_every_command(
        oncall: Oncall, tmp_path: Path, schedule: str, line: int, command: list[str]) -> None:
    result = oncall("--root", str(root(tmp_path, schedule)), *command, env={"ONCALL_PERSON": "alice"})
    assert_one_error_line(result, f"schedules/s.yaml:{line}:")
    assert result.out == ""
