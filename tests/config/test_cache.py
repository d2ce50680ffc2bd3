"""The org cache: used when nothing changed, never when anything did."""

from __future__ import annotations

import os
import shutil
import time
import zoneinfo
from pathlib import Path

import pytest

from oncall import times
from oncall.config import cache, loader
from oncall.config.cache import load_org_cached
from tests.zones import compile_zone

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
    return sorted((tmp_path / "cache" / "oncall").glob("org-*.json"))


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


def _key_and_body(tmp_path: Path) -> tuple[Path, bytes, bytes]:
    (path,) = _cache_files(tmp_path)
    key, _, body = path.read_bytes().partition(b"\n")
    return path, key, body


@pytest.mark.parametrize("body", [
    b"\x80\x05\x95\xff\xff\xff\xff\xff\xff\xff\x7f",  # a pickle frame claiming 2**63 bytes
    b"[" * 200_000,  # nested deeper than the decoder goes
    b'["@Org", 1]',  # the wrong number of fields
    b'["@system", "rm -rf /"]',  # a class that is not the model's
    b'["@Person", "a", "b", null, "UTC", ["t"], null, null, null, {}, null]',  # a model object, not an org
    b'{"not": "an org"}',
    b"\xff\xfe not utf-8",
])
def test_any_unreadable_cache_is_a_miss(root, tmp_path, body):
    load_org_cached(root)
    path, key, _ = _key_and_body(tmp_path)
    path.write_bytes(key + b"\n" + body)
    assert set(load_org_cached(root).people) == {"alice", "bob"}


def test_a_cache_that_is_a_fifo_or_a_device_is_a_miss_without_waiting(root, tmp_path):
    load_org_cached(root)
    (path,) = _cache_files(tmp_path)
    path.unlink()
    os.mkfifo(path)  # nobody ever writes to it: opening it for reading the usual way would wait forever
    assert set(load_org_cached(root).people) == {"alice", "bob"}
    path.unlink()
    path.symlink_to("/dev/zero")  # endless
    assert set(load_org_cached(root).people) == {"alice", "bob"}


def test_the_cache_is_json_and_round_trips_every_field(tmp_path, monkeypatch):
    import json

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("ONCALL_NO_CACHE", raising=False)
    monkeypatch.setattr(cache, "_SETTLED_NS", 0)
    repo = Path(__file__).resolve().parents[2]
    org = load_org_cached(repo)
    (path,) = _cache_files(tmp_path)
    json.loads(path.read_bytes().partition(b"\n")[2])  # plain JSON: nothing in it can run
    again = load_org_cached(repo)
    assert again == org and again.settings == org.settings
    for pid, person in org.people.items():  # fields left out of == (locations, extras) survive too
        assert again.people[pid].location == person.location and again.people[pid].extra == person.extra
    for sid, schedule in org.schedules.items():
        assert again.schedules[sid].path == schedule.path
        assert [layer.location for layer in again.schedules[sid].layers] == [layer.location for layer in schedule.layers]
    for cid, checklist in org.checklists.items():
        assert again.checklists[cid].review_location == checklist.review_location
        assert [dict(i.check) for i in again.checklists[cid].items] == [dict(i.check) for i in checklist.items]


def test_settings_and_their_problems_are_cached(root, tmp_path, monkeypatch):
    (root / "oncall.yaml").write_text("notify:\n  colour: blue\n  channels:\n    x: {type: slack, webhook_secret: s}\n")
    _age(root)
    first = load_org_cached(root)
    monkeypatch.setattr(loader, "load_org", lambda r: pytest.fail("read the files again"))
    second = load_org_cached(root)
    assert second.settings == first.settings and second.settings.problems == first.settings.problems
    assert [p.code for p in second.settings.problems] == ["unknown-key"]
    assert second.settings.notify.channels["x"].webhook_secret == "s"


@pytest.mark.skipif(shutil.which("zic") is None, reason="zic (the time zone compiler) is not installed")
def test_new_zone_data_reloads(root, tmp_path):
    # An override is an instant read in its schedule's zone when the config is loaded: new rules
    # for the zone (a tz release) move it, so the org is loaded again.
    zones = tmp_path / "zones"
    zoneinfo.reset_tzpath(to=[str(zones), *zoneinfo.TZPATH])
    try:
        (root / "schedules" / "primary.yaml").write_text(
            SCHEDULE.replace("timezone: UTC", "timezone: Oncall/Test")
            + "overrides:\n  - {person: bob, from: 2026-01-06T09:00, to: 2026-01-07T09:00}\n")
        _age(root)
        for offset, hour in (("1:00", 8), ("2:00", 7)):
            compile_zone(zones, offset)
            times._zone.cache_clear()  # as in a new process: the zone is read from its file again
            zoneinfo.ZoneInfo.clear_cache()
            override = load_org_cached(root).schedules["primary"].overrides[0]
            assert override.start % 86400 == hour * 3600  # 09:00 at UTC+1, then at UTC+2
    finally:
        zoneinfo.reset_tzpath()
        times._zone.cache_clear()
