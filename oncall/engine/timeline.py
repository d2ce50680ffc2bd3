"""Composing a schedule's shifts: layers, time off, precedence, overrides, merge (docs/scheduling.md).

Pieces are plain tuples ``(start, end, person, reason)`` in epoch seconds while they are being
composed; runs of one person become ``Shift`` objects, runs of nobody ``Gap`` objects, only at the
end. ``schedule_timeline`` then completes the two at the window's edges: it composes the window
with a first look beyond it either side, and looks wider only while an edge shift (or gap) still
goes on, for its whole bounds and for who is on call either side of it.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping
from datetime import tzinfo
from functools import partial
from operator import itemgetter
from typing import NamedTuple

from oncall.engine.turns import CoveredPeriods, LayerClock, clip, intersect, union, window_instants
from oncall.holidays import HOLIDAYS_OF_PEOPLE, holiday_spans
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
_START, _END = itemgetter(0), itemgetter(1)  # a run's start and end


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
    # The window and a first look either side of it are composed at once: the runs at the
    # window's edges mostly start and end within the look, and then their whole bounds and
    # reasons, and who is on call either side, are all here. One that goes on beyond the look is
    # followed further by _look_back or _look_ahead.
    bounds = _Bounds(schedule)
    lo, hi = start - bounds.step, end + bounds.step
    wide = compose_runs(org, schedule, lo, hi)
    first = bisect_right(wide, start, key=_END)  # the run holding start
    last = bisect_left(wide, end, key=_START) - 1  # the run holding end - 1
    runs = wide[first:last + 1]
    head_start, _, head_person, _ = runs[0]
    first_start: int | None
    last_end: int | None
    if head_start > lo:
        first_start, before = head_start, wide[first - 1][2]
    else:
        first_start, before, earlier = _look_back(org, schedule, start, head_person, bounds)
        runs[0] = (*runs[0][:3], _joined(earlier, runs[0][3]))
    _, tail_end, tail_person, _ = runs[-1]
    if tail_end < hi:
        last_end, after = tail_end, wide[last + 1][2]
    else:
        last_end, after, later = _look_ahead(org, schedule, end, tail_person, bounds)
        runs[-1] = (*runs[-1][:3], _joined(runs[-1][3], later))
    runs[0] = (max(runs[0][0], start), *runs[0][1:])
    runs[-1] = (runs[-1][0], min(runs[-1][1], end), *runs[-1][2:])
    # Who is on call before and after each run, the window's edges included.
    persons = [before, *[run[2] for run in runs], after]
    sid = schedule.id
    # A year of a large org makes hundreds of thousands of shifts: each is made from its fields
    # in order, as Shift._make does but without its length check and method call.
    make = partial(tuple.__new__, Shift)
    typed: dict[tuple[Why, ...], tuple[Reason, ...]] = {}
    shifts: list[Shift] = []
    gaps: list[Gap] = []
    for (s, e, p, r), b, a in zip(runs, persons, persons[2:], strict=False):
        if p is None:
            gaps.append(Gap(sid, s, e, s, e, b, a))
            continue
        reasons = typed.get(r)
        if reasons is None:
            reasons = typed[r] = tuple(Reason(*why) for why in r)
        shifts.append(make((sid, p, s, e, reasons, s, e, b, a)))
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
            clock = LayerClock(layer, layer_zone(schedule, layer))
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


def compose(org: Org, schedule: Schedule, start: int, end: int, avoiding: frozenset[str] = frozenset()
            ) -> list[Piece]:
    """Who is on call in ``[start, end)``, as sorted disjoint pieces (not yet merged).

    ``avoiding`` holds the schedules whose composition asked for this one (through ``avoid:``),
    so that a cycle the loader would have refused cannot recurse here."""
    busy = _busy(org, schedule, start, end, avoiding | {schedule.id}) if schedule.avoid else {}
    pieces: list[Piece] = []
    for layer in schedule.layers:  # later layers win (rule 3)
        pieces = overlay(pieces, layer_pieces(org, schedule, layer, start, end, busy=busy))
    return overlay(pieces, override_pieces(schedule, start, end))  # rule 5


def _busy(org: Org, schedule: Schedule, start: int, end: int,
          avoiding: frozenset[str]) -> dict[str, list[tuple[int, int]]]:
    """Where each person is on call in the schedules ``schedule`` avoids (their final shifts,
    overrides included) within ``[start, end)`` (rule 10)."""
    busy: dict[str, list[tuple[int, int]]] = {}
    for other_id in schedule.avoid:
        other = org.schedules.get(other_id)
        if other is None or other_id in avoiding:
            continue
        for s, e, person, _ in merge(compose(org, other, start, end, avoiding), start, end):
            if person is not None:
                busy.setdefault(person, []).append((s, e))
    return busy


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


def layer_zone(schedule: Schedule, layer: Layer) -> tzinfo:
    """The zone a layer's start, end, turns and windows are read in (rule 7)."""
    return zone(layer.timezone) if layer.timezone else schedule.tz


