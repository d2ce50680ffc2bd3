"""How on-call time is shared: hours per person, at night, at weekends, on public holidays.

All figures come from the engine's shifts clipped to the window and are measured in elapsed
seconds (UTC arithmetic), so a shift across a DST change counts the hour it really gained or lost.
Local days are read through the zone's clock (``oncall.times.zone_clock``) in integer seconds:
a year of a large org is over a million local days of shifts, and a ``datetime`` for each was
most of the report's time (docs/performance.md).
Night and weekend are read on the person's own wall clock:

* night: 22:00 to 07:00 (``NIGHT_FROM``/``NIGHT_TO``);
* weekend: Saturday 00:00 to Monday 00:00;
* holiday: whole local days that are public holidays in the person's ``country:`` (people.yaml),
  as the ``holidays`` package lists them — the same calendar a layer's ``skip_holidays`` uses.

The categories overlap: a Saturday night counts as night and as weekend.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import tzinfo
from functools import lru_cache

from oncall import collector
from oncall.engine import generate, select_schedules
from oncall.errors import ConfigError
from oncall.holidays import HolidayCalendar, holiday_spans, is_known_country
from oncall.model import Org, Person, Schedule, Shift
from oncall.times import DAY, zone_clock

NIGHT_FROM = 22 * 3600  # seconds after local midnight: 22:00
NIGHT_TO = 7 * 3600  # 07:00
_THURSDAY = 3  # 1970-01-01, local day 0, was a Thursday (Monday is 0)

Span = tuple[int, int]


@dataclass(frozen=True)
class PersonHours:
    """One person's on-call time in the window, in seconds. ``holiday`` is None when the person
    has no ``country``."""

    person: str
    total: int
    night: int
    weekend: int
    holiday: int | None
    shifts: int
    country: str | None = None


@dataclass(frozen=True)
class Spread:
    """How evenly one schedule's time is shared among its people (everyone in its layers, plus
    anyone with a shift). ``ratio`` is max/min, None when someone has no time at all."""

    schedule: str
    seconds: tuple[tuple[str, int], ...]  # (person, seconds) sorted by person id
    most: str | None
    least: str | None

    @property
    def max(self) -> int:
        return dict(self.seconds).get(self.most, 0) if self.most else 0

    @property
    def min(self) -> int:
        return dict(self.seconds).get(self.least, 0) if self.least else 0

    @property
    def ratio(self) -> float | None:
        return self.max / self.min if self.min > 0 else None


@dataclass(frozen=True)
class HoursReport:
    start: int
    end: int
    people: tuple[PersonHours, ...]  # sorted by person id
    schedules: tuple[Spread, ...]  # sorted by schedule id


def hours_report(org: Org, start: int, end: int, schedules: Iterable[str] | None = None) -> HoursReport:
    """Per-person hours and per-schedule spread of the selected schedules over ``[start, end)``.

    A person on call in two schedules at once counts both.
    """
    # The window's shifts are all held until the figures are made: millions of objects in a year
    # of a large org, none in a reference cycle, which the cyclic collector's passes would walk
    # again and again (docs/performance.md).
    with collector.paused():
        return _hours_report(org, start, end, schedules)


def _hours_report(org: Org, start: int, end: int, schedules: Iterable[str] | None) -> HoursReport:
    chosen = select_schedules(org, schedules)
    shifts = generate(org, start, end, schedules=[s.id for s in chosen]).shifts
    # One pass over the shifts for both groupings (a year of a large org is millions of shifts).
    seconds: dict[str, dict[str, int]] = {s.id: dict.fromkeys(_members(s), 0) for s in chosen}
    by_person: dict[str, list[Shift]] = {p: [] for per in seconds.values() for p in per}
    for shift in shifts:
        per = seconds[shift.schedule]
        per[shift.person] = per.get(shift.person, 0) + shift.end - shift.start
        by_person.setdefault(shift.person, []).append(shift)
    people = tuple(person_hours(org.people.get(pid) or Person(pid, pid), by_person[pid], start, end, org.holidays)
                   for pid in sorted(by_person))
    spreads = []
    for schedule in chosen:
        per = seconds[schedule.id]
        ranked = sorted(per, key=lambda p: (per[p], p))
        spreads.append(Spread(schedule.id, tuple(sorted(per.items())),
                              most=max(ranked, key=lambda p: per[p]) if ranked else None,
                              least=ranked[0] if ranked else None))
    return HoursReport(start, end, people, tuple(spreads))


def _members(schedule: Schedule) -> list[str]:
    return [p for layer in schedule.layers for p in layer.people]


def person_hours(person: Person, shifts: list[Shift], start: int, end: int,
                 org_holidays: HolidayCalendar | None = None) -> PersonHours:
    """The figures for one person's ``shifts`` (already clipped to ``[start, end)``)."""
    country = person.country
    holidays = _holidays(org_holidays, person, country, start, end) if country and shifts else []
    totals = _running_totals(person.tz, zone_clock(person.tz).to_wall(start) // DAY - 1)
    total = night = weekend = holiday = 0
    for shift in shifts:
        total += shift.end - shift.start
        at_night, at_weekend = totals.between(shift.start, shift.end)
        night += at_night
        weekend += at_weekend
        if holidays:
            holiday += overlap(shift.start, shift.end, holidays)
    return PersonHours(person.id, total, night, weekend, holiday if country else None, len(shifts), country)


def night_and_weekend(start: int, end: int, tz: tzinfo) -> tuple[int, int]:
    """Seconds of ``[start, end)`` at night (22:00-07:00) and at weekends (Saturday and Sunday)
    on the wall clock of ``tz``."""
    return _running_totals(tz, zone_clock(tz).to_wall(start) // DAY - 1).between(start, end)


class _RunningTotals:
    """Night and weekend seconds on one zone's wall clock, as running totals over its local days
    from day ``first`` on: the seconds of ``[a, b)`` are ``before(b) - before(a)``, two lookups
    however many days a shift spans (a week-long shift used to be taken day by day).

    Local day ``d`` holds the instants from its midnight to the next (``_local_day``), so the days
    cover time without overlap even where a clock change repeats or skips midnight."""

    def __init__(self, tz: tzinfo, first: int) -> None:
        self.tz = tz
        self.clock = zone_clock(tz)
        self.first = first
        self.days: list[tuple[int, int, int, int, bool]] = []  # _local_day of first, first + 1, ...
        self.nights = [0]  # night seconds from day first's midnight to day first + i's midnight
        self.weekends = [0]
        self.known: dict[int, tuple[int, int]] = {}

    def between(self, a: int, b: int) -> tuple[int, int]:
        """Night and weekend seconds of ``[a, b)``."""
        night_before, weekend_before = self.before(a)
        night_by_end, weekend_by_end = self.before(b)
        return night_by_end - night_before, weekend_by_end - weekend_before

    def before(self, t: int) -> tuple[int, int]:
        """Night and weekend seconds from day ``first``'s midnight to ``t`` (not before it)."""
        # Remembered per instant: everyone in the zone shares these totals, and a handoff is one
        # person's end and the next one's start (a year of a large org asks about each instant
        # five times on average).
        known = self.known.get(t)
        if known is None:
            known = self.known[t] = self._before(t)
        return known

    def _before(self, t: int) -> tuple[int, int]:
        index = self.clock.to_wall(t) // DAY - self.first
        if index < 0:
            raise ValueError(f"{t} is before the first day of these totals")
        while len(self.days) <= index + 1:
            self._grow()
        if t >= self.days[index][3]:  # the second pass of a repeated midnight belongs to the next day
            index += 1
        midnight, morning, evening, _, weekend_day = self.days[index]
        return (self.nights[index] + min(t, morning) - midnight + max(0, t - evening),
                self.weekends[index] + (t - midnight if weekend_day else 0))

    def _grow(self) -> None:
        midnight, morning, evening, next_midnight, weekend_day = day = _local_day(self.tz, self.first + len(self.days))
        self.days.append(day)
        self.nights.append(self.nights[-1] + morning - midnight + next_midnight - evening)
        self.weekends.append(self.weekends[-1] + (next_midnight - midnight if weekend_day else 0))


@lru_cache(maxsize=1024)
def _running_totals(tz: tzinfo, first: int) -> _RunningTotals:
    """Shared by everyone in the zone whose figures start on day ``first``."""
    return _RunningTotals(tz, first)


def _local_day(tz: tzinfo, day: int) -> tuple[int, int, int, int, bool]:
    """Local day ``day`` (days since 1970-01-01 on the wall clock) in ``tz``: the instants of its
    midnight, 07:00, 22:00 and the next midnight, and whether it is a Saturday or a Sunday."""
    clock = zone_clock(tz)
    midnight = day * DAY
    return (clock.to_instant(midnight), clock.to_instant(midnight + NIGHT_TO), clock.to_instant(midnight + NIGHT_FROM),
            clock.to_instant(midnight + DAY), (day + _THURSDAY) % 7 >= 5)


def overlap(start: int, end: int, spans: Iterable[Span]) -> int:
    """Seconds of ``[start, end)`` inside the disjoint ``spans``."""
    return sum(max(0, min(end, hi) - max(start, lo)) for lo, hi in spans)


def _holidays(calendar: HolidayCalendar | None, person: Person, country: str, start: int, end: int) -> list[Span]:
    if not is_known_country(country, person.subdivision):
        raise ConfigError(
            f"country: the holidays calendar has no country {country!r} (person {person.id}); "
            "write an ISO 3166 code such as US, GB or DE", person.location)
    return holiday_spans(calendar or HolidayCalendar(), country, person.subdivision, person.tz, start, end)
