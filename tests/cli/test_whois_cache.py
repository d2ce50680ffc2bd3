"""The cache of ``whois`` answers (oncall.whoiscache): a hit prints what a run without the cache
prints, byte for byte; any change to what the answers depend on is a miss."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from oncall.cli.app import app
from oncall.config import inputs
from tests.zones import compile_zone

PEOPLE = """\
people:
  alice: {name: Alice Park, timezone: America/New_York}
  bob: {name: Bob Okafor, timezone: Europe/London}
  carol:
    name: Carol Diaz 漢字
    timezone: Australia/Lord_Howe
    time_off:
      - {from: 2026-03-12, to: 2026-03-12}
"""
SCHEDULES = {
    "payments.yaml": """\
name: Payments primary
timezone: America/New_York
layers:
  - name: weekly
    people: [alice, bob]
    start: 2026-01-05T09:00
    every: 1w
  - name: days
    people: [carol, bob]
    start: 2026-01-05T09:00
    every: 1d
    only:
      - {days: weekdays, from: "09:00", to: "17:00"}
overrides:
  - {person: carol, from: 2026-03-10T09:00, to: 2026-03-10T13:00, reason: swap}
""",
    "nights.yaml": """\
timezone: Europe/London
layers:
  - name: nights
    people: [bob, carol]
    start: 2026-01-05T00:00
    every: 1d
    timezone: Australia/Lord_Howe
    only:
      - {from: "22:00", to: "06:00"}
""",
}
# An instant a few days before Europe's clocks change (29 March), so the day after it crosses
# shifts, gaps, an override and time off.
T = "2026-03-09T20:00:00Z"
T_EPOCH = int(datetime.fromisoformat(T).timestamp())


def write_root(root: Path) -> None:
    (root / "schedules").mkdir(parents=True, exist_ok=True)
    (root / "schedules" / "people.yaml").write_text(PEOPLE)
    for name, text in SCHEDULES.items():
        (root / "schedules" / name).write_text(text)


def cache_files(cache: Path) -> list[Path]:
    return sorted((cache / "oncall").glob("whois-*.json"))


def stamp(cache: Path) -> list[tuple[int, int]]:
    """The cache files' inodes and modification times (one file per format): a rewrite changes them."""
    files = cache_files(cache)
    assert [path.name.split("-")[1] for path in files] == ["json", "table"]
    return [(path.stat().st_ino, path.stat().st_mtime_ns) for path in files]


# -- in one process, many instants ---------------------------------------------------------------


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("TZ", "Europe/Berlin")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("ONCALL_NO_CACHE", raising=False)
    monkeypatch.setattr(inputs, "SETTLED_NS", 0)  # the files the test writes count as settled
    root = tmp_path / "org"
    write_root(root)
    monkeypatch.setenv("ONCALL_ROOT", str(root))
    return root


def invoke(*args: str, cache: bool = True) -> str:
    env = {} if cache else {"ONCALL_NO_CACHE": "1"}
    result = CliRunner().invoke(app, ["whois", *args], env=env)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("format", ["table", "json"])
def test_a_hit_prints_what_a_run_without_the_cache_prints(root: Path, tmp_path: Path, format: str) -> None:
    assert invoke(T, "--format", format) == invoke(T, "--format", format, cache=False)
    written = stamp(tmp_path / "cache")
    # Instants across the day the cache holds: within shifts and gaps, on their edges, at its end.
    instants = [T_EPOCH + k * 1877 for k in range(46)] + [T_EPOCH + 86399, T_EPOCH + 13 * 3600]
    for at in instants:
        text = datetime.fromtimestamp(at, UTC).isoformat()
        assert invoke(text, "--format", format) == invoke(text, "--format", format, cache=False), text
    assert stamp(tmp_path / "cache") == written, "every one of those was a hit"
    selected = invoke(T, "--format", format, "--schedule", "nights")
    assert selected == invoke(T, "--format", format, "--schedule", "nights", cache=False)
    assert "Payments" not in selected and stamp(tmp_path / "cache") != written  # another selection: a miss


def test_the_cache_is_off_with_oncall_no_cache(root: Path, tmp_path: Path) -> None:
    invoke(T, cache=False)
    assert cache_files(tmp_path / "cache") == []


