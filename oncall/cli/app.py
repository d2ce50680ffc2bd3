"""The ``oncall`` command: the command registry, the global options and the one error handler.

Commands are loaded lazily, through click's public group API (``list_commands`` and
``get_command``): ``oncall whois now`` imports and builds only the ``whois`` command, so
start-up costs little more than importing the libraries every command needs.
"""

from __future__ import annotations

import gc
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, NoReturn

import click
import typer
from typer.core import TyperGroup

from oncall import __version__
from oncall.cli import output
from oncall.cli.context import Session
from oncall.errors import EXIT_OK, EXIT_USAGE, ConfigErrors, OncallError

# Every command and command group of ``oncall``: its name and "module:object", where the object
# is a ``typer.Typer`` (a group of commands) or a function (one command). Adding a command group
# is one line here; `oncall --help` lists them in this order.
COMMANDS: dict[str, str] = {
    "whois": "oncall.cli.whois:whois",
    "next": "oncall.cli.whois:next_shifts",
    "schedule": "oncall.cli.schedule:app",
    "report": "oncall.cli.report:app",
    "override": "oncall.cli.edit:override_app",
    "timeoff": "oncall.cli.edit:timeoff_app",
    "swap": "oncall.cli.edit:swap",
    "rotation": "oncall.cli.rotation:app",
    "ready": "oncall.cli.ready:app",
    "secret": "oncall.cli.secret:app",
    "whoami": "oncall.cli.identity:whoami",
    "config": "oncall.cli.identity:app",
    "playbook": "oncall.cli.playbook:app",
    "calendar": "oncall.cli.calendar:app",
    "notify": "oncall.cli.notify:app",
    "init": "oncall.cli.init:init",
    "schema": "oncall.cli.init:schema",
    "import": "oncall.cli.imports:app",
    "site": "oncall.cli.site:app",
}


def command_group(help: str) -> typer.Typer:
    """A typer app for a group of commands (``oncall schedule ...``): a group even with one command."""

    def group() -> None:
        pass

    return typer.Typer(help=help, callback=group, no_args_is_help=True, add_completion=False,
                       rich_markup_mode=None, suggest_commands=False)  # click suggests already


def load_command(name: str, ref: str) -> click.Command:
    """The click command of a registry entry: a group's typer app, or one function made a command."""
    module_name, _, attribute = ref.partition(":")
    target = getattr(importlib.import_module(module_name), attribute)
    if not isinstance(target, typer.Typer):
        single = typer.Typer(add_completion=False, rich_markup_mode=None)
        single.command(name)(target)
        target = single
    command = typer.main.get_command(target)
    command.name = name
    return command


class LazyGroup(TyperGroup):
    """The top-level group: knows its commands by name and builds each one only when it is used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            self.add_command(load_command(cmd_name, COMMANDS[cmd_name]), cmd_name)
        return self.commands.get(cmd_name)

    def resolve_command(self, ctx: click.Context, args: list[str]) -> tuple[str | None, click.Command | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except click.exceptions.NoSuchCommand as exc:  # suggest from every name, loaded or not
            raise click.exceptions.NoSuchCommand(exc.command_name, possibilities=COMMANDS, ctx=ctx) from None


app = typer.Typer(
    name="oncall",
    cls=LazyGroup,
    help="On-call as code: rotations and readiness checklists in YAML.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    suggest_commands=False,  # LazyGroup.resolve_command suggests
)


def _version(value: bool) -> None:
    if value:
        output.write_text(f"oncall {__version__}\n")
        raise typer.Exit()


@app.callback()
def _global(
    ctx: typer.Context,
    root: Annotated[
        Path | None,
        typer.Option("--root", help="The config root (a folder with schedules/). Default: $ONCALL_ROOT, "
                     "else the nearest parent folder with a schedules/ folder."),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", "-V", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """On-call as code: rotations and readiness checklists in YAML."""
    ctx.ensure_object(Session).root_option = root


def run(args: Sequence[str] | None = None) -> int:
    """Run ``oncall ARGS`` (default: the process's arguments) and return its exit code.

    Each run starts clean: its session (config root, loaded org) lives in the click context of
    that run only. Errors are translated here, once: an ``OncallError`` is one ``error:`` line per
    problem and its exit code, a usage error (click's) is one ``error:`` line and exit 2, a closed
    stdout is a normal end.
    """
    argv = list(sys.argv[1:] if args is None else args)
    current = Session()
    try:
        return _run(argv, current)
    finally:
        current.close()


def _run(argv: list[str], current: Session) -> int:
    try:
        with output.guarded_stdout():
            code = typer.main.get_command(app).main(argv, prog_name="oncall", standalone_mode=False, obj=current)
            sys.stdout.flush()
    except output.StdoutClosed:
        return _closed_stdout()
    except OncallError as exc:
        if isinstance(exc, ConfigErrors):
            for problem in exc.problems:
                output.error(str(problem))
        else:
            option = current.option_for(exc.argument) if exc.argument else None
            output.error(f"{option}: {exc}" if option else str(exc))
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.exceptions.Abort:
        output.error("aborted")
        return 130
    except KeyboardInterrupt:
        output.error("interrupted")
        return 130
    except click.exceptions.NoArgsIsHelpError as exc:  # a bare command group: its help
        exc.show()
        return EXIT_USAGE
    except click.exceptions.UsageError as exc:
        output.error(_usage_line(exc))
        return EXIT_USAGE
    except click.exceptions.ClickException as exc:
        exc.show()
        return exc.exit_code if exc.exit_code else EXIT_USAGE
    return code if isinstance(code, int) else EXIT_OK


def _usage_line(exc: click.exceptions.UsageError) -> str:
    """A usage error as one line: click's message and the help that shows the usage."""
    command = exc.ctx.command_path if exc.ctx is not None else "oncall"
    return f"{exc.format_message().rstrip('.')}; see `{command} --help`"


def _closed_stdout() -> int:
    """The reader of stdout went away (``| head``): a normal end, with nothing more to say.

    stdout is pointed at /dev/null so the interpreter's own flush at exit does not fail again.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return EXIT_OK


def main(args: Sequence[str] | None = None) -> NoReturn:
    """The ``oncall`` program: ``run`` and exit with its code."""
    code = run(args)
    # The process ends here. As it exits, Python runs its cyclic collector over every object
    # still alive (the loaded org, the caches, the modules), which finds nothing that needs it:
    # 35-68 ms of CPU at the end of a year's `generate` (docs/performance.md). gc.freeze leaves
    # them out of it; everything is still freed with the process, and stdout and stderr are
    # still flushed.
    gc.freeze()
    sys.exit(code)

