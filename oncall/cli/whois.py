"""``oncall whois`` and ``oncall next``: who is on call, and a person's upcoming shifts."""

from __future__ import annotations

from datetime import timedelta, tzinfo
from typing import Annotated, Any

import typer

from oncall import engine
from oncall.cli import output, render
from oncall.cli.context import current_person, local_zone, now, session
from oncall.cli.options import (
    ME_HELP,
    SchedulesOption,
    TableOrJson,
    TableOrJsonOption,
    horizon,
    instant,
    person_option,
    within_option,
)
from oncall.cli.tables import Column, Table
from oncall.model import Shift, reason_codes
from oncall.times import epoch_to_wall


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
    at = instant(when, "T")
    org = session().org()
    answers = engine.whois(org, at, schedule)
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
                "reason": reason_codes(a.reasons) or None,
                "next_person": a.next_person,
                "next_start": render.json_time(a.next_start, sched),
                "gap_start": render.json_time(a.gap_start, sched),
                "gap_end": render.json_time(a.gap_end, sched),
                "at": render.json_time(at, sched),
            })
        output.print_json(rows)
        return

    viewer = local_zone()
    names = [render.person(org, a.person) for a in answers if a.person] + ["NOBODY (gap)"]
    table = Table([Column("Schedule", fold=True, squeeze=1),
                   Column("On call", fold=True, squeeze=1, least=max(map(len, names))),
                   Column("Since", drop=2, folded=render.fold_when), Column("Until", folded=render.fold_when),
                   Column("Next", drop=1, squeeze=2, folded=render.fold_after_name)],
                  title=f"On call at {render.when(at, viewer)}")
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
            # Beside the name, only what is unusual about the shift; an override's note is in generate.
            why = render.reasons(org, (r._replace(note=None) for r in a.reasons), layers=False)
            table.add_row(name, render.person(org, a.person) + (f", {why}" if why else ""),
                          render.when(a.start, viewer), render.when(a.end, viewer), nxt)
    table.print()


def next_shifts(
    person: Annotated[str | None, person_option(ME_HELP)] = None,
    within: Annotated[str, within_option("How far ahead to look, e.g. 4w, 30d.")] = "8w",
    detail: Annotated[bool, typer.Option("--detail", help="One row per shift; without it, shifts that repeat "
                                         "daily at the same times are one row.")] = False,
    format: TableOrJsonOption = TableOrJson.table,
) -> None:
    """A person's upcoming shifts across all schedules."""
    ahead = horizon(within)
    org = session().org()
    me = current_person(org, person)
    output.info(f"person: {me.person.id} ({me.how})")
    start = now()
    end = start + ahead
    # Each shift with its real bounds: one under way or running past the window is not cut at its edge.
    shifts = sorted((s._replace(start=s.whole_start or s.start, end=s.whole_end or s.end)
                     for s in engine.generate(org, start, end, person=me.person.id).shifts),
                    key=lambda s: (s.start, s.schedule))
    if format is TableOrJson.json:
        output.print_json([render.shift_json(org, s) | {"name": org.schedules[s.schedule].display} for s in shifts])
        return
    viewer = me.person.tz  # every person has a zone (people.yaml default, else UTC)
    name = render.person(org, me.person.id)
    if not shifts:
        output.line(f"{name} has no shifts in the next {within}.")
        return
    table = Table([Column("Schedule", fold=True, squeeze=1), Column("Start", folded=render.fold_when),
                   Column("End", folded=render.fold_when), Column("Length"),
                   Column("Why", fold=True, drop=1, squeeze=2)],
                  title=f"Upcoming shifts for {name}, times in {render.zone_name(viewer)}")
    runs = [[s] for s in shifts] if detail else _daily_runs(shifts, viewer)
    for run in runs:
        first, last = run[0], run[-1]
        length = render.length(first.end - first.start)
        table.add_row(render.schedule(org, first.schedule), render.when(first.start, viewer),
                      render.when(last.end, viewer), f"{len(run)} × {length} daily" if len(run) > 1 else length,
                      render.reasons(org, first.reasons))
    table.print()
    if len(runs) < len(shifts):
        output.line(f"{len(shifts)} shifts; shifts repeating daily are one row (--detail lists each).")


def _daily_runs(shifts: list[Shift], tz: tzinfo) -> list[list[Shift]]:
    """Shifts grouped into runs: on one schedule, for the same reasons, each starting and ending
    one day after the one before at the same wall-clock times (a follow-the-sun week is one run)."""
    runs: list[list[Shift]] = []
    latest: dict[str, list[Shift]] = {}  # each schedule's latest run
    for shift in shifts:
        run = latest.get(shift.schedule)
        if run is not None and _next_day(run[-1], shift, tz):
            run.append(shift)
            continue
        latest[shift.schedule] = [shift]
        runs.append(latest[shift.schedule])
    return runs


def _next_day(before: Shift, after: Shift, tz: tzinfo) -> bool:
    day = timedelta(days=1)
    return (before.reasons == after.reasons
            and epoch_to_wall(after.start, tz) == epoch_to_wall(before.start, tz) + day
            and epoch_to_wall(after.end, tz) == epoch_to_wall(before.end, tz) + day)
