"""The file formats: every key of every config file, in one place.

The loader reads its known and required keys from here (and warns about any other key), ``oncall
schema`` turns it into JSON Schema for editors, and the file-format reference in docs/formats.md is
generated from it. Add or change a key here first; the loader and the schema follow.

Each section maps a key to a ``Key``: its value type, whether it is required, and a one-line help
text that editors show on hover. ``FILES`` names the file kinds and the section at their top.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from oncall.holidays import HOLIDAYS_OF_PEOPLE as HOLIDAYS_OF_PEOPLE  # skip_holidays: people, one place

# Check kinds, in the order used to decide which key names the kind when several appear
# (`secret:` is also a parameter of `http:`, so it comes last).
CHECK_KINDS = ("command", "tcp", "http", "dns", "file", "env", "secret")
TCP_EXAMPLE = '"vpn.example.com:443"'
_HOST_PORT = (re.compile(r"^\[([^\]]+)\]:([0-9]+)$"), re.compile(r"^([^:\s]+):([0-9]+)$"))


def host_port(text: str) -> tuple[str, int] | None:
    """A ``tcp:`` check's ``host:port`` (``[v6-address]:port``) split, or None when it is not one."""
    for pattern in _HOST_PORT:
        m = pattern.match(text.strip())
        if m and 0 < int(m.group(2)) < 65536:
            return m.group(1), int(m.group(2))
    return None


DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ID_PATTERN = r"^[a-z0-9._-]+$"
CHANNEL_NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
ADVANCE = ("always", "covered")
SEVERITIES = ("block", "warn")
SECURITY_MODES = ("starttls", "tls", "none")
SLACK_USERGROUP_PATTERN = r"^S[A-Z0-9]{2,}$"  # a Slack user group id
SLACK_CONVERSATION_PATTERN = r"^[CG][A-Z0-9]{2,}$"  # a Slack channel id (public C..., private G...)
# The fields a topic template may use (besides any {person.<field>} of people.yaml).
TOPIC_FIELDS = ("person.id", "person.name", "person.email", "person.slack", "person.slack_mention",
                "person.timezone", "schedule.id", "schedule.name", "start", "end")


@dataclass(frozen=True)
class Key:
    """One key of a section.

    ``type`` is one of: string, id, ids, timezone, datetime, date, time, end-time, duration,
    durations (one or a list), turn-length, integer, port, boolean, argv (a list of words), mapping, days, country, holidays (a
    country or ``people``), choice (one of ``choices``), names (one or a list), emails (one or a
    list), playbook, check, share (``git`` or ``{dir: PATH}``); or another section: ``list:<section>``, ``map:<section>`` (values by
    name), ``section:<section>`` (one nested mapping). ``a|b`` means either section, told apart by
    their ``type:`` key.
    """

    type: str
    help: str
    required: bool = False
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class File:
    """One kind of config file: where it lives, the section at its top and what it is."""

    path: str
    section: str
    title: str


FILES: dict[str, File] = {
    "people": File("schedules/people.yaml", "people_file", "oncall people (schedules/people.yaml)"),
    "schedule": File("schedules/<id>.yaml", "schedule", "oncall schedule (schedules/<id>.yaml)"),
    "checklist": File("checklists/<id>.yaml", "checklist", "oncall readiness checklist (checklists/<id>.yaml)"),
    "settings": File("oncall.yaml", "settings_file", "oncall settings (oncall.yaml)"),
}

# -- schedules/people.yaml ----------------------------------------------------------------------

PEOPLE_FILE = {
    "timezone": Key("timezone", "Default timezone for people without one (else UTC)."),
    "people": Key("map:person", "The people, by id ([a-z0-9._-]+).", required=True),
}

