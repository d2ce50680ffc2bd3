"""RFC 5545 export of shifts: one VEVENT per shift, exact UTC instants, stable identity.

Identity rules (the README's "UID and SEQUENCE" section says the same for users):

* ``UID`` is ``<schedule id>-<shift start as YYYYMMDDTHHMMSSZ>@oncall``: the schedule and the
  shift's *own* start, never the window it was generated in and never the assignee, so
  regenerating a calendar updates events instead of duplicating them. A shift cut by the window
  is written whole (its real handoff instants), so the same shift is the same event in every file.
* ``SEQUENCE`` of a new or changed event is the revision clock: whole minutes from
  2024-01-01T00:00Z to ``now``, and always above the event's previous SEQUENCE when a previous
  version is known (``previous=``). Any later export therefore supersedes an earlier one in a
  calendar that already holds the event, and the number is reproducible from ``now`` alone.
* ``DTSTAMP`` is ``now`` for new or changed events; an unchanged event keeps its previous stamp
  and SEQUENCE, so re-exporting an unchanged schedule over a previous file gives the same bytes.
* With ``previous`` and ``window``, events of the previous file that are gone and overlap the
  window are written again with ``STATUS:CANCELLED`` and a higher SEQUENCE, so subscribed
  calendars drop them.

Speed: icalendar's component tree costs about 150 µs an event to build and serialise, which
dominates a year of a large org. Events are therefore written as content lines here, with
icalendar's own TEXT escaping and line folding. Everything an event says besides its instants
depends only on its schedule, person, reason and neighbours, and a year of a 300-schedule org has
about 7,000 such combinations for 190,000 events, so those lines are escaped and folded once per
combination. Neighbours come from the shifts and gaps passed in; the engine is asked only about
shifts whose neighbours are not there (the window's edges, a ``--person`` selection).
"""

from __future__ import annotations

import bisect
import gc
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from operator import attrgetter
from typing import NamedTuple

from icalendar import vDuration, vText
from icalendar.parser import Contentline

from oncall.model import Gap, Org, Schedule, Shift

PRODID = "-//oncall//oncall-cli//EN"
UID_DOMAIN = "oncall"
REFRESH = vDuration(timedelta(hours=1)).to_ical().decode()  # "PT1H", never "1:00:00"
REVISION_EPOCH = 1704067200  # 2024-01-01T00:00:00Z: SEQUENCE counts minutes from here
CRLF = "\r\n"

_DAY = 86400
_MAX_REACH = 800 * _DAY  # how far to look for the real edges of a shift cut by the window


class ShiftContext(NamedTuple):
    """A shift with what its event needs beyond the window: its real (unclipped) bounds and the
    people on call just before and just after it (None for a gap or when unknown).

    A named tuple: a year of a large org makes one per shift."""

    shift: Shift
    start: int
    end: int
    reason: str = ""  # the whole shift's (a clipped piece may show only part of it)
    before: str | None = None
    after: str | None = None
    gap_before: bool = False
    gap_after: bool = False


class Event(NamedTuple):
    """One VEVENT as written: identity, instants, revision and the rest of its content lines.

    Immutable (its revision is known when it is made) and a named tuple: an export makes one per
    shift."""

    uid: str
    schedule: str
    start: int
    end: int
    body: tuple[str, ...]  # the properties written after DTSTART and DTEND, unfolded
    sequence: int = 0
    stamp: int = 0
    cancelled: bool = False
    folded: bytes = b""  # ``body`` folded and encoded, when known (events share it: see _EventWriter)

    @property
    def lines(self) -> tuple[str, ...]:
        """Every property except UID, DTSTAMP, SEQUENCE and STATUS, unfolded, as written."""
        return (f"DTSTART:{_utc(self.start)}", f"DTEND:{_utc(self.end)}", *self.body)


