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

``team_results`` is the one way results are fetched: the results the team shares (``readiness:``
in oncall.yaml), else those saved on this machine. ``team_board`` is the whole board as commands
show it (``oncall ready status``, the site's Readiness page): it picks the shifts, fetches their
results and assesses each shift. ``person_view`` turns fetched results into what they say about
one person, item by item (``oncall ready --person OTHER``, read-only); ``notify run`` turns them
into the readiness its messages show (``oncall.notify.readiness``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import tzinfo

from oncall.errors import ConfigErrors
from oncall.model import Checklist, ChecklistItem, Org, Shift
from oncall.readiness.checks import ago
from oncall.readiness.results import PASS, SKIP, CheckResult
from oncall.readiness.share import Pair, SharedResult, Store, checklist_blob
from oncall.times import DAY, Duration, TimeValueError, iso, parse_duration

READY = "ready"
NOT_READY = "not-ready"
STALE = "stale"
UNCHECKED = "unchecked"
NO_CHECKLIST = "no-checklist"
STATUSES = (READY, NOT_READY, STALE, UNCHECKED, NO_CHECKLIST)
PASSING = (READY, NO_CHECKLIST)  # statuses that do not fail the board

NOT_SHARED = ("oncall.yaml does not share readiness results (readiness: {share: git}), so this shows only the "
              "results saved on this machine")
DEFAULT_MAX_AGE = 7 * 86400
DEFAULT_WITHIN = 7 * DAY  # the board's look-ahead unless asked for another (`ready status --within`)


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


# -- the team's board, as commands show it ------------------------------------------------------


@dataclass(frozen=True)
class TeamResults:
    """The results the board reads, by (person, checklist), and where they came from."""

    results: dict[Pair, SharedResult]
    shared: bool  # True: the team's shared results; False: only those saved on this machine
    origin: str  # where they were read, in words ("git remote origin", "this machine")
    warnings: tuple[str, ...] = ()  # a failed fetch, results not shared: for people to read


@dataclass(frozen=True)
class TeamBoard:
    """The board of every shift under way or starting within the window, and how it was read."""

    entries: list[Entry]
    shared: bool
    origin: str
    warnings: tuple[str, ...] = ()

    @property
    def ready(self) -> bool:
        return all_ready(self.entries)


def team_store(org: Org) -> Store | None:
    """Where the team shares readiness results (``readiness:`` in oncall.yaml), None when it does
    not; a mistake in that section is a ``ConfigErrors`` (nothing is read or shared through it)."""
    from oncall.readiness.share import store_for

    settings = org.settings.readiness
    errors = [p for p in settings.problems if p.severity == "error"]
    if errors:
        raise ConfigErrors(errors)
    return store_for(settings, org.root)


def shares_results(org: Org) -> bool:
    """Whether oncall.yaml shares readiness results with the team (``ConfigErrors`` as ``team_store``)."""
    return team_store(org) is not None


def team_results(org: Org, pairs: Iterable[Pair], *, lenient: bool = False) -> TeamResults:
    """The latest result of each (person, checklist) in ``pairs``: fetched now from where the team
    shares them (a failed fetch is a warning, and the results fetched before are read), else the
    results saved on this machine (``shared`` False).

    A mistake in oncall.yaml's ``readiness:`` section is a ``ConfigErrors``; with ``lenient`` it
    is a warning instead and the results saved on this machine are read (``notify run`` goes on
    with its other messages)."""
    wanted_pairs = set(pairs)
    try:
        store = team_store(org)
    except ConfigErrors as exc:
        if not lenient:
            raise
        return TeamResults(_saved_here(org, wanted_pairs), False, "this machine", tuple(
            f"{p} (read instead: the readiness results saved on this machine)" for p in exc.problems))
    if store is None:
        return TeamResults(_saved_here(org, wanted_pairs), False, "this machine")
    warning = store.fetch({person for person, _ in wanted_pairs})
    return TeamResults(store.read(wanted_pairs), True, _origin(org), (warning,) if warning else ())


def team_board(org: Org, now: int, within: int = DEFAULT_WITHIN, schedules: Iterable[str] | None = None) -> TeamBoard:
    """The team's board at ``now``: every shift under way or starting within ``within`` seconds
    (of ``schedules``, default all), each with its person's readiness from ``team_results``; a
    board read from this machine alone warns that it is."""
    shifts = shifts_on_board(org, now, within, schedules)  # first: an unknown schedule stops before any fetch
    pairs = wanted(org, shifts)
    found = team_results(org, pairs)
    blobs = {cid: checklist_blob(org.checklists[cid]) for _, cid in pairs}
    warnings = found.warnings if found.shared else (*found.warnings, NOT_SHARED)
    return TeamBoard(board(org, shifts, found.results, blobs, now), found.shared, found.origin, warnings)


def _origin(org: Org) -> str:
    settings = org.settings.readiness
    if settings.share == "dir":
        return f"the shared folder {settings.folder}"
    return f"git remote {settings.remote}"


def _saved_here(org: Org, pairs: set[Pair]) -> dict[Pair, SharedResult]:
    """The results saved on this machine, as shared results (the checklist they ran against is
    unknown, so a changed checklist is not noticed)."""
    from oncall.readiness.results import load_attestations, load_results, with_results
    from oncall.readiness.share import build

    saved_by = with_results({pid for pid, _ in pairs})
    by_person: dict[str, list[Checklist]] = {}
    for pid, cid in sorted(pairs):
        if cid in org.checklists and pid in saved_by:
            by_person.setdefault(pid, []).append(org.checklists[cid])
    out: dict[Pair, SharedResult] = {}
    for pid, checklists in by_person.items():
        saved = load_results(pid)
        if saved is None:
            continue
        for result in build(saved, checklists, load_attestations(pid), blobs={}, tool_version="", host=""):
            out[(pid, result.checklist)] = result
    return out


# -- what the team's results say about one person -----------------------------------------------


@dataclass(frozen=True)
class SharedSource:
    """Where a person's view of one checklist comes from: their latest shared result of it."""

    checklist: str
    checked_at: int | None  # when the checks finished; None: no result to show
    host: str = ""  # the machine that ran them
    tool_version: str = ""
    changed: bool = False  # the checklist file changed since (its items may differ from the result's)


def person_view(person: str, checklists: Sequence[Checklist], results: Mapping[Pair, SharedResult]
                ) -> tuple[list[CheckResult], list[SharedSource]]:
    """Each item of ``checklists`` as ``person``'s latest result in ``results`` has it (status and
    message as shared; title, fix and playbook as the checklist says now), and where each
    checklist's result came from. Nothing runs and nothing is recorded."""
    from oncall.readiness.checks import Outcome
    from oncall.readiness.runner import fix_for

    out: list[CheckResult] = []
    sources: list[SharedSource] = []
    for checklist in checklists:
        result = results.get((person, checklist.id))
        if result is None:
            sources.append(SharedSource(checklist.id, None))
            found = {}
        else:
            blob = checklist_blob(checklist)
            changed = blob is not None and result.checklist_blob is not None and blob != result.checklist_blob
            sources.append(SharedSource(checklist.id, result.checked_at, result.host, result.tool_version, changed))
            found = {i.id: i for i in result.items}
        for item in checklist.items:
            shared = found.get(item.id)
            if shared is None:
                status, message, duration = SKIP, (
                    "no shared result" if result is None else
                    f"not in {person}'s shared result (added to the checklist since)"), 0.0
            else:
                status, message, duration = shared.status, shared.message, shared.duration
            out.append(CheckResult(
                checklist=checklist.id, item=item.id, title=item.title, kind=item.kind, status=status,
                message=message, fix=fix_for(item, Outcome(status, message)), playbook=item.playbook,
                at=result.checked_at if result else 0, duration=duration,
                last_passed=result.checked_at if result and status == PASS else None,
            ))
    return out, sources
