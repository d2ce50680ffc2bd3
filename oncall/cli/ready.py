"""``oncall ready``: are you ready for your next shift? And ``ready status`` (the team's board),
``ready --before-shift`` (from a timer) and ``ready install-timer``."""

from __future__ import annotations

import os
import platform
import re
import shutil
import sys
from datetime import UTC, datetime, tzinfo
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from oncall import __version__
from oncall.cli import output, render
from oncall.cli.context import current_person, identity, local_zone, now, session
from oncall.cli.options import (
    ME_HELP,
    ReadyFormat,
    SchedulesOption,
    TableOrJson,
    TableOrJsonOption,
    complete_checklist,
    format_option,
    horizon,
    person_option,
    within_option,
)
from oncall.engine import generate
from oncall.errors import EXIT_NO, UsageError
from oncall.identity import Identity, IdentityError
from oncall.model import Checklist, Org, Person
from oncall.readiness import checks, runner, selection, timer
from oncall.readiness.board import (
    Entry,
    SharedSource,
    person_view,
    shares_results,
    team_board,
    team_results,
    team_store,
)
from oncall.readiness.checks import ago
from oncall.readiness.report import Report, ShiftNote, to_json, to_junit
from oncall.readiness.results import (
    CheckResult,
    SavedRun,
    load_attestations,
    load_results,
    record_attestation,
    save_results,
)
from oncall.readiness.runner import Planned
from oncall.readiness.share import Store, build, checklist_blob
from oncall.readiness.timer import due_before_shift
from oncall.xdg import config_dir

MARKS = {"pass": ("✓", "green"), "fail": ("✗", "red"), "warn": ("!", "yellow"), "skip": ("-", "dim"),
         "error": ("?", "magenta")}

app = typer.Typer(add_completion=False, rich_markup_mode=None, suggest_commands=False)


@app.callback(invoke_without_command=True)
def ready(
    ctx: typer.Context,
    person: Annotated[str | None, person_option(ME_HELP + " For someone else: what the team's shared "
                                                "results say about them (read-only); with --check-access "
                                                "the checks run and print, but nothing is recorded or "
                                                "shared.")] = None,
    within: Annotated[str, within_option("Check the checklists of schedules you have a shift on within this "
                                         "long from now, e.g. 7d, 36h.")] = "7d",
    check_access: Annotated[bool, typer.Option("--check-access", help="Run every check now (commands, "
                                               "connections, tokens), concurrently; record and share the "
                                               "result (yours only).")] = False,
    before_shift: Annotated[bool, typer.Option("--before-shift", help="For timers: do nothing unless your "
                                               "next shift starts within notify.ready_before; then run "
                                               "your checks, record and share the result.")] = False,
    fmt: Annotated[ReadyFormat, format_option(ReadyFormat)] = ReadyFormat.table,
    confirm: Annotated[list[str] | None, typer.Option("--confirm", help="Record that you confirm a confirm: item "
                                                      "(ITEM or CHECKLIST/ITEM); repeat for several. "
                                                      "Yours only.")] = None,
    checklist: Annotated[list[str] | None, typer.Option("--checklist", "-c", help="Run this checklist whatever "
                                                        "your shifts; repeat for several.",
                                                        autocompletion=complete_checklist)] = None,
    workers: Annotated[int | None, typer.Option("--workers", min=1, max=runner.MAX_WORKERS,
                                                help="Checks run at once at most. Default: all of them, up to "
                                                f"{runner.MAX_WORKERS} and half the open-file limit "
                                                f"(and {runner.PROCESS_SLOTS} programs).")] = None,
) -> None:
    """Are you ready for your next shift? Exit 0 ready, 1 not ready, 2 config or usage error.

    Without --check-access: static readiness (checklist reviews, secrets in the keyring,
    confirmations, and what the last --check-access run found). With it: every check runs now,
    and the result is recorded and shared with the team (oncall.yaml readiness.share).
    --person someone else shows what the team's shared results say about them, read-only.
    `oncall ready status` shows the whole team's readiness.
    """
    if ctx.invoked_subcommand is not None:
        return

    org = session().org()
    at = now()
    tz = local_zone()
    if before_shift:
        if person or checklist or confirm:
            raise UsageError("--before-shift runs your own checks for your next shift; drop --person, "
                             "--checklist and --confirm")
        me, ahead, within = _before_shift(org, at)
        if me is None:
            return  # no shift within ready_before: nothing to do, quietly
        who_text, yours = me.source, True
        person_obj = me.person
        check_access = True
    else:
        who = current_person(org, person)
        person_obj, who_text = who.person, who.how
        yours = who.how != "--person" or _is_me(org, person_obj)
        ahead = horizon(within)
    output.info(f"checking {render.person(org, person_obj.id)} ({person_obj.id}), identified by {who_text}")
    if confirm and not yours:
        raise UsageError(f"--confirm: you can confirm only for yourself, not for {person_obj.id}; "
                         f"{person_obj.id} confirms with `oncall ready --confirm ITEM` on their own machine",
                         argument="confirm")

    shifts: list[ShiftNote] = []
    if checklist:
        selected = [selection.checklist(org, cid) for cid in checklist]
    else:
        shifts = selection.coming_shifts(org, person_obj.id, at, ahead)
        _say_shifts(org, shifts, at, tz, person_obj.id, within)
        selected = selection.checklists_for(org, shifts)

    for name in confirm or ():
        _confirm(org, person_obj.id, selected, name, at, tz)

    planned = runner.plan(selected)
    saved = load_results(person_obj.id) if yours else None
    findings = runner.review_findings(selected, datetime.fromtimestamp(at, tz).date(), at)
    sources: list[SharedSource] | None = None  # someone else's view: where each checklist's result came from
    ctx_checks = checks.Context(person=person_obj, now=at, attestations=load_attestations(person_obj.id))
    if check_access and planned:
        store = team_store(org) if yours else None
        blobs = {c.id: checklist_blob(c) for c in selected}  # the checklists as the checks read them
        results = _run_live(planned, ctx_checks, workers)
        run = SavedRun(person=person_obj.id, started=at, finished=now(), results=tuple(results),
                       checklists=tuple(c.id for c in selected))
        if yours:
            saved = save_results(run)
            results = list(saved.results)
            if store is not None:
                _share(org, person_obj, saved, selected, blobs, store)
        else:
            output.info(f"not recorded: results are recorded and shared only for yourself, and {person_obj.id} "
                        "is not you; they run `oncall ready --check-access` on their own machine")
    elif not yours and shares_results(org):
        results, sources = _shared_view(org, person_obj.id, selected)
    else:
        results = runner.static(planned, ctx_checks, saved)
    shared_at = [s.checked_at for s in sources or () if s.checked_at is not None]
    report = Report(person=person_obj.id, at=at, check_access=check_access, results=tuple(findings + results),
                    checklists=tuple(c.id for c in selected), shifts=tuple(shifts),
                    last_verified=saved.finished if saved else max(shared_at, default=None))
    _emit(report, fmt, org, tz, sources)
    if not report.ready:
        raise typer.Exit(EXIT_NO)