@dataclass
class ExportStats:
    """What changed compared with the previous file (all zero but ``added`` without one)."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    cancelled: list[str] = field(default_factory=list)
    unchanged: int = 0
    events: int = 0


# --------------------------------------------------------------------------- public API


def export_calendar(
    org: Org,
    shifts: Sequence[Shift],
    *,
    name: str,
    now: int,
    gaps: Sequence[Gap] | None = None,
    previous: bytes | None = None,
    window: tuple[int, int] | None = None,
    description: str | None = None,
) -> bytes:
    """The ``.ics`` bytes for ``shifts`` (as ``generate`` returns them) in a calendar named ``name``.

    ``now`` (epoch seconds) is the only clock: it gives DTSTAMP and the revision SEQUENCE, so the
    same arguments give the same bytes. Shifts cut by the window are written whole, and the
    DESCRIPTION names the people on call before and after each shift. Pass ``gaps`` (the gaps of
    the same ``Timeline``) to take those from the timeline itself: the engine is then asked only
    about the shifts at the window's edges, and about shifts whose neighbours are not in
    ``shifts`` (a ``--person`` selection, for which ``generate`` lists no gaps anyway). The bytes
    are the same with or without it.
    With ``previous`` (the bytes of an earlier export of the same calendar), unchanged events keep
    their DTSTAMP and SEQUENCE, changed ones get a higher SEQUENCE, and with ``window`` too,
    events that disappeared inside it are written again as cancelled.
    """
    with _collector_paused():
        data, _ = render_calendar(
            org, shift_contexts(org, shifts, gaps), name=name, now=now, previous=previous, window=window,
            description=description,
        )
    return data


def render_calendar(
    org: Org,
    contexts: Iterable[ShiftContext],
    *,
    name: str,
    now: int,
    previous: bytes | None = None,
    window: tuple[int, int] | None = None,
    description: str | None = None,
) -> tuple[bytes, ExportStats]:
    """Like ``export_calendar`` for shifts already placed in context; also says what changed."""
    with _collector_paused():
        old = read_events(previous) if previous else {}
        revisions = _Revisions(old, now)
        writer = _EventWriter(org)
        events = writer.events(contexts, revisions)
        if window is not None and old:
            events.extend(revisions.cancelled({e.uid for e in events}, window))
        events.sort(key=_EVENT_ORDER)
        revisions.stats.events = len(events)
        return _serialise(events, name, description, writer.utc), revisions.stats


def shift_contexts(org: Org, shifts: Sequence[Shift], gaps: Sequence[Gap] | None = None) -> list[ShiftContext]:
    """Place each shift among its neighbours: real bounds and the people before and after it.

    A neighbour comes from ``shifts`` itself when a shift of the same schedule ends where this
    one starts (or starts where it ends), or from ``gaps`` when a gap does; shifts in between are
    taken as the engine's. Only the shifts left with an unknown side (the window's edges, a
    ``--person`` selection, a gap when ``gaps`` is not given) are looked up in the engine, one call
    per run of nearby shifts, widened only while a shift still touches its edge. Shifts of
    schedules the org does not know are taken as they are.
    """
    by_schedule: dict[str, list[Shift]] = {}
    for shift in shifts:
        by_schedule.setdefault(shift.schedule, []).append(shift)
    # A gap ending at t: nobody just before t; a gap starting at t: nobody just after t.
    gap_ends: dict[str, set[int]] = {}
    gap_starts: dict[str, set[int]] = {}
    for gap in gaps or ():
        gap_ends.setdefault(gap.schedule, set()).add(gap.end)
        gap_starts.setdefault(gap.schedule, set()).add(gap.start)
    out: list[ShiftContext] = []
    with _collector_paused():
        for schedule_id, group in by_schedule.items():
            group.sort(key=_START)
            schedule = org.schedules.get(schedule_id)
            if schedule is None:
                out.extend(_place_alone(group))
            else:
                out.extend(_place(org, schedule, group, gap_ends.get(schedule_id, set()),
                                  gap_starts.get(schedule_id, set())))
    return out


def uid_for(schedule_id: str, start: int) -> str:
    """The event UID of the shift of ``schedule_id`` that starts at ``start`` (epoch seconds)."""
    return f"{schedule_id}-{_utc(start)}@{UID_DOMAIN}"


def revision(now: int) -> int:
    """The SEQUENCE a version written at ``now`` gets: minutes since 2024-01-01T00:00Z."""
    return max(0, (now - REVISION_EPOCH) // 60)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while an export is built.

    An export makes two small objects per shift and none of them forms a reference cycle, so
    reference counting frees everything; but while they pile up the collector runs full passes
    over them, the timeline and the org, which was a third of the time of a year of a large org.
    """
    if not gc.isenabled():  # paused already (a nested call) or turned off by the program
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


