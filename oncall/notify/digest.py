"""The weekly digest: who is on call each day of the coming week, the gaps, and readiness. Pure.

It goes out at ``digest.at`` on ``digest.day`` in ``digest.timezone``, and covers the seven days
from that day's midnight in that zone.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta, tzinfo

from oncall.model import Digest, Org, Shift
from oncall.notify.messages import ReadinessLookup, readiness_words, when
from oncall.times import epoch_to_wall, wall_to_epoch, zone

DAYS = 7


def due_at(digest: Digest, start: int, end: int) -> int | None:
    """The instant the digest is due within ``(start, end]``, if it is."""
    tz = zone(digest.timezone)
    today = epoch_to_wall(end, tz).date()
    day = today - timedelta(days=(today.weekday() - digest.day) % 7)
    at = time(digest.at // 60, digest.at % 60)
    instant = wall_to_epoch(datetime.combine(day, at), tz)
    if instant > end:
        day -= timedelta(days=7)
        instant = wall_to_epoch(datetime.combine(day, at), tz)
    return instant if instant > start else None


def days(digest: Digest, due: int) -> list[tuple[int, int]]:
    """The seven days the digest due at ``due`` covers: ``[midnight, next midnight)`` each."""
    tz = zone(digest.timezone)
    first = epoch_to_wall(due, tz).date()
    bounds = [wall_to_epoch(datetime.combine(first + timedelta(days=i), time()), tz) for i in range(DAYS + 1)]
    return list(zip(bounds, bounds[1:], strict=False))


def title(digest: Digest, due: int) -> str:
    tz = zone(digest.timezone)
    first = epoch_to_wall(due, tz)
    return f"the week of {first:%a} {first.day} {first:%b %Y} ({digest.timezone})"


def block(org: Org, schedule_id: str, own: Sequence[Shift], week: list[tuple[int, int]], tz: tzinfo,
          readiness: ReadinessLookup) -> list[str]:
    """One schedule's part: a line per day, its gaps, and the readiness of each person on call.
    ``own``: the schedule's shifts in the week, sorted by start."""
    schedule = org.schedules[schedule_id]
    lines = [f"{schedule.display} ({schedule.id}):"]
    gaps: list[tuple[int, int]] = []
    people: list[str] = []
    for day_start, day_end in week:
        pieces = _pieces(own, day_start, day_end)
        for s, e, pid in pieces:
            if pid is None:
                if gaps and gaps[-1][1] == s:
                    gaps[-1] = (gaps[-1][0], e)
                else:
                    gaps.append((s, e))
            elif pid not in people:
                people.append(pid)
        lines.append(f"  {_day(day_start, tz)}: {_day_text(org, pieces, day_start, day_end, tz)}")
    if gaps:
        lines.append("  Gaps: " + "; ".join(f"{when(s, tz)} until {when(e, tz)}" for s, e in gaps) + ".")
    else:
        lines.append("  Gaps: none.")
    if schedule.checklist:
        lines.append(f"  Readiness (checklist {schedule.checklist}):")
        for someone in people:
            person = org.people.get(someone)
            if person is not None:
                lines.append(f"  - {person.display}: {readiness_words(readiness(person, schedule.checklist), tz)}")
    return lines


def _pieces(own: Sequence[Shift], start: int, end: int) -> list[tuple[int, int, str | None]]:
    """Who is on call in ``[start, end)``, gaps as None, in order."""
    out: list[tuple[int, int, str | None]] = []
    cursor = start
    for shift in own:
        if shift.end <= start or shift.start >= end:
            continue
        s, e = max(shift.start, start), min(shift.end, end)
        if s > cursor:
            out.append((cursor, s, None))
        out.append((s, e, shift.person))
        cursor = e
    if cursor < end:
        out.append((cursor, end, None))
    return out


def _day(instant: int, tz: tzinfo) -> str:
    dt = datetime.fromtimestamp(instant, tz)
    return f"{dt:%a} {dt.day} {dt:%b}"


def _day_text(org: Org, pieces: list[tuple[int, int, str | None]], start: int, end: int, tz: tzinfo) -> str:
    def clock(instant: int) -> str:
        return f"{datetime.fromtimestamp(instant, tz):%H:%M}"

    words = []
    for s, e, pid in pieces:
        holder = org.people.get(pid) if pid is not None else None
        name = holder.display if holder is not None else (pid or "nobody")
        if s == start and e == end:
            part = name
        elif s == start:
            part = f"{name} until {clock(e)}"
        elif e == end:
            part = f"{name} from {clock(s)}"
        else:
            part = f"{name} {clock(s)}-{clock(e)}"
        words.append(part + (" (gap)" if pid is None else ""))
    return ", ".join(words)