def _shared_view(org: Org, person_id: str, selected: list[Checklist]) -> tuple[list[CheckResult], list[SharedSource]]:
    """What the team's shared results say about someone else (read-only), fetched now."""
    found = team_results(org, {(person_id, c.id) for c in selected})
    for warning in found.warnings:
        output.warning(warning)
    output.info(f"showing what {found.origin} has of {person_id}'s readiness (read-only: nothing runs and nothing is "
                "recorded)")
    return person_view(person_id, selected, found.results)


def _is_me(org: Org, person: Person) -> bool:
    """Whether ``person`` is who this machine acts as (False when that cannot be told)."""
    try:
        return identity(org).person.id == person.id
    except IdentityError:
        return False


def _before_shift(org: Org, at: int) -> tuple[Identity | None, int, str]:
    """Who you are, when your next shift with a checklist starts within ``ready_before``; else (None, ...)."""
    me = identity(org)
    ahead = org.settings.notify.readiness_horizon
    shifts = [s for s in generate(org, at, at + ahead + 1, person=me.person.id).shifts
              if org.schedules[s.schedule].checklist]  # a shift without a checklist has nothing to check
    due = due_before_shift(shifts, at, ahead)
    return (me if due is not None else None), ahead, ago(ahead)


def _share(org: Org, person: Person, saved: SavedRun, selected: list[Checklist], blobs: dict[str, str | None],
           store: Store) -> None:
    results = build(saved, selected, load_attestations(person.id), blobs=blobs, tool_version=__version__,
                    host=platform.node())
    if not results:
        return
    outcome = store.publish(person, results)
    if outcome.shared:
        output.info(outcome.message)
    else:
        output.warning(outcome.message)


