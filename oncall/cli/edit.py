"""``oncall override add``, ``oncall timeoff add`` and ``oncall swap``: edits to the YAML files
that print the shifts they change."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from oncall.cli import output
from oncall.cli.app import command_group
from oncall.cli.changes import diff_json, diff_table
from oncall.cli.context import session
from oncall.cli.options import (
    ScheduleOption,
    TableOrJson,
    TableOrJsonOption,
    dry_run_option,
    parse_when,
    person_argument,
    person_option,
)
from oncall.edit.changes import EditResult, TimeArg, add_override, add_time_off
from oncall.edit.changes import swap as swap_shifts

override_app = command_group("Add overrides to a schedule file.")
timeoff_app = command_group("Add time off to people.yaml.")

EDIT_TIME = ("In the file's own timezone unless it has an offset: the schedule's for overrides and swaps, "
             "the person's for time off. A date (or a day word: tomorrow, next monday) is a whole day.")
FromOption = Annotated[str, typer.Option("--from", metavar="T", help="Start. " + EDIT_TIME)]
ToOption = Annotated[str, typer.Option("--to", metavar="T", help="End (exclusive; a date includes that day).")]
DryRunOption = Annotated[bool, dry_run_option("Show what would change; write nothing.")]
ReasonOption = Annotated[str | None, typer.Option("--reason", help="Why, written to the file for reviewers.")]


def _times(start: str, end: str) -> tuple[TimeArg, TimeArg]:
    return TimeArg("start", parse_when(start, "--from")), TimeArg("end", parse_when(end, "--to"))


@override_app.command("add")
def override_add(
    schedule: ScheduleOption,
    person: Annotated[str, person_option("Who is on call instead.")],
    start: FromOption,
    end: ToOption,
    replaces: Annotated[
        str | None, typer.Option("--replaces", help="Who is being covered; recorded in the file for reviewers.")
    ] = None,
    reason: ReasonOption = None,
    dry_run: DryRunOption = False,
    fmt: TableOrJsonOption = TableOrJson.table,
) -> None:
    """Add an override to schedules/<id>.yaml and print the shifts that change.

    The file keeps its comments and layout; the edit is checked with the whole config before the
    file is replaced, and refused (exit 2, file untouched) when it would not load.
    """
    result = add_override(session().org(), schedule, person, *_times(start, end), replaces, reason,
                          write=not dry_run)
    _report(result, dry_run, fmt, f"override for {person} on {schedule}")


@timeoff_app.command("add")
def timeoff_add(
    person: Annotated[str, person_option("Whose time off.")],
    start: FromOption,
    end: ToOption,
    reason: ReasonOption = None,
    dry_run: DryRunOption = False,
    fmt: TableOrJsonOption = TableOrJson.table,
) -> None:
    """Add time off to a person in schedules/people.yaml and print the shifts that change.

    Layers hand the person's turns to the next person in their rotation during it.
    """
    result = add_time_off(session().org(), person, *_times(start, end), reason, write=not dry_run)
    _report(result, dry_run, fmt, f"time off for {person}")


def swap(
    first: Annotated[str, person_argument("Takes the other's shifts in the window.")],
    second: Annotated[str, person_argument("Takes the first person's shifts in the window.", "OTHER")],
    schedule: ScheduleOption,
    start: FromOption,
    end: ToOption,
    reason: ReasonOption = None,
    dry_run: DryRunOption = False,
    fmt: TableOrJsonOption = TableOrJson.table,
) -> None:
    """Swap two people's shifts within a window by writing the overrides the swap needs.

    Each shift either person has in [--from, --to) becomes an override for the other, with
    `replaces:` recorded. Both must have at least one shift in the window.
    """
    result = swap_shifts(session().org(), schedule, first, second, *_times(start, end), reason, write=not dry_run)
    _report(result, dry_run, fmt, f"swap of {first} and {second} on {schedule}")


def _report(result: EditResult, dry_run: bool, fmt: TableOrJson, what: str) -> None:
    changes = result.changes()
    try:
        shown = result.path.relative_to(Path.cwd())
    except ValueError:
        shown = result.path
    if fmt is TableOrJson.json:
        output.print_json({"file": str(result.path), "written": not dry_run,
                           **diff_json(result.before, result.after, changes)})
    else:
        diff_table(result.before, result.after, changes, None)
    output.info(f"{'would add' if dry_run else 'added'} {what} to {shown}")
