"""``window_instants``: a layer's restriction windows as instants, against the same windows read
one day at a time with zoneinfo (each window's opening and closing as wall-clock datetimes,
clipped to the range asked, the empty ones dropped, touching ones joined)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from oncall.engine.turns import union, window_instants
from oncall.model import Window
from oncall.times import zone
from tests.engine.build import utc, window

NY = "America/New_York"  # springs forward 2027-03-14 02:00, falls back 2027-11-07 02:00


def by_day(windows: tuple[Window, ...], tz_name: str, start: int, end: int) -> list[tuple[int, int]]:
    tz = zone(tz_name)
    first = datetime.fromtimestamp(start, tz).date() - timedelta(days=2)
    last = datetime.fromtimestamp(end, tz).date() + timedelta(days=2)
    spans = []
    day = first
    while day <= last:
        for w in windows:
            if day.weekday() in w.days:
                opens = datetime(day.year, day.month, day.day, tzinfo=tz) + timedelta(minutes=w.start)
                closes = opens + timedelta(minutes=w.length)  # wall-clock arithmetic: the same reading
                s, e = max(int(opens.timestamp()), start), min(int(closes.timestamp()), end)
                if s < e:
                    spans.append((s, e))
        day += timedelta(days=1)
    return union(spans)


WINDOWS = {
    "business hours": (window("mon,tue,wed,thu,fri", "09:00", "17:00"),),
    "nights past midnight": (window("all", "22:00", "06:00"),),
    "in the spring-forward gap": (window("sun", "02:15", "02:45"), window("sun", "02:30", "03:00")),
    "across the changes": (window("sun", "01:00", "04:00"), window("sat", "23:00", "01:30")),
    "touching": (window("mon", "08:00", "12:00"), window("mon", "12:00", "18:00"), window("tue", "00:00", "24:00")),
}
RANGES = [
    ("2027-03-08T14:00Z", "2027-03-22T03:30Z"),  # both edges inside windows
    ("2027-03-14T06:40Z", "2027-03-14T07:20Z"),  # within the spring-forward night
    ("2027-11-01T00:00Z", "2027-11-15T00:00Z"),
    ("2027-01-01T00:00Z", "2028-01-01T00:00Z"),
]


@pytest.mark.parametrize("name", WINDOWS)
@pytest.mark.parametrize(("start", "end"), RANGES)
def test_windows_as_instants_are_the_windows_read_day_by_day(name: str, start: str, end: str) -> None:
    lo, hi = utc(start), utc(end)
    found = window_instants(WINDOWS[name], zone(NY), lo, hi)
    assert found == by_day(WINDOWS[name], NY, lo, hi)
    assert all(lo <= s < e <= hi for s, e in found)
    assert all(a[1] < b[0] for a, b in zip(found, found[1:], strict=False))  # sorted, disjoint, not touching


def test_a_window_that_ends_before_it_starts_in_the_gap_covers_nothing() -> None:
    # 02:30 to 03:00 on the spring-forward Sunday: 02:30 reads with the offset before the change
    # (07:30Z), 03:00 with the one after (07:00Z).
    gap = (window("sun", "02:30", "03:00"),)
    assert window_instants(gap, zone(NY), utc("2027-03-13T00:00Z"), utc("2027-03-16T00:00Z")) == []
    assert window_instants(gap, zone(NY), utc("2027-03-20T00:00Z"), utc("2027-03-22T00:00Z")) == [
        (utc("2027-03-21T06:30Z"), utc("2027-03-21T07:00Z"))]


def test_an_empty_range_has_no_windows() -> None:
    assert window_instants(WINDOWS["nights past midnight"], zone(NY), utc("2027-03-10T00:00Z"),
                           utc("2027-03-10T00:00Z")) == []
