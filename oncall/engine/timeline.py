"""Composing a schedule's shifts: layers, time off, precedence, overrides, merge (SPEC §4).

Pieces are plain tuples ``(start, end, person, reason)`` in epoch seconds while they are being
composed; they become ``Shift``/``Gap`` objects only at the end.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping
from typing import NamedTuple

from oncall.engine.turns import LayerClock, intersect, union, window_instants
from oncall.model import Gap, Layer, Person, Schedule, Shift

Piece = tuple[int, int, str, str]


class Timeline(NamedTuple):
    """Shifts and gaps, each sorted by schedule id then start."""

    shifts: list[Shift]
    gaps: list[Gap]


class _Absences:
    """Sorted, disjoint absence spans of one person, with O(log n) queries."""

    __slots__ = ("starts", "ends")

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        merged = union(spans)
        self.starts = [s for s, _ in merged]
        self.ends = [e for _, e in merged]

    def off_at(self, t: int) -> bool:
        i = bisect_right(self.starts, t) - 1
        return i >= 0 and t < self.ends[i]

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect_right(self.starts, start) - 1
        if i >= 0 and start < self.ends[i]:
            return True
        return i + 1 < len(self.starts) and self.starts[i + 1] < end

    def edges(self, start: int, end: int) -> Iterator[int]:
        """Every absence start or end strictly inside ``(start, end)``."""
        i = max(bisect_right(self.starts, start) - 1, 0)
        while i < len(self.starts) and self.starts[i] < end:
            for t in (self.starts[i], self.ends[i]):
                if start < t < end:
                    yield t
            i += 1


_NOBODY = _Absences([])


def layer_pieces(
    layer: Layer,
    schedule: Schedule,
    people: Mapping[str, Person],
    start: int,
    end: int,
    *,
    with_time_off: bool = True,
    holidays: list[tuple[int, int]] | None = None,
) -> list[Piece]:
    """What one layer alone covers within ``[start, end)``: turns (rule 1) clipped to the
    restriction windows (rule 2), with time off handed on in rotation order (rule 4).

    ``holidays`` are spans in which each turn's own person counts as off (``skip_holidays``).
    """
    tz = schedule.tz
    clock = LayerClock(layer, tz)
    turns: Iterator[tuple[int, int, int]] = clock.turns(start, end)
    if layer.only:
        turns = intersect(turns, window_instants(layer.only, tz, start, end))
    rotation = layer.people
    size = len(rotation)
    own_reason = f"layer:{layer.name}"
    absences = _layer_absences(rotation, people, start, end) if with_time_off else {}
    anyone_off = _Absences([(s, e) for a in absences.values() for s, e in zip(a.starts, a.ends, strict=True)])
    if not absences and not holidays:
        return [(s, e, rotation[k % size], own_reason) for k, s, e in turns]
    holiday_off = _Absences(holidays) if holidays else _NOBODY
    pieces: list[Piece] = []
    append = pieces.append
    for k, s, e in turns:
        owner = rotation[k % size]
        if not anyone_off.overlaps(s, e) and not holiday_off.overlaps(s, e):
            append((s, e, owner, own_reason))
            continue
        # Split the turn wherever anyone's availability changes, then pick per part.
        cuts = {s, e}
        for person_id in set(rotation):
            cuts.update(absences.get(person_id, _NOBODY).edges(s, e))
        cuts.update(holiday_off.edges(s, e))
        bounds = sorted(cuts)
        for lo, hi in zip(bounds, bounds[1:], strict=False):
            on_holiday = holiday_off.off_at(lo)
            for j in range(size):
                candidate = rotation[(k + j) % size]
                if j == 0 and on_holiday:
                    continue
                if not absences.get(candidate, _NOBODY).off_at(lo):
                    append((lo, hi, candidate, own_reason if j == 0 else f"cover:{owner}"))
                    break
    return pieces


def _layer_absences(
    rotation: tuple[str, ...], people: Mapping[str, Person], start: int, end: int
) -> dict[str, _Absences]:
    absences: dict[str, _Absences] = {}
    for person_id in set(rotation):
        person = people.get(person_id)
        if person is None or not person.time_off:
            continue
        spans = [(i.start, i.end) for i in person.time_off if i.start < end and i.end > start]
        if spans:
            absences[person_id] = _Absences(spans)
    return absences


def overlay(base: list[Piece], top: list[Piece]) -> list[Piece]:
    """``top`` wins wherever it covers; ``base`` shows through elsewhere. Both sorted, disjoint."""
    if not top:
        return base
    if not base:
        return top
    out: list[Piece] = []
    j = 0
    count = len(top)
    for piece in base:
        s, e = piece[0], piece[1]
        while j < count and top[j][1] <= s:
            j += 1
        cur = s
        i = j
        while i < count and top[i][0] < e:
            if top[i][0] > cur:
                out.append((cur, top[i][0], piece[2], piece[3]))
            cur = max(cur, top[i][1])
            if cur >= e:
                break
            i += 1
        if cur < e:
            out.append((cur, e, piece[2], piece[3]))
    out.extend(top)
    out.sort()
    return out


def override_pieces(schedule: Schedule, start: int, end: int) -> list[Piece]:
    """Overrides within ``[start, end)``; where they overlap, the later one in the file wins."""
    result: list[Piece] = []
    for override in schedule.overrides:
        s, e = max(override.start, start), min(override.end, end)
        if s < e:
            result = overlay(result, [(s, e, override.person, "override")])
    return result


def compose(schedule: Schedule, people: Mapping[str, Person], start: int, end: int) -> list[Piece]:
    """Who is on call in ``[start, end)``, as sorted disjoint pieces (not yet merged)."""
    pieces: list[Piece] = []
    for layer in schedule.layers:  # later layers win (rule 3)
        spans = None
        if layer.skip_holidays:
            from oncall.holidays import holiday_spans

            spans = holiday_spans(layer.skip_holidays, schedule.timezone, start, end)
        pieces = overlay(pieces, layer_pieces(layer, schedule, people, start, end, holidays=spans))
    return overlay(pieces, override_pieces(schedule, start, end))  # rule 5


def merge(schedule_id: str, pieces: Iterable[Piece], start: int, end: int) -> Timeline:
    """Join touching pieces of the same person into shifts (rule 6) and list the gaps."""
    shifts: list[Shift] = []
    gaps: list[Gap] = []
    run_start = run_end = start
    run_person: str | None = None
    run_reason = ""
    for s, e, person, reason in pieces:
        if person == run_person and s == run_end:
            run_end = e
            if reason != run_reason and reason not in run_reason.split(", "):
                run_reason = f"{run_reason}, {reason}"
            continue
        if run_person is not None:
            shifts.append(Shift(schedule_id, run_person, run_start, run_end, run_reason))
        if s > run_end:
            gaps.append(Gap(schedule_id, run_end, s))
        run_start, run_end, run_person, run_reason = s, e, person, reason
    if run_person is not None:
        shifts.append(Shift(schedule_id, run_person, run_start, run_end, run_reason))
    if run_end < end:
        gaps.append(Gap(schedule_id, run_end, end))
    return Timeline(shifts, gaps)
