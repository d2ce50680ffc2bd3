"""A publish that finds everything as the last one left it does nothing (``publish_recorded``).

Each test publishes into a folder (which records the run), changes one thing, and publishes again
twice in real processes at the same pinned clock: into that folder with the record, and into a
copy of it with ``ONCALL_NO_CACHE=1``. Both folders must come out byte for byte the same.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from ics_helpers import compile_zone

from oncall.calendar.ics import FINGERPRINT, read_events
from oncall.config import inputs

# Runs oncall with the clock pinned (so two runs stamp new events alike) and, when given, another
# version of oncall; says on stderr whether the run imported the engine.
PINNED = """\
import atexit, sys, time
at, version = float(sys.argv[1]), sys.argv[2]
del sys.argv[1:3]
time.time = lambda: at
import oncall
if version:
    oncall.__version__ = version
atexit.register(lambda: sys.stderr.write(f"engine imported: {'oncall.engine' in sys.modules}\\n"))
from oncall.cli.app import main
main()
"""

PEOPLE = """\
timezone: Europe/London
people:
  ana: {name: Ana}
  ben: {name: Ben}
  cy: {name: Cy, timezone: America/New_York}
"""
OPS = """\
name: Ops
timezone: Europe/London
layers:
  - name: weekly
    people: [ana, ben, cy]
    start: 2026-03-02T09:00
    every: 1w
overrides:
  - {person: cy, from: 2026-03-10T09:00, to: 2026-03-11T09:00}
"""
DESK = """\
name: Desk
timezone: America/New_York
layers:
  - name: daily
    people: [ben, cy]
    start: 2026-03-02T08:00
    every: 1d
"""
WINDOW = ["--from", "2026-03-01", "--to", "2026-04-15"]
SCENARIOS = ("unchanged", "schedule", "person", "zone", "deleted", "edited", "window", "version", "base-url",
             "record", "unsettled", "holidays")


@dataclass
class Case:
    root: Path
    site: Path  # published with the record
    reference: Path  # a copy, published with ONCALL_NO_CACHE=1
    cache: Path
    zones: Path
    env: dict[str, str]

    def run(self, site: Path, *args: str, at: float | None = None, version: str = "", cached: bool = True,
            ) -> subprocess.CompletedProcess[str]:
        env = dict(self.env) if cached else {**self.env, "ONCALL_NO_CACHE": "1"}
        argv = [sys.executable, "-c", PINNED, str(int(time.time()) if at is None else at), version,
                "calendar", "publish", str(site), *([] if "--from" in args else WINDOW), *args]
        result = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=120)
        assert result.returncode == 0, result.stderr
        return result

    def records(self) -> list[Path]:
        return sorted((self.cache / "oncall").glob("publish-*.json"))


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Case]:
    """A config root per test, all written first and then left to settle once (a publish records
    only a config whose newest file is ``inputs.SETTLED_NS`` old)."""
    made = {}
    zic = shutil.which("zic") is not None
    for name in SCENARIOS:
        base = tmp_path_factory.mktemp(name)
        root, zones = base / "root", base / "zones"
        (root / "schedules").mkdir(parents=True)
        zones.mkdir()
        (root / "schedules" / "people.yaml").write_text(PEOPLE)
        (root / "schedules" / "ops.yaml").write_text(OPS)
        (root / "schedules" / "desk.yaml").write_text(
            DESK.replace("every: 1d", "every: 1d\n    skip_holidays: US") if name == "holidays" else DESK)
        if zic:  # a zone of our own, found through PYTHONTZPATH ahead of the system's
            compile_zone(zones, "1:00")
            (root / "schedules" / "ops.yaml").write_text(OPS.replace("Europe/London", "Oncall/Test"))
        env = {**os.environ, "ONCALL_ROOT": str(root), "TZ": "UTC", "NO_COLOR": "1",
               "XDG_CACHE_HOME": str(base / "cache"), "PYTHONTZPATH": os.pathsep.join([str(zones),
                                                                                      "/usr/share/zoneinfo"])}
        env.pop("ONCALL_NO_CACHE", None)
        made[name] = Case(root, base / "site", base / "reference", base / "cache", zones, env)
    time.sleep(inputs.SETTLED_NS / 1e9 + 1.1)  # + 1 s: the clock a command reads is in whole seconds
    return made


def contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def stats(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.iterdir()}


def first_publish(case: Case) -> None:
    """Publish into the case's folder (which records the run), and copy it for the reference."""
    case.run(case.site)
    assert len(case.records()) == 1  # the next run can take the shortcut
    shutil.copytree(case.site, case.reference)


