"""``oncall ready``: are you ready for your next shift?"""

from __future__ import annotations

import os
import re
import sys
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING, Annotated

import typer

from oncall.cli import output, render
from oncall.cli.context import current_person, local_zone, now, session
from oncall.cli.options import (
    ME_HELP,
    ReadyFormat,
    complete_checklist,
    format_option,
    horizon,
    person_option,
    within_option,
)
from oncall.errors import EXIT_NO
from oncall.model import Checklist, Org

if TYPE_CHECKING:
    from oncall.readiness.checks import Context
    from oncall.readiness.report import Report, ShiftNote
    from oncall.readiness.results import CheckResult
    from oncall.readiness.runner import Planned

MARKS = {"pass": ("✓", "green"), "fail": ("✗", "red"), "warn": ("!", "yellow"), "skip": ("-", "dim"),
         "error": ("?", "magenta")}


def ready(
    person: Annotated[str | None, person_option(ME_HELP)] = None,
    within: Annotated[str, within_option("Check the checklists of schedules you have a shift on within this "
                                         "long from now, e.g. 7d, 36h.")] = "7d",
    check_access: Annotated[bool, typer.Option("--check-access", help="Run every check now (commands, "
                                               "connections, tokens), concurrently.")] = False,
    fmt: Annotated[ReadyFormat, format_option(ReadyFormat)] = ReadyFormat.table,
    confirm: Annotated[list[str] | None, typer.Option("--confirm", help="Record that you confirm a confirm: item "
                                                      "(ITEM or CHECKLIST/ITEM); repeat for several.")] = None,
    checklist: Annotated[list[str] | None, typer.Option("--checklist", "-c", help="Run this checklist whatever "
                                                        "your shifts; repeat for several.",
                                                        autocompletion=complete_checklist)] = None,
    workers: Annotated[int | None, typer.Option("--workers", min=1, max=256, help="Checks run at once at most. "
                                                "Default: all of them, up to 256 (and 32 programs).")] = None,
) -> None:
    """Are you ready for your next shift? Exit 0 ready, 1 not ready, 2 config or usage error.

    Without --check-access: static readiness (checklist reviews, secrets in the keyring,
    confirmations, and what the last --check-access run found). With it: every check runs now.
    """
    from oncall.readiness import checks, runner, selection
    from oncall.readiness.report import Report
    from oncall.readiness.results import SavedRun, load_attestations, load_results, save_results

    ahead = horizon(within)
    org = session().org()
    who = current_person(org, person)
    me = who.person
    output.info(f"checking {render.person(org, me.id)} ({me.id}), identified by {who.how}")
    at = now()
    tz = local_zone()

    shifts: list[ShiftNote] = []
    if checklist:
        selected = [selection.checklist(org, cid) for cid in checklist]
    else:
        shifts = selection.coming_shifts(org, me.id, at, ahead)
        _say_shifts(org, shifts, at, tz, me.id, within)
        selected = selection.checklists_for(org, shifts)

    for name in confirm or ():
        _confirm(org, me.id, selected, name, at, tz)

    ctx = checks.Context(person=me, now=at, attestations=load_attestations(me.id))
    planned = runner.plan(selected)
    saved = load_results(me.id)
    findings = runner.review_findings(selected, datetime.fromtimestamp(at, tz).date(), at)
    if check_access and planned:
        results = _run_live(planned, ctx, workers)
        saved = save_results(SavedRun(person=me.id, started=at, finished=now(), results=tuple(results),
                                      checklists=tuple(c.id for c in selected)))
        results = list(saved.results)
    else:
        results = runner.static(planned, ctx, saved)
    report = Report(person=me.id, at=at, check_access=check_access, results=tuple(findings + results),
                    checklists=tuple(c.id for c in selected), shifts=tuple(shifts),
                    last_verified=saved.finished if saved else None)
    _emit(report, fmt, org, tz)
    if not report.ready:
        raise typer.Exit(EXIT_NO)


def _say_shifts(org: Org, shifts: list[ShiftNote], at: int, tz: tzinfo, person_id: str, within: str) -> None:
    from oncall.readiness.checks import ago

    for note in shifts:
        starts = "now (on call)" if note.start <= at else f"{render.when(note.start, tz)}, in {ago(note.start - at)}"
        target = f"checklist {note.checklist}" if note.checklist else "no checklist"
        output.info(f"on call for {render.schedule(org, note.schedule)} from {starts} -> {target}")
    if not shifts:
        output.info(f"no shifts for {person_id} within {within}; nothing to check (--checklist ID runs one anyway)")


