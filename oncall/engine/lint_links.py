"""``double-booked``: one person on call in two linked schedules at the same time.

Two schedules are linked when one avoids the other (``avoid:``), when oncall.yaml names one as
the other's secondary (``notify.schedules.<id>.secondary``), or when a layer of one has the same
people as a layer of the other in another order or with another ``offset:`` (a primary and its
secondary: the same person in both at once is paged twice, with nobody behind them). The
schedules' final shifts (time off, holidays, avoid and overrides applied) over the next 90 days
are compared; each warning lists the first few double bookings and how many there are, at the
line to change: the override that makes it (an override wins over ``avoid:``, so it can double
book), else the secondary's layer.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from oncall.config import codes
from oncall.engine.timeline import Run, compose_runs
from oncall.errors import Location, Problem
from oncall.model import Layer, Org, Override, Schedule
from oncall.times import DAY, length_text, local_text

HORIZON = 90 * DAY
_LISTED = 3


@dataclass(frozen=True)
class Link:
    """Two schedules that must not have one person on call at once: ``secondary`` is the one a
    fix goes in, ``how`` says why they are linked, ``where`` is the line that links them."""

    primary: str
    secondary: str
    how: str
    where: Location
    fix: str


def double_bookings(org: Org, start: int, file_of: dict[str, str]) -> list[Problem]:
    """A warning per linked pair of schedules (and per override that makes a double booking)
    for the next 90 days from ``start``; ``file_of`` names each schedule's file."""
    runs: dict[str, list[Run]] = {}

    def final(sid: str) -> list[Run]:
        if sid not in runs:
            runs[sid] = compose_runs(org, org.schedules[sid], start, start + HORIZON)
        return runs[sid]

    problems = []
    for link in links(org, file_of):
        found: dict[Location, list[tuple[int, int, str]]] = {}
        fixes: dict[Location, str] = {}
        for s, e, person in _overlaps(final(link.primary), final(link.secondary)):
            cause = _override(org, link, person, s, e, file_of)
            where, fix = cause if cause is not None else (link.where, link.fix)
            found.setdefault(where, []).append((s, e, person))
            fixes[where] = fix
        for where, booked in found.items():
            problems.append(_problem(org, link, booked, where, fixes[where]))
    return problems


def links(org: Org, file_of: dict[str, str]) -> list[Link]:
    """Every linked pair of schedules, once, sorted by their ids."""
    found: dict[tuple[str, str], Link] = {}
    for sid in sorted(org.schedules):
        schedule = org.schedules[sid]
        for other in schedule.avoid:
            if other not in org.schedules:
                continue
            line = schedule.lines.get(f"avoid.{other}") or schedule.lines.get("avoid", 0)
            found.setdefault(_pair(sid, other), Link(
                other, sid, f"{sid!r} avoids {other!r}", Location(file_of[sid], line),
                f"give the override to someone who is not on call in {other!r} then: an override wins over avoid:"))
    for sid in sorted(org.settings.notify.schedules):
        route = org.settings.notify.schedules[sid]
        for other in route.secondary or ():
            if sid not in org.schedules or other not in org.schedules:
                continue
            partner = org.schedules[other]
            found.setdefault(_pair(sid, other), Link(
                sid, other, f"notify.schedules.{sid}.secondary names {other!r}",
                Location(file_of[other], partner.lines.get("layers", 0)),
                f"write `avoid: [{sid}]` in {other!r}, so that its turns pass over whoever is on call in {sid!r}"))
    layers: dict[frozenset[str], list[tuple[Schedule, Layer]]] = {}
    for sid in sorted(org.schedules):
        for layer in org.schedules[sid].layers:
            if len(set(layer.people)) > 1:
                layers.setdefault(frozenset(layer.people), []).append((org.schedules[sid], layer))
    for group in layers.values():
        for (one, first), (two, second) in combinations(group, 2):
            if one.id == two.id or _pair(one.id, two.id) in found or _same_rotation(first, second):
                continue
            (primary, p_layer), (secondary, s_layer) = _secondary_last((one, first), (two, second))
            line = s_layer.lines.get("offset") or s_layer.lines.get("people") or \
                (s_layer.location.line if s_layer.location else 0)
            found[_pair(one.id, two.id)] = Link(
                primary.id, secondary.id,
                f"layer {s_layer.name!r} of {secondary.id!r} has the people of layer {p_layer.name!r} of {primary.id!r}",
                Location(file_of[secondary.id], line),
                f"write `avoid: [{primary.id}]` in {secondary.id!r}, so that its turns pass over whoever is on call in "
                f"{primary.id!r}")
    return [found[pair] for pair in sorted(found)]


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def _same_rotation(a: Layer, b: Layer) -> bool:
    """The same turns for the same people: one rotation shared on purpose, not a secondary."""
    return (a.people, a.offset, a.start, a.every, a.timezone, a.advance) == \
        (b.people, b.offset, b.start, b.every, b.timezone, b.advance)


