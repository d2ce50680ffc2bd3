"""What the site's Readiness page shows, and the one interface through which it gets it.

``build_site(readiness=...)`` takes a list of entries, one per upcoming shift, each with the
attributes of ``ReadinessEntry`` below — the readiness board's ``Entry``
(``oncall.readiness.board``) is one. With none (``None`` or an empty list) the page says that no
shared readiness results are available. The fields are described in ``docs/guides/site.md``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple, Protocol

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