PERSON = {
    "name": Key("string", "Display name (default: the id)."),
    "email": Key("string", "Email address; also how `oncall` recognises you from git's user.email."),
    "timezone": Key("timezone", "IANA timezone, e.g. Europe/Berlin; time_off and own holidays are read in it."),
    "slack": Key("string", "Slack member id (U0...): mentions, direct messages and the on-call user group."),
    "country": Key("country", "ISO 3166 country code of this person's public holidays (skip_holidays: people, "
                              "report hours)."),
    "subdivision": Key("string", "A state or region of `country` with its own public holidays, e.g. BY for "
                                 "Bavaria."),
    "time_off": Key("list:time_off", "Times this person is away; their turns pass to the next person."),
}
# Any other key on a person (phone, team...) is kept as a free-form field, usable as
# {person.<key>} in checklist strings (see EXTRAS_ALLOWED).

TIME_OFF = {
    "from": Key("datetime", "Start: a date (whole day) or a local datetime in the person's timezone.", True),
    "to": Key("datetime", "End: a date includes that whole day; a datetime is exclusive.", True),
    "reason": Key("string", "Why (shown in reports)."),
}

# -- schedules/<id>.yaml ------------------------------------------------------------------------

SCHEDULE = {
    "name": Key("string", "Display name (default: the file name)."),
    "description": Key("string", "Free text."),
    "timezone": Key("timezone", "IANA timezone every local time in this file is read in.", True),
    "checklist": Key("id", "Id of a checklist (checklists/<id>.yaml) to pass before a shift."),
    "playbook": Key("playbook", "The incident playbook linked from messages: a playbooks/<name>.md stem or a URL."),
    "avoid": Key("ids", "Schedule ids: never pick someone who is on call in one of them (they count as off "
                        "there); must not form a cycle."),
    "layers": Key("list:layer", "Rotations; where several cover the same time, the later one wins.", True),
    "overrides": Key("list:override", "One-off changes; they win over every layer."),
}

LAYER = {
    "name": Key("string", "Layer name (default layer-1, layer-2, ...)."),
    "people": Key("ids", "Rotation order (person ids); people[0]'s first turn starts at `start`.", True),
    "start": Key("datetime", "First handoff, local wall clock, e.g. 2026-01-05T09:00.", True),
    "every": Key("turn-length", "Turn length: <N>h, <N>d or <N>w.", True),
    "end": Key("datetime", "No coverage from this layer from here on (a date: after that day)."),
    "timezone": Key("timezone", "IANA timezone this layer's start, end, turns and windows are read in "
                                "(default: the schedule's)."),
    "offset": Key("integer", "Turn k belongs to people[(k + offset) mod n]: a secondary is the primary's list "
                             "with offset: 1 (default 0)."),
    "advance": Key("choice", "always (default): every period is a turn; covered: periods outside `only` "
                             "windows are not counted, so nobody is skipped.", choices=ADVANCE),
    "only": Key("list:window", "Cover only these daily windows (the layer's wall clock)."),
    "skip_holidays": Key("holidays", "A country code (e.g. US, DE): its public holidays count as time off for "
                                     "everybody in the layer, so the layer covers nothing then and the layers "
                                     "below show through; `people`: each person's own holidays (their "
                                     "country:), in their timezone, passing their turn to the next person."),
}

WINDOW = {
    "days": Key("days", "Days the window starts on (mon..sun, or weekdays/weekend); default all."),
    "from": Key("time", 'Start time of day, "HH:MM" (quote it).', True),
    "to": Key("end-time", 'End time of day, "HH:MM" or "24:00"; <= from runs past midnight.', True),
}

OVERRIDE = {
    "person": Key("id", "Who is on call instead (a person id).", True),
    "from": Key("datetime", "Start, local to the schedule's timezone.", True),
    "to": Key("datetime", "End (exclusive; a date includes that whole day).", True),
    "replaces": Key("id", "Whose turn this replaces (for reports)."),
    "reason": Key("string", "Why (shown in reports)."),
}

# -- checklists/<id>.yaml -----------------------------------------------------------------------

