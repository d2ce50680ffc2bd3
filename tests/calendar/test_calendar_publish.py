"""``publish``: one feed per schedule and person, an index, cancellations, and no needless writes."""

from __future__ import annotations

import gc
from dataclasses import replace
from pathlib import Path

import pytest
from ics_helpers import NOW, WINDOW, epoch

from oncall.calendar.ics import FINGERPRINT, read_events, uid_for
from oncall.calendar.publish import default_window, publish
from oncall.model import Org


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def test_feeds_and_index(org: Org, tmp_path: Path) -> None:
    report = publish(org, tmp_path, start=WINDOW[0], end=WINDOW[1], now=NOW, base_url="https://oncall.example.com/cal/")
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(["index.html", "schedule-london.ics", "schedule-new-york.ics", "schedule-sydney.ics",
                            "person-alice.ics", "person-bob.ics", "person-carol.ics", "person-dave.ics"])
    assert all(f.written for f in report.feeds) and report.index_written
    index = (tmp_path / "index.html").read_text()
    assert 'href="webcal://oncall.example.com/cal/schedule-london.ics"' in index
    assert 'href="https://oncall.example.com/cal/person-carol.ics"' in index
    assert "キャロル 🚀" in index and "Bob Łukasz; ops" in index
    sydney = read_events((tmp_path / "schedule-sydney.ics").read_bytes())
    assert {e.schedule for e in sydney.values()} == {"sydney"}
    carol = read_events((tmp_path / "person-carol.ics").read_bytes())
    assert carol and all("X-ONCALL-PERSON:carol" in e.lines for e in carol.values())


def test_relative_links_without_base_url(org: Org, tmp_path: Path) -> None:
    publish(org, tmp_path, start=WINDOW[0], end=WINDOW[1], now=NOW, base_url=None)
    index = (tmp_path / "index.html").read_text()
    assert 'href="schedule-london.ics"' in index and "webcal://" in index  # only in the explanation
    assert 'href="webcal:' not in index


def test_second_run_rewrites_nothing(org: Org, tmp_path: Path) -> None:
    start, end = default_window(NOW)
    publish(org, tmp_path, start=start, end=end, now=NOW, base_url=None)
    before = snapshot(tmp_path)
    later = NOW + 3 * 3600  # later the same day: same default window
    assert default_window(later) == (start, end)
    report = publish(org, tmp_path, start=start, end=end, now=later, base_url=None)
    assert not report.written and not report.index_written
    assert snapshot(tmp_path) == before
    assert all(not f.stats.added and not f.stats.changed and not f.stats.cancelled for f in report.feeds)


def test_removed_shifts_come_back_cancelled_then_stay_put(org: Org, tmp_path: Path) -> None:
    publish(org, tmp_path, start=WINDOW[0], end=WINDOW[1], now=NOW, base_url=None)
    old = read_events((tmp_path / "schedule-london.ics").read_bytes())
    london = org.schedules["london"]
    changed = Org(org.root, org.people, {**org.schedules, "london": replace(london, overrides=())}, org.settings)
    later = NOW + 86400
    report = publish(changed, tmp_path, start=WINDOW[0], end=WINDOW[1], now=later, base_url=None)
    gone = uid_for("london", epoch("2026-06-10T10:00", "Europe/London"), "dave")  # dave's override (+1h for London)
    feed = next(f for f in report.feeds if f.file == "schedule-london.ics")
    assert gone in feed.stats.cancelled and feed.written
    new = read_events((tmp_path / "schedule-london.ics").read_bytes())
    assert new[gone].cancelled and new[gone].sequence > old[gone].sequence and new[gone].stamp == later
    dave = read_events((tmp_path / "person-dave.ics").read_bytes())
    assert dave[gone].cancelled
    untouched = [u for u in old if u in new and not new[u].cancelled and old[u].lines == new[u].lines]
    assert untouched and all(new[u].sequence == old[u].sequence and new[u].stamp == old[u].stamp for u in untouched)
    # Nothing changes on the next run: the cancelled event is written again byte for byte.
    before = snapshot(tmp_path)
    again = publish(changed, tmp_path, start=WINDOW[0], end=WINDOW[1], now=later + 3600, base_url=None)
    assert not again.written and snapshot(tmp_path) == before


