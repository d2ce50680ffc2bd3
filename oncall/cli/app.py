"""The ``oncall`` command: the typer app, global options and the one error handler."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from oncall import __version__
from oncall.cli import output
from oncall.cli.context import state
from oncall.errors import EXIT_USAGE, ConfigErrors, OncallError

app = typer.Typer(
    name="oncall",
    help="On-call as code: rotations and readiness checklists in YAML.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
schedule_app = typer.Typer(help="Validate, generate and compare schedules.", no_args_is_help=True)
calendar_app = typer.Typer(help="Publish calendar feeds people can subscribe to.", no_args_is_help=True)
secret_app = typer.Typer(help="Keep checklist secrets in the OS keyring.", no_args_is_help=True)
notify_app = typer.Typer(help="Send shift reminders, handoffs and readiness alerts.", no_args_is_help=True)
override_app = typer.Typer(help="Add overrides to a schedule file.", no_args_is_help=True)
timeoff_app = typer.Typer(help="Add time off to people.yaml.", no_args_is_help=True)
report_app = typer.Typer(help="Reports over generated shifts.", no_args_is_help=True)
playbook_app = typer.Typer(help="Read the playbooks checklists link to.", no_args_is_help=True)

for sub, name in (
    (schedule_app, "schedule"),
    (calendar_app, "calendar"),
    (secret_app, "secret"),
    (notify_app, "notify"),
    (override_app, "override"),
    (timeoff_app, "timeoff"),
    (report_app, "report"),
    (playbook_app, "playbook"),
):
    app.add_typer(sub, name=name)


def _version(value: bool) -> None:
    if value:
        output.write_text(f"oncall {__version__}\n")
        raise typer.Exit()


@app.callback()
def _global(
    root: Annotated[
        Path | None,
        typer.Option("--root", help="The config root (a folder with schedules/). Default: $ONCALL_ROOT, "
                     "else the nearest parent folder with a schedules/ folder."),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """On-call as code: rotations and readiness checklists in YAML."""
    state.root_option = root
    state.reset()


def _register_commands() -> None:
    # Each module adds its commands to the apps above; none imports heavy libraries at import time.
    import importlib

    for module in (
        "oncall.cli.schedule_cmds",
        "oncall.cli.whois_cmds",
        "oncall.cli.calendar_cmds",
        "oncall.cli.ready_cmds",
        "oncall.cli.notify_cmds",
        "oncall.cli.edit_cmds",
    ):
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise


_register_commands()


def main() -> None:
    """Run the CLI, translating every ``OncallError`` into one message and its exit code."""
    try:
        code = app(standalone_mode=False)
    except OncallError as exc:
        if isinstance(exc, ConfigErrors):
            for problem in exc.problems:
                output.error(str(problem))
        else:
            output.error(str(exc))
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        output.error("aborted")
        sys.exit(130)
    except KeyboardInterrupt:
        output.error("interrupted")
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:  # click's usage errors and friends
        import click

        if isinstance(exc, click.exceptions.ClickException):
            exc.show()
            sys.exit(exc.exit_code if exc.exit_code else EXIT_USAGE)
        if isinstance(exc, click.exceptions.Exit):
            sys.exit(exc.exit_code)
        raise
    sys.exit(code if isinstance(code, int) else 0)
