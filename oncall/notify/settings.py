"""The ``notify:`` section of ``oncall.yaml``: channels, routing and reminder lead times.

Everything notification-related lives under one top-level ``notify:`` key so the rest of
``oncall.yaml`` stays free for other settings. Secrets (a Slack webhook URL, an SMTP password) are
never written here: the file names a keyring entry and the value is read at send time.

Validation follows the other config files: every problem in the section is collected and reported
together with ``file:line``; unknown keys are warnings, bad values are errors (exit 2).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from oncall.config.marked import line_of
from oncall.errors import ConfigErrors, Location, Problem
from oncall.model import Org
from oncall.times import TimeValueError, parse_duration, zone

SETTINGS_FILE = "oncall.yaml"
SECURITY_MODES = ("starttls", "tls", "none")
DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+$")

DEFAULT_REMIND_BEFORE = (86400, 3600)
DEFAULT_LOOKBACK = 3600
DEFAULT_CATCH_UP = 6 * 3600


@dataclass(frozen=True)
class SlackChannel:
    """A Slack incoming webhook; its URL is the keyring secret ``webhook_secret``."""

    name: str
    webhook_secret: str
    timezone: str | None = None
    timeout: float = 10.0

    kind = "slack"


@dataclass(frozen=True)
class EmailChannel:
    """An SMTP server. ``to`` receives team messages; direct messages go to the person's email."""

    name: str
    host: str
    sender: str
    port: int = 587
    security: str = "starttls"
    username: str | None = None
    password_secret: str | None = None
    to: tuple[str, ...] = ()
    ca_file: Path | None = None
    timezone: str | None = None
    timeout: float = 10.0

    kind = "email"


Channel = SlackChannel | EmailChannel


@dataclass(frozen=True)
class ScheduleRoute:
    """Where one schedule's team messages go, and its own reminder lead times."""

    channels: tuple[str, ...] = ()
    remind_before: tuple[int, ...] | None = None  # None: the section's default
    playbook: str | None = None


@dataclass(frozen=True)
class NotifySettings:
    channels: Mapping[str, Channel] = field(default_factory=dict)
    team: tuple[str, ...] = ()  # default team channels for schedules without a route
    direct: tuple[str, ...] = ()  # channels that reach a person directly
    schedules: Mapping[str, ScheduleRoute] = field(default_factory=dict)
    remind_before: tuple[int, ...] = DEFAULT_REMIND_BEFORE  # seconds, largest first
    ready_before: int | None = None  # seconds; None: the largest reminder lead
    lookback: int = DEFAULT_LOOKBACK
    catch_up: int = DEFAULT_CATCH_UP
    file: str = SETTINGS_FILE

    def route(self, schedule_id: str) -> ScheduleRoute:
        """The schedule's route, falling back to the default team channels."""
        own = self.schedules.get(schedule_id)
        if own is None:
            return ScheduleRoute(channels=self.team)
        if not own.channels:
            return ScheduleRoute(self.team, own.remind_before, own.playbook)
        return own

    def leads(self, schedule_id: str) -> tuple[int, ...]:
        own = self.route(schedule_id).remind_before
        return self.remind_before if own is None else own

    @property
    def readiness_horizon(self) -> int:
        if self.ready_before is not None:
            return self.ready_before
        return max(self.remind_before, default=86400)


# --- validation --------------------------------------------------------------------------------


