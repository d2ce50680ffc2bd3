"""The command registry: every command loads through click's group API, only the command in use
is imported, each run starts clean, and the one error handler names the option a core error is about."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
import typer

from oncall.cli.app import COMMANDS, app
from tests.cli.cli_runner import run_oncall

REPO = Path(__file__).resolve().parents[2]


def _root_group() -> click.Group:
    group = typer.main.get_command(app)
    assert isinstance(group, click.Group)
    return group


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_registered_command_loads_with_its_help(name: str) -> None:
    group = _root_group()
    ctx = click.Context(group)
    assert group.list_commands(ctx) == list(COMMANDS)
    command = group.get_command(ctx, name)
    assert command is not None and command.name == name
    assert (command.help or "").strip(), f"oncall {name} has no help text"
    if isinstance(command, click.Group):
        sub_ctx = click.Context(command, parent=ctx)
        names = command.list_commands(sub_ctx)
        assert names, f"oncall {name} is a group with no commands"
        for sub in names:
            found = command.get_command(sub_ctx, sub)
            assert found is not None and (found.help or "").strip(), f"oncall {name} {sub} has no help text"
        # a group stays a group even with one command, and never offers completion installers
        assert not {"install_completion", "show_completion"} & {p.name for p in command.params}


def test_unknown_names_are_none_and_typos_get_a_suggestion(capsys: pytest.CaptureFixture[str]) -> None:
    group = _root_group()
    assert group.get_command(click.Context(group), "frobnicate") is None
    result = run_oncall(["whios"], capsys)
    assert result.code == 2
    assert "No such command 'whios'. Did you mean 'whois'?" in result.err
    assert result.err.count("Did you mean") == 1


def _cli_modules_after(args: list[str]) -> list[str]:
    code = ("import sys; from oncall.cli.app import run; run(sys.argv[1:]);"
            "sys.stdout.flush(); sys.stderr.write(repr(sorted(m for m in sys.modules if m.startswith('oncall.cli.'))))")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run([sys.executable, "-c", code, "--root", str(REPO), *args], capture_output=True, text=True,
                          env=env, check=True)
    return eval(proc.stderr.strip().splitlines()[-1])


def test_whois_imports_only_its_own_command_module() -> None:
    modules = _cli_modules_after(["whois", "--format", "json"])
    commands = {ref.partition(":")[0] for ref in COMMANDS.values()}
    assert [m for m in modules if m in commands] == ["oncall.cli.whois"]


def test_each_run_starts_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "other"
    assert run_oncall(["init", str(other)], capsys).code == 0
    first = run_oncall(["--root", str(REPO), "schedule", "validate"], capsys)
    second = run_oncall(["--root", str(other), "schedule", "validate"], capsys)
    third = run_oncall(["schedule", "validate"], capsys, cwd=other)
    assert str(REPO) in first.out and "3 schedules" in first.out
    assert str(other) in second.out and "ok: 1 schedule," in second.out
    assert str(other) in third.out


def test_the_loaded_org_is_kept_from_the_collector_until_the_run_ends(capsys: pytest.CaptureFixture[str]) -> None:
    """The org's objects are frozen once loaded (the collector's full passes skip them) and given
    back when the run ends, so a process that runs oncall again does not keep the old org."""
    import gc

    from oncall.cli.context import Session

    before = gc.get_freeze_count()
    session = Session(REPO)
    org = session.org()
    assert gc.isenabled()
    assert gc.get_freeze_count() > before + len(org.people)
    session.close()
    assert gc.get_freeze_count() == before
    assert run_oncall(["--root", str(REPO), "whois", "now", "--format", "json"], capsys).code == 0
    assert gc.get_freeze_count() == before and gc.isenabled()


def test_version_short_and_long(capsys: pytest.CaptureFixture[str]) -> None:
    from oncall import __version__

    assert run_oncall(["-V"], capsys).out == run_oncall(["--version"], capsys).out == f"oncall {__version__}\n"


def test_a_core_error_names_the_option_the_command_took_it_from(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_oncall(["--root", str(REPO), "notify", "test", "--channel", "nope", "--dry-run"], capsys)
    assert result.code == 2
    assert result.err.startswith("error: --channel: no channel 'nope' in oncall.yaml")


def test_the_core_speaks_no_option_names() -> None:
    """Errors raised in the core say what was wrong in its own words; the CLI names the options."""
    import ast

    options = ("--person", "--schedule", "--channel", "--from", "--to", "--replaces", "--checklist", "--confirm")
    found = []
    for folder in ("edit", "notify", "readiness"):
        for path in (REPO / "oncall" / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Raise) and node.exc is not None:
                    text = " ".join(c.value for c in ast.walk(node.exc)
                                    if isinstance(c, ast.Constant) and isinstance(c.value, str))
                    found += [f"{path.relative_to(REPO)}:{node.lineno}: {o}" for o in options
                              if re.search(rf"{o}\b", text)]
    assert found == []
