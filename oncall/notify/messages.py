"""What a notification says. One wording for every channel: a subject line and a few body lines.

Email sends the subject as its Subject and the lines as the body; Slack sends the subject in bold
followed by the same lines. Times are shown in the recipient's timezone (the person's for direct
messages, the channel's or the schedule's for team messages).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from oncall.model import Person, Schedule, Shift

PREFIX = "[oncall]"


@dataclass(frozen=True)
class FailingItem:
    """One checklist item that did not pass in the person's last ``oncall ready``."""

    id: str
    title: str
    detail: str = ""
    fix: str | None = None
    playbook: str | None = None


@dataclass(frozen=True)
class Readiness:
    """A person's last saved readiness result for a checklist."""

    checklist: str
    total: int
    failing: tuple[FailingItem, ...] = ()
    checked_at: int | None = None

    @property
    def ready(self) -> bool:
        return not self.failing


@dataclass(frozen=True)
class Message:
    """One message to one recipient through one channel.

    ``key`` is the idempotency key (kind, schedule, shift start, person, recipient): a message
    with a key already recorded as sent is never sent again.
    """

    key: str
    kind: str  # reminder | handoff | not-ready | test
    channel: str
    to: tuple[str, ...]  # email addresses, or () for a Slack channel post
    subject: str
    lines: tuple[str, ...]
    due: int  # when the message became due (epoch seconds)
    keep_until: int  # the record of sending may be forgotten after this instant
    schedule: str | None = None
    person: str | None = None
    created: int = 0  # the run's "now": the Date of an email
    mention: str | None = field(default=None, compare=False)  # Slack user id to @-mention

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


def when(seconds: int, tz: tzinfo) -> str:
    """``Mon 9 Mar 2026 09:00 EDT``: a local time a person reads at a glance."""
    dt = datetime.fromtimestamp(seconds, tz)
    return f"{dt:%a} {dt.day} {dt:%b %Y %H:%M} {dt.tzname()}"


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
    checked = f" (checked {when(status.checked_at, tz)})" if status.checked_at else ""
    if status.ready:
        return f"Checklist {checklist}: all {status.total} passed{checked}"
    names = ", ".join(item.id for item in status.failing)
    return f"Checklist {checklist}: {len(status.failing)} of {status.total} failing ({names}){checked}"


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
    why: str = ""  # the shift's reasons in words
    open_end: bool = False  # the end lies past what was generated: say "until at least"

    @property
    def start(self) -> int:
        return self.shift.whole_start if self.shift.whole_start is not None else self.shift.start

    @property
    def end(self) -> int:
        return self.shift.whole_end if self.shift.whole_end is not None else self.shift.end

    def until(self, tz: tzinfo) -> str:
        return ("at least " if self.open_end else "") + when(self.end, tz)


def reminder(view: ShiftView, lead: int, tz: tzinfo, direct: bool) -> tuple[str, list[str]]:
    """Subject and lines of "your shift starts in 24h"."""
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
    if view.why:
        lines.append(f"Why: {view.why}.")
    lines.extend(_status_lines(view, tz))
    return subject, lines


def handoff(view: ShiftView, tz: tzinfo) -> tuple[str, list[str]]:
    """Subject and lines of "handoff now: Alice → Bob"."""
    who = view.person.display
    sched = view.schedule.display
    if view.previous is not None:
        subject = f"{PREFIX} {sched}: handoff {view.previous.display} → {who}"
        first = f"Handoff now: {view.previous.display} → {who} on {sched}."
    else:
        subject = f"{PREFIX} {sched}: {who} is on call"
        first = f"{who} is now on call for {sched} (nobody was on call before)."
    lines = [first, f"{who} is on call until {view.until(tz)}."]
    if view.why:
        lines.append(f"Why: {view.why}.")
    lines.extend(_status_lines(view, tz))
    return subject, lines


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
    line = checklist_line(view.readiness, view.schedule.checklist or view.readiness.checklist, tz)
    if line:
        lines.append(line)
    lines.append("Fix the failing items, then run `oncall ready` again.")
    if view.playbook:
        lines.append(f"Playbook: {view.playbook}")
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
