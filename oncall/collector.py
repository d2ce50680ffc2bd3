"""Python's cyclic garbage collector, paused for work that holds many objects and makes few cycles.

The collector walks the objects that survive its passes again and again; work that keeps tens of
thousands of them alive at once (thousands of checks under way, a window's shifts until the last
feed is written) pays for those walks and finds next to nothing to free.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """The collector off for the ``with`` block, then as it was: a collector that was off stays
    off. The few reference cycles the block leaves are collected by a later pass."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
