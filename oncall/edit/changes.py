"""Overrides, time off and swaps, written into the YAML files.

Times given without an offset are written exactly as typed and so are read in the file's own
timezone: the schedule's for an override, the person's for time off. An edit is checked by
loading the whole config as it would be; only then is the file replaced, atomically.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path

from oncall.edit.diff import ShiftDiff, diff
from oncall.edit.files import check_edit
from oncall.edit.yamltext import Item, append_items
from oncall.engine import generate, select_schedules
from oncall.errors import EXIT_NO, OncallError, UsageError
from oncall.fsutil import LockTimeout, exclusive, write_atomic
from oncall.model import Org, Schedule
from oncall.times import ParsedTime, instant_text

EDIT_WAIT = 10.0  # seconds an edit waits for another one on the same file


@dataclass(frozen=True)
class TimeArg:
    """A time given for an edit, kept as given for the file and resolved for checks.

    ``argument`` names it in errors (``start``, ``end``)."""

    argument: str
    parsed: ParsedTime

    @property
    def text(self) -> str:
        """The value written to YAML: the same reading, in the canonical form of docs/formats.md."""
        return self.parsed.text


@dataclass(frozen=True)
class EditResult:
    """An edit checked (and written unless it was a dry run), with the orgs either side of it."""

    path: Path
    text: str  # the file's new content
    before: Org
    after: Org
    start: int  # the window in which shifts can change
    end: int
    schedules: tuple[str, ...] | None  # the schedules that can change; None for all
    old_text: str = ""  # the file's content before the edit

    def changes(self) -> ShiftDiff:
        """The shifts that change, before and after, within the edited window."""
        return diff(self.before, self.after, self.start, self.end, self.schedules)


def add_override(org: Org, schedule_id: str, person_id: str, start: TimeArg, end: TimeArg,
                 replaces: str | None = None, reason: str | None = None, *, write: bool = True) -> EditResult:
    """Append an override to ``schedules/<id>.yaml``; its times are in the schedule's zone."""
    schedule = find_schedule(org, schedule_id)
    org.person(person_id, "person")
    if replaces is not None:
        org.person(replaces, "replaces")
    lo, hi = _window(start, end, schedule.tz)
    item: list[tuple[str, str]] = [("person", person_id), ("from", start.text), ("to", end.text)]
    if replaces is not None:
        item.append(("replaces", replaces))
    if reason:
        item.append(("reason", reason))
    return _apply(org, schedule_file(org, schedule), ("overrides",), [item], lo, hi, (schedule.id,), write)


def add_time_off(org: Org, person_id: str, start: TimeArg, end: TimeArg, reason: str | None = None,
                 *, write: bool = True) -> EditResult:
    """Append time off to the person in ``schedules/people.yaml``, in the person's zone."""
    person = org.person(person_id, "person")
    lo, hi = _window(start, end, person.tz)
    path = org.root / "schedules" / "people.yaml"
    item = [("from", start.text), ("to", end.text)] + ([("reason", reason)] if reason else [])
    return _apply(org, path, ("people", person.id, "time_off"), [item], lo, hi, None, write)


def plan_swap(org: Org, schedule_id: str, first: str, second: str, start: int, end: int,
              reason: str | None = None) -> list[Item]:
    """The overrides a swap needs: within ``[start, end)`` ``first`` takes every interval
    ``second`` is on call for in the schedule and ``second`` takes every one of ``first``'s.
    Returned as override items sorted by start, with ``replaces`` recorded."""
    schedule = find_schedule(org, schedule_id)
    for argument, person_id in (("first", first), ("second", second)):
        org.person(person_id, argument)
    if first == second:
        raise UsageError(f"swap needs two different people; both are {first!r}")
    shifts = [s for s in generate(org, start, end, schedules=[schedule.id]).shifts if s.person in (first, second)]
    for person_id in (first, second):
        if not any(s.person == person_id for s in shifts):
            raise UsageError(
                f"{person_id} has no shifts on {schedule.id} in the swap window; widen the window to "
                f"include a shift of theirs, or add an override to hand over one way"
            )
    tz = schedule.tz
    items: list[Item] = []
    for shift in shifts:
        taker = first if shift.person == second else second
        item = [("person", taker), ("from", instant_text(shift.start, tz)), ("to", instant_text(shift.end, tz)),
                ("replaces", shift.person)]
        items.append(item + ([("reason", reason)] if reason else []))
    return items


