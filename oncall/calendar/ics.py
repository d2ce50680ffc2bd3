"""RFC 5545 export of shifts: one VEVENT per shift, exact UTC instants, stable identity.

Identity rules (docs/guides/calendars.md says the same for users):

* ``UID`` is ``<schedule id>-<shift start as YYYYMMDDTHHMMSSZ>-<person id>@oncall``: the schedule,
  the shift's *own* start and who holds it, never the window it was generated in, so
  regenerating a calendar updates events instead of duplicating them. A shift cut by the window
  is written whole (its real handoff instants), so the same shift is the same event in every
  file. Because the holder is part of the identity, a shift given to someone else is a new event
  and the old one is cancelled: a calendar merging the feeds of both people (the giver's with the
  event cancelled, the taker's with the new one) shows the same thing whatever order it reads
  them in.
* ``SEQUENCE`` of a new or changed event is the revision clock: whole minutes from
  2024-01-01T00:00Z to ``now``, and always above the event's previous SEQUENCE when a previous
  version is known (``previous=``). Any later export therefore supersedes an earlier one in a
  calendar that already holds the event, and the number is reproducible from ``now`` alone.
* ``DTSTAMP`` is ``now`` for new or changed events; an unchanged event keeps its previous stamp
  and SEQUENCE, so re-exporting an unchanged schedule over a previous file gives the same bytes.
* With ``previous`` and ``window``, events of the previous file that are gone and overlap the
  window are written again with ``STATUS:CANCELLED`` and a higher SEQUENCE, so subscribed
  calendars drop them.

Everything an event needs comes with its shift from the engine (whole bounds, who is on call
either side, why); the export never asks the engine again. Events are written as content lines
here, escaped and folded byte for byte as icalendar does it (tests/calendar/test_ics_fold.py
compares the two): icalendar's component tree costs about 150 µs an event to build and
serialise, which would dominate a year of a large org, and writing without it spares every
export importing it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property, lru_cache
from operator import attrgetter
from typing import NamedTuple

import oncall
from oncall.model import Org, Shift, describe_reasons, reason_codes

PRODID = "-//oncall//oncall-cli//EN"
UID_DOMAIN = "oncall"
REFRESH = "PT1H"  # one hour, as a DURATION value is written
REVISION_EPOCH = 1704067200  # 2024-01-01T00:00:00Z: SEQUENCE counts minutes from here
CRLF = "\r\n"


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
    folded: bytes = b""  # ``body`` folded and encoded, when known (events share it: see EventWriter)

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
    previous: bytes | None = None,
    window: tuple[int, int] | None = None,
    description: str | None = None,
) -> bytes:
    """The ``.ics`` bytes for ``shifts`` (as ``generate`` returns them) in a calendar named ``name``.

    ``now`` (epoch seconds) is the only clock: it gives DTSTAMP and the revision SEQUENCE, so the
    same arguments give the same bytes. Each shift is written whole (its ``whole_start`` and
    ``whole_end``), and the DESCRIPTION names the people on call before and after it.
    With ``previous`` (the bytes of an earlier export of the same calendar), unchanged events keep
    their DTSTAMP and SEQUENCE, changed ones get a higher SEQUENCE, and with ``window`` too,
    events that disappeared inside it are written again as cancelled.
    """
    data, _ = Draft(org, shifts, name=name, window=window, description=description).render(now, previous)
    return data


class Draft:
    """A calendar's shifts before their events' revisions (DTSTAMP, SEQUENCE) are known, and a
    fingerprint of everything its bytes follow from besides the previous file and the clock.

    A calendar written from the same fingerprint over its own previous bytes comes out the
    same bytes: unchanged events keep their revisions, and the cancelled events it holds are
    the ones the window still asks for. So a feed whose fingerprint has not changed since it
    was written (``fingerprint_in``) need be neither read nor written again.
    """

    def __init__(self, org: Org, shifts: Iterable[Shift], *, name: str, window: tuple[int, int] | None = None,
                 description: str | None = None, writer: EventWriter | None = None,
                 rows: Sequence[str] | None = None) -> None:
        self.writer = writer or EventWriter(org)  # one writer for many calendars shares their events' lines
        self.shifts = list(shifts)
        self.name, self.window, self.description = name, window, description
        self.rows = rows  # ``writer.row`` of each shift, when the caller has made them already

    @property
    def fingerprint(self) -> str:
        """A digest of the header, the window, the code that writes the bytes, and every event's
        times and facts (which name its schedule and person, so with its start they give its
        UID), without making the events' lines."""
        digest = hashlib.blake2b(repr((_FINGERPRINT_FORMAT, oncall.__version__, self.name, self.description,
                                       self.window)).encode(), digest_size=16)
        rows = self.rows if self.rows is not None else map(self.writer.row, self.shifts)
        digest.update("".join(rows).encode())
        return digest.hexdigest()

    def render(self, now: int, previous: bytes | None = None, *, fingerprint: str | None = None
               ) -> tuple[bytes, ExportStats]:
        """The calendar's bytes at ``now`` over ``previous``, and what changed; with
        ``fingerprint`` (this draft's), the header records it for the next run."""
        old = read_events(previous) if previous else {}
        revisions = _Revisions(old, now)
        events = [self.writer.event(shift, revisions) for shift in self.shifts]
        if self.window is not None and old:
            events.extend(revisions.cancelled({e.uid for e in events}, self.window))
        events.sort(key=_EVENT_ORDER)
        revisions.stats.events = len(events)
        header = _header(self.name, self.description, f"{fingerprint} {len(events)}" if fingerprint else None)
        body = [_event_bytes(e.uid, _revision_text(e.sequence, e.stamp, e.cancelled), e.start, e.end,
                             e.folded or _folded(e.body)) for e in events]
        return b"".join([header, *body, _FOOTER]), revisions.stats


