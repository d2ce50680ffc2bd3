"""What the site's Readiness page shows, and the one interface through which it gets it.

``build_site(readiness=...)`` takes a ``Board``: a list of entries, one per upcoming shift, each
with the attributes of ``ReadinessEntry`` below (the readiness board's ``Entry`` from
``oncall.readiness.board`` is one, and ``entries_from_json`` reads the board's JSON, as
``oncall ready status --format json`` prints it, into ``ReadinessRow``s), with where they came
from and what went wrong fetching them. With no board (``None``) the page says that no shared
readiness results are available. The fields are described in ``docs/guides/site.md``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple, Protocol

from oncall.model import Checklist
from oncall.readiness.board import NO_CHECKLIST, NOT_READY, READY, STALE, UNCHECKED


class ReadinessEntry(Protocol):
    """An upcoming shift and whether its person is ready for it."""

    @property
    def schedule(self) -> str: ...  # schedule id
    @property
    def person(self) -> str: ...  # person id
    @property
    def start(self) -> int: ...  # the shift, in epoch seconds
    @property
    def end(self) -> int: ...
    @property
    def checklist(self) -> str | None: ...  # the schedule's checklist id, if any
    @property
    def status(self) -> str: ...  # ready, not-ready, stale, unchecked or no-checklist
    @property
    def checked_at(self) -> int | None: ...  # when the person last shared a result; None: never
    @property
    def failing(self) -> tuple[str, ...]: ...  # ids of the checklist items that failed
    @property
    def why(self) -> str: ...  # one line for people: why this status


@dataclass(frozen=True)
class Board:
    """The Readiness page's board: its entries and where they came from."""

    entries: Sequence[ReadinessEntry]
    origin: str  # in words: "the team's shared results (git remote origin)", "board.json"
    within: int | None = None  # the look-ahead in seconds, when the board was assembled at build time
    warnings: Sequence[str] = ()  # what went wrong getting it (a failed fetch): shown on the page


class ReadinessRow(NamedTuple):
    """A ``ReadinessEntry`` read from JSON."""

    schedule: str
    person: str
    start: int
    end: int
    checklist: str | None
    status: str
    checked_at: int | None
    failing: tuple[str, ...]
    why: str


def entries_from_json(data: Any) -> list[ReadinessRow]:
    """The board's JSON (a list of objects with the fields above, times ISO 8601 with an offset)
    as rows; raises ``ValueError`` naming the entry and the field that is wrong."""
    if not isinstance(data, list):
        raise ValueError("expected a JSON list of shifts, as `oncall ready status --format json` prints")
    rows = []
    for number, item in enumerate(data, 1):
        try:
            rows.append(_row(item))
        except KeyError as exc:
            raise ValueError(f"shift {number}: {exc.args[0]} is missing") from None
        except (TypeError, ValueError) as exc:
            raise ValueError(f"shift {number}: {exc}") from None
    return rows


def _row(item: Any) -> ReadinessRow:
    if not isinstance(item, dict):
        raise TypeError("expected an object with schedule, person, start, end, status ...")

    def text(key: str) -> str:
        value = item[key]
        if not isinstance(value, str) or not value:
            raise ValueError(f"{key}: expected text, got {value!r}")
        return value

    def instant(key: str) -> int | None:
        value = item.get(key)
        if value is None and key == "checked_at":
            return None
        parsed = datetime.fromisoformat(text(key))
        if parsed.tzinfo is None:
            raise ValueError(f"{key}: {value!r} has no UTC offset; write it like 2026-12-07T09:00:00-05:00")
        return int(parsed.timestamp())

    schedule, person = text("schedule"), text("person")
    start, end = instant("start"), instant("end")
    assert start is not None and end is not None  # instant() returns None only for checked_at
    status = text("status")
    if status not in STATUS:
        raise ValueError(f"status: {status!r} is not one of {', '.join(STATUS)}")
    failing = item.get("failing") or []
    if not isinstance(failing, list) or not all(isinstance(f, str) for f in failing):
        raise ValueError(f"failing: expected a list of item ids, got {failing!r}")
    checklist = item.get("checklist")
    return ReadinessRow(schedule, person, start, end, checklist if isinstance(checklist, str) else None, status,
                        instant("checked_at"), tuple(failing), str(item.get("why") or ""))


class Status(NamedTuple):
    """How a status reads: a CSS class (colour is never the only sign) and a word."""

    css: str
    label: str


STATUS = {
    READY: Status("ok", "Ready"),
    NOT_READY: Status("bad", "Not ready"),
    STALE: Status("bad", "Stale"),
    UNCHECKED: Status("bad", "Not checked"),
    NO_CHECKLIST: Status("unknown", "No checklist"),
}


class Fix(NamedTuple):
    """A failing item as people read it: its title and how to fix it (when the checklist says)."""

    id: str
    title: str
    fix: str | None


def fixes(entry: ReadinessEntry, checklists: Mapping[str, Checklist]) -> list[Fix]:
    """The failing items of ``entry`` with the titles and fixes its checklist gives them."""
    checklist = checklists.get(entry.checklist) if entry.checklist else None
    items = {item.id: item for item in checklist.items} if checklist else {}
    found = []
    for item_id in entry.failing:
        item = items.get(item_id)
        found.append(Fix(item_id, item.title if item else item_id, item.fix if item else None))
    return found


def upcoming(entries: Sequence[ReadinessEntry] | None) -> list[ReadinessEntry]:
    """The entries in the page's order: by shift start, then schedule, then person."""
    return sorted(entries or (), key=lambda e: (e.start, e.schedule, e.person))
