"""Reading a file that should be a small regular file, without trusting that it is one.

A config file may be a symlink to ``/dev/zero`` (read forever) or a FIFO (``open`` waits for a
writer forever). The file is opened without blocking, checked with ``fstat`` on the open handle
(so it cannot be swapped in between) and read up to a size limit.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

MAX_CONFIG_BYTES = 8 * 1024 * 1024  # a config file larger than this is refused (the largest seen: ~1 MB)


class NotRegular(OSError):
    """The path is a FIFO, a device, a socket (``kind`` says which), not a regular file."""

    def __init__(self, kind: str) -> None:
        super().__init__(f"not a regular file ({kind})")
        self.kind = kind


class TooLarge(OSError):
    """The file holds more than the limit."""


def read_limited(path: Path, limit: int = MAX_CONFIG_BYTES) -> bytes:
    """The bytes of the regular file ``path`` (symlinks followed), at most ``limit`` of them.

    Raises ``NotRegular`` for anything but a regular file, ``TooLarge`` past ``limit``, and the
    usual ``OSError`` subclasses (``FileNotFoundError``, ``PermissionError``, ``IsADirectoryError``).
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(21, "Is a directory", str(path))
        if not stat.S_ISREG(mode):
            raise NotRegular(_kind(mode))
        chunks = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:
        raise TooLarge(f"larger than {limit // (1024 * 1024)} MB")
    return data


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"
