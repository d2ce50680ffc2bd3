"""The domain model: frozen dataclasses built by ``oncall.config`` and read by everything else.

Instants are integer seconds since the Unix epoch (UTC). Local wall-clock readings are naive
``datetime`` objects, read in the timezone of their context (the schedule's or the person's).
Every object loaded from a file keeps a ``Location`` so messages can point at the line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any, NamedTuple

from oncall.errors import Location, NotFound, Problem
from oncall.holidays import HolidayCalendar
from oncall.times import Duration, zone

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Interval:
    """A half-open range of instants ``[start, end)`` in epoch seconds."""

    start: int
    end: int
    location: Location | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    email: str | None = None
    timezone: str = "UTC"
    time_off: tuple[Interval, ...] = ()  # sorted, resolved to instants in the person's zone
    slack: str | None = None  # Slack member id (U0...), for mentions, DMs and the @oncall group
    country: str | None = None  # ISO 3166 code: this person's public holidays (reports, skip_holidays: people)
    subdivision: str | None = None  # a state or region of ``country`` with its own holidays
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)  # phone and other free-form fields
    location: Location | None = field(default=None, compare=False)

    @property
    def tz(self) -> tzinfo:
        return zone(self.timezone)

    @property
    def display(self) -> str:
        return self.name or self.id

    def fields(self) -> dict[str, Any]:
        """Every field usable as ``{person.<field>}`` in checklist strings."""
        values: dict[str, Any] = dict(self.extra)
        values.update(id=self.id, name=self.name, email=self.email or "", timezone=self.timezone,
                      slack=self.slack or "", country=self.country or "", subdivision=self.subdivision or "")
        return values


@dataclass(frozen=True)
class Window:
    """A daily restriction window, in the schedule's wall clock.

    ``days`` are weekday numbers (0 = Monday) on which a window *starts*; ``start``/``end`` are
    minutes after midnight. ``end <= start`` means the window runs past midnight into the next day.
    """

    days: frozenset[int]
    start: int
    end: int
    location: Location | None = field(default=None, compare=False)
    lines: Mapping[str, int] = field(default_factory=dict, compare=False)  # the line of each key as written

    @property
    def length(self) -> int:
        """Minutes the window lasts (on the wall clock)."""
        return self.end - self.start if self.end > self.start else self.end + 1440 - self.start


@dataclass(frozen=True)
class Layer:
    name: str
    people: tuple[str, ...]
    start: datetime  # naive wall-clock reading in the layer's zone: turn 0 starts here
    every: Duration  # h, d or w
    end: datetime | None = None  # naive wall-clock reading; no coverage from here on
    only: tuple[Window, ...] = ()  # empty: no restriction
    skip_holidays: str | None = None  # a country code for the ``holidays`` package, or "people"
    timezone: str | None = None  # the zone start, end, turns and windows are read in; None: the schedule's
    offset: int = 0  # turn k belongs to people[(k + offset) % len(people)]
    advance: str = "always"  # "always": every period is a turn; "covered": only periods that meet a window
    location: Location | None = field(default=None, compare=False)
    lines: Mapping[str, int] = field(default_factory=dict, compare=False)  # the line of each key as written


@dataclass(frozen=True)
class Override:
    person: str
    start: int
    end: int
    replaces: str | None = None
    reason: str | None = None
    location: Location | None = field(default=None, compare=False)
    lines: Mapping[str, int] = field(default_factory=dict, compare=False)  # the line of each key as written


@dataclass(frozen=True)
class Schedule:
    id: str
    timezone: str
    layers: tuple[Layer, ...]
    name: str = ""
    checklist: str | None = None
    overrides: tuple[Override, ...] = ()
    playbook: str | None = None  # a playbooks/<name>.md stem or a URL, linked from messages
    avoid: tuple[str, ...] = ()  # schedule ids whose on-call people this schedule never picks
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)
    path: Path | None = field(default=None, compare=False)
    # The line of each key as written, and of each entry of avoid: as "avoid.<id>".
    lines: Mapping[str, int] = field(default_factory=dict, compare=False)

    @property
    def tz(self) -> tzinfo:
        return zone(self.timezone)

    @property
    def display(self) -> str:
        return self.name or self.id


@dataclass(frozen=True)
class ChecklistItem:
    """One readiness item. ``kind`` is the check kind (command, tcp, http, dns, file, env,
    secret, confirm); ``check`` holds its parameters exactly as written."""

    id: str
    title: str
    kind: str
    check: Mapping[str, Any] = field(default_factory=dict, compare=False)
    fix: str | None = None
    timeout: float = 10.0  # seconds
    retries: int = 0
    needs: tuple[str, ...] = ()
    when: Mapping[str, Any] = field(default_factory=dict, compare=False)
    playbook: str | None = None
    valid_for: Duration | None = None  # for confirm items
    severity: str = "block"  # "block": a failure makes the person not ready; "warn": it only warns
    location: Location | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Checklist:
    id: str
    name: str
    items: tuple[ChecklistItem, ...]
    owner: str | None = None
    reviewed: date | None = None
    review_every: Duration | None = None
    max_age: Duration | None = None  # a shared result older than this at a shift's start is stale (default 7d)
    path: Path | None = field(default=None, compare=False)
    review_location: Location | None = field(default=None, compare=False)  # the `reviewed:` line

    @property
    def review_due(self) -> date | None:
        """The date from which the checklist is stale: ``reviewed`` plus ``review_every`` in whole
        days (rounded up, at least one). None when either is missing.

        This is the one staleness rule: ``schedule validate``, ``ready`` and notifications all ask
        it (docs/readiness.md)."""
        if self.reviewed is None or self.review_every is None:
            return None
        days = max(1, -(-self.review_every.seconds // 86400))
        return self.reviewed + timedelta(days=days)

    def overdue_days(self, today: date) -> int | None:
        """Whole days the review is overdue on ``today`` (0 on the due date itself), or None when
        the checklist is not stale on ``today`` (or has no review rule).

        ``today`` is the caller's calendar date: the command line passes the date in the
        machine's timezone."""
        due = self.review_due
        if due is None or today < due:
            return None
        return (today - due).days


