"""PagerDuty's REST API v2 schedules (``GET /schedules/{id}``), read as rotations.

What the export says, and how it is read:

* ``schedule_layers`` come highest precedence first (Layer 3, Layer 2, Layer 1, as PagerDuty's
  own Terraform provider reverses them); in PagerDuty the lower layer on the page wins, in a
  schedule file the later layer wins, so the order is reversed. The documented layer object has
  no field giving its rank, so the order of the list is what counts.
* Turns are anchored at ``rotation_virtual_start`` and last ``rotation_turn_length_seconds``;
  coverage begins at the layer's ``start`` (often in the middle of a turn) and stops at ``end``.
* A turn length of whole days or weeks is a daily or weekly rotation, whose handoffs stay at the
  same local time when clocks change (``every: 1d``); any other length is elapsed hours
  (``every: 12h``).
* Restrictions are read in the schedule's ``time_zone`` on the wall clock: a
  ``daily_restriction`` is a window every day, a ``weekly_restriction`` a span of the week
  starting on ``start_day_of_week`` (1 = Monday), which becomes one window per day it covers.
"""

from __future__ import annotations

import re

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
from oncall.times import Duration

SERVICE = "PagerDuty"
_TIME_OF_DAY = re.compile(r"^([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?$")


def read(documents: list[Node], users: Node | None = None) -> Export:
    """The schedules in ``documents`` (each a schedule, ``{"schedule": ...}``, ``{"schedules":
    [...]}`` or a list of them); ``users`` is a ``GET /users`` export for emails and time zones."""
    export = Export(SERVICE, "pagerduty", [], {})
    for document in documents:
        for node in _schedule_nodes(document):
            export.schedules.append(_schedule(node, export))
    if users is not None:
        _users(users, export)
    return export


def _schedule_nodes(node: Node) -> list[Node]:
    if isinstance(node.value, list):
        return [found for item in node.items() for found in _schedule_nodes(item)]
    if node.has("schedule"):
        return [node.req("schedule")]
    if node.has("schedules"):
        return _schedule_nodes(node.req("schedules"))
    if node.has("schedule_layers") or node.has("time_zone"):
        return [node]
    raise node.fail("not a PagerDuty schedule: expected the body of GET /schedules/{id} "
                    "(an object with `schedule` or `schedule_layers`)")


def _schedule(node: Node, export: Export) -> SourceSchedule:
    sid = node.get("id")
    name = (node.get("name") or node.get("summary") or sid or node.req("name")).text()
    origin = Origin(SERVICE, "schedule", sid.text() if sid else None, name)
    tz_name = node.req("time_zone", "export the schedule as GET /schedules/{id} returns it").zone(
        "export again with ?time_zone=<the schedule's zone, e.g. America/New_York>")
    schedule = SourceSchedule(origin, name, tz_name, [])
    layers = list(node.req("schedule_layers", "export the schedule with its layers").items())
    for layer in reversed(layers):
        rotation = _layer(layer, tz_name, export)
        if rotation is not None:
            schedule.rotations.append(rotation)
    schedule.overrides = _overrides(node, export)
    final = node.get("final_schedule")
    entries = final.get("rendered_schedule_entries") if final is not None else None
    if entries is not None:
        schedule.rendered = [RenderedEntry(e.req("start").instant(), e.req("end").instant(),
                                           _person(e.req("user"), export, "user"))
                             for e in entries.items() if e.get("user") is not None]
    return schedule


def _layer(node: Node, tz_name: str, export: Export) -> Rotation | None:
    lid = node.get("id")
    name = node.get("name")
    origin = Origin(SERVICE, "layer", lid.text() if lid else None, name.text() if name else None)
    start, end = node.req("start").instant(), node.optional_instant("end")
    if end is not None and end <= start:
        export.notes.append(f"{origin} ended before it started; not written")
        return None
    length_node = node.req("rotation_turn_length_seconds")
    length = length_node.integer()
    if length <= 0:
        raise length_node.fail(f"{length} is not a turn length; expected a positive number of seconds")
    members = [_person(user.req("user"), export, "user") for user in node.req("users").items()]
    if not members:
        export.notes.append(f"{origin} has no users; not written")
        return None
    rotation = Rotation(
        origin=origin, name=name.text() if name else (lid.text() if lid else "layer"), members=members,
        anchor=node.req("rotation_virtual_start").instant(), every=_turn_length(length, origin, export),
        begin=start, end=end, timezone=tz_name,
    )
    listed = node.get("restrictions")
    restrictions = list(listed.items()) if listed is not None else []
    if restrictions:
        spans: list[tuple[int, int]] = []
        described: dict[str, list[str]] = {}
        for restriction in restrictions:
            span, text, day = _restriction(restriction, origin, export)
            spans.extend(span)
            described.setdefault(text, []).extend(day)
        windows = windows_from_spans(spans)
        if windows == ():
            export.notes.append(f"{origin} is restricted to no time at all; not written")
            return None
        rotation.windows = windows or ()
        rotation.notes.append("restrictions: " + "; ".join(
            text + (f" from day {', '.join(days)}" if days else "") for text, days in described.items()))
    rotation.notes.insert(0, f"{origin}: turns of {length} s from rotation_virtual_start "
                             f"{node.req('rotation_virtual_start').text()}")
    return rotation


