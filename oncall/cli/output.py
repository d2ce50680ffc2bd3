"""The one place output is made: data to stdout, diagnostics to stderr.

Consoles are built with ``markup=False`` so a name like ``[ops]`` is printed as written, and
without colour when the stream is not a terminal or ``NO_COLOR`` is set.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from oncall.errors import UsageError

if TYPE_CHECKING:
    from rich.console import Console


def _console(stream: Any) -> Console:
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            # rich exits 1 here; a reader that went away (`| head`) is a normal end, which the
            # CLI's one handler turns into exit 0.
            raise BrokenPipeError

    tty = stream.isatty()
    no_color = bool(os.environ.get("NO_COLOR")) or not tty
    # A pipe or a file gets whole lines instead of rich's 80-column default.
    width = None if tty else int(os.environ.get("COLUMNS", "0") or 0) or 200
    return _Console(
        width=width,
        file=stream,
        markup=False,
        highlight=False,
        emoji=False,
        no_color=no_color,
        color_system=None if no_color else "auto",
        soft_wrap=False,
    )


@lru_cache(maxsize=1)
def _out() -> Console:
    return _console(sys.stdout)


@lru_cache(maxsize=1)
def _err() -> Console:
    return _console(sys.stderr)


def stdout() -> Console:
    """The rich console for data on stdout."""
    if _out().file is not sys.stdout:  # stdout was swapped (tests, CliRunner)
        _out.cache_clear()
    return _out()


def stderr() -> Console:
    """The rich console for diagnostics on stderr."""
    if _err().file is not sys.stderr:
        _err.cache_clear()
    return _err()


def print_json(data: Any, path: Path | None = None) -> None:
    """JSON data, stable and UTF-8, to stdout (or to ``path``), written as it is encoded."""
    import json

    emit(json.JSONEncoder(indent=2, ensure_ascii=False).iterencode(data), path, end="\n")


def write_text(text: str) -> None:
    sys.stdout.write(text)


def emit(data: str | bytes | Iterable[str], path: Path | None, *, end: str = "") -> None:
    """Data to stdout, or, with ``--output PATH``, to that file written atomically."""
    if path is None:
        if isinstance(data, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.writelines([data] if isinstance(data, str) else data)
            sys.stdout.write(end)
        return
    from oncall.fsutil import atomic_writer

    try:
        with atomic_writer(path, binary=isinstance(data, bytes)) as handle:
            handle.writelines([data] if isinstance(data, str | bytes) else data)
            if end:
                handle.write(end)
    except OSError as exc:
        raise UsageError(f"--output {path}: cannot write ({exc.strerror or exc}); "
                         "pass a path in a writable folder") from None
    info(f"wrote {path}")


def info(message: str) -> None:
    """A diagnostic line on stderr (never data)."""
    sys.stderr.write(message + "\n")


def warning(message: str) -> None:
    sys.stderr.write(f"warning: {message}\n")


def error(message: str) -> None:
    sys.stderr.write(f"error: {message}\n")
