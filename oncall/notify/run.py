"""``oncall notify run`` and ``oncall notify test`` as library calls.

A run looks at the window from its last run to ``now`` (a first run only ``lookback`` back, a run
after a long pause only ``catch_up`` back), works out the messages due in it, and sends each one
whose key is not yet recorded. Each message's record is appended to a journal before it is sent
and marked done right after (``state.SentLog.prepare``), so state that cannot be written stops the
run before a send; the end of the run folds the journal into the state file. A message that fails stays unrecorded and the window is closed just before it, so
the next run tries it again; one message or channel failing never stops the others.

The run also compares each person's upcoming shifts with what the last run saw (change notices:
a person whose notice failed keeps the old record, so the next run tells them), and sets Slack's
user groups and topics where they differ from what it last set (``SentLog.prepare_setting``).

Every run has a deadline: it starts no send after ``RUN_LIMIT - SEND_LIMIT`` seconds, a send takes
at most ``SEND_LIMIT``, and at ``RUN_LIMIT`` (plus a moment) the run is stopped whatever it is doing,
so its lock never outlives it. Messages it did not get to are due again in the next run.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from oncall import collector
from oncall.deadline import Deadline
from oncall.errors import OncallError, StateError, UsageError
from oncall.model import Org, Shift
from oncall.notify import messages as text
from oncall.notify.changes import watch
from oncall.notify.deliver import SEND_LIMIT, DeliveryFailed, Sender
from oncall.notify.messages import Message, ReadinessLookup
from oncall.notify.plan import plan
from oncall.notify.settings import EmailChannel, NotifySettings, SlackApiChannel, settings_or_raise
from oncall.notify.state import SentLog, locked, state_file
from oncall.notify.sync import setting_name
from oncall.times import zone

# Every schedule's shifts in [start, end), or only the named schedules' (the engine's ``generate``).
GenerateShifts = Callable[[Org, int, int, Collection[str] | None], Sequence[Shift]]
LOOKAHEAD = 35 * 86400  # messages speak of shifts as far as this past the longest lead ("until at least")
RECENT = 2 * 86400  # every schedule's shifts from this far before the window: see _run
LOOKBEHIND = 8 * 86400  # a schedule's from this far, when a message asks whose time on call a shift resumes
DIGEST_WEEK = 8 * 86400  # the digest due in a window covers at most this far past its end
RUN_LIMIT = 300.0  # seconds: the longest a run (or a drill) lasts
STOP_GRACE = 5.0  # seconds past RUN_LIMIT before a run that is stuck in a call is stopped


class RunDeadline(OncallError):
    """The run hit its hard deadline and was stopped."""

    exit_code = 1


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


def engine_shifts(org: Org, start: int, end: int, schedules: Collection[str] | None = None) -> Sequence[Shift]:
    """Every schedule's shifts in ``[start, end)`` (only ``schedules``' when given) from the
    scheduling engine."""
    from oncall.engine import generate

    return generate(org, start, end, schedules).shifts


def run(
    org: Org,
    now: int,
    state_dir: Path,
    sender: Sender,
    dry_run: bool = False,
    *,
    settings: NotifySettings | None = None,
    shifts: GenerateShifts = engine_shifts,
    readiness: ReadinessLookup | None = None,
    limit: float = RUN_LIMIT,
) -> RunReport:
    """Send every message due since the last run, each once, within ``limit`` seconds. See the
    module docstring. ``readiness`` defaults to the results the team shares (fetched now) when
    oncall.yaml's ``readiness.share`` says so, else the results saved on this machine."""
    notes: list[str] = []
    if settings is None:
        settings, warnings = settings_or_raise(org)
        notes.extend(str(w) for w in warnings)
    if readiness is None:
        from oncall.notify.readiness import lookup_for

        readiness, fetching = lookup_for(org)
        notes.extend(fetching)
    path = state_file(state_dir, org.root)
    deadline = Deadline(limit)
    if dry_run:
        return _run(org, now, settings, SentLog.load(path), sender, True, shifts, readiness, notes, deadline)
    with locked(path, until=now + limit + STOP_GRACE), stopped_after(limit + STOP_GRACE, "notify run"):
        log = SentLog.load(path)
        try:
            return _run(org, now, settings, log, sender, False, shifts, readiness, notes, deadline)
        finally:
            log.close()


