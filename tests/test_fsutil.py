"""Atomic writes: the old file survives a failure, and no temporary file is left behind."""

from __future__ import annotations

import os

import pytest

from oncall.fsutil import atomic_writer, write_atomic


def test_write_replaces_and_keeps_permissions(tmp_path):
    target = tmp_path / "feed.ics"
    target.write_text("old")
    os.chmod(target, 0o600)
    write_atomic(target, "new ✓")
    assert target.read_text(encoding="utf-8") == "new ✓"
    assert target.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["feed.ics"]


def test_failure_inside_the_block_leaves_the_old_file(tmp_path):
    target = tmp_path / "shifts.json"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_writer(target) as handle:
        handle.write("half of the new")
        raise RuntimeError("disk on fire")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["shifts.json"]


def test_creates_missing_folders(tmp_path):
    target = tmp_path / "a" / "b" / "c.txt"
    write_atomic(target, b"bytes")
    assert target.read_bytes() == b"bytes"
