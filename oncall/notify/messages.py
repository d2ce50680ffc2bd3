"""What a notification says. One wording for every channel: a subject line and a few body lines.

Email sends the subject as its Subject and the lines as the body; Slack sends the subject in bold
followed by the same lines. Times are shown in the recipient's timezone (the person's for direct
messages, the channel's or the schedule's for team messages, the digest's own for the digest).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import tzinfo

from oncall.model import Person, Schedule, Shift
from oncall.times import day_text

PREFIX = "[oncall]"
UPDATES = ("usergroup", "topic")


@dataclass(frozen=True)
class FailingItem:
    """One checklist item that did not pass in the person's latest ``oncall ready --check-access``."""

    id: str
    title: str
    detail: str = ""
    fix: str | None = None
    playbook: str | None = None


@dataclass(frozen=True)
class Readiness:
    """A person's latest readiness result for their schedule's checklist (``oncall.notify.readiness``)."""

    checklist: str
    total: int
    failing: tuple[FailingItem, ...] = ()
    checked_at: int | None = None

    @property
    def ready(self) -> bool:
        return not self.failing


# How messages learn a person's readiness for a checklist (``oncall.notify.readiness.lookup_for``).
ReadinessLookup = Callable[[Person, str | None], Readiness | None]


@dataclass(frozen=True)
class Message:
    """One message to one recipient through one channel.

    ``key`` is the idempotency key (kind, schedule, shift start, person, recipient): a message
    with a key already recorded as sent is never sent again.
    """

    key: str
    kind: str  # reminder | handoff | not-ready | change | digest | usergroup | topic | test
    channel: str
    to: tuple[str, ...]  # email addresses; a Slack channel, user or user group id; () for a webhook post
    subject: str
    lines: tuple[str, ...]
    due: int  # when the message became due (epoch seconds)
    keep_until: int  # the record of sending may be forgotten after this instant
    schedule: str | None = None
    person: str | None = None
    created: int = 0  # the run's "now": the Date of an email
    mention: str | None = field(default=None, compare=False)  # Slack user id to @-mention
    value: str | None = None  # usergroup and topic: what Slack is set to (members, the topic's text)

    @property
    def body(self) -> str:
        return "\n".join(self.lines) + "\n"

    def slack_text(self) -> str:
        """The Slack ``text``: the subject in bold, then the body lines, mentioning the person."""
        head = f"*{self.subject}*"
        if self.mention:
            head += f" <@{self.mention}>"
        return "\n".join([head, *self.lines])

    @property
    def recipient(self) -> str:
        return ", ".join(self.to) if self.to else "#channel"

    @property
    def is_update(self) -> bool:
        """A setting kept in step on Slack (a user group's members, a channel's topic), not a message:
        it is sent when it differs from what was last set."""
        return self.kind in UPDATES


def when(seconds: int, tz: tzinfo, *, year: bool = True) -> str:
    """``Mon 9 Mar 2026 09:00 EDT``: a local time a person reads at a glance.

    ``year=False`` leaves the year out (``Mon 9 Mar 09:00 EDT``) for a channel topic: it always
    names a time within days of now, Slack shows it in the channel's narrow header, and a topic
    holds at most 250 characters."""
    return day_text(seconds, tz, year=year)


def span(seconds: int) -> str:
    """A rounded duration: ``45m``, ``6h``, ``1d 2h``."""
    seconds = max(0, seconds)
    minutes = (seconds + 59) // 60
    if minutes < 60:
        return f"{minutes}m"
    hours = (minutes + 30) // 60
    if hours < 48:
        return f"{hours}h"
    days, hours = divmod(hours, 24)
    return f"{days}d {hours}h" if hours else f"{days}d"


def checklist_line(status: Readiness | None, checklist: str | None, tz: tzinfo) -> str | None:
    """``Checklist primary: ...`` or None when the schedule has no checklist."""
    if checklist is None:
        return None
    if status is None:
        return f"Checklist {checklist}: not checked yet; run `oncall ready`"
    return f"Checklist {checklist}: {readiness_words(status, tz)}"


def readiness_words(status: Readiness | None, tz: tzinfo) -> str:
    """``all 6 passed (checked …)``, ``1 of 6 failing (vpn) (checked …)`` or ``not checked yet``."""
    if status is None:
        return "not checked yet"
    checked = f" (checked {when(status.checked_at, tz)})" if status.checked_at else ""
    if status.ready:
        return f"all {status.total} passed{checked}"
    names = ", ".join(item.id for item in status.failing)
    return f"{len(status.failing)} of {status.total} failing ({names}){checked}"


def failing_lines(status: Readiness) -> list[str]:
    out = []
    for item in status.failing:
        line = f"- {item.id}: {item.title}"
        if item.detail:
            line += f" ({item.detail})"
        if item.fix:
            line += f". Fix: {item.fix}"
        if item.playbook:
            line += f". Playbook: {item.playbook}"
        out.append(line)
    return out


@dataclass(frozen=True)
class ShiftView:
    """A shift (as the engine returns it) with what every message about it needs besides."""

    shift: Shift
    schedule: Schedule
    person: Person
    previous: Person | None  # who is on call just before (None: nobody)
    readiness: Readiness | None
    playbook: str | None
    why: str = ""  # why the person is on call, in words, when it is not just their turn ("" when it is)
    open_end: bool = False  # the end lies past what was generated: say "until at least"
    secondary: str = ""  # who is on call in the secondary schedules as the shift starts, in words

    @property
    def start(self) -> int:
        return self.shift.known_start

    @property
    def end(self) -> int:
        return self.shift.known_end

    def until(self, tz: tzinfo) -> str:
        return ("at least " if self.open_end else "") + when(self.end, tz)


