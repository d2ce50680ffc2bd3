"""The one place output is made: data to stdout, diagnostics to stderr.

Consoles are built with ``markup=False`` so a name like ``[ops]`` is printed as written, and
without colour when the stream is not a terminal or ``NO_COLOR`` is set.
"""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from oncall.errors import UsageError

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text


class StdoutClosed(Exception):
    """The reader of stdout went away (``oncall ... | head``): a normal end of the command.

    Not an ``OSError``, so click does not turn it into exit 1 on the way to the CLI's handler."""


class _Guarded:
    """``sys.stdout`` during a run: a closed pipe surfaces as ``StdoutClosed``."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return int(self._stream.write(text))
        except BrokenPipeError:
            raise StdoutClosed from None

    def writelines(self, lines: Iterable[str]) -> None:
        for text in lines:
            self.write(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise StdoutClosed from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextmanager
def guarded_stdout() -> Iterator[None]:
    """Run a command with ``sys.stdout`` guarded (see ``StdoutClosed``)."""
    saved = sys.stdout
    sys.stdout = _Guarded(saved)
    try:
        yield
    finally:
        sys.stdout = saved


def _console(stream: Any) -> Console:
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:  # rich would exit 1
            raise StdoutClosed

    tty = stream.isatty()
    no_color = bool(os.environ.get("NO_COLOR")) or not tty
    width = pipe_width(stream)
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


def pipe_width(stream: Any = None) -> int | None:
    """The width of ``stream`` (stdout) when it is a pipe or a file, which get whole lines
    instead of rich's 80-column default, and never colour; None for a terminal."""
    if (stream or sys.stdout).isatty():
        return None
    return int(os.environ.get("COLUMNS", "0") or 0) or 200


@lru_cache(maxsize=8)
def _cached(stream: Any, columns: str, no_color: str) -> Console:
    return _console(stream)


def stdout() -> Console:
    """The rich console for data on stdout."""
    return _cached(sys.stdout, os.environ.get("COLUMNS", ""), os.environ.get("NO_COLOR", ""))


def stderr() -> Console:
    """The rich console for diagnostics on stderr."""
    return _cached(sys.stderr, os.environ.get("COLUMNS", ""), os.environ.get("NO_COLOR", ""))


def line(text: str | Text = "", style: str | None = None, indent: int = 0) -> None:
    """A line of text on stdout, wrapped at spaces to the terminal's width (continuation lines
    indented by ``indent``) with no trailing spaces; ``style`` colours it on a terminal (a rich
    ``Text`` keeps its own styles)."""
    from rich.text import Text

    console = stdout()
    content = Text(text, style=style or "") if isinstance(text, str) else text
    pieces = list(content.wrap(console, console.width)) if content.plain else [content]
    if indent and len(pieces) > 1 and console.width > indent + 20:
        rest = content[len(pieces[0].plain):]
        rest = rest[len(rest.plain) - len(rest.plain.lstrip()):]
        pieces = pieces[:1] + [Text(" " * indent) + p for p in rest.wrap(console, console.width - indent)]
    for piece in pieces:
        piece.rstrip()
        console.print(piece, soft_wrap=True)


class EncodedItems(NamedTuple):
    """A list for ``print_json`` whose items are JSON text already, each on one line, given in
    batches: streamed as an iterator is, one write per batch."""

    batches: Iterable[Sequence[str]]


def print_json(data: Any, path: Path | None = None) -> None:
    """JSON data, stable and UTF-8, to stdout (or to ``path``), laid out as ``json.dumps(data,
    indent=2)`` does, except that a list given as an iterator (or as ``EncodedItems``) is
    streamed: written as it is made, one item per line, so a year of shifts is never held in
    memory as one list of objects and one string. (Each such line comes from the json module's C
    encoder; the indenting encoder is pure Python and was most of a large ``generate --format
    json``'s time: docs/performance.md.)"""
    emit(_json_pieces(data, "\n"), path, end="\n")


def _json_pieces(data: Any, newline: str) -> Iterator[str]:
    import json

    inner = newline + "  "
    if isinstance(data, dict) and data:
        for index, (key, value) in enumerate(data.items()):
            yield ("{" if index == 0 else ",") + inner + json.dumps(key, ensure_ascii=False) + ": "
            yield from _json_pieces(value, inner)
        yield newline + "}"
    elif isinstance(data, EncodedItems):
        empty = True
        for batch in data.batches:
            if batch:
                yield ("[" if empty else ",") + inner + ("," + inner).join(batch)
                empty = False
        yield "[]" if empty else newline + "]"
    elif isinstance(data, Iterator):
        encode = json.JSONEncoder(ensure_ascii=False).encode  # no indent: the C encoder
        yield from _json_pieces(EncodedItems([encode(item)] for item in data), newline)
    elif isinstance(data, list | tuple):
        empty = True
        for item in data:
            yield ("[" if empty else ",") + inner + json.dumps(item, indent=2, ensure_ascii=False).replace("\n", inner)
            empty = False
        yield "[]" if empty else newline + "]"
    else:
        yield json.dumps(data, indent=2, ensure_ascii=False).replace("\n", newline)


def write_text(text: str) -> None:
    sys.stdout.write(text)


def emit(data: str | bytes | Iterable[str] | Iterable[bytes], path: Path | None, *, end: str = "") -> None:
    """Data to stdout, or, with ``--output PATH``, to that file written atomically. An iterable
    is written piece by piece as it is made (text, or bytes such as an ``.ics`` file's)."""
    pieces: Iterator[str | bytes] = iter([data] if isinstance(data, str | bytes) else data)
    first = next(pieces, "")
    binary = isinstance(first, bytes)
    pieces = itertools.chain([first], pieces)
    if path is None:
        if binary:
            sys.stdout.flush()
            try:
                for piece in pieces:
                    sys.stdout.buffer.write(piece)  # type: ignore[arg-type]  # bytes: the first piece says so
                sys.stdout.buffer.flush()
            except BrokenPipeError:
                raise StdoutClosed from None
        else:
            sys.stdout.writelines(pieces)  # type: ignore[arg-type]  # text: the first piece says so
            sys.stdout.write(end)
        return
    from oncall.fsutil import atomic_writer

    try:
        with atomic_writer(path, binary=binary) as handle:
            handle.writelines(pieces)
            if end:
                handle.write(end.encode() if binary else end)
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