CHECKLIST = {
    "name": Key("string", "Display name (default: the file name)."),
    "description": Key("string", "Free text."),
    "owner": Key("id", "The person who keeps this checklist current."),
    "reviewed": Key("date", "Date of the last review, YYYY-MM-DD."),
    "review_every": Key("duration", "How often to review (whole days, rounded up): stale from reviewed + "
                                    "review_every on."),
    "items": Key("list:item", "The readiness items, checked in order.", True),
    "max_age": Key("duration", "How old a shared result may be at a shift's start before the board calls it "
                               "stale (default 7d)."),
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
    "when": Key("mapping", "Conditions under which the item applies: os, env, has, file, secret."),
    "playbook": Key("playbook", "A playbook to read when it fails: a playbooks/<name>.md stem or a URL."),
    "valid_for": Key("duration", "How long a confirmation stays valid."),
    "severity": Key("choice", "block (default): the item must pass; warn: a failure only warns.",
                    choices=SEVERITIES),
    "description": Key("string", "Free text."),
}

CHECK = {
    "command": Key("argv", "command: a program and its arguments as a list, never run by a shell."),
    "tcp": Key("string", 'tcp: "host:port" accepts a connection.'),
    "http": Key("string", "http: a URL that answers with an expected status."),
    "dns": Key("string", "dns: a name that resolves."),
    "file": Key("string", "file: a path that exists (~ is your home)."),
    "env": Key("names", "env: environment variables that are set (one or a list); with command:, more "
                        "variables to pass on to the program."),
    "secret": Key("string", "secret: a keyring entry that is stored; with http:, sent as a token."),
    "confirm": Key("string", "A statement the person confirms (as the item's confirm:)."),
    "timeout": Key("duration", "Time limit for the check (as the item's timeout:)."),
    "severity": Key("choice", "block or warn (as the item's severity:).", choices=SEVERITIES),
    "expect_exit": Key("string", "command: the exit codes that pass (default 0; one or a list)."),
    "expect_output": Key("string", "command: text or /regex/ the output must contain."),
    "expect_status": Key("string", "http: the statuses that pass (default 2xx), e.g. 200 or [200, 204]."),
    "expect_body": Key("string", "http: text or /regex/ the response body must contain."),
    "method": Key("string", "http: the request method (default GET)."),
    "headers": Key("mapping", "http: extra request headers."),
    "header": Key("string", "http: the header the secret is sent in (default Authorization)."),
    "scheme": Key("string", "http: what comes before the secret in that header (default Bearer)."),
    "body": Key("string", "http: the request body."),
    "follow_redirects": Key("boolean", "http: follow redirects (default false: a redirect fails the check)."),
    "verify_tls": Key("boolean", "http: verify the server's certificate (default true)."),
    "expect": Key("string", "dns: an address the name must resolve to; env: text or /regex/ the value must "
                            "match."),
    "exists": Key("boolean", "file: false when the path must not exist."),
    "type": Key("choice", "file: file or dir.", choices=("file", "dir")),
    "mode": Key("string", 'file: the permission bits, e.g. "0600".'),
    "max_age": Key("duration", "file: how old the file may be at most."),
    "valid_for": Key("duration", "confirm: how long a confirmation stays valid."),
}

# -- oncall.yaml --------------------------------------------------------------------------------

SETTINGS_FILE = {
    "notify": Key("section:notify", "Notifications: channels, routing and reminder lead times."),
    "readiness": Key("section:readiness", "How readiness results are shared with the team."),
    "validate": Key("section:validate", "What `oncall schedule validate` lets pass."),
}
# Other top-level keys of oncall.yaml are left alone, without a warning (see EXTRAS_ALLOWED).

NOTIFY = {
    "channels": Key("map:slack_channel|slack_api_channel|email_channel",
                    "Where messages can go, by name (letters, digits, '.', '_', '-'): a Slack webhook, Slack's "
                    "Web API with a bot token, or an SMTP server."),
    "team": Key("names", "Channels for team messages of schedules without a route of their own."),
    "direct": Key("names", "Channels that reach the person on call directly (their email, their Slack id)."),
    "schedules": Key("map:route", "Routes by schedule id: the channels and lead times of one schedule."),
    "remind_before": Key("durations", "How long before a shift the reminders go out (default [24h, 1h]; [] for none)."),
    "ready_before": Key("duration", "How far ahead readiness is checked (default: the longest reminder lead)."),
    "lookback": Key("duration", "How far back a first run looks for messages that were due (default 1h)."),
    "catch_up": Key("duration", "How far back a run after a long pause looks (default 6h)."),
    "changes_within": Key("duration", "How far ahead each person's shifts are watched: a shift that appears, "
                                      "moves or goes within it gets them a change notice (default 14d)."),
    "digest": Key("section:digest", "A weekly digest to the team channels: who is on call each day of the "
                                    "coming week, the gaps, and each person's readiness."),
}

