"""``oncall calendar publish``: a static folder of subscribable feeds."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from oncall.cli import output
from oncall.cli.app import calendar_app
from oncall.cli.context import now, parse_instant, state
from oncall.errors import UsageError

if TYPE_CHECKING:
    from oncall.calendar.publish import PublishReport


@calendar_app.command("publish")
def publish_cmd(
    out_dir: Annotated[Path, typer.Argument(metavar="DIR", help="The folder to write (created if missing).")],
    from_: Annotated[
        str | None,
        typer.Option("--from", help="Start of the window (default: two weeks before today)."),
    ] = None,
    to: Annotated[
        str | None,
        typer.Option("--to", help="End of the window; a date includes that day (default: six months ahead)."),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option("--base-url", help="The https:// URL the folder is served at; gives index.html "
                     "absolute https:// and webcal:// subscribe links."),
    ] = None,
    schedule: Annotated[
        list[str] | None,
        typer.Option("--schedule", help="Publish only this schedule (repeatable); default all."),
    ] = None,
    format_: Annotated[str, typer.Option("--format", help="Summary format: table or json.")] = "table",
) -> None:
    """Write one .ics feed per schedule and per person, and an index.html listing them.

    Compared with the feeds already in DIR, changed shifts get a higher SEQUENCE and shifts that
    disappeared are kept once as cancelled so subscribed calendars drop them. Files whose bytes
    would not change are left untouched.
    """
    from oncall.calendar.publish import default_window, publish

    if format_ not in ("table", "json"):
        raise UsageError(f"--format: {format_!r} is not a format; write table or json")
    if base_url is not None and not base_url.startswith(("https://", "http://")):
        raise UsageError(f"--base-url: {base_url!r} is not a web address; write it like https://oncall.example.com/cal")
    at = now()
    start, end = default_window(at)
    if from_ is not None:
        start = parse_instant(from_, "--from")
    if to is not None:
        end = parse_instant(to, "--to", as_end=True)
    if end <= start:
        raise UsageError("--to must be after --from")
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"{out_dir}: is a file; give a folder to publish into")
    org = state.org()
    try:
        report = publish(org, out_dir, start=start, end=end, now=at, base_url=base_url, schedules=schedule)
    except OSError as exc:
        where = exc.filename or out_dir
        raise UsageError(f"{where}: cannot write the feeds ({exc.strerror}); give a folder you can write to") from None

    if format_ == "json":
        from oncall.times import iso

        output.print_json({
            "dir": str(out_dir),
            "from": iso(report.start),
            "to": iso(report.end),
            "index_written": report.index_written,
            "feeds": [
                {"file": f.file, "kind": f.kind, "id": f.id, "name": f.name, "events": f.stats.events,
                 "added": len(f.stats.added), "changed": len(f.stats.changed),
                 "cancelled": len(f.stats.cancelled), "written": f.written}
                for f in report.feeds
            ],
        })
        return
    _print_summary(report)


def _print_summary(report: PublishReport) -> None:
    from rich.table import Table

    from oncall.times import iso

    table = Table(box=None, pad_edge=False)
    for column in ("feed", "events", "added", "changed", "cancelled", "file"):
        table.add_column(column, justify="right" if column in ("events", "added", "changed", "cancelled") else "left")
    for f in report.feeds:
        table.add_row(f.file, str(f.stats.events), str(len(f.stats.added)), str(len(f.stats.changed)),
                      str(len(f.stats.cancelled)), "written" if f.written else "unchanged")
    output.stdout().print(table)
    written = len(report.written) + (1 if report.index_written else 0)
    output.info(
        f"{report.out_dir}: {len(report.feeds)} feeds from {iso(report.start)} to {iso(report.end)}; "
        + (f"{written} file(s) written" if written else "nothing changed, no file rewritten")
    )
