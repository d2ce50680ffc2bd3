"""``oncall notify run`` and ``oncall notify test`` as library calls.

A run looks at the window from its last run to ``now`` (a first run only ``lookback`` back, a run
after a long pause only ``catch_up`` back), works out the messages due in it, and sends each one
whose key is not yet recorded, recording it right after it went out. A message that fails stays
unrecorded and the window is closed just before it, so the next run tries it again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from oncall.errors import UsageError
from oncall.model import Org, Person, Shift
from oncall.notify import messages as text
from oncall.notify.deliver import DeliveryFailed, Sender
from oncall.notify.messages import Message, Readiness
from oncall.notify.plan import ReadinessLookup, plan
from oncall.notify.settings import EmailChannel, NotifySettings, settings_or_raise
from oncall.notify.state import SentLog, locked, state_file
from oncall.times import zone

GenerateShifts = Callable[[Org, int, int], Sequence[Shift]]
LOOKAHEAD = 35 * 86400  # shifts are generated this far past the longest lead, to know their ends


@dataclass(frozen=True)
class Outcome:
    message: Message
    status: str  # sent | failed | dry-run
    error: str | None = None


@dataclass
class RunReport:
    start: int  # the window (start, end]
    end: int
    first_run: bool
    outcomes: list[Outcome] = field(default_factory=list)
    already_sent: int = 0
    notes: list[str] = field(default_factory=list)
    state_path: Path | None = None

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "failed"]


def engine_shifts(org: Org, start: int, end: int) -> Sequence[Shift]:
    """Every schedule's shifts in ``[start, end)`` from the scheduling engine."""
    from oncall.engine import generate

    return generate(org, start, end).shifts


def saved_readiness(person: Person, checklist: str | None) -> Readiness | None:
    """The person's last saved ``oncall ready`` result, through the readiness package."""
    from oncall.notify.readiness import last_result

    return last_result(person, checklist)


def run(
    org: Org,
    now: int,
    state_dir: Path,
    sender: Sender,
    dry_run: bool = False,
    *,
    settings: NotifySettings | None = None,
    shifts: GenerateShifts = engine_shifts,
    readiness: ReadinessLookup = saved_readiness,
) -> RunReport:
    """Send every message due since the last run, each once. See the module docstring."""
    notes: list[str] = []
    if settings is None:
        settings, warnings = settings_or_raise(org)
        notes.extend(str(w) for w in warnings)
    path = state_file(state_dir, org.root)
    if dry_run:
        return _run(org, now, settings, SentLog.load(path), sender, True, shifts, readiness, notes)
    with locked(path):
        return _run(org, now, settings, SentLog.load(path), sender, False, shifts, readiness, notes)


def _run(org: Org, now: int, settings: NotifySettings, log: SentLog, sender: Sender, dry_run: bool,
         shifts: GenerateShifts, readiness: ReadinessLookup, notes: list[str]) -> RunReport:
    first_run = log.last_run is None
    start = now - settings.lookback if log.last_run is None else max(log.last_run, now - settings.catch_up)
    start = min(start, now)
    longest = max([settings.readiness_horizon, *(max(settings.leads(s), default=0) for s in org.schedules)])
    horizon = now + longest + LOOKAHEAD
    # From an hour before the window: a shift already running at its start is then clipped
    # before it, not mistaken for a handoff inside it.
    due = plan(org, settings, shifts(org, start - 3600, horizon), start, now, horizon, readiness)
    report = RunReport(start, now, first_run, notes=notes + due.notes, state_path=log.path)
    for message in due.messages:
        if log.was_sent(message.key):
            report.already_sent += 1
            continue
        if dry_run:
            report.outcomes.append(Outcome(message, "dry-run"))
            continue
        try:
            sender.send(message)
        except DeliveryFailed as exc:
            report.outcomes.append(Outcome(message, "failed", str(exc)))
            continue
        log.mark_sent(message.key, now, message.keep_until)
        report.outcomes.append(Outcome(message, "sent"))
    if not dry_run:
        # Close the window just before the earliest failure so the next run derives it again.
        close = min([now, *(o.message.due - 1 for o in report.failed)])
        log.finish(close, now)
    return report


def drill(org: Org, now: int, sender: Sender, channel: str | None = None, dry_run: bool = False,
          *, settings: NotifySettings | None = None) -> list[Outcome]:
    """Send a clearly marked test message through ``channel``, or through every channel."""
    if settings is None:
        settings, _ = settings_or_raise(org)
    if channel is not None and channel not in settings.channels:
        known = ", ".join(sorted(settings.channels)) or "(none: add notify.channels to oncall.yaml)"
        raise UsageError(f"no channel {channel!r} in oncall.yaml; known: {known}", argument="channel")
    names = [channel] if channel else sorted(settings.channels)
    if not names:
        raise UsageError("no channels to test: add notify.channels to oncall.yaml (see `oncall notify --help`)")
    outcomes = []
    for name in names:
        ch = settings.channels[name]
        tz = zone(ch.timezone or "UTC")
        to: tuple[str, ...] = ()
        if isinstance(ch, EmailChannel):
            to = ch.to or (ch.sender,)
        subject, lines = text.drill(name, now, tz)
        message = Message(f"test|{name}|{now}", "test", name, to, subject, tuple(lines), now, now, created=now)
        if dry_run:
            outcomes.append(Outcome(message, "dry-run"))
            continue
        try:
            sender.send(message)
        except DeliveryFailed as exc:
            outcomes.append(Outcome(message, "failed", str(exc)))
            continue
        outcomes.append(Outcome(message, "sent"))
    return outcomes
