"""Atomic writes: the old file survives a failure, and no temporary file is left behind."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

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


def test_a_prepared_write_changes_nothing_until_committed(tmp_path):
    from oncall.fsutil import prepare_write

    target = tmp_path / "sent.json"
    target.write_text("old")
    pending = prepare_write(target, "new", mode=0o600)
    assert target.read_text() == "old"
    pending.commit()
    assert target.read_text() == "new" and target.stat().st_mode & 0o777 == 0o600
    discarded = prepare_write(target, "newer")
    discarded.discard()
    assert target.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["sent.json"]


def test_private_dir_creates_and_narrows_to_0700(tmp_path):
    from oncall.fsutil import private_dir

    os.umask(0o022)
    made = private_dir(tmp_path / "a" / "b")
    assert (tmp_path / "a").stat().st_mode & 0o777 == 0o700
    assert made.stat().st_mode & 0o777 == 0o700
    loose = tmp_path / "loose"
    loose.mkdir(mode=0o755)
    os.chmod(loose, 0o755)
    private_dir(loose)
    assert loose.stat().st_mode & 0o777 == 0o700


def test_exclusive_follows_a_file_replaced_while_waiting(tmp_path):
    import threading

    from oncall.fsutil import LockTimeout, exclusive

    target = tmp_path / "payments.yaml"
    target.write_text("0\n")
    order: list[str] = []

    def second() -> None:
        with exclusive(target, wait=10):
            order.append(target.read_text())
            write_atomic(target, target.read_text() + "2\n")

    with exclusive(target, wait=10):
        worker = threading.Thread(target=second)
        worker.start()
        worker.join(0.2)
        assert worker.is_alive()  # waiting for the lock
        write_atomic(target, "0\n1\n")  # replaces the file the waiter opened
    worker.join(10)
    assert order == ["0\n1\n"] and target.read_text() == "0\n1\n2\n"
    errors: list[BaseException] = []

    def impatient() -> None:
        try:
            with exclusive(target, wait=0.1):
                pass
        except LockTimeout as exc:
            errors.append(exc)

    with exclusive(target, wait=10):
        other = threading.Thread(target=impatient)
        other.start()
        other.join(10)
    assert len(errors) == 1


def test_a_named_pipe_is_written_to_not_replaced(tmp_path):
    # `--output /dev/null` or a FIFO: renaming a temporary file over it would put a regular file
    # where the device or the pipe was.
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    with atomic_writer(fifo, binary=True) as handle:
        handle.write(b"shifts\n")
    reader.join(timeout=10)
    assert received == [b"shifts\n"]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]  # no temporary file left beside it


def test_generate_into_a_named_pipe(tmp_path, monkeypatch):
    fifo = tmp_path / "out.json"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    root = Path(__file__).resolve().parents[1]
    result = subprocess.run([sys.executable, "-m", "oncall", "--root", str(root), "schedule", "generate",
                             "--from", "2026-03-02T00:00:00Z", "--to", "2026-03-03T00:00:00Z", "--format", "json",
                             "--output", str(fifo)], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "ONCALL_NO_CACHE": "1"})
    reader.join(timeout=10)
    assert result.returncode == 0, result.stderr
    assert json.loads(received[0])["shifts"], received
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
