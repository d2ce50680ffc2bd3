"""``oncall whois`` and ``oncall next``: who is on call, and a person's upcoming shifts."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from oncall.cli import output, render
from oncall.cli.context import current_person, local_zone, now, session
from oncall.cli.options import (
    ME_HELP,
    SchedulesOption,
    TableOrJson,
    TableOrJsonOption,
    instant,
    person_option,
)
from oncall.errors import UsageError
from oncall.model import Shift
from oncall.times import TimeValueError, parse_duration


def whois(
    when: Annotated[
        str,
        typer.Argument(metavar="[now|T]", help="The instant to ask about: 'now' (default), a datetime with "
                       "an offset, a local datetime/date read in this machine's timezone, or a time "
                       "relative to now (+2h, tomorrow 09:00)."),
    ] = "now",
    schedule: SchedulesOption = None,
    format: TableOrJsonOption = TableOrJson.table,
) -> None:
    """Who is on call now (or at T), since when, until when, and who is next."""
    from oncall.engine import whois as who

    at = instant(when, "T")
    org = session().org()
    answers = who(org, at, schedule)
    if format is TableOrJson.json:
        rows: list[dict[str, Any]] = []
        for a in answers:
            sched = org.schedules[a.schedule]
            rows.append({
                "schedule": a.schedule,
                "person": a.person,
                "start": render.json_time(a.start, sched),
                "end": render.json_time(a.end, sched),
                "name": sched.display,
                "person_name": render.display_name(org, a.person),
                "reason": a.reason or None,
                "next_person": a.next_person,
                "next_start": render.json_time(a.next_start, sched),
                "gap_start": render.json_time(a.gap_start, sched),
                "gap_end": render.json_time(a.gap_end, sched),
                "at": render.json_time(at, sched),
            })
        output.print_json(rows)
        return

    from rich.table import Table

    viewer = local_zone()
    table = Table(title=f"On call at {render.when(at, viewer)}", title_justify="left")
    table.add_column("Schedule")
    table.add_column("On call")
    for column in ("Since", "Until"):
        table.add_column(column, no_wrap=True)
    table.add_column("Next")
    for a in answers:
        name = render.schedule(org, a.schedule)
        nxt = (f"{render.person(org, a.next_person)}, {render.when(a.next_start, viewer)}"
               if a.next_start is not None else "-")
        if a.person is None:
            since = render.when(a.gap_start, viewer) if a.gap_start is not None else "-"
            until = render.when(a.gap_end, viewer) if a.gap_end is not None else "no one scheduled"
            table.add_row(name, "NOBODY (gap)", since, until, nxt, style="bold red")
        else:
            assert a.start is not None and a.end is not None
            why = render.reasons(org, Shift(a.schedule, a.person, a.start, a.end, a.reason), layers=False)
            table.add_row(name, render.person(org, a.person) + (f" ({why})" if why else ""), render.when(a.start, viewer),
                          render.when(a.end, viewer), nxt)
    output.stdout().print(table)


def next_shifts(
    person: Annotated[str | None, person_option(ME_HELP)] = None,
    within: Annotated[str, typer.Option("--within", help="How far ahead to look, e.g. 4w, 30d.")] = "8w",
    format: TableOrJsonOption = TableOrJson.table,
) -> None:
    """A person's upcoming shifts across all schedules."""
    from oncall.engine import generate, who_at

    org = session().org()
    me = current_person(org, person)
    output.info(f"person: {me.person.id} ({me.how})")
    try:
        horizon = parse_duration(within).seconds
    except TimeValueError as exc:
        raise UsageError(f"--within: {exc}") from None
    start = now()
    shifts = generate(org, start, start + horizon, person=me.person.id).shifts
    # A shift already under way is shown with its real start, not clipped to now.
    shifts = [
        Shift(s.schedule, s.person, who_at(org.schedules[s.schedule], org.people, start).start or s.start, s.end, s.reason)
        if s.start == start else s
        for s in shifts
    ]
    shifts.sort(key=lambda s: (s.start, s.schedule))
    if format is TableOrJson.json:
        output.print_json([render.shift_json(org, s) | {"name": org.schedules[s.schedule].display} for s in shifts])
        return
    viewer = me.person.tz  # every person has a zone (people.yaml default, else UTC)
    console = output.stdout()
    name = render.person(org, me.person.id)
    if not shifts:
        console.print(f"{name} has no shifts in the next {within}.")
        return
    from rich.table import Table

    table = Table(title=f"Upcoming shifts for {name} ({render.zone_name(viewer)})", title_justify="left")
    for column in ("Schedule", "Start", "End", "Length", "Why"):
        table.add_column(column)
    for s in shifts:
        table.add_row(render.schedule(org, s.schedule), render.when(s.start, viewer), render.when(s.end, viewer),
                      render.length(s.end - s.start), render.reasons(org, s))
    console.print(table)