def publish_both(case: Case, *args: str, version: str = "") -> tuple[str, str]:
    """Publish into the folder with its record and into the reference without: the same bytes."""
    at = time.time()
    cached = case.run(case.site, *args, at=at, version=version)
    plain = case.run(case.reference, *args, at=at, version=version, cached=False)
    assert contents(case.site) == contents(case.reference)
    return cached.stderr, plain.stderr


def test_unchanged_writes_nothing_and_generates_nothing(cases: dict[str, Case]) -> None:
    case = cases["unchanged"]
    first_publish(case)
    before, record = stats(case.site), case.records()[0].read_bytes()
    at = time.time()
    shortcut = case.run(case.site, "--format", "json", at=at)
    plain = case.run(case.reference, "--format", "json", at=at, cached=False)
    assert stats(case.site) == before  # no file written, not even the same bytes again
    assert "engine imported: False" in shortcut.stderr
    assert "engine imported: True" in plain.stderr
    assert json.loads(shortcut.stdout) == {**json.loads(plain.stdout), "dir": str(case.site)}
    assert not any(f["written"] for f in json.loads(shortcut.stdout)["feeds"])
    table = case.run(case.site, at=at)
    assert "nothing changed, no file rewritten" in table.stderr
    assert table.stdout == case.run(case.reference, at=at, cached=False).stdout
    assert case.records()[0].read_bytes() == record


def test_a_schedule_edited(cases: dict[str, Case]) -> None:
    case = cases["schedule"]
    first_publish(case)
    ops = case.root / "schedules" / "ops.yaml"
    ops.write_text(ops.read_text().replace("2026-03-11T09:00", "2026-03-12T09:00"))
    cached, _ = publish_both(case)
    assert "engine imported: True" in cached and "file(s) written" in cached


def test_a_person_renamed(cases: dict[str, Case]) -> None:
    case = cases["person"]
    first_publish(case)
    people = case.root / "schedules" / "people.yaml"
    people.write_text(people.read_text().replace("{name: Ben}", "{name: Benjamin}"))
    publish_both(case)
    assert b"Benjamin" in (case.site / "person-ben.ics").read_bytes()
    assert b"Benjamin" in (case.site / "index.html").read_bytes()


@pytest.mark.skipif(shutil.which("zic") is None, reason="zic (the time zone compiler) is not installed")
def test_new_zone_data(cases: dict[str, Case]) -> None:
    # The same config and code, but the rules of the zone Ops is kept in changed (a tz release).
    case = cases["zone"]
    first_publish(case)
    assert b"DTSTART:20260302T080000Z" in (case.site / "schedule-ops.ics").read_bytes()  # 09:00 at UTC+1
    compile_zone(case.zones, "2:00")
    publish_both(case)
    assert b"DTSTART:20260302T070000Z" in (case.site / "schedule-ops.ics").read_bytes()  # 09:00 at UTC+2


