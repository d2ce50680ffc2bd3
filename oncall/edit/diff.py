"""What a config change does to the shifts: who gains and loses which hours, which gaps open."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from oncall.model import Org, Shift


@dataclass(frozen=True)
class Change:
    """One interval of one schedule whose on-call person differs; None means nobody (a gap)."""

    schedule: str
    start: int
    end: int
    before: str | None
    after: str | None

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

    ``changes`` are sorted by schedule, then start; ``people`` by person id."""

    start: int
    end: int
    changes: tuple[Change, ...]
    people: tuple[PersonHours, ...]
    added: tuple[str, ...] = ()  # schedules only in the new config
    removed: tuple[str, ...] = ()  # schedules only in the old config

    def __bool__(self) -> bool:
        return bool(self.changes or self.added or self.removed)


def diff(before: Org, after: Org, start: int, end: int, schedules: Iterable[str] | None = None) -> ShiftDiff:
    """Compare the shifts of ``before`` and ``after`` within ``[start, end)``.

    Schedules present on one side only count as all gap on the other. ``schedules`` limits the
    comparison to those ids (missing ones on both sides are ignored).
    """
    from oncall.engine import generate

    wanted = set(schedules) if schedules is not None else None
    old_ids = sorted(i for i in before.schedules if wanted is None or i in wanted)
    new_ids = sorted(i for i in after.schedules if wanted is None or i in wanted)
    old = _by_schedule(generate(before, start, end, schedules=old_ids).shifts if old_ids else [])
    new = _by_schedule(generate(after, start, end, schedules=new_ids).shifts if new_ids else [])
    changes: list[Change] = []
    for schedule in sorted(set(old_ids) | set(new_ids)):
        changes.extend(compare(schedule, old.get(schedule, []), new.get(schedule, []), start, end))
    return ShiftDiff(
        start,
        end,
        tuple(changes),
        hours_moved(changes),
        added=tuple(sorted(set(new_ids) - set(old_ids))),
        removed=tuple(sorted(set(old_ids) - set(new_ids))),
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
