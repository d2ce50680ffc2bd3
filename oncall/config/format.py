"""One description of the file formats, read by the loader (known and required keys) and by
``oncall schema`` (JSON Schema for editors). Keep them in step by changing only this file.

Each section maps a key to a ``Key``: its value type (a name ``oncall.config.schema`` turns into
JSON Schema), whether it is required and a one-line help text that editors show on hover.
"""

from __future__ import annotations

from dataclasses import dataclass

# Check kinds, in the order used to decide which key names the kind when several appear
# (`secret:` is also a parameter of `http:`, so it comes last).
CHECK_KINDS = ("command", "tcp", "http", "dns", "file", "env", "secret")
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ID_PATTERN = r"^[a-z0-9._-]+$"


@dataclass(frozen=True)
class Key:
    type: str  # string, id, ids, timezone, datetime, date, time, end-time, duration, turn-length,
    # integer, mapping, days, or the name of another section ("list:<section>", "map:<section>")
    help: str
    required: bool = False


PEOPLE_FILE = {
    "timezone": Key("timezone", "Default timezone for people without one (else UTC)."),
    "people": Key("map:person", "The people, by id ([a-z0-9._-]+).", required=True),
}

PERSON = {
    "name": Key("string", "Display name (default: the id)."),
    "email": Key("string", "Email address; also how `oncall` recognises you from git's user.email."),
    "timezone": Key("timezone", "IANA timezone, e.g. Europe/Berlin; time_off is read in it."),
    "time_off": Key("list:time_off", "Times this person is away; their turns pass to the next person."),
}
# Any other key on a person (slack, phone, country...) is kept as a free-form extra field.

TIME_OFF = {
    "from": Key("datetime", "Start: a date (whole day) or a local datetime in the person's timezone.", True),
    "to": Key("datetime", "End: a date includes that whole day; a datetime is exclusive.", True),
    "reason": Key("string", "Why (shown in reports)."),
}

SCHEDULE = {
    "name": Key("string", "Display name (default: the file name)."),
    "description": Key("string", "Free text."),
    "timezone": Key("timezone", "IANA timezone every local time in this file is read in.", True),
    "checklist": Key("id", "Id of a checklist (checklists/<id>.yaml) to pass before a shift."),
    "layers": Key("list:layer", "Rotations; where several cover the same time, the later one wins.", True),
    "overrides": Key("list:override", "One-off changes; they win over every layer."),
}

LAYER = {
    "name": Key("string", "Layer name (default layer-1, layer-2, ...)."),
    "people": Key("ids", "Rotation order; people[0]'s first turn starts at `start`.", True),
    "start": Key("datetime", "First handoff, local wall clock, e.g. 2026-01-05T09:00.", True),
    "every": Key("turn-length", "Turn length: <N>h, <N>d or <N>w.", True),
    "end": Key("datetime", "No coverage from this layer from here on (a date: after that day)."),
    "only": Key("list:window", "Cover only these daily windows (schedule's wall clock)."),
    "skip_holidays": Key("string", "Country code (e.g. US, DE): no coverage from this layer on its public holidays."),
}

WINDOW = {
    "days": Key("days", "Days the window starts on (mon..sun, or weekdays/weekend); default all."),
    "from": Key("time", 'Start time of day, "HH:MM" (quote it).', True),
    "to": Key("end-time", 'End time of day, "HH:MM" or "24:00"; <= from runs past midnight.', True),
}

OVERRIDE = {
    "person": Key("id", "Who is on call instead.", True),
    "from": Key("datetime", "Start, local to the schedule's timezone.", True),
    "to": Key("datetime", "End (exclusive; a date includes that whole day).", True),
    "replaces": Key("id", "Whose turn this replaces (for reports)."),
    "reason": Key("string", "Why (shown in reports)."),
}

CHECKLIST = {
    "name": Key("string", "Display name (default: the file name)."),
    "description": Key("string", "Free text."),
    "owner": Key("id", "The person who keeps this checklist current."),
    "reviewed": Key("date", "Date of the last review, YYYY-MM-DD."),
    "review_every": Key("duration", "How often to review; `oncall schedule validate` warns once it has passed."),
    "items": Key("list:item", "The readiness items, checked in order.", True),
}

ITEM = {
    "id": Key("id", "Item id, unique in this checklist.", True),
    "title": Key("string", "What is being checked, in words (default: the id)."),
    "check": Key("check", "The check: one of " + ", ".join(CHECK_KINDS) + " with its parameters."),
    "confirm": Key("string", "Instead of check: a statement the person confirms."),
    "fix": Key("string", "What to do when the check fails."),
    "timeout": Key("duration", "Time limit for the check (default 10s)."),
    "retries": Key("integer", "Extra attempts before the item fails (default 0)."),
    "needs": Key("ids", "Ids of items in this checklist that must pass first."),
    "when": Key("mapping", "Conditions under which the item applies."),
    "playbook": Key("string", "A playbook to read when it fails."),
    "valid_for": Key("duration", "How long a confirmation stays valid."),
    "severity": Key("severity", "block (default): the item must pass; warn: a failure only warns."),
    "description": Key("string", "Free text."),
}

SECTIONS: dict[str, dict[str, Key]] = {
    "people_file": PEOPLE_FILE,
    "person": PERSON,
    "time_off": TIME_OFF,
    "schedule": SCHEDULE,
    "layer": LAYER,
    "window": WINDOW,
    "override": OVERRIDE,
    "checklist": CHECKLIST,
    "item": ITEM,
}