def layer_pieces(
    org: Org,
    schedule: Schedule,
    layer: Layer,
    start: int,
    end: int,
    *,
    with_time_off: bool = True,
    busy: Mapping[str, list[tuple[int, int]]] | None = None,
) -> list[Piece]:
    """What one layer alone covers within ``[start, end)``: turns (rules 1, 7, 8, 9) clipped to the
    restriction windows (rule 2), with the parts whose person is off handed on in rotation order
    (rule 4): off for time off, for public holidays (rule 11) and, through ``busy``, for being on
    call in a schedule this one avoids (rule 10). ``with_time_off=False`` gives the turns alone.
    """
    tz = layer_zone(schedule, layer)
    clock = LayerClock(layer, tz)
    lo, hi = clock.active(start, end)
    if lo >= hi:
        return []
    rotation = layer.people
    size = len(rotation)
    turns: Iterable[tuple[int, int, int]]
    if len(set(rotation)) == 1:  # one person: every turn is theirs, so the layer is one long turn
        turns = [(0, lo, hi)]
    else:
        turns = clock.turns(lo, hi)
        if layer.only and layer.advance == "covered":
            turns = _covered_turns(turns, CoveredPeriods(clock, layer.only, tz))
    if layer.only:
        turns = intersect(turns, window_instants(layer.only, tz, lo, hi))
    offset = layer.offset
    own: Why = ("layer", layer.name, None, None)
    off = _Off(org, layer, tz, lo, hi, busy or {}) if with_time_off else None
    if off is None or off.nobody:
        return [(s, e, rotation[(k + offset) % size], own) for k, s, e in turns]
    pieces: list[Piece] = []
    append = pieces.append
    members = set(rotation)
    for k, s, e in turns:
        first = k + offset
        owner = rotation[first % size]
        if not off.anyone.overlaps(s, e):
            append((s, e, owner, own))
            continue
        # Split the turn wherever anyone's availability changes, then pick per part.
        bounds = sorted(off.cuts(members, s, e))
        for part_start, part_end in zip(bounds, bounds[1:], strict=False):
            why = off.why(owner, part_start)
            if why is None:
                append((part_start, part_end, owner, own))
                continue
            for j in range(1, size):
                candidate = rotation[(first + j) % size]
                if not off.person_off(candidate, part_start):
                    append((part_start, part_end, candidate, (why, layer.name, owner, None)))
                    break
    return pieces


def _covered_turns(periods: Iterable[tuple[int, int, int]],
                   covered: CoveredPeriods) -> Iterator[tuple[int, int, int]]:
    """``advance: covered``: period j is turn i, i the number of periods before j that meet the
    layer's windows (rule 9). Counted once for the first period, then period by period."""
    count = last = None
    for j, s, e in periods:
        if count is None or last is None:
            count = covered.before(j)
        else:
            for i in range(last, j):
                count += covered.covered(i)
        last = j
        yield count, s, e


class _Off:
    """When each member of a layer is off within ``[start, end)``, and why: time off (``cover``),
    a public holiday (``holiday``), or being on call in an avoided schedule (``avoid``)."""

    def __init__(self, org: Org, layer: Layer, tz: tzinfo, start: int, end: int,
                 busy: Mapping[str, list[tuple[int, int]]]) -> None:
        self.time_off: dict[str, _Absences] = {}
        self.holiday: dict[str, _Absences] = {}
        self.busy: dict[str, _Absences] = {}
        # skip_holidays: CC makes everybody in the layer off on that country's holidays (rule 4 then
        # finds nobody to cover, so the layer covers nothing there); with ``people`` each person is
        # off on their own holidays only.
        self.country = _NOBODY
        people_holidays = layer.skip_holidays == HOLIDAYS_OF_PEOPLE
        if layer.skip_holidays and not people_holidays:
            self.country = _Absences(holiday_spans(org.holidays, layer.skip_holidays, None, tz, start, end))
        for person_id in set(layer.people):
            person = org.people.get(person_id)
            if person is not None and person.time_off:
                spans = [(i.start, i.end) for i in person.time_off if i.start < end and i.end > start]
                if spans:
                    self.time_off[person_id] = _Absences(spans)
            if people_holidays and person is not None and person.country:
                spans = holiday_spans(org.holidays, person.country, person.subdivision, person.tz, start, end)
                if spans:
                    self.holiday[person_id] = _Absences(spans)
            if busy.get(person_id):
                self.busy[person_id] = _Absences(busy[person_id])
        every = [a for kind in (self.time_off, self.holiday, self.busy) for a in kind.values()] + [self.country]
        self.nobody = not any(a.starts for a in every)
        self.anyone = _Absences([span for a in every for span in zip(a.starts, a.ends, strict=True)])

    def person_off(self, person_id: str, t: int) -> bool:
        """Whether ``person_id`` is off at ``t``: their own reasons, or a country's holiday (everybody's)."""
        return self.country.off_at(t) or any(
            kind.get(person_id, _NOBODY).off_at(t) for kind in (self.time_off, self.holiday, self.busy))

    def why(self, owner: str, t: int) -> str | None:
        """Why the turn's owner is off at ``t`` (None: they are not)."""
        if self.time_off.get(owner, _NOBODY).off_at(t):
            return "cover"
        if self.holiday.get(owner, _NOBODY).off_at(t) or self.country.off_at(t):
            return "holiday"
        if self.busy.get(owner, _NOBODY).off_at(t):
            return "avoid"
        return None

    def cuts(self, members: set[str], start: int, end: int) -> set[int]:
        """``start``, ``end`` and every instant between where someone's availability changes."""
        found = {start, end}
        for kind in (self.time_off, self.holiday, self.busy):
            for person_id in members:
                found.update(kind.get(person_id, _NOBODY).edges(start, end))
        found.update(self.country.edges(start, end))
        return found


def overlay(base: list[Piece], top: list[Piece]) -> list[Piece]:
    """``top`` wins wherever it covers; ``base`` shows through elsewhere. Both sorted, disjoint.

    ``base`` shows through in the holes between ``top``'s pieces (and either side of them): each
    hole takes its slice of ``base`` by bisection, so the cost follows the holes, not ``base``."""
    if not top:
        return base
    if not base:
        return top
    out: list[Piece] = []
    shown_to = base[0][0]
    for piece in top:
        if piece[0] > shown_to:
            out += clip(base, shown_to, piece[0])
        out.append(piece)
        shown_to = piece[1]
    out += clip(base, shown_to, base[-1][1])
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