@contextmanager
def stopped_after(seconds: float, what: str) -> Iterator[None]:
    """Stop the block with ``RunDeadline`` once ``seconds`` have passed, even inside a blocking call.

    A real timer signal (SIGALRM) interrupts whatever system call the main thread is in. Elsewhere
    (another thread, a system without it) the block's own deadlines are all there is.
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise _Stop()

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except _Stop:
        raise RunDeadline(f"{what} did not finish within {seconds:g}s and was stopped; what it sent is "
                          "recorded, and the next run sends the rest") from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class _Stop(BaseException):
    """Raised by the timer signal; a BaseException, so no ``except Exception`` on the way swallows it."""


def _run(org: Org, now: int, settings: NotifySettings, log: SentLog, sender: Sender, dry_run: bool,
         shifts: GenerateShifts, readiness: ReadinessLookup, notes: list[str], deadline: Deadline) -> RunReport:
    first_run = log.last_run is None
    start = now - settings.lookback if log.last_run is None else max(log.last_run, now - settings.catch_up)
    start = min(start, now)
    longest = max([settings.readiness_horizon, *(max(settings.leads(s), default=0) for s in org.schedules)])
    horizon = max(now + longest + LOOKAHEAD, now + settings.changes_within + 8 * 86400)
    # Every schedule's shifts as far as its messages need them: to the longest lead, the changes
    # watched (this run's and the last run's) and the digest's week. The few schedules whose
    # messages look further are generated to the horizon when the plan asks (``plan``'s ``more``).
    near = max(now + longest + 1, now + settings.changes_within, now + DIGEST_WEEK if settings.digest else now,
               log.watched.until if log.watched is not None else now)
    near = min(near, horizon)
    # Planning holds two weeks or more of every schedule's shifts, tens of thousands at a large
    # org and no reference cycles, so the collector is paused meanwhile (docs/performance.md).
    with collector.paused():
        # From before the window: a shift already running at its start is then clipped before it,
        # not mistaken for a handoff inside it, and the digest's week begins at most a day before it.
        generated = shifts(org, start - RECENT, near, None)
        # A shift begun beyond the engine's reach starts, as far as it can tell, where it was asked
        # from: those schedules are asked from as far back as the plan's ``more`` asks.
        endless = {s.schedule for s in generated if s.whole_start is None}
        if endless:
            generated = [*(s for s in generated if s.schedule not in endless),
                         *shifts(org, start - LOOKBEHIND, near, endless)]
        seen = watch(generated, now, settings.changes_within)
        due = plan(org, settings, generated, start, now, horizon, readiness, watched=log.watched, seen=seen,
                   last_set=log.slack, generated_to=near,
                   more=lambda sid: shifts(org, start - LOOKBEHIND, horizon, (sid,)))
    report = RunReport(start, now, first_run, notes=notes + due.notes, state_path=log.path)
    for message in due.messages:
        if not message.is_update and log.was_sent(message.key):
            report.already_sent += 1
            continue
        if dry_run:
            report.outcomes.append(Outcome(message, "dry-run"))
            continue
        if deadline.remaining() < SEND_LIMIT:
            report.outcomes.append(Outcome(message, "failed", f"not sent: the run reached its time limit "
                                           f"({deadline.seconds:g}s); the next run sends it"))
            continue
        try:
            if message.is_update:
                record = log.prepare_setting(setting_name(message), message.value or "")
            else:
                record = log.prepare(message.key, now, message.keep_until)
        except StateError as exc:
            sent_before = sum(1 for o in report.outcomes if o.status == "sent")
            raise StateError(f"{exc.message}. Nothing more was sent ({sent_before} sent and recorded before); "
                             "the next run that can write its state sends the rest") from None
        error = _send(sender, message)
        if error is not None:
            record.discard()
            report.outcomes.append(Outcome(message, "failed", error))
            continue
        try:
            record.commit()
        except StateError as exc:
            raise StateError(f"{exc.message}. {message.subject!r} went out but is not recorded, so a later run "
                             f"may send it again; nothing more was sent") from None
        report.outcomes.append(Outcome(message, "sent"))
    if not dry_run:
        # Close the window just before the earliest failure so the next run derives it again.
        close = min([now, *(o.message.due - 1 for o in report.failed)])
        # Whoever was not told of a change (or of a shift made at short notice) keeps the old
        # record, so the next run finds the change again.
        untold = {(o.message.person, o.message.schedule) for o in report.failed
                  if o.message.kind in ("change", "reminder") and o.message.person and o.message.schedule}
        if log.watched is not None:
            seen = seen.keeping(log.watched, untold)
        log.finish(close, now, seen)
    return report


def _send(sender: Sender, message: Message) -> str | None:
    """Send ``message``; None when it went out, else why not. Only this message is affected."""
    try:
        sender.send(message)
    except DeliveryFailed as exc:
        return str(exc)
    except Exception as exc:  # a sender's bug must not stop the other messages (its text may hold anything)
        return f"could not be sent ({type(exc).__name__})"
    return None


def drill(org: Org, now: int, sender: Sender, channel: str | None = None, dry_run: bool = False,
          *, settings: NotifySettings | None = None, limit: float = RUN_LIMIT) -> list[Outcome]:
    """Send a clearly marked test message through ``channel``, or through every channel, within
    ``limit`` seconds (see the module docstring)."""
    if settings is None:
        settings, _ = settings_or_raise(org)
    if channel is not None and channel not in settings.channels:
        known = ", ".join(sorted(settings.channels)) or "(none: add notify.channels to oncall.yaml)"
        raise UsageError(f"no channel {channel!r} in oncall.yaml; known: {known}", argument="channel")
    names = [channel] if channel else sorted(settings.channels)
    if not names:
        raise UsageError("no channels to test: add notify.channels to oncall.yaml (see `oncall notify --help`)")
    with stopped_after(limit + STOP_GRACE, "notify test"):
        return _drill(settings, names, now, sender, dry_run, Deadline(limit))


def _drill(settings: NotifySettings, names: list[str], now: int, sender: Sender, dry_run: bool,
           deadline: Deadline) -> list[Outcome]:
    outcomes = []
    for name in names:
        ch = settings.channels[name]
        tz = zone(ch.timezone or "UTC")
        to: tuple[str, ...] = ()
        if isinstance(ch, EmailChannel):
            to = ch.to or (ch.sender,)
        elif isinstance(ch, SlackApiChannel):
            topics = [r.slack_topic.channel for sid in sorted(settings.schedules)
                      if (r := settings.route(sid)).slack_topic is not None and settings.slack_api(sid) == ch]
            to = (ch.to or tuple(topics))[:1]
        subject, lines = text.drill(name, now, tz)
        message = Message(f"test|{name}|{now}", "test", name, to, subject, tuple(lines), now, now, created=now)
        if dry_run:
            outcomes.append(Outcome(message, "dry-run"))
            continue
        if deadline.remaining() < SEND_LIMIT:
            outcomes.append(Outcome(message, "failed", f"not tried: the test reached its time limit "
                                    f"({deadline.seconds:g}s)"))
            continue
        error = _send(sender, message)
        outcomes.append(Outcome(message, "failed", error) if error is not None else Outcome(message, "sent"))
    return outcomes
