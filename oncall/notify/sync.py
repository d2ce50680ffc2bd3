"""What ``notify run`` keeps in step on Slack: user groups and channel topics. Pure.

Every user group named by a schedule's ``slack_usergroup`` holds the Slack ids of everyone on
call now in the schedules that name it; every ``slack_topic`` says who is on call now. Each is an
update (a ``Message`` of kind ``usergroup`` or ``topic``) only when it differs from what was last
set (``last_set``, from the state), so Slack is called only when something changed.
"""

from __future__ import annotations

import hashlib
import string
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from datetime import tzinfo
from operator import attrgetter

from oncall.model import Org, Person, Schedule, Shift, SlackTopic
from oncall.notify.messages import Message, when
from oncall.notify.settings import NotifySettings
from oncall.notify.slackapi import TOPIC_LIMIT

NOBODY = "nobody"
START = attrgetter("start")  # the sort key of one schedule's shifts (they do not overlap)


def setting_name(message: Message) -> str:
    """Where the state keeps what an update set: ``usergroup:S0…`` or ``topic:C0…``."""
    return f"{message.kind}:{message.to[0]}"


def under_way(own: Sequence[Shift], at: int) -> Shift | None:
    """The shift of ``own`` (one schedule's, sorted by start) under way at ``at``, if any."""
    i = bisect_right(own, at, key=START)
    return own[i - 1] if i and at < own[i - 1].end else None


def updates(org: Org, settings: NotifySettings, by_schedule: Mapping[str, Sequence[Shift]], now: int,
            last_set: Mapping[str, str], notes: list[str]) -> list[Message]:
    """The user group and topic updates that differ from ``last_set``, with notes on what is left as
    it is and why. ``by_schedule``: each schedule's shifts, sorted by start."""
    current: dict[str, Shift] = {}
    nexts: dict[str, Shift] = {}
    for sid, own in by_schedule.items():
        if (shift := under_way(own, now)) is not None:
            current[sid] = shift
        i = bisect_right(own, now, key=START)  # the first shift to start after now
        if i < len(own):
            nexts[sid] = own[i]
    out: list[Message] = []
    groups: dict[str, list[str]] = {}
    for sid in org.schedules:
        route = settings.route(sid)
        if route.slack_usergroup:
            groups.setdefault(route.slack_usergroup, []).append(sid)
    for group, sids in sorted(groups.items()):
        api = settings.slack_api(sids[0])
        if api is None:
            continue
        members: dict[str, Person] = {}
        for sid in sids:
            shift = current.get(sid)
            person = org.people.get(shift.person) if shift is not None else None
            if person is None:
                continue
            if person.slack:
                members[person.slack] = person
            else:
                notes.append(f"{person.id} is on call in {sid} but has no slack id in people.yaml; user group "
                             f"{group} leaves them out")
        if not members:
            notes.append(f"nobody on call now in {', '.join(sids)} has a slack id: user group {group} is left as "
                         "it is (Slack refuses an empty group)")
            continue
        value = ",".join(sorted(members))
        if last_set.get(f"usergroup:{group}") == value:
            continue
        names = ", ".join(f"{members[uid].display} ({uid})" for uid in sorted(members))
        out.append(Message(
            key=f"usergroup|{group}|{value}", kind="usergroup", channel=api.name, to=(group,),
            subject=f"user group {group}: {', '.join(members[uid].display for uid in sorted(members))}",
            lines=(f"Members of user group {group}: {names}.",), due=now, keep_until=now, created=now, value=value,
        ))
    for sid, schedule in org.schedules.items():
        topic = settings.route(sid).slack_topic
        api = settings.slack_api(sid)
        if topic is None or api is None:
            continue
        text = topic_text(topic, schedule, org, current.get(sid), nexts.get(sid))
        if len(text) > TOPIC_LIMIT:
            notes.append(f"the topic for {sid} is {len(text)} characters; Slack takes {TOPIC_LIMIT}, so it is cut "
                         "(shorten the slack_topic template)")
            text = text[:TOPIC_LIMIT - 1] + "…"
        if last_set.get(f"topic:{topic.channel}") == text:
            continue
        digest = hashlib.sha256(text.encode()).hexdigest()[:12]
        out.append(Message(
            key=f"topic|{topic.channel}|{digest}", kind="topic", channel=api.name, to=(topic.channel,),
            subject=f"topic of {topic.channel}: {text}", lines=(f"Topic of {topic.channel}: {text}",), due=now,
            keep_until=now, schedule=sid, person=current[sid].person if sid in current else None, created=now,
            value=text,
        ))
    return out


def topic_text(topic: SlackTopic, schedule: Schedule, org: Org, shift: Shift | None, following: Shift | None) -> str:
    """The template filled in for ``shift`` (None: nobody is on call; ``{end}`` is then when
    ``following`` begins)."""
    person = org.people.get(shift.person) if shift is not None else None
    tz = schedule.tz
    if shift is not None:
        start = shift.known_start
        end = shift.whole_end
    else:
        start, end = None, following.start if following is not None else None
    values = {
        "schedule.id": schedule.id,
        "schedule.name": schedule.display,
        "start": _short(start, tz),
        "end": _short(end, tz),
    }
    out = []
    for literal, name, _, _ in string.Formatter().parse(topic.template):
        out.append(literal)
        if name is None:
            continue
        if name in values:
            out.append(values[name])
        elif name.startswith("person."):
            out.append(_person_field(person, name[7:]))
    return "".join(out).strip()


def _person_field(person: Person | None, field: str) -> str:
    if person is None:
        return NOBODY
    if field == "slack_mention":
        return f"<@{person.slack}>" if person.slack else person.display
    if field == "name":
        return person.display
    value = getattr(person, field, None) if field in ("id", "email", "slack", "timezone") else person.extra.get(field)
    return "" if value is None else str(value)


def _short(instant: int | None, tz: tzinfo) -> str:
    """``Mon 16 Mar 09:00 EDT``; ``further notice`` when unknown."""
    if instant is None:
        return "further notice"
    return when(instant, tz, year=False)