def test_holiday_dates_changed(cases: dict[str, Case]) -> None:
    # Desk skips US holidays, whose dates are kept in the cache folder: a day added there (as a
    # new release of the holidays package would, once the folder is cleared) is a change.
    case = cases["holidays"]
    first_publish(case)
    dates = case.cache / "oncall" / "holidays" / "US-2026.json"
    day = int(datetime(2026, 3, 17, 12, tzinfo=UTC).timestamp())  # 08:00 in New York

    def on_the_day() -> list[bool]:  # whether each event starting then is cancelled
        events = read_events((case.site / "schedule-desk.ics").read_bytes()).values()
        return [e.cancelled for e in events if e.start == day]

    assert on_the_day() == [False]
    dates.write_text(json.dumps([*json.loads(dates.read_text()), "2026-03-17"]))
    publish_both(case)
    assert on_the_day() == [True]  # kept once, cancelled, so that subscribed calendars drop it


def test_a_feed_deleted(cases: dict[str, Case]) -> None:
    case = cases["deleted"]
    first_publish(case)
    for folder in (case.site, case.reference):
        (folder / "person-ana.ics").unlink()
    publish_both(case)
    assert (case.site / "person-ana.ics").exists()


def test_a_feed_edited(cases: dict[str, Case]) -> None:
    # Someone changed an event in a feed and left its header alone. The record knows the file is
    # not as the last publish left it: the feed is read and compared event by event whatever its
    # fingerprint says, and written again. (A reference folder has no record: there the feed's
    # fingerprint line is removed, which makes a publish read it the same way.)
    case = cases["edited"]
    first_publish(case)
    feed = "schedule-desk.ics"
    for folder in (case.site, case.reference):
        data = (folder / feed).read_bytes()
        assert data.count(b"SUMMARY:On call: Desk") > 1
        (folder / feed).write_bytes(data.replace(b"SUMMARY:On call: Desk", b"SUMMARY:On call: Dusk", 1))
    (case.reference / feed).write_bytes(b"".join(
        line for line in (case.reference / feed).read_bytes().splitlines(keepends=True)
        if not line.startswith(FINGERPRINT.encode())))
    cached, _ = publish_both(case)
    assert b"Dusk" not in (case.site / feed).read_bytes()
    assert "1 file(s) written" in cached


def test_another_window(cases: dict[str, Case]) -> None:
    case = cases["window"]
    first_publish(case)
    publish_both(case, "--from", "2026-03-08", "--to", "2026-04-15")


def test_a_new_version_of_oncall(cases: dict[str, Case]) -> None:
    case = cases["version"]
    first_publish(case)
    cached, _ = publish_both(case, version="99.0.post1")
    assert "engine imported: True" in cached


def test_another_base_url(cases: dict[str, Case]) -> None:
    case = cases["base-url"]
    first_publish(case)
    cached, _ = publish_both(case, "--base-url", "https://cal.example.com/oncall")
    assert "1 file(s) written" in cached  # index.html
    assert b"webcal://cal.example.com/oncall/person-ana.ics" in (case.site / "index.html").read_bytes()


def test_a_record_that_cannot_be_read_is_a_miss(cases: dict[str, Case]) -> None:
    case = cases["record"]
    first_publish(case)
    record = case.records()[0]
    key, _, _ = record.read_bytes().partition(b"\n")
    record.write_bytes(key + b"\n{not a record")
    cached, _ = publish_both(case)
    assert "engine imported: True" in cached and "nothing changed" in cached


def test_a_config_just_changed_is_not_recorded(cases: dict[str, Case]) -> None:
    # A file rewritten within the same tick of a coarse filesystem clock could keep its size and
    # times: a record is written only once the newest config file has settled.
    case = cases["unsettled"]
    first_publish(case)
    record: Callable[[], bytes] = case.records()[0].read_bytes
    before = record()
    (case.root / "schedules" / "desk.yaml").write_text(DESK.replace("[ben, cy]", "[cy, ben]"))
    assert "file(s) written" in case.run(case.site).stderr
    assert record() == before
    again = case.run(case.site)  # not from a record: it generates again, and changes nothing
    assert "engine imported: True" in again.stderr and "nothing changed" in again.stderr