def reminder(view: ShiftView, lead: int, tz: tzinfo, direct: bool) -> tuple[str, list[str]]:
    """Subject and lines of "your shift starts in 24h" (``lead``: how long until it starts)."""
    who = view.person.display
    sched = view.schedule.display
    if direct:
        subject = f"{PREFIX} {sched}: your on-call shift starts in {span(lead)}"
        lines = [f"{who}, your on-call shift for {sched} starts in {span(lead)}."]
    else:
        subject = f"{PREFIX} {sched}: {who} is on call in {span(lead)}"
        lines = [f"{who} goes on call for {sched} in {span(lead)}."]
    lines.append(f"From {when(view.start, tz)} until {view.until(tz)}.")
    if view.previous is not None:
        lines.append(f"Taking over from {view.previous.display}.")
    lines.extend(_shift_lines(view))
    lines.extend(_status_lines(view, tz))
    return subject, lines


def handoff(view: ShiftView, tz: tzinfo, direct: bool = False) -> tuple[str, list[str]]:
    """Subject and lines of "handoff now: Alice → Bob", or to the incoming person "you are on call
    now"."""
    who = view.person.display
    sched = view.schedule.display
    if direct:
        subject = f"{PREFIX} {sched}: you are on call now"
        before = (f"taking over from {view.previous.display}" if view.previous is not None
                  else "nobody was on call before you")
        lines = [f"{who}, you are on call for {sched} now ({before}).", f"Until {view.until(tz)}."]
    else:
        if view.previous is not None:
            subject = f"{PREFIX} {sched}: handoff {view.previous.display} → {who}"
            first = f"Handoff now: {view.previous.display} → {who} on {sched}."
        else:
            subject = f"{PREFIX} {sched}: {who} is on call"
            first = f"{who} is now on call for {sched} (nobody was on call before)."
        lines = [first, f"{who} is on call until {view.until(tz)}."]
    lines.extend(_shift_lines(view))
    lines.extend(_status_lines(view, tz))
    return subject, lines


def _shift_lines(view: ShiftView) -> list[str]:
    out = []
    if view.why:
        out.append(f"Why: {view.why}.")
    if view.secondary:
        out.append(f"Secondary: {view.secondary}.")
    return out


def not_ready(view: ShiftView, now: int, tz: tzinfo) -> tuple[str, list[str]]:
    """Subject and lines of "Bob is not ready: VPN check failing, shift in 6h"."""
    assert view.readiness is not None
    who = view.person.display
    sched = view.schedule.display
    names = ", ".join(item.id for item in view.readiness.failing)
    subject = f"{PREFIX} {sched}: {who} is not ready ({names} failing), shift in {span(view.start - now)}"
    lines = [
        f"{who} is not ready for {sched}: the shift starts in {span(view.start - now)}, at {when(view.start, tz)}.",
    ]
    lines.extend(failing_lines(view.readiness))
    line = checklist_line(view.readiness, view.readiness.checklist, tz)
    if line:
        lines.append(line)
    lines.append("Fix the failing items, then run `oncall ready` again.")
    if view.playbook:
        lines.append(f"Playbook: {view.playbook}")
    return subject, lines


def stretch(start: int | None, end: int | None, tz: tzinfo) -> str:
    """``Mon 9 Mar 2026 09:00 EDT until Mon 16 Mar 2026 09:00 EDT`` (a start not known: ``since
    long ago``, beyond what the engine looks at)."""
    return f"{when(start, tz) if start is not None else 'since long ago'} until {when(end, tz) if end is not None else 'further notice'}"


def change(kind: str, person: Person, schedule: Schedule, before: Sequence[tuple[int | None, int | None]],
           after: Sequence[tuple[int | None, int | None]], why: str, tz: tzinfo) -> tuple[str, list[str]]:
    """Subject and lines of "your shift moved": what the person's shifts were and are, and why.
    ``kind`` is ``new``, ``moved`` or ``removed``."""
    who, sched = person.display, schedule.display
    headline = {"new": "you have a new on-call shift", "moved": "your on-call shift moved",
                "removed": "your on-call shift was taken off"}[kind]
    subject = f"{PREFIX} {sched}: {headline}"
    lines = [f"{who}, {headline} for {sched}."]
    if before:
        lines.append("Was: " + "; ".join(stretch(s, e, tz) for s, e in before) + ".")
    lines.append("Now: " + ("; ".join(stretch(s, e, tz) for s, e in after) if after else "not on call then") + ".")
    lines.append(f"Why: {why}.")
    return subject, lines


def digest(title: str, blocks: Sequence[Sequence[str]]) -> tuple[str, list[str]]:
    """Subject and lines of the weekly digest: ``blocks`` of lines, one per schedule."""
    subject = f"{PREFIX} On call {title}"
    lines = [f"On call {title}."]
    for block in blocks:
        lines.append("")
        lines.extend(block)
    return subject, lines


def drill(channel: str, now: int, tz: tzinfo) -> tuple[str, list[str]]:
    """A clearly marked test message."""
    subject = f"{PREFIX} TEST: drill message for channel {channel}, no action needed"
    lines = [
        "TEST. This is a drill sent by `oncall notify test`; nobody is being paged.",
        f"It checks that alerts reach channel {channel} end to end. Sent {when(now, tz)}.",
    ]
    return subject, lines


def _status_lines(view: ShiftView, tz: tzinfo) -> list[str]:
    out = []
    line = checklist_line(view.readiness, view.schedule.checklist, tz)
    if line:
        out.append(line)
    if view.readiness is not None and view.readiness.failing:
        out.extend(failing_lines(view.readiness))
    if view.playbook:
        out.append(f"Playbook: {view.playbook}")
    return out
