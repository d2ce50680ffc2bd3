"""``oncall site build``: a static web site of who is on call, timelines, people and readiness."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from oncall.cli import output, render
from oncall.cli.app import command_group
from oncall.cli.context import now, session
from oncall.cli.options import TableOrJson, TableOrJsonOption, from_option, to_option, window
from oncall.errors import UsageError
from oncall.model import Org
from oncall.readiness.board import DEFAULT_WITHIN, PASSING, shares_results, team_board
from oncall.site import Board, SiteReport, build_site, default_window
from oncall.site.readiness import ReadinessRow, entries_from_json
from oncall.times import DAY

app = command_group("Build a static web site of the team's on-call.")


@app.command("build")
def build(
    out_dir: Annotated[Path, typer.Argument(metavar="DIR", help="The folder to write (created if missing).")],
    start_text: Annotated[str | None, from_option("the start of yesterday, UTC")] = None,
    end_text: Annotated[str | None, to_option("29 days after the start")] = None,
    base_url: Annotated[
        str | None,
        typer.Option("--base-url", help="The https:// URL the folder is served at; gives the calendar "
                     "links absolute https:// and one-click webcal:// forms."),
    ] = None,
    readiness: Annotated[
        str | None,
        typer.Option("--readiness", metavar="FILE",
                     help="Show this readiness board, as `oncall ready status --format json` prints it (- "
                          "for stdin), instead of the one assembled from the team's shared results."),
    ] = None,
    fmt: TableOrJsonOption = TableOrJson.table,
) -> None:
    """Write a static site into DIR: who is on call now, timelines, people, readiness.

    Serve DIR with any static web server, or open DIR/index.html from disk. The pages hold the
    shifts from --from to --to; the Now page works out who is on call in the reader's browser and
    says when it needs a rebuild. The calendar feeds the pages link to are written to DIR/feeds.
    When oncall.yaml shares readiness results, the Readiness page shows the team's board (shifts
    under way or starting within 7 days, as `oncall ready status` shows them), fetched now;
    --readiness FILE shows a board given instead. Files whose bytes would not change are left
    untouched.
    """
    if base_url is not None and not base_url.startswith(("https://", "http://")):
        raise UsageError(f"--base-url: {base_url!r} is not a web address; write it like https://oncall.example.com/")
    at = now()
    first, last = default_window(at)
    start, end = window(start_text, end_text, days=(last - first) // DAY, anchor=first)
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"{out_dir}: is a file; give a folder to build the site in")
    org = session().org()
    board = _board(readiness, org, at)
    try:
        report = build_site(org, out_dir, start=start, end=end, now=at, base_url=base_url, readiness=board)
    except OSError as exc:
        where = exc.filename or out_dir
        raise UsageError(f"{where}: cannot write the site ({exc.strerror}); give a folder you can write to") from None

    if fmt is TableOrJson.json:
        output.print_json({
            "dir": str(out_dir),
            "from": render.json_time(report.start),
            "to": render.json_time(report.end),
            "pages": report.pages,
            "feeds": report.feeds,
            "written": report.written,
            "removed": report.removed,
            "readiness": _tally(board) if board is not None else None,
        })
        return
    _summary(report, board)


def _board(source: str | None, org: Org, at: int) -> Board | None:
    """The Readiness page's board: read from FILE when given, else the team's board assembled now
    from the results the team shares; None when oncall.yaml shares none."""
    if source is not None:
        return Board(_readiness(source, org), origin="standard input" if source == "-" else Path(source).name)
    if not shares_results(org):
        return None
    team = team_board(org, at, DEFAULT_WITHIN)
    for warning in team.warnings:
        output.warning(warning)
    # The page may be public: it says that the fetch failed, not git's own words (addresses, hosts).
    problems = ("the shared results could not be fetched when this page was built, so it shows the ones "
                "fetched before, which may be out of date",) if team.warnings else ()
    return Board(team.entries, origin=f"the team's shared results ({team.origin})", within=DEFAULT_WITHIN,
                 warnings=problems)


def _tally(board: Board) -> dict[str, object]:
    """The board in the build's summary: where it came from, its shifts, and how many fail it."""
    return {"source": "file" if board.within is None else "shared", "shifts": len(board.entries),
            "not_ready": sum(1 for e in board.entries if e.status not in PASSING)}


def _readiness(source: str, org: Org) -> list[ReadinessRow]:
    """The board read from FILE (or stdin), every schedule and person in it known to the org."""
    hint = "give the output of `oncall ready status --format json`"
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise UsageError(f"--readiness: {source}: cannot read it ({reason}); {hint}") from None
    try:
        entries = entries_from_json(json.loads(text))
    except ValueError as exc:  # json.JSONDecodeError is a ValueError
        raise UsageError(f"--readiness: {source}: {exc}; {hint}") from None
    for number, entry in enumerate(entries, 1):
        if entry.schedule not in org.schedules or entry.person not in org.people:
            unknown = (f"schedule {entry.schedule!r}" if entry.schedule not in org.schedules
                       else f"person {entry.person!r}")
            raise UsageError(f"--readiness: {source}: shift {number}: unknown {unknown}; "
                             f"{hint} for this config root")
    return entries


def _summary(report: SiteReport, board: Board | None) -> None:
    index = report.out_dir / "index.html"
    changed = len(report.written) + len(report.removed)
    readiness = "readiness: not shown (oncall.yaml shares no readiness results)\n"
    if board is not None:
        tally = _tally(board)
        readiness = (f"readiness: {tally['shifts']} shifts, {tally['not_ready']} not ready, from "
                     f"{render.safe(board.origin)}\n")
    output.write_text(
        f"{render.safe(str(report.out_dir))}: {report.pages} pages and {report.feeds} calendar feeds, shifts from "
        f"{render.json_time(report.start)} to {render.json_time(report.end)}\n"
        + readiness
        + (f"{len(report.written)} file(s) written, {len(report.removed)} removed\n" if changed
           else "nothing changed, no file rewritten\n")
        + f"open {render.safe(str(index))}\n"
    )
