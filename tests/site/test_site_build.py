"""Building the site without a browser: the files, their links, the data the Now page carries,
rebuilds, and the Readiness page fed by the readiness board's entries."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

from site_helpers import BUILT, WINDOW, instant

from oncall.model import Checklist, ChecklistItem, Org
from oncall.readiness.board import NO_CHECKLIST, NOT_READY, READY, STALE, UNCHECKED, Entry
from oncall.site import Board, build_site, default_window

DAY = 86400


def _build(org: Org, out: Path, **kwargs: object) -> object:
    return build_site(org, out, start=WINDOW[0], end=WINDOW[1], now=BUILT, **kwargs)  # type: ignore[arg-type]


def test_default_window_is_yesterday_to_four_weeks_ahead() -> None:
    start, end = default_window(instant("2026-10-30T15:00:00+00:00"))
    assert start == instant("2026-10-29T00:00:00+00:00")
    assert end == instant("2026-11-27T00:00:00+00:00")
    assert default_window(instant("2026-10-30T23:59:59+00:00")) == (start, end)


def test_the_site_has_a_page_per_schedule_and_person_and_the_feeds(org: Org, tmp_path: Path) -> None:
    report = _build(org, tmp_path)
    files = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()}
    for page in ("index.html", "schedules/index.html", "people/index.html", "readiness.html",
                 "assets/site.css", "assets/site.js", "assets/data.js", "feeds/index.html"):
        assert page in files
    assert {f"schedules/{s}.html" for s in org.schedules} <= files
    assert {f"people/{p}.html" for p in org.people} <= files
    assert {f"feeds/person-{p}.ics" for p in org.people} | {f"feeds/schedule-{s}.ics" for s in org.schedules} <= files
    assert report.pages == 4 + len(org.schedules) + len(org.people)  # type: ignore[attr-defined]


def test_every_link_and_asset_stays_inside_the_site(org: Org, tmp_path: Path) -> None:
    _build(org, tmp_path)
    for page in tmp_path.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for target in re.findall(r'(?:href|src)="([^"]*)"', text):
            assert "://" not in target and not target.startswith("//"), f"{page.name} links to {target}"
            if target.startswith("#"):
                continue
            assert (page.parent / target.split("#")[0]).resolve().is_file(), f"{page.name}: {target}"
    for asset in ("site.css", "site.js", "data.js"):
        text = (tmp_path / "assets" / asset).read_text(encoding="utf-8")
        assert not re.search(r"https?://|url\((?!#)", text), asset


def test_with_a_base_url_feed_links_are_absolute_with_webcal_twins(org: Org, tmp_path: Path) -> None:
    _build(org, tmp_path, base_url="https://oncall.example.com/team/")
    text = (tmp_path / "people" / "alice.html").read_text(encoding="utf-8")
    assert 'href="https://oncall.example.com/team/feeds/person-alice.ics"' in text
    assert 'href="webcal://oncall.example.com/team/feeds/person-alice.ics"' in text


def test_the_now_data_holds_exactly_the_windows_shifts_and_gaps(org: Org, tmp_path: Path) -> None:
    from oncall.engine import generate

    _build(org, tmp_path)
    text = (tmp_path / "assets" / "data.js").read_text(encoding="utf-8")
    data = json.loads(text.removeprefix("window.ONCALL_DATA=").rstrip().removesuffix(";"))
    assert (data["built"], data["from"], data["to"]) == (BUILT, *WINDOW)
    timeline = generate(org, *WINDOW)
    for schedule in data["schedules"]:
        bounds = [schedule["t"][0]]
        for step in schedule["t"][1:]:
            bounds.append(bounds[-1] + step)
        people = [data["people"][i][0] if i >= 0 else None for i in schedule["p"]]
        decoded = list(zip(bounds, bounds[1:], people, strict=False))
        expected = sorted([(s.start, s.end, s.person) for s in timeline.shifts if s.schedule == schedule["id"]]
                          + [(g.start, g.end, None) for g in timeline.gaps if g.schedule == schedule["id"]],
                          key=lambda piece: piece[0])
        assert decoded == expected
        assert bounds[0] == WINDOW[0] and bounds[-1] == WINDOW[1]


def test_a_rebuild_rewrites_nothing_and_removes_pages_of_people_who_left(org: Org, tmp_path: Path) -> None:
    _build(org, tmp_path)
    assert _build(org, tmp_path).written == []  # type: ignore[attr-defined]
    (tmp_path / "people" / "zed.html").write_text("left over", encoding="utf-8")
    people = {k: v for k, v in org.people.items() if k != "erin"}
    smaller = replace(org, people=people, schedules={"sydney": org.schedules["sydney"]})
    report = _build(smaller, tmp_path)
    assert {"people/erin.html", "people/zed.html", "schedules/api.html"} <= set(report.removed)  # type: ignore[attr-defined]
    assert not (tmp_path / "people" / "erin.html").exists()
    assert (tmp_path / "people" / "alice.html").exists()


def test_names_and_ids_are_escaped(org: Org, tmp_path: Path) -> None:
    _build(org, tmp_path)
    page = (tmp_path / "people" / "carol.html").read_text(encoding="utf-8")
    assert "<h1>Carol &lt;b&gt;Nguyen&lt;/b&gt; &amp; &quot;Co&quot;</h1>" in page
    assert "<b>Nguyen</b>" not in page
    text = (tmp_path / "assets" / "data.js").read_text(encoding="utf-8")
    data = json.loads(text.removeprefix("window.ONCALL_DATA=").rstrip().removesuffix(";"))
    assert ["carol", 'Carol <b>Nguyen</b> & "Co"', "people/carol.html"] in data["people"]  # set as text by the script


def test_readiness_page_without_results_says_so(org: Org, tmp_path: Path) -> None:
    _build(org, tmp_path)
    assert "No shared readiness results" in (tmp_path / "readiness.html").read_text(encoding="utf-8")


def test_a_board_with_no_shifts_says_so_and_where_it_came_from(org: Org, tmp_path: Path) -> None:
    failed = "the shared results could not be fetched when this page was built"
    _build(org, tmp_path, readiness=Board([], "the team's shared results (git remote origin)", 7 * DAY, [failed]))
    page = (tmp_path / "readiness.html").read_text(encoding="utf-8")
    assert "No shared readiness results" not in page and "No shifts under way or coming up." in page
    assert "starting within 7d of " in page and "from the team&#x27;s shared results (git remote origin)." in page
    assert f'<p class="problem"><strong>Warning:</strong> {failed}</p>' in page
    _build(org, tmp_path, readiness=Board([], "board.json"))
    page = (tmp_path / "readiness.html").read_text(encoding="utf-8")
    assert "The readiness board from board.json" in page and "Warning" not in page


def test_readiness_page_shows_the_boards_entries_with_their_fixes(org: Org, tmp_path: Path) -> None:
    checklist = Checklist("primary", "Primary", (
        ChecklistItem("vpn", "VPN reaches the network", "tcp", fix="Connect the corporate VPN (wiki/vpn)"),
        ChecklistItem("kubectl", "kubectl can read pods", "command"),
    ))
    with_checklist = replace(org, checklists={"primary": checklist})
    start = BUILT + 3600
    entries = [
        Entry("api", "alice", start, start + DAY, "primary", NOT_READY, BUILT - 7200, ("vpn", "kubectl"),
              "failing: vpn, kubectl (checked 2h ago)"),
        Entry("nights", "bob", start - 1800, start + 3600, "primary", READY, BUILT - 60, (), "every item passed"),
        Entry("sydney", "dave", start + DAY, start + 2 * DAY, "primary", STALE, BUILT - 9 * DAY, (), "checked 9d ago"),
        Entry("sydney", "carol", start + 2 * DAY, start + 3 * DAY, "primary", UNCHECKED, None, (), "no result"),
        Entry("api", "erin", start + 3 * DAY, start + 4 * DAY, None, NO_CHECKLIST, None, (), "no checklist"),
    ]
    _build(with_checklist, tmp_path, readiness=Board(entries, "board.json"))
    page = (tmp_path / "readiness.html").read_text(encoding="utf-8")
    assert "<p>Ready: 1, Not ready: 1, Stale: 1, Not checked: 1, No checklist: 1.</p>" in page
    rows = re.findall(r'<tr class="(\w+)">(.*?)</tr>', page, re.S)
    assert [css for css, _ in rows] == ["ok", "bad", "bad", "bad", "unknown"]  # by start: bob's shift first
    assert "Bob Okafor" in rows[0][1] and ">Ready<" in rows[0][1]
    assert "Not ready" in rows[1][1] and "Alice Park" in rows[1][1]
    assert "<strong>VPN reaches the network</strong>: Connect the corporate VPN (wiki/vpn)" in rows[1][1]
    assert "<strong>kubectl can read pods</strong>" in rows[1][1]
    assert "Stale" in rows[2][1] and "Not checked" in rows[3][1] and "No checklist" in rows[4][1]
    assert "never" in rows[3][1]


def _week_days(page: str) -> list[int]:
    week = page[page.index('aria-labelledby="week-h"'):page.index('aria-labelledby="month-h"')]
    return [int(t) for t in re.findall(r'<line class="now" data-t0="(\d+)"', week)]


def test_the_detailed_week_starts_today_and_stays_inside_the_window(org: Org, tmp_path: Path) -> None:
    _build(org, tmp_path)
    days = _week_days((tmp_path / "schedules" / "nights.html").read_text(encoding="utf-8"))
    assert len(days) == 7 and days[0] <= BUILT < days[1]  # London's midnight before the build
    later = build_site(org, tmp_path / "later", start=WINDOW[0], end=WINDOW[1], now=WINDOW[1] + 30 * DAY)
    assert later.pages
    days = _week_days((tmp_path / "later" / "schedules" / "nights.html").read_text(encoding="utf-8"))
    assert len(days) == 7 and WINDOW[0] <= days[0] and days[-1] < WINDOW[1]


def test_the_boards_json_reads_back_as_the_same_entries() -> None:
    from datetime import UTC
    from zoneinfo import ZoneInfo

    from oncall.site.readiness import entries_from_json

    entries = [Entry("api", "alice", BUILT, BUILT + DAY, "primary", NOT_READY, BUILT - 7200, ("vpn", "kubectl"), "x"),
               Entry("nights", "bob", BUILT + 60, BUILT + 3600, None, NO_CHECKLIST, None, (), "")]
    for tz in (UTC, ZoneInfo("America/New_York")):
        rows = entries_from_json(json.loads(json.dumps([e.to_json(tz) for e in entries])))
        assert [tuple(r) for r in rows] == [(e.schedule, e.person, e.start, e.end, e.checklist, e.status,
                                             e.checked_at, e.failing, e.why) for e in entries]
