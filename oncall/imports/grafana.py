"""Grafana OnCall schedules (``GET /api/v1/schedules/``) and their shifts
(``GET /api/v1/on_call_shifts/``), read as rotations.

How Grafana OnCall renders a shift, and how it is read here:

* ``start`` (and ``rotation_start``, from which turns are created) is a wall-clock time in the
  shift's ``time_zone`` (else the schedule's, else UTC); each event lasts ``duration`` seconds on
  that wall clock. ``until`` is compared as a UTC time: no event starts after it.
* ``rolling_users`` hands each recurrence period (``interval`` × ``frequency``) to the next group:
  a turn of ``interval`` days, weeks or hours starting at ``start``, covering the event(s) of that
  period. ``start_rotation_from_user_index`` picks the group of the first turn (``offset``).
  With ``by_day`` a weekly period is a week (from ``week_start``) holding an event on each chosen
  day; a daily rotation with ``by_day`` gives each group ``interval`` chosen days in turn (days not
  chosen are not counted: ``advance: covered``). A start on a day not chosen moves to the first
  chosen day of the week, in ``week_start`` order, as Grafana does.
* Groups of several people are on call together: a schedule file has one person at a time, so
  such a group is reported and its first person written.
* ``recurrent_event`` puts its users on call at each occurrence; ``single_event`` once.
* ``level``: the higher level wins; shifts of the same level that overlap put everyone on call,
  which is reported. Shifts of type ``override`` become overrides.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from oncall.imports.exports import Node
from oncall.imports.model import (
    DAY_MINUTES,
    Export,
    Inexact,
    Origin,
    RenderedEntry,
    Rotation,
    SourceOverride,
    SourcePerson,
    SourceSchedule,
    windows_from_spans,
)
from oncall.model import WEEKDAYS, Window
from oncall.times import DAY, Duration, wall_to_epoch, zone

SERVICE = "Grafana OnCall"
_ICAL_DAYS = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}
_UNITS = {"hourly": "h", "daily": "d", "weekly": "w"}


def read(schedules: Node, shifts: Node | None = None, users: Node | None = None,
         final_shifts: dict[str | None, Node] | None = None) -> Export:
    """The schedules in ``schedules`` with their ``shifts``; ``users`` (``GET /api/v1/users/``)
    names people; ``final_shifts`` maps a schedule id (or None for the only schedule) to its
    ``/schedules/{id}/final_shifts`` export, for ``--check``."""
    export = Export(SERVICE, "grafana", [], {})
    shift_nodes = list(_results(shifts)) if shifts is not None else []
    schedule_nodes = list(_results(schedules))
    if users is not None:
        for user in _results(users):
            _user(export, user.req("id").text(), user.get("username"), user.get("email"), user.get("timezone"))
    final_shifts = dict(final_shifts or {})
    if None in final_shifts:
        if len(schedule_nodes) != 1:
            raise final_shifts[None].fail("the export holds several schedules: name the one these final shifts "
                                          "belong to, as --final-shifts SCHEDULE_ID=FILE")
        final_shifts[schedule_nodes[0].req("id").text()] = final_shifts.pop(None)
    for node in schedule_nodes:
        schedule = _schedule(node, shift_nodes, export)
        if schedule is None:
            continue
        export.schedules.append(schedule)
        key = node.req("id").text()
        if key in final_shifts:
            schedule.rendered = [_rendered(entry, export) for entry in _results(final_shifts.pop(key))]
    for unknown, node in final_shifts.items():
        raise node.fail(f"no schedule {unknown!r} in the schedules export")
    return export


def _results(node: Node) -> list[Node]:
    """The objects of a list response (``{"results": [...]}``), a plain list, or one object."""
    if isinstance(node.value, dict) and node.has("results"):
        return list(node.req("results").items())
    if isinstance(node.value, list):
        return list(node.items())
    return [node]


def _user(export: Export, key: str, username: Node | None, email: Node | None, tz: Node | None) -> None:
    name = username.text() if username is not None else (email.text().split("@")[0] if email is not None else key)
    person = export.people.setdefault(key, SourcePerson(key, name, Origin(SERVICE, "user", key, name)))
    if username is not None:
        person.name = username.text()
        person.origin = Origin(SERVICE, "user", key, person.name)
    if email is not None and not person.email:
        person.email = email.text()
    if tz is not None and not person.timezone:
        person.timezone = export.person_zone(person, tz.text())


def _rendered(entry: Node, export: Export) -> RenderedEntry:
    key = entry.req("user_pk").text()
    _user(export, key, entry.get("user_username"), entry.get("user_email"), None)
    return RenderedEntry(entry.req("shift_start").instant(), entry.req("shift_end").instant(), key)


def _schedule(node: Node, shift_nodes: list[Node], export: Export) -> SourceSchedule | None:
    sid = node.req("id").text()
    name = node.req("name").text()
    origin = Origin(SERVICE, "schedule", sid, name)
    kind = node.get("type")
    if kind is not None and kind.text() == "ical":
        export.inexact.append(Inexact(origin, "an iCal schedule: its shifts live in the calendar at "
                                              "ical_url_primary, not in the API", "no schedule file"))
        return None
    tz_node = node.get("time_zone")
    tz_name = tz_node.zone() if tz_node is not None else "UTC"
    schedule = SourceSchedule(origin, name, tz_name, [], together="level")
    if node.get("ical_url_overrides") is not None:
        export.inexact.append(Inexact(origin, "overrides come from the calendar at ical_url_overrides",
                                      "the schedule without them"))
    listed = node.get("shifts")
    ids = {item.text() for item in listed.items()} if listed is not None else set()
    mine = [s for s in shift_nodes if (s.has("id") and s.req("id").text() in ids)
            or (s.has("schedule") and s.req("schedule").text() == sid)]
    rotations: list[Rotation] = []
    for shift in mine:
        rotations.extend(_shift(shift, schedule, export))
    schedule.rotations = sorted(rotations, key=lambda r: r.level)  # stable: same level keeps its order
    return schedule


@dataclass
class _Shift:
    """The fields of one shift, read once."""

    node: Node
    origin: Origin
    tz: str
    start: datetime  # naive wall clock in ``tz``
    duration: int  # seconds of wall clock
    level: int
    frequency: str | None
    interval: int
    by_day: list[int] | None
    week_start: int
    until: int | None
    rotation_start: int | None

    def instant(self, wall: datetime) -> int:
        return wall_to_epoch(wall, zone(self.tz))

    def event_end(self, wall: datetime) -> int:
        return self.instant(wall + timedelta(seconds=self.duration))


def _read_shift(node: Node, schedule: SourceSchedule) -> _Shift:
    sid, name = node.get("id"), node.get("name")
    origin = Origin(SERVICE, "shift", sid.text() if sid else None, name.text() if name else None)
    tz_node = node.get("time_zone")
    tz_name = tz_node.zone() if tz_node is not None else schedule.timezone
    duration_node = node.req("duration")
    duration = duration_node.integer()
    if duration <= 0:
        raise duration_node.fail(f"{duration} is not a duration; expected a positive number of seconds")
    frequency = node.get("frequency")
    interval = node.get("interval")
    by_day = node.get("by_day")
    days = None
    if by_day is not None and by_day.value:
        days = []
        for item in by_day.items():
            if item.text() not in _ICAL_DAYS:
                raise item.fail(f"{item.value!r} is not a day; expected MO, TU, WE, TH, FR, SA or SU")
            days.append(_ICAL_DAYS[item.text()])
    week_start = node.get("week_start")
    if week_start is not None and week_start.text() not in _ICAL_DAYS:
        raise week_start.fail(f"{week_start.value!r} is not a day; expected MO to SU")
    level = node.get("level")
    return _Shift(
        node=node, origin=origin, tz=tz_name, start=node.req("start").datetime().replace(tzinfo=None),
        duration=duration, level=level.integer() if level is not None else 0,
        frequency=frequency.text() if frequency is not None else None,
        interval=interval.integer() if interval is not None else 1,
        by_day=days, week_start=_ICAL_DAYS[week_start.text()] if week_start is not None else 6,
        until=_utc(node.get("until")), rotation_start=_wall(node.get("rotation_start"), tz_name),
    )


def _wall(node: Node | None, tz_name: str) -> int | None:
    """A time written like ``start``: a wall-clock reading in the shift's zone."""
    if node is None:
        return None
    return wall_to_epoch(node.datetime().replace(tzinfo=None), zone(tz_name))


