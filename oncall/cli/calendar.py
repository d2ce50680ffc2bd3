"""``oncall calendar publish``: a static folder of subscribable feeds."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from oncall.cli import output, render
from oncall.cli.app import command_group
from oncall.cli.context import now, session
from oncall.cli.options import SchedulesOption, TableOrJson, TableOrJsonOption, from_option, to_option, window
from oncall.cli.tables import Column, Table
from oncall.errors import UsageError
from oncall.times import DAY

if TYPE_CHECKING:
    from oncall.calendar.publish import PublishReport

app = command_group("Publish calendar feeds people can subscribe to.")


@app.command("publish")
def publish(
    out_dir: Annotated[Path, typer.Argument(metavar="DIR", help="The folder to write (created if missing).")],
    start_text: Annotated[str | None, from_option("two weeks before today")] = None,
    end_text: Annotated[str | None, to_option("six months after today")] = None,
    base_url: Annotated[
        str | None,
        typer.Option("--base-url", help="The https:// URL the folder is served at; gives index.html "
                     "absolute https:// and webcal:// subscribe links."),
    ] = None,
    schedule: SchedulesOption = None,
    fmt: TableOrJsonOption = TableOrJson.table,
) -> None:
    """Write one .ics feed per schedule and per person, and an index.html listing them.

    Compared with the feeds already in DIR, changed shifts get a higher SEQUENCE and shifts that
    disappeared are kept once as cancelled so subscribed calendars drop them. Files whose bytes
    would not change are left untouched.
    """
    from oncall.calendar.publish import default_window, publish_recorded

    if base_url is not None and not base_url.startswith(("https://", "http://")):
        raise UsageError(f"--base-url: {base_url!r} is not a web address; write it like https://oncall.example.com/cal")
    at = now()
    first, last = default_window(at)
    start, end = window(start_text, end_text, days=(last - first) // DAY, anchor=first)
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"{out_dir}: is a file; give a folder to publish into")
    run = session()
    try:
        report = publish_recorded(run.root(), out_dir, load=run.org, start=start, end=end, now=at,
                                  base_url=base_url, schedules=schedule)
    except OSError as exc:
        where = exc.filename or out_dir
        raise UsageError(f"{where}: cannot write the feeds ({exc.strerror}); give a folder you can write to") from None

    if fmt is TableOrJson.json:
        output.print_json({
            "dir": str(out_dir),
            "from": render.json_time(report.start),
            "to": render.json_time(report.end),
            "index_written": report.index_written,
            "feeds": [
                {"file": f.file, "kind": f.kind, "id": f.id, "name": f.name, "events": f.stats.events,
                 "added": len(f.stats.added), "changed": len(f.stats.changed),
                 "cancelled": len(f.stats.cancelled), "written": f.written}
                for f in report.feeds
            ],
        })
        return
    _summary(report)


def _summary(report: PublishReport) -> None:
    table = Table([Column("feed", fold=True), Column("events", justify="right"), Column("added", justify="right"),
                   Column("changed", justify="right", drop=1), Column("cancelled", justify="right", drop=2),
                   Column("file")], plain=True)
    for f in report.feeds:
        table.add_row(render.safe(f.file), str(f.stats.events), str(len(f.stats.added)), str(len(f.stats.changed)),
                      str(len(f.stats.cancelled)), "written" if f.written else "unchanged")
    table.print()
    written = len(report.written) + (1 if report.index_written else 0)
    output.info(
        f"{report.out_dir}: {len(report.feeds)} feeds from {render.json_time(report.start)} to "
        f"{render.json_time(report.end)}; "
        + (f"{written} file(s) written" if written else "nothing changed, no file rewritten")
    )
