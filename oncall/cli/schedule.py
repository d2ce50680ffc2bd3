"""``oncall schedule validate``, ``schedule generate`` and ``schedule diff``."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import Annotated, Any

import typer

from oncall import collector, engine
from oncall.cli import output, render
from oncall.cli.app import command_group
from oncall.cli.context import local_zone, now, session
from oncall.cli.options import (
    DiffFormat,
    GenerateFormat,
    OutputOption,
    SchedulesOption,
    TableOrJson,
    format_option,
    from_option,
    person_option,
    to_option,
    window,
)
from oncall.config import codes
from oncall.engine import Timeline
from oncall.errors import EXIT_NO, EXIT_OK, EXIT_USAGE, Problem, UsageError
from oncall.model import Gap, Org, Reason, Shift, reason_codes
from oncall.times import from_epoch

app = command_group("Validate, generate and compare schedules.")

LINT_DAYS = 28  # validate looks this far ahead for coverage gaps
GENERATE_DAYS = 28
DIFF_DAYS = 56


# --- validate --------------------------------------------------------------------------------------


def _allowed_codes(values: list[str] | None) -> set[str]:
    """The codes given to ``--allow``; an unknown one is a usage error listing the known ones."""
    from oncall.config.reader import suggest

    given = set(values or ())
    for code in sorted(given - set(codes.ALL)):
        close = suggest(code, codes.ALL)
        hint = f" (did you mean {close!r}?)" if close else ""
        raise UsageError(f"--allow: unknown code {code!r}{hint}; write one of the warning codes: "
                         f"{', '.join(codes.WARNINGS)}")
    return given


@app.command("validate")
def validate(
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 when there are warnings that are not allowed (unknown keys, "
                                            "coverage gaps...).")
    ] = False,
    allow: Annotated[
        list[str] | None,
        typer.Option("--allow", metavar="CODE", help="A warning code that does not fail --strict (repeatable); "
                                                     "oncall.yaml's validate: {allow: [...]} adds more."),
    ] = None,
    fmt: Annotated[
        TableOrJson, format_option(TableOrJson, "table: messages on stderr; json: a report on stdout.")
    ] = TableOrJson.table,
) -> None:
    """Check every file under the config root and report every problem with file:line.

    Exit 0 when the files are valid, 2 on any error; warnings (unknown keys, coverage gaps in the
    next 28 days, double bookings, overrides on time off, handoffs in daylight-saving gaps,
    checklists past their review date...; docs/guides/ci.md lists every code) keep exit 0 unless
    --strict makes them exit 1. An allowed warning is still shown but never fails --strict.
    """
    from oncall.config import load  # the YAML loader: generate and diff read the org cache instead

    allowed = _allowed_codes(allow)
    root = session().root()
    result = load(root)
    problems = list(result.problems)
    org = result.org
    if org is not None:
        problems += _practice_warnings(org, now())
        allowed |= set(org.settings.validate.allow)
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity != "error"]
    failing = [p for p in warnings if p.code not in allowed]
    code = EXIT_USAGE if errors else (EXIT_NO if strict and failing else EXIT_OK)
    if fmt is TableOrJson.json:
        output.print_json({
            "root": str(root),
            "valid": not errors,
            "errors": [_problem_json(p) for p in errors],
            "warnings": [{**_problem_json(p), "allowed": p.code in allowed} for p in warnings],
            "allowed": sorted(allowed),
            "people": len(org.people) if org else None,
            "schedules": sorted(org.schedules) if org else None,
            "checklists": sorted(org.checklists) if org else None,
        })
    else:
        for problem in errors:
            output.error(str(problem))
        for problem in warnings:
            tag = f" [{problem.code}{', allowed' if problem.code in allowed else ''}]" if problem.code else ""
            output.warning(f"{problem}{tag}")
        if org is not None and not errors:
            count = ""
            if warnings:
                count = f" ({len(warnings)} warning{'s' if len(warnings) != 1 else ''}"
                count += f", {len(warnings) - len(failing)} allowed)" if len(failing) < len(warnings) else ")"
            schedules, people, checklists = len(org.schedules), len(org.people), len(org.checklists)
            output.line(f"ok: {schedules} schedule{'s' if schedules != 1 else ''}, "
                        f"{people} {'person' if people == 1 else 'people'}, "
                        f"{checklists} checklist{'s' if checklists != 1 else ''} in {root}{count}")
        else:
            output.info(f"{len(errors)} error{'s' if len(errors) != 1 else ''} in {root}")
    if code:
        raise typer.Exit(code)


def _practice_warnings(org: Org, at: int) -> list[Problem]:
    """The "legal but wrong" warnings: stale checklists and what the engine's lint finds ahead
    (coverage gaps, members who never get a turn, double bookings, overrides on time off,
    handoffs in daylight-saving gaps and folds...)."""
    from oncall.config.review import stale_checklists
    from oncall.engine.lint import lint_org

    return stale_checklists(org, from_epoch(at, local_zone()).date()) + list(lint_org(org, at, LINT_DAYS))


def _problem_json(problem: Problem) -> dict[str, Any]:
    location = problem.location
    return {
        "severity": problem.severity,
        "file": location.file if location else None,
        "line": location.line if location and location.line else None,
        "message": problem.message,
        "code": problem.code,
    }


# --- generate --------------------------------------------------------------------------------------


@app.command("generate")
def generate(
    start_text: Annotated[str | None, from_option("now")] = None,
    end_text: Annotated[str | None, to_option("four weeks after --from")] = None,
    schedule: SchedulesOption = None,
    person: Annotated[str | None, person_option("Only this person's shifts.")] = None,
    format: Annotated[GenerateFormat, format_option(GenerateFormat)] = GenerateFormat.table,
    output_path: OutputOption = None,
) -> None:
    """List the shifts and gaps of the schedules in a window."""
    org = session().org()
    start, end = window(start_text, end_text, days=GENERATE_DAYS, table=format is GenerateFormat.table)
    if format is GenerateFormat.table:
        if output_path is not None:
            raise UsageError("--output needs --format json, csv or ics")
        timeline = engine.generate(org, start, end, schedule, person)
        _generate_table(org, timeline.shifts, timeline.gaps, start, end)
        return
    # Written one schedule at a time as the engine makes it: a long window of a large org is
    # never held in memory (docs/performance.md). The collector is paused meanwhile: a year of a
    # large org is hundreds of thousands of short-lived shifts and rows and no reference cycles.
    with collector.paused():
        _generate_data(org, start, end, schedule, person, format, output_path)


def _generate_data(org: Org, start: int, end: int, schedule: list[str] | None, person: str | None,
                   format: GenerateFormat, output_path: Path | None) -> None:
    """``generate`` as JSON, CSV or iCalendar."""
    timelines = engine.timelines(org, start, end, schedule, person)
    if format is GenerateFormat.json:
        gaps: list[Gap] = []

        def shift_rows() -> Iterator[list[str]]:
            lines = render.shift_lines(org)
            for timeline in timelines:
                gaps.extend(timeline.gaps)
                yield lines(timeline.shifts)

        def gap_rows() -> Iterator[dict[str, object]]:
            yield from (render.gap_json(org, g) for g in gaps)  # all known once the shifts are written

        output.print_json({"shifts": output.EncodedItems(shift_rows()), "gaps": gap_rows()}, output_path)
    elif format is GenerateFormat.csv:
        output.emit(_csv(org, timelines), output_path)
    else:
        from oncall.calendar.ics import stream_calendar

        if person:
            title = f"On call: {org.people[person].display}"
        elif schedule:
            title = f"On call: {', '.join(org.schedules[s].display for s in sorted(set(schedule)))}"
        else:
            title = "On call: all schedules"
        output.emit(stream_calendar(org, (t.shifts for t in timelines), name=title, now=now()), output_path)


def _csv(org: Org, timelines: Iterable[Timeline]) -> Iterator[str]:
    """The CSV, one schedule's rows at a time. A row is made of pieces quoted once by the csv
    module and cached: the schedule and person that open it, and the reason and display names
    that close it, are the same for thousands of rows (docs/performance.md). The times between
    them are ISO text, which CSV never quotes."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")

    def fields(*values: str) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(values)
        return buffer.getvalue()

    @cache
    def opening(sched_id: str, person: str) -> str:
        return fields(sched_id, person).removesuffix("\n") + ","

    @cache
    def closing(sched_id: str, person: str, reasons: tuple[Reason, ...] | None) -> str:  # None: a gap
        reason = "gap" if reasons is None else reason_codes(reasons)
        return "," + fields(reason, org.schedules[sched_id].display, render.display_name(org, person or None) or "")

    # The display names come last, so scripts that read the first five columns by position keep working.
    yield fields("schedule", "person", "start", "end", "reason", "schedule_name", "person_name")
    for timeline in timelines:
        rows: list[tuple[str, int, str, int, tuple[Reason, ...] | None]]
        rows = [(s.schedule, s.start, s.person, s.end, s.reasons) for s in timeline.shifts]
        rows += [(g.schedule, g.start, "", g.end, None) for g in timeline.gaps]
        rows.sort(key=lambda r: (r[0], r[1]))
        lines = []
        for sched_id, start, person, end, reasons in rows:
            sched = org.schedules[sched_id]
            lines.append(f"{opening(sched_id, person)}{render.json_time(start, sched)},"
                         f"{render.json_time(end, sched)}{closing(sched_id, person, reasons)}")
        yield "".join(lines)


