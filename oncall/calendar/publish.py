"""A static folder of subscribable calendar feeds: one per schedule, one per person, an index.

The folder is meant to be served as it is by any web server. Each run compares every feed with
the one already in the folder: unchanged events keep their bytes, changed ones get a higher
SEQUENCE, and events that disappeared inside the window come back once as ``STATUS:CANCELLED``
so that calendars subscribed to the feed drop them. A run that changes nothing rewrites nothing:
each feed's header records a fingerprint of what it was written from (``ics.Draft``), and a feed
whose fingerprint is the same is neither read nor written.

``publish_recorded`` skips even that: each run records (in the cache, ``oncall.config.cache``)
the state of everything its feeds' bytes follow from — the config files, the code, the timezone
data and holiday dates read, the window and the options — and of every feed it left in the
folder. A run that finds the same state again does nothing at all: it neither loads the org nor
generates a shift (docs/guides/calendars.md).
"""

from __future__ import annotations

import html
import json
import os
import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import oncall
from oncall import collector
from oncall.calendar.ics import Draft, EventWriter, ExportStats, fingerprint_in
from oncall.config import inputs
from oncall.config.cache import cache_file, read_keyed, write_keyed
from oncall.config.cache import enabled as cache_enabled
from oncall.fsutil import write_atomic
from oncall.model import Org, Shift
from oncall.times import DAY

DEFAULT_BACK = 14 * DAY  # two weeks back ...
DEFAULT_AHEAD = 183 * DAY  # ... to six months ahead
INDEX = "index.html"
HEAD_BYTES = 1024  # enough for a feed's header lines up to its fingerprint
_FEED_NAME = re.compile(r"^(schedule|person)-([a-z0-9._-]+)\.ics$")


@dataclass
class FeedResult:
    """One feed file and what this run changed in it."""

    file: str  # the name inside the folder
    kind: str  # "schedule" or "person"
    id: str
    name: str  # the calendar's display name
    stats: ExportStats
    written: bool  # False when the bytes were already there


@dataclass
class PublishReport:
    out_dir: Path
    start: int
    end: int
    feeds: list[FeedResult] = field(default_factory=list)
    index_written: bool = False

    @property
    def written(self) -> list[FeedResult]:
        return [f for f in self.feeds if f.written]


def default_window(now: int) -> tuple[int, int]:
    """Two weeks back to six months ahead, from the start of today (UTC).

    Aligned to the day so that runs on the same day cover the same window and give the same bytes.
    """
    today = now - now % DAY
    return today - DEFAULT_BACK, today + DEFAULT_AHEAD


def feed_file(kind: str, ident: str) -> str:
    return f"{kind}-{ident}.ics"


def publish(
    org: Org,
    out_dir: Path,
    *,
    start: int,
    end: int,
    now: int,
    base_url: str | None,
    schedules: Sequence[str] | None = None,
    recheck: Collection[str] = (),
) -> PublishReport:
    """Write (or bring up to date) the feeds and ``index.html`` of ``org`` in ``out_dir``.

    Feeds cover the shifts that overlap ``[start, end)``, each whole. With ``schedules``, only
    those schedules are published and person feeds hold only their shifts; without it, feeds in
    the folder for schedules or people that no longer exist have their remaining events cancelled.
    The feeds named in ``recheck`` are read and compared event by event whatever their
    fingerprint says (someone else changed them since they were written).
    """
    # The window's shifts and their fingerprint rows stay alive until the last feed is written: a
    # million objects at 3,000 schedules, none in a reference cycle. The cyclic collector's passes
    # over them found nothing and took a third of the CPU time of a publish with nothing to change.
    with collector.paused():
        return _publish(org, out_dir, start, end, now, base_url, schedules, frozenset(recheck))


def _publish(org: Org, out_dir: Path, start: int, end: int, now: int, base_url: str | None,
             schedules: Sequence[str] | None, recheck: frozenset[str]) -> PublishReport:
    from oncall.engine import generate, select_schedules

    selected = [s.id for s in select_schedules(org, schedules)]
    shifts = generate(org, start, end, selected).shifts
    window = (start, end)
    writer = EventWriter(org)  # each shift is in two feeds, its schedule's and its person's
    report = PublishReport(out_dir, start, end)
    out_dir.mkdir(parents=True, exist_ok=True)

    by_schedule: defaultdict[str, _Feed] = defaultdict(_Feed)
    by_person: defaultdict[str, _Feed] = defaultdict(_Feed)
    for shift in shifts:  # one pass: a large org has millions of shifts and thousands of feeds
        row = writer.row(shift)  # what the fingerprints of both its feeds record of it, made once
        for feed in (by_schedule[shift.schedule], by_person[shift.person]):
            feed.shifts.append(shift)
            feed.rows.append(row)
    people = set(by_person) | _people_in(org, selected)
    if not schedules:
        people |= set(org.people)

    for schedule_id in selected:
        schedule = org.schedules[schedule_id]
        report.feeds.append(_write_feed(org, out_dir, "schedule", schedule_id, f"On call: {schedule.display}",
                                        by_schedule.get(schedule_id, _Feed()), now, window, writer, recheck))
    for person_id in sorted(people):
        name = org.people[person_id].display if person_id in org.people else person_id
        report.feeds.append(_write_feed(org, out_dir, "person", person_id, f"On call: {name}",
                                        by_person.get(person_id, _Feed()), now, window, writer, recheck))
    if not schedules:
        produced = {f.file for f in report.feeds}
        for path in sorted(out_dir.glob("*.ics")):
            m = _FEED_NAME.match(path.name)
            if m and path.name not in produced:  # a schedule or person that is gone
                report.feeds.append(_write_feed(org, out_dir, m.group(1), m.group(2),
                                                f"On call: {m.group(2)} (removed)", _Feed(), now, window, writer,
                                                recheck))
    index = render_index(org, report.feeds, base_url).encode("utf-8")
    report.index_written = _write_if_changed(out_dir / INDEX, index)
    return report


