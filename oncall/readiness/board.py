"""The readiness board: every shift under way or starting soon, with its person's readiness for it.

Pure: the shifts, the shared results and the checklists' blob ids are arguments; so is ``now``.

A shift's status, from the latest shared result of its person for its schedule's checklist:

* ``no-checklist`` — the schedule names no checklist (never fails the board);
* ``unchecked`` — there is no result for that checklist;
* ``stale`` — the checklist file changed since the check (its git blob id differs);
* ``not-ready`` — the result has failing items (``failing`` lists them);
* ``stale`` — the result is older than the checklist's ``max_age`` (default 7d) at the shift's
  start, or a confirmation will have expired (its item's ``valid_for``) by then;
* ``ready`` — none of the above.

The checks are made in that order, so the first reason that applies is the one shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import tzinfo

from oncall.model import Checklist, ChecklistItem, Org, Shift
from oncall.readiness.checks import ago
from oncall.readiness.share import Pair, SharedResult
from oncall.times import Duration, TimeValueError, iso, parse_duration

READY = "ready"
NOT_READY = "not-ready"
STALE = "stale"
UNCHECKED = "unchecked"
NO_CHECKLIST = "no-checklist"
STATUSES = (READY, NOT_READY, STALE, UNCHECKED, NO_CHECKLIST)
PASSING = (READY, NO_CHECKLIST)  # statuses that do not fail the board

DEFAULT_MAX_AGE = 7 * 86400


@dataclass(frozen=True)
class Entry:
    """One shift on the board."""

    schedule: str
    person: str
    start: int
    end: int
    checklist: str | None
    status: str  # one of STATUSES
    checked_at: int | None
    failing: tuple[str, ...]
    why: str

    def to_json(self, tz: tzinfo) -> dict[str, object]:
        return {
            "schedule": self.schedule,
            "person": self.person,
            "start": iso(self.start, tz),
            "end": iso(self.end, tz),
            "checklist": self.checklist,
            "status": self.status,
            "checked_at": iso(self.checked_at, tz) if self.checked_at is not None else None,
            "failing": list(self.failing),
            "why": self.why,
        }


def shifts_on_board(org: Org, now: int, within: int, schedules: Iterable[str] | None = None) -> list[Shift]:
    """Every shift under way at ``now`` or starting before ``now + within``, whole (not clipped to
    the window where the engine can tell), sorted by start then schedule."""
    from oncall.engine import generate, select_schedules, who_at

    selected = select_schedules(org, schedules)
    out: list[Shift] = []
    for schedule in selected:
        current = who_at(org, schedule, now)
        if current.shift is not None:
            out.append(current.shift)
    # Generate a turn past the window so the last shifts keep their real ends.
    pad = max((layer.every.seconds for s in selected for layer in s.layers), default=0) + 86400
    timeline = generate(org, now, now + within + pad, [s.id for s in selected])
    out.extend(s for s in timeline.shifts if now < s.start < now + within)
    out.sort(key=lambda s: (s.start, s.schedule))
    return out


def wanted(org: Org, shifts: Sequence[Shift]) -> set[Pair]:
    """The (person, checklist) results the board needs for ``shifts``."""
    return {(s.person, cid) for s in shifts if (cid := org.schedules[s.schedule].checklist)}


def board(org: Org, shifts: Sequence[Shift], results: Mapping[Pair, SharedResult],
          blobs: Mapping[str, str | None], now: int) -> list[Entry]:
    """The board for ``shifts``: ``results`` by (person, checklist), ``blobs`` the blob id of each
    checklist file as it is now."""
    out = []
    for shift in shifts:
        cid = org.schedules[shift.schedule].checklist
        checklist = org.checklists.get(cid) if cid else None
        result = results.get((shift.person, cid)) if cid else None
        out.append(assess(shift, cid, checklist, result, blobs.get(cid) if cid else None, now))
    return out


def assess(shift: Shift, cid: str | None, checklist: Checklist | None, result: SharedResult | None,
           blob: str | None, now: int) -> Entry:
    """One shift's entry (see the module docstring for the rules)."""

    def entry(status: str, why: str, failing: tuple[str, ...] = ()) -> Entry:
        return Entry(shift.schedule, shift.person, shift.start, shift.end, cid, status,
                     result.checked_at if result else None, failing, why)

    if cid is None or checklist is None:
        return entry(NO_CHECKLIST, "the schedule names no checklist")
    if result is None:
        return entry(UNCHECKED, f"no shared result for checklist {cid}; "
                                f"{shift.person} runs `oncall ready --check-access`")
    checked = f"checked {ago(now - result.checked_at)} ago"
    if blob is not None and result.checklist_blob is not None and blob != result.checklist_blob:
        return entry(STALE, f"checklist {cid} changed since it was {checked}")
    if result.failing:
        return entry(NOT_READY, f"failing: {', '.join(result.failing)} ({checked})", result.failing)
    max_age = checklist.max_age.seconds if checklist.max_age else DEFAULT_MAX_AGE
    if shift.start - result.checked_at > max_age:
        limit = str(checklist.max_age) if checklist.max_age else "7d"
        return entry(STALE, f"{checked}: older than max_age {limit} at the shift's start")
    confirmed = {c.item: c.at for c in result.confirmations}
    for item in checklist.items:
        valid_for = _valid_for(item)
        at = confirmed.get(item.id)
        if valid_for is not None and at is not None and at + valid_for.seconds < shift.start:
            return entry(STALE, f"the confirmation of {item.id} expires before the shift starts "
                                f"(valid_for {valid_for}, confirmed {ago(now - at)} ago)")
    return entry(READY, f"{checked}; every item passed")


def _valid_for(item: ChecklistItem) -> Duration | None:
    if item.kind != "confirm":
        return None
    if item.valid_for is not None:
        return item.valid_for
    try:
        raw = item.check.get("valid_for")
        return parse_duration(raw) if raw is not None else None
    except TimeValueError:
        return None


def all_ready(entries: Sequence[Entry]) -> bool:
    """True when every shift is ``ready`` (or has no checklist): the board's exit 0."""
    return all(e.status in PASSING for e in entries)