def _say_shifts(org: Org, shifts: list[ShiftNote], at: int, tz: tzinfo, person_id: str, within: str) -> None:
    for note in shifts:
        starts = "now (on call)" if note.start <= at else f"{render.when(note.start, tz)}, in {ago(note.start - at)}"
        target = f"checklist {note.checklist}" if note.checklist else "no checklist"
        output.info(f"on call for {render.schedule(org, note.schedule)} from {starts} -> {target}")
    if not shifts:
        output.info(f"no shifts for {person_id} within {within}; nothing to check (--checklist ID runs one anyway)")


def _confirm(org: Org, person_id: str, selected: list[Checklist], name: str, at: int, tz: tzinfo) -> None:
    checklist, item = selection.confirm_item(org, name, selected)
    statement = str(item.check.get("confirm") or item.title)
    record_attestation(person_id, checklist.id, item.id, statement, at)
    valid = f", valid for {item.valid_for}" if item.valid_for else ""
    output.info(f"recorded: {person_id} confirms {render.safe(statement)!r} ({checklist.id}/{item.id}) "
                f"at {render.when(at, tz)}{valid}")


def _run_live(planned: list[Planned], ctx: checks.Context, workers: int | None) -> list[CheckResult]:
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


def _emit(report: Report, fmt: ReadyFormat, org: Org, tz: tzinfo, sources: list[SharedSource] | None) -> None:
    """Print the report; ``sources`` (someone else's view) says where each checklist's result came from."""
    if fmt is ReadyFormat.json:
        document = to_json(report, UTC)
        for entry, note in zip(document["shifts"], report.shifts, strict=True):  # a shift's times: its schedule's zone
            sched = org.schedules.get(note.schedule)
            entry["start"], entry["end"] = render.json_time(note.start, sched), render.json_time(note.end, sched)
        if sources is not None:
            document["shared"] = [{"checklist": s.checklist, "checked_at": render.json_time(s.checked_at),
                                   "host": s.host or None, "tool_version": s.tool_version or None,
                                   "checklist_changed": s.changed} for s in sources if s.checked_at is not None]
        output.print_json(document)
    elif fmt is ReadyFormat.junit:
        output.write_text(to_junit(report))
    else:
        _table(report, org, tz, sources)


def _source_line(source: SharedSource, person: str, at: int, tz: tzinfo) -> str:
    """Where someone's result of one checklist came from, for the line under its heading."""
    if source.checked_at is None:
        return f"  no shared result: {person} runs `oncall ready --check-access` on their own machine"
    host = f" from {source.host}" if source.host else ""
    version = f" (oncall {source.tool_version})" if source.tool_version else ""
    changed = "; the checklist changed since" if source.changed else ""
    return (f"  shared result{host}: checked {render.when(source.checked_at, tz)}, "
            f"{ago(at - source.checked_at)} ago{version}{changed}")


def _table(report: Report, org: Org, tz: tzinfo, sources: list[SharedSource] | None = None) -> None:
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
        for source in sources or ():
            if source.checklist == checklist_id:
                say(Text(render.safe(_source_line(source, report.person, report.at, tz)),
                         style="yellow" if source.changed or source.checked_at is None else "dim"))
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
    if sources is not None:
        said = (f"as {report.person} last shared them, {ago(report.at - report.last_verified)} ago"
                if report.last_verified else f"none shared by {report.person} yet")
        say(Text(f"Read-only: the team's results ({said}); {report.person} runs `oncall ready --check-access` "
                 "on their own machine to check again."))
    elif report.last_verified:
        say(Text(f"Last verified {ago(report.at - report.last_verified)} ago; "
                 "run `oncall ready --check-access` to check again."))
    elif report.results:
        say(Text("Never verified: run `oncall ready --check-access` to run the checks."))


# -- the board -----------------------------------------------------------------------------------


@app.command("status")
def status(
    within: Annotated[str, within_option("List shifts under way or starting within this long from now, "
                                         "e.g. 7d, 36h.")] = "7d",
    schedule: SchedulesOption = None,
    fmt: TableOrJsonOption = TableOrJson.table,
) -> None:
    """The team's readiness: every shift under way or starting within --within, with its person's
    readiness for it (ready, not-ready, stale, unchecked, no-checklist), from the shared results.

    Exit 0 when every shift is ready (shifts without a checklist do not count), 1 otherwise.
    """
    org = session().org()
    at = now()
    ahead = horizon(within)
    team = team_board(org, at, ahead, schedule)
    for warning in team.warnings:
        output.warning(warning)
    if fmt is TableOrJson.json:
        output.print_json([_entry_json(org, e) for e in team.entries])
    else:
        _board_table(org, team.entries, at, ahead, within)
    if not team.ready:
        raise typer.Exit(EXIT_NO)