# --------------------------------------------------------------------------- shifts in context

_START = attrgetter("start")


def _place_alone(group: list[Shift]) -> list[ShiftContext]:
    out = []
    for i, shift in enumerate(group):
        prev = group[i - 1] if i and group[i - 1].end == shift.start else None
        nxt = group[i + 1] if i + 1 < len(group) and group[i + 1].start == shift.end else None
        out.append(ShiftContext(shift, shift.start, shift.end, shift.reason, prev.person if prev else None,
                                nxt.person if nxt else None))
    return out


def _place(org: Org, schedule: Schedule, group: list[Shift], gap_ends: set[int],
           gap_starts: set[int]) -> list[ShiftContext]:
    placed: list[ShiftContext | None] = []
    unknown: list[int] = []  # indexes of shifts with a side that neither the list nor the gaps answer
    last = len(group) - 1
    for i, shift in enumerate(group):
        start, end = shift.start, shift.end
        before = group[i - 1].person if i and group[i - 1].end == start else None
        after = group[i + 1].person if i < last and group[i + 1].start == end else None
        gap_before = before is None and start in gap_ends
        gap_after = after is None and end in gap_starts
        if (before is None and not gap_before) or (after is None and not gap_after):
            unknown.append(i)
            placed.append(None)
        else:
            placed.append(ShiftContext(shift, start, end, shift.reason, before, after, gap_before, gap_after))
    if unknown:
        asked = _ask_engine(org, schedule, [group[i] for i in unknown])
        for i, ctx in zip(unknown, asked, strict=True):
            placed[i] = ctx
    return [ctx for ctx in placed if ctx is not None]


def _ask_engine(org: Org, schedule: Schedule, shifts: list[Shift]) -> list[ShiftContext]:
    """Contexts of ``shifts`` (sorted, one schedule) from the engine, one call per run of shifts
    whose lookup windows overlap."""
    reach = max([layer.every.seconds for layer in schedule.layers] + [_DAY]) + _DAY
    out: list[ShiftContext] = []
    run = [shifts[0]]
    for shift in shifts[1:]:
        if shift.start - run[-1].end > 2 * reach:
            out.extend(_engine_contexts(org, schedule, run, reach))
            run = []
        run.append(shift)
    out.extend(_engine_contexts(org, schedule, run, reach))
    return out


def _engine_contexts(org: Org, schedule: Schedule, run: list[Shift], reach: int) -> list[ShiftContext]:
    """Contexts of ``run`` from one engine call around it, widened fourfold while a shift covering
    one of ours touches the lookup's edge. Past ``_MAX_REACH`` (a rotation of one person never
    hands over) the shift is written as cut there."""
    from oncall.engine import schedule_timeline

    lo, hi = run[0].start, run[-1].end
    while True:
        a, b = lo - reach, hi + reach
        timeline = schedule_timeline(schedule, org.people, a, b)
        found = timeline.shifts
        starts = [s.start for s in found]
        covering = [bisect.bisect_right(starts, shift.start) - 1 for shift in run]
        # A shift covering one of ours that starts or ends at the lookup's edge may be cut by it.
        cut = any(i >= 0 and found[i].end > shift.start and (found[i].start == a or found[i].end == b)
                  for shift, i in zip(run, covering, strict=True))
        if cut and reach < _MAX_REACH:
            reach *= 4
            continue
        break
    gap_ends = {g.end for g in timeline.gaps}
    gap_starts = {g.start for g in timeline.gaps}
    out = []
    for shift, i in zip(run, covering, strict=True):
        real = found[i] if i >= 0 and found[i].end > shift.start and found[i].person == shift.person else None
        if real is None:  # the engine disagrees (shifts not from this org): take it as given
            out.append(ShiftContext(shift, shift.start, shift.end, shift.reason))
            continue
        prev = found[i - 1] if i > 0 and found[i - 1].end == real.start else None
        nxt = found[i + 1] if i + 1 < len(found) and found[i + 1].start == real.end else None
        out.append(ShiftContext(
            shift, real.start, real.end, real.reason or shift.reason,
            prev.person if prev else None, nxt.person if nxt else None,
            gap_before=real.start in gap_ends, gap_after=real.end in gap_starts,
        ))
    return out


