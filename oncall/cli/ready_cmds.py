"""``oncall ready``, ``oncall secret set|delete|list`` and ``oncall playbook show|list``."""

from __future__ import annotations

import os
import re
import sys
from datetime import datetime, tzinfo
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from oncall.cli import output
from oncall.cli.app import app, playbook_app, secret_app
from oncall.cli.context import current_person, local_zone, now, state
from oncall.cli.output import TableOrJson
from oncall.errors import NotFound, UsageError
from oncall.model import Checklist, Org
from oncall.times import TimeValueError, parse_duration

if TYPE_CHECKING:
    from oncall.readiness.report import Report, ShiftNote
    from oncall.readiness.results import CheckResult

MARKS = {"pass": ("✓", "green"), "fail": ("✗", "red"), "warn": ("!", "yellow"), "skip": ("-", "dim"),
         "error": ("?", "magenta")}


class ReadyFormat(StrEnum):
    table = "table"
    json = "json"
    junit = "junit"


def _when(seconds: int, tz: tzinfo) -> str:
    moment = datetime.fromtimestamp(seconds, tz)
    return f"{moment:%a %Y-%m-%d %H:%M} {moment.tzname()}"


@app.command("ready")
def ready(
    person: Annotated[str | None, typer.Option("--person", "-p", help="Person id or email. Default: you "
                                               "(ONCALL_PERSON, git user.email, or login name).")] = None,
    within: Annotated[str, typer.Option("--within", help="Check the checklists of schedules you have a shift "
                                        "on within this long from now, e.g. 7d, 36h.")] = "7d",
    check_access: Annotated[bool, typer.Option("--check-access", help="Run every check now (commands, "
                                               "connections, tokens), concurrently.")] = False,
    fmt: Annotated[ReadyFormat, typer.Option("--format", "-f", help="table, json or junit.")] = ReadyFormat.table,
    confirm: Annotated[list[str] | None, typer.Option("--confirm", help="Record that you confirm a confirm: item "
                                                      "(ITEM or CHECKLIST/ITEM); repeat for several.")] = None,
    checklist: Annotated[list[str] | None, typer.Option("--checklist", "-c", help="Run this checklist whatever "
                                                        "your shifts; repeat for several.")] = None,
    workers: Annotated[int | None, typer.Option("--workers", min=1, max=256, help="Checks run at once at most. "
                                                "Default: all of them, up to 256 (and 32 programs).")] = None,
) -> None:
    """Are you ready for your next shift? Exit 0 ready, 1 not ready, 2 config or usage error.

    Without --check-access: static readiness (checklist reviews, secrets in the keyring,
    confirmations, and what the last --check-access run found). With it: every check runs now.
    """
    from oncall.readiness import checks, runner
    from oncall.readiness.report import Report
    from oncall.readiness.results import SavedRun, load_attestations, load_results, save_results

    org = state.org()
    who = current_person(org, person)
    me = who.person
    output.info(f"checking {me.display} ({me.id}), identified by {who.how}")
    at = now()
    tz = local_zone()
    try:
        horizon = parse_duration(within).seconds
    except TimeValueError as exc:
        raise UsageError(f"--within: {exc}") from None

    shifts: list[ShiftNote] = []
    if checklist:
        selected = [_checklist(org, cid) for cid in checklist]
    else:
        selected, shifts = _from_shifts(org, me.id, at, horizon, tz, within)

    if confirm:
        _record_confirmations(org, me.id, selected, confirm, at, tz)

    ctx = checks.Context(person=me, now=at, attestations=load_attestations(me.id))
    planned = runner.plan(selected)
    saved = load_results(me.id)
    findings = runner.review_findings(selected, datetime.fromtimestamp(at, tz).date(), at)
    if check_access and planned:
        results = _run_live(planned, ctx, workers, fmt)
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
        raise typer.Exit(1)


def _checklist(org: Org, cid: str) -> Checklist:
    if cid not in org.checklists:
        known = ", ".join(sorted(org.checklists)) or "none"
        raise NotFound(f"--checklist: no checklist {cid!r}; write one of: {known}")
    return org.checklists[cid]