DEFAULT_REMIND_BEFORE = (86400, 3600)  # seconds, largest first
DEFAULT_LOOKBACK = 3600
DEFAULT_CATCH_UP = 6 * 3600
DEFAULT_CHANNEL_TIMEOUT = 10.0
DEFAULT_CHANGES_WITHIN = 14 * 86400
DEFAULT_SLACK_API = "https://slack.com/api/"
DEFAULT_TOPIC = "on call: {person.slack_mention} until {end}"


@dataclass(frozen=True)
class SlackChannel:
    """A Slack incoming webhook; its URL is the keyring secret ``webhook_secret``."""

    name: str
    webhook_secret: str
    timezone: str | None = None
    timeout: float = DEFAULT_CHANNEL_TIMEOUT

    kind = "slack"


@dataclass(frozen=True)
class SlackApiChannel:
    """Slack's Web API with a bot token (the keyring secret ``token_secret``): posts with
    ``chat.postMessage`` to ``to`` (channel ids) or a person's Slack id, and keeps user groups and
    channel topics in step with the schedule."""

    name: str
    token_secret: str
    to: tuple[str, ...] = ()  # channel ids (C0...) of team posts; () -> the schedule's topic channel
    api_url: str = DEFAULT_SLACK_API
    timezone: str | None = None
    timeout: float = DEFAULT_CHANNEL_TIMEOUT

    kind = "slack-api"


@dataclass(frozen=True)
class EmailChannel:
    """An SMTP server. ``to`` receives team messages; direct messages go to the person's email."""

    name: str
    host: str
    sender: str
    port: int = 587
    security: str = "starttls"  # starttls | tls | none
    username: str | None = None
    password_secret: str | None = None  # keyring entry holding the SMTP password
    to: tuple[str, ...] = ()
    ca_file: Path | None = None  # resolved against the config root
    timezone: str | None = None
    timeout: float = DEFAULT_CHANNEL_TIMEOUT

    kind = "email"


Channel = SlackChannel | SlackApiChannel | EmailChannel


@dataclass(frozen=True)
class SlackTopic:
    """A Slack channel whose topic shows who is on call: ``template`` with ``{person.*}``,
    ``{schedule.*}``, ``{start}`` and ``{end}`` filled in."""

    channel: str
    template: str = DEFAULT_TOPIC


@dataclass(frozen=True)
class Digest:
    """The weekly digest: sent at ``at`` (minutes after midnight) on ``day`` (0 = Monday) in
    ``timezone``, covering the seven days from then."""

    day: int = 0
    at: int = 9 * 60
    timezone: str = "UTC"


@dataclass(frozen=True)
class ScheduleRoute:
    """Where one schedule's team messages go, its own reminder lead times, and what it keeps
    in step on Slack."""

    channels: tuple[str, ...] = ()
    remind_before: tuple[int, ...] | None = None  # seconds, largest first; None: the section's default
    playbook: str | None = None
    secondary: tuple[str, ...] | None = None  # schedule ids; None: the schedules that avoid this one
    slack_usergroup: str | None = None  # a user group id (S0...) kept equal to who is on call now
    slack_topic: SlackTopic | None = None


