"""The containers the YAML reader builds: a dict and a list that remember their lines.

Kept apart from the reader (``oncall.config.marked``) so that code holding these values,
such as an org read back from the cache, does not need the YAML parser.
"""

from __future__ import annotations

from typing import Any

__all__ = ["MarkedMap", "MarkedSeq", "line_of"]


class MarkedMap(dict[str, Any]):
    """A mapping from YAML: a dict that also knows its own line and the line of each key."""

    __slots__ = ("line", "key_lines")

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.key_lines: dict[str, int] = {}


class MarkedSeq(list[Any]):
    """A sequence from YAML: a list that also knows its own line and the line of each item."""

    __slots__ = ("line", "item_lines")

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.item_lines: list[int] = []


def line_of(container: object, key: object = None) -> int:
    """The 1-based line of ``key`` (a mapping key or sequence index) in ``container``, else of
    the container itself; 0 when unknown (a value not read from a file)."""
    if isinstance(container, MarkedMap):
        if key is not None and isinstance(key, str):
            return container.key_lines.get(key, container.line)
        return container.line
    if isinstance(container, MarkedSeq):
        if isinstance(key, int) and 0 <= key < len(container.item_lines):
            return container.item_lines[key]
        return container.line
    return 0
