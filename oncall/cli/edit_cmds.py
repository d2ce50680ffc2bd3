"""``oncall override add``, ``timeoff add``, ``swap``, ``schedule diff`` and ``report hours``."""

from __future__ import annotations

import csv
import io
from datetime import datetime, tzinfo
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from oncall.cli import output
from oncall.cli.app import app, override_app, report_app, schedule_app, timeoff_app
from oncall.cli.context import local_zone, now, parse_instant, state
from oncall.cli.output import TableOrJson
from oncall.errors import EXIT_NO, UsageError
from oncall.times import iso

if TYPE_CHECKING:
    from oncall.edit.changes import EditResult
    from oncall.edit.diff import ShiftDiff
    from oncall.edit.hours import HoursReport
    from oncall.model import Org

DAY = 86400
DIFF_DAYS = 56  # schedule diff looks eight weeks ahead by default
REPORT_DAYS = 84  # report hours looks back twelve weeks by default
MARKER = "<!-- oncall-schedule-diff -->"  # lets a CI job find and update its own comment


class DiffFormat(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"


class ReportFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


EDIT_TIME = "In the file's own timezone unless it has an offset: the schedule's for overrides and " \
            "swaps, the person's for time off. A date is a whole day."
FromOption = Annotated[str, typer.Option("--from", metavar="T", help="Start. " + EDIT_TIME)]
ToOption = Annotated[str, typer.Option("--to", metavar="T", help="End (exclusive; a date includes that day).")]
DryRunOption = Annotated[bool, typer.Option("--dry-run", "-n", help="Show what would change; write nothing.")]
EditFormatOption = Annotated[TableOrJson, typer.Option("--format", "-f", help="table or json.")]
ReasonOption = Annotated[str | None, typer.Option("--reason", help="Why, written to the file for reviewers.")]


@override_app.command("add")
def override_add(
    schedule: Annotated[str, typer.Option("--schedule", "-s", help="The schedule id (file stem).")],
    person: Annotated[str, typer.Option("--person", "-p", help="Who is on call instead.")],
    start: FromOption,
    end: ToOption,
    replaces: Annotated[
        str | None, typer.Option("--replaces", help="Who is being covered; recorded in the file for reviewers.")
    ] = None,
    reason: ReasonOption = None,
    dry_run: DryRunOption = False,
    fmt: EditFormatOption = TableOrJson.table,
) -> None:
    """Add an override to schedules/<id>.yaml and print the shifts that change.

    The file keeps its comments and layout; the edit is checked with the whole config before the
    file is replaced, and refused (exit 2, file untouched) when it would not load.
    """
    from oncall.edit.changes import add_override, time_arg

    result = add_override(state.org(), schedule, person, time_arg(start, "--from"), time_arg(end, "--to"),
                          replaces, reason, write=not dry_run)
    _report_edit(result, dry_run, fmt, f"override for {person} on {schedule}")


@timeoff_app.command("add")
def timeoff_add(
    person: Annotated[str, typer.Option("--person", "-p", help="Whose time off.")],
    start: FromOption,
    end: ToOption,
    reason: ReasonOption = None,
    dry_run: DryRunOption = False,
    fmt: EditFormatOption = TableOrJson.table,
) -> None:
    """Add time off to a person in schedules/people.yaml and print the shifts that change.

    Layers hand the person's turns to the next person in their rotation during it.
    """
    from oncall.edit.changes import add_time_off, time_arg

    result = add_time_off(state.org(), person, time_arg(start, "--from"), time_arg(end, "--to"), reason,
                          write=not dry_run)
    _report_edit(result, dry_run, fmt, f"time off for {person}")


@app.command("swap")
def swap_command(
    first: Annotated[str, typer.Argument(metavar="PERSON", help="Takes the other's shifts in the window.")],
    second: Annotated[str, typer.Argument(metavar="OTHER", help="Takes the first person's shifts in the window.")],
    schedule: Annotated[str, typer.Option("--schedule", "-s", help="The schedule id (file stem).")],
    start: FromOption,
    end: ToOption,
    reason: ReasonOption = None,
    dry_run: DryRunOption = False,
    fmt: EditFormatOption = TableOrJson.table,
) -> None:
    """Swap two people's shifts within a window by writing the overrides the swap needs.

    Each shift either person has in [--from, --to) becomes an override for the other, with
    `replaces:` recorded. Both must have at least one shift in the window.
    """
    from oncall.edit.changes import swap, time_arg

    result = swap(state.org(), schedule, first, second, time_arg(start, "--from"), time_arg(end, "--to"),
                  reason, write=not dry_run)
    _report_edit(result, dry_run, fmt, f"swap of {first} and {second} on {schedule}")


@schedule_app.command("diff")
def diff_command(
    rev: Annotated[
        str | None, typer.Argument(metavar="[REV]", help="The git revision to compare from (default: HEAD).")
    ] = None,
    rev2: Annotated[
        str | None, typer.Argument(metavar="[REV2]", help="Compare to this revision instead of the working tree.")
    ] = None,
    start_text: Annotated[str | None, typer.Option("--from", metavar="T", help="Start (default: now).")] = None,
    end_text: Annotated[
        str | None, typer.Option("--to", metavar="T", help="End (default: eight weeks after --from); a date "
                                 "includes that whole day.")
    ] = None,
    fmt: Annotated[DiffFormat, typer.Option("--format", "-f", help="table, json or markdown.")] = DiffFormat.table,
    exit_code: Annotated[
        bool, typer.Option("--exit-code", help="Exit 1 when any shift changes (like git diff --exit-code).")
    ] = False,
) -> None:
    """Show how shifts change between git revisions, or between a revision and the working tree.

    With no REV: HEAD against the working tree. With REV: REV against the working tree. With REV
    and REV2: REV against REV2. Lists each interval whose on-call person changes, gaps opened or
    closed, and the hours each person gains and loses. --format markdown makes a pull-request
    comment.
    """
    from oncall.edit.diff import diff
    from oncall.edit.git import org_at

    root = state.root()
    old_label = rev or "HEAD"
    before = org_at(root, old_label)
    after = org_at(root, rev2) if rev2 else state.org()
    new_label = rev2 or "working tree"
    start, end = _window(start_text, end_text, DIFF_DAYS, ahead=True)
    result = diff(before, after, start, end)
    title = f"{old_label} → {new_label}"
    if fmt is DiffFormat.json:
        output.print_json({"from_rev": old_label, "to_rev": rev2, **_diff_json(before, after, result)})
    elif fmt is DiffFormat.markdown:
        output.write_text(_diff_markdown(before, after, result, title))
    else:
        _diff_table(before, after, result, title)
    if exit_code and result:
        raise typer.Exit(EXIT_NO)


@report_app.command("hours")
def hours_command(
    start_text: Annotated[
        str | None, typer.Option("--from", metavar="T", help="Start (default: twelve weeks before --to).")
    ] = None,
    end_text: Annotated[
        str | None, typer.Option("--to", metavar="T", help="End (default: now, or twelve weeks after --from); "
                                 "a date includes that whole day.")
    ] = None,
    schedule: Annotated[
        list[str] | None,
        typer.Option("--schedule", "-s", help="A schedule id (file stem); repeat for several. Default: all."),
    ] = None,
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="table, json or csv.")] = ReportFormat.table,
) -> None:
    """Per person: on-call hours, hours at night (22:00-07:00) and at weekends on their own clock,
    on public holidays of their `country:`, and number of shifts; then each schedule's spread.

    Hours are elapsed time, so a shift across a DST change counts the hour gained or lost.
    """
    from oncall.edit.hours import hours_report

    org = state.org()
    start, end = _window(start_text, end_text, REPORT_DAYS, ahead=False)
    report = hours_report(org, start, end, schedule)
    if fmt is ReportFormat.json:
        output.print_json(_report_json(org, report))
    elif fmt is ReportFormat.csv:
        output.write_text(_report_csv(org, report))
    else:
        _report_table(org, report)


