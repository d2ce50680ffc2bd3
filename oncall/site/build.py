"""Writing the site into a folder: the pages, their assets and the calendar feeds they link to.

The folder is served as it is by any static host, or opened from disk (``file://``); every link
is relative. Files whose bytes would not change are left alone, and pages this build no longer
makes (a person or schedule that is gone) are removed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from oncall.fsutil import write_atomic
from oncall.model import Org
from oncall.site.readiness import Board
from oncall.times import DAY

DEFAULT_BACK = DAY  # from yesterday (so that "today" is whole in every time zone) ...
DEFAULT_AHEAD = 28 * DAY  # ... to four weeks ahead
ASSETS = ("site.css", "site.js")
FEEDS = "feeds"


@dataclass
class SiteReport:
    """What one build wrote."""

    out_dir: Path
    start: int
    end: int
    pages: int = 0  # HTML pages of the site (the feeds' own index not counted)
    feeds: int = 0
    written: list[str] = field(default_factory=list)  # paths relative to out_dir, site files only
    removed: list[str] = field(default_factory=list)


def default_window(now: int) -> tuple[int, int]:
    """From the start of yesterday to four weeks after the start of today (UTC), so that builds on
    the same day cover the same shifts."""
    today = now - now % DAY
    return today - DEFAULT_BACK, today + DEFAULT_AHEAD


def build_site(
    org: Org,
    out_dir: Path,
    *,
    start: int,
    end: int,
    now: int,
    base_url: str | None = None,
    readiness: Board | None = None,
) -> SiteReport:
    """Write the site of ``org`` for the shifts in ``[start, end)`` into ``out_dir``.

    ``now`` is the build time: the pages' answer when JavaScript is off, and the week drawn in
    detail. With ``base_url`` (where the folder is served), calendar links are absolute and come
    with ``webcal://`` twins. ``readiness`` is the Readiness page's board (see ``oncall.site.readiness``);
    without it the page says that no shared results are available.
    """
    from oncall.calendar.publish import feed_file, publish, subscribe_urls
    from oncall.engine import whois
    from oncall.site import pages, svg
    from oncall.site.views import add_lanes, person_shifts, schedule_views

    views = schedule_views(org, start, end)
    names = {pid: p.display for pid, p in org.people.items()}
    zones = {pid: p.timezone for pid, p in org.people.items()}
    weeks = {}
    for view in views:
        # The seven days from today, kept inside the window when the build time is not.
        week = svg.week_from(view.timezone, min(max(now, start), max(start, end - 7 * DAY)))
        add_lanes(org, view, *week)
        weeks[view.id] = week

    feed_base = f"{base_url.rstrip('/')}/{FEEDS}" if base_url else None
    report = SiteReport(out_dir, start, end)
    feeds = publish(org, out_dir / FEEDS, start=start, end=end, now=now, base_url=feed_base)
    report.feeds = len(feeds.feeds)
    links: dict[str, tuple[str, str | None]] = {}
    for feed in feeds.feeds:
        url, webcal = subscribe_urls(feed_base, feed.file)
        links[f"{feed.kind}-{feed.id}"] = (url if feed_base else f"{FEEDS}/{url}", webcal)
    for view in views:  # a schedule or person with no shifts still has a (valid, empty) feed
        links.setdefault(f"schedule-{view.id}", (f"{FEEDS}/{feed_file('schedule', view.id)}", None))
    for person in names:
        links.setdefault(f"person-{person}", (f"{FEEDS}/{feed_file('person', person)}", None))

    site = pages.Site(views, names, zones, now, (start, end), links)
    answers = {a.schedule: a for a in whois(org, now)}
    shifts = person_shifts(views)
    files: dict[str, str | bytes] = {
        "index.html": pages.now_page(site, answers),
        "assets/data.js": pages.now_data(site),
        "schedules/index.html": pages.schedules_page(site, answers),
        "people/index.html": pages.people_page(site, shifts),
        "readiness.html": pages.readiness_page(site, readiness, org.checklists),
    }
    for view in views:
        files[f"schedules/{view.id}.html"] = pages.timeline_page(site, view, weeks[view.id])
    for person in sorted(names):
        files[f"people/{person}.html"] = pages.person_page(site, person, shifts.get(person, []))
    static = resources.files("oncall.site") / "static"
    for name in ASSETS:
        files[f"assets/{name}"] = (static / name).read_bytes()

    report.pages = sum(1 for path in files if path.endswith(".html"))
    for path, content in sorted(files.items()):
        if _write_if_changed(out_dir / path, content.encode("utf-8") if isinstance(content, str) else content):
            report.written.append(path)
    for folder in ("schedules", "people"):
        for stale in sorted((out_dir / folder).glob("*.html")):
            rel = f"{folder}/{stale.name}"
            if rel not in files:
                stale.unlink()
                report.removed.append(rel)
    return report


def _write_if_changed(path: Path, data: bytes) -> bool:
    if path.exists() and path.read_bytes() == data:
        return False
    write_atomic(path, data, durable=False)  # the site is rebuilt anyway; fsyncs cost seconds per thousand
    return True
