"""Public holidays: the one seam through which the `holidays` package and its date cache are reached.

The engine never does I/O: it asks the ``HolidayCalendar`` an ``Org`` carries (``org.holidays``)
for the dates of a country, subdivision and year. The calendar reads them from a small cache file
(``$XDG_CACHE_HOME/oncall/holidays/<country>[-<subdivision>]-<year>.json``), or else from the
``holidays`` package, which takes tens of milliseconds to import (too much for
``oncall whois now``), and writes the cache for next time. The list of countries and their
subdivisions is kept there too (``countries.json``), so checking a `country:` does not import the
package either. Delete the folder after upgrading ``holidays`` to pick up corrected calendars.

A country (or subdivision) the package does not know has no holidays here; the config loader
reports it at its line with ``is_known_country``. Tests give the engine a ``FixedHolidays``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo
from functools import lru_cache
from pathlib import Path

from oncall.times import epoch_to_wall, wall_seconds, zone_clock

HOLIDAYS_OF_PEOPLE = "people"  # skip_holidays: people — each person's own holidays (country:, subdivision:)


@dataclass(eq=False)
class HolidayCalendar:
    """Public holiday dates from the ``holidays`` package, through a cache of small JSON files.

    ``folder`` holds the cache (default: ``$XDG_CACHE_HOME/oncall/holidays``, found when first
    needed). Dates already read are kept in memory for the life of the object. A dataclass with
    its folder as its only field, so that it is cached with the org it belongs to.
    """

    folder: Path | None = None

    def days(self, country: str, subdivision: str | None, year: int) -> frozenset[date]:
        """The public holidays of ``country`` (ISO 3166 code), or of its ``subdivision``, in
        ``year``; empty for a country or subdivision the package does not know."""
        known: dict[tuple[str, str | None, int], frozenset[date]] = self.__dict__.setdefault("_known", {})
        key = (country.upper(), subdivision, year)
        found = known.get(key)
        if found is None:
            found = known[key] = self._read(*key)
        return found

    def _read(self, country: str, subdivision: str | None, year: int) -> frozenset[date]:
        name = "-".join([country, *([_file_safe(subdivision)] if subdivision else []), str(year)])
        path = self._folder() / f"{name}.json"
        try:
            return frozenset(date.fromisoformat(d) for d in json.loads(path.read_text("utf-8")))
        except (OSError, ValueError, TypeError):
            pass
        dates = _package_dates(country, subdivision, year)
        if dates is None:
            return frozenset()
        try:
            from oncall.fsutil import write_atomic

            write_atomic(path, json.dumps(sorted(d.isoformat() for d in dates)))
        except OSError:
            pass  # a read-only home only costs the import next time
        return dates

    def _folder(self) -> Path:
        if self.folder is None:
            from oncall.xdg import cache_dir

            self.folder = cache_dir() / "holidays"
        return self.folder


class FixedHolidays(HolidayCalendar):
    """A calendar of given dates, for tests: ``{"US": ["2026-11-26"], "AU-NSW": [...]}``.

    A subdivision has its own dates plus its country's."""

    def __init__(self, dates: Mapping[str, Iterable[date | str]]) -> None:
        super().__init__(None)
        self.dates = {key.upper(): frozenset(d if isinstance(d, date) else date.fromisoformat(d) for d in values)
                      for key, values in dates.items()}

    def _read(self, country: str, subdivision: str | None, year: int) -> frozenset[date]:
        keys = [country] + ([f"{country}-{subdivision.upper()}"] if subdivision else [])
        return frozenset(d for key in keys for d in self.dates.get(key, ()) if d.year == year)


def holiday_spans(calendar: HolidayCalendar, country: str, subdivision: str | None, tz: tzinfo,
                  start: int, end: int) -> list[tuple[int, int]]:
    """The public holidays of ``country`` (and ``subdivision``) that overlap ``[start, end)``, each
    the whole local day in ``tz`` (midnight to midnight), as sorted ``(from, to)`` instants."""
    if start >= end:
        return []
    clock = zone_clock(tz)
    spans = []
    for year in range(_year(start, tz), _year(end, tz) + 1):
        for day in calendar.days(country, subdivision, year):
            midnight = wall_seconds(datetime.combine(day, time()))
            s, e = clock.to_instant(midnight), clock.to_instant(midnight + 86400)
            if s < end and e > start:
                spans.append((s, e))
    return sorted(spans)


def _year(instant: int, tz: tzinfo) -> int:
    try:
        return epoch_to_wall(instant, tz).year
    except (OverflowError, ValueError):
        return 1 if instant < 0 else 9999


def is_known_country(country: str, subdivision: str | None = None) -> bool:
    """True when the ``holidays`` package has a calendar for ``country`` (and ``subdivision``)."""
    return _canonical(country, subdivision) is not None


def subdivisions(country: str) -> tuple[str, ...]:
    """The codes of the states or regions of ``country`` that have holidays of their own."""
    return _countries().get(country.upper(), ())


def _package_dates(country: str, subdivision: str | None, year: int) -> frozenset[date] | None:
    names = _canonical(country, subdivision)
    if names is None:
        return None
    import holidays

    try:
        return frozenset(holidays.country_holidays(names[0], subdiv=names[1], years=year))
    except (NotImplementedError, ValueError, KeyError, OverflowError):
        return None  # a year the package cannot compute


def _canonical(country: str, subdivision: str | None) -> tuple[str, str | None] | None:
    """The package's own spelling of ``country`` and ``subdivision`` (matched ignoring case)."""
    code = country.upper()
    known = _countries().get(code)
    if known is None:
        return None
    if subdivision is None:
        return code, None
    for name in known:
        if name.casefold() == subdivision.casefold():
            return code, name
    return None


@lru_cache(maxsize=1)
def _countries() -> dict[str, tuple[str, ...]]:
    """Every country the ``holidays`` package knows, with its subdivisions; kept in the cache
    folder next to the dates, so that checking a `country:` does not import the package."""
    from oncall.xdg import cache_dir

    cache = cache_dir() / "holidays" / "countries.json"
    try:
        return {code: tuple(subs) for code, subs in json.loads(cache.read_text("utf-8")).items()}
    except (OSError, ValueError, TypeError, AttributeError):
        pass
    import holidays

    found = {code: tuple(subs) for code, subs in holidays.list_supported_countries().items()}
    try:
        from oncall.fsutil import write_atomic

        write_atomic(cache, json.dumps(found))
    except OSError:
        pass  # a read-only home only costs the import next time
    return found


def _file_safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", text).upper()