def _from_shifts(org: Org, pid: str, at: int, horizon: int, tz: tzinfo,
                 within: str) -> tuple[list[Checklist], list[ShiftNote]]:
    from oncall.engine import generate
    from oncall.readiness.checks import ago
    from oncall.readiness.report import ShiftNote

    timeline = generate(org, at, at + horizon, person=pid)
    selected: list[Checklist] = []
    notes: list[ShiftNote] = []
    seen: set[str] = set()
    for shift in timeline.shifts:
        if shift.schedule in seen:
            continue  # the first shift on each schedule is the one to be ready for
        seen.add(shift.schedule)
        schedule = org.schedules[shift.schedule]
        cid = schedule.checklist
        notes.append(ShiftNote(schedule.id, cid, shift.start, shift.end))
        starts = "now (on call)" if shift.start <= at else f"{_when(shift.start, tz)}, in {ago(shift.start - at)}"
        target = f"checklist {cid}" if cid else "no checklist"
        output.info(f"on call for {schedule.display} from {starts} -> {target}")
        if cid and cid in org.checklists and org.checklists[cid] not in selected:
            selected.append(org.checklists[cid])
    if not notes:
        output.info(f"no shifts for {pid} within {within}; nothing to check (--checklist ID runs one anyway)")
    return selected, notes


def _record_confirmations(org: Org, pid: str, selected: list[Checklist], wanted: list[str], at: int,
                          tz: tzinfo) -> None:
    from oncall.readiness.results import record_attestation

    for name in wanted:
        cid, _, iid = name.rpartition("/")
        pool = [org.checklists[cid]] if cid in org.checklists else (selected + [
            c for c in org.checklists.values() if c not in selected])
        matches = [(c, i) for c in pool for i in c.items if i.id == iid and i.kind == "confirm"]
        if not matches:
            confirmable = sorted({f"{c.id}/{i.id}" for c in org.checklists.values() for i in c.items
                                  if i.kind == "confirm"})
            raise NotFound(f"--confirm: no confirm item {name!r}; write one of: {', '.join(confirmable) or 'none'}")
        c, item = matches[0]
        statement = str(item.check.get("confirm") or item.title)
        record_attestation(pid, c.id, item.id, statement, at)
        valid = f", valid for {item.valid_for}" if item.valid_for else ""
        output.info(f"recorded: {pid} confirms {statement!r} ({c.id}/{item.id}) at {_when(at, tz)}{valid}")


def _run_live(planned: list, ctx: object, workers: int | None, fmt: ReadyFormat) -> list[CheckResult]:
    from oncall.readiness import runner
    from oncall.readiness.checks import Context

    assert isinstance(ctx, Context)
    total = len(planned)
    if sys.stderr.isatty() and not os.environ.get("ONCALL_PLAIN_PROGRESS"):
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

        with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      console=output.stderr(), transient=True) as progress:
            task = progress.add_task("checking", total=total)
            running: set[str] = set()

            def started(p: runner.Planned) -> None:
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
        output.print_json(to_json(report, tz))
    elif fmt is ReadyFormat.junit:
        output.write_text(to_junit(report))
    else:
        _table(report, org, tz)


def _table(report: Report, org: Org, tz: tzinfo) -> None:
    from rich.text import Text

    from oncall.readiness.checks import ago

    console = output.stdout()

    def say(*parts: object) -> None:
        console.print(*parts, soft_wrap=True)

    person = org.people.get(report.person)
    title = person.display if person else report.person
    say(Text(f"Readiness of {title} ({report.person})", style="bold"))
    for checklist_id in report.checklists:
        checklist = org.checklists.get(checklist_id)
        say()
        header = Text(f"{checklist.name if checklist else checklist_id} ({checklist_id})", style="bold")
        for shift in report.shifts:
            if shift.checklist == checklist_id:
                schedule = org.schedules.get(shift.schedule)
                start = "on call now" if shift.start <= report.at else f"from {_when(shift.start, tz)}"
                header.append(f" · {schedule.display if schedule else shift.schedule} {start}", style="")
        say(header)
        for r in report.results:
            if r.checklist != checklist_id:
                continue
            mark, colour = MARKS.get(r.status, ("?", ""))
            line = Text("  [")
            line.append(mark, style=colour)
            line.append(f"] {r.title}")
            if r.message:
                line.append(f" — {r.message}", style="dim" if r.status in ("pass", "skip") else "")
            say(line)
            if r.status in ("fail", "error", "warn") and r.fix:
                say(Text(f"      • fix: {r.fix}", style=colour))
            if r.status in ("fail", "error", "warn") and r.playbook:
                link = r.playbook if re.match(r"^https?://", r.playbook) else f"oncall playbook show {r.playbook}"
                say(Text(f"      • playbook: {link}"))
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
        say(Text(f"Not ready: {summary}. Fix the items marked ✗ or ? before your shift.",
                           style="red"))
    if report.check_access:
        return
    if report.last_verified:
        say(Text(f"Last verified {ago(report.at - report.last_verified)} ago; "
                           "run `oncall ready --check-access` to check again."))
    elif report.results:
        say(Text("Never verified: run `oncall ready --check-access` to run the checks."))


