"""One supported range for times and durations: anything outside it is a located input error."""

from __future__ import annotations

from pathlib import Path

import pytest

from oncall.times import (
    MAX_DURATION_DAYS,
    MAX_YEAR,
    MIN_YEAR,
    TimeValueError,
    parse_duration,
    parse_time,
    zone,
)
from tests.cli.cli_runner import run_oncall

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("text", [f"{MIN_YEAR}-01-01", f"{MAX_YEAR}-12-31", f"{MAX_YEAR}-12-31T23:59:59+14:00",
                                  f"{MIN_YEAR}-01-01T00:00-12:00"])
def test_the_ends_of_the_range_are_accepted(text: str) -> None:
    parse_time(text).end_instant(zone("Pacific/Kiritimati"))


@pytest.mark.parametrize("text", ["0001-01-01", "0001-01-01T00:00", "1899-12-31", "2200-01-01", "9999-12-31",
                                  "9999-12-31T23:59:59Z"])
def test_years_outside_the_range_are_refused_with_what_to_write(text: str) -> None:
    with pytest.raises(TimeValueError, match=f"outside the years {MIN_YEAR} to {MAX_YEAR}.*write a date in that"):
        parse_time(text)


@pytest.mark.parametrize(("text", "most"), [("2147483648h", "87672h"), ("99999999999999999999d", "3653d"),
                                            ("99999999w", "521w"), ("316000000s", "315619200s"),
                                            ("5300000m", "5260320m")])
def test_durations_longer_than_ten_years_are_refused(text: str, most: str) -> None:
    with pytest.raises(TimeValueError, match=f"longer than ten years.*write at most '{most}'"):
        parse_duration(text)
    longest = parse_duration(most)  # the longest allowed, and one unit more is refused
    assert longest.seconds <= MAX_DURATION_DAYS * 86400
    with pytest.raises(TimeValueError):
        parse_duration(f"{longest.count + 1}{longest.unit}")


def test_a_timezone_that_is_not_text_is_refused_not_a_crash() -> None:
    for value in (["UTC"], {"a": 1}, 7, None, True):
        with pytest.raises(TimeValueError, match="is not an IANA timezone name"):
            zone(value)


@pytest.mark.parametrize(("args", "option"), [
    (["schedule", "generate", "--to", "9999-12-31"], "--to"),
    (["schedule", "generate", "--from", "0001-01-01T00:00"], "--from"),
    (["whois", "0001-01-01"], "T"),
])
def test_out_of_range_options_exit_2_naming_the_option(args: list[str], option: str,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    result = run_oncall(["--root", str(REPO), *args], capsys)
    assert result.code == 2 and result.err.startswith(f"error: {option}: '{args[-1]}' ") and "write" in result.err
    assert len(result.err.splitlines()) == 1 and result.out == ""