# --- edits -------------------------------------------------------------------------------------


def _report_edit(result: EditResult, dry_run: bool, fmt: TableOrJson, what: str) -> None:
    from pathlib import Path

    changes = result.changes()
    try:
        shown = result.path.relative_to(Path.cwd())
    except ValueError:
        shown = result.path
    if fmt is TableOrJson.json:
        output.print_json({"file": str(result.path), "written": not dry_run,
                           **_diff_json(result.before, result.after, changes)})
    else:
        _diff_table(result.before, result.after, changes, None)
    output.info(f"{'would add' if dry_run else 'added'} {what} to {shown}")


# --- diff rendering ----------------------------------------------------------------------------


def _diff_json(before: Org, after: Org, result: ShiftDiff) -> dict[str, Any]:
    viewer = local_zone()
    return {
        "from": iso(result.start, viewer),
        "to": iso(result.end, viewer),
        "changes": [
            {
                "schedule": c.schedule,
                "start": iso(c.start, _tz(before, after, c.schedule)),
                "end": iso(c.end, _tz(before, after, c.schedule)),
                "hours": _hours_number(c.seconds),
                "kind": c.kind,
                "before": c.before,
                "after": c.after,
            }
            for c in result.changes
        ],
        "people": [
            {"person": p.person, "gained_hours": _hours_number(p.gained), "lost_hours": _hours_number(p.lost),
             "net_hours": _hours_number(p.net)}
            for p in result.people
        ],
        "schedules_added": list(result.added),
        "schedules_removed": list(result.removed),
    }