@dataclass(frozen=True)
class NotifySettings:
    """The ``notify:`` section of ``oncall.yaml``. Durations are seconds."""

    channels: Mapping[str, Channel] = field(default_factory=dict)
    team: tuple[str, ...] = ()  # default team channels for schedules without a route
    direct: tuple[str, ...] = ()  # channels that reach a person directly
    schedules: Mapping[str, ScheduleRoute] = field(default_factory=dict)
    remind_before: tuple[int, ...] = DEFAULT_REMIND_BEFORE  # largest first
    ready_before: int | None = None  # None: the largest reminder lead
    lookback: int = DEFAULT_LOOKBACK
    catch_up: int = DEFAULT_CATCH_UP
    changes_within: int = DEFAULT_CHANGES_WITHIN  # each person's shifts this far ahead are watched
    digest: Digest | None = None
    file: str = "oncall.yaml"

    def route(self, schedule_id: str) -> ScheduleRoute:
        """The schedule's route, falling back to the default team channels."""
        own = self.schedules.get(schedule_id)
        if own is None:
            return ScheduleRoute(channels=self.team)
        if not own.channels:
            return replace(own, channels=self.team)
        return own

    def slack_api(self, schedule_id: str) -> SlackApiChannel | None:
        """The Web API channel that keeps this schedule's user group and topic: the first
        ``slack-api`` channel among its own channels, else the only one there is."""
        for name in self.route(schedule_id).channels:
            channel = self.channels.get(name)
            if isinstance(channel, SlackApiChannel):
                return channel
        every = [c for c in self.channels.values() if isinstance(c, SlackApiChannel)]
        return every[0] if len(every) == 1 else None

    def leads(self, schedule_id: str) -> tuple[int, ...]:
        own = self.route(schedule_id).remind_before
        return self.remind_before if own is None else own

    @property
    def readiness_horizon(self) -> int:
        if self.ready_before is not None:
            return self.ready_before
        return max(self.remind_before, default=86400)


@dataclass(frozen=True)
class ReadinessSettings:
    """The ``readiness:`` section of ``oncall.yaml``: how readiness results are shared."""

    share: str | None = None  # "git", "dir", or None: results stay on each machine
    remote: str = "origin"  # the git remote results are pushed to and fetched from
    folder: Path | None = None  # share: {dir: PATH}, resolved against the config root
    problems: tuple[Problem, ...] = field(default=(), compare=False)  # this section's own problems


@dataclass(frozen=True)
class ValidateSettings:
    """The ``validate:`` section of ``oncall.yaml``."""

    allow: tuple[str, ...] = ()  # warning codes that do not fail `schedule validate --strict`


@dataclass(frozen=True)
class Settings:
    """``oncall.yaml``, as read. ``problems`` are what the loader found wrong in it: its errors
    stop the commands that use these settings (``notify``) and ``schedule validate``, not the
    ones that only read schedules."""

    notify: NotifySettings = field(default_factory=NotifySettings)
    readiness: ReadinessSettings = field(default_factory=ReadinessSettings)
    problems: tuple[Problem, ...] = field(default=(), compare=False)
    validate: ValidateSettings = field(default_factory=ValidateSettings)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


@dataclass(frozen=True)
class Org:
    """Everything under one config root."""

    root: Path
    people: Mapping[str, Person]
    schedules: Mapping[str, Schedule]  # by id, sorted
    checklists: Mapping[str, Checklist]
    settings: Settings = field(default_factory=Settings, compare=False)  # oncall.yaml
    holidays: HolidayCalendar = field(default_factory=HolidayCalendar, compare=False, repr=False)

    def person(self, person_id: str, argument: str | None = None) -> Person:
        """The person ``person_id`` of people.yaml; ``NotFound`` naming the known ids otherwise
        (``argument``: the command-line argument that gave it, for the message). Every command
        that takes a person id looks it up here."""
        found = self.people.get(person_id)
        if found is None:
            raise NotFound(f"no person {person_id!r} in people.yaml; add them there first, or name one of: "
                           f"{', '.join(sorted(self.people)) or 'nobody yet'}", argument=argument)
        return found


