"""``oncall rotation add|remove``: change who takes turns in a layer from a handoff on, leaving
every shift before it as it was."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Annotated

import typer

from oncall.cli import output, render
from oncall.cli.app import command_group
from oncall.cli.changes import diff_json, diff_table
from oncall.cli.context import now, session
from oncall.cli.options import (
    ScheduleOption,
    TableOrJson,
    TableOrJsonOption,
    complete_person,
    dry_run_option,
    parse_when,
    person_argument,
)
from oncall.edit.changes import EditResult
from oncall.edit.rotation import RosterChange, change_rotation, plan_add, plan_remove
from oncall.times import ParsedTime

app = command_group("Add people to a layer's rotation or remove them, from a handoff on, without moving "
                    "any shift before it.")

LayerOption = Annotated[str | None, typer.Option(
    "--layer", "-l", metavar="NAME",
    help="The layer (its name:). Needed unless the schedule has one layer, or only one with a handoff at T.")]
AtOption = Annotated[str | None, typer.Option(
    "--at", metavar="T",
    help="The handoff from which the new list applies, in the layer's timezone unless it has an offset; a date "
         "means that day's first handoff. Default: the layer's first handoff after now.")]
DryRunOption = Annotated[bool, dry_run_option("Show the edit and the shifts that change; write nothing.")]


def _at(value: str | None) -> ParsedTime | None:
    return parse_when(value, "--at") if value is not None else None


@app.command("add")
def add(
    person: Annotated[str, person_argument("Who joins the rotation.")],
    schedule: ScheduleOption,
    layer: LayerOption = None,
    after: Annotated[str | None, typer.Option(
        "--after", metavar="PERSON", autocompletion=complete_person,
        help="Who they follow in the rotation order. Default: at the end of the list.")] = None,
    at: AtOption = None,
    dry_run: DryRunOption = False,
    fmt: TableOrJsonOption = TableOrJson.table,
) -> None:
    """Add PERSON to a layer's rotation from a handoff on.

    Every shift that starts before the handoff stays as it is; from it, the rotation goes on with
    whoever was due then, in the new order. The layer is ended at the handoff and continued by a
    layer with the new list (the file keeps its comments); the whole config is checked before the
    file is replaced.
    """
    org = session().org()
    change = plan_add(org, schedule, person, layer=layer, after=after, at=_at(at), now=now())
    _report(change, change_rotation(org, change, write=not dry_run), dry_run, fmt)


@app.command("remove")
def remove(
    person: Annotated[str, person_argument("Who leaves the rotation.")],
    schedule: ScheduleOption,
    layer: LayerOption = None,
    at: AtOption = None,
    dry_run: DryRunOption = False,
    fmt: TableOrJsonOption = TableOrJson.table,
) -> None:
    """Remove PERSON from a layer's rotation from a handoff on.

    Every shift that starts before the handoff stays as it is; from it, the rotation goes on with
    whoever was due then (if that was PERSON, the next one in the old order), without PERSON.
    Shifts PERSON still has through overrides stay; the file keeps its comments.
    """
    org = session().org()
    change = plan_remove(org, schedule, person, layer=layer, at=_at(at), now=now())
    _report(change, change_rotation(org, change, write=not dry_run), dry_run, fmt)


def _report(change: RosterChange, result: EditResult, dry_run: bool, fmt: TableOrJson) -> None:
    try:
        shown = result.path.relative_to(Path.cwd())
    except ValueError:
        shown = result.path
    try:  # the file as git names it, when the config root is the repository's top
        name = result.path.relative_to(result.before.root)
    except ValueError:
        name = result.path
    edit = "".join(difflib.unified_diff(result.old_text.splitlines(keepends=True),
                                        result.text.splitlines(keepends=True), f"a/{name}", f"b/{name}"))
    changes = result.changes()
    sched = result.before.schedules[change.schedule]
    if fmt is TableOrJson.json:
        output.print_json({
            "file": str(result.path), "written": not dry_run, "schedule": change.schedule, "layer": change.layer,
            "continued_as": change.continued_as, "at": render.json_time(change.at, sched),
            "people_before": list(change.before), "people_after": list(change.after), "due": change.due,
            "edit": edit, **diff_json(result.before, result.after, changes)})
    else:
        if dry_run:
            output.write_text(render.safe_lines(edit))
        diff_table(result.before, result.after, changes, None)
    verb = ("would add" if dry_run else "added") if change.added_at is not None else \
        ("would remove" if dry_run else "removed")
    where = "to" if change.added_at is not None else "from"
    output.info(f"{verb} {change.person} {where} layer {render.safe(change.layer)} of {change.schedule} from "
                f"{render.when(change.at, sched.tz)} ({change.due} is due then) in {shown}")