SLACK_CHANNEL = {
    "type": Key("choice", "slack: a Slack incoming webhook.", True, choices=("slack",)),
    "webhook_secret": Key("string", "The keyring entry holding the webhook URL; store it with `oncall secret set NAME`.", True),
    "timezone": Key("timezone", "Times in messages are shown in this zone (default: the schedule's)."),
    "timeout": Key("duration", "Time limit for one send (default 10s)."),
}

SLACK_API_CHANNEL = {
    "type": Key("choice", "slack-api: Slack's Web API with a bot token.", True, choices=("slack-api",)),
    "token_secret": Key("string", "The keyring entry holding the bot token (xoxb-...); store it with "
                                  "`oncall secret set NAME`.", True),
    "to": Key("names", "Channel ids (C0...) that receive team messages (one or a list; default: the schedule's "
                       "slack_topic channel)."),
    "api_url": Key("string", "The Web API's base URL (default https://slack.com/api/): a proxy, or a test "
                             "server on this machine."),
    "timezone": Key("timezone", "Times in messages are shown in this zone (default: the schedule's)."),
    "timeout": Key("duration", "Time limit for one request (default 10s)."),
}

EMAIL_CHANNEL = {
    "type": Key("choice", "email: an SMTP server.", True, choices=("email",)),
    "host": Key("string", "The SMTP server's host name.", True),
    "port": Key("port", "The SMTP port (default 587 for starttls, 465 for tls, 25 for none)."),
    "security": Key("choice", "starttls (default), tls, or none (local relays only).", choices=SECURITY_MODES),
    "sender": Key("string", "The From: address, e.g. oncall@example.com.", True),
    "username": Key("string", "The SMTP login."),
    "password_secret": Key("string", "The keyring entry holding the SMTP password; needs username."),
    "to": Key("emails", "Addresses that receive team messages (one or a list)."),
    "ca_file": Key("string", "A PEM file of the certificate authority to trust (relative to the config root)."),
    "timezone": Key("timezone", "Times in messages are shown in this zone (default: the schedule's)."),
    "timeout": Key("duration", "Time limit for one send (default 10s)."),
}

READINESS = {
    "share": Key("share", "git: results go on refs/oncall/readiness/<person> in this repository's remote; "
                          "{dir: PATH}: into a folder everyone can write (relative to the config root)."),
    "remote": Key("string", "The git remote results are pushed to and fetched from (default origin)."),
}

VALIDATE = {
    "allow": Key("names", "Warning codes that do not fail `schedule validate --strict` (one or a list), e.g. "
                          "[gap]; they are still shown."),
}

ROUTE = {
    "channel": Key("names", "The channels for this schedule's team messages (default: notify.team)."),
    "remind_before": Key("durations", "This schedule's reminder lead times (default: notify.remind_before)."),
    "playbook": Key("playbook", "A playbook linked from this schedule's messages (default: the schedule's)."),
    "secondary": Key("ids", "Schedule ids whose on-call person messages name as the secondary (default: the "
                            "schedules that avoid this one)."),
    "slack_usergroup": Key("string", "A Slack user group id (S0...) kept equal to whoever is on call now in the "
                                     "schedules that name it; needs a slack-api channel."),
    "slack_topic": Key("section:slack_topic", "A Slack channel whose topic says who is on call; needs a slack-api "
                                              "channel."),
}

SLACK_TOPIC = {
    "channel": Key("string", "The channel id (C0... or G0...; from the channel's details, not its #name).", True),
    "template": Key("string", "The topic, at most 250 characters once filled in: {person.slack_mention}, "
                              "{person.name} or any {person.<field>}, {schedule.name}, {start}, {end} (default "
                              "\"on call: {person.slack_mention} until {end}\")."),
}

