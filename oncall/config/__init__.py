"""YAML → model: loading with line marks, and validation that collects every problem.

``load_org(root)`` is what commands use; ``load(root)`` also returns warnings; ``read_marked``
reads any other YAML file with line numbers for messages.
"""

from oncall.config.loader import LoadResult, load, load_org
from oncall.config.marked import Lines, MarkedMap, MarkedSeq, line_of, read_marked
from oncall.config.root import find_root

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
