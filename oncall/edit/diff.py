"""What a config change does to the shifts: who gains and loses which hours, which gaps open,
why each change happens, and the rotation changes whose first effect may lie beyond the window.

A change to a rotation (its members or their order, a layer's start, turn length, offset,
timezone, windows...) often changes nobody's shift for weeks: removing someone from a weekly
rotation of twelve first moves a handoff when the rotation next reaches them. So besides the
shift changes within the window, ``diff`` lists every changed layer with the first instant at
which it changes who is on call, however far ahead that is (within the engine's reach).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo

from oncall.engine import generate
from oncall.engine.timeline import compose_runs, layer_zone
from oncall.engine.turns import LayerClock
from oncall.model import Layer, Org, Reason, Schedule, Shift

# Why who is on call changes (``Change.why``), from the engine's reasons on either side.
OVERRIDE_ADDED = "override added"
OVERRIDE_REMOVED = "override removed"
TIME_OFF = "time off"
HOLIDAY = "holiday"
AVOID = "on call elsewhere"  # the person is on call in a schedule this one avoids
ROTATION = "rotation change"  # the layers' own turns differ, in a way not named more plainly
NEW_SCHEDULE = "new schedule"
REMOVED_SCHEDULE = "schedule removed"

_FIRST_STEP = 8 * 7 * 86400  # the first stretch searched for a rotation change's first effect
_REACH = 800 * 86400  # how far ahead it is searched at most


@dataclass(frozen=True)
class Change:
    """One interval of one schedule whose on-call person differs; None means nobody (a gap).
    ``why`` says what caused it, in words of the vocabulary above."""

    schedule: str
    start: int
    end: int
    before: str | None
    after: str | None
    why: tuple[str, ...] = ()

    @property
    def kind(self) -> str:
        """``moved`` (person to person), ``gap opened`` or ``gap closed``."""
        if self.before is None:
            return "gap closed"
        if self.after is None:
            return "gap opened"
        return "moved"

    @property
    def seconds(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class RotationChange:
    """A layer of ``schedule`` that changed, what changed in it, and the first instant from the
    diff's start at which the schedule's changed layers change who is on call (None: not within
    reach).

    ``changes`` are phrases in pairs: the first form names the layer through ``{where}``
    (``removing dave from {where}``), the second refers back to it (``removing dave``)."""

    schedule: str
    layer: str
    changes: tuple[tuple[str, str], ...]
    first_effect: int | None
    since: int  # where the search for the first effect began (the diff's start)
    together: bool = False  # other layers of the schedule changed too: the first effect is theirs together

    def summary(self, org: Org) -> str:
        """``removing dave from payments/weekly first changes who is on call on 2027-02-08``
        (the date in the schedule's zone)."""
        where = f"{self.schedule}/{self.layer}"
        phrases = [self.changes[0][0].format(where=where), *(later for _, later in self.changes[1:])]
        what = phrases[0] if len(phrases) == 1 else f"{', '.join(phrases[:-1])} and {phrases[-1]}"
        verb = "changes" if len(phrases) == 1 else "change"
        if self.together:
            what += f", with the other rotation changes to {self.schedule},"
        if self.first_effect is None:
            return f"{what} {verb} nobody's shifts in the next {_REACH // 86400} days"
        sched = org.schedules.get(self.schedule)
        day = datetime.fromtimestamp(self.first_effect, sched.tz if sched else None).date().isoformat()
        if self.first_effect <= self.since:
            return f"{what} {verb} who is on call right away ({day})"
        return f"{what} first {verb} who is on call on {day}"


@dataclass(frozen=True)
class PersonHours:
    """On-call time a person gains and loses through a change, in seconds."""

    person: str
    gained: int
    lost: int

    @property
    def net(self) -> int:
        return self.gained - self.lost


@dataclass(frozen=True)
class ShiftDiff:
    """The effect of a change on every schedule within ``[start, end)``.

    ``changes`` are sorted by schedule, then start; ``people`` by person id; ``rotation`` by
    schedule, then the layer's position."""

    start: int
    end: int
    changes: tuple[Change, ...]
    people: tuple[PersonHours, ...]
    added: tuple[str, ...] = ()  # schedules only in the new config
    removed: tuple[str, ...] = ()  # schedules only in the old config
    rotation: tuple[RotationChange, ...] = ()

    def __bool__(self) -> bool:
        """True when anything changes who is on call: in the window, or later through a
        rotation change."""
        effects = any(r.first_effect is not None for r in self.rotation)
        return bool(self.changes or self.added or self.removed or effects)


def diff(before: Org, after: Org, start: int, end: int, schedules: Iterable[str] | None = None) -> ShiftDiff:
    """Compare the shifts of ``before`` and ``after`` within ``[start, end)``, say why each
    change happens, and list the changed layers with their first effect from ``start`` on.

    Schedules present on one side only count as all gap on the other. ``schedules`` limits the
    comparison to those ids (missing ones on both sides are ignored).
    """
    wanted = set(schedules) if schedules is not None else None
    old_ids = sorted(i for i in before.schedules if wanted is None or i in wanted)
    new_ids = sorted(i for i in after.schedules if wanted is None or i in wanted)
    old = _by_schedule(generate(before, start, end, schedules=old_ids).shifts if old_ids else [])
    new = _by_schedule(generate(after, start, end, schedules=new_ids).shifts if new_ids else [])
    changes: list[Change] = []
    rotation: list[RotationChange] = []
    for schedule in sorted(set(old_ids) | set(new_ids)):
        found = compare(schedule, old.get(schedule, []), new.get(schedule, []), start, end)
        changes.extend(_explained(before, after, schedule, found, start, end))
        if schedule in before.schedules and schedule in after.schedules:
            rotation.extend(rotation_changes(before, before.schedules[schedule], after.schedules[schedule], start))
    return ShiftDiff(
        start,
        end,
        tuple(changes),
        hours_moved(changes),
        added=tuple(sorted(set(new_ids) - set(old_ids))),
        removed=tuple(sorted(set(old_ids) - set(new_ids))),
        rotation=tuple(rotation),
    )


def compare(schedule: str, old: Sequence[Shift], new: Sequence[Shift], start: int, end: int) -> list[Change]:
    """The intervals of ``[start, end)`` where the sorted, disjoint shift lists disagree on who is
    on call, each as long as possible."""
    cuts = sorted({start, end, *(t for s in (*old, *new) for t in (s.start, s.end) if start < t < end)})
    old_at, new_at = _Lookup(old), _Lookup(new)
    changes: list[Change] = []
    for lo, hi in zip(cuts, cuts[1:], strict=False):
        was, now = old_at(lo), new_at(lo)
        if was == now:
            continue
        last = changes[-1] if changes else None
        if last and last.end == lo and last.before == was and last.after == now:
            changes[-1] = Change(schedule, last.start, hi, was, now)
        else:
            changes.append(Change(schedule, lo, hi, was, now))
    return changes


def hours_moved(changes: Iterable[Change]) -> tuple[PersonHours, ...]:
    """Seconds gained and lost per person over ``changes``, sorted by person id."""
    gained: dict[str, int] = {}
    lost: dict[str, int] = {}
    for change in changes:
        if change.after is not None:
            gained[change.after] = gained.get(change.after, 0) + change.seconds
        if change.before is not None:
            lost[change.before] = lost.get(change.before, 0) + change.seconds
    return tuple(PersonHours(p, gained.get(p, 0), lost.get(p, 0)) for p in sorted({*gained, *lost}))


# --------------------------------------------------------------------------- why


def _explained(before: Org, after: Org, schedule: str, changes: list[Change], start: int, end: int) -> list[Change]:
    """``changes`` with their ``why``, from the engine's reasons on either side of each."""
    if not changes:
        return changes
    if schedule not in before.schedules:
        return [replace(c, why=(NEW_SCHEDULE,)) for c in changes]
    if schedule not in after.schedules:
        return [replace(c, why=(REMOVED_SCHEDULE,)) for c in changes]
    old = _Reasons(before, before.schedules[schedule], start, end)
    new = _Reasons(after, after.schedules[schedule], start, end)
    members = membership_changes(before.schedules[schedule], after.schedules[schedule])
    explained = []
    for c in changes:
        reasons = new.within(c.start, c.end)
        found = why(old.within(c.start, c.end), reasons)
        if found == (ROTATION,):
            found = _members_why(members, reasons) or found
        explained.append(replace(c, why=found))
    return explained


def why(old: set[Reason], new: set[Reason]) -> tuple[str, ...]:
    """Why who is on call changed, given the reasons before and after over the same time: an
    override added or removed, time off, a holiday, someone on call elsewhere; a rotation change
    when the layers' own turns are all that differ."""
    labels = []
    added, dropped = new - old, old - new
    if any(r.kind == "override" for r in added):
        labels.append(OVERRIDE_ADDED)
    if any(r.kind == "override" for r in dropped):
        labels.append(OVERRIDE_REMOVED)
    for kind, label in (("cover", TIME_OFF), ("holiday", HOLIDAY), ("avoid", AVOID)):
        if any(r.kind == kind for r in added | dropped):
            labels.append(label)
    return tuple(labels) or (ROTATION,)


def membership_changes(old: Schedule, new: Schedule) -> dict[str, tuple[str, ...]]:
    """The layers of ``new`` whose turns differ from ``old``'s only in who takes them, each with
    the words saying so: ``adds dana to layer weekly``, ``removes erin from layer weekly``.

    A layer is compared with the layer of ``old`` it continues: the one of the same name, or, for
    a new name, the one that the layer right before it continues, when that layer now ends where
    this one starts — what ``oncall rotation add`` and ``remove`` write. Besides its people, only
    its offset may differ, its end may come earlier, and a continuing layer may start later, on a
    handoff. A layer whose people were only reordered is left out (that is a ``rotation change``).
    """
    old_layers = {layer.name: layer for layer in old.layers}
    origins: dict[str, Layer] = {}  # new layer name -> the old layer it continues with other people
    words: dict[str, tuple[str, ...]] = {}
    previous: Layer | None = None
    for layer in new.layers:
        origin = old_layers.get(layer.name)
        if origin is None and previous is not None and previous.name in origins and previous.end == layer.start:
            origin = origins[previous.name]
        if origin is not None and _same_turns(origin, layer_zone(old, origin), layer, layer_zone(new, layer)):
            origins[layer.name] = origin
            came, gone = _came_and_gone(origin, layer)
            phrases = ((f"adds {_and(came)} to layer {origin.name}",) if came else ()) + (
                (f"removes {_and(gone)} from layer {origin.name}",) if gone else ())
            if phrases:
                words[layer.name] = phrases
        previous = layer
    return words


def _same_turns(origin: Layer, origin_tz: tzinfo, layer: Layer, tz: tzinfo) -> bool:
    """Whether ``layer`` gives turns only where ``origin`` did, on its handoffs: the same but for
    people, offset, name, a later start on a handoff and an earlier end."""
    apart_from_turns = replace(layer, name=origin.name, people=origin.people, offset=origin.offset,
                               start=origin.start, end=origin.end)
    if origin_tz != tz or apart_from_turns != origin:
        return False
    was, now = LayerClock(origin, origin_tz), LayerClock(layer, tz)
    apart = now.start_wall - was.start_wall if was.calendar else now.first - was.first
    if apart < 0 or apart % was.step or (apart and layer.name == origin.name):
        return False
    return was.last is None or (now.last is not None and now.last <= was.last)


def _members_why(members: dict[str, tuple[str, ...]], reasons: set[Reason]) -> tuple[str, ...]:
    """The membership changes of the layers behind ``reasons`` (empty when there are none)."""
    found: dict[str, None] = {}
    for name in sorted({r.layer for r in reasons if r.layer is not None}):
        found.update(dict.fromkeys(members.get(name, ())))
    return tuple(found)


class _Reasons:
    """The engine's reasons for who is on call in one schedule, by time."""

    def __init__(self, org: Org, schedule: Schedule, start: int, end: int) -> None:
        self.runs = compose_runs(org, schedule, start, end)
        self.ends = [e for _, e, _, _ in self.runs]

    def within(self, start: int, end: int) -> set[Reason]:
        found: set[Reason] = set()
        for s, _, _, reasons in self.runs[bisect_right(self.ends, start):]:
            if s >= end:
                break
            found.update(Reason(*r) for r in reasons)
        return found


# --------------------------------------------------------------------------- rotation changes


def rotation_changes(org: Org, old: Schedule, new: Schedule, start: int) -> list[RotationChange]:
    """Every layer of ``old`` that ``new`` changes, adds or removes (matched by name), with the
    first instant from ``start`` at which the new layers change who is on call.

    The layers' changes are judged together (with ``org``'s people and ``old``'s overrides, so
    that neither time off nor overrides count as a rotation change): ending a layer where a new
    one takes over changes nothing until the new one gives a turn to someone else."""
    old_layers = {layer.name: layer for layer in old.layers}
    new_layers = {layer.name: layer for layer in new.layers}
    phrases: list[tuple[str, tuple[tuple[str, str], ...]]] = []
    for name in [*old_layers, *(n for n in new_layers if n not in old_layers)]:
        was, now = old_layers.get(name), new_layers.get(name)
        if was is None:
            phrases.append((name, (("adding the layer {where}", "adding the layer"),)))
        elif now is None:
            phrases.append((name, (("removing the layer {where}", "removing the layer"),)))
        elif was != now:
            phrases.append((name, layer_changes(was, now)))
    if not phrases:
        return []
    effect = first_effect(org, old, replace(old, layers=new.layers), start)
    together = len(phrases) > 1
    return [RotationChange(old.id, name, changes, effect, start, together) for name, changes in phrases]


def layer_changes(old: Layer, new: Layer) -> tuple[tuple[str, str], ...]:
    """What changed between two versions of a layer, as phrase pairs (see ``RotationChange``)."""
    out: list[tuple[str, str]] = []
    came, gone = _came_and_gone(old, new)
    if gone:
        out.append((f"removing {_and(gone)} from {{where}}", f"removing {_and(gone)}"))
    if came:
        out.append((f"adding {_and(came)} to {{where}}", f"adding {_and(came)}"))
    if not gone and not came and old.people != new.people:
        out.append(("reordering the people of {where}", "reordering its people"))
    for field, what in (("start", "start"), ("every", "turn length"), ("offset", "offset"),
                        ("timezone", "timezone"), ("end", "end"), ("advance", "advance"),
                        ("skip_holidays", "holidays skipped")):
        was, now = getattr(old, field), getattr(new, field)
        if was != now:
            values = f" from {_shown(was)} to {_shown(now)}"
            out.append((f"changing the {what} of {{where}}{values}", f"changing its {what}{values}"))
    if old.only != new.only:
        out.append(("changing the windows of {where}", "changing its windows"))
    return tuple(out) or (("changing {where}", "changing it"),)


def first_effect(org: Org, old: Schedule, new: Schedule, start: int) -> int | None:
    """The first instant from ``start`` at which ``old`` and ``new`` disagree on who is on call,
    within the engine's reach; None when they agree all the way."""
    lo, step = start, _FIRST_STEP
    while lo < start + _REACH:
        hi = min(lo + step, start + _REACH)
        found = _first_difference(compose_runs(org, old, lo, hi), compose_runs(org, new, lo, hi))
        if found is not None:
            return found
        lo, step = hi, step * 2
    return None


def _first_difference(a: Sequence[tuple[int, int, str | None, object]],
                      b: Sequence[tuple[int, int, str | None, object]]) -> int | None:
    """The first instant at which two tilings of one window name different people."""
    starts_b = [s for s, _, _, _ in b]
    for s, e, person, _ in a:
        i = max(bisect_left(starts_b, s + 1) - 1, 0)
        while i < len(b) and b[i][0] < e:
            if b[i][2] != person:
                return max(s, b[i][0])
            i += 1
    return None


def _came_and_gone(old: Layer, new: Layer) -> tuple[list[str], list[str]]:
    """The people ``new`` has and ``old`` has not, and the other way round, each once, in order."""
    return ([p for p in dict.fromkeys(new.people) if p not in old.people],
            [p for p in dict.fromkeys(old.people) if p not in new.people])


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _shown(value: object) -> str:
    if value is None:
        return "none"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value)


class _Lookup:
    """Who is on call at an instant, by binary search over sorted, disjoint shifts."""

    def __init__(self, shifts: Sequence[Shift]) -> None:
        self.shifts = shifts
        self.starts = [s.start for s in shifts]

    def __call__(self, at: int) -> str | None:
        i = bisect_right(self.starts, at) - 1
        return self.shifts[i].person if i >= 0 and at < self.shifts[i].end else None


def _by_schedule(shifts: Iterable[Shift]) -> dict[str, list[Shift]]:
    grouped: dict[str, list[Shift]] = {}
    for shift in shifts:
        grouped.setdefault(shift.schedule, []).append(shift)
    return grouped
