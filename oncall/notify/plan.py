"""Working out which messages are due in a window of time. Pure: no clock, no I/O.

From the shifts:

* ``reminder`` — at each lead time before a shift starts (``remind_before``), to the person
  directly and to the schedule's team channels. When several leads fall due in one window (a run
  after a pause), only the nearest is sent; a reminder for a shift already under way is dropped.
  A shift that appeared since the last run (an override or swap made within the lead) gets its
  reminder at once: "your shift starts in 3m".
* ``handoff`` — when a shift starts, to the team channels ("Alice → Bob") and to the incoming
  person directly ("you are on call now").
* ``not-ready`` — while a shift is less than ``ready_before`` away and the person's readiness
  result has failing items, once, to the person and the team. It belongs to the start of their
  time on call: a shift that resumes it (after an override, a cover or a gap shorter than their
  stretch before it, as when an override splits their week) gets none of its own.

From what changed since the last run (``changes``): ``change`` — to the person directly, once per
change of their upcoming shifts, saying what it was, what it is and why. From the calendar: the
weekly ``digest`` to the team channels (``digest``). And the user group and topic updates that
keep Slack in step (``sync``).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import tzinfo

from oncall.model import Org, Person, Reason, Schedule, Shift, describe_reasons
from oncall.notify import digest as weekly
from oncall.notify import messages as text
from oncall.notify.changes import Change, Seen, Watched, compare
from oncall.notify.messages import Message, ReadinessLookup, ShiftView
from oncall.notify.settings import Channel, EmailChannel, NotifySettings, SlackApiChannel
from oncall.notify.sync import START, under_way, updates
from oncall.times import zone

# A reason that names the person a change notice goes to, in their words.
YOURS = {"cover": "covering your time off", "holiday": "covering your public holiday",
         "avoid": "covering you while you are on call in another schedule"}


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
    *,
    watched: Watched | None = None,
    seen: Watched | None = None,
    last_set: Mapping[str, str] | None = None,
    generated_to: int | None = None,
    more: Callable[[str], Sequence[Shift]] | None = None,
) -> Plan:
    """Messages due in ``(start, end]`` for ``shifts`` (generated up to ``horizon``).

    ``watched`` is what the last run saw of each person's upcoming shifts and ``seen`` what this
    one sees (``changes.watch``): with both, changes are told and new shifts reminded at once.
    ``last_set`` is what the user groups and topics were last set to (None: do not update them).

    ``shifts`` may cover less, as much as most messages need (from a little before ``start`` to
    ``generated_to``: the longest lead, the changes watched, the digest's week): ``more`` then
    gives one schedule's shifts from further back up to ``horizon``, for the few schedules whose
    messages look further (``_looking_further``, ``_resumes``).
    """
    out: list[Message] = []
    notes: list[str] = []
    by_schedule: dict[str, list[Shift]] = {}
    for shift in shifts:
        by_schedule.setdefault(shift.schedule, []).append(shift)
    for own in by_schedule.values():
        own.sort(key=START)
    changes = compare(watched, seen) if watched is not None and seen is not None else []
    asked: set[str] = set()

    def whole(sid: str) -> list[Shift]:
        """The schedule's shifts as far back and ahead as the run looks (``more``, once each)."""
        if more is not None and sid not in asked:
            asked.add(sid)
            by_schedule[sid] = sorted(more(sid), key=START)
        return by_schedule.get(sid, [])

    if more is not None and generated_to is not None and generated_to < horizon:
        for sid in _looking_further(org, settings, by_schedule, changes, end, generated_to):
            whole(sid)
    partners = _partners(org, settings)
    for sid, own in sorted(by_schedule.items()):
        schedule = org.schedules.get(sid)
        if schedule is not None:
            out.extend(_shift_messages(org, settings, schedule, own, by_schedule, partners.get(sid, ()), start, end,
                                       horizon, readiness, watched, notes, whole))
    if watched is not None:
        for change in changes:
            out.extend(_change_messages(org, settings, change, by_schedule, watched, end, notes))
    if settings.digest is not None:
        out.extend(_digests(org, settings, by_schedule, start, end, readiness, notes))
    out.sort(key=lambda m: (m.due, m.key))
    if last_set is not None:
        out = updates(org, settings, by_schedule, end, last_set, notes) + out
    return Plan(start, end, out, sorted(set(notes)))


def _looking_further(org: Org, settings: NotifySettings, by_schedule: Mapping[str, list[Shift]],
                     changes: Sequence[Change], now: int, generated_to: int) -> set[str]:
    """The schedules whose messages speak of shifts past ``generated_to``: one whose last shift
    goes on past it with no end found (its messages say "until at least" the horizon), one with a
    change (its notice says who is on call over the whole of the shifts that changed), and one
    with a Slack topic and nobody on call from ``now`` on (the topic says when someone next is)."""
    out = {c.schedule for c in changes}
    for sid, own in by_schedule.items():
        if own[-1].whole_end is None and own[-1].end >= generated_to:
            out.add(sid)
    for sid in org.schedules:
        last = by_schedule[sid][-1] if sid in by_schedule else None
        if settings.route(sid).slack_topic is not None and (last is None or last.end <= now):
            out.add(sid)
    return out & org.schedules.keys()


def _shift_messages(org: Org, settings: NotifySettings, schedule: Schedule, own: list[Shift],
                    by_schedule: Mapping[str, list[Shift]], partners: Sequence[str], start: int, end: int,
                    horizon: int, readiness: ReadinessLookup, watched: Watched | None, notes: list[str],
                    whole: Callable[[str], list[Shift]]) -> list[Message]:
    out: list[Message] = []
    sid = schedule.id
    leads = settings.leads(sid)
    # Every message below is about a shift that starts after ``start`` and at most the longest
    # lead past ``end`` (or, newly made, before the end of what the last run watched).
    last = end + max(0, *leads, settings.readiness_horizon)
    if watched is not None:
        last = max(last, watched.until - 1)
    for i in range(bisect_right(own, start, key=START), bisect_right(own, last, key=START)):
        shift = own[i]
        person = org.people.get(shift.person)
        if person is None:
            continue
        lead = _nearest_lead(shift.start, leads, start, end)
        left = None
        if lead is None and _appeared(shift, watched, end):
            lead, left = _lead_passed(shift.start, leads, end), shift.start - end
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
            why=describe_reasons((r for r in shift.reasons if r.unusual), lambda pid: _display(org, pid)),
            open_end=shift.whole_end is None and shift.end >= horizon,
            secondary=_secondary(org, partners, shift.start, by_schedule),
        )
        if lead is not None:
            for r in _recipients(settings, schedule, person, notes, team=True, direct=True):
                subject, lines = text.reminder(view, left if left is not None else lead, r.tz, r.direct)
                due = end if left is not None else shift.start - lead
                out.append(_message(f"reminder-{lead}s", view, r, subject, lines, due=due, keep=shift.start, now=end))
        if in_handoff:
            for r in _recipients(settings, schedule, person, notes, team=True, direct=True):
                subject, lines = text.handoff(view, r.tz, r.direct)
                out.append(_message("handoff", view, r, subject, lines, due=shift.start, keep=shift.start, now=end))
        if in_readiness and view.readiness is not None and not view.readiness.ready:
            resumes = _resumes(own, i)
            if resumes is None:  # the shifts given begin too late to tell: from further back
                further = whole(sid)
                resumes = _resumes(further, bisect_left(further, shift.start, key=START))
            if resumes:
                continue
            for r in _recipients(settings, schedule, person, notes, team=True, direct=True):
                subject, lines = text.not_ready(view, end, r.tz)
                out.append(_message("not-ready", view, r, subject, lines, due=end, keep=shift.start, now=end))
    return out


