"""Restriction spans of the week as daily windows: exact unions, across midnight and the week's end."""

from __future__ import annotations

from oncall.imports.model import DAY_MINUTES, windows_from_spans
from oncall.imports.writer import window_text
from oncall.model import Window

MON, TUE, FRI, SUN = 0, 1, 4, 6


def _lines(spans: list[tuple[int, int]]) -> list[str] | None:
    windows = windows_from_spans(spans)
    return None if windows is None else [window_text(w) for w in windows]


def _minutes(windows: tuple[Window, ...]) -> set[int]:
    """Every minute of the week the windows cover (the union, the way the engine reads windows)."""
    covered = set()
    for window in windows:
        for day in window.days:
            begin = day * DAY_MINUTES + window.start
            covered.update((begin + m) % (7 * DAY_MINUTES) for m in range(window.length))
    return covered


def test_a_weekly_span_of_five_days_becomes_five_daily_windows_on_one_line() -> None:
    assert _lines([(MON * DAY_MINUTES + 9 * 60, 5 * DAY_MINUTES)]) == [
        '{days: [mon, tue, wed, thu, fri], from: "09:00", to: "09:00"}']


def test_a_daily_window_across_midnight_stays_one_window() -> None:
    assert _lines([(d * DAY_MINUTES + 22 * 60, 8 * 60) for d in range(7)]) == ['{from: "22:00", to: "06:00"}']


def test_a_span_across_the_end_of_the_week() -> None:
    spans = [(FRI * DAY_MINUTES + 18 * 60, 62 * 60)]  # Friday 18:00 to Monday 08:00
    assert _lines(spans) == ['{days: [fri, sat], from: "18:00", to: "18:00"}',
                             '{days: [sun], from: "18:00", to: "08:00"}']
    covered = _minutes(windows_from_spans(spans) or ())
    assert len(covered) == 62 * 60
    assert SUN * DAY_MINUTES + 23 * 60 in covered and 7 * 60 + 59 in covered and 8 * 60 not in covered


def test_spans_that_join_across_sunday_night_are_one_run() -> None:
    spans = [(SUN * DAY_MINUTES + 20 * 60, 4 * 60), (MON * DAY_MINUTES, 6 * 60)]
    assert _lines(spans) == ['{days: [sun], from: "20:00", to: "06:00"}']


def test_whole_days_from_midnight_end_at_24_00() -> None:
    assert _lines([(TUE * DAY_MINUTES, DAY_MINUTES), (SUN * DAY_MINUTES, DAY_MINUTES)]) == [
        '{days: [tue, sun], from: "00:00", to: "24:00"}']


def test_the_whole_week_is_no_restriction_and_nothing_is_nothing() -> None:
    assert _lines([(d * DAY_MINUTES + 9 * 60, DAY_MINUTES) for d in range(7)]) is None
    assert _lines([(0, 0)]) == []


def test_any_union_is_kept_exactly() -> None:
    spans = [(MON * DAY_MINUTES + 9 * 60, 30 * 60), (TUE * DAY_MINUTES + 10 * 60, 3 * 60),
             (FRI * DAY_MINUTES + 23 * 60, 2 * 60), (SUN * DAY_MINUTES + 23 * 60 + 30, 90)]
    expected = set()
    for start, length in spans:
        expected.update((start + m) % (7 * DAY_MINUTES) for m in range(length))
    assert _minutes(windows_from_spans(spans) or ()) == expected