_FINGERPRINT_FORMAT = 3  # raise it when the bytes written for the same facts change within a version
FINGERPRINT = "X-ONCALL-FINGERPRINT"


def fingerprint_in(head: bytes) -> tuple[str, int] | None:
    """The fingerprint and the number of events recorded in a calendar's first bytes (the header
    comes first and is short), or None when there is none."""
    at = head.find(f"\r\n{FINGERPRINT}:".encode())
    if at < 0:
        return None
    line = head[at + len(FINGERPRINT) + 3:].partition(b"\r\n")[0].decode("ascii", "replace").split()
    if len(line) != 2 or not line[1].isdigit():
        return None
    return line[0], int(line[1])


def stream_calendar(
    org: Org,
    timelines: Iterable[Sequence[Shift]],
    *,
    name: str,
    now: int,
    description: str | None = None,
) -> Iterator[bytes]:
    """The bytes ``export_calendar`` makes (with no previous file), written as they are made.

    ``timelines`` gives the shifts one schedule at a time, in schedule order and each schedule's
    by start (as ``oncall.engine.timelines`` makes them), so only one schedule's events are held
    at once: the memory an export takes does not grow with the length of its window.
    """
    yield _header(name, description)
    written = _revision_text(revision(now), now, cancelled=False)  # every event is new
    for shifts in timelines:
        writer = EventWriter(org)  # per schedule: its events' lines are never needed again
        yield writer.fresh_events(shifts, written)
    yield _FOOTER


def uid_for(schedule_id: str, start: int, person: str) -> str:
    """The event UID of ``person``'s shift of ``schedule_id`` that starts at ``start`` (epoch seconds)."""
    return _uid(schedule_id, _utc(start), person)


def _uid(schedule_id: str, start_text: str, person: str) -> str:
    return f"{schedule_id}-{start_text}-{person}@{UID_DOMAIN}"


