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

# Which modules define the commands and groups of the top level (see ``_app_for``).
COMMAND_MODULES: dict[str, tuple[str, ...]] = {
    "whois": ("whois_cmds",),
    "next": ("whois_cmds",),
    "schedule": ("schedule_cmds", "whois_cmds", "edit_cmds"),
    "init": ("schedule_cmds",),
    "schema": ("schedule_cmds",),
    "ready": ("ready_cmds",),
    "secret": ("ready_cmds",),
    "playbook": ("ready_cmds",),
    "calendar": ("calendar_cmds",),
    "notify": ("notify_cmds",),
    "override": ("edit_cmds",),
    "timeoff": ("edit_cmds",),
    "swap": ("edit_cmds",),
    "report": ("edit_cmds",),
}
ALL_MODULES = tuple(dict.fromkeys(m for mods in COMMAND_MODULES.values() for m in mods))


class _OncallTyper(typer.Typer):
    """The top-level app: imports its command modules the first time typer reads its commands.

    Until then only this module is loaded, so ``main`` can import just the module of the
    command being run (``_app_for``); tests and other callers that use ``app`` directly see
    every command as usual.
    """

    _autoload = False  # off while this module builds the app and while modules register

    def _load_modules(self) -> None:
        if self._autoload:
            self._autoload = False
            _import_command_modules(ALL_MODULES)

    @property
    def registered_commands(self) -> list:
        self._load_modules()
        return self._commands

    @registered_commands.setter
    def registered_commands(self, value: list) -> None:
        self._commands = value

    @property
    def registered_groups(self) -> list:
        self._load_modules()
        return self._groups

    @registered_groups.setter
    def registered_groups(self, value: list) -> None:
        self._groups = value


app = _OncallTyper(
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


def _import_command_modules(names: tuple[str, ...]) -> None:
    """Import command modules; each adds its commands to the apps above with decorators and
    imports nothing heavy at import time."""
    import importlib

    for name in names:
        importlib.import_module(f"oncall.cli.{name}")


app._autoload = True


def _command_name(argv: list[str]) -> str | None:
    """The command or group named on the command line, skipping global options."""
    args = iter(argv)
    for arg in args:
        if arg == "--root":
            next(args, None)
        elif not arg.startswith("-"):
            return arg
    return None


def _app_for(argv: list[str]) -> typer.Typer:
    """The app narrowed to the one command or group being run.

    typer turns every registered function into a click command on each run (inspecting
    signatures and annotations), which costs more than answering ``oncall whois now`` itself.
    Giving it only the command in use keeps start-up close to the cost of importing the
    libraries; ``oncall --help`` and unknown names still get the whole app.
    """
    import copy

    name = _command_name(argv)
    if name not in COMMAND_MODULES:
        return app
    autoload, app._autoload = app._autoload, False
    try:
        _import_command_modules(COMMAND_MODULES[name])
    finally:
        app._autoload = autoload
    commands = [c for c in app._commands if (c.name or "") == name]
    groups = [g for g in app._groups if g.name == name]
    if not commands and not groups:
        return app
    narrow = copy.copy(app)
    narrow._autoload = False
    narrow.registered_commands = commands
    narrow.registered_groups = groups
    return narrow


def main() -> None:
    """Run the CLI, translating every ``OncallError`` into one message and its exit code."""
    try:
        code = _app_for(sys.argv[1:])(standalone_mode=False)
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