def _secondary_last(one: tuple[Schedule, Layer], two: tuple[Schedule, Layer]
                    ) -> tuple[tuple[Schedule, Layer], tuple[Schedule, Layer]]:
    """(primary, secondary): the layer with the larger ``offset:`` is the secondary; with equal
    offsets, the schedule whose id sorts last."""
    if one[1].offset > two[1].offset:
        return two, one
    return one, two


def _overlaps(a: list[Run], b: list[Run]) -> list[tuple[int, int, str]]:
    """Where the same person is on call in both tilings of one window."""
    out: list[tuple[int, int, str]] = []
    j = 0
    for s, e, person, _ in a:
        if person is None:
            continue
        while j < len(b) and b[j][1] <= s:
            j += 1
        k = j
        while k < len(b) and b[k][0] < e:
            if b[k][2] == person:
                lo, hi = max(s, b[k][0]), min(e, b[k][1])
                if out and out[-1][2] == person and out[-1][1] == lo:
                    out[-1] = (out[-1][0], hi, person)
                else:
                    out.append((lo, hi, person))
            k += 1
    return out


def _override(org: Org, link: Link, person: str, start: int, end: int, file_of: dict[str, str]
              ) -> tuple[Location, str] | None:
    """The override that puts ``person`` on call in either schedule during ``[start, end)``
    (the later one in its file, as it wins), with the fix to write there; None when none does."""
    for sid, other in ((link.secondary, link.primary), (link.primary, link.secondary)):
        schedule = org.schedules[sid]
        chosen: tuple[int, Override] | None = None
        for number, o in enumerate(schedule.overrides, 1):
            if o.person == person and o.start < end and o.end > start:
                chosen = (number, o)
        if chosen is not None:
            number, o = chosen
            line = o.lines.get("person") or (o.location.line if o.location else 0)
            return Location(file_of[sid], line), (f"override {number} of {sid!r} wins over everything, so give it to "
                                                  f"someone who is not on call in {other!r} then")
    return None


def _problem(org: Org, link: Link, booked: list[tuple[int, int, str]], where: Location, fix: str) -> Problem:
    tz = org.schedules[link.secondary].tz
    people = list(dict.fromkeys(p for _, _, p in booked))
    who = people[0] if len(people) == 1 else f"{', '.join(people[:-1])} and {people[-1]}"
    count = f"{len(booked)} time{'s' if len(booked) != 1 else ''}"
    total = length_text(sum(e - s for s, e, _ in booked))
    listed = ", ".join(f"{p} from {local_text(s, tz)} to {local_text(e, tz)} ({length_text(e - s)})"
                       for s, e, p in booked[:_LISTED])
    more = f" and {len(booked) - _LISTED} more" if len(booked) > _LISTED else ""
    return Problem(
        f"{who} {'is' if len(people) == 1 else 'are'} on call in both {link.primary!r} and {link.secondary!r} at once, "
        f"{count} in the next {HORIZON // DAY} days ({total} in all; {link.how}): {listed}{more}; {fix}",
        where, "warning", codes.DOUBLE_BOOKED)