def _people_in(org: Org, schedule_ids: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for schedule_id in schedule_ids:
        schedule = org.schedules[schedule_id]
        for layer in schedule.layers:
            found.update(layer.people)
        found.update(o.person for o in schedule.overrides)
    return found & set(org.people)


@dataclass
class _Feed:
    """The shifts of one feed, and what its fingerprint records of each (``EventWriter.row``)."""

    shifts: list[Shift] = field(default_factory=list)
    rows: list[str] = field(default_factory=list)


def _write_feed(org: Org, out_dir: Path, kind: str, ident: str, name: str,
                feed: _Feed, now: int, window: tuple[int, int], writer: EventWriter,
                recheck: frozenset[str]) -> FeedResult:
    file = feed_file(kind, ident)
    path = out_dir / file
    draft = Draft(org, feed.shifts, name=name, window=window, writer=writer, rows=feed.rows)
    fingerprint = draft.fingerprint
    recorded = None if file in recheck else fingerprint_in(_head(path))
    if recorded is not None and recorded[0] == fingerprint:
        # Written from the same events, window and names: it would come out the same bytes.
        return FeedResult(file, kind, ident, name, ExportStats(unchanged=recorded[1], events=recorded[1]), False)
    previous = path.read_bytes() if path.exists() else None
    data, stats = draft.render(now, previous, fingerprint=fingerprint)
    written = _write_if_changed(path, data, previous)
    return FeedResult(file, kind, ident, name, stats, written)


def _head(path: Path) -> bytes:
    """The first bytes of ``path`` (its calendar header); empty when it cannot be read."""
    try:
        with path.open("rb") as handle:
            return handle.read(HEAD_BYTES)
    except OSError:
        return b""


def _write_if_changed(path: Path, data: bytes, previous: bytes | None = None) -> bool:
    if previous is None and path.exists():
        previous = path.read_bytes()
    if previous == data:
        return False  # leave the file alone: same bytes, same mtime
    write_atomic(path, data)
    return True


# -- the record of the last publish --------------------------------------------------------------

_RECORD_FORMAT = 1  # raise it when what a record holds, or what its state covers, changes


def publish_recorded(root: Path, out_dir: Path, *, load: Callable[[], Org], start: int, end: int, now: int,
                     base_url: str | None, schedules: Sequence[str] | None = None) -> PublishReport:
    """``publish`` the org under ``root`` (``load`` loads it) into ``out_dir``, or nothing at all
    when the last publish into ``out_dir`` had the same inputs and every file it left there is
    still as it left it: then the report is that run's, with nothing written.

    A feed someone else changed since the last publish (another size, modification time or inode)
    is read and compared event by event, whatever its fingerprint says, so that it is written
    again as a publish makes it. ``now`` is also the clock the config's age is read against: a
    config changed less than ``inputs.SETTLED_NS`` before is not recorded. ``ONCALL_NO_CACHE=1``
    turns the record off (neither read nor written).
    """
    if not cache_enabled():
        return publish(load(), out_dir, start=start, end=end, now=now, base_url=base_url, schedules=schedules)
    # The state of the inputs is taken before they are read: a file changed during the run is then
    # a change the next run sees.
    folder = out_dir.resolve()
    asked, newest = _asked(root.resolve(), folder, start, end, base_url, schedules)
    path = cache_file("publish", folder)
    key = repr((_RECORD_FORMAT, str(folder))).encode("utf-8", "backslashreplace")
    last = _Record.read(read_keyed(path, key))
    files = _files(out_dir)
    if last is not None and last.asked == asked and last.files == files and last.unchanged():
        return PublishReport(out_dir, start, end, [
            FeedResult(file, kind, ident, name, ExportStats(unchanged=events, events=events), False)
            for file, kind, ident, name, events in last.feeds])
    org = load()
    zones = sorted(inputs.org_zones(org))
    zone_text = inputs.zone_state(zones)
    report = publish(org, out_dir, start=start, end=end, now=now, base_url=base_url, schedules=schedules,
                     recheck=last.changed(files) if last is not None else ())
    if now * 1_000_000_000 - newest >= inputs.SETTLED_NS:
        # The holiday dates are taken after the run, which may have cached a year's dates.
        record = _Record(asked, zones, zone_text, inputs.holidays_state(), _files(out_dir),
                         [(f.file, f.kind, f.id, f.name, f.stats.events) for f in report.feeds])
        write_keyed(path, key, record.dump())
    return report


def _asked(root: Path, folder: Path, start: int, end: int, base_url: str | None,
           schedules: Sequence[str] | None) -> tuple[str, int]:
    """What a publish's bytes follow from besides the org's zones, the holiday dates and the
    folder's files (``folder``, resolved), as text; and when the newest config file changed (ns)."""
    config, newest = inputs.config_state(root)
    text = repr((oncall.__version__, config, inputs.package_state(), str(folder), start, end,
                 base_url, list(schedules or ())))
    return text, newest


def _files(out_dir: Path) -> dict[str, list[int]]:
    """Size, modification time (ns) and inode of each file in ``out_dir`` a publish reads."""
    found: dict[str, list[int]] = {}
    try:
        with os.scandir(out_dir) as listing:
            for entry in listing:
                if entry.name == INDEX or _FEED_NAME.match(entry.name):
                    st = entry.stat()
                    found[entry.name] = [st.st_size, st.st_mtime_ns, st.st_ino]
    except OSError:
        pass
    return found


@dataclass
class _Record:
    """What the last publish into a folder was asked, and what it left there."""

    asked: str  # ``_asked``
    zones: list[str]
    zone_state: str  # ``inputs.zone_state(zones)`` when the org was read
    holidays: str  # ``inputs.holidays_state()`` after it
    files: dict[str, list[int]]  # ``_files`` after it
    feeds: list[tuple[str, str, str, str, int]]  # file, kind, id, name and events of each feed it reported

    @classmethod
    def read(cls, body: bytes | None) -> _Record | None:
        """The record in a cache file's ``body``; None for none, or for anything else."""
        if body is None:
            return None
        try:
            data = json.loads(body)
            return cls(str(data["asked"]), [str(z) for z in data["zones"]], str(data["zone_state"]),
                       str(data["holidays"]),
                       {str(name): [int(n) for n in state] for name, state in data["files"].items()},
                       [(str(f), str(k), str(i), str(n), int(e)) for f, k, i, n, e in data["feeds"]])
        except (ValueError, TypeError, KeyError, AttributeError):
            return None  # not a record this code wrote: a miss

    def dump(self) -> bytes:
        return json.dumps(vars(self), ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")

    def unchanged(self) -> bool:
        """Whether the zones' rules and the holiday dates are still those the record was made from."""
        return inputs.zone_state(self.zones) == self.zone_state and inputs.holidays_state() == self.holidays

    def changed(self, files: dict[str, list[int]]) -> set[str]:
        """The files in ``files`` this record does not know as they are now."""
        return {name for name, state in files.items() if self.files.get(name) != state}


def subscribe_urls(base_url: str | None, file: str) -> tuple[str, str | None]:
    """The ``https://`` (or relative) link of a feed and its ``webcal://`` twin (None without a base URL)."""
    if not base_url:
        return file, None
    url = f"{base_url.rstrip('/')}/{file}"
    webcal = re.sub(r"^https?://", "webcal://", url) if re.match(r"^https?://", url) else None
    return url, webcal


def render_index(org: Org, feeds: Sequence[FeedResult], base_url: str | None) -> str:
    """A plain HTML page listing every feed with its subscribe links (no scripts, no clock)."""
    def rows(kind: str) -> str:
        items = []
        for feed in sorted((f for f in feeds if f.kind == kind), key=lambda f: f.id):
            url, webcal = subscribe_urls(base_url, feed.file)
            links = [f'<a href="{html.escape(url)}">{html.escape(feed.file)}</a>']
            if webcal:
                links.insert(0, f'<a href="{html.escape(webcal)}">Subscribe</a>')
            items.append(
                f"<li><strong>{html.escape(feed.name.removeprefix('On call: '))}</strong> "
                f"<code>{html.escape(feed.id)}</code> — {' · '.join(links)}</li>"
            )
        return "\n".join(items) or "<li>none</li>"

    if base_url:
        how = ("Click <em>Subscribe</em> to add a feed to your calendar app, or copy the "
               "<code>https://</code> link into its &ldquo;subscribe from URL&rdquo; dialog.")
    else:
        how = ("These links are relative to this page. Copy a link's address (it is absolute once "
               "the folder is served) into your calendar app's &ldquo;subscribe from URL&rdquo; dialog; "
               "publish with <code>--base-url</code> to get one-click <code>webcal://</code> links.")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>On-call calendars</title>
<style>body{{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;line-height:1.5}}
li{{margin:.3rem 0}}code{{color:#555}}</style>
</head>
<body>
<h1>On-call calendars</h1>
<p>{how} Feeds refresh hourly; an event's description says who hands over to whom and which
checklist to run before the shift.</p>
<h2>Schedules</h2>
<ul>
{rows("schedule")}
</ul>
<h2>People</h2>
<ul>
{rows("person")}
</ul>
</body>
</html>
"""