def swap(org: Org, schedule_id: str, first: str, second: str, start: TimeArg, end: TimeArg,
         reason: str | None = None, *, write: bool = True) -> EditResult:
    """Write the overrides of ``plan_swap`` into the schedule's file."""
    schedule = find_schedule(org, schedule_id)
    lo, hi = _window(start, end, schedule.tz)
    items = plan_swap(org, schedule_id, first, second, lo, hi, reason)
    return _apply(org, schedule_file(org, schedule), ("overrides",), items, lo, hi, (schedule.id,), write)


class EditConflict(OncallError):
    """Another edit holds the file, or it changed under this one: nothing was written."""

    exit_code = EXIT_NO


def _apply(org: Org, path: Path, key_path: Sequence[str], items: Sequence[Item], start: int, end: int,
           schedules: tuple[str, ...] | None, write: bool) -> EditResult:
    return rewrite(org, path, lambda old: append_items(old, key_path, items, file=str(path)), start, end,
                   schedules, write)


def rewrite(org: Org, path: Path, edit: Callable[[str], str], start: int, end: int,
            schedules: tuple[str, ...] | None, write: bool,
            verify: Callable[[Org], None] | None = None) -> EditResult:
    """Replace ``path``'s text with ``edit(text)`` once the whole config loads with it (and
    ``verify`` accepts the org it makes); shifts change within ``[start, end)`` of ``schedules``
    (None: any)."""
    # Read, check and replace under an exclusive lock on the file, so two edits at once both land
    # (the second reads the first's result); and replace only what was read (compare-and-swap),
    # so an edit made some other way meanwhile is never overwritten.
    with ExitStack() as stack:
        if write:
            try:
                stack.enter_context(exclusive(path, wait=EDIT_WAIT))
            except LockTimeout:
                raise EditConflict(f"{path}: another oncall command has been editing it for {EDIT_WAIT:g}s; "
                                   "nothing was written; try again") from None
            except OSError as exc:
                raise UsageError(f"{path}: cannot read it ({exc.strerror})") from None
        try:
            old = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"{path}: cannot read it ({exc.strerror})") from None
        new = edit(old)
        after = check_edit(org.root, {path: new})
        if verify is not None:
            verify(after)
        if write:
            if path.read_text(encoding="utf-8") != old:
                raise EditConflict(f"{path} changed while this edit was being checked; nothing was written; "
                                   "run the command again")
            write_atomic(path, new)
    return EditResult(path, new, org, after, start, end, schedules, old)


def _window(start: TimeArg, end: TimeArg, tz: tzinfo) -> tuple[int, int]:
    lo, hi = start.parsed.instant(tz), end.parsed.end_instant(tz)
    if hi <= lo:
        raise UsageError(f"{end.text} is not after the start {start.text}; write an end later than the start",
                         argument=end.argument)
    return lo, hi


def find_schedule(org: Org, schedule_id: str) -> Schedule:
    """The schedule ``schedule_id``; ``NotFound`` (of ``--schedule``, listing the known ones) when
    there is none."""
    return select_schedules(org, [schedule_id], argument="schedule")[0]


def schedule_file(org: Org, schedule: Schedule) -> Path:
    """The file ``schedule`` was read from: the one an edit of it rewrites."""
    return schedule.path if schedule.path is not None else org.root / "schedules" / f"{schedule.id}.yaml"
