"""What changed in each person's upcoming shifts since the last run. Pure: no clock, no I/O.

Each run remembers every person's shifts that overlap the next ``changes_within`` (``watch``);
the next run compares what it sees with that (``compare``), over the time both runs watched.
A shift that appears, moves (either end) or goes is a ``Change``; shifts that overlap one another
across the two runs are one change (an override that splits a week: one shift became two), so a
person hears once about each thing that happened to them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from oncall.model import Reason, Shift, reason_codes


class Seen(NamedTuple):
    """One shift as a run saw it: its whole bounds (``end`` None: beyond what the engine looks at)
    and its reasons' codes."""

    start: int
    end: int | None
    why: str = ""

    def overlaps(self, other: Seen) -> bool:
        return _before(self.start, other.end) and _before(other.start, self.end)


def _before(instant: int, end: int | None) -> bool:
    return end is None or instant < end


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
        """Each shift as one line of text, ``START END REASONS`` (END ``-`` when unknown)."""
        people: dict[str, dict[str, list[str]]] = {}
        for (person, schedule), seen in sorted(self.shifts.items()):
            people.setdefault(person, {})[schedule] = [
                f"{s.start} {'-' if s.end is None else s.end} {s.why}".rstrip() for s in seen]
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
                    seen.append(Seen(int(start), None if end == "-" else int(end), why[0] if why else ""))
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


def watch(shifts: Iterable[Shift], at: int, within: int) -> Watched:
    """The shifts (as the engine returns them, whole bounds known) overlapping ``[at, at + within)``."""
    found: dict[tuple[str, str], list[Seen]] = {}
    codes: dict[tuple[Reason, ...], str] = {}  # a large org has few distinct reasons and many shifts
    for shift in shifts:
        start = shift.known_start
        if _before(at, shift.whole_end) and start < at + within:
            code = codes.get(shift.reasons)
            if code is None:
                code = codes[shift.reasons] = reason_codes(shift.reasons)
            found.setdefault((shift.person, shift.schedule), []).append(Seen(start, shift.whole_end, code))
    return Watched(at, within, {key: tuple(sorted(set(rows))) for key, rows in sorted(found.items())})


@dataclass(frozen=True)
class Change:
    """Shifts of one person in one schedule that were (``before``) and are now (``after``)."""

    person: str
    schedule: str
    before: tuple[Seen, ...]
    after: tuple[Seen, ...]

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
        return min(s.start for s in (*self.before, *self.after))

    @property
    def signature(self) -> str:
        """The change in a few characters, the same every time it is worked out."""
        def part(seen: Sequence[Seen]) -> str:
            return ",".join(f"{s.start}-{'' if s.end is None else s.end}" for s in seen)

        return f"{part(self.before)}>{part(self.after)}"

    def lost(self) -> list[tuple[int, int | None]]:
        """The times the person was on call before and is no longer."""
        return _minus(self.before, self.after)

    def gained(self) -> list[tuple[int, int | None]]:
        """The times the person is on call now and was not before."""
        return _minus(self.after, self.before)


def compare(old: Watched, new: Watched) -> list[Change]:
    """The changes between two runs' records, over the time both watched (from ``new.at`` until
    the earlier of their ends); shifts that ended before ``new.at`` are history, not changes."""
    limit = min(old.until, new.until)
    if new.at >= limit:
        return []
    out: list[Change] = []
    for key in sorted(set(old.shifts) | set(new.shifts)):
        before = [s for s in old.shifts.get(key, ()) if _before(new.at, s.end) and s.start < limit]
        after = [s for s in new.shifts.get(key, ()) if _before(new.at, s.end) and s.start < limit]
        same = {(s.start, s.end) for s in before} & {(s.start, s.end) for s in after}
        before = [s for s in before if (s.start, s.end) not in same]
        after = [s for s in after if (s.start, s.end) not in same]
        for olds, news in _groups(before, after):
            out.append(Change(key[0], key[1], tuple(olds), tuple(news)))
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
    return [(sorted(a), sorted(b)) for a, b in groups.values()]


def _minus(these: Sequence[Seen], those: Sequence[Seen]) -> list[tuple[int, int | None]]:
    """The parts of ``these`` that no shift of ``those`` covers."""
    out: list[tuple[int, int | None]] = []
    for s in these:
        pieces: list[tuple[int, int | None]] = [(s.start, s.end)]
        for t in those:
            cut: list[tuple[int, int | None]] = []
            for start, end in pieces:
                if not (_before(start, t.end) and _before(t.start, end)):
                    cut.append((start, end))
                    continue
                if start < t.start:
                    cut.append((start, t.start))
                if t.end is not None and _before(t.end, end):
                    cut.append((t.end, end))
            pieces = cut
        out.extend(pieces)
    return sorted(out, key=lambda p: p[0])
