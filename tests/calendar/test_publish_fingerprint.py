"""``publish`` leaves a feed unread and unwritten while its fingerprint stays the same, so every
input of a feed's bytes must change it: each test here changes one input and checks that the
feeds whose bytes it changes, and only those, are written again."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from ics_helpers import NOW, WINDOW, compile_zone, epoch

import oncall
from oncall.calendar.ics import FINGERPRINT, read_events, uid_for
from oncall.calendar.publish import publish
from oncall.engine import generate
from oncall.model import Interval, Org, Override, Person, Schedule


def contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.ics"))}


def without_fingerprint(data: bytes) -> bytes:
    return b"".join(line for line in data.splitlines(keepends=True) if not line.startswith(FINGERPRINT.encode()))


def republish(org: Org, changed: Org, folder: Path, *, window: tuple[int, int] = WINDOW) -> set[str]:
    """Publish ``org``, then ``changed`` over it: the feeds the second run wrote. Checks on the
    way that the second run wrote exactly what a run reading every feed would have written."""
    publish(org, folder, start=WINDOW[0], end=WINDOW[1], now=NOW, base_url=None)
    report = publish(changed, folder, start=window[0], end=window[1], now=NOW + 3600, base_url=None)
    # The same run into a copy of the first run's folder whose feeds carry no fingerprint: every
    # feed is read and compared event by event, whatever the fingerprints say.
    reference = folder.parent / f"{folder.name}-reference"
    publish(org, reference, start=WINDOW[0], end=WINDOW[1], now=NOW, base_url=None)
    for path in reference.glob("*.ics"):
        path.write_bytes(without_fingerprint(path.read_bytes()))
    publish(changed, reference, start=window[0], end=window[1], now=NOW + 3600, base_url=None)
    assert {k: without_fingerprint(v) for k, v in contents(folder).items()} == {
        k: without_fingerprint(v) for k, v in contents(reference).items()}
    return {f.file for f in report.written}


def mentioning(folder: Path, text: str) -> set[str]:
    """The feeds whose bytes (unfolded) contain ``text`` (escaped as TEXT is: ``\\,`` for a comma)."""
    return {name for name, data in contents(folder).items()
            if text in data.decode("utf-8").replace("\r\n ", "")}


def with_person(org: Org, person: Person) -> Org:
    return Org(org.root, {**org.people, person.id: person}, org.schedules, org.settings)


def with_schedule(org: Org, schedule: Schedule) -> Org:
    return Org(org.root, org.people, {**org.schedules, schedule.id: schedule}, org.settings)


def test_nothing_changed_writes_nothing(org: Org, tmp_path: Path) -> None:
    assert republish(org, org, tmp_path / "site") == set()


def test_a_schedule_title(org: Org, tmp_path: Path) -> None:
    site = tmp_path / "site"
    written = republish(org, with_schedule(org, replace(org.schedules["london"], name="Primary, UK")), site)
    # Its own feed's name, and the summaries of its events in the feeds of everyone on call in it.
    assert written == mentioning(site, "Primary\\, UK") == {
        "schedule-london.ics", "person-alice.ics", "person-bob.ics", "person-carol.ics", "person-dave.ics"}
    assert "schedule-london.ics" in mentioning(site, "X-WR-CALNAME:On call: Primary\\, UK")


def test_a_name(org: Org, tmp_path: Path) -> None:
    site = tmp_path / "site"
    before = tmp_path / "before"
    publish(org, before, start=WINDOW[0], end=WINDOW[1], now=NOW, base_url=None)
    had_alice = mentioning(before, "Alice Park\\, SRE")
    written = republish(org, with_person(org, replace(org.people["alice"], name="Alicia Park")), site)
    # Her own feed and the schedules', but also the feeds of those she takes over from or hands
    # over to, which name her only there.
    assert written == had_alice == mentioning(site, "Alicia Park")
    assert {"person-alice.ics", "person-bob.ics", "person-carol.ics", "person-dave.ics"} <= written


def test_a_name_only_a_reason_says(org: Org, tmp_path: Path) -> None:
    # Bob takes two days off in his weekly turn: someone covers, and their event says whose time
    # off they cover.
    away = Interval(epoch("2026-03-17T00:00", "Europe/London"), epoch("2026-03-19T00:00", "Europe/London"))
    bob = replace(org.people["bob"], time_off=(away,))
    site = tmp_path / "site"
    written = republish(with_person(org, bob), with_person(org, replace(bob, name="Robert")), site)
    covered = mentioning(site, "covering Robert's time off")
    assert {"schedule-london.ics", "schedule-new-york.ics", "schedule-sydney.ics"} <= covered
    assert covered <= written == mentioning(site, "Robert")


def test_a_neighbour(org: Org, tmp_path: Path) -> None:
    # Someone else takes the first hour after one of bob's weekly shifts: his shift keeps its
    # times and its UID, but now hands over to dave, so his feed is written again.
    london = org.schedules["london"]
    shifts = generate(org, *WINDOW, ["london"]).shifts
    shift = next(s for s in shifts if s.person == "bob" and s.after == "carol" and s.whole_end is not None
                 and s.end < WINDOW[1] - 86400)
    assert shift.whole_end is not None
    taken = replace(london, overrides=(*london.overrides, Override("dave", shift.whole_end, shift.whole_end + 3600)))
    site = tmp_path / "site"
    written = republish(org, with_schedule(org, taken), site)
    assert {"schedule-london.ics", "person-bob.ics", "person-dave.ics", "person-carol.ics"} <= written
    assert "schedule-sydney.ics" not in written and "person-alice.ics" not in written
    event = read_events((site / "person-bob.ics").read_bytes())[uid_for("london", shift.start, "bob")]
    assert (event.start, event.end) == (shift.start, shift.end)
    assert any("Hands over to Dave" in line for line in event.lines)


def test_a_reason(org: Org, tmp_path: Path) -> None:
    london = org.schedules["london"]
    noted = replace(london, overrides=tuple(replace(o, reason="swapped with Bob") for o in london.overrides))
    site = tmp_path / "site"
    written = republish(org, with_schedule(org, noted), site)
    assert written == mentioning(site, "override: swapped with Bob") == {"schedule-london.ics", "person-dave.ics"}


def test_a_checklist(org: Org, tmp_path: Path) -> None:
    site = tmp_path / "site"
    written = republish(org, with_schedule(org, replace(org.schedules["sydney"], checklist="sydney-nights")), site)
    assert written == mentioning(site, "--checklist sydney-nights")
    assert "schedule-sydney.ics" in written and "schedule-london.ics" not in written


def test_the_window(org: Org, tmp_path: Path) -> None:
    # Another window: events leave or join it, and the cancelled ones it keeps are others.
    written = republish(org, org, tmp_path / "site", window=(WINDOW[0] + 7 * 86400, WINDOW[1] + 7 * 86400))
    assert {"schedule-london.ics", "schedule-new-york.ics", "schedule-sydney.ics"} <= written


def test_the_version_of_oncall(org: Org, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Another version may write other bytes for the same events: every feed is read and written
    # again once, the first time it runs.
    site = tmp_path / "site"
    publish(org, site, start=WINDOW[0], end=WINDOW[1], now=NOW, base_url=None)
    before = contents(site)
    monkeypatch.setattr(oncall, "__version__", oncall.__version__ + ".post1")
    report = publish(org, site, start=WINDOW[0], end=WINDOW[1], now=NOW + 3600, base_url=None)
    assert {f.file for f in report.written} == set(before)
    assert {k: without_fingerprint(v) for k, v in contents(site).items()} == {
        k: without_fingerprint(v) for k, v in before.items()}
    again = publish(org, site, start=WINDOW[0], end=WINDOW[1], now=NOW + 7200, base_url=None)
    assert not again.written


ZONE_ROOT = {
    "schedules/people.yaml": """\
