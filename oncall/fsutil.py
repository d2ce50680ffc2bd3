"""Files written safely: atomic replacement, writes prepared before a send, private folders, locks.

* ``write_atomic`` / ``atomic_writer``: a reader sees the old file or the new one, never half of
  either, and a failure leaves the old file.
* ``prepare_write``: the same write in two steps. ``PreparedWrite`` holds the new content on disk
  (fsync'd, under a temporary name); ``commit`` is only a rename. Doing the write before an action
  and the rename after it means a full disk stops the action instead of losing its record.
* ``private_dir``: folders only their owner can enter (0700), for state.
* ``exclusive``: an exclusive lock on a file that is itself replaced by atomic writes.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any


class LockTimeout(Exception):
    """Another process held the lock for longer than we were willing to wait."""


@contextmanager
def atomic_writer(path: Path | str, mode: int | None = None, *, binary: bool = False,
                  durable: bool = True) -> Iterator[IO[Any]]:
    """A handle whose content replaces ``path`` only when the block ends without error.

    The data goes to a temporary file in the same folder, is fsync'd, then renamed over the
    target (and the folder fsync'd). Keeps the target's permissions when it exists; text is UTF-8.
    ``durable=False`` skips the fsyncs: still atomic for readers, but a crash may lose the new
    file — for output that is rebuilt anyway, thousands of files at a time. A target that exists
    and is not a regular file or a folder (a device such as ``/dev/null``, a named pipe) is
    written to as it is.
    """
    target = Path(path)
    if _special(target):
        # A device or a pipe (--output /dev/null, /dev/stdout, a FIFO): there is no file to
        # replace, and renaming over it would put a regular file in its place.
        with open(target, "wb") if binary else open(target, "w", encoding="utf-8", newline="") as special:
            yield special
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    mode = _mode_for(target, mode)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        handle = os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="")
        with handle:
            yield handle
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        _unlink(tmp)
        raise
    if durable:
        sync_folder(target.parent)


def _special(target: Path) -> bool:
    """Whether ``target`` (symlinks followed) exists and is a device, a pipe or a socket."""
    try:
        kind = os.stat(target).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(kind) or stat.S_ISDIR(kind))


def write_atomic(path: Path | str, data: bytes | str, mode: int | None = None, *, durable: bool = True) -> None:
    """Write ``data`` to ``path`` atomically (see ``atomic_writer``)."""
    prepare_write(path, data, mode, durable=durable).commit()


class PreparedWrite:
    """New content for a file, already on disk under a temporary name; ``commit`` renames it."""

    def __init__(self, target: Path, tmp: str, durable: bool = True) -> None:
        self.target = target
        self._tmp: str | None = tmp
        self._durable = durable

    def commit(self) -> None:
        """Put the new content in place (a rename: it needs no free space)."""
        if self._tmp is None:
            raise RuntimeError("this write was already committed or discarded")
        tmp, self._tmp = self._tmp, None
        try:
            os.replace(tmp, self.target)
        except BaseException:
            _unlink(tmp)
            raise
        if self._durable:
            sync_folder(self.target.parent)

    def discard(self) -> None:
        """Forget the new content; the file stays as it was."""
        if self._tmp is not None:
            _unlink(self._tmp)
            self._tmp = None


def prepare_write(path: Path | str, data: bytes | str, mode: int | None = None, *,
                  durable: bool = True) -> PreparedWrite:
    """Write ``data`` beside ``path`` and fsync it (unless not ``durable``), ready to replace
    ``path`` with ``commit()``.

    Raises ``OSError`` (a full disk, a read-only folder) before anything changes.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    mode = _mode_for(target, mode)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.chmod(tmp, mode)
    except BaseException:
        _unlink(tmp)
        raise
    return PreparedWrite(target, tmp, durable)


def private_dir(path: Path | str) -> Path:
    """``path`` as a folder only its owner can use (0700), created with its missing parents.

    An existing folder of ours that others can enter is narrowed to 0700; a folder owned by
    someone else is left alone.
    """
    folder = Path(path)
    missing = []
    probe = folder
    while not probe.exists():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    for step in reversed(missing):
        try:
            step.mkdir(mode=0o700)
        except FileExistsError:
            pass
        os.chmod(step, 0o700)  # mkdir's mode is filtered by the umask
    info = folder.stat()
    if not stat.S_ISDIR(info.st_mode):
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(folder))
    if info.st_uid == os.getuid() and info.st_mode & 0o077:
        os.chmod(folder, info.st_mode & 0o7700)
    return folder


@contextmanager
def exclusive(path: Path | str, *, wait: float = 10.0, create: bool = False) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` for the block, waiting at most ``wait`` seconds.

    The lock is on the file itself, so it works for a file that atomic writes replace: after
    getting the lock on the file we opened, we check that it is still the file at ``path`` (an
    atomic write may have renamed a new one over it while we waited) and try again if not.
    ``create`` makes a missing file (mode 0600), for a lock file. Raises ``LockTimeout``.
    """
    import fcntl

    target = Path(path)
    give_up = time.monotonic() + wait
    while True:
        fd = os.open(target, os.O_RDONLY | (os.O_CREAT if create else 0), 0o600)
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= give_up:
                        raise LockTimeout(f"{target} stayed locked for {wait:g}s") from None
                    time.sleep(0.01)
            try:
                current = os.stat(target)
            except FileNotFoundError:
                current = None
            held = os.fstat(fd)
            if current is not None and (current.st_ino, current.st_dev) == (held.st_ino, held.st_dev):
                yield
                return
        finally:
            os.close(fd)  # releases the lock


def _mode_for(target: Path, mode: int | None) -> int:
    if mode is not None:
        return mode
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        return 0o644


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def sync_folder(folder: Path) -> None:
    """Make the folder's entries (a file created, renamed or removed) durable; best effort."""
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