def _turn_length(seconds: int, origin: Origin, export: Export) -> Duration:
    if seconds % 604800 == 0:
        return Duration(seconds // 604800, "w")
    if seconds % 86400 == 0:
        return Duration(seconds // 86400, "d")
    if seconds % 3600 == 0:
        return Duration(seconds // 3600, "h")
    hours = max(1, round(seconds / 3600))
    export.inexact.append(Inexact(origin, f"turns of {seconds} s are not whole hours", f"every: {hours}h"))
    return Duration(hours, "h")


def _restriction(node: Node, origin: Origin, export: Export) -> tuple[list[tuple[int, int]], str, list[str]]:
    """The restriction's spans of the week, how to describe it, and its first day if weekly."""
    kind = node.req("type").text()
    time_node = node.req("start_time_of_day")
    match = _TIME_OF_DAY.match(time_node.text().strip())
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise time_node.fail(f"{time_node.value!r} is not a time of day; expected HH:MM:SS")
    minute = int(match.group(1)) * 60 + int(match.group(2))
    seconds = node.req("duration_seconds").integer()
    text = f"{kind} {time_node.text()} for {seconds} s"
    if match.group(3) and int(match.group(3)):
        export.inexact.append(Inexact(origin, f"a restriction starts at {time_node.text()}; windows are in whole "
                                              "minutes", f"{match.group(1).zfill(2)}:{match.group(2)}"))
    if seconds % 60:
        export.inexact.append(Inexact(origin, f"a restriction lasts {seconds} s; windows are in whole minutes",
                                      f"{seconds // 60} minutes"))
    length = seconds // 60
    if kind == "daily_restriction":
        return [(day * DAY_MINUTES + minute, length) for day in range(7)], text, []
    if kind == "weekly_restriction":
        day_node = node.req("start_day_of_week", "a weekly_restriction names its first day, 1 (Monday) to 7")
        day = day_node.integer()
        if not 1 <= day <= 7:
            raise day_node.fail(f"{day} is not a day of the week; expected 1 (Monday) to 7 (Sunday)")
        return [((day - 1) * DAY_MINUTES + minute, length)], text, [str(day)]
    raise node.child("type").fail(f"unknown restriction type {kind!r}; expected daily_restriction or "
                                  "weekly_restriction")


def _overrides(node: Node, export: Export) -> list[SourceOverride]:
    out = []
    listed = node.get("overrides")
    if listed is not None:
        for item in listed.items():
            oid = item.get("id")
            out.append(SourceOverride(_person(item.req("user"), export, "user"), item.req("start").instant(),
                                      item.req("end").instant(),
                                      Origin(SERVICE, "override", oid.text() if oid else None)))
        return out
    sub = node.get("overrides_subschedule")
    entries = sub.get("rendered_schedule_entries") if sub is not None else None
    for item in entries.items() if entries is not None else ():
        if item.get("user") is None:
            continue
        out.append(SourceOverride(_person(item.req("user"), export, "user"), item.req("start").instant(),
                                  item.req("end").instant(), Origin(SERVICE, "override entry")))
    return out


def _person(node: Node, export: Export, kind: str) -> str:
    """The person key of a user reference, remembering what it says about the user."""
    key = node.req("id").text()
    known = export.people.get(key)
    name_node = node.get("summary") or node.get("name")
    email_node = node.get("email")
    if known is None:
        name = name_node.text() if name_node else key
        known = export.people[key] = SourcePerson(key, name, Origin(SERVICE, kind, key, name))
    if email_node is not None and not known.email:
        known.email = email_node.text()
    return key


def _users(node: Node, export: Export) -> None:
    """Fill in emails, names and time zones from a ``GET /users`` export."""
    listed = node.req("users", "pass the body of GET /users") if isinstance(node.value, dict) else node
    for user in listed.items():
        key = user.req("id").text()
        person = export.people.get(key)
        if person is None:
            continue
        name, email, tz = user.get("name"), user.get("email"), user.get("time_zone")
        if name is not None:
            person.name = name.text()
            person.origin = Origin(SERVICE, "user", key, person.name)
        if email is not None:
            person.email = email.text()
        if tz is not None:
            person.timezone = export.person_zone(person, tz.text())
