"""Composing a schedule's shifts: layers, time off, precedence, overrides, merge (docs/scheduling.md).

Pieces are plain tuples ``(start, end, person, reason)`` in epoch seconds while they are being
composed; runs of one person become ``Shift`` objects, runs of nobody ``Gap`` objects, only at the
end. ``schedule_timeline`` then completes the two at the window's edges: it looks beyond the
window, a little at first and wider only while the edge shift (or gap) still goes on, for its
whole bounds and for who is on call either side of it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from typing import NamedTuple

from oncall.engine.turns import LayerClock, intersect, union, window_instants
from oncall.holidays import holiday_spans
from oncall.model import Gap, Layer, Org, Reason, Schedule, Shift
from oncall.times import DAY, zone

# While they are composed, reasons are plain tuples with Reason's fields: Python's collector stops
# tracking a tuple that holds only strings and numbers, but never one holding a NamedTuple, and a
# year of a large org keeps hundreds of thousands of pieces alive (a third of generate's time went
# to collector passes over them). They become ``Reason`` objects, one per distinct combination,
# when the shifts are made.
Why = tuple[str, str | None, str | None, str | None]  # (kind, layer, person, note), as in Reason
Piece = tuple[int, int, str, Why]

FIRST_LOOK = 2 * DAY  # how far beyond the window the engine looks first for the edges' bounds
REACH = 800 * DAY  # how far it looks at most; beyond it a bound is unknown (None)
_OVERRIDE: Why = ("override", None, None, None)


class Timeline(NamedTuple):
    """Shifts and gaps, each sorted by schedule id then start."""

    shifts: list[Shift]
    gaps: list[Gap]


# A maximal run of one person (None: nobody) within the window composed: (start, end, person, reasons).
Run = tuple[int, int, str | None, tuple[Why, ...]]


# --------------------------------------------------------------------------- whole timelines


def schedule_timeline(org: Org, schedule: Schedule, start: int, end: int) -> Timeline:
    """Shifts and gaps of ``schedule`` within ``[start, end)``: clipped to it, with their whole
    bounds, who is on call either side, and the reasons of each whole shift."""
    if end <= start:
        return Timeline([], [])
    runs = compose_runs(org, schedule, start, end)
    bounds = _Bounds(schedule)
    first_start, before, first_reasons = _look_back(org, schedule, start, runs[0][2], bounds)
    last_end, after, last_reasons = _look_ahead(org, schedule, end, runs[-1][2], bounds)
    if first_reasons:
        runs[0] = (*runs[0][:3], _joined(first_reasons, runs[0][3]))
    if last_reasons:
        runs[-1] = (*runs[-1][:3], _joined(runs[-1][3], last_reasons))
    typed: dict[tuple[Why, ...], tuple[Reason, ...]] = {(): ()}
    for run in runs:
        if run[3] not in typed:
            typed[run[3]] = tuple(Reason(*why) for why in run[3])
    # Who is on call before and after each run, the window's edges included.
    persons = [before, *(run[2] for run in runs), after]
    sid = schedule.id
    make = Shift._make  # a year of a large org makes hundreds of thousands of shifts: skip keyword handling
    shifts: list[Shift] = [make((sid, p, s, e, typed[r], s, e, b, a))
                           for (s, e, p, r), b, a in zip(runs, persons, persons[2:], strict=False) if p is not None]
    gaps = [Gap(sid, s, e, s, e, b, a) for (s, e, p, _), b, a in zip(runs, persons, persons[2:], strict=False)
            if p is None]
    # The runs at the edges go on beyond the window: their whole bounds and reasons.
    if shifts and shifts[0].start == start:
        shifts[0] = shifts[0]._replace(whole_start=first_start)
    elif gaps and gaps[0].start == start:
        gaps[0] = gaps[0]._replace(whole_start=first_start)
    if shifts and shifts[-1].end == end:
        shifts[-1] = shifts[-1]._replace(whole_end=last_end)
    elif gaps and gaps[-1].end == end:
        gaps[-1] = gaps[-1]._replace(whole_end=last_end)
    return Timeline(shifts, gaps)


class _Bounds:
    """How far a look beyond the window goes at first, and the instants before and after which
    the schedule covers nothing at all (so a gap there is open without looking)."""

    __slots__ = ("step", "earliest", "latest")

    def __init__(self, schedule: Schedule) -> None:
        # The longest turn and a day, within [2 days, 16 days]: most edges need one look, and a
        # turn of years costs no more than a few.
        longest = max((layer.every.seconds for layer in schedule.layers), default=0)
        self.step = min(max(longest + DAY, FIRST_LOOK), 16 * DAY)
        firsts, lasts = [o.start for o in schedule.overrides], [o.end for o in schedule.overrides]
        endless = False
        for layer in schedule.layers:
            clock = LayerClock(layer, zone(layer.timezone) if layer.timezone else schedule.tz)
            firsts.append(clock.first)
            if clock.last is None:
                endless = True
            else:
                lasts.append(clock.last)
        self.earliest = min(firsts, default=0)
        self.latest: int | None = None if endless else max(lasts, default=0)


def _look_back(org: Org, schedule: Schedule, edge: int, person: str | None, bounds: _Bounds
               ) -> tuple[int | None, str | None, tuple[Why, ...]]:
    """Where the run holding ``person`` (None: a gap) at ``edge`` really starts, who is on call
    just before it, and its reasons before ``edge``."""
    if person is None and edge <= bounds.earliest:
        return None, None, ()  # nothing is ever on call before
    step = bounds.step
    while True:
        lo = edge - step
        runs = compose_runs(org, schedule, lo, edge)
        tail_start, _, tail_person, tail_reasons = runs[-1]
        if tail_person != person:
            return edge, tail_person, ()
        if tail_start > lo:
            return tail_start, runs[-2][2], tail_reasons
        if step >= REACH:
            return None, None, tail_reasons
        step = min(step * 4, REACH)


def _look_ahead(org: Org, schedule: Schedule, edge: int, person: str | None, bounds: _Bounds
                ) -> tuple[int | None, str | None, tuple[Why, ...]]:
    """Where the run holding ``person`` just before ``edge`` really ends, who is on call just
    after it, and its reasons from ``edge`` on."""
    if person is None and bounds.latest is not None and edge >= bounds.latest:
        return None, None, ()  # nothing is ever on call after
    step = bounds.step
    while True:
        hi = edge + step
        runs = compose_runs(org, schedule, edge, hi)
        _, head_end, head_person, head_reasons = runs[0]
        if head_person != person:
            return edge, head_person, ()
        if head_end < hi:
            return head_end, runs[1][2], head_reasons
        if step >= REACH:
            return None, None, head_reasons
        step = min(step * 4, REACH)


def _joined(first: tuple[Why, ...], second: tuple[Why, ...]) -> tuple[Why, ...]:
    return tuple(dict.fromkeys(first + second))


def compose_runs(org: Org, schedule: Schedule, start: int, end: int) -> list[Run]:
    """Who is on call in ``[start, end)`` as runs that tile it (``start < end``)."""
    return merge(compose(org, schedule, start, end), start, end)


def merge(pieces: list[Piece], start: int, end: int) -> list[Run]:
    """Join touching pieces of the same person (rule 6) and fill what is left with runs of nobody."""
    runs: list[Run] = []
    append = runs.append
    run_start = run_end = start
    run_person: str | None = None
    reasons: tuple[Why, ...] = ()
    for s, e, person, reason in pieces:
        if s == run_end and person == run_person:
            run_end = e
            if reason not in reasons:
                reasons += (reason,)
            continue
        if run_person is not None:
            append((run_start, run_end, run_person, reasons))
        if s > run_end:
            append((run_end, s, None, ()))
        run_start, run_end, run_person, reasons = s, e, person, (reason,)
    if run_person is not None:
        append((run_start, run_end, run_person, reasons))
    if run_end < end:
        append((run_end, end, None, ()))
    return runs


# --------------------------------------------------------------------------- composing


def compose(org: Org, schedule: Schedule, start: int, end: int) -> list[Piece]:
    """Who is on call in ``[start, end)``, as sorted disjoint pieces (not yet merged)."""
    pieces: list[Piece] = []
    for layer in schedule.layers:  # later layers win (rule 3)
        pieces = overlay(pieces, layer_pieces(org, schedule, layer, start, end))
    return overlay(pieces, override_pieces(schedule, start, end))  # rule 5


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
    org: Org,
    schedule: Schedule,
    layer: Layer,
    start: int,
    end: int,
    *,
    with_time_off: bool = True,
) -> list[Piece]:
    """What one layer alone covers within ``[start, end)``: turns (rule 1) clipped to the
    restriction windows (rule 2), with time off handed on in rotation order (rule 4).

    With ``skip_holidays``, the public holidays of that country are time off for each turn's own
    person (the next person in order covers, with a ``holiday`` reason).
    """
    tz = schedule.tz
    clock = LayerClock(layer, tz)
    lo, hi = clock.active(start, end)
    if lo >= hi:
        return []
    rotation = layer.people
    size = len(rotation)
    turns: Iterator[tuple[int, int, int]]
    if len(set(rotation)) == 1:  # one person: every turn is theirs, so the layer is one long turn
        turns = iter([(0, lo, hi)])
    else:
        turns = clock.turns(lo, hi)
    if layer.only:
        turns = intersect(turns, window_instants(layer.only, tz, lo, hi))
    own: Why = ("layer", layer.name, None, None)
    absences = _layer_absences(org, rotation, lo, hi) if with_time_off else {}
    holidays = holiday_spans(org.holidays, layer.skip_holidays, None, tz, lo, hi) if layer.skip_holidays else []
    if not absences and not holidays:
        return [(s, e, rotation[k % size], own) for k, s, e in turns]
    anyone_off = _Absences([(s, e) for a in absences.values() for s, e in zip(a.starts, a.ends, strict=True)])
    holiday_off = _Absences(holidays) if holidays else _NOBODY
    pieces: list[Piece] = []
    append = pieces.append
    for k, s, e in turns:
        owner = rotation[k % size]
        if not anyone_off.overlaps(s, e) and not holiday_off.overlaps(s, e):
            append((s, e, owner, own))
            continue
        # Split the turn wherever anyone's availability changes, then pick per part.
        cuts = {s, e}
        for person_id in set(rotation):
            cuts.update(absences.get(person_id, _NOBODY).edges(s, e))
        cuts.update(holiday_off.edges(s, e))
        bounds = sorted(cuts)
        for part_start, part_end in zip(bounds, bounds[1:], strict=False):
            owner_off = absences.get(owner, _NOBODY).off_at(part_start)
            on_holiday = holiday_off.off_at(part_start)
            for j in range(size):
                candidate = rotation[(k + j) % size]
                if j == 0 and on_holiday:
                    continue
                if not absences.get(candidate, _NOBODY).off_at(part_start):
                    if j == 0:
                        reason = own
                    elif owner_off:
                        reason = ("cover", layer.name, owner, None)
                    else:
                        reason = ("holiday", layer.name, owner, None)
                    append((part_start, part_end, candidate, reason))
                    break
    return pieces


def _layer_absences(org: Org, rotation: tuple[str, ...], start: int, end: int) -> dict[str, _Absences]:
    absences: dict[str, _Absences] = {}
    for person_id in set(rotation):
        person = org.people.get(person_id)
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
    out.sort()  # disjoint pieces: the starts alone decide
    return out


def override_pieces(schedule: Schedule, start: int, end: int) -> list[Piece]:
    """Overrides within ``[start, end)``; where they overlap, the later one in the file wins."""
    result: list[Piece] = []
    for override in schedule.overrides:
        s, e = max(override.start, start), min(override.end, end)
        if s < e:
            reason: Why = ("override", None, None, override.reason) if override.reason else _OVERRIDE
            result = overlay(result, [(s, e, override.person, reason)])
    return result