def _nearest_lead(shift_start: int, leads: Sequence[int], start: int, end: int) -> int | None:
    # A reminder after the shift began is noise; among several due at once, the nearest wins.
    if shift_start <= end:
        return None
    due = [lead for lead in leads if start < shift_start - lead <= end]
    return min(due) if due else None


def _lead_passed(shift_start: int, leads: Sequence[int], now: int) -> int | None:
    """The nearest lead whose moment has passed for a shift that has not begun (None: none has)."""
    if shift_start <= now:
        return None
    passed = [lead for lead in leads if shift_start - lead <= now]
    return min(passed) if passed else None


def _appeared(shift: Shift, watched: Watched | None, now: int) -> bool:
    """The shift starts where the last run saw none of this person's shifts start, within what it
    watched: it was made (or moved) since."""
    if watched is None or shift.start <= now or shift.start >= watched.until:
        return False
    starts = {s.start for s in watched.shifts.get((shift.person, shift.schedule), ())}
    return shift.start not in starts


def _resumes(own: Sequence[Shift], i: int) -> bool | None:
    """Shift ``i`` resumes its person's time on call: between their previous shift and it lie only
    overrides, covers and gaps, shorter in all than that previous shift. None: ``own`` begins
    before anything tells (no shift of theirs nor anyone's own turn before it)."""
    shift = own[i]
    for previous in reversed(own[:i]):
        if previous.person == shift.person:
            if previous.whole_start is None or previous.whole_end is None:
                return False
            return shift.start - previous.whole_end < previous.whole_end - previous.whole_start
        if any(r.kind == "layer" for r in previous.reasons):
            return False  # someone else's own turn: a fresh start
    return None