# -- secrets ------------------------------------------------------------------------------------


@secret_app.command("set")
def secret_set(
    name: Annotated[str, typer.Argument(help="The secret's name, as checklists write it (secret: NAME).")],
) -> None:
    """Store a secret in the OS keyring: prompts without echo, or reads stdin when it is not a terminal."""
    import getpass

    from oncall.readiness import secrets

    secrets.check_name(name)
    if sys.stdin is not None and sys.stdin.isatty():
        value = getpass.getpass(f"Value for {name} (not shown): ")
    else:
        value = sys.stdin.read() if sys.stdin is not None else ""
        value = value.rstrip("\r\n")
    if not value.strip():
        raise UsageError(f"no value given for {name!r}; type it at the prompt or pipe it on stdin")
    info = secrets.set_secret(name, value, at=now())
    output.info(f"stored {name} in {info.name} ({info.where})")
    if info.plaintext:
        output.warning(f"{info.name} keeps secrets unencrypted in {info.where}; anyone who can read that file "
                       "can read them. Prefer the Secret Service (gnome-keyring) or the macOS Keychain.")


@secret_app.command("delete")
def secret_delete(name: Annotated[str, typer.Argument(help="The secret's name.")]) -> None:
    """Delete a secret from the OS keyring."""
    from oncall.readiness import secrets

    if not secrets.delete_secret(name):
        raise NotFound(f"no secret {name!r} in the keyring; `oncall secret list` shows the stored names")
    output.info(f"deleted {name}")


@secret_app.command("list")
def secret_list(
    fmt: Annotated[TableOrJson, typer.Option("--format", "-f", help="table or json.")] = TableOrJson.table,
) -> None:
    """The names of stored secrets and where they are kept (never their values)."""
    from oncall.readiness import secrets

    stored = secrets.list_secrets()
    tz = local_zone()
    if fmt is TableOrJson.json:
        from oncall.times import iso

        output.print_json([{"name": s.name, "where": s.where,
                            "stored_at": iso(s.stored_at, tz) if s.stored_at else None} for s in stored])
        return
    if not stored:
        output.info("no secrets stored yet; `oncall secret set NAME` stores one")
        return
    from rich.table import Table

    table = Table(box=None, pad_edge=False)
    for column in ("NAME", "STORED", "WHERE"):
        table.add_column(column)
    for s in stored:
        table.add_row(s.name, _when(s.stored_at, tz) if s.stored_at else "", s.where)
    output.stdout().print(table)


# -- playbooks ----------------------------------------------------------------------------------


def _playbook_path(name: str) -> Path:
    folder = state.root() / "playbooks"
    stem = name[:-3] if name.endswith(".md") else name
    stem = stem.removeprefix("playbooks/")
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", stem):
        raise UsageError(f"{name!r} is not a playbook name; write the file stem, e.g. incident-response")
    path = folder / f"{stem}.md"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in folder.glob("*.md"))) if folder.is_dir() else ""
        raise NotFound(f"no playbook playbooks/{stem}.md; write one of: {known or 'none yet'}")
    return path


@playbook_app.command("show")
def playbook_show(name: Annotated[str, typer.Argument(help="The playbook: a file stem under playbooks/.")]) -> None:
    """Render a Markdown playbook from playbooks/NAME.md (plain text when stdout is not a terminal)."""
    text = _playbook_path(name).read_text(encoding="utf-8")
    if sys.stdout.isatty():
        from rich.markdown import Markdown

        output.stdout().print(Markdown(text))
    else:
        output.write_text(text if text.endswith("\n") else text + "\n")


@playbook_app.command("list")
def playbook_list() -> None:
    """The playbooks under playbooks/, with their titles."""
    folder = state.root() / "playbooks"
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        heading = next((line.lstrip("# ").strip() for line in path.read_text(encoding="utf-8").splitlines()
                        if line.startswith("#")), "")
        output.write_text(f"{path.stem}\t{heading}\n")
