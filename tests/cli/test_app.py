"""The narrowed app that `main` runs has exactly the commands of the full app."""

from __future__ import annotations

import subprocess
import sys

import pytest
import typer

from oncall.cli import app as app_module


def _names(group: typer.Typer) -> set[str]:
    command = typer.main.get_command(group)
    return set(getattr(command, "commands", {}))


@pytest.mark.parametrize("name", sorted(app_module.COMMAND_MODULES))
def test_narrowed_app_offers_the_same_command(name):
    narrow = app_module._app_for([name, "--help"])
    full = typer.main.get_command(app_module.app)
    assert name in full.commands  # type: ignore[attr-defined]
    assert _names(narrow) == {name}
    assert typer.main.get_command(narrow).commands[name].to_info_dict(  # type: ignore[attr-defined]
        typer.main.click.Context(full)
    ) == full.commands[name].to_info_dict(typer.main.click.Context(full))  # type: ignore[attr-defined]


def test_every_top_level_command_is_mapped_to_its_module():
    full = typer.main.get_command(app_module.app)
    assert set(full.commands) == set(app_module.COMMAND_MODULES)  # type: ignore[attr-defined]


def test_global_root_option_is_skipped_when_finding_the_command():
    assert app_module._command_name(["--root", "whois", "next"]) == "next"
    assert app_module._command_name(["--root=x", "whois"]) == "whois"
    assert app_module._command_name(["--help"]) is None


def test_whois_imports_only_its_own_command_module():
    code = ("import sys; from oncall.cli.app import _app_for; _app_for(['whois']);"
            "print(sorted(m for m in sys.modules if m.endswith('_cmds')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['oncall.cli.whois_cmds']"
