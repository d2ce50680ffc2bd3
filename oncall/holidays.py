"""Public holidays: the one seam through which the `holidays` package and its date cache are reached.

The ``holidays`` package takes tens of milliseconds to import, which would dominate
``oncall whois now``; the dates it gives for a country and year are therefore kept in a small
cache file (``$XDG_CACHE_HOME/oncall/holidays/<country>-<year>.json``), and so is the list of
countries and their subdivisions (``countries.json``). Delete the folder after upgrading
``holidays`` to pick up corrected calendars.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from functools import lru_cache

from oncall.errors import ConfigError
from oncall.times import epoch_to_wall, wall_to_epoch, zone
from oncall.xdg import cache_dir


def holiday_spans(country: str, timezone: str, start: int, end: int) -> list[tuple[int, int]]:
    """Whole local days (in ``timezone``) that are public holidays of ``country`` within
    ``[start, end)``, as sorted ``(from, to)`` instants."""
    tz = zone(timezone)
    spans = []
    for year in range(epoch_to_wall(start, tz).year, epoch_to_wall(end, tz).year + 1):
        for day in holiday_dates(country.upper(), year):
            midnight = datetime(day.year, day.month, day.day)
            s = wall_to_epoch(midnight, tz)
            e = wall_to_epoch(midnight + timedelta(days=1), tz)
            if s < end and e > start:
                spans.append((s, e))
    return spans


@lru_cache(maxsize=256)
def holiday_dates(country: str, year: int) -> tuple[date, ...]:
    """The public holidays of ``country`` (ISO 3166 code) in ``year``."""
    cache = cache_dir() / "holidays" / f"{country}-{year}.json"
    try:
        return tuple(date.fromisoformat(d) for d in json.loads(cache.read_text("utf-8")))
    except (OSError, ValueError, TypeError):
        pass
    import holidays

    try:
        calendar = holidays.country_holidays(country, years=year)
    except NotImplementedError:
        raise ConfigError(
            f"skip_holidays: unknown country {country!r}; write an ISO 3166 code such as US, GB or DE"
        ) from None
    days = tuple(sorted(calendar))
    try:
        from oncall.fsutil import write_atomic

        write_atomic(cache, json.dumps([d.isoformat() for d in days]))
    except OSError:
        pass  # a read-only home only costs the import next time
    return days


def is_known_country(country: str) -> bool:
    """True when the ``holidays`` package has a calendar for ``country``."""
    return country.upper() in _countries()


def subdivisions(country: str) -> tuple[str, ...]:
    """The codes of the states or regions of ``country`` that have holidays of their own."""
    return _countries().get(country.upper(), ())


@lru_cache(maxsize=1)
def _countries() -> dict[str, tuple[str, ...]]:
    """Every country the ``holidays`` package knows, with its subdivisions; kept in the cache
    folder next to the dates, so that checking a `country:` does not import the package."""
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
