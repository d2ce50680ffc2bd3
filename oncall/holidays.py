"""Public holidays: the one seam through which the `holidays` package and its date cache are reached.

The ``holidays`` package takes tens of milliseconds to import, which would dominate
``oncall whois now``; the dates it gives for a country and year are therefore kept in a small
cache file (``$XDG_CACHE_HOME/oncall/holidays/<country>-<year>.json``). Delete the folder after
upgrading ``holidays`` to pick up corrected calendars.
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


@lru_cache(maxsize=64)
def is_known_country(country: str) -> bool:
    """True when the ``holidays`` package has a calendar for ``country``."""
    import holidays

    return country.upper() in holidays.list_supported_countries()


@lru_cache(maxsize=64)
def subdivisions(country: str) -> tuple[str, ...]:
    """The codes of the states or regions of ``country`` that have holidays of their own."""
    import holidays

    try:
        return tuple(holidays.country_holidays(country.upper()).subdivisions)
    except NotImplementedError:
        return ()
