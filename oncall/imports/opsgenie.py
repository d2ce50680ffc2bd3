"""Opsgenie schedules (``GET /v2/schedules/{id}?expand=rotation``, or a schedule's rotations list),
read as rotations.

* Each rotation hands over at ``startDate`` and every ``length`` hours, days or weeks after it
  (``type`` hourly, daily or weekly); daily and weekly handoffs stay at the same local time in
  the schedule's ``timezone`` when clocks change. Coverage stops at ``endDate``.
* ``timeRestriction`` ``time-of-day`` is one window every day; ``weekday-and-time-of-day`` spans
  from a day and time to a day and time, possibly across the end of the week, and becomes one
  window per day it covers.
* Opsgenie notifies everyone on call in every rotation at once; a schedule file has one person
  at a time, so overlapping rotations are reported (the later one wins here).
* Participants that are not users (a team, an escalation, ``none`` for "nobody this turn") have
  no person to stand for them: each becomes a placeholder person, reported.
"""

from __future__ import annotations

from oncall.imports.exports import Node
from oncall.imports.model import (
    DAY_MINUTES,
    WEEK_MINUTES,
    Export,
    Inexact,
    Origin,
    Rotation,
    SourceOverride,
    SourcePerson,
    SourceSchedule,
    windows_from_spans,
)
from oncall.times import Duration

SERVICE = "Opsgenie"
_UNITS = {"hourly": "h", "daily": "d", "weekly": "w"}
_DAYS = {name: i for i, name in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                                           "sunday"))}


def read(documents: list[Node], users: Node | None = None, timezone: str | None = None) -> Export:
    """The schedules in ``documents``. A bare rotations list has no time zone: ``timezone`` names
    the schedule's (and the file name stands for the schedule's name)."""
    export = Export(SERVICE, "opsgenie", [], {})
    for document in documents:
        data = document.req("data") if isinstance(document.value, dict) and document.has("data") else document
        items = list(data.items()) if isinstance(data.value, list) else [data]
        if items and all(item.has("participants") or item.has("startDate") for item in items):
            export.schedules.append(_rotations_only(document, items, timezone, export))
        else:
            export.schedules.extend(_schedule(item, export) for item in items)
    if users is not None:
        _users(users, export)
    return export


def _rotations_only(document: Node, rotations: list[Node], timezone: str | None, export: Export) -> SourceSchedule:
    if not timezone:
        raise document.fail("a rotations list carries no time zone; pass --timezone with the schedule's "
                            "(e.g. Europe/London), or export GET /v2/schedules/{id}?expand=rotation instead")
    name = document.file.rsplit("/", 1)[-1].rsplit(".", 1)[0] if document.file != "<stdin>" else "opsgenie"
    schedule = SourceSchedule(Origin(SERVICE, "rotations", None, name), name,
                              Node(timezone, "--timezone", "").zone(), [], together="everyone")
    schedule.rotations = [r for r in (_rotation(item, schedule.timezone, export) for item in rotations) if r]
    return schedule


def _schedule(node: Node, export: Export) -> SourceSchedule:
    sid = node.get("id")
    name = node.req("name").text()
    origin = Origin(SERVICE, "schedule", sid.text() if sid else None, name)
    tz_name = node.req("timezone", "export GET /v2/schedules/{id}?expand=rotation").zone()
    schedule = SourceSchedule(origin, name, tz_name, [], together="everyone")
    enabled = node.get("enabled")
    if enabled is not None and enabled.value is False:
        schedule.notes.append("The schedule is disabled in Opsgenie.")
    listed = node.req("rotations", "export the schedule with ?expand=rotation")
    schedule.rotations = [r for r in (_rotation(item, schedule.timezone, export) for item in listed.items()) if r]
    overrides = node.get("overrides")
    for item in overrides.items() if overrides is not None else ():
        schedule.overrides.append(_override(item, schedule, export))
    return schedule


def _rotation(node: Node, tz_name: str, export: Export) -> Rotation | None:
    rid, name = node.get("id"), node.get("name")
    origin = Origin(SERVICE, "rotation", rid.text() if rid else None, name.text() if name else None)
    enabled = node.get("enabled")
    if enabled is not None and enabled.value is False:
        export.notes.append(f"{origin} is disabled; not written")
        return None
    kind_node = node.req("type")
    unit = _UNITS.get(kind_node.text())
    if unit is None:
        raise kind_node.fail(f"unknown rotation type {kind_node.text()!r}; expected hourly, daily or weekly")
    length_node = node.get("length")
    length = length_node.integer() if length_node is not None else 1
    if length <= 0:
        raise node.child("length").fail(f"{length} is not a rotation length; expected a positive whole number")
    start, end = node.req("startDate").instant(), node.optional_instant("endDate")
    if end is not None and end <= start:
        export.notes.append(f"{origin} ends before it starts; not written")
        return None
    members = [_participant(item, origin, export) for item in node.req("participants").items()]
    if not members:
        export.notes.append(f"{origin} has no participants; not written")
        return None
    rotation = Rotation(origin=origin, name=name.text() if name else (rid.text() if rid else "rotation"),
                        members=members, anchor=start, every=Duration(length, unit), begin=start, end=end,
                        timezone=tz_name,
                        notes=[f"{origin}: {kind_node.text()}, length {length}, from {node.req('startDate').text()}"])
    restriction = node.get("timeRestriction")
    if restriction is not None:
        spans, text = _restriction(restriction)
        windows = windows_from_spans(spans)
        if windows == ():
            export.notes.append(f"{origin} is restricted to no time at all; not written")
            return None
        rotation.windows = windows or ()
        rotation.notes.append(f"time restriction: {text}")
    return rotation


