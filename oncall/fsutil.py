"""Atomic file writes: a reader sees the old file or the new one, never half of either."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any


@contextmanager
def atomic_writer(path: Path | str, mode: int | None = None, *, binary: bool = False,
                  durable: bool = True) -> Iterator[IO[Any]]:
    """A handle whose content replaces ``path`` only when the block ends without error.

    The data goes to a temporary file in the same folder, is fsync'd, then renamed over the
    target (and the folder fsync'd). Keeps the target's permissions when it exists; text is UTF-8.
    ``durable=False`` skips the fsyncs: still atomic for readers, but a crash may lose the new
    file — for output that is rebuilt anyway, thousands of files at a time.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    if mode is None and target.exists():
        mode = target.stat().st_mode & 0o7777
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        handle = os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="")
        with handle:
            yield handle
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.chmod(tmp, mode if mode is not None else 0o644)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    if durable:
        _sync_folder(target.parent)


def write_atomic(path: Path | str, data: bytes | str, mode: int | None = None, *, durable: bool = True) -> None:
    """Write ``data`` to ``path`` atomically (see ``atomic_writer``)."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with atomic_writer(path, mode, binary=True, durable=durable) as handle:
        handle.write(payload)


def _sync_folder(folder: Path) -> None:
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)