def _utc(node: Node | None) -> int | None:
    """A time Grafana compares as UTC: naive readings are UTC."""
    if node is None:
        return None
    moment = node.datetime()
    return int((moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp())


def _shift(node: Node, schedule: SourceSchedule, export: Export) -> list[Rotation]:
    kind = node.req("type").text()
    shift = _read_shift(node, schedule)
    if kind == "override":
        groups = _groups(node, shift, export)
        person = _one(groups[0] if groups else [], shift, export)
        if person is not None:
            start = shift.instant(shift.start)
            schedule.overrides.append(SourceOverride(person, start, shift.event_end(shift.start), shift.origin))
        return []
    if kind == "single_event":
        person = _one(_users(node, export), shift, export)
        if person is None:
            return []
        start, end = shift.instant(shift.start), shift.event_end(shift.start)
        hours = max(1, math.ceil((end - start) / 3600))
        return [Rotation(shift.origin, _name(shift), [person], start, Duration(hours, "h"), start, end,
                         timezone=shift.tz, level=shift.level, notes=[f"{shift.origin}: single event"])]
    if kind == "recurrent_event":
        person = _one(_users(node, export), shift, export)
        return [] if person is None else _recurrent(shift, person, export)
    if kind == "rolling_users":
        groups = _groups(node, shift, export)
        return _rolling(shift, groups, export)
    raise node.child("type").fail(f"unknown shift type {kind!r}; expected rolling_users, recurrent_event, "
                                  "single_event or override")


def _name(shift: _Shift) -> str:
    return shift.origin.name or shift.origin.id or "shift"


def _users(node: Node, export: Export) -> list[str]:
    listed = node.get("users")
    keys = [item.text() for item in listed.items()] if listed is not None else []
    for key in keys:
        _user(export, key, None, None, None)
    return keys


def _groups(node: Node, shift: _Shift, export: Export) -> list[list[str]]:
    listed = node.get("rolling_users")
    if listed is None:
        users = _users(node, export)
        return [users] if users else []
    groups = []
    for group in listed.items():
        keys = [item.text() for item in group.items()] if group.value is not None else []
        for key in keys:
            _user(export, key, None, None, None)
        groups.append(keys)
    return groups


def _one(keys: list[str], shift: _Shift, export: Export) -> str | None:
    """The one person of a group; several at once or nobody are reported."""
    if not keys:
        export.notes.append(f"{shift.origin} has no users; not written")
        return None
    if len(keys) > 1:
        names = ", ".join(export.people[k].name for k in keys)
        export.inexact.append(Inexact(shift.origin, f"{names} are on call together",
                                      f"{export.people[keys[0]].name} alone"))
    return keys[0]


# -- recurring events ----------------------------------------------------------------------------

def _occurrence_days(shift: _Shift) -> list[int] | None:
    """The weekdays events start on, for patterns that repeat every week; None for other patterns."""
    if shift.frequency == "daily" and shift.interval == 1:
        return shift.by_day or list(range(7))
    if shift.frequency == "weekly" and shift.interval == 1:
        return shift.by_day or [shift.start.weekday()]
    return None


def _windows(shift: _Shift, days: list[int], period: int | None = None) -> tuple[Window, ...] | None:
    """Windows for events at ``shift.start``'s time of day on ``days``; None when they cover
    everything (``period`` seconds per event start: the events tile time)."""
    minute = shift.start.hour * 60 + shift.start.minute
    length = math.ceil(shift.duration / 60)
    if period is not None and shift.duration >= period:
        return None
    return windows_from_spans([(day * DAY_MINUTES + minute, length) for day in days])


def _unsupported(shift: _Shift, export: Export) -> str | None:
    """Why this recurrence cannot be written, if it cannot."""
    node = shift.node
    if shift.frequency == "monthly":
        return "monthly recurrences"
    if node.get("by_month") is not None and node.req("by_month").value:
        export.inexact.append(Inexact(shift.origin, "repeats only in some months (by_month)",
                                      "every month"))
    if node.get("by_monthday") is not None and node.req("by_monthday").value:
        export.inexact.append(Inexact(shift.origin, "repeats only on some days of the month (by_monthday)",
                                      "every such day of the week"))
    if shift.frequency is None:
        return "a recurrence without a frequency"
    if shift.frequency not in _UNITS:
        return f"frequency {shift.frequency!r}"
    if shift.start.second:
        export.inexact.append(Inexact(shift.origin, f"starts at {shift.start:%H:%M:%S}; windows are in whole "
                                                    "minutes", f"{shift.start:%H:%M}"))
    if shift.duration % 60 and shift.duration < _step(shift):
        export.inexact.append(Inexact(shift.origin, f"events last {shift.duration} s; windows are in whole minutes",
                                      f"{math.ceil(shift.duration / 60)} minutes"))
    return None


def _hourly_windows(shift: _Shift) -> tuple[Window, ...] | None:
    """Windows for events every ``interval`` hours (a divisor of 24) from the start's time of day."""
    step = shift.interval * 60
    first = shift.start.hour * 60 + shift.start.minute
    return windows_from_spans([(day * DAY_MINUTES + (first + k * step) % DAY_MINUTES, math.ceil(shift.duration / 60))
                               for day in range(7) for k in range(24 // shift.interval)])


def _recurrent(shift: _Shift, person: str, export: Export) -> list[Rotation]:
    why = _unsupported(shift, export)
    if why is not None:
        export.inexact.append(Inexact(shift.origin, f"{why} cannot be written", "nothing (the shift is left out)"))
        return []
    begin = shift.instant(shift.start)
    days = _occurrence_days(shift)
    if shift.frequency == "hourly" and 24 % shift.interval == 0 and shift.by_day is None:
        windows = None if shift.duration >= shift.interval * 3600 else _hourly_windows(shift)
    elif days is not None:
        period = DAY if shift.frequency == "daily" and not shift.by_day else None
        windows = _windows(shift, days, period)
    else:
        export.inexact.append(Inexact(shift.origin, f"every {shift.interval} {shift.frequency} recurrences do not "
                                                    "repeat each week", "nothing (the shift is left out)"))
        return []
    rotation = Rotation(shift.origin, _name(shift), [person], begin, Duration(1, "w"), begin,
                        _until_end(shift, days if shift.frequency != "hourly" else None), windows or (),
                        shift.tz, level=shift.level,
                        notes=[f"{shift.origin}: {shift.frequency} every {shift.interval}, "
                               f"{shift.duration} s from {shift.start:%Y-%m-%dT%H:%M}"])
    return [rotation] if rotation.end is None or rotation.end > begin else []


def _until_end(shift: _Shift, days: list[int] | None) -> int | None:
    """Where coverage stops: the end of the last event starting at or before ``until``. Events
    start on ``days`` at the start's time of day, or (None) at every turn start."""
    if shift.until is None:
        return None
    until, first = shift.until, shift.instant(shift.start)
    if until < first:
        return first  # no event at all
    if days is None:
        step = _step(shift)

        def at(k: int) -> datetime:
            return shift.start + timedelta(seconds=k * step)

        k = max(0, (until - first) // step)
        while k > 0 and shift.instant(at(k)) > until:
            k -= 1
        while shift.instant(at(k + 1)) <= until:
            k += 1
        return shift.event_end(at(k))
    local = datetime.fromtimestamp(until, zone(shift.tz)).replace(tzinfo=None)
    for back in range(8):
        day = local.replace(hour=shift.start.hour, minute=shift.start.minute, second=shift.start.second,
                            microsecond=0) - timedelta(days=back)
        if day.weekday() in days and first <= shift.instant(day) <= until:
            return shift.event_end(day)
    return first


def _step(shift: _Shift) -> int:
    return shift.interval * {"h": 3600, "d": DAY, "w": 7 * DAY}[_UNITS[shift.frequency or "daily"]]


# -- rolling users -------------------------------------------------------------------------------

def _rolling(shift: _Shift, groups: list[list[str]], export: Export) -> list[Rotation]:
    if not groups:
        export.notes.append(f"{shift.origin} has no users; not written")
        return []
    why = _unsupported(shift, export)
    if why is not None:
        export.inexact.append(Inexact(shift.origin, f"{why} cannot be written", "nothing (the shift is left out)"))
        return []
    members = [_group_member(group, shift, export) for group in groups]
    index = shift.node.get("start_rotation_from_user_index")
    offset = index.integer() % len(members) if index is not None else 0
    unit = _UNITS[shift.frequency or "daily"]
    notes = [f"{shift.origin}: rolling {shift.frequency} every {shift.interval}, events of {shift.duration} s "
             f"from {shift.start:%Y-%m-%dT%H:%M}" + (f" on {', '.join(WEEKDAYS[d] for d in shift.by_day)}"
                                                    if shift.by_day else "")]
    if shift.by_day is not None and unit == "d":
        return [_daily_by_day(shift, members, offset, notes, export)]
    if shift.by_day is not None and unit == "w":
        return _weekly_by_day(shift, members, offset, notes, export)
    if shift.by_day is not None:
        export.inexact.append(Inexact(shift.origin, "hourly turns limited to some days (by_day)",
                                      "hourly turns on every day"))
    if unit == "h" and _has_dst(shift.tz, shift.start.year):
        export.inexact.append(Inexact(shift.origin, f"hourly turns step on the {shift.tz} wall clock, which "
                                                    "jumps when clocks change",
                                      "turns of elapsed hours (an hour apart from Grafana's after each change)"))
    every = Duration(shift.interval, unit)
    turn = _step(shift)
    windows: tuple[Window, ...] | None = None
    if shift.duration < turn:
        if unit == "d" and shift.interval == 1:
            windows = _windows(shift, list(range(7)))
        elif unit == "w" and shift.interval == 1:
            windows = _windows(shift, [shift.start.weekday()])
        elif unit == "h" and 24 % shift.interval == 0:
            windows = _hourly_windows(shift)
        else:
            export.inexact.append(Inexact(shift.origin, f"events of {shift.duration} s in turns of {every} leave "
                                                        "time uncovered in a pattern that does not repeat each week",
                                          f"turns of {every} covered whole"))
    elif shift.duration > turn:
        export.inexact.append(Inexact(shift.origin, f"events of {shift.duration} s outlast turns of {every}, so "
                                                    "two groups are on call together", "each turn ends at the next"))
    anchor = shift.instant(shift.start)
    begin = anchor
    if shift.rotation_start is not None and shift.rotation_start > anchor:
        begin = _first_turn_from(shift, shift.rotation_start, export)
    rotation = Rotation(shift.origin, _name(shift), members, anchor, every, begin, _until_end(shift, None),
                        windows or (), shift.tz, offset=offset, level=shift.level, notes=notes)
    return [rotation] if rotation.end is None or rotation.end > begin else []


def _first_turn_from(shift: _Shift, moment: int, export: Export) -> int:
    """The first handoff at or after ``moment`` (Grafana creates turns from ``rotation_start``)."""
    step = _step(shift)
    wall = shift.start
    k = max(0, (moment - shift.instant(wall)) // step - 1)
    wall = shift.start + timedelta(seconds=k * step)
    while shift.instant(wall) < moment:
        wall += timedelta(seconds=step)
    previous = wall - timedelta(seconds=step)
    if previous >= shift.start and shift.event_end(previous) > moment:
        export.inexact.append(Inexact(shift.origin, "rotation_start falls inside a turn; Grafana keeps that turn "
                                                    "for shifts made in its web UI and drops it for shifts made "
                                                    "through its API, and the export does not say which",
                                      "coverage from the next turn"))
    return shift.instant(wall)


def _group_member(group: list[str], shift: _Shift, export: Export) -> str:
    if group:
        return _one(group, shift, export) or group[0]
    key = "nobody"
    if key not in export.people:
        export.people[key] = SourcePerson(key, "Nobody", Origin(SERVICE, "empty group"),
                                          placeholder="nobody on call (an empty Grafana OnCall group)")
    export.inexact.append(Inexact(shift.origin, "a group of the rotation is empty (nobody on call that turn)",
                                  "a placeholder person for those turns (Nobody)"))
    return key


def _first_chosen_day(shift: _Shift) -> datetime:
    """Grafana moves a start on a day not chosen to the first chosen day, in ``week_start`` order."""
    assert shift.by_day is not None
    if shift.start.weekday() in shift.by_day:
        return shift.start
    order = [(shift.week_start + i) % 7 for i in range(7)]
    expected = next(d for d in order if d in shift.by_day)
    return shift.start + timedelta(days=(expected - shift.start.weekday()) % 7)


def _daily_by_day(shift: _Shift, members: list[str], offset: int, notes: list[str], export: Export) -> Rotation:
    """Each group takes ``interval`` chosen days in turn: a daily rotation that counts only days
    with a window, each group listed ``interval`` times."""
    assert shift.by_day is not None
    start = _first_chosen_day(shift)
    if shift.duration > DAY:
        export.inexact.append(Inexact(shift.origin, f"events of {shift.duration} s outlast a day, so two groups "
                                                    "are on call together", "each day's turn ends at the next"))
    windows = _windows(shift, shift.by_day)
    repeated = [m for m in members for _ in range(shift.interval)]
    begin = shift.instant(start)
    shifted = replace(shift, start=start)
    return Rotation(shift.origin, _name(shift), repeated, begin, Duration(1, "d"), begin,
                    _until_end(shifted, shift.by_day), windows or (), shift.tz, offset=offset * shift.interval,
                    advance="covered", level=shift.level, notes=notes)


def _weekly_by_day(shift: _Shift, members: list[str], offset: int, notes: list[str],
                   export: Export) -> list[Rotation]:
    """A turn is a week from ``week_start`` (at the events' time of day) holding one event on each
    chosen day; the first turn begins at the first event."""
    assert shift.by_day is not None
    first = _first_chosen_day(shift)
    if shift.interval > 1:
        export.inexact.append(Inexact(shift.origin, f"events every {shift.interval} weeks on chosen days",
                                      f"turns of {shift.interval} weeks with events every week"))
    latest = max((d - shift.week_start) % 7 for d in shift.by_day)
    if latest * DAY + shift.duration > 7 * DAY:
        export.inexact.append(Inexact(shift.origin, "the last event of a week runs into the next group's week",
                                      "the event cut at the weekly handoff"))
    week = first - timedelta(days=(first.weekday() - shift.week_start) % 7)
    shifted = replace(shift, start=first)
    windows = _windows(shifted, shift.by_day)
    anchor = shift.instant(week)
    begin = shift.instant(first)
    if shift.rotation_start is not None and shift.rotation_start > begin:
        step = 7 * DAY * shift.interval
        k = 1
        while True:
            turn = week + timedelta(seconds=k * step)
            opening = turn + timedelta(days=min((d - shift.week_start) % 7 for d in shift.by_day))
            if shift.instant(opening) >= shift.rotation_start:
                begin = shift.instant(turn)
                break
            k += 1
    return [Rotation(shift.origin, _name(shift), members, anchor, Duration(shift.interval, "w"), begin,
                     _until_end(shifted, shift.by_day), windows or (), shift.tz, offset=offset, level=shift.level,
                     notes=notes)]


def _has_dst(tz_name: str, year: int) -> bool:
    tz = zone(tz_name)
    offsets = {datetime(year, month, 1, tzinfo=tz).utcoffset() for month in range(1, 13)}
    return len(offsets) > 1
