"""``oncall.yaml`` → ``Settings``: the ``notify:`` section's channels, routing, lead times, what
it keeps in step on Slack, and the weekly digest.

Secrets (a Slack webhook URL, a bot token, an SMTP password) are never written in the file: it
names a keyring entry and the value is read at send time. Other top-level keys are left alone.

The problems found here are kept on the ``Settings`` (and listed by ``schedule validate``):
a mistake in the notification setup stops ``oncall notify``, never ``oncall whois``.
"""

from __future__ import annotations

import ipaddress
import re
import string
from collections.abc import Collection
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from oncall.config import codes
from oncall.config import format as fmt
from oncall.config.marked import MarkedMap, read_yaml
from oncall.config.reader import FileReader, listing, suggest
from oncall.config.schedules import read_playbook
from oncall.errors import Problem
from oncall.model import (
    DEFAULT_CATCH_UP,
    DEFAULT_CHANGES_WITHIN,
    DEFAULT_CHANNEL_TIMEOUT,
    DEFAULT_LOOKBACK,
    DEFAULT_REMIND_BEFORE,
    DEFAULT_SLACK_API,
    DEFAULT_TOPIC,
    Channel,
    Digest,
    EmailChannel,
    NotifySettings,
    ReadinessSettings,
    ScheduleRoute,
    Settings,
    SlackApiChannel,
    SlackChannel,
    SlackTopic,
    ValidateSettings,
)
from oncall.times import TimeValueError, parse_time_of_day

FILE_NAME = "oncall.yaml"
DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}
_CHANNEL_NAME = re.compile(fmt.CHANNEL_NAME_PATTERN)
_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+$")
_USERGROUP = re.compile(fmt.SLACK_USERGROUP_PATTERN)
_CONVERSATION = re.compile(fmt.SLACK_CONVERSATION_PATTERN)


def load_settings(root: Path, schedules: Collection[str]) -> Settings:
    """Read ``oncall.yaml`` under ``root`` (absent: the defaults). ``schedules`` are the schedule
    ids that routes may name."""
    path = root / FILE_NAME
    if not path.exists() and not path.is_symlink():
        return Settings()
    problems: list[Problem] = []
    f = FileReader(FILE_NAME, problems)
    data = read_yaml(path, FILE_NAME, problems)
    notify = NotifySettings()
    readiness = ReadinessSettings()
    validate = ValidateSettings()
    if data is not None:
        top = f.mapping(data, data, None, "oncall.yaml")
        if top is not None:
            f.keys(top, "settings_file", "oncall.yaml")
            if top.get("notify") is not None:
                notify = _notify(f, top, schedules, root)
            if top.get("readiness") is not None:
                readiness = _readiness(top, root, problems)
            if top.get("validate") is not None:
                validate = _validate(f, top)
    return Settings(notify, readiness, tuple(sorted(problems, key=lambda p: p.location.line if p.location else 0)),
                    validate)


def _validate(f: FileReader, top: MarkedMap) -> ValidateSettings:
    """The ``validate:`` section: the warning codes ``schedule validate --strict`` lets pass."""
    m = f.mapping(top["validate"], top, "validate", "validate:")
    if m is None:
        return ValidateSettings()
    f.keys(m, "validate", "validate")
    allowed = []
    for code in f.names(m, "allow", "validate", "[gap, stale-checklist]"):
        if code in codes.ALL:
            allowed.append(code)
            continue
        close = suggest(code, codes.ALL)
        hint = f"did you mean {close!r}?" if close else f"write one of: {', '.join(codes.WARNINGS)}"
        f.error(m, "allow", f"allow: {code!r} in validate is not a problem code; {hint}")
    return ValidateSettings(tuple(dict.fromkeys(allowed)))


def _readiness(top: MarkedMap, root: Path, problems: list[Problem]) -> ReadinessSettings:
    """The ``readiness:`` section; its problems are also kept on it, so they stop only the readiness
    commands that share or read results."""
    own: list[Problem] = []
    f = FileReader(FILE_NAME, own)
    m = f.mapping(top["readiness"], top, "readiness", "readiness:")
    settings = ReadinessSettings()
    if m is not None:
        f.keys(m, "readiness", "readiness")
        remote = f.word(m, "remote", "readiness", "origin") or settings.remote
        if remote.startswith("-"):
            f.error(m, "remote", f"remote: {remote!r} in readiness is not a git remote; write a remote name or URL")
        share, folder = m.get("share"), None
        if share == "git":
            settings = ReadinessSettings("git", remote)
        elif isinstance(share, MarkedMap) and list(share) == ["dir"] and isinstance(share["dir"], str) \
                and share["dir"].strip():
            folder = Path(share["dir"].strip()).expanduser()
            settings = ReadinessSettings("dir", remote, folder if folder.is_absolute() else root / folder)
        elif share is not None:
            f.error(m, "share", "share: in readiness must be `git` or `{dir: PATH}` (a folder everyone can write)")
        else:
            settings = ReadinessSettings(None, remote)
    problems.extend(own)
    if any(p.severity == "error" for p in own):  # never share through settings that are wrong
        return ReadinessSettings(None, settings.remote, None, tuple(own))
    return ReadinessSettings(settings.share, settings.remote, settings.folder, tuple(own))


