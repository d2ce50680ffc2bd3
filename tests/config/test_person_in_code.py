"""``{person.<field>}`` inside code a program runs is refused when the checklist is read, at the
item's line, with what to write instead (the checks' own rule, not a second copy)."""

from __future__ import annotations

from pathlib import Path

import pytest

from oncall.config import load
from oncall.readiness.checks import person_in_code

PEOPLE = "people:\n  alice: {name: Alice, email: alice@example.com, slack: U1}\n"
SCHEDULE = "timezone: UTC\nchecklist: c\nlayers:\n  - people: [alice]\n    start: 2026-01-05T09:00\n    every: 1w\n"


def _problems(tmp_path: Path, command: str) -> list[str]:
    (tmp_path / "schedules").mkdir(exist_ok=True)
    (tmp_path / "checklists").mkdir(exist_ok=True)
    (tmp_path / "schedules" / "people.yaml").write_text(PEOPLE)
    (tmp_path / "schedules" / "p.yaml").write_text(SCHEDULE)
    (tmp_path / "checklists" / "c.yaml").write_text(
        f"name: C\nitems:\n  - id: first\n    check: {{env: HOME}}\n  - id: it\n    title: It\n    check:\n"
        f"      command: {command}\n")
    return [f"{p.location}: {p.message}" for p in load(tmp_path).errors]


@pytest.mark.parametrize(("command", "instead"), [
    ('[sh, -c, "echo {person.slack}"]', "pass it as an argument of its own instead, e.g. [sh, -c, 'echo \"$1\"', "
                                        "sh, \"{person.slack}\"]"),
    ('[sudo, -u, ops, bash, -lc, "id {person.id}"]', "inside code that bash runs"),
    ('[python3.12, -c, "print(\'{person.email}\')"]', "e.g. [python3, -c, 'import sys; print(sys.argv[1])', "
                                                      "\"{person.email}\"]"),
    ('[node, -e, "x = \'{person.id}\'"]', "e.g. [node, -e, 'console.log(process.argv[1])', \"{person.id}\"]"),
    ('[ssh, -p, "22", bastion, "id {person.id}"]', "ssh hands every word after the host to the remote shell"),
    ("\n        - kubectl\n        - exec\n        - pod\n        - --\n        - sh\n        - -c\n"
     "        - 'grep {person.id} /etc/group'", "inside code that sh runs ('grep {person.id} /etc/group')"),
])
def test_a_field_inside_code_is_an_error_at_the_items_line(tmp_path: Path, command: str, instead: str) -> None:
    [problem] = _problems(tmp_path, command)
    assert problem.startswith("checklists/c.yaml:5: item 'it': command: {person.")
    assert "where a value like 'x; rm -rf ~' would run too" in problem
    assert instead in problem


@pytest.mark.parametrize("command", [
    "[sh, -c, 'echo \"$1\"', sh, \"{person.slack}\"]",
    "[python3, -c, 'import sys; print(sys.argv[1])', \"{person.email}\"]",
    "[ssh, bastion, id]",
    "[kubectl, get, pods, -l, \"owner={person.id}\"]",
    "[sh, script.sh, \"{person.id}\"]",
    "[env, \"WHO={person.id}\", sh, -c, 'echo \"$WHO\"']",
])
def test_a_field_in_a_word_of_its_own_is_fine(tmp_path: Path, command: str) -> None:
    assert _problems(tmp_path, command) == []


def test_the_loader_and_the_check_say_the_same() -> None:
    argv = ["bash", "-c", "echo {person.slack}"]
    refused = person_in_code(argv)
    assert refused is not None and refused.startswith("command: {person.slack} is inside code that bash runs")
    assert person_in_code(["bash", "-c", 'echo "$1"', "bash", "{person.slack}"]) is None