def _confirm(org: Org, person_id: str, selected: list[Checklist], name: str, at: int, tz: tzinfo) -> None:
    from oncall.readiness.results import record_attestation
    from oncall.readiness.selection import confirm_item

    checklist, item = confirm_item(org, name, selected)
    statement = str(item.check.get("confirm") or item.title)
    record_attestation(person_id, checklist.id, item.id, statement, at)
    valid = f", valid for {item.valid_for}" if item.valid_for else ""
    output.info(f"recorded: {person_id} confirms {render.safe(statement)!r} ({checklist.id}/{item.id}) "
                f"at {render.when(at, tz)}{valid}")


def _run_live(planned: list[Planned], ctx: Context, workers: int | None) -> list[CheckResult]:
    from oncall.readiness import runner

    total = len(planned)
    if sys.stderr.isatty() and not os.environ.get("ONCALL_PLAIN_PROGRESS"):
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

        with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      console=output.stderr(), transient=True) as progress:
            task = progress.add_task("checking", total=total)
            running: set[str] = set()

            def started(p: Planned) -> None:
                running.add(p.item.id)
                progress.update(task, description="checking " + ", ".join(sorted(running))[:60])

            def finished(r: CheckResult) -> None:
                running.discard(r.item)
                progress.update(task, advance=1, description="checking " + ", ".join(sorted(running))[:60])

            return runner.run(planned, ctx, workers=workers, clock=now, on_start=started, on_result=finished)
    done = [0]

    def line(r: CheckResult) -> None:
        done[0] += 1
        output.info(f"[{done[0]}/{total}] {r.status:5} {r.checklist}/{r.item} ({r.duration:.1f}s)")

    return runner.run(planned, ctx, workers=workers, clock=now, on_result=line)


def _emit(report: Report, fmt: ReadyFormat, org: Org, tz: tzinfo) -> None:
    from oncall.readiness.report import to_json, to_junit

    if fmt is ReadyFormat.json:
        document = to_json(report, UTC)
        for entry, note in zip(document["shifts"], report.shifts, strict=True):  # a shift's times: its schedule's zone
            sched = org.schedules.get(note.schedule)
            entry["start"], entry["end"] = render.json_time(note.start, sched), render.json_time(note.end, sched)
        output.print_json(document)
    elif fmt is ReadyFormat.junit:
        output.write_text(to_junit(report))
    else:
        _table(report, org, tz)


def _table(report: Report, org: Org, tz: tzinfo) -> None:
    from rich.text import Text

    from oncall.readiness.checks import ago

    def say(text: Text | None = None, indent: int = 6) -> None:
        output.line(text or "", indent=indent)

    say(Text(f"Readiness of {render.person(org, report.person)} ({report.person})", style="bold"))
    for checklist_id in report.checklists:
        checklist = org.checklists.get(checklist_id)
        say()
        name = render.safe(checklist.name) if checklist else checklist_id
        header = Text(f"{name} ({checklist_id})", style="bold")
        for shift in report.shifts:
            if shift.checklist == checklist_id:
                start = "on call now" if shift.start <= report.at else f"from {render.when(shift.start, tz)}"
                header.append(f" · {render.schedule(org, shift.schedule)} {start}", style="")
        say(header)
        for r in report.results:
            if r.checklist != checklist_id:
                continue
            mark, colour = MARKS.get(r.status, ("?", ""))
            line = Text("  [")
            line.append(mark, style=colour)
            line.append(f"] {render.safe(r.title)}")
            if r.message:
                line.append(f" — {render.safe(r.message)}", style="dim" if r.status in ("pass", "skip") else "")
            say(line)
            if r.status in ("fail", "error", "warn") and r.fix:
                say(Text(f"      • fix: {render.safe(r.fix)}", style=colour))
            if r.status in ("fail", "error", "warn") and r.playbook:
                link = r.playbook if re.match(r"^https?://", r.playbook) else f"oncall playbook show {r.playbook}"
                say(Text(f"      • playbook: {render.safe(link)}"))
    say()
    counts = report.counts()
    summary = ", ".join(f"{n} {word}" for n, word in (
        (counts["pass"], "passed"), (counts["fail"], "failed"), (counts["error"], "could not run"),
        (counts["warn"], "warnings" if counts["warn"] != 1 else "warning"), (counts["skip"], "skipped")) if n)
    if not report.results:
        say(Text("Nothing to check."))
    elif report.ready:
        say(Text(f"Ready: {summary}.", style="green"))
    else:
        say(Text(f"Not ready: {summary}. Fix the items marked ✗ or ? before your shift.", style="red"))
    if report.check_access:
        return
    if report.last_verified:
        say(Text(f"Last verified {ago(report.at - report.last_verified)} ago; "
                 "run `oncall ready --check-access` to check again."))
    elif report.results:
        say(Text("Never verified: run `oncall ready --check-access` to run the checks."))
