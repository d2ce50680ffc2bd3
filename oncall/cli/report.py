"""``oncall report hours``: who carried the pager, for how long, at night, at weekends, on holidays."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Annotated, Any

from oncall.cli import output, render
from oncall.cli.app import command_group
from oncall.cli.context import local_zone, session
from oncall.cli.options import ReportFormat, SchedulesOption, format_option, from_option, to_option, window
from oncall.cli.tables import Column, Table
from oncall.edit.hours import hours_report

if TYPE_CHECKING:
    from oncall.edit.hours import HoursReport
    from oncall.model import Org

app = command_group("Reports over generated shifts.")

REPORT_DAYS = 84  # report hours looks back twelve weeks by default


@app.command("hours")
def hours(
    start_text: Annotated[str | None, from_option("twelve weeks before --to")] = None,
    end_text: Annotated[str | None, to_option("now")] = None,
    schedule: SchedulesOption = None,
    fmt: Annotated[ReportFormat, format_option(ReportFormat)] = ReportFormat.table,
) -> None:
    """Per person: on-call hours, hours at night (22:00-07:00) and at weekends on their own clock,
    on public holidays of their `country:`, and number of shifts; then each schedule's spread.

    Hours are elapsed time, so a shift across a DST change counts the hour gained or lost.
    """
    org = session().org()
    start, end = window(start_text, end_text, days=REPORT_DAYS, back=True, table=fmt is ReportFormat.table)
    report = hours_report(org, start, end, schedule)
    if fmt is ReportFormat.json:
        output.print_json(_json(org, report))
    elif fmt is ReportFormat.csv:
        output.write_text(_csv(org, report))
    else:
        _table(org, report)


def _json(org: Org, report: HoursReport) -> dict[str, Any]:
    return {
        "from": render.json_time(report.start),
        "to": render.json_time(report.end),
        "people": [
            {
                "person": p.person,
                "name": render.display_name(org, p.person),
                "timezone": org.people[p.person].timezone if p.person in org.people else None,
                "country": p.country,
                "hours": render.hours_number(p.total),
                "night_hours": render.hours_number(p.night),
                "weekend_hours": render.hours_number(p.weekend),
                "holiday_hours": None if p.holiday is None else render.hours_number(p.holiday),
                "shifts": p.shifts,
            }
            for p in report.people
        ],
        "schedules": [
            {
                "schedule": s.schedule,
                "hours": {person: render.hours_number(seconds) for person, seconds in s.seconds},
                "max": {"person": s.most, "hours": render.hours_number(s.max)},
                "min": {"person": s.least, "hours": render.hours_number(s.min)},
                "spread": None if s.ratio is None else round(s.ratio, 2),
            }
            for s in report.schedules
        ],
    }


def _csv(org: Org, report: HoursReport) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["person", "name", "hours", "night_hours", "weekend_hours", "holiday_hours", "shifts"])
    for p in report.people:
        holiday = "" if p.holiday is None else render.hours_number(p.holiday)
        writer.writerow([p.person, render.display_name(org, p.person), render.hours_number(p.total), render.hours_number(p.night),
                         render.hours_number(p.weekend), holiday, p.shifts])
    return buffer.getvalue()


def _table(org: Org, report: HoursReport) -> None:
    viewer = local_zone()
    table = Table([Column("Person"), Column("Hours", justify="right"), Column("Night", justify="right"),
                   Column("Weekend", justify="right"), Column("Holiday", justify="right", drop=1),
                   Column("Shifts", justify="right")],
                  title=f"On-call hours, {render.when(report.start, viewer)} to {render.when(report.end, viewer)}")
    for p in report.people:
        holiday = "-" if p.holiday is None else render.hours(p.holiday)
        table.add_row(render.person(org, p.person), render.hours(p.total), render.hours(p.night),
                      render.hours(p.weekend), holiday, str(p.shifts))
    table.print()
    spread = Table([Column("Schedule", fold=True), Column("Most", fold=True), Column("Fewest", fold=True),
                    Column("Spread", justify="right")], title="Spread per schedule (most hours / fewest)")
    for s in report.schedules:
        ratio = "-" if s.ratio is None else f"{s.ratio:.2f}"
        spread.add_row(s.schedule, f"{render.person(org, s.most)} {render.hours(s.max)}" if s.most else "-",
                       f"{render.person(org, s.least)} {render.hours(s.min)}" if s.least else "-", ratio)
    spread.print()
    output.line("Night is 22:00-07:00 and weekend Sat-Sun, on each person's own clock.")