timezone: UTC
people:
  ana: {name: Ana}
  ben: {name: Ben}
""",
    "schedules/ops.yaml": """\
name: Ops
timezone: Oncall/Test
layers:
  - name: daily
    people: [ana, ben]
    start: 2026-03-02T09:00
    every: 1d
""",
}


@pytest.mark.skipif(shutil.which("zic") is None, reason="zic (the time zone compiler) is not installed")
def test_new_zone_data(tmp_path: Path) -> None:
    # The same config and the same oncall, but the zone's rules changed (a tzdata update): the
    # handoffs move, so the schedule's feed is written again. The zone is compiled here with zic
    # and found through PYTHONTZPATH, ahead of the system's zones.
    root, zones, site = tmp_path / "root", tmp_path / "zones", tmp_path / "site"
    for name, text in ZONE_ROOT.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    env = {**os.environ, "ONCALL_ROOT": str(root), "TZ": "UTC", "NO_COLOR": "1",
           "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "PYTHONTZPATH": os.pathsep.join([str(zones), "/usr/share/zoneinfo"])}

    def run() -> bytes:
        args = ["calendar", "publish", str(site), "--from", "2026-03-02", "--to", "2026-03-20"]
        result = subprocess.run([sys.executable, "-m", "oncall", *args], capture_output=True, env=env, timeout=60)
        assert result.returncode == 0, result.stderr
        return (site / "schedule-ops.ics").read_bytes()

    compile_zone(zones, "1:00")
    first = run()
    assert b"DTSTART:20260302T080000Z" in first  # 09:00 at UTC+1
    assert run() == first and "nothing changed" in subprocess.run(
        [sys.executable, "-m", "oncall", "calendar", "publish", str(site), "--from", "2026-03-02", "--to",
         "2026-03-20"], capture_output=True, text=True, env=env, timeout=60).stderr
    compile_zone(zones, "2:00")
    second = run()
    assert b"DTSTART:20260302T070000Z" in second  # 09:00 at UTC+2