def _notify(f: FileReader, top: MarkedMap, schedules: Collection[str], root: Path) -> NotifySettings:
    m = f.mapping(top["notify"], top, "notify", "notify:")
    if m is None:
        return NotifySettings()
    f.keys(m, "notify", "notify")
    channels: dict[str, Channel] = {}
    declared: list[str] = []
    if m.get("channels") is not None:
        raw_channels = f.mapping(m["channels"], m, "channels", "notify.channels")
        for name, raw in (raw_channels or {}).items():
            declared.append(name)
            channel = _channel(f, name, raw, raw_channels, root)
            if channel is not None:
                channels[name] = channel

    def known(names: tuple[str, ...], container: object, key: object) -> tuple[str, ...]:
        for name in names:
            if name not in declared:
                close = suggest(name, declared)
                hint = f"did you mean {close!r}?" if close else f"write one of: {listing(declared)}"
                f.error(container, key, f"unknown channel {name!r} (not under notify.channels); {hint}",
                        codes.UNKNOWN_REFERENCE)
        return tuple(n for n in names if n in channels)

    team = known(f.names(m, "team", "notify", "[ops-slack]"), m, "team")
    direct = known(f.names(m, "direct", "notify", "[mail]"), m, "direct")
    remind_before = f.durations(m, "remind_before", "mhdw")
    ready_before = f.duration(m, "ready_before")
    lookback, catch_up = f.duration(m, "lookback"), f.duration(m, "catch_up")
    changes_within = f.duration(m, "changes_within")
    digest = _digest(f, m) if m.get("digest") is not None else None
    topics: dict[str, str] = {}  # topic channel -> the schedule that sets it

    routes: dict[str, ScheduleRoute] = {}
    if m.get("schedules") is not None:
        raw_routes = f.mapping(m["schedules"], m, "schedules", "notify.schedules")
        for sid, raw in (raw_routes or {}).items():
            if sid not in schedules:
                close = suggest(sid, schedules)
                hint = f"did you mean {close!r}?" if close else f"write one of: {listing(schedules)}"
                f.error(raw_routes, sid, f"unknown schedule {sid!r} in notify.schedules; {hint}",
                        codes.UNKNOWN_REFERENCE)
            what = f"notify.schedules.{sid}"
            route = f.mapping(raw, raw_routes, sid, what) if raw is not None else MarkedMap(0)
            if route is None:
                continue
            f.keys(route, "route", what)
            names = known(f.names(route, "channel", what, "ops-slack"), route, "channel")
            leads = f.durations(route, "remind_before", "mhdw") if "remind_before" in route else None
            playbook = read_playbook(f, route, "playbook", what, root)
            secondary = _secondary(f, route, sid, what, schedules) if "secondary" in route else None
            usergroup = _slack_id(f, route, "slack_usergroup", what, _USERGROUP, "S0614TZR7",
                                  "the user group's id (S0...), from its page in Slack or usergroups.list")
            topic = _topic(f, route, what, sid, topics) if route.get("slack_topic") is not None else None
            routes[sid] = ScheduleRoute(names, leads, playbook, secondary, usergroup, topic)

    settings = NotifySettings(
        channels=channels,
        team=team,
        direct=direct,
        schedules=routes,
        remind_before=DEFAULT_REMIND_BEFORE if remind_before is None else remind_before,
        ready_before=ready_before.seconds if ready_before else None,
        lookback=lookback.seconds if lookback else DEFAULT_LOOKBACK,
        catch_up=catch_up.seconds if catch_up else DEFAULT_CATCH_UP,
        changes_within=changes_within.seconds if changes_within else DEFAULT_CHANGES_WITHIN,
        digest=digest,
        file=FILE_NAME,
    )
    for sid, kept in routes.items():
        if (kept.slack_usergroup or kept.slack_topic) and settings.slack_api(sid) is None:
            key = "slack_usergroup" if kept.slack_usergroup else "slack_topic"
            f.error(m["schedules"][sid], key, f"{key} in notify.schedules.{sid} needs a `type: slack-api` channel (a bot "
                                          "token) among its channels; add one under notify.channels and name it "
                                          "in `channel:`", codes.MISSING_KEY)
    return settings