class _Checker:
    """Collects problems with their lines while the section is read."""

    def __init__(self, file: str, data: Any) -> None:
        self.file = file
        self.data = data  # the config package's marked mapping: every key knows its line
        self.problems: list[Problem] = []

    def where(self, path: tuple[Any, ...]) -> Location:
        """The line of the deepest key along ``path`` that the marked data knows."""
        line, container = line_of(self.data), self.data
        for key in path:
            line = line_of(container, key) or line
            try:
                container = container[key]
            except (KeyError, IndexError, TypeError):
                break
        return Location(self.file, line)

    def error(self, path: tuple[Any, ...], message: str) -> None:
        self.problems.append(Problem(message, self.where(path)))

    def warn(self, path: tuple[Any, ...], message: str) -> None:
        self.problems.append(Problem(message, self.where(path), "warning"))

    def mapping(self, value: Any, path: tuple[Any, ...], what: str, allowed: Sequence[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.error(path, f"{what} must be a mapping of keys, e.g. {allowed[0]}: ...")
            return {}
        for key in value:
            if key not in allowed:
                self.warn((*path, key), f"unknown key {key!r} in {what} (ignored); known keys: {', '.join(allowed)}")
        return value

    def text(self, value: Any, path: tuple[Any, ...], what: str, example: str) -> str | None:
        if isinstance(value, str) and value.strip():
            return value.strip()
        self.error(path, f"{what} must be a non-empty string, e.g. {example}")
        return None

    def name_list(self, value: Any, path: tuple[Any, ...], what: str, example: str) -> tuple[str, ...]:
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(i, str) and i for i in items):
            self.error(path, f"{what} must be a name or a list of names, e.g. {example}")
            return ()
        return tuple(items)

    def durations(self, value: Any, path: tuple[Any, ...], what: str) -> tuple[int, ...] | None:
        items = value if isinstance(value, list) else [value]
        out: list[int] = []
        for i, item in enumerate(items):
            try:
                out.append(parse_duration(item, "mhdw").seconds)
            except TimeValueError as exc:
                self.error((*path, i) if isinstance(value, list) else path, f"{what}: {exc}")
                return None
        return tuple(sorted(set(out), reverse=True))

    def duration(self, value: Any, path: tuple[Any, ...], what: str) -> int | None:
        try:
            return parse_duration(value, "smhdw").seconds
        except TimeValueError as exc:
            self.error(path, f"{what}: {exc}")
            return None


_SECTION_KEYS = ("channels", "team", "direct", "schedules", "remind_before", "ready_before", "lookback", "catch_up")
_SLACK_KEYS = ("type", "webhook_secret", "timezone", "timeout")
_EMAIL_KEYS = ("type", "host", "port", "security", "sender", "username", "password_secret", "to",
               "ca_file", "timezone", "timeout")
_ROUTE_KEYS = ("channel", "remind_before", "playbook")


def parse_settings(
    data: Any, org: Org | None = None, *, file: str = SETTINGS_FILE, root: Path | None = None
) -> tuple[NotifySettings, list[Problem]]:
    """Validate the ``notify:`` section of the ``oncall.yaml`` mapping ``data``.

    Returns the settings and every problem found (errors and warnings), located by line when
    ``data`` is the config loader's marked mapping. Other top-level keys belong to other features
    and are left alone.
    """
    check = _Checker(file, data)
    if data is None:
        return NotifySettings(file=file), []
    if not isinstance(data, dict):
        check.error((), "oncall.yaml must be a mapping, e.g. notify: {channels: {...}}")
        return NotifySettings(file=file), check.problems
    section = data.get("notify")
    if section is None:
        return NotifySettings(file=file), []
    base = ("notify",)
    section = check.mapping(section, base, "notify", _SECTION_KEYS)

    channels: dict[str, Channel] = {}
    raw_channels = section.get("channels", {})
    if not isinstance(raw_channels, dict):
        check.error((*base, "channels"), "notify.channels must map channel names to settings, e.g. ops-slack: {type: slack, ...}")
        raw_channels = {}
    for name, raw in raw_channels.items():
        channel = _channel(check, str(name), raw, (*base, "channels", name), root)
        if channel is not None:
            channels[str(name)] = channel

    def known(names: tuple[str, ...], path: tuple[Any, ...]) -> tuple[str, ...]:
        for n in names:
            if n not in channels and n not in raw_channels:
                declared = ", ".join(sorted(str(c) for c in raw_channels)) or "(none)"
                check.error(path, f"no channel {n!r} under notify.channels; known: {declared}")
        return tuple(n for n in names if n in channels)

    team = known(check.name_list(section.get("team", []), (*base, "team"), "notify.team", "[ops-slack]"), (*base, "team"))
    direct = known(check.name_list(section.get("direct", []), (*base, "direct"), "notify.direct", "[mail]"), (*base, "direct"))

    remind_before: tuple[int, ...] | None = DEFAULT_REMIND_BEFORE
    if "remind_before" in section:
        remind_before = check.durations(section["remind_before"], (*base, "remind_before"), "notify.remind_before")
    ready_before = None
    if "ready_before" in section:
        ready_before = check.duration(section["ready_before"], (*base, "ready_before"), "notify.ready_before")
    lookback = check.duration(section.get("lookback", "1h"), (*base, "lookback"), "notify.lookback")
    catch_up = check.duration(section.get("catch_up", "6h"), (*base, "catch_up"), "notify.catch_up")

    schedules: dict[str, ScheduleRoute] = {}
    raw_routes = section.get("schedules", {})
    if not isinstance(raw_routes, dict):
        check.error((*base, "schedules"), "notify.schedules must map schedule ids to routes, e.g. payments: {channel: ops-slack}")
        raw_routes = {}
    for sid, raw in raw_routes.items():
        path = (*base, "schedules", sid)
        if org is not None and str(sid) not in org.schedules:
            check.error(path, f"no schedule {sid!r} in schedules/; known: {', '.join(sorted(org.schedules)) or '(none)'}")
        route = check.mapping(raw, path, f"notify.schedules.{sid}", _ROUTE_KEYS)
        names = known(check.name_list(route.get("channel", []), (*path, "channel"), "channel", "ops-slack"), (*path, "channel"))
        leads = None
        if "remind_before" in route:
            leads = check.durations(route["remind_before"], (*path, "remind_before"), "remind_before") or ()
        playbook = None
        if "playbook" in route:
            playbook = check.text(route["playbook"], (*path, "playbook"), "playbook", "https://wiki.example.com/payments")
        schedules[str(sid)] = ScheduleRoute(names, leads, playbook)

    settings = NotifySettings(
        channels=channels,
        team=team,
        direct=direct,
        schedules=schedules,
        remind_before=remind_before if remind_before is not None else DEFAULT_REMIND_BEFORE,
        ready_before=ready_before,
        lookback=lookback or DEFAULT_LOOKBACK,
        catch_up=catch_up or DEFAULT_CATCH_UP,
        file=file,
    )
    return settings, sorted(check.problems, key=lambda p: p.location.line if p.location else 0)


def _channel(check: _Checker, name: str, raw: Any, path: tuple[Any, ...], root: Path | None) -> Channel | None:
    if not _NAME.match(name):
        check.error(path, f"channel name {name!r} must be letters, digits, '.', '_' or '-', e.g. ops-slack")
        return None
    if not isinstance(raw, dict):
        check.error(path, f"channel {name!r} must be a mapping, e.g. {{type: slack, webhook_secret: slack-ops}}")
        return None
    kind = raw.get("type")
    if kind == "slack":
        raw = check.mapping(raw, path, f"channel {name!r}", _SLACK_KEYS)
        secret = check.text(raw.get("webhook_secret"), (*path, "webhook_secret"),
                            "webhook_secret (the keyring entry holding the webhook URL)", "slack-ops-webhook")
        tz = _timezone(check, raw, path)
        timeout = _timeout(check, raw, path)
        if secret is None:
            return None
        return SlackChannel(name, secret, tz, timeout)
    if kind == "email":
        raw = check.mapping(raw, path, f"channel {name!r}", _EMAIL_KEYS)
        return _email_channel(check, name, raw, path, root)
    check.error((*path, "type") if "type" in raw else path,
                f"channel {name!r} needs type: slack or type: email (got {kind!r})")
    return None


def _email_channel(check: _Checker, name: str, raw: dict[str, Any], path: tuple[Any, ...],
                   root: Path | None) -> EmailChannel | None:
    ok = True
    host = check.text(raw.get("host"), (*path, "host"), "host", "smtp.example.com")
    sender = check.text(raw.get("sender"), (*path, "sender"), "sender", "oncall@example.com")
    if sender is not None and not _EMAIL.match(sender):
        check.error((*path, "sender"), f"sender {sender!r} is not an email address; write e.g. oncall@example.com")
        ok = False
    security = raw.get("security", "starttls")
    if security not in SECURITY_MODES:
        check.error((*path, "security"), f"security {security!r} is not one of {', '.join(SECURITY_MODES)}; "
                    "write starttls (port 587), tls (port 465) or none (local relays only)")
        ok = False
        security = "starttls"
    port = raw.get("port", DEFAULT_PORTS[security])
    if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
        check.error((*path, "port"), f"port {port!r} must be a whole number from 1 to 65535, e.g. {DEFAULT_PORTS[security]}")
        ok = False
    username = None
    if "username" in raw:
        username = check.text(raw["username"], (*path, "username"), "username", "oncall@example.com")
    password_secret = None
    if "password_secret" in raw:
        password_secret = check.text(raw["password_secret"], (*path, "password_secret"),
                                     "password_secret (the keyring entry holding the SMTP password)", "smtp-oncall")
    if username and security == "none" and host and not is_loopback(f"smtp://{host}"):
        check.error((*path, "security"), f"security: none would send the password for {username!r} unencrypted; "
                    "write security: starttls (port 587) or tls (port 465)")
        ok = False
    if password_secret and not username:
        check.error((*path, "password_secret"), "password_secret needs username: write the SMTP login, e.g. username: oncall@example.com")
        ok = False
    to: tuple[str, ...] = ()
    if "to" in raw:
        to = check.name_list(raw["to"], (*path, "to"), "to", "[team@example.com]")
        for address in to:
            if not _EMAIL.match(address):
                check.error((*path, "to"), f"{address!r} is not an email address; write e.g. team@example.com")
                ok = False
    ca_file = None
    if "ca_file" in raw:
        text = check.text(raw["ca_file"], (*path, "ca_file"), "ca_file", "certs/smtp-ca.pem")
        if text is not None:
            ca_file = Path(text).expanduser()
            if not ca_file.is_absolute() and root is not None:
                ca_file = root / ca_file
            if not ca_file.is_file():
                check.error((*path, "ca_file"), f"ca_file {text!r} does not exist; write the path of a PEM file "
                            "(relative to the config root)")
                ok = False
    tz = _timezone(check, raw, path)
    timeout = _timeout(check, raw, path)
    if not (ok and host and sender):
        return None
    return EmailChannel(name, host, sender, port, security, username, password_secret, to, ca_file, tz, timeout)


def _timezone(check: _Checker, raw: dict[str, Any], path: tuple[Any, ...]) -> str | None:
    if "timezone" not in raw:
        return None
    try:
        zone(raw["timezone"])
    except TimeValueError as exc:
        check.error((*path, "timezone"), str(exc))
        return None
    return str(raw["timezone"])


def _timeout(check: _Checker, raw: dict[str, Any], path: tuple[Any, ...]) -> float:
    if "timeout" not in raw:
        return 10.0
    seconds = check.duration(raw["timeout"], (*path, "timeout"), "timeout")
    return float(seconds or 10)


def is_loopback(url: str) -> bool:
    """True for a URL whose host is this machine (test servers, local relays)."""
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def load_settings(org: Org) -> tuple[NotifySettings, list[Problem]]:
    """The ``notify:`` settings of ``org`` (``Org.settings`` holds ``oncall.yaml`` as read)."""
    return parse_settings(org.settings, org, root=org.root)


def settings_or_raise(org: Org) -> tuple[NotifySettings, list[Problem]]:
    """Like ``load_settings`` but raises ``ConfigErrors`` on errors; returns warnings."""
    settings, problems = load_settings(org)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise ConfigErrors(errors)
    return settings, [p for p in problems if p.severity != "error"]