def _diff_table(before: Org, after: Org, result: ShiftDiff, title: str | None) -> None:
    from rich.table import Table

    console = output.stdout()
    viewer = local_zone()
    span = f"between {_when(result.start, viewer)} and {_when(result.end, viewer)}"
    if title:
        console.print(f"{title}: shifts {span}")
    if not result:
        console.print(f"No shift changes {span}.")
        return
    for schedule, changes in _grouped(result):
        tz = _tz(before, after, schedule)
        table = Table(title=_schedule_title(before, after, schedule, result), title_justify="left")
        for column in ("From", "To"):
            table.add_column(column, no_wrap=True)
        table.add_column("Length", justify="right")
        table.add_column("Before")
        table.add_column("After")
        for c in changes:
            table.add_row(_when(c.start, tz), _when(c.end, tz), _length(c.seconds),
                          _who(before, c.before), _who(after, c.after))
        console.print(table)
    if result.people:
        table = Table(title="Hours", title_justify="left")
        table.add_column("Person")
        for column in ("Gained", "Lost", "Net"):
            table.add_column(column, justify="right")
        for p in result.people:
            table.add_row(_who(after, p.person), _hours(p.gained), _hours(p.lost), _signed(p.net))
        console.print(table)


def _diff_markdown(before: Org, after: Org, result: ShiftDiff, title: str) -> str:
    viewer = local_zone()
    span = f"{_when(result.start, viewer)} to {_when(result.end, viewer)}"
    lines = [MARKER, f"### On-call changes: {_md(title)}", ""]
    if not result:
        lines += [f"No shift changes from {span}.", ""]
        return "\n".join(lines)
    count = len(result.changes)
    lines += [f"{count} change{'s' if count != 1 else ''} to who is on call from {span}.", ""]
    for schedule, changes in _grouped(result):
        tz = _tz(before, after, schedule)
        lines += [f"#### {_md(_schedule_title(before, after, schedule, result))}", "",
                  "| From | To | Length | Before | After |", "| --- | --- | ---: | --- | --- |"]
        for c in changes:
            old = _md(_who(before, c.before)) if c.before else "**nobody**"
            new = _md(_who(after, c.after)) if c.after else "**nobody**"
            lines.append(f"| {_when(c.start, tz)} | {_when(c.end, tz)} | {_length(c.seconds)} | {old} | {new} |")
        lines.append("")
    if result.people:
        lines += ["#### Hours", "", "| Person | Gained | Lost | Net |", "| --- | ---: | ---: | ---: |"]
        for p in result.people:
            lines.append(f"| {_md(_who(after, p.person))} | {_hours(p.gained)} | {_hours(p.lost)} | {_signed(p.net)} |")
        lines.append("")
    return "\n".join(lines)


def _grouped(result: ShiftDiff) -> list[tuple[str, list[Any]]]:
    groups: dict[str, list[Any]] = {}
    for change in result.changes:
        groups.setdefault(change.schedule, []).append(change)
    return sorted(groups.items())


def _schedule_title(before: Org, after: Org, schedule: str, result: ShiftDiff) -> str:
    sched = after.schedules.get(schedule) or before.schedules[schedule]
    note = " (new schedule)" if schedule in result.added else " (removed)" if schedule in result.removed else ""
    return f"{sched.display} ({schedule}, {sched.timezone}){note}"


def _tz(before: Org, after: Org, schedule: str) -> tzinfo:
    sched = after.schedules.get(schedule) or before.schedules[schedule]
    return sched.tz


# --- hours report rendering --------------------------------------------------------------------


