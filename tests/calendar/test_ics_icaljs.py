"""Mozilla's ical.js (the parser inside Thunderbird) reads the same instants as the engine's."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from ics_helpers import HERE, NOW, WINDOW, expected_shifts

from oncall.calendar.ics import export_calendar, uid_for
from oncall.calendar.publish import publish
from oncall.engine import generate
from oncall.model import Org


def read_with_icaljs(node_dir: Path, *files: Path) -> dict:
    node = shutil.which("node")
    assert node is not None
    result = subprocess.run(
        [node, str(HERE / "read_icaljs.mjs"), str(node_dir / "node_modules"), *map(str, files)],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_icaljs_reads_the_engine_shifts(org: Org, node_dir: Path, tmp_path: Path) -> None:
    file = tmp_path / "all.ics"
    file.write_bytes(export_calendar(org, generate(org, *WINDOW).shifts, name="Everyone, on call", now=NOW))
    parsed = read_with_icaljs(node_dir, file)[str(file)]
    # ical.js leaves X- properties as written (it does not know their type); RFC 5545 makes them
    # TEXT, so the comma is escaped in the file.
    assert parsed["name"] == "Everyone\\, on call"
    got = sorted((e["uid"], e["start"], e["end"]) for e in parsed["events"])
    assert got == sorted((uid_for(s.schedule, s.start, s.person), s.start, s.end) for s in expected_shifts(org, *WINDOW))
    assert {e["transp"] for e in parsed["events"]} == {"TRANSPARENT"}
    summaries = {e["summary"] for e in parsed["events"]}
    assert "On call: Primary, Sydney — キャロル 🚀" in summaries
    assert "On call: Primary, London — Bob Łukasz; ops" in summaries


def test_icaljs_reads_every_published_feed(org: Org, node_dir: Path, tmp_path: Path) -> None:
    report = publish(org, tmp_path, start=WINDOW[0], end=WINDOW[1], now=NOW, base_url=None)
    files = [tmp_path / f.file for f in report.feeds]
    parsed = read_with_icaljs(node_dir, *files)
    expected = expected_shifts(org, *WINDOW)
    for feed in report.feeds:
        events = parsed[str(tmp_path / feed.file)]["events"]
        mine = [s for s in expected if (s.schedule if feed.kind == "schedule" else s.person) == feed.id]
        assert sorted((e["start"], e["end"]) for e in events) == sorted((s.start, s.end) for s in mine), feed.file