# --------------------------------------------------------------------------- events


class _EventWriter:
    """Builds the events of one export, writing each repeated set of lines once.

    An event's lines after DTSTART and DTEND depend only on the key below, so they are escaped,
    folded and encoded once per key, and the events with that key share them. Names, TEXT values
    and UTC stamps are made once each too. The caches live as long as one export.
    """

    def __init__(self, org: Org) -> None:
        self.org = org
        self.bodies: dict[tuple[str, str, str, str | None, str | None, bool, bool], tuple[tuple[str, ...], bytes]] = {}
        self.names: dict[str, str] = {}
        self.texts: dict[tuple[str, str], str] = {}
        self.utc = _UtcTexts()

    def events(self, contexts: Iterable[ShiftContext], revisions: _Revisions) -> list[Event]:
        bodies, make_body, utc = self.bodies, self._body, self.utc
        # Without a previous file every event is new: the revision is the same for all.
        revise = revisions.of if revisions.old else None
        new = (revisions.rev, revisions.now)
        added = revisions.stats.added.append
        out: list[Event] = []
        append = out.append
        for ctx in contexts:
            shift, start, end = ctx.shift, ctx.start, ctx.end
            key = (shift.schedule, shift.person, ctx.reason, ctx.before, ctx.after,
                   ctx.before is None and ctx.gap_before, ctx.after is None and ctx.gap_after)
            body = bodies.get(key)
            if body is None:
                body = bodies[key] = make_body(ctx)
            uid = f"{shift.schedule}-{utc[start]}@{UID_DOMAIN}"  # uid_for's, with this export's stamps
            if revise is None:
                sequence, stamp = new
                added(uid)
            else:
                sequence, stamp = revise(uid, start, end, body[0])
            append(Event(uid, shift.schedule, start, end, body[0], sequence, stamp, False, body[1]))
        return out

    def _body(self, ctx: ShiftContext) -> tuple[tuple[str, ...], bytes]:
        """The lines after DTSTART and DTEND, unfolded, and folded as bytes."""
        org, shift = self.org, ctx.shift
        schedule = org.schedules.get(shift.schedule)
        schedule_name = schedule.display if schedule is not None else shift.schedule
        person_name = self.name(shift.person)
        text = self._text_line
        lines = (
            text("SUMMARY", f"On call: {schedule_name} — {person_name}"),
            text("DESCRIPTION", self._description(ctx, schedule, schedule_name, person_name)),
            text("CATEGORIES", "On call"),
            "TRANSP:TRANSPARENT",
            text("X-ONCALL-SCHEDULE", shift.schedule),
            text("X-ONCALL-PERSON", shift.person),
            text("X-ONCALL-REASON", ctx.reason) if ctx.reason else "",
        )
        kept = tuple(line for line in lines if line)
        return kept, _fold_all(kept)

    def _text_line(self, prop: str, value: str) -> str:
        line = self.texts.get((prop, value))
        if line is None:
            line = self.texts[prop, value] = _text_line(prop, value)
        return line

    def name(self, person_id: str) -> str:
        name = self.names.get(person_id)
        if name is None:
            person = self.org.people.get(person_id)
            name = self.names[person_id] = person.display if person is not None else person_id
        return name

    def _description(self, ctx: ShiftContext, schedule: Schedule | None, schedule_name: str,
                     person_name: str) -> str:
        # No instants here: DTSTART/DTEND carry them and clients show them in the reader's zone.
        parts = [f"{person_name} is on call for {schedule_name}."]
        if ctx.before is not None:
            parts.append(f"Handoff: takes over from {self.name(ctx.before)}.")
        elif ctx.gap_before:
            parts.append("Handoff: nobody is on call just before this shift.")
        if ctx.after is not None:
            parts.append(f"Hands over to {self.name(ctx.after)} at the end.")
        elif ctx.gap_after:
            parts.append("Nobody is on call just after this shift.")
        # The engine joins the reasons of merged pieces with ", " (a turn extended by an override).
        why = [self._why(reason) for reason in ctx.reason.split(", ") if reason]
        if why:
            parts.append(f"Why: {'; '.join(why)}.")
        if schedule is not None and schedule.checklist:
            parts.append(f"Before the shift run: oncall ready --checklist {schedule.checklist}")
        parts.append(f"Schedule: {ctx.shift.schedule}")
        return "\n".join(parts)

    def _why(self, reason: str) -> str:
        if reason.startswith("layer:"):
            return f"rotation layer {reason[6:]}"
        if reason == "override":
            return "an override in the schedule file"
        if reason.startswith("cover:"):
            return f"covering for {self.name(reason[6:])}, who is off"
        return reason