# -- real processes: what invalidates the cache ---------------------------------------------------


def run(root: Path, cache: Path, *args: str, env: dict[str, str] | None = None, no_cache: bool = False) -> str:
    full = {**os.environ, "ONCALL_ROOT": str(root), "XDG_CACHE_HOME": str(cache), "TZ": "Europe/Berlin",
            "NO_COLOR": "1", **(env or {})}
    full.pop("ONCALL_NO_CACHE", None)
    if no_cache:
        full["ONCALL_NO_CACHE"] = "1"
    result = subprocess.run([sys.executable, "-m", "oncall", "whois", *args], capture_output=True, text=True,
                            env=full, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def settle() -> None:
    time.sleep(inputs.SETTLED_NS / 1e9 + 0.2)


def test_each_input_of_the_answers_invalidates_them(tmp_path: Path) -> None:
    root, cache = tmp_path / "org", tmp_path / "cache"
    write_root(root)
    settle()

    def check(*args: str, env: dict[str, str] | None = None) -> str:
        """The output with the cache, which must be that without it."""
        out = run(root, cache, *args, env=env)
        assert out == run(root, cache, *args, env=env, no_cache=True)
        return out

    first = check(T)
    written = stamp(cache)
    assert check(T) == first and stamp(cache) == written  # a hit
    # A schedule file edited.
    (root / "schedules" / "payments.yaml").write_text(SCHEDULES["payments.yaml"].replace("[alice, bob]",
                                                                                        "[bob, alice]"))
    settle()
    edited = check(T)
    assert edited != first and stamp(cache) != written
    # A person's name changed.
    written = stamp(cache)
    (root / "schedules" / "people.yaml").write_text(PEOPLE.replace("Bob Okafor", "Robert Okafor"))
    settle()
    renamed = check(T, "--format", "json")
    assert "Robert Okafor" in renamed and stamp(cache) != written
    # Another viewer's zone: the table's times are read in it.
    written = stamp(cache)
    tokyo = check(T, env={"TZ": "Asia/Tokyo"})
    assert "JST" in tokyo and stamp(cache) != written
    # An instant beyond the day stored.
    written = stamp(cache)
    later = check("2026-03-11T21:00:00Z")
    assert later != edited and stamp(cache) != written
    # A corrupt or cut cache file: a miss, never an error.
    for path in cache_files(cache):
        whole = path.read_bytes()
        key = whole.partition(b"\n")[0]
        texts = whole.index(b"\n", len(key) + 1) + 1  # where the pieces' texts start, after the header
        for damaged in (key + b"\n{not json", whole[:len(whole) // 2], whole[:texts + 10], b"\0" * 10):
            path.write_bytes(damaged)
            check("2026-03-11T21:00:00Z")
            check("2026-03-11T21:00:00Z", "--format", "json")


ZONED = """\
timezone: Oncall/Test
layers:
  - name: daily
    people: [alice, bob]
    start: 2026-03-02T09:00
    every: 1d
"""


@pytest.mark.skipif(shutil.which("zic") is None, reason="zic (the time zone compiler) is not installed")
def test_new_zone_data_invalidates_the_answers(tmp_path: Path) -> None:
    # The same config and code, but the zone's rules changed (a tzdata update), compiled here with
    # zic and found through PYTHONTZPATH ahead of the system's zones: the handoffs move.
    root, cache, zones = tmp_path / "org", tmp_path / "cache", tmp_path / "zones"
    write_root(root)
    (root / "schedules" / "zoned.yaml").write_text(ZONED)
    env = {"PYTHONTZPATH": os.pathsep.join([str(zones), "/usr/share/zoneinfo"])}
    compile_zone(zones, "1:00")
    settle()
    first = run(root, cache, T, "--format", "json", env=env)
    assert '"2026-03-10T09:00:00+01:00"' in first
    written = stamp(cache)
    assert run(root, cache, T, "--format", "json", env=env) == first and stamp(cache) == written
    compile_zone(zones, "2:00")
    second = run(root, cache, T, "--format", "json", env=env)
    assert second == run(root, cache, T, "--format", "json", env=env, no_cache=True)
    assert '"2026-03-10T09:00:00+02:00"' in second and stamp(cache) != written