def _report_json(org: Org, report: HoursReport) -> dict[str, Any]:
    viewer = local_zone()
    return {
        "from": iso(report.start, viewer),
        "to": iso(report.end, viewer),
        "people": [
            {
                "person": p.person,
                "name": _who(org, p.person),
                "timezone": org.people[p.person].timezone if p.person in org.people else None,
                "country": p.country,
                "hours": _hours_number(p.total),
                "night_hours": _hours_number(p.night),
                "weekend_hours": _hours_number(p.weekend),
                "holiday_hours": None if p.holiday is None else _hours_number(p.holiday),
                "shifts": p.shifts,
            }
            for p in report.people
        ],
        "schedules": [
            {
                "schedule": s.schedule,
                "hours": {person: _hours_number(seconds) for person, seconds in s.seconds},
                "max": {"person": s.most, "hours": _hours_number(s.max)},
                "min": {"person": s.least, "hours": _hours_number(s.min)},
                "spread": None if s.ratio is None else round(s.ratio, 2),
            }
            for s in report.schedules
        ],
    }


def _report_csv(org: Org, report: HoursReport) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["person", "name", "hours", "night_hours", "weekend_hours", "holiday_hours", "shifts"])
    for p in report.people:
        holiday = "" if p.holiday is None else _hours_number(p.holiday)
        writer.writerow([p.person, _who(org, p.person), _hours_number(p.total), _hours_number(p.night),
                         _hours_number(p.weekend), holiday, p.shifts])
    return buffer.getvalue()


def _report_table(org: Org, report: HoursReport) -> None:
    from rich.table import Table

    console = output.stdout()
    viewer = local_zone()
    console.print(f"On-call hours, {_when(report.start, viewer)} to {_when(report.end, viewer)}")
    table = Table()
    table.add_column("Person")
    for column in ("Hours", "Night", "Weekend", "Holiday", "Shifts"):
        table.add_column(column, justify="right")
    for p in report.people:
        holiday = "-" if p.holiday is None else _hours(p.holiday)
        table.add_row(_who(org, p.person), _hours(p.total), _hours(p.night), _hours(p.weekend), holiday,
                      str(p.shifts))
    console.print(table)
    spread = Table(title="Spread per schedule (most hours / fewest)", title_justify="left")
    spread.add_column("Schedule")
    spread.add_column("Most")
    spread.add_column("Fewest")
    spread.add_column("Spread", justify="right")
    for s in report.schedules:
        ratio = "-" if s.ratio is None else f"{s.ratio:.2f}"
        spread.add_row(s.schedule, f"{_who(org, s.most)} {_hours(s.max)}" if s.most else "-",
                       f"{_who(org, s.least)} {_hours(s.min)}" if s.least else "-", ratio)
    console.print(spread)
    console.print("Night is 22:00-07:00 and weekend Sat-Sun, on each person's own clock.")


# --- small helpers -----------------------------------------------------------------------------


def _window(start_text: str | None, end_text: str | None, days: int, *, ahead: bool) -> tuple[int, int]:
    """``--from``/``--to`` as for ``generate``; a missing side is ``days`` from the other, and with
    neither the window starts now (``ahead``) or ends now."""
    start = parse_instant(start_text, "--from") if start_text else None
    end = parse_instant(end_text, "--to", as_end=True) if end_text else None
    if start is None and end is None:
        start, end = (now(), now() + days * DAY) if ahead else (now() - days * DAY, now())
    elif start is None:
        assert end is not None
        start = end - days * DAY
    elif end is None:
        end = start + days * DAY
    if end <= start:
        raise UsageError("--to must be later than --from")
    return start, end


def _who(org: Org, person_id: str | None) -> str:
    if person_id is None:
        return "nobody"
    person = org.people.get(person_id)
    return person.display if person else person_id


def _when(seconds: int, tz: tzinfo) -> str:
    """``Mon 2026-03-09 09:00 EDT``: the local reading and its zone abbreviation."""
    moment = datetime.fromtimestamp(seconds, tz)
    return f"{moment:%a %Y-%m-%d %H:%M} {moment.tzname()}"


def _length(seconds: int) -> str:
    days, rest = divmod(seconds, DAY)
    hours, minutes = rest // 3600, rest % 3600 // 60
    parts = [f"{days}d" if days else "", f"{hours}h" if hours else "", f"{minutes}m" if minutes else ""]
    return " ".join(p for p in parts if p) or "0m"


def _hours_number(seconds: int) -> float | int:
    value = round(seconds / 3600, 2)
    return int(value) if value == int(value) else value


def _hours(seconds: int) -> str:
    return f"{_hours_number(seconds)}h"


def _signed(seconds: int) -> str:
    return ("+" if seconds > 0 else "") + _hours(seconds)


def _md(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("*", "\\*").replace("_", "\\_")