_EVENT_ORDER = attrgetter("schedule", "start", "uid")


class _Revisions:
    """SEQUENCE and DTSTAMP of each event against the previous file (``old``), and the count of
    what changed."""

    def __init__(self, old: Mapping[str, Event], now: int) -> None:
        self.old, self.now, self.rev = old, now, revision(now)
        self.stats = ExportStats()

    def of(self, uid: str, start: int, end: int, body: tuple[str, ...]) -> tuple[int, int]:
        """``(sequence, stamp)`` of the event ``uid`` as written now."""
        before = self.old.get(uid)
        if before is None:
            self.stats.added.append(uid)
            return self.rev, self.now
        if not before.cancelled and before.body == body and before.start == start and before.end == end:
            self.stats.unchanged += 1  # the same lines: keep the previous stamp and SEQUENCE
            return before.sequence, before.stamp
        self.stats.changed.append(uid)
        return max(self.rev, before.sequence + 1), self.now

    def cancelled(self, seen: set[str], window: tuple[int, int]) -> list[Event]:
        """The previous events that are gone and overlap ``window``, written again as cancelled."""
        lo, hi = window
        out = []
        for uid, before in self.old.items():
            if uid in seen or not (before.start < hi and before.end > lo):
                continue  # still there, or out of the window (past, or beyond its end)
            if not before.cancelled:
                before = before._replace(cancelled=True, sequence=max(self.rev, before.sequence + 1), stamp=self.now)
                self.stats.cancelled.append(uid)
            else:
                self.stats.unchanged += 1
            out.append(before)
        return out


# --------------------------------------------------------------------------- writing


def _serialise(events: list[Event], name: str, description: str | None, utc: Mapping[int, str]) -> bytes:
    # Bytes joined once: the bodies events share are encoded once, and one non-ASCII name does
    # not widen a 100 MB string. DTSTAMP, SEQUENCE and STATUS take a handful of values per file.
    revisions: dict[tuple[int, int, bool], str] = {}
    out = [_header(name, description).encode("utf-8")]
    append = out.append
    for e in events:
        key = (e.stamp, e.sequence, e.cancelled)
        stamp = revisions.get(key)
        if stamp is None:
            status = "CANCELLED" if e.cancelled else "CONFIRMED"
            stamp = revisions[key] = f"DTSTAMP:{utc[e.stamp]}\r\nSEQUENCE:{e.sequence}\r\nSTATUS:{status}\r\n"
        uid = f"UID:{e.uid}\r\n" if len(e.uid) <= _UID_ROOM and e.uid.isascii() else _fold(f"UID:{e.uid}")
        append(f"BEGIN:VEVENT\r\n{uid}{stamp}DTSTART:{utc[e.start]}\r\nDTEND:{utc[e.end]}\r\n".encode())
        append(e.folded or _fold_all(e.body))
        append(b"END:VEVENT\r\n")
    append(b"END:VCALENDAR\r\n")
    return b"".join(out)


def _header(name: str, description: str | None) -> str:
    # Written like the events, with icalendar's TEXT escaping (NAME and X-WR-CALNAME are TEXT, so
    # a comma in a name is escaped). No Calendar.new(): it would add a random UID and "now".
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        _text_line("NAME", name),
        _text_line("X-WR-CALNAME", name),
        _text_line("X-WR-CALDESC", description) if description else "",
        f"REFRESH-INTERVAL;VALUE=DURATION:{REFRESH}",
        f"X-PUBLISHED-TTL:{REFRESH}",
    ]
    return "".join(_fold(line) for line in lines if line)


