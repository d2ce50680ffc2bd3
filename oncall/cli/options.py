"""The options commands share, declared once: --schedule, --person, --format, --from/--to,
--output, --dry-run; how a time ``T`` is read; the one rule for a window's defaults; and the
shell completion of schedule, person, checklist and channel ids."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import click
import typer

from oncall.cli.context import Session, local_zone, now
from oncall.cli.render import when
from oncall.cli.timeinput import parse_when as parse
from oncall.errors import OncallError, UsageError
from oncall.model import Org
from oncall.times import DAY, ParsedTime, TimeValueError, parse_duration

# --- --format ---------------------------------------------------------------------------------


class TableOrJson(StrEnum):
    """``--format`` of commands that print a table or JSON."""

    table = "table"
    json = "json"


class GenerateFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    ics = "ics"


class ReportFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class DiffFormat(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"


class ReadyFormat(StrEnum):
    table = "table"
    json = "json"
    junit = "junit"


def format_option(choices: type[StrEnum], help: str | None = None) -> Any:
    """``--format``/``-f`` with these choices."""
    names = [c.value for c in choices]
    words = f"{', '.join(names[:-1])} or {names[-1]}."
    return typer.Option("--format", "-f", help=help or words)


TableOrJsonOption = Annotated[TableOrJson, format_option(TableOrJson)]

# --- ids, with shell completion -----------------------------------------------------------------


def _completion_org(ctx: click.Context) -> Org | None:
    """The org a command line being completed works on, or None when it cannot be loaded."""
    try:
        return Session(ctx.find_root().params.get("root")).org()
    except (OncallError, OSError):
        return None


def _starting(names: Any, incomplete: str) -> list[str]:
    return sorted(n for n in names if str(n).startswith(incomplete))


def complete_schedule(ctx: click.Context, incomplete: str) -> list[str]:
    org = _completion_org(ctx)
    return _starting(org.schedules, incomplete) if org else []


def complete_person(ctx: click.Context, incomplete: str) -> list[str]:
    org = _completion_org(ctx)
    return _starting(org.people, incomplete) if org else []


def complete_checklist(ctx: click.Context, incomplete: str) -> list[str]:
    org = _completion_org(ctx)
    return _starting(org.checklists, incomplete) if org else []


def complete_channel(ctx: click.Context, incomplete: str) -> list[str]:
    org = _completion_org(ctx)
    return _starting(org.settings.notify.channels, incomplete) if org else []


SchedulesOption = Annotated[
    list[str] | None,
    typer.Option("--schedule", "-s", help="A schedule id (file stem); repeat for several. Default: all.",
                 autocompletion=complete_schedule),
]
ScheduleOption = Annotated[
    str, typer.Option("--schedule", "-s", help="The schedule id (file stem).", autocompletion=complete_schedule)
]


def person_option(help: str) -> Any:
    """``--person``/``-p``: a person id (or email, where the help says so)."""
    return typer.Option("--person", "-p", help=help, autocompletion=complete_person)


def person_argument(help: str, metavar: str = "PERSON") -> Any:
    return typer.Argument(metavar=metavar, help=help, autocompletion=complete_person)


ME_HELP = "Person id or email. Default: you ($ONCALL_PERSON, else me: in your config, else your git user.email)."

# --- times and windows ---------------------------------------------------------------------------

MAX_DAYS = 3 * 366  # the longest window a table shows (and --within looks ahead)

def from_option(default: str) -> Any:
    return typer.Option("--from", metavar="T", help=f"Start (default: {default}).")


def to_option(default: str) -> Any:
    return typer.Option("--to", metavar="T", help=f"End (default: {default}); a date includes that whole day.")


def parse_when(value: str, option: str) -> ParsedTime:
    """A time ``T`` as typed after ``option``, relative words resolved against now and this
    machine's zone; a bad value is a usage error naming the option."""
    try:
        return parse(value, now(), local_zone())
    except TimeValueError as exc:
        raise UsageError(f"{option}: {exc}") from None


def instant(value: str, option: str, *, as_end: bool = False) -> int:
    """A time ``T`` as an instant, read in this machine's zone unless it carries an offset. With
    ``as_end`` a date (or a day word such as ``tomorrow``) means the end of that whole day."""
    parsed = parse_when(value, option)
    tz = local_zone()
    return parsed.end_instant(tz) if as_end else parsed.instant(tz)


def window(start_text: str | None, end_text: str | None, *, days: int, back: bool = False,
           anchor: int | None = None, table: bool = False) -> tuple[int, int]:
    """``--from``/``--to`` under the one rule every command follows.

    A command that looks ahead starts at now (or its own ``anchor``) when ``--from`` is not given,
    and ends ``days`` after its start when ``--to`` is not given. A command that looks back
    (``back``) mirrors it: it ends now when ``--to`` is not given and starts ``days`` before its end.
    A window for a ``table`` spans at most three years.
    """
    start = instant(start_text, "--from") if start_text else None
    end = instant(end_text, "--to", as_end=True) if end_text else None
    base = now() if anchor is None else anchor
    if back:
        end = base if end is None else end
        start = end - days * DAY if start is None else start
    else:
        start = base if start is None else start
        end = start + days * DAY if end is None else end
    if end <= start:
        tz = local_zone()
        raise UsageError(f"--to must be after --from: the window would run from {when(start, tz)} to "
                         f"{when(end, tz)}; give a --to after the --from")
    if table and end - start > MAX_DAYS * DAY:
        given = "--to" if end_text else "--from"
        raise UsageError(f"{given}: a table shows at most three years ({MAX_DAYS} days); narrow --from/--to, "
                         "or use --format json or csv for longer windows")
    return start, end


def horizon(value: str, option: str = "--within") -> int:
    """A look-ahead such as ``8w`` or ``36h`` in seconds, at most three years."""
    try:
        seconds = parse_duration(value).seconds
    except TimeValueError as exc:
        raise UsageError(f"{option}: {exc}") from None
    if seconds > MAX_DAYS * DAY:
        raise UsageError(f"{option}: {value} is further ahead than oncall looks; write at most {MAX_DAYS // 7}w "
                         "(three years)")
    return seconds


def within_option(help: str) -> Any:
    return typer.Option("--within", metavar="DURATION", help=help)


# --- output ---------------------------------------------------------------------------------------

OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to this file (atomically) instead of stdout.")
]


def dry_run_option(help: str) -> Any:
    return typer.Option("--dry-run", "-n", help=help)
