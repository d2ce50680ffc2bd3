"""How on-call time is shared: hours per person, at night, at weekends, on public holidays.

All figures come from the engine's shifts clipped to the window and are measured in elapsed
seconds (UTC arithmetic), so a shift across a DST change counts the hour it really gained or lost.
Night and weekend are read on the person's own wall clock:

* night: 22:00 to 07:00 (``NIGHT_FROM``/``NIGHT_TO``);
* weekend: Saturday 00:00 to Monday 00:00;
* holiday: whole local days that are public holidays in the person's ``country:`` (people.yaml),
  as the ``holidays`` package lists them — the same calendar a layer's ``skip_holidays`` uses.

The categories overlap: a Saturday night counts as night and as weekend.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo

from oncall.errors import ConfigError
from oncall.holidays import HolidayCalendar
from oncall.model import Org, Person, Shift
from oncall.times import epoch_to_wall, wall_to_epoch

NIGHT_FROM = time(22, 0)
NIGHT_TO = time(7, 0)

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
    from oncall.engine import generate, select_schedules

    chosen = select_schedules(org, schedules)
    shifts = generate(org, start, end, schedules=[s.id for s in chosen]).shifts
    members = {s.id: {p for layer in s.layers for p in layer.people} for s in chosen}
    for shift in shifts:
        members[shift.schedule].add(shift.person)
    by_person: dict[str, list[Shift]] = {p: [] for ids in members.values() for p in ids}
    for shift in shifts:
        by_person[shift.person].append(shift)
    people = tuple(person_hours(org.people.get(pid) or Person(pid, pid), by_person[pid], start, end, org.holidays)
                   for pid in sorted(by_person))
    spreads = []
    for schedule in chosen:
        seconds = {p: 0 for p in members[schedule.id]}
        for shift in shifts:
            if shift.schedule == schedule.id:
                seconds[shift.person] += shift.end - shift.start
        ranked = sorted(seconds, key=lambda p: (seconds[p], p))
        spreads.append(Spread(schedule.id, tuple(sorted(seconds.items())),
                              most=max(ranked, key=lambda p: seconds[p]) if ranked else None,
                              least=ranked[0] if ranked else None))
    return HoursReport(start, end, people, tuple(spreads))


def person_hours(person: Person, shifts: list[Shift], start: int, end: int,
                 org_holidays: HolidayCalendar | None = None) -> PersonHours:
    """The figures for one person's ``shifts`` (already clipped to ``[start, end)``)."""
    tz = person.tz
    country = person.country
    holidays = _holidays(org_holidays, person, country, start, end) if country and shifts else []
    total = night = weekend = holiday = 0
    for shift in shifts:
        total += shift.end - shift.start
        night += overlap(shift.start, shift.end, night_spans(shift.start, shift.end, tz))
        weekend += overlap(shift.start, shift.end, weekend_spans(shift.start, shift.end, tz))
        holiday += overlap(shift.start, shift.end, holidays)
    return PersonHours(person.id, total, night, weekend, holiday if country else None, len(shifts), country)


def night_spans(start: int, end: int, tz: tzinfo) -> Iterator[Span]:
    """The night hours (22:00–07:00 local) of every local day touching ``[start, end)``."""
    for day in _days(start, end, tz):
        yield _at(day, time(0), tz), _at(day, NIGHT_TO, tz)
        yield _at(day, NIGHT_FROM, tz), _at(day + timedelta(days=1), time(0), tz)


def weekend_spans(start: int, end: int, tz: tzinfo) -> Iterator[Span]:
    """Whole local Saturdays and Sundays touching ``[start, end)``."""
    for day in _days(start, end, tz):
        if day.weekday() >= 5:
            yield _at(day, time(0), tz), _at(day + timedelta(days=1), time(0), tz)


def overlap(start: int, end: int, spans: Iterable[Span]) -> int:
    """Seconds of ``[start, end)`` inside the disjoint ``spans``."""
    return sum(max(0, min(end, hi) - max(start, lo)) for lo, hi in spans)


def _days(start: int, end: int, tz: tzinfo) -> Iterator[datetime]:
    # Local midnights from the day holding ``start`` to the day holding the last instant.
    day = epoch_to_wall(start, tz).replace(hour=0, minute=0, second=0, microsecond=0)
    last = epoch_to_wall(end - 1, tz)
    while day <= last:
        yield day
        day += timedelta(days=1)


def _at(day: datetime, clock: time, tz: tzinfo) -> int:
    return wall_to_epoch(datetime.combine(day.date(), clock), tz)


def _holidays(calendar: HolidayCalendar | None, person: Person, country: str, start: int, end: int) -> list[Span]:
    from oncall.holidays import holiday_spans, is_known_country

    if not is_known_country(country, person.subdivision):
        raise ConfigError(
            f"country: the holidays calendar has no country {country!r} (person {person.id}); "
            "write an ISO 3166 code such as US, GB or DE", person.location)
    return holiday_spans(calendar or HolidayCalendar(), country, person.subdivision, person.tz, start, end)