def _generate_table(org: Org, shifts: Sequence[Shift], gaps: Sequence[Gap], start: int, end: int) -> None:
    from oncall.cli.tables import Column, Table  # rich's tables: not imported for JSON, CSV or iCalendar

    viewer = local_zone()
    entries: dict[str, list[tuple[int, int, Shift | None]]] = {}
    for s in shifts:
        entries.setdefault(s.schedule, []).append((s.start, s.end, s))
    for g in gaps:
        entries.setdefault(g.schedule, []).append((g.start, g.end, None))
    span = f"{render.when(start, viewer)} to {render.when(end, viewer)}"
    if not entries:
        output.line(f"No shifts from {span}.")
        return
    output.line(f"Shifts from {span}")
    for sched_id in sorted(entries):
        sched = org.schedules[sched_id]
        tz = sched.tz
        yours = not render.same_zone(tz, viewer, start)
        columns = [Column("Start", folded=render.fold_when), Column("End", folded=render.fold_when)]
        if yours:
            columns.append(Column(f"Start, your time ({render.zone_name(viewer)})", drop=1, fold=True, squeeze=1,
                                  least=len("Mon 2026-03-09")))
        columns += [Column("Length", justify="right"), Column("On call"), Column("Why", fold=True, drop=2, squeeze=2)]
        table = Table(columns, title=f"\n{render.schedule(org, sched_id)} ({sched_id}), times in {sched.timezone}")
        for begin, finish, shift in sorted(entries[sched_id], key=lambda e: (e[0], e[1])):
            mine = [render.when(begin, viewer)] if yours else []
            if shift is None:
                who, why, style = "NOBODY (gap)", "", "bold red"
            else:
                who, why, style = render.person(org, shift.person), render.reasons(org, shift.reasons), None
            table.add_row(render.when(begin, tz), render.when(finish, tz), *mine, render.length(finish - begin),
                          who, why, style=style)
        table.print()


