"""Warnings about overrides that are legal but probably not what was meant.

* ``override-on-time-off``: an override gives a shift to someone who is off then: on time off,
  or on a public holiday that the schedule itself treats as time off for them (a layer of theirs
  with ``skip_holidays: CC``, or any layer with ``skip_holidays: people`` and their ``country:``).
  Overrides win whoever is off (docs/scheduling.md), so nothing else would tell.
* ``replaces-not-on-call``: an override's ``replaces:`` names someone who would not be on call at
  any moment of it (without that override), so the override does not do what its line says.

Only overrides that end after the instant asked about are looked at.
"""

from __future__ import annotations

from dataclasses import replace

from oncall.config import codes
from oncall.engine.timeline import compose_runs, layer_zone
from oncall.engine.turns import union, window_instants
from oncall.errors import Location, Problem
from oncall.holidays import HOLIDAYS_OF_PEOPLE, holiday_spans
from oncall.model import Org, Override, Schedule
from oncall.times import length_text, local_text

_LONGEST = 400 * 86400  # how much of one override is looked at
_LISTED = 3


def override_findings(org: Org, schedule: Schedule, start: int, file: str) -> list[Problem]:
    """The override warnings of ``schedule`` for overrides ending after ``start``; ``file`` is
    the schedule's file as messages name it."""
    problems: list[Problem] = []
    for number, override in enumerate(schedule.overrides, 1):
        if override.end <= start:
            continue
        problems += _off(org, schedule, number, override, file)
        if override.replaces is not None:
            problems += _replaces(org, schedule, number, override, file)
    return problems


def _at(override: Override, key: str, file: str) -> Location:
    line = override.lines.get(key) or (override.location.line if override.location else 0)
    return Location(file, line)


def _off(org: Org, schedule: Schedule, number: int, override: Override, file: str) -> list[Problem]:
    person = org.people.get(override.person)
    if person is None:
        return []
    lo, hi = override.start, min(override.end, override.start + _LONGEST)
    spans = [(max(i.start, lo), min(i.end, hi), "time off") for i in person.time_off if i.start < hi and i.end > lo]
    for holiday in _holidays(org, schedule, override.person, lo, hi):
        spans.append((*holiday, "a public holiday"))
    if not spans:
        return []
    spans.sort()
    tz = schedule.tz
    total = sum(e - s for s, e in _merged(spans))
    listed = ", ".join(f"from {local_text(s, tz)} to {local_text(e, tz)} ({why})" for s, e, why in spans[:_LISTED])
    more = f" and {len(spans) - _LISTED} more" if len(spans) > _LISTED else ""
    return [Problem(
        f"override {number} of schedule {schedule.id!r} puts {override.person} on call from {local_text(lo, tz)} to "
        f"{local_text(override.end, tz)}, but they are off for {length_text(total)} of it: {listed}{more}; the "
        f"override wins, so they would be paged: give it to someone who is available, or shorten it",
        _at(override, "person", file), "warning", codes.OVERRIDE_ON_TIME_OFF)]


def _holidays(org: Org, schedule: Schedule, person_id: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """The public holidays the schedule treats as time off for this person within ``[lo, hi)``:
    those each of their layers with ``skip_holidays`` counts (a country's, or with ``people``
    their own), where that layer covers (within its windows)."""

    person = org.people[person_id]
    spans: list[tuple[int, int]] = []
    for layer in schedule.layers:
        if not layer.skip_holidays or person_id not in layer.people:
            continue
        tz = layer_zone(schedule, layer)
        if layer.skip_holidays == HOLIDAYS_OF_PEOPLE:
            days = holiday_spans(org.holidays, person.country, person.subdivision, person.tz, lo, hi) \
                if person.country else []
        else:
            days = holiday_spans(org.holidays, layer.skip_holidays, None, tz, lo, hi)
        for s, e in days:
            s, e = max(s, lo), min(e, hi)
            spans += window_instants(layer.only, tz, s, e) if layer.only else [(s, e)]
    return union(spans)


def _replaces(org: Org, schedule: Schedule, number: int, override: Override, file: str) -> list[Problem]:
    lo, hi = override.start, min(override.end, override.start + _LONGEST)
    without = replace(schedule, overrides=tuple(o for o in schedule.overrides if o is not override))
    runs = compose_runs(org, without, lo, hi)
    if any(person == override.replaces for _, _, person, _ in runs):
        return []
    tz = schedule.tz
    who = [p for p in dict.fromkeys(person for _, _, person, _ in runs) if p is not None]
    instead = f"{', '.join(who[:_LISTED])} would be" if who else "nobody would be"
    if who == [override.person]:
        instead = f"{override.person} already would be"
    return [Problem(
        f"override {number} of schedule {schedule.id!r} replaces {override.replaces}, but {override.replaces} would "
        f"not be on call at any moment from {local_text(lo, tz)} to {local_text(override.end, tz)} ({instead}); write "
        f"replaces: with whoever it takes over from, or move the override to {override.replaces}'s shift",
        _at(override, "replaces", file), "warning", codes.REPLACES_NOT_ON_CALL)]


def _merged(spans: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e, _ in spans:
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out
