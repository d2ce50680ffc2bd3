"""What every importer produces: schedules as rotations, the people they name, what the service
rendered, and the list of things that could not be written exactly.

Instants are epoch seconds. A rotation's turn ``k`` starts at ``anchor + k·every`` (on the wall
clock of its zone for days and weeks, as elapsed time for hours) and belongs to
``members[(k + offset) % len(members)]``; it covers only ``[begin, end)`` and, with windows, only
their union — the same rules as a schedule file's layer, so a rotation becomes one layer (or two
when coverage begins in the middle of a turn).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from oncall.model import Window
from oncall.times import Duration, TimeValueError, zone

DAY_MINUTES = 1440
WEEK_MINUTES = 7 * DAY_MINUTES


@dataclass(frozen=True)
class Origin:
    """Where a piece came from: the service, the kind of object, its id and its name."""

    service: str
    kind: str
    id: str | None = None
    name: str | None = None

    def __str__(self) -> str:
        parts = [self.service, self.kind]
        if self.id:
            parts.append(self.id)
        if self.name and self.name != self.id:
            parts.append(f'"{_one_line(self.name)}"')
        return " ".join(parts)


@dataclass(frozen=True)
class Inexact:
    """Something the service says that the schedule files cannot say exactly."""

    origin: Origin
    what: str
    written: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.what}; written instead: {self.written}"


@dataclass
class SourcePerson:
    """A user of the service (``key`` is the service's user id)."""

    key: str
    name: str
    origin: Origin
    email: str | None = None
    timezone: str | None = None
    placeholder: str | None = None  # why this "person" stands for something else (a team, nobody)


@dataclass
class Rotation:
    """One rotation as the service defines it (see the module docstring)."""

    origin: Origin
    name: str
    members: list[str]  # person keys, in rotation order; may repeat
    anchor: int
    every: Duration
    begin: int
    end: int | None = None
    windows: tuple[Window, ...] = ()
    timezone: str = "UTC"  # the zone turns and windows are read in
    offset: int = 0
    advance: str = "always"
    level: int = 0  # precedence group (Grafana's level); same-level overlaps are reported
    notes: list[str] = field(default_factory=list)  # comments for the written layer


@dataclass
class SourceOverride:
    person: str  # person key
    start: int
    end: int
    origin: Origin


@dataclass(frozen=True)
class RenderedEntry:
    """Who the service itself says is on call in ``[start, end)`` (``person`` is a person key)."""

    start: int
    end: int
    person: str


@dataclass
class SourceSchedule:
    origin: Origin
    name: str
    timezone: str
    rotations: list[Rotation]  # lowest precedence first
    overrides: list[SourceOverride] = field(default_factory=list)
    rendered: list[RenderedEntry] | None = None  # for --check
    # Who the service puts on call where rotations overlap: "precedence" (only the higher one),
    # "level" (everyone of the highest level among them), "everyone" (all of them).
    together: str = "precedence"
    notes: list[str] = field(default_factory=list)


@dataclass
class Export:
    """Everything read from one service's export."""

    service: str
    command: str  # the `oncall import` subcommand that reads it
    schedules: list[SourceSchedule]
    people: dict[str, SourcePerson]
    inexact: list[Inexact] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def person_zone(self, person: SourcePerson, name: str) -> str | None:
        """``name`` when it is an IANA zone; else None, with a note (a person's zone is optional)."""
        try:
            zone(name)
        except TimeValueError:
            self.notes.append(f"{person.origin}: time zone {name!r} is not an IANA name; left out")
            return None
        return name


def windows_from_spans(spans: list[tuple[int, int]]) -> tuple[Window, ...] | None:
    """Daily windows whose union is exactly the union of ``spans``.

    Each span is ``(start, length)`` in minutes, ``start`` counted from Monday 00:00 and wrapping at
    the end of the week. A span longer than a day becomes one 24-hour window per day (``09:00`` to
    ``09:00``) and the remainder, so a weekly restriction of five days reads as five daily windows.
    Windows with the same times are written as one line with several days. ``None`` when the union
    is the whole week (no restriction at all).
    """
    pieces: list[tuple[int, int]] = []
    for start, length in spans:
        if length <= 0:
            continue
        if length >= WEEK_MINUTES:
            return None
        start %= WEEK_MINUTES
        end = start + length
        pieces.append((start, min(end, WEEK_MINUTES)))
        if end > WEEK_MINUTES:
            pieces.append((0, end - WEEK_MINUTES))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(pieces):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    if not merged:
        return ()
    if merged[0] == (0, WEEK_MINUTES):
        return None
    if len(merged) > 1 and merged[0][0] == 0 and merged[-1][1] == WEEK_MINUTES:  # joins across Sunday night
        first = merged.pop(0)
        merged[-1] = (merged[-1][0], WEEK_MINUTES + first[1])
    by_times: dict[tuple[int, int], set[int]] = {}
    for start, end in merged:
        day, minute = divmod(start, DAY_MINUTES)
        full, rest = divmod(end - start, DAY_MINUTES)
        for i in range(full):
            closes = DAY_MINUTES if minute == 0 else minute
            by_times.setdefault((minute, closes), set()).add((day + i) % 7)
        if rest:
            closes = minute + rest
            closes = closes if closes <= DAY_MINUTES else closes - DAY_MINUTES
            by_times.setdefault((minute, closes), set()).add((day + full) % 7)
    windows = [Window(days=frozenset(days), start=opens, end=closes) for (opens, closes), days in by_times.items()]
    return tuple(sorted(windows, key=lambda w: (min(w.days), w.start, w.end)))


def _one_line(text: str) -> str:
    return " ".join(text.split())