# --- diff ------------------------------------------------------------------------------------------


@app.command("diff")
def diff(
    rev: Annotated[
        str | None, typer.Argument(metavar="[REV]", help="The git revision to compare from (default: HEAD).")
    ] = None,
    rev2: Annotated[
        str | None, typer.Argument(metavar="[REV2]", help="Compare to this revision instead of the working tree.")
    ] = None,
    start_text: Annotated[str | None, from_option("now")] = None,
    end_text: Annotated[str | None, to_option("eight weeks after --from")] = None,
    fmt: Annotated[DiffFormat, format_option(DiffFormat)] = DiffFormat.table,
    exit_code: Annotated[
        bool, typer.Option("--exit-code", help="Exit 1 when anything changes who is on call, in the window or "
                                               "later through a rotation change (like git diff --exit-code).")
    ] = False,
) -> None:
    """Show how shifts change between git revisions, or between a revision and the working tree.

    With no REV: HEAD against the working tree. With REV: REV against the working tree. With REV
    and REV2: REV against REV2. Lists each interval whose on-call person changes and why (override
    added, time off, holiday, "adds dana to layer weekly", rotation change), gaps opened or
    closed, the hours each person gains and loses, and every change to a rotation with the date it
    first changes who is on call, even beyond the window. --format markdown makes a pull-request
    comment.
    """
    from oncall.cli.changes import diff_json, diff_markdown, diff_table
    from oncall.edit.diff import diff as shift_diff
    from oncall.edit.git import org_at

    current = session()
    root = current.root()
    old_label = rev or "HEAD"
    before = org_at(root, old_label)
    after = org_at(root, rev2) if rev2 else current.org()
    new_label = rev2 or "working tree"
    start, end = window(start_text, end_text, days=DIFF_DAYS)
    result = shift_diff(before, after, start, end)
    title = f"{old_label} → {new_label}"
    if fmt is DiffFormat.json:
        output.print_json({"from_rev": old_label, "to_rev": rev2, **diff_json(before, after, result)})
    elif fmt is DiffFormat.markdown:
        output.write_text(diff_markdown(before, after, result, title))
    else:
        diff_table(before, after, result, title)
    if exit_code and result:
        raise typer.Exit(EXIT_NO)

