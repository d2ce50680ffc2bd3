"""Public holidays as spans of instants, for layers that say ``skip_holidays: <country>``.

The ``holidays`` package is imported only when a layer asks for it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache

from oncall.errors import ConfigError
from oncall.times import epoch_to_wall, wall_to_epoch, zone


def holiday_spans(country: str, timezone: str, start: int, end: int) -> list[tuple[int, int]]:
    """Whole local days (in ``timezone``) that are public holidays of ``country`` within
    ``[start, end)``, as sorted ``(from, to)`` instants."""
    tz = zone(timezone)
    first = epoch_to_wall(start, tz).year
    last = epoch_to_wall(end, tz).year
    spans = []
    for day in _holiday_dates(country, first, last):
        midnight = datetime(day.year, day.month, day.day)
        s = wall_to_epoch(midnight, tz)
        e = wall_to_epoch(midnight + timedelta(days=1), tz)
        if s < end and e > start:
            spans.append((s, e))
    return spans


@lru_cache(maxsize=64)
def _holiday_dates(country: str, first_year: int, last_year: int) -> tuple:
    import holidays

    try:
        calendar = holidays.country_holidays(country.upper(), years=range(first_year, last_year + 1))
    except NotImplementedError:
        raise ConfigError(
            f"skip_holidays: unknown country {country!r}; write an ISO 3166 code such as US, GB or DE"
        ) from None
    return tuple(sorted(calendar))


def is_known_country(country: str) -> bool:
    """True when the ``holidays`` package has a calendar for ``country``."""
    import holidays

    return country.upper() in holidays.list_supported_countries()