def test_feed_of_a_removed_schedule_has_its_events_cancelled(org: Org, tmp_path: Path) -> None:
    publish(org, tmp_path, start=WINDOW[0], end=WINDOW[1], now=NOW, base_url=None)
    fewer = Org(org.root, org.people, {k: v for k, v in org.schedules.items() if k != "sydney"}, org.settings)
    report = publish(fewer, tmp_path, start=WINDOW[0], end=WINDOW[1], now=NOW + 60, base_url=None)
    feed = next(f for f in report.feeds if f.file == "schedule-sydney.ics")
    events = read_events((tmp_path / "schedule-sydney.ics").read_bytes())
    assert events and all(e.cancelled for e in events.values()) and len(feed.stats.cancelled) == len(events)


def test_schedule_selection_publishes_only_those(org: Org, tmp_path: Path) -> None:
    report = publish(org, tmp_path, start=WINDOW[0], end=WINDOW[1], now=NOW, base_url=None, schedules=["sydney"])
    assert [f.file for f in report.feeds if f.kind == "schedule"] == ["schedule-sydney.ics"]
    for feed in report.feeds:
        assert all(e.schedule == "sydney" for e in read_events((tmp_path / feed.file).read_bytes()).values())


def test_an_unchanged_feed_is_what_reading_and_rewriting_it_would_give(org: Org, tmp_path: Path) -> None:
    # A feed whose fingerprint is unchanged is left unread; that must be what the full comparison
    # gives. Without the fingerprint lines the next run reads every feed and compares it event by
    # event, over a cancellation too: it writes back exactly the bytes that were there.
    publish(org, tmp_path, start=WINDOW[0], end=WINDOW[1], now=NOW, base_url=None)
    london = org.schedules["london"]
    changed = Org(org.root, org.people, {**org.schedules, "london": replace(london, overrides=())}, org.settings)
    first = publish(changed, tmp_path, start=WINDOW[0], end=WINDOW[1], now=NOW + 86400, base_url=None)
    written = {p.name: p.read_bytes() for p in tmp_path.glob("*.ics")}
    assert all(f"\r\n{FINGERPRINT}:".encode() in data for data in written.values())
    for name, data in written.items():
        (tmp_path / name).write_bytes(b"".join(line for line in data.splitlines(keepends=True)
                                               if not line.startswith(FINGERPRINT.encode())))
    again = publish(changed, tmp_path, start=WINDOW[0], end=WINDOW[1], now=NOW + 2 * 86400, base_url=None)
    assert {p.name: p.read_bytes() for p in tmp_path.glob("*.ics")} == written
    assert all(not f.stats.added and not f.stats.changed and not f.stats.cancelled for f in again.feeds)
    assert [f.stats.events for f in again.feeds] == [f.stats.events for f in first.feeds]
    # ... and the run after that reads none of them, and reports the same.
    skipped = publish(changed, tmp_path, start=WINDOW[0], end=WINDOW[1], now=NOW + 3 * 86400, base_url=None)
    assert not skipped.written
    assert [(f.stats.events, f.stats.unchanged) for f in skipped.feeds] == [(f.stats.events, f.stats.events)
                                                                             for f in first.feeds]


def test_a_new_name_is_a_change_though_no_time_moved(org: Org, tmp_path: Path) -> None:
    publish(org, tmp_path, start=WINDOW[0], end=WINDOW[1], now=NOW, base_url=None)
    renamed = Org(org.root, {**org.people, "bob": replace(org.people["bob"], name="Robert")}, org.schedules,
                  org.settings)
    report = publish(renamed, tmp_path, start=WINDOW[0], end=WINDOW[1], now=NOW + 60, base_url=None)
    rewritten = {f.file for f in report.written}
    assert {"person-bob.ics", "schedule-london.ics"} <= rewritten
    assert "— Robert" in (tmp_path / "schedule-london.ics").read_text(encoding="utf-8")
    assert report.index_written  # the index names people too


def test_publish_leaves_the_cycle_collector_as_it_found_it(org: Org, tmp_path: Path) -> None:
    # A publish pauses the collector while it works (see oncall/calendar/publish.py).
    assert gc.isenabled()
    publish(org, tmp_path / "site", start=WINDOW[0], end=WINDOW[1], now=NOW, base_url=None)
    assert gc.isenabled()
    (tmp_path / "taken").write_text("a file, not a folder")
    with pytest.raises(OSError):
        publish(org, tmp_path / "taken", start=WINDOW[0], end=WINDOW[1], now=NOW, base_url=None)
    assert gc.isenabled()
    gc.disable()
    try:
        publish(org, tmp_path / "site", start=WINDOW[0], end=WINDOW[1], now=NOW, base_url=None)
        assert not gc.isenabled()
    finally:
        gc.enable()
