"""What changed in each person's upcoming shifts since the last run. Pure: no clock, no I/O.

Each run remembers every person's shifts that overlap the next ``changes_within`` (``watch``);
the next run compares what it sees with that (``compare``), over the time both runs watched.
A shift that appears, moves (either end) or goes is a ``Change``; shifts that overlap one another
across the two runs are one change (an override that splits a week: one shift became two), so a
person hears once about each thing that happened to them. Only the time from the later run on
counts: a shift running then whose start (in the past) differs is the same shift, and a start the
engine did not find (a shift begun beyond its reach) is recorded as unknown, never as where it
began looking, which moves with every run.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from oncall.model import Reason, Shift, reason_codes

Span = tuple[int, int | None]  # a stretch of time from a known instant (end None: no end found)


class Seen(NamedTuple):
    """One shift as a run saw it: its whole bounds (None: beyond what the engine looks at) and
    its reasons' codes."""

    start: int | None
    end: int | None
    why: str = ""

    def overlaps(self, other: Seen) -> bool:
        return _before(self.start, other.end) and _before(other.start, self.end)

    def since(self, at: int) -> Span:
        """Its bounds from ``at`` on (what is before ``at`` is history)."""
        return (at if self.start is None else max(self.start, at)), self.end


def _order(seen: Seen) -> tuple[bool, int, bool, int, str]:
    """Seen by start (unknown first), then end (unknown last)."""
    return (seen.start is not None, seen.start or 0, seen.end is None, seen.end or 0, seen.why)


def _before(instant: int | None, end: int | None) -> bool:
    """``instant`` (None: unknown, long ago) comes before ``end`` (None: unknown, far ahead)."""
    return end is None or instant is None or instant < end


@dataclass(frozen=True)
class Watched:
    """Each person's shifts in each schedule that overlapped ``[at, at + within)``."""

    at: int
    within: int
    shifts: Mapping[tuple[str, str], tuple[Seen, ...]]  # (person, schedule) -> shifts, by start

    @property
    def until(self) -> int:
        return self.at + self.within

    def to_json(self) -> dict[str, Any]:
        """Each shift as one line of text, ``START END REASONS`` (``-`` for a bound not known)."""
        people: dict[str, dict[str, list[str]]] = {}
        for (person, schedule), seen in sorted(self.shifts.items()):
            people.setdefault(person, {})[schedule] = [
                f"{_bound(s.start)} {_bound(s.end)} {s.why}".rstrip() for s in seen]
        return {"at": self.at, "within": self.within, "people": people}

    @classmethod
    def from_json(cls, data: Any) -> Watched:
        """Raises ValueError, KeyError or TypeError on a damaged record."""
        shifts: dict[tuple[str, str], tuple[Seen, ...]] = {}
        for person, schedules in data["people"].items():
            for schedule, rows in schedules.items():
                seen = []
                for row in rows:
                    start, end, *why = row.split(" ", 2)
                    seen.append(Seen(_unbound(start), _unbound(end), why[0] if why else ""))
                shifts[str(person), str(schedule)] = tuple(seen)
        return cls(int(data["at"]), int(data["within"]), shifts)

    def keeping(self, other: Watched, keys: Iterable[tuple[str, str]]) -> Watched:
        """This record, with ``other``'s shifts for ``keys`` instead (changes not yet told)."""
        shifts = dict(self.shifts)
        for key in keys:
            if key in other.shifts:
                shifts[key] = other.shifts[key]
            else:
                shifts.pop(key, None)
        return Watched(self.at, self.within, shifts)


def _bound(instant: int | None) -> str:
    return "-" if instant is None else str(instant)


def _unbound(text: str) -> int | None:
    return None if text == "-" else int(text)


def watch(shifts: Iterable[Shift], at: int, within: int) -> Watched:
    """The shifts (as the engine returns them) overlapping ``[at, at + within)``, with their whole
    bounds as far as the engine found them."""
    found: dict[tuple[str, str], list[Seen]] = {}
    codes: dict[tuple[Reason, ...], str] = {}  # a large org has few distinct reasons and many shifts
    for shift in shifts:
        start = shift.whole_start
        if _before(at, shift.whole_end) and shift.known_start < at + within:
            code = codes.get(shift.reasons)
            if code is None:
                code = codes[shift.reasons] = reason_codes(shift.reasons)
            found.setdefault((shift.person, shift.schedule), []).append(Seen(start, shift.whole_end, code))
    return Watched(at, within, {key: tuple(sorted(set(rows), key=_order)) for key, rows in sorted(found.items())})


