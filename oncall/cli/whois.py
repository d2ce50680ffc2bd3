"""``oncall whois`` and ``oncall next``: who is on call, and a person's upcoming shifts."""

from __future__ import annotations

import json
from datetime import timedelta, tzinfo
from pathlib import Path
from typing import Annotated, Any

import typer

from oncall import engine, whoiscache
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
from oncall.config import cache, inputs
from oncall.model import OnCall, Org, Shift, reason_codes
from oncall.times import epoch_to_wall, iso, zone


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
    viewer = local_zone()
    texts = _cached_texts(at, viewer, schedule, format)
    if texts is not None and _print_cached(texts, at, viewer, format):
        return
    org = session().org()
    answers = engine.whois(org, at, schedule)
    if format is TableOrJson.json:
        output.print_json([_json_row(org, a) | {"at": render.json_time(at, org.schedules[a.schedule])}
                           for a in answers])
        return
    table = _table(at, viewer, [render.person(org, a.person) for a in answers if a.person])
    for a in answers:
        cells, style = _cells(org, a, viewer)
        table.add_row(*cells, style=style)
    table.print()


def _json_row(org: Org, a: OnCall) -> dict[str, Any]:
    """An answer's JSON row, but for its last key, ``at``."""
    sched = org.schedules[a.schedule]
    return {
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
    }


def _table(at: int, viewer: tzinfo, names: list[str]) -> Table:
    """The table of answers, for ``names`` the names of the people on call."""
    names = [*names, "NOBODY (gap)"]
    return Table([Column("Schedule", fold=True, squeeze=1),
                  Column("On call", fold=True, squeeze=1, least=max(map(len, names))),
                  Column("Since", drop=2, folded=render.fold_when), Column("Until", folded=render.fold_when),
                  Column("Next", drop=1, squeeze=2, folded=render.fold_after_name)],
                 title=f"On call at {render.when(at, viewer)}")


def _cells(org: Org, a: OnCall, viewer: tzinfo) -> tuple[list[str], str | None]:
    """An answer's table row and its style."""
    name = render.schedule(org, a.schedule)
    nxt = (f"{render.person(org, a.next_person)}, {render.when(a.next_start, viewer)}"
           if a.next_start is not None else "-")
    if a.person is None:
        since = render.when(a.gap_start, viewer) if a.gap_start is not None else "-"
        until = render.when(a.gap_end, viewer) if a.gap_end is not None else "no one scheduled"
        return [name, "NOBODY (gap)", since, until, nxt], "bold red"
    assert a.start is not None and a.end is not None
    # Beside the name, only what is unusual about the shift; an override's note is in generate.
    why = render.reasons(org, (r._replace(note=None) for r in a.reasons), layers=False)
    return [name, render.person(org, a.person) + (f", {why}" if why else ""),
            render.when(a.start, viewer), render.when(a.end, viewer), nxt], None


# -- the cache of answers (oncall.whoiscache) ------------------------------------------------------
# A piece's text, for JSON: its row as print_json lays it out, without its closing ``at`` line.
# For a table: the name of the person on call (empty in a gap), the five cells and the row's style
# (empty for none), joined by the unit separator, which no cell holds (they are terminal-safe).
_SEP = "\x1f"
_AT = ',\n    "at": '


def _cached_texts(at: int, viewer: tzinfo, selection: list[str] | None, format: TableOrJson
                  ) -> list[tuple[str, str]] | None:
    """Each selected schedule's timezone and the text of its piece at ``at`` for ``format``, from
    the cache or computed and stored; None when the cache is off or cannot hold these answers."""
    viewer_name = getattr(viewer, "key", None)
    if not cache.enabled() or not viewer_name:
        return None
    current = session()
    root = current.root().resolve()
    key = whoiscache.key(root, viewer_name, selection)
    found = whoiscache.lookup(root, key, f"whois-{format.value}", at)
    if found is None:
        made = _store(current.org(), root, key, at, viewer, selection)
        if made is None:
            return None
        found = made[format]
    return [(timezone, text.decode("utf-8", "surrogatepass")) for timezone, text in found]


def _store(org: Org, root: Path, key: whoiscache.Key, at: int, viewer: tzinfo, selection: list[str] | None
           ) -> dict[TableOrJson, list[tuple[str, bytes]]] | None:
    """Work out the pieces of the selected schedules for the span from ``at`` and store them for
    each format; each schedule's timezone and text of its piece at ``at``, per format. None when
    an answer changes with the instant itself (a shift beyond the engine's reach)."""
    made: dict[TableOrJson, list[whoiscache.Schedule]] = {TableOrJson.json: [], TableOrJson.table: []}
    for sched in engine.select_schedules(org, selection, argument="schedule"):
        answers = engine.answers_during(org, sched, at, at + whoiscache.SPAN)
        if answers is None:
            return None
        rows, lines = [], []
        for piece in answers:
            row = json.dumps(_json_row(org, piece.on_call), indent=2, ensure_ascii=False).replace("\n", "\n  ")
            cells, style = _cells(org, piece.on_call, viewer)
            person = render.person(org, piece.on_call.person) if piece.on_call.person else ""
            rows.append(whoiscache.Piece(piece.start, row.removesuffix("\n  }").encode("utf-8", "surrogatepass")))
            lines.append(whoiscache.Piece(piece.start, _SEP.join([person, *cells, style or ""]).encode(
                "utf-8", "surrogatepass")))
        made[TableOrJson.json].append(whoiscache.Schedule(sched.timezone, rows))
        made[TableOrJson.table].append(whoiscache.Schedule(sched.timezone, lines))
    zones = inputs.org_zones(org) | {getattr(viewer, "key", "")}
    for format, schedules in made.items():
        whoiscache.store(root, key, f"whois-{format.value}", at, zones, schedules)
    return {format: [(s.timezone, s.pieces[0].text) for s in schedules] for format, schedules in made.items()}


def _print_cached(texts: list[tuple[str, str]], at: int, viewer: tzinfo, format: TableOrJson) -> bool:
    """Print the answers from their texts; False, having printed nothing, for texts this code
    did not write."""
    if format is TableOrJson.json:
        at_text = {timezone: _AT + json.dumps(iso(at, zone(timezone))) + "\n  }"
                   for timezone in {timezone for timezone, _ in texts}}
        output.print_json(output.EncodedItems([[text + at_text[timezone] for timezone, text in texts]]))
        return True
    records = [text.split(_SEP) for _, text in texts]
    if any(len(record) != 7 for record in records):
        return False
    table = _table(at, viewer, [record[0] for record in records if record[0]])
    for record in records:
        table.add_row(*record[1:6], style=record[6] or None)
    table.print()
    return True


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
