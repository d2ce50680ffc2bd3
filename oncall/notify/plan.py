"""Working out which messages are due in a window of time. Pure: no clock, no I/O.

Three kinds of message come from the shifts:

* ``reminder`` — at each lead time before a shift starts (``remind_before``), to the person
  directly and to the schedule's team channels. When several leads fall due in one window (a run
  after a pause), only the nearest is sent; a reminder for a shift already under way is dropped.
* ``handoff`` — when a shift starts, to the team channels: "Alice → Bob".
* ``not-ready`` — while a shift is less than ``ready_before`` away and the person's saved
  ``oncall ready`` result has failing items, once per shift, to the person and the team.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import tzinfo

from oncall.model import Org, Person, Schedule, Shift, describe_reasons
from oncall.notify import messages as text
from oncall.notify.messages import Message, Readiness, ShiftView
from oncall.notify.settings import Channel, EmailChannel, NotifySettings
from oncall.times import zone

ReadinessLookup = Callable[[Person, str | None], Readiness | None]


@dataclass(frozen=True)
class Plan:
    """The messages due in ``(start, end]`` and the notes about messages that cannot be routed."""

    start: int
    end: int
    messages: list[Message]
    notes: list[str]


@dataclass(frozen=True)
class _Recipient:
    channel: Channel
    to: tuple[str, ...]
    tz: tzinfo
    direct: bool
    mention: str | None
    address: str  # for the idempotency key


def plan(
    org: Org,
    settings: NotifySettings,
    shifts: Sequence[Shift],
    start: int,
    end: int,
    horizon: int,
    readiness: ReadinessLookup,
) -> Plan:
    """Messages due in ``(start, end]`` for ``shifts`` (generated up to ``horizon``)."""
    out: list[Message] = []
    notes: list[str] = []
    by_schedule: dict[str, list[Shift]] = {}
    for shift in shifts:
        by_schedule.setdefault(shift.schedule, []).append(shift)
    for sid, own in sorted(by_schedule.items()):
        schedule = org.schedules.get(sid)
        if schedule is None:
            continue
        own.sort(key=lambda s: s.start)
        leads = settings.leads(sid)
        for shift in own:
            person = org.people.get(shift.person)
            if person is None:
                continue
            lead = _nearest_lead(shift.start, leads, start, end)
            in_handoff = start < shift.start <= end
            in_readiness = shift.start - settings.readiness_horizon <= end < shift.start
            if lead is None and not in_handoff and not in_readiness:
                continue
            view = ShiftView(
                shift=shift,
                schedule=schedule,
                person=person,
                previous=org.people.get(shift.before) if shift.before else None,
                readiness=readiness(person, schedule.checklist),
                playbook=settings.route(sid).playbook or _schedule_playbook(schedule),
                why=describe_reasons(shift.reasons, lambda pid: _display(org, pid)),
                open_end=shift.whole_end is None and shift.end >= horizon,
            )
            if lead is not None:
                for r in _recipients(settings, schedule, person, notes, direct_too=True):
                    subject, lines = text.reminder(view, lead, r.tz, r.direct)
                    out.append(_message(f"reminder-{lead}s", view, r, subject, lines,
                                        due=shift.start - lead, keep=shift.start, now=end))
            if in_handoff:
                for r in _recipients(settings, schedule, person, notes, direct_too=False):
                    subject, lines = text.handoff(view, r.tz)
                    out.append(_message("handoff", view, r, subject, lines, due=shift.start,
                                        keep=shift.start, now=end))
            if in_readiness and view.readiness is not None and not view.readiness.ready:
                for r in _recipients(settings, schedule, person, notes, direct_too=True):
                    subject, lines = text.not_ready(view, end, r.tz)
                    out.append(_message("not-ready", view, r, subject, lines, due=end,
                                        keep=shift.start, now=end))
    out.sort(key=lambda m: (m.due, m.key))
    return Plan(start, end, out, sorted(set(notes)))


def _nearest_lead(shift_start: int, leads: Sequence[int], start: int, end: int) -> int | None:
    # A reminder after the shift began is noise; among several due at once, the nearest wins.
    if shift_start <= end:
        return None
    due = [lead for lead in leads if start < shift_start - lead <= end]
    return min(due) if due else None


def _display(org: Org, person_id: str) -> str:
    person = org.people.get(person_id)
    return person.display if person is not None else person_id


def _schedule_playbook(schedule: Schedule) -> str | None:
    return schedule.playbook


def _recipients(settings: NotifySettings, schedule: Schedule, person: Person, notes: list[str],
                *, direct_too: bool) -> list[_Recipient]:
    out: list[_Recipient] = []
    mention = person.slack or None
    for name in settings.route(schedule.id).channels:
        channel = settings.channels[name]
        tz = zone(channel.timezone) if channel.timezone else schedule.tz
        to = channel.to if isinstance(channel, EmailChannel) else ()
        if isinstance(channel, EmailChannel) and not to:
            notes.append(f"channel {name!r} has no `to:` addresses; team messages for {schedule.id} skip it")
            continue
        out.append(_Recipient(channel, to, tz, False, None if to else mention, "team"))
    if not direct_too:
        return out
    team = {r.channel.name for r in out}
    for name in settings.direct:
        channel = settings.channels[name]
        if channel.kind == "email":
            if not person.email:
                notes.append(f"{person.id} has no email in people.yaml; direct messages through {name!r} skip them")
                continue
            out.append(_Recipient(channel, (person.email,), person.tz, True, None, person.email))
        else:
            if not mention:
                notes.append(f"{person.id} has no slack id in people.yaml; direct messages through {name!r} skip them")
                continue
            if name in team:  # the team post already mentions them
                continue
            out.append(_Recipient(channel, (), person.tz, True, mention, f"@{mention}"))
    return out


def _message(kind: str, view: ShiftView, r: _Recipient, subject: str, lines: list[str], *,
             due: int, keep: int, now: int) -> Message:
    key = "|".join([kind, view.schedule.id, str(view.start), view.person.id, f"{r.channel.name}:{r.address}"])
    return Message(
        key=key,
        kind=kind.split("-")[0] if kind.startswith("reminder") else kind,
        channel=r.channel.name,
        to=r.to,
        subject=subject,
        lines=tuple(lines),
        due=due,
        keep_until=keep,
        schedule=view.schedule.id,
        person=view.person.id,
        created=now,
        mention=r.mention,
    )