@dataclass(frozen=True)
class Change:
    """Shifts of one person in one schedule that were (``before``) and are now (``after``)."""

    person: str
    schedule: str
    before: tuple[Seen, ...]
    after: tuple[Seen, ...]
    at: int  # the later run: what is before it is history

    @property
    def kind(self) -> str:
        """``new`` (a shift appeared), ``removed`` (it went) or ``moved`` (its bounds changed)."""
        if not self.before:
            return "new"
        if not self.after:
            return "removed"
        return "moved"

    @property
    def first(self) -> int:
        return min(s.since(self.at)[0] for s in (*self.before, *self.after))

    @property
    def signature(self) -> str:
        """The change in a few characters, the same every time it is worked out."""
        def part(seen: Sequence[Seen]) -> str:
            return ",".join(f"{'' if s.start is None else s.start}-{'' if s.end is None else s.end}" for s in seen)

        return f"{part(self.before)}>{part(self.after)}"

    def lost(self) -> list[Span]:
        """The times (from the later run on) the person was on call before and is no longer."""
        return _minus([s.since(self.at) for s in self.before], [s.since(self.at) for s in self.after])

    def gained(self) -> list[Span]:
        """The times (from the later run on) the person is on call now and was not before."""
        return _minus([s.since(self.at) for s in self.after], [s.since(self.at) for s in self.before])


def compare(old: Watched, new: Watched) -> list[Change]:
    """The changes between two runs' records, over the time both watched (from ``new.at`` until
    the earlier of their ends); shifts that ended before ``new.at`` are history, not changes, and
    so is where a shift running at ``new.at`` began (known or not)."""
    limit = min(old.until, new.until)
    if new.at >= limit:
        return []
    out: list[Change] = []
    for key in sorted(set(old.shifts) | set(new.shifts)):
        before = [s for s in old.shifts.get(key, ()) if _before(new.at, s.end) and _before(s.start, limit)]
        after = [s for s in new.shifts.get(key, ()) if _before(new.at, s.end) and _before(s.start, limit)]
        same = {s.since(new.at) for s in before} & {s.since(new.at) for s in after}
        before = [s for s in before if s.since(new.at) not in same]
        after = [s for s in after if s.since(new.at) not in same]
        for olds, news in _groups(before, after):
            out.append(Change(key[0], key[1], tuple(olds), tuple(news), new.at))
    return sorted(out, key=lambda c: (c.first, c.schedule, c.person))


def _groups(before: list[Seen], after: list[Seen]) -> list[tuple[list[Seen], list[Seen]]]:
    """Shifts joined where an old one overlaps a new one (transitively)."""
    items = [(0, s) for s in before] + [(1, s) for s in after]
    parent = list(range(len(items)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (side_i, a) in enumerate(items):
        for j in range(i + 1, len(items)):
            side_j, b = items[j]
            if side_i != side_j and a.overlaps(b):
                parent[root(i)] = root(j)
    groups: dict[int, tuple[list[Seen], list[Seen]]] = {}
    for i, (side, s) in enumerate(items):
        group = groups.setdefault(root(i), ([], []))
        group[side].append(s)
    return [(sorted(a, key=_order), sorted(b, key=_order)) for a, b in groups.values()]


def _minus(these: Sequence[Span], those: Sequence[Span]) -> list[Span]:
    """The parts of ``these`` that none of ``those`` covers."""
    out: list[Span] = []
    for s in these:
        pieces: list[Span] = [s]
        for t_start, t_end in those:
            cut: list[Span] = []
            for start, end in pieces:
                if not (_before(start, t_end) and _before(t_start, end)):
                    cut.append((start, end))
                    continue
                if start < t_start:
                    cut.append((start, t_start))
                if t_end is not None and _before(t_end, end):
                    cut.append((t_end, end))
            pieces = cut
        out.extend(pieces)
    return sorted(out, key=lambda p: p[0])