def _text_line(prop: str, value: str) -> str:
    return f"{prop}:{vText(value).to_ical().decode('utf-8')}"


_FOLD_OCTETS = 74  # bytes of content per physical line; a continuation line adds its leading space
_UID_ROOM = _FOLD_OCTETS - len("UID:")  # a UID this long or shorter (and ASCII) needs no folding


def _fold(line: str) -> str:
    """``line`` folded at 75 octets with CRLF, byte for byte as icalendar's ``Contentline`` does.

    icalendar walks the line a character at a time, which is most of an export's time for a year
    of a large org; this cuts it in slices instead, with the same two rules: never inside a UTF-8
    sequence, and never right after a backslash or caret, so an escape stays on one line.
    tests/calendar/test_ics_fold.py checks the two agree.
    """
    if len(line) <= _FOLD_OCTETS and line.isascii():
        return line + CRLF
    data = line.encode("utf-8")
    if len(data) <= _FOLD_OCTETS:
        return line + CRLF
    parts = []
    pos, size = 0, len(data)
    while size - pos > _FOLD_OCTETS:
        cut = pos + _FOLD_OCTETS
        while data[cut] & 0xC0 == 0x80:  # a UTF-8 continuation byte: cut before its character
            cut -= 1
        if data[cut - 1] in b"\\^" and cut - 1 > pos:
            cut -= 1
        parts.append(data[pos:cut])
        pos = cut
    parts.append(data[pos:])
    return b"\r\n ".join(parts).decode("utf-8") + CRLF


def _fold_all(lines: Iterable[str]) -> bytes:
    return "".join(map(_fold, lines)).encode("utf-8")


def icalendar_fold(line: str) -> str:
    """icalendar's own folding of ``line`` (the reference ``_fold`` is tested against)."""
    return Contentline(line).to_ical().decode("utf-8") + CRLF


def _utc(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y%m%dT%H%M%SZ")


class _UtcTexts(dict[int, str]):
    """``_utc`` of each instant, formatted once: a year of a large org has a few thousand distinct
    handoff instants for hundreds of thousands of events."""

    def __missing__(self, seconds: int) -> str:
        text = self[seconds] = _utc(seconds)
        return text


# --------------------------------------------------------------------------- reading our own files


def read_events(data: bytes) -> dict[str, Event]:
    """The events of a file this module wrote, by UID (for comparing with a new export).

    Reads only what we write; anything else in the file is ignored, and unreadable bytes give no
    events (the next export then counts every event as new).
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return {}
    unfolded = text.replace("\r\n ", "").replace("\r\n\t", "")
    events: dict[str, Event] = {}
    current: list[str] | None = None
    for line in unfolded.split("\r\n"):
        if line == "BEGIN:VEVENT":
            current = []
        elif line == "END:VEVENT" and current is not None:
            event = _parse_event(current)
            if event is not None:
                events[event.uid] = event
            current = None
        elif current is not None:
            current.append(line)
    return events


def _parse_event(lines: list[str]) -> Event | None:
    uid = schedule = ""
    start = end = stamp = sequence = 0
    cancelled = False
    rest: list[str] = []
    try:
        for line in lines:
            key, _, value = line.partition(":")
            if key == "UID":
                uid = value
            elif key == "DTSTAMP":
                stamp = _parse_utc(value)
            elif key == "SEQUENCE":
                sequence = int(value)
            elif key == "STATUS":
                cancelled = value == "CANCELLED"
            elif key == "DTSTART":
                start = _parse_utc(value)
            elif key == "DTEND":
                end = _parse_utc(value)
            else:
                if key == "X-ONCALL-SCHEDULE":
                    schedule = value
                rest.append(line)
    except ValueError:
        return None
    if not uid or not start or not end:
        return None  # not an event this module wrote
    return Event(uid, schedule, start, end, tuple(rest), sequence, stamp, cancelled)


def _parse_utc(value: str) -> int:
    return int(datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC).timestamp())
