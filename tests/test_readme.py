"""Every command has help text and is documented in the README; the README's two commands
are the ones that work."""

from __future__ import annotations

import re
from pathlib import Path

import click
import typer

from oncall.cli.app import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands(command: click.Command, path: tuple[str, ...] = ()):
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from _commands(sub, (*path, name))
    else:
        yield path, command


def test_every_command_has_help_and_a_readme_entry():
    root = typer.main.get_command(app)
    found = list(_commands(root))
    assert len(found) >= 20
    for path, command in found:
        words = " ".join(path)
        assert (command.help or "").strip(), f"oncall {words} has no help text"
        assert f"oncall {words}" in README, f"`oncall {words}` is not documented in README.md"


def test_readme_shows_the_two_commands():
    blocks = re.findall(r"```sh\n(.*?)```", README, re.S)
    assert any("pip install -e ." in b and "oncall whois now" in b for b in blocks)
    assert any("pip install -e '.[test]'" in b and "pytest" in b for b in blocks)
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text(encoding="utf-8")
    assert "python3 -m pip install -q -e '.[test]' && python3 -m pytest" in ci