def revision(now: int) -> int:
    """The SEQUENCE a version written at ``now`` gets: minutes since 2024-01-01T00:00Z."""
    return max(0, (now - REVISION_EPOCH) // 60)


# --------------------------------------------------------------------------- events


class Facts(NamedTuple):
    """What an event says besides its times, gathered from its shift and the org: its lines after
    DTSTART and DTEND are made from these alone (``_body``), so a digest of them stands for the
    lines (``Draft.fingerprint``)."""

    schedule: str
    schedule_name: str
    checklist: str | None
    person: str
    person_name: str
    before_name: str | None  # who is on call just before (None: nobody, or not known)
    after_name: str | None
    starts_known: bool  # whether the shift's real start (and end) were found: "nobody" is then known
    ends_known: bool
    reasons: str  # their codes
    why: str  # and in words, with people's names


class Content:
    """The lines after DTSTART and DTEND that events with the same ``Facts`` share, made once:
    unfolded, folded, and a digest of the facts (what a fingerprint records instead of them).
    ``short_uid`` says whether the UID line of such an event fits on one line unfolded: it is
    made of the schedule, the start (always 16 characters) and the person."""

    def __init__(self, facts: Facts) -> None:
        self.facts = facts
        uid_line = f"UID:{_uid(facts.schedule, _utc(0), facts.person)}"
        self.short_uid = uid_line.isascii() and len(uid_line) <= _FOLD_OCTETS

    @cached_property
    def lines(self) -> tuple[str, ...]:
        return _body(self.facts)

    @cached_property
    def folded(self) -> bytes:
        return _folded(self.lines)

    @cached_property
    def digest(self) -> str:
        return hashlib.blake2b(repr(self.facts).encode(), digest_size=16).hexdigest()


class EventWriter:
    """Builds the events of one export.

    An event's lines after DTSTART and DTEND depend only on its schedule, person, reasons and
    neighbours, and a year of a 300-schedule org has about 7,000 such combinations for 190,000
    events: the facts of each are gathered once, and their lines escaped and folded once (see
    bench/bench_ics.py for the figures)."""

    def __init__(self, org: Org) -> None:
        self.org = org
        self.contents: dict[tuple[object, ...], Content] = {}

    def content(self, shift: Shift) -> Content:
        """What ``shift``'s event says besides its times."""
        key = (shift.schedule, shift.person, shift.reasons, shift.before, shift.after,
               shift.whole_start is None, shift.whole_end is None)
        known = self.contents.get(key)
        if known is None:
            known = self.contents[key] = Content(self._facts(shift))
        return known

    def row(self, shift: Shift) -> str:
        """``shift``'s event as a fingerprint records it: its start, its end, its facts' digest."""
        return f"{shift.known_start} {shift.known_end} {self.content(shift).digest}\n"

    def event(self, shift: Shift, revisions: _Revisions) -> Event:
        start, end, content = shift.known_start, shift.known_end, self.content(shift)
        uid = uid_for(shift.schedule, start, shift.person)
        sequence, stamp = revisions.of(uid, start, end, content.lines)
        return Event(uid, shift.schedule, start, end, content.lines, sequence, stamp, False, content.folded)

    def fresh_events(self, shifts: Iterable[Shift], revision_text: str) -> bytes:
        """The events of one schedule's ``shifts``, all new (``revision_text`` says so), written
        in the order given: the engine gives a schedule's shifts in calendar order already (by
        start, and they never overlap). Each event's pieces are copied once, into the bytes of the
        whole list (a year of a large org is gigabytes of events)."""
        pieces: list[bytes] = []
        for shift in shifts:
            # Shift.known_start and known_end, spelled out: each start is formatted once, and a
            # year of a large org is hundreds of thousands of events.
            content = self.content(shift)
            start = _utc(shift.start if shift.whole_start is None else shift.whole_start)
            end = _utc(shift.end if shift.whole_end is None else shift.whole_end)
            if content.short_uid:  # _head(_uid(...)) written out, as it is when nothing needs folding
                head = (f"BEGIN:VEVENT\r\nUID:{shift.schedule}-{start}-{shift.person}@{UID_DOMAIN}\r\n"
                        f"{revision_text}DTSTART:{start}\r\nDTEND:{end}\r\n").encode()
            else:
                head = _head(_uid(shift.schedule, start, shift.person), revision_text, start, end)
            pieces += (head, content.folded, _EVENT_END)
        return b"".join(pieces)

    def _facts(self, shift: Shift) -> Facts:
        schedule = self.org.schedules.get(shift.schedule)
        return Facts(
            schedule=shift.schedule,
            schedule_name=schedule.display if schedule is not None else shift.schedule,
            checklist=schedule.checklist if schedule is not None else None,
            person=shift.person,
            person_name=self.name(shift.person),
            before_name=self.name(shift.before) if shift.before is not None else None,
            after_name=self.name(shift.after) if shift.after is not None else None,
            starts_known=shift.whole_start is not None,
            ends_known=shift.whole_end is not None,
            reasons=reason_codes(shift.reasons),
            why=describe_reasons(shift.reasons, self.name),
        )

    def name(self, person_id: str) -> str:
        person = self.org.people.get(person_id)
        return person.display if person is not None else person_id


def _body(facts: Facts) -> tuple[str, ...]:
    """The lines after DTSTART and DTEND, unfolded: made from ``facts`` alone."""
    lines = (
        _text_line("SUMMARY", f"On call: {facts.schedule_name} — {facts.person_name}"),
        _text_line("DESCRIPTION", _description(facts)),
        _text_line("CATEGORIES", "On call"),
        "TRANSP:TRANSPARENT",
        _text_line("X-ONCALL-SCHEDULE", facts.schedule),
        _text_line("X-ONCALL-PERSON", facts.person),
        _text_line("X-ONCALL-REASON", facts.reasons) if facts.reasons else "",
    )
    return tuple(line for line in lines if line)


def _description(facts: Facts) -> str:
    # No instants here: DTSTART/DTEND carry them and clients show them in the reader's zone.
    parts = [f"{facts.person_name} is on call for {facts.schedule_name}."]
    if facts.before_name is not None:
        parts.append(f"Handoff: takes over from {facts.before_name}.")
    elif facts.starts_known:
        parts.append("Handoff: nobody is on call just before this shift.")
    if facts.after_name is not None:
        parts.append(f"Hands over to {facts.after_name} at the end.")
    elif facts.ends_known:
        parts.append("Nobody is on call just after this shift.")
    if facts.why:
        parts.append(f"Why: {facts.why}.")
    if facts.checklist:
        parts.append(f"Before the shift run: oncall ready --checklist {facts.checklist}")
    parts.append(f"Schedule: {facts.schedule}")
    return "\n".join(parts)


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


def _revision_text(sequence: int, stamp: int, cancelled: bool) -> str:
    """An event's DTSTAMP, SEQUENCE and STATUS lines."""
    return f"DTSTAMP:{_utc(stamp)}\r\nSEQUENCE:{sequence}\r\nSTATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}\r\n"


def _event_bytes(uid: str, revision_text: str, start: int, end: int, folded: bytes) -> bytes:
    """One VEVENT: its head (``_head``), then the rest of its lines (``folded``, encoded once for
    every event that shares them) and its end."""
    return _head(uid, revision_text, _utc(start), _utc(end)) + folded + _EVENT_END


def _head(uid: str, revision_text: str, start_text: str, end_text: str) -> bytes:
    """A VEVENT's first lines: BEGIN, its UID, revision lines and times."""
    return f"BEGIN:VEVENT\r\n{_fold(f'UID:{uid}')}{revision_text}DTSTART:{start_text}\r\nDTEND:{end_text}\r\n".encode()


_EVENT_END = b"END:VEVENT\r\n"


def _folded(lines: Iterable[str]) -> bytes:
    return "".join(map(_fold, lines)).encode("utf-8")


_FOOTER = b"END:VCALENDAR\r\n"


def _header(name: str, description: str | None, fingerprint: str | None = None) -> bytes:
    # Written like the events, with TEXT escaping (NAME and X-WR-CALNAME are TEXT, so a comma in a
    # name is escaped). No Calendar.new(): it would add a random UID and "now".
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"{FINGERPRINT}:{fingerprint}" if fingerprint else "",  # before NAME, which may be long
        _text_line("NAME", name),
        _text_line("X-WR-CALNAME", name),
        _text_line("X-WR-CALDESC", description) if description else "",
        f"REFRESH-INTERVAL;VALUE=DURATION:{REFRESH}",
        f"X-PUBLISHED-TTL:{REFRESH}",
    ]
    return "".join(_fold(line) for line in lines if line).encode("utf-8")


