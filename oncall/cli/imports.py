"""``oncall import pagerduty|opsgenie|grafana``: schedules from another service's API export."""

from __future__ import annotations

import difflib
import shutil
import textwrap
from pathlib import Path
from typing import Annotated

import typer

from oncall.cli import output, render
from oncall.cli.app import command_group
from oncall.cli.context import session
from oncall.cli.options import dry_run_option
from oncall.errors import EXIT_NO, RootNotFound, UsageError
from oncall.imports import grafana, opsgenie, pagerduty
from oncall.imports.exports import Node, read_json
from oncall.imports.model import Export
from oncall.imports.plan import ImportPlan, plan_import, write_plan
from oncall.times import zone

app = command_group("Import schedules from PagerDuty, Opsgenie or Grafana OnCall exports.")

UsersOption = Annotated[
    str | None, typer.Option("--users", metavar="USERS.json",
                             help="The service's users export, for names, emails and time zones.")]
IntoOption = Annotated[
    Path | None, typer.Option("--into", metavar="ROOT",
                              help="The config root to write into (default: the config root; created if missing).")]
DryRunOption = Annotated[bool, dry_run_option("Print what would be written; write nothing.")]
ForceOption = Annotated[bool, typer.Option("--force", help="Overwrite schedule files that exist.")]
CheckOption = Annotated[bool, typer.Option(
    "--check", help="Compare the written schedules with what the service rendered; exit 1 on any difference.")]
FilesArgument = Annotated[list[str], typer.Argument(metavar="FILE...", help="The API's JSON response; - is stdin.")]


@app.command("pagerduty")
def import_pagerduty(files: FilesArgument, users: UsersOption = None, check: CheckOption = False,
                     into: IntoOption = None, dry_run: DryRunOption = False, force: ForceOption = False) -> None:
    """Import PagerDuty schedules.

    FILE is the body of GET /schedules/{id} (with or without its "schedule" wrapper, or a list of
    schedules). --check compares with final_schedule.rendered_schedule_entries: export with
    ?since=...&until=... to include them.
    """
    export = pagerduty.read(_documents(files), _document(users))
    _finish(export, into, check=check, dry_run=dry_run, force=force)


@app.command("opsgenie")
def import_opsgenie(
    files: FilesArgument, users: UsersOption = None,
    timezone: Annotated[str | None, typer.Option(
        "--timezone", metavar="ZONE", help="The schedule's time zone, for a bare rotations list.")] = None,
    into: IntoOption = None, dry_run: DryRunOption = False, force: ForceOption = False,
) -> None:
    """Import Opsgenie schedules.

    FILE is the body of GET /v2/schedules/{id}?expand=rotation, or of a schedule's rotations list
    (with --timezone).
    """
    export = opsgenie.read(_documents(files), _document(users), timezone)
    _finish(export, into, check=False, dry_run=dry_run, force=force)


@app.command("grafana")
def import_grafana(
    schedules: Annotated[str, typer.Argument(metavar="SCHEDULES.json",
                                             help="GET /api/v1/schedules/ (or one schedule); - is stdin.")],
    shifts: Annotated[str | None, typer.Option("--shifts", metavar="SHIFTS.json",
                                               help="GET /api/v1/on_call_shifts/.")] = None,
    users: UsersOption = None,
    final_shifts: Annotated[list[str] | None, typer.Option(
        "--final-shifts", metavar="[SCHEDULE_ID=]FILE",
        help="GET /api/v1/schedules/{id}/final_shifts, for --check; repeat for several schedules.")] = None,
    check: CheckOption = False, into: IntoOption = None, dry_run: DryRunOption = False, force: ForceOption = False,
) -> None:
    """Import Grafana OnCall schedules and their shifts.

    SCHEDULES.json is the body of GET /api/v1/schedules/, --shifts that of GET
    /api/v1/on_call_shifts/. --check compares with each schedule's final shifts (--final-shifts).
    """
    if shifts is None:
        raise UsageError("pass --shifts SHIFTS.json, the body of GET /api/v1/on_call_shifts/")
    rendered: dict[str | None, Node] = {}
    for item in final_shifts or []:
        key, _, path = ("", "", item) if Path(item).exists() or "=" not in item else item.partition("=")
        if (key or None) in rendered:
            raise UsageError(f"--final-shifts {item}: given twice for the same schedule; write SCHEDULE_ID=FILE")
        rendered[key or None] = _read(path)
    export = grafana.read(_read(schedules), _read(shifts), _document(users), rendered)
    _finish(export, into, check=check, dry_run=dry_run, force=force)