def _partners(org: Org, settings: NotifySettings) -> dict[str, tuple[str, ...]]:
    """Each schedule's secondaries: ``secondary:`` in its route, else the schedules that avoid it
    (found in one pass over the schedules, not one per message)."""
    avoided_by: dict[str, list[str]] = {}
    for other in org.schedules.values():
        for avoided in other.avoid:
            avoided_by.setdefault(avoided, []).append(other.id)
    out = {}
    for sid in org.schedules:
        named = settings.route(sid).secondary
        out[sid] = tuple(named) if named is not None else tuple(avoided_by.get(sid, ()))
    return out


def _secondary(org: Org, partners: Sequence[str], at: int, by_schedule: Mapping[str, list[Shift]]) -> str:
    """Who is on call at ``at`` in a schedule's secondaries (``partners``, see ``_partners``)."""
    out = []
    for other in partners:
        schedule = org.schedules.get(other)
        if schedule is None:
            continue
        holder = under_way(by_schedule.get(other, []), at)
        who = _display(org, holder.person) if holder is not None else "nobody on call"
        out.append(f"{who} ({schedule.display})")
    return ", ".join(out)


def _display(org: Org, person_id: str) -> str:
    person = org.people.get(person_id)
    return person.display if person is not None else person_id


def _schedule_playbook(schedule: Schedule) -> str | None:
    return schedule.playbook


# --- change notices ----------------------------------------------------------------------------


def _change_messages(org: Org, settings: NotifySettings, change: Change, by_schedule: Mapping[str, list[Shift]],
                     watched: Watched, now: int, notes: list[str]) -> list[Message]:
    person = org.people.get(change.person)
    schedule = org.schedules.get(change.schedule)
    if person is None or schedule is None:
        return []  # they left people.yaml, or the schedule went: nobody to tell
    why = _why_changed(org, change, by_schedule.get(change.schedule, ()), watched)
    before = [(s.start, s.end) for s in change.before]
    after = [(s.start, s.end) for s in change.after]
    if not settings.direct:
        notes.append("notify.direct names no channel, so change notices reach nobody; add e.g. direct: [mail]")
    out = []
    for r in _recipients(settings, schedule, person, notes, team=False, direct=True):
        subject, lines = text.change(change.kind, person, schedule, before, after, why, r.tz)
        key = "|".join(["change", schedule.id, person.id, change.signature, f"{r.channel.name}:{r.address}"])
        out.append(Message(key, "change", r.channel.name, r.to, subject, tuple(lines), due=now, keep_until=now,
                           schedule=schedule.id, person=person.id, created=now, mention=r.mention))
    return out


def _why_changed(org: Org, change: Change, own: Sequence[Shift], watched: Watched) -> str:
    """Why, as far as the engine says: the reasons of the person's new shifts and of whoever took
    over their old time, or an override that is gone; else that the rotation changed."""
    def words(reason: Reason) -> str:
        if reason.person == change.person and reason.kind in YOURS:
            return YOURS[reason.kind]
        return reason.describe(lambda pid: _display(org, pid))

    found: list[str] = []
    for start, end in change.gained():
        mine = [words(r) for s in _overlapping(own, start, end) if s.person == change.person
                for r in s.reasons if r.unusual]
        if not mine:  # an override someone else had there was removed
            mine = [f"the override for {_display(org, pid)} was removed"
                    for (pid, sid), seen in sorted(watched.shifts.items()) if sid == change.schedule
                    and pid != change.person and any(_overridden(s, start, end) for s in seen)]
        found += mine
    for start, end in change.lost():
        covered = _overlapping(own, start, end)
        others = [f"{_display(org, s.person)} is on call then ({'; '.join(extra)})" for s in covered
                  if (extra := [words(r) for r in s.reasons if r.unusual])]
        if not others and any(_overridden(s, start, end) for s in change.before):
            holders = ", ".join(dict.fromkeys(_display(org, s.person) for s in covered)) or "nobody"
            others = [f"the override was removed ({holders} is on call then)"]
        if not others and not covered:
            others = ["nobody is on call then (a gap)"]
        found += others
    if not found:
        found.append("the rotation changed")
    return "; ".join(dict.fromkeys(found))