def _entry_json(org: Org, e: Entry) -> dict[str, object]:
    sched = org.schedules[e.schedule]
    return {"schedule": e.schedule, "person": e.person, "start": render.json_time(e.start, sched),
            "end": render.json_time(e.end, sched), "checklist": e.checklist, "status": e.status,
            "checked_at": render.json_time(e.checked_at), "failing": list(e.failing), "why": e.why}


STATUS_COLOURS = {"ready": "green", "not-ready": "bold red", "stale": "yellow", "unchecked": "red",
                 "no-checklist": "dim"}


def _board_table(org: Org, entries: list[Entry], at: int, ahead: int, within: str) -> None:
    """One block per shift (a heading line, then when, then the status and why), which reads at any width."""
    tz = local_zone()
    if not entries:
        output.line(f"No shifts under way or starting within {within}.")
        return
    output.line(Text(f"Shifts under way or starting by {render.when(at + ahead, tz)}", style="bold"))
    for e in entries:
        span = (f"under way, until {render.when(e.end, tz)}" if e.start <= at
                else f"{render.when(e.start, tz)} to {render.when(e.end, tz)}")
        output.line()
        output.line(f"{render.schedule(org, e.schedule)} · {render.person(org, e.person)} ({e.person})", indent=2)
        output.line(f"  {span}", indent=4)
        status = Text("  ")
        status.append(e.status, style=STATUS_COLOURS.get(e.status, ""))
        status.append(f" — {render.safe(e.why)}")
        output.line(status, indent=4)
    output.line()
    counts = {s: sum(1 for e in entries if e.status == s) for s in STATUS_COLOURS}
    output.line(", ".join(f"{n} {s}" for s, n in counts.items() if n) + ".")


# -- timers --------------------------------------------------------------------------------------


class TimerKind(StrEnum):
    cron = "cron"
    systemd = "systemd"
    launchd = "launchd"


# Carried into the timer when set, so it runs as this shell would: the same programs for the checks,
# the same settings, state and keyring.
TIMER_ENV = ("PATH", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME",
             "PYTHON_KEYRING_BACKEND")


@app.command("install-timer")
def install_timer(
    kind: Annotated[TimerKind | None, typer.Option("--kind", help="cron, systemd (a user timer) or launchd "
                                                   "(a macOS agent). Default: the one that fits this "
                                                   "machine.")] = None,
    print_only: Annotated[bool, typer.Option("--print", help="Print the timer; write nothing.")] = False,
) -> None:
    """Run `oncall ready --before-shift` every hour from a timer: writes a systemd user timer, a
    launchd agent or a crontab line (whichever fits this machine) and prints what it wrote."""
    org = session().org()
    me = identity(org)
    env = {name: os.environ[name] for name in TIMER_ENV if os.environ.get(name)}
    if me.source == "ONCALL_PERSON":  # the timer would not see it otherwise
        env["ONCALL_PERSON"] = me.person.id
    argv = timer.before_shift_argv(_program(), org.root.resolve())
    minute = timer.minute_for(me.person.id)
    chosen = kind.value if kind else _fitting_kind()
    if chosen == "cron":
        made = timer.cron(argv, env, minute)
    elif chosen == "systemd":
        made = timer.systemd(argv, env, minute, config_dir().parent / "systemd" / "user")
    else:
        made = timer.launchd(argv, env, minute, Path.home())
    if print_only:
        for f in made.files:
            output.write_text(f"# {f.path}\n{f.text}\n")
        if made.cron_line:
            output.write_text(made.cron_line + "\n")
        return
    if made.cron_line:
        timer.install_cron(made.cron_line)
        output.write_text(made.cron_line + "\n")
        output.info(f"installed in your crontab (crontab -l shows it): hourly at minute {minute}")
    for path in timer.write_files(made):
        text = next(f.text for f in made.files if f.path == path)
        output.write_text(f"# {path}\n{text}\n")
        output.info(f"wrote {path}")
    if made.enable:
        output.info(f"turn it on with: {made.enable}")


def _program() -> list[str]:
    """How a timer starts this very oncall: its script, else this Python with ``-m oncall``."""
    script = Path(sys.argv[0])
    if script.name == "oncall" and script.exists():
        return [str(script.resolve())]
    return [sys.executable, "-m", "oncall"]


def _fitting_kind() -> str:
    if sys.platform == "darwin":
        return "launchd"
    if Path("/run/systemd/system").is_dir() and shutil.which("systemctl"):
        return "systemd"
    return "cron"