DIGEST = {
    "day": Key("choice", "The day it goes out (default mon).", choices=DAY_NAMES),
    "at": Key("time", 'The time it goes out, "HH:MM" (default "09:00").'),
    "timezone": Key("timezone", "The zone of day, at and the days listed (default UTC)."),
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
    "check": CHECK,
    "settings_file": SETTINGS_FILE,
    "notify": NOTIFY,
    "slack_channel": SLACK_CHANNEL,
    "slack_api_channel": SLACK_API_CHANNEL,
    "email_channel": EMAIL_CHANNEL,
    "route": ROUTE,
    "slack_topic": SLACK_TOPIC,
    "digest": DIGEST,
    "readiness": READINESS,
    "validate": VALIDATE,
}

# Where each section is written: the headings of the formats reference (docs/formats.md).
SECTION_TITLES: dict[str, str] = {
    "people_file": "`schedules/people.yaml`",
    "person": "A person (under `people:`)",
    "time_off": "Time off (under a person's `time_off:`)",
    "schedule": "`schedules/<id>.yaml`",
    "layer": "A layer (under `layers:`)",
    "window": "A window (under a layer's `only:`)",
    "override": "An override (under `overrides:`)",
    "checklist": "`checklists/<id>.yaml`",
    "item": "An item (under `items:`)",
    "check": "A check (an item's `check:`)",
    "settings_file": "`oncall.yaml`",
    "notify": "Notifications (`notify:` in oncall.yaml)",
    "slack_channel": "A Slack channel (under `notify.channels`, `type: slack`)",
    "slack_api_channel": "A Slack Web API channel (under `notify.channels`, `type: slack-api`)",
    "email_channel": "An email channel (under `notify.channels`, `type: email`)",
    "route": "A route (under `notify.schedules`, by schedule id)",
    "slack_topic": "A channel topic (a route's `slack_topic:`)",
    "digest": "The weekly digest (`notify.digest`)",
    "readiness": "Sharing readiness results (`readiness:` in oncall.yaml)",
    "validate": "Validation (`validate:` in oncall.yaml)",
}

# Each value type in words, for the reference.
TYPE_WORDS: dict[str, str] = {
    "string": "text", "id": "an id", "ids": "a list of ids", "timezone": "an IANA timezone",
    "datetime": "a local datetime or a date", "date": "a date", "time": 'a time of day, "HH:MM"',
    "end-time": 'a time of day, "HH:MM" or "24:00"', "duration": "a duration (`30s`, `15m`, `12h`, `1d`, `2w`)",
    "durations": "a duration or a list of them", "turn-length": "`<N>h`, `<N>d` or `<N>w`",
    "integer": "a whole number", "port": "a port number (1-65535)", "boolean": "`true` or `false`",
    "argv": "a list of words", "mapping": "a mapping", "names": "a name or a list of names",
    "emails": "an address or a list of addresses", "country": "an ISO 3166 country code (`US`, `DE`)",
    "holidays": "a country code, or `people`", "playbook": "a playbook name or a URL",
    "days": "days (`mon`..`sun`, `mon-fri`, `weekdays`, `weekend`)", "check": "a mapping: the check",
    "share": "`git`, or `{dir: PATH}`",
}


def value_words(key: Key) -> str:
    """What ``key`` takes, in words (the reference's "value" column)."""
    if key.type == "choice":
        return " or ".join(f"`{c}`" for c in key.choices)
    shape, _, sections = key.type.partition(":")
    if not sections:
        return TYPE_WORDS.get(key.type, key.type)
    names = [SECTION_TITLES[s].split(" (")[0].lower().removeprefix("a ").removeprefix("an ")
             for s in sections.split("|")]
    noun = " or ".join(names)
    if shape == "list":
        return f"a list of {noun} entries"
    if shape == "map":
        return f"{noun} entries, by name"
    return "a mapping (below)"


# Sections whose mappings may hold keys of the user's own (kept, never warned about).
EXTRAS_ALLOWED = frozenset({"person", "settings_file"})