def _secondary(f: FileReader, route: MarkedMap, sid: str, what: str, schedules: Collection[str]) -> tuple[str, ...]:
    out = []
    for ref, where, key in f.refs(route, "secondary", what):
        if ref == sid:
            f.error(where, key, f"secondary: {sid!r} names the schedule itself; write the id of its secondary "
                                "schedule")
        elif ref not in schedules:
            close = suggest(ref, schedules)
            hint = f"did you mean {close!r}?" if close else f"write one of: {listing(schedules)}"
            f.error(where, key, f"unknown schedule {ref!r} in secondary: of {what}; {hint}", codes.UNKNOWN_REFERENCE)
        else:
            out.append(ref)
    return tuple(out)


def _slack_id(f: FileReader, m: MarkedMap, key: str, what: str, pattern: re.Pattern[str], example: str,
              where: str) -> str | None:
    value = f.word(m, key, what, example)
    if value is not None and not pattern.match(value):
        f.error(m, key, f"{key}: {value!r} in {what} is not a Slack id; write {where}, e.g. {example}")
        return None
    return value


def _topic(f: FileReader, route: MarkedMap, what: str, sid: str, topics: dict[str, str]) -> SlackTopic | None:
    m = f.mapping(route["slack_topic"], route, "slack_topic", f"slack_topic: in {what}")
    if m is None or not f.keys(m, "slack_topic", f"slack_topic: in {what}"):
        return None
    channel = _slack_id(f, m, "channel", f"slack_topic: in {what}", _CONVERSATION, "C012AB3CD",
                        "the channel's id (C0... or G0...), from the bottom of its details in Slack")
    template = f.text(m, "template", f"slack_topic: in {what}")
    if template is not None:
        wrong = topic_template_problem(template)
        if wrong:
            f.error(m, "template", f"template: {wrong}")
            return None
    if channel is None:
        return None
    if channel in topics:
        f.error(m, "channel", f"the topic of {channel} is already kept by notify.schedules.{topics[channel]}; "
                              "give each schedule its own channel, or drop one slack_topic", codes.DUPLICATE)
        return None
    topics[channel] = sid
    return SlackTopic(channel, template if template is not None else DEFAULT_TOPIC)


def topic_template_problem(template: str) -> str | None:
    """What is wrong with a topic template (None: nothing): its fields must be known, without
    conversions or format specs."""
    allowed = ", ".join("{" + name + "}" for name in fmt.TOPIC_FIELDS)
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError as exc:
        return f"{template!r} is not a template ({exc}); write fields in braces like {{person.name}}, and {{{{ }}}} " \
               "for a literal brace"
    for _, name, spec, conversion in fields:
        if name is None:
            continue
        ok = name in fmt.TOPIC_FIELDS or (name.startswith("person.") and name[7:].isidentifier())
        if not ok or spec or conversion:
            return f"unknown field {{{name}}} in {template!r}; write one of {allowed} or any {{person.<field>}}"
    return None


def _digest(f: FileReader, m: MarkedMap) -> Digest | None:
    d = f.mapping(m["digest"], m, "digest", "notify.digest")
    if d is None:
        return None
    f.keys(d, "digest", "notify.digest")
    day = f.choice(d, "day", "notify.digest", fmt.DAY_NAMES)
    at = 9 * 60
    if d.get("at") is not None:
        try:
            at = parse_time_of_day(d["at"])
        except TimeValueError as exc:
            f.error(d, "at", f"at: {exc}")
    tz = f.timezone(d, "timezone")
    return Digest(fmt.DAY_NAMES.index(day) if day else 0, at, tz or "UTC")


def _channel(f: FileReader, name: str, raw: Any, channels: MarkedMap | None, root: Path) -> Channel | None:
    if not _CHANNEL_NAME.match(name):
        f.error(channels, name, f"channel name {name!r} must be letters, digits, '.', '_' or '-', e.g. ops-slack")
        return None
    m = f.mapping(raw, channels, name, f"channel {name!r}")
    if m is None:
        return None
    what = f"channel {name!r}"
    kind = m.get("type")
    if kind == "slack":
        f.keys(m, "slack_channel", what)
        secret = f.word(m, "webhook_secret", what, "slack-ops-webhook")
        tz, timeout = f.timezone(m, "timezone"), _timeout(f, m)
        return SlackChannel(name, secret, tz, timeout) if secret else None
    if kind == "email":
        f.keys(m, "email_channel", what)
        return _email_channel(f, name, m, root)
    if kind == "slack-api":
        f.keys(m, "slack_api_channel", what)
        return _slack_api_channel(f, name, m)
    f.error(m, "type" if "type" in m else None, f"{what} needs type: slack, slack-api or email (got {kind!r})",
            codes.MISSING_KEY if kind is None else codes.BAD_VALUE)
    return None


