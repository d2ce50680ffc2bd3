"""``oncall site build``: a static web site of who is on call, timelines, people and readiness."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from oncall.cli import output, render
from oncall.cli.app import command_group
from oncall.cli.context import now, session
from oncall.cli.options import TableOrJson, TableOrJsonOption, from_option, to_option, window
from oncall.errors import UsageError
from oncall.times import DAY

if TYPE_CHECKING:
    from oncall.site import SiteReport

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
    fmt: TableOrJsonOption = TableOrJson.table,
) -> None:
    """Write a static site into DIR: who is on call now, timelines, people, readiness.

    Serve DIR with any static web server, or open DIR/index.html from disk. The pages hold the
    shifts from --from to --to; the Now page works out who is on call in the reader's browser and
    says when it needs a rebuild. The calendar feeds the pages link to are written to DIR/feeds.
    Files whose bytes would not change are left untouched.
    """
    from oncall.site import build_site, default_window

    if base_url is not None and not base_url.startswith(("https://", "http://")):
        raise UsageError(f"--base-url: {base_url!r} is not a web address; write it like https://oncall.example.com/")
    at = now()
    first, last = default_window(at)
    start, end = window(start_text, end_text, days=(last - first) // DAY, anchor=first)
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"{out_dir}: is a file; give a folder to build the site in")
    org = session().org()
    try:
        report = build_site(org, out_dir, start=start, end=end, now=at, base_url=base_url)
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
        })
        return
    _summary(report)


def _summary(report: SiteReport) -> None:
    index = report.out_dir / "index.html"
    changed = len(report.written) + len(report.removed)
    output.write_text(
        f"{render.safe(str(report.out_dir))}: {report.pages} pages and {report.feeds} calendar feeds, shifts from "
        f"{render.json_time(report.start)} to {render.json_time(report.end)}\n"
        + (f"{len(report.written)} file(s) written, {len(report.removed)} removed\n" if changed
           else "nothing changed, no file rewritten\n")
        + f"open {render.safe(str(index))}\n"
    )
