"""The built site in headless Chromium: what a person sees, from a local server and from disk,
at frozen clocks and in several time zones."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

import pytest
from site_helpers import BUILT, DESKTOP, PHONE, REPO, WINDOW, Visit, instant, oncall_json

from oncall.model import Org
from oncall.site.html import length  # the script writes lengths as the pages do

MOMENTS = {
    "built": BUILT,
    "after-dst-ends-in-new-york": instant("2026-11-01T06:30:00+00:00"),  # 01:30 EST, the second one
    "london-daytime-gap": instant("2026-11-05T12:00:00+00:00"),
    "midweek-override": instant("2026-11-03T20:00:00+00:00"),
}


def _url(plain_site: Path, served: tuple[str, Path], transport: str, page: str) -> str:
    if transport == "file":
        return (plain_site / page).as_uri()
    return f"{served[0]}/plain/{page}"


def _hhmm(iso_text: str, tz: str) -> str:
    return datetime.fromisoformat(iso_text).astimezone(ZoneInfo(tz)).strftime("%H:%M")


def _card(page: Any, schedule: str) -> Any:
    return page.locator(f'article.card[data-schedule="{schedule}"]')


@pytest.mark.parametrize("transport", ["http", "file"])
@pytest.mark.parametrize(("moment", "tz"), [
    ("built", "UTC"), ("after-dst-ends-in-new-york", "America/New_York"),
    ("london-daytime-gap", "Asia/Kolkata"), ("midweek-override", "Australia/Lord_Howe"),
    ("london-daytime-gap", "Pacific/Chatham"),
])
def test_now_shows_who_whois_says(visit: Visit, plain_site: Path, served: tuple[str, Path], org: Org,
                                  transport: str, moment: str, tz: str) -> None:
    at = MOMENTS[moment]
    expected = oncall_json("whois", datetime.fromtimestamp(at, ZoneInfo("UTC")).isoformat())
    with visit(_url(plain_site, served, transport, "index.html"), tz=tz, at=at) as page:
        zone = page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone")  # ICU's name for tz
        assert ZoneInfo(zone).utcoffset(datetime.fromtimestamp(at)) == ZoneInfo(tz).utcoffset(datetime.fromtimestamp(at))
        assert f"(your time zone: {zone})" in page.locator("#asof").inner_text()
        for answer in expected:
            card = _card(page, answer["schedule"])
            since, until = card.locator('[data-slot="since"] time'), card.locator('[data-slot="until"] time')
            if answer["person"] is None:
                assert card.locator('[data-show="gap"]').is_visible()
                assert not card.locator('[data-show="on"]').is_visible()
                bounds = (answer.get("gap_start"), answer.get("gap_end"))
            else:
                shown = card.locator('[data-slot="person"]').inner_text()
                assert shown == org.people[answer["person"]].display
                assert card.locator('[data-show="on"]').is_visible()
                bounds = (answer["start"], answer["end"])
            # The same instants as whois, written in the reader's time zone, and how far away they are.
            for slot, value in zip((since, until), bounds, strict=True):
                assert instant(slot.get_attribute("datetime")) == instant(value)
                assert _hhmm(value, tz) in slot.inner_text()
            since_text = card.locator('[data-slot="since"]').inner_text()
            until_text = card.locator('[data-slot="until"]').inner_text()
            assert since_text.endswith(f"({length(at - instant(bounds[0]))} ago)")
            assert until_text.endswith(f"(in {length(instant(bounds[1]) - at)})")
            if answer.get("next_person"):
                assert card.locator('[data-slot="next"] a').inner_text() == org.people[answer["next_person"]].display


@pytest.mark.parametrize("transport", ["http", "file"])
def test_now_says_when_the_window_has_run_out(visit: Visit, plain_site: Path, served: tuple[str, Path],
                                              transport: str) -> None:
    late = WINDOW[1] + 3600
    with visit(_url(plain_site, served, transport, "index.html"), tz="Europe/Berlin", at=late) as page:
        horizon = page.locator("#horizon")
        text = horizon.inner_text()
        assert "knows shifts only until" in text and "which has passed: rebuild it" in text
        assert horizon.get_attribute("role") == "alert"
        assert instant(horizon.locator("time").get_attribute("datetime")) == WINDOW[1]
        assert page.locator('[data-show="unknown"]:visible').count() == 3
        assert page.locator('[data-show="on"]:visible, [data-show="gap"]:visible').count() == 0


def test_now_says_until_when_it_knows_shifts(visit: Visit, plain_site: Path, served: tuple[str, Path]) -> None:
    with visit(_url(plain_site, served, "http", "index.html"), tz="Asia/Kolkata", at=BUILT) as page:
        horizon = page.locator("#horizon")
        assert horizon.inner_text().startswith("This page knows shifts until")
        assert "rebuild it" in horizon.inner_text()
        shown = horizon.locator("time")
        assert instant(shown.get_attribute("datetime")) == WINDOW[1]
        assert _hhmm(datetime.fromtimestamp(WINDOW[1], ZoneInfo("UTC")).isoformat(), "Asia/Kolkata") in shown.inner_text()


def test_with_javascript_off_now_is_the_build_time_answer(visit: Visit, plain_site: Path, org: Org) -> None:
    expected = oncall_json("whois", datetime.fromtimestamp(BUILT, ZoneInfo("UTC")).isoformat())
    with visit((plain_site / "index.html").as_uri(), at=BUILT + 5 * 86400, javascript=False) as page:
        assert "JavaScript is off" in page.locator("#asof").inner_text()
        assert instant(page.locator("#asof time").get_attribute("datetime")) == BUILT
        for answer in expected:
            card = _card(page, answer["schedule"])
            if answer["person"] is None:
                assert card.locator('[data-show="gap"]').is_visible()
            else:
                assert card.locator('[data-slot="person"]').inner_text() == org.people[answer["person"]].display


@pytest.mark.parametrize("schedule", ["api", "nights", "sydney"])
def test_timeline_shows_the_shifts_and_gaps_of_schedule_generate(
        visit: Visit, plain_site: Path, served: tuple[str, Path], org: Org, schedule: str) -> None:
    generated = oncall_json("schedule", "generate", "--schedule", schedule,
                            "--from", datetime.fromtimestamp(WINDOW[0], ZoneInfo("UTC")).isoformat(),
                            "--to", datetime.fromtimestamp(WINDOW[1], ZoneInfo("UTC")).isoformat())
    expected = sorted([(instant(s["start"]), instant(s["end"]), s["person"]) for s in generated["shifts"]]
                      + [(instant(g["start"]), instant(g["end"]), "") for g in generated["gaps"]])
    assert expected, "the test organisation should have shifts"
    with visit(_url(plain_site, served, "http", f"schedules/{schedule}.html"), tz="America/New_York", at=BUILT) as page:
        rows = page.locator("table.shifts tbody tr")
        table = []
        for i in range(rows.count()):
            row = rows.nth(i)
            cells = row.locator("td")
            table.append((instant(cells.nth(0).locator("time").first.get_attribute("datetime")),
                          instant(cells.nth(1).locator("time").first.get_attribute("datetime")),
                          row.get_attribute("data-p")))
        assert table == expected
        # Where the window cuts the first shift, the row says when it really began, as whois does.
        began = oncall_json("whois", datetime.fromtimestamp(WINDOW[0], ZoneInfo("UTC")).isoformat(),
                            "--schedule", schedule)[0]
        real = began["start"] if began["person"] else began.get("gap_start")
        note = rows.first.locator("td").first.locator("small.whole time")
        if real and instant(real) < WINDOW[0]:
            assert instant(note.get_attribute("datetime")) == instant(real)
        else:
            assert note.count() == 0
        drawn = page.eval_on_selector_all(
            "section[aria-labelledby=month-h] svg.seg",
            "els => els.map(e => [Number(e.dataset.s), Number(e.dataset.e), e.dataset.p])")
        assert sorted({tuple(d) for d in drawn}) == expected
        # Shifts name their person; gaps are marked as gaps and say "nobody".
        for start, _end, person in expected:
            piece = page.locator(f'section[aria-labelledby=month-h] svg.seg[data-s="{start}"]').first
            if person:
                assert piece.locator("text").text_content() == org.people[person].display
            else:
                assert "gap" in (piece.get_attribute("class") or "").split()
                assert piece.locator("text").text_content() == "nobody"


@pytest.mark.parametrize(("at", "views"), [
    (BUILT + 86400 + 1234, ("week-h", "month-h")),  # in the seven days drawn in detail
    (instant("2026-11-10T12:00:00+00:00"), ("month-h",)),  # after them
])
def test_timeline_now_line_follows_the_readers_clock(visit: Visit, plain_site: Path, at: int,
                                                     views: tuple[str, ...]) -> None:
    with visit((plain_site / "schedules/nights.html").as_uri(), tz="Asia/Kolkata", at=at) as page:
        for view in ("week-h", "month-h"):
            lines = page.locator(f'section[aria-labelledby={view}] line.now[visibility="visible"]')
            assert lines.count() == (1 if view in views else 0)
            if view not in views:
                continue
            line = lines.first
            t0, t1 = int(line.get_attribute("data-t0")), int(line.get_attribute("data-t1"))
            assert t0 <= at < t1
            x = float(line.get_attribute("x1").rstrip("%"))
            assert x == pytest.approx(15 + (at - t0) * 85 / (t1 - t0), abs=0.01)


def test_subscription_links_resolve_to_the_feeds(visit: Visit, based_site: tuple[str, Path], org: Org) -> None:
    from icalendar import Calendar

    url, _folder = based_site
    for person in ("alice", "carol", "erin"):
        generated = oncall_json("schedule", "generate", "--person", person,
                                "--from", datetime.fromtimestamp(WINDOW[0], ZoneInfo("UTC")).isoformat(),
                                "--to", datetime.fromtimestamp(WINDOW[1], ZoneInfo("UTC")).isoformat())
        with visit(f"{url}people/{person}.html", at=BUILT) as page:
            feed = page.locator("a.feed").get_attribute("href")
            webcal = page.locator("a.subscribe").get_attribute("href")
            assert feed == f"{url}feeds/person-{person}.ics"
            assert webcal == "webcal://" + feed.removeprefix("http://")
            response = page.request.get(feed)
            assert response.status == 200
            calendar = Calendar.from_ical(response.body())
            events = [e for e in calendar.walk("VEVENT") if str(e.get("STATUS", "CONFIRMED")) != "CANCELLED"]
            assert len(events) == len(generated["shifts"]) > 0
            assert org.people[person].display in str(calendar.get("X-WR-CALNAME"))


@pytest.mark.parametrize("transport", ["http", "file"])
def test_relative_feed_and_page_links_resolve(visit: Visit, plain_site: Path, served: tuple[str, Path],
                                              transport: str) -> None:
    with visit(_url(plain_site, served, transport, "people/dave.html"), at=BUILT) as page:
        feed = page.locator("a.feed").get_attribute("href")
        assert feed == "../feeds/person-dave.ics"
        assert page.locator("a.subscribe").count() == 0  # webcal:// needs a base URL
        targets = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        for target in targets:
            if transport == "file":
                assert Path(unquote(urlsplit(target).path)).is_file(), target
            else:
                assert page.request.get(target).status == 200, target


def test_readiness_page_without_results(visit: Visit, plain_site: Path) -> None:
    with visit((plain_site / "readiness.html").as_uri(), at=BUILT) as page:
        assert "No shared readiness results" in page.locator("main").inner_text()


def test_names_are_shown_as_written(visit: Visit, plain_site: Path) -> None:
    with visit((plain_site / "people/carol.html").as_uri(), at=BUILT) as page:
        assert page.locator("h1").inner_text() == 'Carol <b>Nguyen</b> & "Co"'
        assert page.locator("h1 b").count() == 0


PAGES = ["index.html", "schedules/index.html", "schedules/api.html", "people/index.html", "people/carol.html",
         "readiness.html"]


@pytest.mark.parametrize("name", PAGES)
def test_screenshots_at_phone_and_desktop_widths(visit: Visit, plain_site: Path, artefacts: Path, name: str) -> None:
    for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
        with visit((plain_site / name).as_uri(), tz="Europe/London", at=BUILT, size=size) as page:
            # Nothing wider than the screen: no sideways scrolling on a phone.
            assert page.evaluate("document.documentElement.scrollWidth") <= size[0]
            shot = artefacts / f"{name.replace('/', '-').removesuffix('.html')}-{label}.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def _luminance(rgb: tuple[float, ...]) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


_COLOURS = """els => els.map(e => {
  const rgb = s => (s.match(/[0-9.]+/g) || []).map(Number);
  const style = getComputedStyle(e);
  if (e instanceof SVGElement) {
    const rect = e.closest('svg.seg, svg.label');
    const fill = rect && rect.querySelector('rect') ? getComputedStyle(rect.querySelector('rect')).fill : 'rgb(255, 255, 255)';
    return [e.textContent, rgb(style.fill), fill.startsWith('rgb') ? rgb(fill) : null];
  }
  let bg = 'rgba(0, 0, 0, 0)', node = e;
  while (node && (bg === 'rgba(0, 0, 0, 0)' || bg === 'transparent')) { bg = getComputedStyle(node).backgroundColor; node = node.parentElement; }
  return [e.textContent, rgb(style.color), rgb(bg === 'rgba(0, 0, 0, 0)' ? 'rgb(255, 255, 255)' : bg)];
})"""


@pytest.mark.parametrize("name", PAGES)
def test_pages_are_accessible(visit: Visit, plain_site: Path, name: str) -> None:
    with visit((plain_site / name).as_uri(), at=BUILT) as page:
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.locator("h1").count() == 1
        assert page.locator("main#main").count() == 1 and page.locator("nav[aria-label]").count() == 1
        assert page.locator('nav a[aria-current="page"]').count() == 1
        for svg in page.locator('svg[role="img"]').all():
            label = page.locator(f'#{svg.get_attribute("aria-labelledby")}')
            assert label.inner_text().strip()
        for table in page.locator("table").all():
            assert table.locator("caption").inner_text().strip()
            assert table.locator("th[scope]").count() > 0
        for link in page.locator("a[href]:visible").all():
            assert (link.inner_text() or link.get_attribute("aria-label") or "").strip()
        texts = page.eval_on_selector_all("main p, main td, main dd, main a, nav a, h1, h2, .seg text, .label text",
                                          _COLOURS)
        checked = 0
        for text, fg, bg in texts:
            if not text.strip() or bg is None:
                continue
            checked += 1
            assert _contrast(tuple(fg), tuple(bg)) >= 4.5, (text, fg, bg)
        assert checked > 0


def test_the_example_organisation_renders(visit: Visit, tmp_path: Path, served: tuple[str, Path]) -> None:
    """The repository's own example organisation, as a new user would first build it."""
    from oncall.config.loader import load_org
    from oncall.site import build_site, default_window

    example = load_org(REPO)
    out = served[1] / "example"
    now = instant("2026-12-24T14:00:00+00:00")
    build_site(example, out, start=default_window(now)[0], end=default_window(now)[1], now=now)
    with visit(f"{served[0]}/example/index.html", tz="America/New_York", at=now, size=PHONE) as page:
        names = page.locator('[data-slot="person"]:visible').all_inner_texts()
        assert names and all(n.strip() for n in names)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE[0]