def _slack_api_channel(f: FileReader, name: str, m: MarkedMap) -> SlackApiChannel | None:
    what = f"channel {name!r}"
    before = len(f.problems)
    secret = f.word(m, "token_secret", what, "slack-bot-token")
    to = f.names(m, "to", what, "C012AB3CD")
    for channel in to:
        if not _CONVERSATION.match(channel):
            f.error(m, "to", f"to: {channel!r} in {what} is not a Slack channel id; write the channel's id (C0... "
                             "or G0...), from the bottom of its details in Slack, e.g. C012AB3CD")
    api_url = f.word(m, "api_url", what, DEFAULT_SLACK_API) or DEFAULT_SLACK_API
    try:
        split = urlsplit(api_url)
        secure = split.scheme == "https" or (split.scheme == "http" and is_loopback(api_url))
        valid = bool(split.hostname) and not split.query and not split.fragment
    except ValueError:
        secure = valid = False
    if not (secure and valid):
        f.error(m, "api_url", f"api_url: {api_url!r} in {what} is not an https:// URL (http:// only to this "
                              "machine: the token would cross the network in clear); write e.g. "
                              f"{DEFAULT_SLACK_API}")
    tz, timeout = f.timezone(m, "timezone"), _timeout(f, m)
    if secret is None or any(p.severity == "error" for p in f.problems[before:]):
        return None
    return SlackApiChannel(name, secret, to, api_url if api_url.endswith("/") else api_url + "/", tz, timeout)


def _email_channel(f: FileReader, name: str, m: MarkedMap, root: Path) -> EmailChannel | None:
    what = f"channel {name!r}"
    before = len(f.problems)
    host = f.word(m, "host", what, "smtp.example.com")
    sender = f.word(m, "sender", what, "oncall@example.com")
    if sender is not None and not _EMAIL.match(sender):
        f.error(m, "sender", f"sender {sender!r} is not an email address; write e.g. oncall@example.com")
    security = m.get("security", "starttls")
    if security not in fmt.SECURITY_MODES:
        f.error(m, "security", f"security {security!r} is not one of {', '.join(fmt.SECURITY_MODES)}; "
                               "write starttls (port 587), tls (port 465) or none (local relays only)")
        security = "starttls"
    port = m.get("port", DEFAULT_PORTS[security])
    if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
        f.error(m, "port", f"port {port!r} must be a whole number from 1 to 65535, e.g. {DEFAULT_PORTS[security]}")
    username = f.word(m, "username", what, "oncall@example.com")
    password_secret = f.word(m, "password_secret", what, "smtp-oncall")
    if username and security == "none" and host and not is_loopback(f"smtp://{host}"):
        f.error(m, "security", f"security: none would send the password for {username!r} unencrypted; "
                               "write security: starttls (port 587) or tls (port 465)")
    if password_secret and not username:
        f.error(m, "password_secret", "password_secret needs username: write the SMTP login, "
                                      "e.g. username: oncall@example.com", codes.MISSING_KEY)
    to = f.names(m, "to", what, "[team@example.com]")
    for address in to:
        if not _EMAIL.match(address):
            f.error(m, "to", f"{address!r} is not an email address; write e.g. team@example.com")
    ca_file = None
    text = f.word(m, "ca_file", what, "certs/smtp-ca.pem")
    if text is not None:
        ca_file = Path(text).expanduser()
        ca_file = ca_file if ca_file.is_absolute() else root / ca_file
        if not ca_file.is_file():
            f.error(m, "ca_file", f"ca_file {text!r} does not exist; write the path of a PEM file "
                                  "(relative to the config root)", codes.UNKNOWN_REFERENCE)
    tz, timeout = f.timezone(m, "timezone"), _timeout(f, m)
    if host is None or sender is None or any(p.severity == "error" for p in f.problems[before:]):
        return None
    return EmailChannel(name, host, sender, int(port), str(security), username, password_secret, to, ca_file,
                        tz, timeout)


def _timeout(f: FileReader, m: MarkedMap) -> float:
    timeout = f.duration(m, "timeout")
    return float(timeout.seconds) if timeout else DEFAULT_CHANNEL_TIMEOUT


def is_loopback(url: str) -> bool:
    """True for a URL whose host is this machine (test servers, local relays)."""
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