# -- shared --------------------------------------------------------------------------------------

def _read(path: str) -> Node:
    return read_json(path)


def _document(path: str | None) -> Node | None:
    return None if path is None else _read(path)


def _documents(paths: list[str]) -> list[Node]:
    if paths.count("-") > 1:
        raise UsageError("FILE: stdin (-) can be read once; save the other exports to files")
    return [_read(path) for path in paths]


def _root(into: Path | None) -> Path:
    if into is not None:
        if into.exists() and not into.is_dir():
            raise UsageError(f"--into {into} is a file; pass a folder")
        return into.resolve()
    try:
        return session().root()
    except RootNotFound as exc:
        raise UsageError(f"{exc.message.split(';')[0]}; pass --into DIR to import into a new config root") from None


def _finish(export: Export, into: Path | None, *, check: bool, dry_run: bool, force: bool) -> None:
    plan = plan_import(export, _root(into), force=force, check=check)
    if dry_run:
        _show_files(plan)
    else:
        write_plan(plan)
    for planned in plan.files:
        verb = "would write" if dry_run else "wrote"
        output.info(f"{verb} {planned.display}" + ("" if planned.old is None else " (updated)"))
    for note in plan.notes:
        output.info(_wrapped(f"note: {note}", "  "))
    _show_checks(plan)
    if plan.inexact:
        output.info(f"could not be written exactly ({len(plan.inexact)}):")
        for item in plan.inexact:
            output.info(_wrapped(f"- {item.origin}: {item.what}", "  "))
            output.info(_wrapped(f"  written instead: {item.written}", "    "))
    if plan.inexact or any(c.differences for c in plan.checks):
        raise typer.Exit(EXIT_NO)


def _show_files(plan: ImportPlan) -> None:
    for planned in plan.files:
        if planned.old is None:
            output.write_text(f"# {planned.display} (new)\n{planned.text}\n")
            continue
        diff = difflib.unified_diff(planned.old.splitlines(keepends=True), planned.text.splitlines(keepends=True),
                                    f"a/{planned.display}", f"b/{planned.display}")
        output.write_text("".join(diff) + "\n")


def _show_checks(plan: ImportPlan) -> None:
    for check in plan.checks:
        tz = zone(check.timezone)
        found = len(check.differences)
        verdict = f"{found} difference{'s' if found > 1 else ''}" if found else "no difference"
        output.write_text(f"check {check.schedule}: {verdict}\n"
                          f"  {check.entries} {check.service} entries, {render.when(check.start, tz)} "
                          f"to {render.when(check.end, tz)}\n")
        label = f"{check.service}:"
        for diff in check.differences:
            output.write_text(f"  {render.when(diff.start, tz)} to {render.when(diff.end, tz)}\n"
                              f"    {label} {diff.service or 'nobody'}\n"
                              f"    {'written:':<{len(label)}} {diff.written or 'nobody'}\n")
    for schedule in plan.unchecked:
        output.info(f"not checked: {plan.service} rendered nothing for {schedule}")


def _wrapped(text: str, indent: str) -> str:
    """A diagnostic wrapped to the terminal (at least 60 columns), never cut."""
    width = max(60, min(shutil.get_terminal_size((100, 24)).columns, 120))
    return textwrap.fill(render.safe(text), width=width, subsequent_indent=indent, break_long_words=False,
                         break_on_hyphens=False)
