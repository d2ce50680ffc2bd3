"""The line folding and TEXT escaping of the export write exactly what icalendar's own write."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import vText
from icalendar.parser import Contentline

from oncall.calendar.ics import CRLF, _escape_text, _fold

# Letters that take 1, 2, 3 and 4 bytes in UTF-8, and the characters escapes start with.
ALPHABET = st.sampled_from(list("ab ,;:\\^nZ") + ["é", "ł", "Ж", "李", "キ", "—", "🚀", "🐉"])


def icalendar_fold(line: str) -> str:
    """icalendar's own folding of ``line`` (what ``_fold`` must write)."""
    return Contentline(line).to_ical().decode("utf-8") + CRLF


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, min_size=0, max_size=400))
def test_fold_matches_icalendar(value: str) -> None:
    line = f"DESCRIPTION:{value}"
    assert _fold(line) == icalendar_fold(line)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aN\\;,:\r\n\t\"é李🚀")), min_size=0, max_size=40))
def test_escape_matches_icalendar(value: str) -> None:
    assert _escape_text(value) == vText(value).to_ical().decode("utf-8")


def test_escape_examples() -> None:
    assert _escape_text("Ana María, SRE; on call") == "Ana María\\, SRE\\; on call"
    assert _escape_text("a\\b\nc\r\nd\re") == "a\\\\b\\nc\\nd\\ne"


def test_fold_edges() -> None:
    for n in range(60, 160):
        for filler in ("a", "é", "🚀", "\\", "a\\", "^"):
            line = "X:" + (filler * n)[:n]
            assert _fold(line) == icalendar_fold(line), (filler, n)


def test_a_long_uid_is_folded_like_icalendar() -> None:
    from oncall.calendar.ics import export_calendar, read_events, uid_for
    from oncall.model import Org, Shift

    org = Org(Path("."), {}, {}, {})
    for schedule in ("s" * 46, "s" * 47, "é" * 30):
        shift = Shift(schedule, "ana", 1_800_000_000, 1_800_003_600)
        data = export_calendar(org, [shift], name="x", now=1_800_000_000).decode("utf-8")
        assert icalendar_fold(f"UID:{uid_for(schedule, shift.start, 'ana')}") in data
        assert list(read_events(data.encode("utf-8"))) == [uid_for(schedule, shift.start, "ana")]
