"""YAML → model: loading with line marks, and validation that collects every problem.

``load_org(root)`` is what commands use; ``load(root)`` also returns warnings; ``read_marked``
reads any other YAML file with line numbers for messages.

The names are imported on first use, so a command answered from the org cache
(``oncall.config.cache``) never imports the YAML parser or the loader.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from oncall.config.loader import LoadResult, load, load_org
    from oncall.config.marked import Lines, MarkedMap, MarkedSeq, line_of, read_marked
    from oncall.config.root import find_root

_HOMES = {
    "LoadResult": "loader",
    "load": "loader",
    "load_org": "loader",
    "Lines": "marked",
    "MarkedMap": "marked",
    "MarkedSeq": "marked",
    "line_of": "marked",
    "read_marked": "marked",
    "find_root": "root",
}

__all__ = [
    "LoadResult",
    "Lines",
    "MarkedMap",
    "MarkedSeq",
    "find_root",
    "line_of",
    "load",
    "load_org",
    "read_marked",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'oncall.config' has no attribute {name!r}")
    return getattr(importlib.import_module(f"oncall.config.{home}"), name)
