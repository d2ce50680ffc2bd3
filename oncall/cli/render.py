"""How every command shows times, lengths, people and reasons: one wording, one place.

Times in tables read ``Mon 2026-03-09 09:00 EDT`` (the local reading and its zone's
abbreviation); lengths ``1d 6h 30m``; people by display name. Text that came from the files
(names, titles, reasons) is made safe for a terminal before it is shown.

Times in JSON follow one rule (docs/cli.md): a time that belongs to a schedule (a shift, a
gap, a change to a schedule) is given in that schedule's zone, every other time in UTC.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, tzinfo
from functools import cache, lru_cache

from oncall.model import Gap, Org, Reason, Schedule, Shift, describe_reasons, reason_codes
from oncall.redact import terminal_safe
from oncall.times import DAY, iso, length_text, zone


def safe(text: str) -> str:
    """Text from the files for one line of a terminal: control characters (ESC, BEL, newlines,
    bidi overrides...) are shown as escapes such as ``\\x1b`` instead of being obeyed; a tab is a space."""
    return terminal_safe(text).replace("\t", " ")


def safe_lines(text: str) -> str:
    """Like ``safe`` for text of several lines: newlines and tabs are kept."""
    return terminal_safe(text, newlines=True)


def when(seconds: int, tz: tzinfo) -> str:
    """An instant as read in ``tz``: ``Mon 2026-03-09 09:00 EDT``."""
    moment = datetime.fromtimestamp(seconds, tz)
    return f"{moment:%a %Y-%m-%d %H:%M} {moment.tzname()}"


def fold_when(text: str) -> str:
    """A time from ``when`` on two lines, the date above the time and zone (for narrow tables)."""
    return text.replace(" ", "\n", 2).replace("\n", " ", 1)


def fold_after_name(text: str) -> str:
    """``Carol Nguyen, Sat 2026-12-26 09:00 EST`` as the name, then the time on two lines."""
    name, sep, rest = text.partition(", ")
    return f"{name},\n{fold_when(rest)}" if sep else text


def length(seconds: int) -> str:
    """A duration in days, hours and minutes: ``1d 6h 38m``, ``8h``, ``0m``."""
    return length_text(seconds)


def hours_number(seconds: int) -> float | int:
    """Hours to two decimals, a whole number when it is one (for JSON and CSV)."""
    value = round(seconds / 3600, 2)
    return int(value) if value == int(value) else value


def hours(seconds: int) -> str:
    return f"{hours_number(seconds)}h"


def signed_hours(seconds: int) -> str:
    return ("+" if seconds > 0 else "") + hours(seconds)


def display_name(org: Org, person_id: str | None) -> str | None:
    """A person's display name as data (for JSON and CSV): their id when people.yaml does not
    know them, None for nobody."""
    if person_id is None:
        return None
    known = org.people.get(person_id)
    return known.display if known else person_id


def person(org: Org, person_id: str | None) -> str:
    """A person's display name (their id when people.yaml does not know them); "nobody" for None."""
    if person_id is None:
        return "nobody"
    known = org.people.get(person_id)
    return safe(known.display if known else person_id)


def schedule(org: Org, schedule_id: str) -> str:
    """A schedule's display name."""
    known = org.schedules.get(schedule_id)
    return safe(known.display if known else schedule_id)


def schedule_title(sched: Schedule) -> str:
    """``Payments primary (payments, America/New_York)``."""
    return safe(f"{sched.display} ({sched.id}, {sched.timezone})")


def reasons(org: Org, found: Iterable[Reason], *, layers: bool = True) -> str:
    """Why someone holds a shift, in the core's words (``layer weekly; covering Alice Park's time
    off``, ``covering Alice Park (public holiday)``), without the layer turns when ``layers`` is
    false."""
    shown = [r for r in found if layers or r.unusual]
    return safe(describe_reasons(shown, lambda person_id: display_name(org, person_id) or person_id))


def zone_name(tz: tzinfo) -> str:
    """An IANA name where the zone has one (``Europe/London``)."""
    return getattr(tz, "key", None) or str(tz)


def same_zone(a: tzinfo, b: tzinfo, at: int) -> bool:
    """True when both zones read the same around ``at`` (``UTC`` and ``Etc/UTC``, say)."""
    if a is b or getattr(a, "key", None) == getattr(b, "key", 1):
        return True
    return all(
        datetime.fromtimestamp(t, a).utcoffset() == datetime.fromtimestamp(t, b).utcoffset()
        for t in (at, at + 182 * DAY)
    )


def json_time(seconds: int | None, sched: Schedule | None = None) -> str | None:
    """A time for JSON, with its offset: in the schedule's zone when it belongs to one, else UTC."""
    if seconds is None:
        return None
    return _iso_in(seconds, sched.timezone) if sched is not None else iso(seconds, UTC)


@lru_cache(maxsize=1 << 16)
def _iso_in(seconds: int, timezone: str) -> str:
    # Cached: a shift's end is the next shift's start, and schedules in one zone hand over at
    # the same instants, so a year of the 300-schedule benchmark org (470,000 times) formats
    # only 12,000 distinct ones. 65,536 entries are a few MB.
    return iso(seconds, zone(timezone))


@lru_cache(maxsize=1 << 16)
def _json_text_of_time(seconds: int, timezone: str | None) -> str:
    # ``json_time`` as JSON text (None: UTC), cached for the same reason as ``_iso_in``.
    return json.dumps(iso(seconds, UTC) if timezone is None else _iso_in(seconds, timezone))


def shift_json(org: Org, shift: Shift) -> dict[str, object]:
    """A shift for JSON: the contract's four keys, then the person's name and the reasons."""
    sched = org.schedules.get(shift.schedule)
    return {
        "schedule": shift.schedule,
        "person": shift.person,
        "start": json_time(shift.start, sched),
        "end": json_time(shift.end, sched),
        "person_name": display_name(org, shift.person),
        "reason": reason_codes(shift.reasons),
    }


def shift_lines(org: Org) -> Callable[[Sequence[Shift]], list[str]]:
    """``shift_json`` of each of one schedule's shifts as JSON text, on one line as the json
    module's encoder writes it, for long lists. A year of a large org is hundreds of thousands of
    shifts but only thousands of distinct schedules with their people, people with their reasons,
    and instants (a shift's end is usually the next one's start), so each such piece is encoded
    once, not a dict made and encoded per shift (docs/performance.md). The tests hold it to
    ``shift_json`` byte for byte."""
    encode = json.JSONEncoder(ensure_ascii=False).encode

    @cache
    def opening(schedule_id: str, person_id: str) -> str:
        return f'{{"schedule": {encode(schedule_id)}, "person": {encode(person_id)}, "start": '

    @cache
    def closing(person_id: str, reasons: tuple[Reason, ...]) -> str:
        return (f', "person_name": {encode(display_name(org, person_id))}, '
                f'"reason": {encode(reason_codes(reasons))}}}')

    def lines(shifts: Sequence[Shift]) -> list[str]:
        if not shifts:
            return []
        sched = org.schedules.get(shifts[0].schedule)
        tz = sched.timezone if sched is not None else None
        time = _json_text_of_time
        return [f'{opening(s.schedule, s.person)}{time(s.start, tz)}, "end": {time(s.end, tz)}'
                f'{closing(s.person, s.reasons)}' for s in shifts]

    return lines


def gap_json(org: Org, gap: Gap) -> dict[str, object]:
    sched = org.schedules.get(gap.schedule)
    return {"schedule": gap.schedule, "start": json_time(gap.start, sched), "end": json_time(gap.end, sched)}
