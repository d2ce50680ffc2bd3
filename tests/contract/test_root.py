"""The config root: ``--root``, else ``ONCALL_ROOT``, else the current folder or its nearest parent
with a ``schedules/`` folder; the repository itself is a working config root."""

from __future__ import annotations

import json
from pathlib import Path

from tests.contract.conftest import REPO, Oncall, assert_one_error_line, write_root

PEOPLE = "people:\n  {who}: {{name: {who}}}\n"
SCHEDULE = """\
timezone: UTC
layers:
  - people: [{who}]
    start: 2026-01-05T00:00
    every: 1w
"""


def root_for(folder: Path, who: str) -> Path:
    """A root whose only schedule ``s`` has ``who`` on call from 2026-01-05 on, forever."""
    return write_root(folder, {"schedules/people.yaml": PEOPLE.format(who=who),
                               "schedules/s.yaml": SCHEDULE.format(who=who)})


def on_call(oncall: Oncall, *args: str, cwd: Path, env: dict[str, str] | None = None) -> str:
    result = oncall(*args, "whois", "2026-06-01T00:00Z", "--format", "json", cwd=cwd, env=env)
    assert result.code == 0, result.err
    (row,) = json.loads(result.out)
    return str(row["person"])


def test_root_option_wins_over_the_environment_and_the_current_folder(oncall: Oncall, tmp_path: Path) -> None:
    given, from_env, here = (root_for(tmp_path / n, n) for n in ("given", "fromenv", "here"))
    assert on_call(oncall, "--root", str(given), cwd=here, env={"ONCALL_ROOT": str(from_env)}) == "given"


def test_root_option_may_be_relative_to_the_current_folder(oncall: Oncall, tmp_path: Path) -> None:
    root_for(tmp_path / "given", "given")
    assert on_call(oncall, "--root", "given", cwd=tmp_path) == "given"


def test_environment_wins_over_the_current_folder(oncall: Oncall, tmp_path: Path) -> None:
    from_env, here = root_for(tmp_path / "fromenv", "fromenv"), root_for(tmp_path / "here", "here")
    assert on_call(oncall, cwd=here, env={"ONCALL_ROOT": str(from_env)}) == "fromenv"


def test_current_folder_with_schedules_is_the_root(oncall: Oncall, tmp_path: Path) -> None:
    here = root_for(tmp_path / "here", "here")
    assert on_call(oncall, cwd=here) == "here"


def test_nearest_parent_with_schedules_is_the_root(oncall: Oncall, tmp_path: Path) -> None:
    outer = root_for(tmp_path / "outer", "outer")
    inner = root_for(outer / "team" / "inner", "inner")
    deep = inner / "a" / "b"
    deep.mkdir(parents=True)
    assert on_call(oncall, cwd=deep) == "inner"
    # a folder without schedules/ in between is passed over, as git passes over folders without .git
    elsewhere = outer / "docs" / "x"
    elsewhere.mkdir(parents=True)
    assert on_call(oncall, cwd=elsewhere) == "outer"


def test_schedules_folder_itself_finds_its_parent(oncall: Oncall, tmp_path: Path) -> None:
    root = root_for(tmp_path / "r", "r")
    assert on_call(oncall, cwd=root / "schedules") == "r"


def test_no_root_found_is_exit_2_with_what_to_do(oncall: Oncall, tmp_path: Path) -> None:
    lonely = tmp_path / "lonely"
    lonely.mkdir()
    result = oncall("whois", cwd=lonely)
    line = assert_one_error_line(result, "--root")
    assert "ONCALL_ROOT" in line


def test_root_option_without_schedules_is_exit_2(oncall: Oncall, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert_one_error_line(oncall("--root", str(empty), "whois"), str(empty))
    assert_one_error_line(oncall("whois", env={"ONCALL_ROOT": str(tmp_path / "missing")}), "ONCALL_ROOT")


def test_root_found_in_a_subprocess_too(oncall: Oncall, tmp_path: Path) -> None:
    inner = root_for(tmp_path / "sub", "sub")
    (inner / "deeper").mkdir()
    result = oncall.subprocess("whois", "2026-06-01T00:00Z", "--format", "json", cwd=inner / "deeper")
    assert result.code == 0, result.err
    assert json.loads(result.out)[0]["person"] == "sub"


def test_the_repository_is_a_config_root_every_command_works_in(oncall: Oncall) -> None:
    """The example organisation: whois, generate, validate and ready run with no set-up."""
    validate = oncall("schedule", "validate", cwd=REPO)
    assert validate.code == 0, validate.err
    whois = oncall("whois", "2026-03-04T15:00Z", "--format", "json", cwd=REPO / "docs")
    assert whois.code == 0, whois.err
    rows = json.loads(whois.out)
    assert [r["schedule"] for r in rows] == sorted(p.stem for p in (REPO / "schedules").glob("*.yaml")
                                                  if p.stem != "people")
    generate = oncall("schedule", "generate", "--from", "2026-03-02", "--to", "2026-03-08", "--format", "json",
                      cwd=REPO)
    assert generate.code == 0, generate.err
    assert json.loads(generate.out)["shifts"]
    ready = oncall("ready", "--person", "alice", "--format", "json", cwd=REPO)
    assert ready.code in (0, 1), ready.err
    json.loads(ready.out)
