"""Compact builders for engine tests: model objects from short literals."""

from __future__ import annotations

from pathlib import Path

from oncall.holidays import FixedHolidays, HolidayCalendar
from oncall.model import WEEKDAYS, Interval, Layer, Org, Override, Person, Schedule, Window
from oncall.times import parse_duration, parse_time, zone


def utc(text: str) -> int:
    """Epoch seconds of an ISO instant with an offset, e.g. ``2026-03-09T13:00Z``."""
    parsed = parse_time(text)
    assert parsed.aware is not None, f"{text} needs an offset"
    return parsed.instant(zone("UTC"))


def local(text: str, tz: str) -> int:
    """Epoch seconds of a wall-clock reading in ``tz`` (fold=0)."""
    return parse_time(text).instant(zone(tz))


def window(days: str, start: str, end: str) -> Window:
    from oncall.times import parse_time_of_day

    picked = range(7) if days == "all" else [WEEKDAYS.index(d) for d in days.split(",")]
    return Window(frozenset(picked), parse_time_of_day(start), parse_time_of_day(end, allow_24=True))


def layer(
    people: str,
    start: str,
    every: str,
    *,
    name: str = "layer-1",
    end: str | None = None,
    only: tuple[Window, ...] = (),
    skip_holidays: str | None = None,
    timezone: str | None = None,
    offset: int = 0,
    advance: str = "always",
) -> Layer:
    return Layer(
        name=name,
        people=tuple(people.split(",")),
        start=parse_time(start).wall,
        every=parse_duration(every),
        end=parse_time(end).wall if end else None,
        only=only,
        skip_holidays=skip_holidays,
        timezone=timezone,
        offset=offset,
        advance=advance,
    )


def person(pid: str, tz: str = "UTC", off: tuple[tuple[str, str], ...] = (), country: str | None = None,
           subdivision: str | None = None) -> Person:
    spans = []
    for f, t in off:
        pf, pt = parse_time(f), parse_time(t)
        spans.append(Interval(pf.instant(zone(tz)), pt.end_instant(zone(tz))))
    return Person(pid, pid.title(), f"{pid}@example.com", tz, tuple(sorted(spans, key=lambda i: i.start)),
                  country=country, subdivision=subdivision)


def override(who: str, start: str, end: str, tz: str) -> Override:
    return Override(who, local(start, tz), local(end, tz))


def schedule(tz: str, *layers: Layer, overrides: tuple[Override, ...] = (), sid: str = "s",
             avoid: tuple[str, ...] = ()) -> Schedule:
    return Schedule(sid, tz, tuple(layers), name=sid, overrides=overrides, avoid=avoid)


def org(*schedules: Schedule, people: tuple[Person, ...] = (), holidays: HolidayCalendar | None = None) -> Org:
    everyone = {p.id: p for p in people}
    for sched in schedules:
        for lay in sched.layers:
            for pid in lay.people:
                everyone.setdefault(pid, Person(pid, pid.title(), None, "UTC"))
        for o in sched.overrides:
            everyone.setdefault(o.person, Person(o.person, o.person.title(), None, "UTC"))
    return Org(root=Path("."), people=everyone, schedules={s.id: s for s in schedules}, checklists={},
               holidays=holidays if holidays is not None else FixedHolidays({}))
