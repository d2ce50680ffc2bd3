"""Showing how shifts change: ``schedule diff`` and the edit commands (override, timeoff, swap)
print the same tables, JSON and Markdown."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from oncall.cli import output, render
from oncall.cli.context import local_zone
from oncall.cli.tables import Column, Table

if TYPE_CHECKING:
    from oncall.edit.diff import Change, ShiftDiff
    from oncall.model import Org, Schedule

MARKER = "<!-- oncall-schedule-diff -->"  # lets a CI job find and update its own comment


def diff_json(before: Org, after: Org, result: ShiftDiff) -> dict[str, Any]:
    return {
        "from": render.json_time(result.start),
        "to": render.json_time(result.end),
        "changes": [
            {
                "schedule": c.schedule,
                "start": render.json_time(c.start, _schedule(before, after, c.schedule)),
                "end": render.json_time(c.end, _schedule(before, after, c.schedule)),
                "hours": render.hours_number(c.seconds),
                "kind": c.kind,
                "before": c.before,
                "after": c.after,
                "why": list(c.why),
            }
            for c in result.changes
        ] + [
            {
                "kind": "rotation-change",
                "schedule": r.schedule,
                "layer": r.layer,
                "first_effect": render.json_time(r.first_effect, _schedule(before, after, r.schedule)),
                "summary": r.summary(after),
            }
            for r in result.rotation
        ],
        "people": [
            {"person": p.person, "gained_hours": render.hours_number(p.gained),
             "lost_hours": render.hours_number(p.lost), "net_hours": render.hours_number(p.net)}
            for p in result.people
        ],
        "schedules_added": list(result.added),
        "schedules_removed": list(result.removed),
    }


def diff_table(before: Org, after: Org, result: ShiftDiff, title: str | None) -> None:
    viewer = local_zone()
    span = f"between {render.when(result.start, viewer)} and {render.when(result.end, viewer)}"
    if title:
        output.line(f"{title}: shifts {span}")
    if not result.changes and not result.added and not result.removed:
        output.line(f"No shift changes {span}.")
    for schedule, changes in _grouped(result):
        sched = _schedule(before, after, schedule)
        table = Table([Column("From", folded=render.fold_when), Column("To", folded=render.fold_when),
                       Column("Length", justify="right"), Column("Before"), Column("After"),
                       Column("Why", fold=True, drop=1)],
                      title=f"{_title(sched, schedule, result)}, times in {sched.timezone}")
        for c in changes:
            table.add_row(render.when(c.start, sched.tz), render.when(c.end, sched.tz), render.length(c.seconds),
                          render.person(before, c.before), render.person(after, c.after), ", ".join(c.why))
        table.print()
    if result.rotation:
        output.line("Rotation changes (each with the first time it changes who is on call):")
        for line in _rotation_lines(after, result):
            output.line(f"  - {line}", indent=4)
    if result.people:
        table = Table([Column("Person"), Column("Gained", justify="right"), Column("Lost", justify="right"),
                       Column("Net", justify="right")], title="Hours")
        for p in result.people:
            table.add_row(render.person(after, p.person), render.hours(p.gained), render.hours(p.lost),
                          render.signed_hours(p.net))
        table.print()


def diff_markdown(before: Org, after: Org, result: ShiftDiff, title: str) -> str:
    viewer = local_zone()
    span = f"{render.when(result.start, viewer)} to {render.when(result.end, viewer)}"
    lines = [MARKER, f"### On-call changes: {_md(title)}", ""]
    count = len(result.changes)
    if not result.changes and not result.added and not result.removed:
        lines += [f"No shift changes from {span}.", ""]
    else:
        lines += [f"{count} change{'s' if count != 1 else ''} to who is on call from {span}.", ""]
    for schedule, changes in _grouped(result):
        sched = _schedule(before, after, schedule)
        lines += [f"#### {_md(_title(sched, schedule, result, zone=True))}", "",
                  "| From | To | Length | Before | After | Why |", "| --- | --- | ---: | --- | --- | --- |"]
        for c in changes:
            old = _md(render.person(before, c.before)) if c.before else "**nobody**"
            new = _md(render.person(after, c.after)) if c.after else "**nobody**"
            lines.append(f"| {render.when(c.start, sched.tz)} | {render.when(c.end, sched.tz)} | "
                         f"{render.length(c.seconds)} | {old} | {new} | {', '.join(c.why)} |")
        lines.append("")
    if result.rotation:
        lines += ["#### Rotation changes", ""]
        lines += [f"- {_md(line)}" for line in _rotation_lines(after, result)]
        lines.append("")
    if result.people:
        lines += ["#### Hours", "", "| Person | Gained | Lost | Net |", "| --- | ---: | ---: | ---: |"]
        for p in result.people:
            lines.append(f"| {_md(render.person(after, p.person))} | {render.hours(p.gained)} | "
                         f"{render.hours(p.lost)} | {render.signed_hours(p.net)} |")
        lines.append("")
    return "\n".join(lines)


def _rotation_lines(after: Org, result: ShiftDiff) -> list[str]:
    """Each rotation change in words, saying when its first effect lies beyond the window."""
    lines = []
    for r in result.rotation:
        late = r.first_effect is not None and r.first_effect >= result.end
        lines.append(render.safe(r.summary(after)) + (" (after this window)" if late else ""))
    return lines


def _grouped(result: ShiftDiff) -> list[tuple[str, list[Change]]]:
    groups: dict[str, list[Change]] = {}
    for change in result.changes:
        groups.setdefault(change.schedule, []).append(change)
    return sorted(groups.items())


def _title(sched: Schedule, schedule: str, result: ShiftDiff, *, zone: bool = False) -> str:
    note = " (new schedule)" if schedule in result.added else " (removed)" if schedule in result.removed else ""
    return (render.schedule_title(sched) if zone else f"{render.safe(sched.display)} ({schedule})") + note


def _schedule(before: Org, after: Org, schedule: str) -> Schedule:
    return after.schedules.get(schedule) or before.schedules[schedule]


def _md(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("*", "\\*").replace("_", "\\_")
