"""``oncall whois``, ``oncall next`` and ``oncall schedule generate``."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime, tzinfo
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from oncall.cli import output
from oncall.cli.app import app, schedule_app
from oncall.cli.context import current_person, local_zone, now, parse_instant, state
from oncall.cli.output import TableOrJson
from oncall.errors import UsageError
from oncall.model import Gap, Org, Shift
from oncall.times import iso, parse_duration

DAY = 86400
DEFAULT_DAYS = 28


class GenerateFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    ics = "ics"


ScheduleOption = Annotated[
    list[str] | None,
    typer.Option("--schedule", "-s", help="A schedule id (file stem); repeat for several. Default: all."),
]


def _when(seconds: int, tz: tzinfo) -> str:
    """A short local time: ``Thu 26 Nov 09:00 EST``."""
    moment = datetime.fromtimestamp(seconds, tz)
    return f"{moment:%a %d %b %H:%M} {moment.tzname()}"


def _length(seconds: int) -> str:
    days, rest = divmod(seconds, DAY)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = [f"{days}d" if days else "", f"{hours}h" if hours else "", f"{minutes}m" if minutes else ""]
    return " ".join(p for p in parts if p) or "0m"


def _name(org: Org, person_id: str | None) -> str:
    if person_id is None:
        return ""
    person = org.people.get(person_id)
    return person.display if person else person_id


@app.command("whois")
def whois_command(
    when: Annotated[
        str,
        typer.Argument(metavar="[now|T]", help="The instant to ask about: 'now' (default), a datetime with "
                       "an offset, or a local datetime/date read in this machine's timezone."),
    ] = "now",
    schedule: ScheduleOption = None,
    format: Annotated[TableOrJson, typer.Option("--format", "-f", help="table or json.")] = TableOrJson.table,
) -> None:
    """Who is on call now (or at T), since when, until when, and who is next."""
    from oncall.engine import whois

    at = parse_instant(when, "T")
    org = state.org()
    answers = whois(org, at, schedule)
    if format is TableOrJson.json:
        rows: list[dict[str, Any]] = []
        for a in answers:
            tz = org.schedules[a.schedule].tz
            rows.append({
                "schedule": a.schedule,
                "person": a.person,
                "start": iso(a.start, tz) if a.start is not None else None,
                "end": iso(a.end, tz) if a.end is not None else None,
                "name": org.schedules[a.schedule].display,
                "person_name": _name(org, a.person) or None,
                "reason": a.reason or None,
                "next_person": a.next_person,
                "next_start": iso(a.next_start, tz) if a.next_start is not None else None,
                "gap_start": iso(a.gap_start, tz) if a.gap_start is not None else None,
                "gap_end": iso(a.gap_end, tz) if a.gap_end is not None else None,
                "at": iso(at, tz),
            })
        output.print_json(rows)
        return

    from rich.table import Table

    viewer = local_zone()
    table = Table(title=f"On call at {_when(at, viewer)} {datetime.fromtimestamp(at, viewer):%Y}",
                  title_justify="left")
    table.add_column("Schedule")
    table.add_column("On call")
    for column in ("Since", "Until"):
        table.add_column(column, no_wrap=True)
    table.add_column("Next")
    for a in answers:
        sched = org.schedules[a.schedule]
        nxt = f"{_name(org, a.next_person)}, {_when(a.next_start, viewer)}" if a.next_start is not None else "-"
        if a.person is None:
            since = _when(a.gap_start, viewer) if a.gap_start is not None else "-"
            until = _when(a.gap_end, viewer) if a.gap_end is not None else "no one scheduled"
            table.add_row(sched.display, "NOBODY (gap)", since, until, nxt, style="bold red")
        else:
            assert a.start is not None and a.end is not None
            cover = f" ({a.reason.replace('cover:', 'covering for ')})" if "cover:" in a.reason else ""
            cover = " (override)" if a.reason == "override" else cover
            table.add_row(sched.display, _name(org, a.person) + cover, _when(a.start, viewer),
                          _when(a.end, viewer), nxt)
    output.stdout().print(table)


def _window(org: Org, start_text: str | None, end_text: str | None) -> tuple[int, int]:
    start = parse_instant(start_text, "--from") if start_text else now()
    end = parse_instant(end_text, "--to", as_end=True) if end_text else start + DEFAULT_DAYS * DAY
    if end <= start:
        raise UsageError("--to must be later than --from")
    return start, end


def _shift_json(org: Org, shift: Shift) -> dict[str, Any]:
    tz = org.schedules[shift.schedule].tz
    return {
        "schedule": shift.schedule,
        "person": shift.person,
        "start": iso(shift.start, tz),
        "end": iso(shift.end, tz),
        "person_name": _name(org, shift.person),
        "reason": shift.reason,
    }


def _gap_json(org: Org, gap: Gap) -> dict[str, Any]:
    tz = org.schedules[gap.schedule].tz
    return {"schedule": gap.schedule, "start": iso(gap.start, tz), "end": iso(gap.end, tz)}


@schedule_app.command("generate")
def generate_command(
    start_text: Annotated[str | None, typer.Option("--from", metavar="T", help="Start (default: now).")] = None,
    end_text: Annotated[
        str | None, typer.Option("--to", metavar="T", help="End (default: four weeks after --from); a date "
                                 "includes that whole day.")
    ] = None,
    schedule: ScheduleOption = None,
    person: Annotated[str | None, typer.Option("--person", "-p", help="Only this person's shifts.")] = None,
    format: Annotated[GenerateFormat, typer.Option("--format", "-f", help="table, json, csv or ics.")] = GenerateFormat.table,
    output_path: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file (atomically) instead of stdout.")
    ] = None,
) -> None:
    """List the shifts and gaps of the schedules in a window."""
    from oncall.engine import generate

    org = state.org()
    start, end = _window(org, start_text, end_text)
    timeline = generate(org, start, end, schedule, person)
    if format is GenerateFormat.json:
        _emit_json(org, timeline.shifts, timeline.gaps, output_path)
    elif format is GenerateFormat.csv:
        output.emit(_csv(org, timeline.shifts, timeline.gaps), output_path)
    elif format is GenerateFormat.ics:
        from oncall.calendar.ics import export_calendar

        names = [org.schedules[s].display for s in sorted({sh.schedule for sh in timeline.shifts} | set(schedule or []))]
        title = f"On call: {_name(org, person)}" if person else f"On call: {', '.join(names) or 'all schedules'}"
        output.emit(export_calendar(org, timeline.shifts, gaps=timeline.gaps, name=title, now=now()), output_path)
    else:
        if output_path is not None:
            raise UsageError("--output needs --format json, csv or ics")
        _generate_table(org, timeline.shifts, timeline.gaps, start, end)


def _emit_json(org: Org, shifts: Sequence[Shift], gaps: Sequence[Gap], path: Path | None) -> None:
    """Write ``{"shifts": [...], "gaps": [...]}`` a piece at a time: the same text as one
    ``json.dumps(..., indent=2)``, without holding a year of a large org in memory twice."""
    import json

    def pieces() -> Iterator[str]:
        for key, rows, last in (("shifts", (_shift_json(org, s) for s in shifts), False),
                                ("gaps", (_gap_json(org, g) for g in gaps), True)):
            yield f'{{\n  "{key}": [' if key == "shifts" else f'\n  "{key}": ['
            first = True
            for row in rows:
                text = json.dumps(row, indent=2, ensure_ascii=False).replace("\n", "\n    ")
                yield ("\n    " if first else ",\n    ") + text
                first = False
            yield ("]" if first else "\n  ]") + ("\n}\n" if last else ",")

    if path is None:
        import sys

        sys.stdout.writelines(pieces())
        return
    from oncall.fsutil import atomic_writer

    try:
        with atomic_writer(path) as handle:
            handle.writelines(pieces())
    except OSError as exc:
        raise UsageError(f"{path}: cannot write ({exc.strerror}); pass an --output path in a writable folder") from None
    output.info(f"wrote {path}")


def _csv(org: Org, shifts: Sequence[Shift], gaps: Sequence[Gap]) -> str:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["schedule", "person", "start", "end", "reason"])
    rows = [(s.schedule, s.start, s.person, s.end, s.reason) for s in shifts]
    rows += [(g.schedule, g.start, "", g.end, "gap") for g in gaps]
    for sched, start, person, end, reason in sorted(rows, key=lambda r: (r[0], r[1])):
        tz = org.schedules[sched].tz
        writer.writerow([sched, person, iso(start, tz), iso(end, tz), reason])
    return buffer.getvalue()


def _generate_table(org: Org, shifts: Sequence[Shift], gaps: Sequence[Gap], start: int, end: int) -> None:
    from rich.table import Table

    console = output.stdout()
    viewer = local_zone()
    entries: dict[str, list[tuple[int, int, str | None, str]]] = {}
    for s in shifts:
        entries.setdefault(s.schedule, []).append((s.start, s.end, s.person, s.reason))
    for g in gaps:
        entries.setdefault(g.schedule, []).append((g.start, g.end, None, "gap"))
    if not entries:
        console.print(f"No shifts between {_when(start, viewer)} and {_when(end, viewer)}.")
        return
    for sched_id in sorted(entries):
        sched = org.schedules[sched_id]
        tz = sched.tz
        same_zone = _same_zone(tz, viewer, start)
        year = datetime.fromtimestamp(start, tz).year
        table = Table(title=f"{sched.display} ({sched_id}, {sched.timezone}), from {year}", title_justify="left")
        table.add_column("Start", no_wrap=True)
        table.add_column("End", no_wrap=True)
        if not same_zone:
            table.add_column(f"Start, your time ({zone_name(viewer)})", no_wrap=True)
        table.add_column("Length", justify="right")
        table.add_column("On call")
        table.add_column("Why")
        for begin, finish, person, reason in sorted(entries[sched_id]):
            yours = [_when(begin, viewer)] if not same_zone else []
            who, why, style = ("NOBODY (gap)", "", "bold red") if person is None else (
                _name(org, person), _why(org, reason), None)
            table.add_row(_when(begin, tz), _when(finish, tz), *yours, _length(finish - begin), who, why, style=style)
        console.print(table)


def _why(org: Org, reason: str) -> str:
    parts = []
    for part in reason.split(", "):
        kind, _, value = part.partition(":")
        if kind == "cover":
            parts.append(f"covering {_name(org, value)}'s time off")
        elif kind == "layer":
            parts.append(f"layer {value}")
        else:
            parts.append(part)
    return "; ".join(parts)


def _same_zone(a: tzinfo, b: tzinfo, at: int) -> bool:
    """True when both zones read the same around ``at`` (``UTC`` and ``Etc/UTC``, say)."""
    if a is b or getattr(a, "key", None) == getattr(b, "key", 1):
        return True
    return all(
        datetime.fromtimestamp(t, a).utcoffset() == datetime.fromtimestamp(t, b).utcoffset()
        for t in (at, at + 182 * DAY)
    )


@app.command("next")
def next_command(
    person: Annotated[str | None, typer.Option("--person", "-p", help="Person id or email. Default: "
                      "$ONCALL_PERSON, else your git user.email, else your login name.")] = None,
    within: Annotated[str, typer.Option("--within", help="How far ahead to look, e.g. 4w, 30d.")] = "8w",
    format: Annotated[TableOrJson, typer.Option("--format", "-f", help="table or json.")] = TableOrJson.table,
) -> None:
    """A person's upcoming shifts across all schedules."""
    from oncall.engine import generate, who_at
    from oncall.times import TimeValueError

    org = state.org()
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
        output.print_json([_shift_json(org, s) | {"name": org.schedules[s.schedule].display} for s in shifts])
        return
    viewer = me.person.tz  # every person has a zone (people.yaml default, else UTC)
    console = output.stdout()
    if not shifts:
        console.print(f"{me.person.display} has no shifts in the next {within}.")
        return
    from rich.table import Table

    table = Table(title=f"Upcoming shifts for {me.person.display} ({zone_name(viewer)})", title_justify="left")
    for column in ("Schedule", "Start", "End", "Length", "Why"):
        table.add_column(column)
    for s in shifts:
        table.add_row(org.schedules[s.schedule].display, _when(s.start, viewer), _when(s.end, viewer),
                      _length(s.end - s.start), _why(org, s.reason))
    console.print(table)


def zone_name(tz: tzinfo) -> str:
    return getattr(tz, "key", None) or str(tz)