class Reason(NamedTuple):
    """Why someone is on call for (part of) a shift.

    ``kind`` is ``layer`` (the layer's own turn), ``override``, ``cover`` (covering ``person``'s
    time off), ``holiday`` (covering ``person``'s public holiday) or ``avoid`` (covering
    ``person``, who is on call in a schedule this one avoids). ``layer`` names the layer for
    every kind but ``override``; ``note`` is an override's ``reason:`` text.
    """

    kind: str
    layer: str | None = None
    person: str | None = None
    note: str | None = None

    @property
    def code(self) -> str:
        """The compact form scripts read (JSON, CSV): ``layer:weekly``, ``override``, ``cover:bob``,
        ``holiday:bob``, ``avoid:bob``."""
        if self.kind == "layer":
            return f"layer:{self.layer}"
        if self.person is not None:
            return f"{self.kind}:{self.person}"
        return self.kind

    @property
    def unusual(self) -> bool:
        """Whether this reason tells a reader something: every kind but a layer's own turn (that
        someone is on call in their turn goes without saying)."""
        return self.kind != "layer"

    def describe(self, name: Callable[[str], str] = str) -> str:
        """The wording people read (tables, calendar events, messages); ``name`` turns a person id
        into a display name."""
        if self.kind == "layer":
            return f"layer {self.layer}"
        if self.kind == "override":
            return f"override: {self.note}" if self.note else "override"
        who = name(self.person) if self.person is not None else "someone"
        if self.kind == "cover":
            return f"covering {who}'s time off"
        if self.kind == "holiday":
            return f"covering {who} (public holiday)"
        if self.kind == "avoid":
            return f"covering {who} (on call in another schedule)"
        return self.code


def reason_codes(reasons: Iterable[Reason]) -> str:
    """Reasons in their compact form, joined with ``", "`` (``layer:weekly, cover:bob``)."""
    return ", ".join(r.code for r in reasons)


def describe_reasons(reasons: Iterable[Reason], name: Callable[[str], str] = str) -> str:
    """Reasons in words, joined with ``"; "`` (``layer weekly; covering Bob's time off``)."""
    return "; ".join(r.describe(name) for r in reasons)


class Shift(NamedTuple):
    """A maximal interval with one person on call, as the engine returns it.

    ``start``/``end`` are clipped to the window asked for; ``whole_start``/``whole_end`` are the
    shift's real bounds (None where it goes on beyond the engine's reach, or for a shift not made
    by the engine); ``before``/``after`` say who is on call just before and just after it (None:
    nobody, or nothing found within the engine's reach). ``reasons`` say why, over the whole
    shift, in the order they first apply.

    A named tuple rather than a dataclass: a year of a large org is hundreds of thousands of
    shifts, and tuples are several times cheaper to make."""

    schedule: str
    person: str
    start: int
    end: int
    reasons: tuple[Reason, ...] = ()
    whole_start: int | None = None
    whole_end: int | None = None
    before: str | None = None
    after: str | None = None

    @property
    def known_start(self) -> int:
        """The real start where the engine found it, else the clipped one (as far as it looked)."""
        return self.whole_start if self.whole_start is not None else self.start

    @property
    def known_end(self) -> int:
        """The real end where the engine found it, else the clipped one (as far as it looked)."""
        return self.whole_end if self.whole_end is not None else self.end


class Gap(NamedTuple):
    """An interval with nobody on call; bounds as in ``Shift`` (``whole_start``/``whole_end`` None
    where the gap is open beyond the engine's reach)."""

    schedule: str
    start: int
    end: int
    whole_start: int | None = None
    whole_end: int | None = None
    before: str | None = None
    after: str | None = None


class OnCall(NamedTuple):
    """Who is on call in one schedule at one instant: the shift holding it (``start``/``end`` its
    real bounds, or as far as the engine looked where it goes on beyond), or the gap holding it;
    and who is on call next, from when (None when nobody is within reach)."""

    schedule: str
    at: int
    shift: Shift | None
    gap: Gap | None
    next_person: str | None = None
    next_start: int | None = None

    @property
    def person(self) -> str | None:
        return self.shift.person if self.shift is not None else None

    @property
    def start(self) -> int | None:
        return self.shift.start if self.shift is not None else None

    @property
    def end(self) -> int | None:
        return self.shift.end if self.shift is not None else None

    @property
    def reasons(self) -> tuple[Reason, ...]:
        return self.shift.reasons if self.shift is not None else ()

    @property
    def gap_start(self) -> int | None:
        return self.gap.whole_start if self.gap is not None else None

    @property
    def gap_end(self) -> int | None:
        return self.gap.whole_end if self.gap is not None else None