@lru_cache(maxsize=1 << 14)
def _text_line(prop: str, value: str) -> str:
    # Cached: the same summaries, ids and reasons recur in thousands of events' lines.
    return f"{prop}:{_escape_text(value)}"


def _escape_text(value: str) -> str:
    """A TEXT value escaped (RFC 5545, 3.3.11) exactly as icalendar escapes it, step for step:
    backslash, semicolon and comma get a backslash and every line break is written ``\\n`` (a
    ``\\N`` already written counts as a line break)."""
    return (value.replace("\\N", "\n").replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


_FOLD_OCTETS = 74  # bytes of content per physical line; a continuation line adds its leading space


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


@lru_cache(maxsize=1 << 16)
def _utc(seconds: int) -> str:
    # Cached: a year of a large org has a few thousand handoff instants for hundreds of
    # thousands of events, and formatting each again was a third of an export's time.
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y%m%dT%H%M%SZ")


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


@lru_cache(maxsize=1 << 16)
def _parse_utc(value: str) -> int:
    # What _utc writes, and nothing else. Not strptime: reading a large folder of feeds parses
    # hundreds of thousands of times (mostly the same handoffs), and strptime was half of it.
    if len(value) != 16 or value[8] != "T" or value[15] != "Z" or not (value[:8] + value[9:15]).isdigit():
        raise ValueError(f"not a UTC time: {value!r}")
    return int(datetime.fromisoformat(value).timestamp())