def _restriction(node: Node) -> tuple[list[tuple[int, int]], str]:
    kind = node.req("type").text()
    if kind == "time-of-day":
        part = node.req("restriction")
        opens, closes = _minute(part, "start"), _minute(part, "end")
        length = (closes - opens) % DAY_MINUTES or DAY_MINUTES
        return [(day * DAY_MINUTES + opens, length) for day in range(7)], f"every day {_clock(opens)}-{_clock(closes)}"
    if kind == "weekday-and-time-of-day":
        spans, described = [], []
        for part in node.req("restrictions").items():
            first, last = _day(part, "startDay"), _day(part, "endDay")
            opens = first * DAY_MINUTES + _minute(part, "start")
            closes = last * DAY_MINUTES + _minute(part, "end")
            spans.append((opens, (closes - opens) % WEEK_MINUTES or WEEK_MINUTES))
            described.append(f"{part.req('startDay').text()[:3]} {_clock(opens % DAY_MINUTES)}-"
                             f"{part.req('endDay').text()[:3]} {_clock(closes % DAY_MINUTES)}")
        return spans, ", ".join(described)
    raise node.child("type").fail(f"unknown time restriction {kind!r}; expected time-of-day or "
                                  "weekday-and-time-of-day")


def _minute(node: Node, prefix: str) -> int:
    hour_node = node.req(f"{prefix}Hour")
    minute_node = node.get(f"{prefix}Min")
    hour, minute = hour_node.integer(), minute_node.integer() if minute_node is not None else 0
    if not 0 <= hour <= 24 or not 0 <= minute <= 59 or (hour == 24 and minute):
        raise hour_node.fail(f"{hour}:{minute:02d} is not a time of day; expected 0:00 to 23:59")
    return hour * 60 + minute


def _day(node: Node, key: str) -> int:
    day_node = node.req(key)
    day = _DAYS.get(day_node.text().strip().lower())
    if day is None:
        raise day_node.fail(f"{day_node.text()!r} is not a day; expected monday to sunday")
    return day


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _participant(node: Node, origin: Origin, export: Export) -> str:
    kind = node.req("type").text()
    if kind == "user":
        key_node = node.get("id") or node.req("username")
        key = key_node.text()
        if key not in export.people:
            username = node.get("username")
            email = username.text() if username is not None else None
            name = email.split("@")[0] if email else key
            export.people[key] = SourcePerson(key, name, Origin(SERVICE, "user", key, email), email=email)
        return key
    ref, ident = node.get("name") or node.get("id"), node.get("id")
    label = ref.text() if ref is not None else kind
    if kind == "none":
        key, name, why = "none", "Nobody", "nobody on call (an Opsgenie `none` participant)"
        what = "a participant is `none` (nobody on call for that turn)"
    else:
        key, name = f"{kind}:{label}", f"{label} {kind}"
        why = f"whoever is on call for the Opsgenie {kind} {label}"
        what = f"a participant is the {kind} {label}, whose on-call person is not in this export"
    if key not in export.people:
        origin_of = Origin(SERVICE, "participant", None, "none") if kind == "none" else Origin(
            SERVICE, kind, ident.text() if ident is not None else None, label)
        export.people[key] = SourcePerson(key, name, origin_of, placeholder=why)
    export.inexact.append(Inexact(origin, what, f"a placeholder person for those turns ({name})"))
    return key


def _override(node: Node, schedule: SourceSchedule, export: Export) -> SourceOverride:
    alias = node.get("alias")
    origin = Origin(SERVICE, "override", alias.text() if alias else None)
    person = _participant(node.req("user"), origin, export)
    override = SourceOverride(person, node.req("startDate").instant(), node.req("endDate").instant(), origin)
    rotations = node.get("rotations")
    named = [(r.get("name") or r.req("id")).text() for r in rotations.items()] if rotations is not None else []
    if named and len(named) < len(schedule.rotations):
        export.inexact.append(Inexact(origin, f"applies only to the rotation(s) {', '.join(named)}",
                                      "an override of the whole schedule"))
    return override


def _users(node: Node, export: Export) -> None:
    """Names and time zones from a ``GET /v2/users`` export."""
    data = node.req("data", "pass the body of GET /v2/users") if isinstance(node.value, dict) else node
    for user in data.items():
        key = user.req("id").text()
        username = user.get("username")
        person = export.people.get(key) or (export.people.get(username.text()) if username is not None else None)
        if person is None:
            continue
        full, tz = user.get("fullName"), user.get("timeZone")
        if full is not None:
            person.name = full.text()
        if username is not None and "@" in username.text():
            person.email = username.text()
        person.origin = Origin(SERVICE, "user", key, person.name)
        if tz is not None:
            person.timezone = export.person_zone(person, tz.text())
