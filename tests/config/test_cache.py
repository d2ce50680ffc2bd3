"""The org cache: used when nothing changed, never when anything did."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from oncall.config import cache, loader
from oncall.config.cache import load_org_cached

PEOPLE = "people:\n  alice: {timezone: UTC}\n  bob: {timezone: UTC}\n"
SCHEDULE = "timezone: UTC\nlayers:\n  - people: [alice, bob]\n    start: 2026-01-05T09:00\n    every: 1w\n"


def _age(root: Path, seconds: int = 60) -> None:
    """Give every file a distinct, older modification time (the change time stays now)."""
    past = time.time() - seconds
    for path in root.rglob("*"):
        os.utime(path, (past, past))


@pytest.fixture
def root(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("ONCALL_NO_CACHE", raising=False)
    monkeypatch.setattr(cache, "_SETTLED_NS", 0)  # files written by the test count as settled
    root = tmp_path / "org"
    (root / "schedules").mkdir(parents=True)
    (root / "schedules" / "people.yaml").write_text(PEOPLE)
    (root / "schedules" / "primary.yaml").write_text(SCHEDULE)
    _age(root)
    return root


def _cache_files(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache" / "oncall").glob("org-*.pickle"))


def test_second_load_comes_from_the_cache(root, tmp_path, monkeypatch):
    first = load_org_cached(root)
    assert len(_cache_files(tmp_path)) == 1
    calls = []
    monkeypatch.setattr(loader, "load_org", lambda r: calls.append(r))
    second = load_org_cached(root)
    assert calls == [] and second == first


def test_any_change_to_an_input_reloads(root, tmp_path):
    load_org_cached(root)
    (root / "schedules" / "primary.yaml").write_text(SCHEDULE.replace("alice, bob", "bob, alice"))
    _age(root, 30)
    assert load_org_cached(root).schedules["primary"].layers[0].people == ("bob", "alice")
    (root / "schedules" / "extra.yaml").write_text(SCHEDULE)
    _age(root, 20)
    assert set(load_org_cached(root).schedules) == {"primary", "extra"}
    (root / "schedules" / "extra.yaml").unlink()
    assert set(load_org_cached(root).schedules) == {"primary"}


def test_freshly_written_files_are_not_cached(root, tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "_SETTLED_NS", 3_000_000_000)
    (root / "schedules" / "primary.yaml").write_text(SCHEDULE)  # changed: now
    load_org_cached(root)
    assert _cache_files(tmp_path) == []


def test_a_corrupt_cache_file_is_ignored(root, tmp_path):
    load_org_cached(root)
    (path,) = _cache_files(tmp_path)
    key = path.read_bytes().split(b"\n", 1)[0]
    path.write_bytes(key + b"\nnot a pickle")
    assert set(load_org_cached(root).people) == {"alice", "bob"}


def test_cache_can_be_turned_off(root, tmp_path, monkeypatch):
    monkeypatch.setenv("ONCALL_NO_CACHE", "1")
    load_org_cached(root)
    assert _cache_files(tmp_path) == []


def test_a_rewrite_that_restores_the_old_mtime_and_size_still_reloads(root, tmp_path):
    load_org_cached(root)
    target = root / "schedules" / "primary.yaml"
    st = target.stat()
    target.write_text(SCHEDULE.replace("alice, bob", "bob, alice"))  # same size
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))  # and the old modification time
    assert load_org_cached(root).schedules["primary"].layers[0].people == ("bob", "alice")