def _overridden(seen: Seen, start: int, end: int | None) -> bool:
    """``seen`` was an override's shift and overlaps ``[start, end)``."""
    return seen.overlaps(Seen(start, end)) and "override" in seen.why.split(", ")


def _overlapping(own: Sequence[Shift], start: int, end: int | None) -> list[Shift]:
    return [s for s in own if s.end > start and (end is None or s.start < end)]


# --- the weekly digest -------------------------------------------------------------------------


def _digests(org: Org, settings: NotifySettings, by_schedule: Mapping[str, list[Shift]], start: int, end: int,
             readiness: ReadinessLookup, notes: list[str]) -> list[Message]:
    digest = settings.digest
    assert digest is not None
    due = weekly.due_at(digest, start, end)
    if due is None:
        return []
    week = weekly.days(digest, due)
    tz = zone(digest.timezone)
    week_shifts = {sid: [s for s in own if s.end > week[0][0] and s.start < week[-1][1]]
                   for sid, own in by_schedule.items()}
    by_recipient: dict[tuple[str, str], tuple[_Recipient, list[str]]] = {}
    for sid, schedule in org.schedules.items():
        for r in _team(settings, schedule, None, notes):
            by_recipient.setdefault((r.channel.name, r.address), (r, []))[1].append(sid)
    title = weekly.title(digest, due)
    out = []
    for (channel, address), (r, sids) in sorted(by_recipient.items()):
        blocks = [weekly.block(org, sid, week_shifts.get(sid, ()), week, tz, readiness) for sid in sids]
        subject, lines = text.digest(title, blocks)
        out.append(Message(f"digest|{week[0][0]}|{channel}:{address}", "digest", channel, r.to, subject,
                           tuple(lines), due=due, keep_until=due + 7 * 86400, created=end))
    return out


# --- recipients --------------------------------------------------------------------------------


def _recipients(settings: NotifySettings, schedule: Schedule, person: Person, notes: list[str],
                *, team: bool, direct: bool) -> list[_Recipient]:
    out = _team(settings, schedule, person, notes) if team else []
    if direct:
        out.extend(_direct(settings, person, {r.channel.name for r in out}, notes))
    return out


def _team(settings: NotifySettings, schedule: Schedule, person: Person | None, notes: list[str]) -> list[_Recipient]:
    """The schedule's team channels; posts mention ``person`` where Slack can."""
    out: list[_Recipient] = []
    mention = person.slack if person is not None and person.slack else None
    for name in settings.route(schedule.id).channels:
        channel = settings.channels[name]
        tz = zone(channel.timezone) if channel.timezone else schedule.tz
        if isinstance(channel, EmailChannel):
            if not channel.to:
                notes.append(f"channel {name!r} has no `to:` addresses; team messages for {schedule.id} skip it")
                continue
            out.append(_Recipient(channel, channel.to, tz, False, None, "team"))
        elif isinstance(channel, SlackApiChannel):
            topic = settings.route(schedule.id).slack_topic
            ids = channel.to or ((topic.channel,) if topic is not None else ())
            if not ids:
                notes.append(f"channel {name!r} has no `to:` channel id and {schedule.id} no slack_topic channel; "
                             f"team messages for {schedule.id} skip it")
            out.extend(_Recipient(channel, (cid,), tz, False, mention, cid) for cid in ids)
        else:
            out.append(_Recipient(channel, (), tz, False, mention, "team"))
    return out


def _direct(settings: NotifySettings, person: Person, team: set[str], notes: list[str]) -> list[_Recipient]:
    """The person through each direct channel: their email, a direct message to their Slack id, or
    a webhook post that mentions them (unless a team post through it already does)."""
    out: list[_Recipient] = []
    for name in settings.direct:
        channel = settings.channels[name]
        if isinstance(channel, EmailChannel):
            if not person.email:
                notes.append(f"{person.id} has no email in people.yaml; direct messages through {name!r} skip them")
                continue
            out.append(_Recipient(channel, (person.email,), person.tz, True, None, person.email))
            continue
        if not person.slack:
            notes.append(f"{person.id} has no slack id in people.yaml; direct messages through {name!r} skip them")
            continue
        if isinstance(channel, SlackApiChannel):
            out.append(_Recipient(channel, (person.slack,), person.tz, True, None, f"@{person.slack}"))
        elif name not in team:  # the team post already mentions them
            out.append(_Recipient(channel, (), person.tz, True, person.slack, f"@{person.slack}"))
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
