"""Changing who takes turns in a layer from a handoff ``T`` on, without moving any shift before it.

The layer is ended at ``T`` (``end:``) and, right after it in ``layers:``, a layer continuing it
is inserted: the same keys copied as written (``every``, ``only``, ``timezone``, ``advance``,
``skip_holidays``...), the new list of people, ``start: T`` and the ``offset:`` that makes the
person due at ``T`` take the turn at ``T``. Why that changes nothing before ``T`` and continues
exactly from it (docs/guides/changes.md, "Changing a rotation's people"):

* ``T`` is a handoff (turn boundary) of the layer, so ending the layer there cuts no turn, and
  everything the engine works out for an instant before ``T`` (turns, windows, time off and its
  cover, holidays, the count of covered periods from the layer's start) is as it was.
* The continuing layer's periods are the old layer's periods from ``T`` on: with ``every`` in days
  or weeks its start is written as the wall-clock reading the old layer's turn had (even one in a
  spring-forward gap, which names the same instant), so its handoffs stay on the same wall clock;
  with ``every`` in hours its start is the instant ``T`` itself.
* Its turn 0 is the period at ``T`` (with ``advance: covered`` too: it counts periods from its
  own start), so ``offset:`` = the due person's position in the new list puts them first.
* It sits right after the old layer, so it wins over and loses to the same layers; later layers
  without a ``name:`` are given the one they had by position, so every reason keeps its name.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from oncall.edit.changes import EditResult, find_schedule, rewrite, schedule_file
from oncall.edit.layertext import LayerText, apply
from oncall.edit.yamltext import refuse_unreadable, scalar
from oncall.engine.timeline import layer_zone
from oncall.engine.turns import CoveredPeriods, LayerClock
from oncall.errors import ConfigError, Location, NotFound, OncallError, UsageError
from oncall.ids import unique
from oncall.model import Layer, Org, Schedule
from oncall.times import DAY, ParsedTime, wall_datetime, wall_text

_LOOK_BACK = 56 * DAY  # how far before T an edit is checked to change nothing (at least)
_SHOWN = 366 * DAY  # the longest window of changed shifts shown after T
_CONTINUED = re.compile(r"-from-[0-9]{4}-[0-9]{2}-[0-9]{2}(?:-[0-9]{4})?(?:-[0-9]+)?$")


@dataclass(frozen=True)
class RosterChange:
    """A change to a layer's people from the handoff ``at`` on, worked out before any file is
    touched."""

    schedule: str
    layer: str  # the layer's name
    index: int  # its position in layers:
    at: int  # T: the handoff from which the new list applies
    at_text: str  # T as the wall-clock reading written to the file (the layer's zone)
    person: str  # who is added or removed
    added_at: int | None  # where ``person`` goes in the list when added; None when removed
    before: tuple[str, ...]
    after: tuple[str, ...]
    due: str  # who takes the turn at T
    offset: int  # the offset that makes ``due`` take the turn at T in ``after``
    continued_as: str | None  # the layer continuing from T; None when T is the layer's start (changed in place)
    until: int  # the end of the first full cycle of the new list: the changes shown run from T to it
    schedules: tuple[str, ...]  # this schedule and those avoiding it (their shifts may change too)


def plan_add(org: Org, schedule_id: str, person: str, *, layer: str | None = None, after: str | None = None,
             at: ParsedTime | None = None, now: int) -> RosterChange:
    """Add ``person`` to a layer's rotation after ``after`` (default: at the end of the list)
    from the handoff ``at`` (default: the layer's first handoff after ``now``)."""
    schedule = find_schedule(org, schedule_id)
    org.person(person, "person")
    index = _pick_layer(schedule, layer, at, now)
    chosen = schedule.layers[index]
    people = chosen.people
    if person in people:
        raise UsageError(f"{person} is already in layer {chosen.name!r} ({', '.join(people)}); to move them, "
                         f"`oncall rotation remove {person}` first, then add them where they belong",
                         argument="person")
    if after is None:
        position = len(people)
    else:
        if after not in people:
            raise UsageError(f"{after} is not in layer {chosen.name!r} ({', '.join(people)}); name one of them",
                             argument="after")
        if people.count(after) > 1:
            raise UsageError(f"{after} is in layer {chosen.name!r} {people.count(after)} times "
                             f"({', '.join(people)}); --after cannot say which: name someone listed once",
                             argument="after")
        position = people.index(after) + 1
    new = (*people[:position], person, *people[position:])
    return _plan(org, schedule, index, at, now, person, position, new, lambda p: p if p < position else p + 1)


def plan_remove(org: Org, schedule_id: str, person: str, *, layer: str | None = None,
                at: ParsedTime | None = None, now: int) -> RosterChange:
    """Remove every entry of ``person`` from a layer's rotation from the handoff ``at`` (default:
    the layer's first handoff after ``now``). If ``person`` was due then, the next person in the
    old order who stays takes the turn."""
    schedule = find_schedule(org, schedule_id)
    org.person(person, "person")
    index = _pick_layer(schedule, layer, at, now)
    chosen = schedule.layers[index]
    people = chosen.people
    if person not in people:
        raise UsageError(f"{person} is not in layer {chosen.name!r} ({', '.join(people)}); name one of them",
                         argument="person")
    new = tuple(p for p in people if p != person)
    if not new:
        raise UsageError(f"{person} is the only person in layer {chosen.name!r}; a layer needs someone to take its "
                         f"turns: add who takes over first (`oncall rotation add`), then remove {person}",
                         argument="person")

    def position(p: int) -> int:
        while people[p] == person:  # the next one in the old order who stays
            p = (p + 1) % len(people)
        return sum(1 for q in people[:p] if q != person)

    return _plan(org, schedule, index, at, now, person, None, new, position)


def change_rotation(org: Org, change: RosterChange, *, write: bool = True) -> EditResult:
    """Write ``change`` into the schedule's file (checked with the whole config, and checked to
    leave who is on call before T as it was) and return the edit with the changes it makes."""
    schedule = find_schedule(org, change.schedule)
    path = schedule_file(org, schedule)

    def unchanged_before(after: Org) -> None:
        from oncall.edit.diff import diff

        lo = min(change.at - _LOOK_BACK, change.at - 2 * (change.until - change.at))
        if diff(org, after, lo, change.at, change.schedules).changes:
            raise OncallError(f"{path}: the edit would change who is on call before "
                              f"{change.at_text}; nothing was written; edit the file by hand")

    return rewrite(org, path, lambda text: rotation_text(text, change, str(path)), change.at, change.until,
                   change.schedules, write, verify=unchanged_before)


def rotation_text(text: str, change: RosterChange, file: str = "") -> str:
    """``text`` (the schedule's file) with ``change`` made; every other byte stays. Raises
    ``ConfigError`` when the file no longer holds the layer as planned, or when the result would
    not read back as exactly the intended data."""
    import yaml

    refuse_unreadable(text, file)
    doc = LayerText(text, file)
    i = change.index
    if i >= len(doc.items):
        raise ConfigError(f"layer {change.layer!r} is no longer in the file; run the command again", Location(file))
    doc.check_written_out(i)
    data = yaml.safe_load(text)
    layer_data = data["layers"][i]
    if [str(p) for p in layer_data.get("people") or ()] != list(change.before) or \
            layer_data.get("name", f"layer-{i + 1}") != change.layer:
        raise ConfigError(f"layer {change.layer!r} changed in the file meanwhile; run the command again",
                          Location(file))
    if change.added_at is not None:
        people = doc.people_splices(i, add=(change.added_at, change.person))
    else:
        people = doc.people_splices(i, remove=change.person)
    expected: Any = copy.deepcopy(data)
    layers = expected["layers"]
    offset_text = str(change.offset)
    if change.continued_as is None:  # T is the layer's start: the layer itself changes
        splices = list(people)
        if change.offset or doc.has_key(i, "offset"):
            splices.append(doc.set_key(i, "offset", offset_text))
            layers[i]["offset"] = change.offset
        layers[i]["people"] = [_loaded(p) for p in change.after]
    else:
        values = {"name": scalar(change.continued_as), "start": scalar(change.at_text)}
        if doc.has_key(i, "offset"):
            values["offset"] = offset_text
        continuing = doc.continuation(i, values, people, change.offset)
        splices = [doc.set_key(i, "end", scalar(change.at_text)), doc.insert_after(i, continuing)]
        new_layer = copy.deepcopy(layers[i])
        new_layer.update(name=change.continued_as, people=[_loaded(p) for p in change.after],
                         start=_loaded(change.at_text))
        if change.offset or doc.has_key(i, "offset"):
            new_layer["offset"] = change.offset
        layers[i]["end"] = _loaded(change.at_text)
        for j in range(i + 1, len(doc.items)):  # keep the names they have by position
            if not doc.has_key(j, "name"):
                splices.append(doc.name_first(j, f"layer-{j + 1}"))
                layers[j]["name"] = f"layer-{j + 1}"
        layers.insert(i + 1, new_layer)
    result = apply(text, splices)
    try:
        readback = yaml.safe_load(result)
    except yaml.YAMLError:
        readback = None
    if readback != expected:
        raise ConfigError(f"could not change layer {change.layer!r} without changing other values; edit the file "
                          "by hand", Location(file))
    return result


# --------------------------------------------------------------------------- working it out


def _plan(org: Org, schedule: Schedule, index: int, at: ParsedTime | None, now: int, person: str,
          added_at: int | None, new: tuple[str, ...], position: Callable[[int], int]) -> RosterChange:
    layer = schedule.layers[index]
    tz = layer_zone(schedule, layer)
    clock = LayerClock(layer, tz)
    k = _handoff(layer, clock, tz, at, now)
    instant = clock.turn_start(k)
    due = (turn_number(layer, clock, tz, k) + layer.offset) % len(layer.people)
    offset = position(due)
    return RosterChange(
        schedule=schedule.id, layer=layer.name, index=index, at=instant,
        at_text=wall_text(_handoff_wall(layer, clock, k, tz)), person=person, added_at=added_at,
        before=layer.people, after=new,
        due=new[offset], offset=offset, continued_as=_continued_name(schedule, index, instant, tz) if k else None,
        until=_cycle_end(layer, clock, tz, k, max(len(new), len(layer.people))),
        schedules=_affected(org, schedule.id),
    )


def turn_number(layer: Layer, clock: LayerClock, tz: tzinfo, period: int) -> int:
    """The turn that period ``period`` of ``layer`` is: the period itself, or with ``advance:
    covered`` the number of periods before it that meet the layer's windows."""
    if layer.advance == "covered" and layer.only:
        return CoveredPeriods(clock, layer.only, tz).before(period)
    return period


def _pick_layer(schedule: Schedule, name: str | None, at: ParsedTime | None, now: int) -> int:
    """The layer named ``name``; else the only layer, or the only one that has a handoff at
    ``at`` (without ``at``: a handoff after ``now``), so that a layer ended by an earlier change
    need not be told apart from the one continuing it."""
    layers = schedule.layers
    names = ", ".join(layer.name for layer in layers)
    if name is not None:
        for i, layer in enumerate(layers):
            if layer.name == name:
                return i
        raise NotFound(f"schedule {schedule.id!r} has no layer {name!r}; its layers: {names}", argument="layer")
    if len(layers) == 1:
        return 0
    running = []
    for i, layer in enumerate(layers):
        tz = layer_zone(schedule, layer)
        clock = LayerClock(layer, tz)
        try:
            _handoff(layer, clock, tz, at, now)
        except UsageError:
            continue
        running.append(i)
    if len(running) == 1:
        return running[0]
    raise UsageError(f"schedule {schedule.id!r} has {len(layers)} layers; say which with --layer: {names}",
                     argument="layer")


def _next_handoff(clock: LayerClock, now: int) -> int | None:
    """The first period starting after ``now`` (None when the layer ends first)."""
    k = max(clock.turn_at(now) + 1, 0)
    return k if clock.last is None or clock.turn_start(k) < clock.last else None


def _handoff(layer: Layer, clock: LayerClock, tz: tzinfo, at: ParsedTime | None, now: int) -> int:
    """The period ``k`` that starts at the handoff T (``at``, or the first handoff after ``now``)."""
    last = clock.last
    ends = f"ends at {wall_text(layer.end)}" if layer.end is not None else "ends"
    if at is None:
        k = _next_handoff(clock, now)
        if k is None:
            raise UsageError(f"layer {layer.name!r} {ends} with no handoff after now to "
                             "change from; name a layer still running with --layer", argument="layer")
    elif at.is_date:
        midnight = at.instant(tz)
        k = max(clock.turn_at(midnight), 0)
        if clock.turn_start(k) < midnight:
            k += 1
        if clock.turn_start(k) >= at.end_instant(tz):
            raise _not_a_handoff(layer, clock, k, tz, f"{at.wall:%Y-%m-%d} has no handoff of")
    else:
        instant = at.instant(tz)
        k = clock.turn_at(instant)
        if clock.turn_start(k) != instant or k < 0:
            raise _not_a_handoff(layer, clock, max(k + 1, 0), tz, f"{wall_text(at.wall_in(tz))} is not a handoff of")
    if last is not None and clock.turn_start(k) >= last:
        raise UsageError(f"layer {layer.name!r} {ends}; give an --at before it",
                         argument="at")
    if not layer.every.is_calendar and clock.clock.to_instant(clock.clock.to_wall(clock.turn_start(k))) \
            != clock.turn_start(k):
        raise UsageError(f"the handoff at {wall_text(_handoff_wall(layer, clock, k, tz))} is the second pass through "
                         f"a repeated hour in {tz}, which a layer's start cannot name; give the handoff before or "
                         "after it with --at", argument="at")
    return k


def _not_a_handoff(layer: Layer, clock: LayerClock, k: int, tz: tzinfo, what: str) -> UsageError:
    """``what`` layer ...; naming the handoffs either side of period ``k``'s start."""
    near = [wall_text(_handoff_wall(layer, clock, j, tz)) for j in (k - 1, k) if j >= 0 and
            (clock.last is None or clock.turn_start(j) < clock.last)]
    hint = f"the nearest: {' and '.join(near)}" if near else "it has none"
    return UsageError(f"{what} layer {layer.name!r} (every {layer.every} from {wall_text(layer.start)}, "
                      f"{tz}); {hint}; give one of them", argument="at")


def _handoff_wall(layer: Layer, clock: LayerClock, k: int, tz: tzinfo) -> datetime:
    """Period ``k``'s start as the wall-clock reading a layer's start names it by: its own wall
    time for days and weeks (in a spring-forward gap too), else the reading of the instant."""
    if layer.every.is_calendar:
        return wall_datetime(clock.start_wall + k * clock.step)
    return wall_datetime(clock.clock.to_wall(clock.turn_start(k)))


def _continued_name(schedule: Schedule, index: int, at: int, tz: tzinfo) -> str:
    """``NAME-from-DATE``: the name of the layer continuing layer ``index`` from ``at``."""
    base = _CONTINUED.sub("", schedule.layers[index].name) or schedule.layers[index].name
    wall = wall_datetime(LayerClock(schedule.layers[index], tz).clock.to_wall(at))
    taken = {layer.name for layer in schedule.layers}
    name = f"{base}-from-{wall:%Y-%m-%d}"
    return name if name not in taken else unique(f"{name}-{wall:%H%M}", taken)


def _cycle_end(layer: Layer, clock: LayerClock, tz: tzinfo, k: int, turns: int) -> int:
    """The end of ``turns`` turns from period ``k`` (at least a week after it, at most a year)."""
    start = clock.turn_start(k)
    j = k + turns
    if layer.advance == "covered" and layer.only:
        periods = CoveredPeriods(clock, layer.only, tz)
        j, seen = k, 0
        while seen < turns and clock.turn_start(j) - start < _SHOWN:
            seen += periods.covered(j)
            j += 1
    return min(max(clock.turn_start(j), start + 7 * DAY), start + _SHOWN)


def _affected(org: Org, schedule_id: str) -> tuple[str, ...]:
    """``schedule_id`` and every schedule that avoids it, directly or through others."""
    found = {schedule_id}
    grew = True
    while grew:
        grew = False
        for sid, other in org.schedules.items():
            if sid not in found and found.intersection(other.avoid):
                found.add(sid)
                grew = True
    return tuple(sorted(found))


def _loaded(value: str) -> Any:
    import yaml

    return yaml.safe_load(scalar(value))


