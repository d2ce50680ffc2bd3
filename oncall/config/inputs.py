"""The state of everything an answer computed from a config root depends on, as text to compare.

A cache of such an answer (the loaded org, ``whois`` answers, a publish's feeds) is valid while
the text it was stored under is the text of now. The text describes, without reading their
contents:

* the config root: every input file's path, size, modification and change times in nanoseconds
  and inode (the change time moves on any write, even one that restores the old modification
  time) — ``config_state``;
* the code: the size and modification time of the modules that decide the answer —
  ``code_state``, ``package_state``;
* the timezone data: for each zone the answer reads, the file ``zoneinfo`` reads its rules from
  and that file's size, times and inode — ``zone_state``. A new tz release installed on the
  machine, or another ``PYTHONTZPATH``, is a new state;
* the public holidays: the files of the cache their dates are kept in, and the module of the
  ``holidays`` package they are computed with when a year is not cached — ``holidays_state``;
* the versions of oncall and Python.

A config whose newest file is younger than ``SETTLED_NS`` is not cached: a file rewritten within
the same tick of a coarse filesystem clock could otherwise keep its size and time (git's "racily
clean" case). See docs/performance.md for the caches built on this.
"""

from __future__ import annotations

import os
import sys
import zoneinfo
from collections.abc import Iterable
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING

from oncall import __version__

if TYPE_CHECKING:
    from oncall.model import Org

SETTLED_NS = 3_000_000_000  # how old the newest input must be before an answer from it is cached

FOLDERS = ("schedules", "checklists", "playbooks")
FILES = ("oncall.yaml",)
_PACKAGE = Path(__file__).resolve().parents[1]
# The modules whose code decides what a loaded org looks like.
_LOADER = ("model.py", "times.py", "errors.py", "holidays.py", "ids.py")


def config_state(root: Path) -> tuple[str, int]:
    """A description of everything the loader reads under ``root`` (and of the loader's code and
    the versions of oncall and Python), and when the most recently changed of those files
    changed (ns)."""
    entries: list[tuple[str, int, int, int, int]] = []
    for name in FOLDERS:
        try:
            with os.scandir(root / name) as listing:
                for entry in listing:
                    st = entry.stat()
                    entries.append((f"{name}/{entry.name}", st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
        except OSError:
            entries.append((name, -1, -1, -1, -1))
    for name in FILES:
        try:
            st = (root / name).stat()
            entries.append((name, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
        except OSError:
            entries.append((name, -1, -1, -1, -1))
    entries.sort()
    loader = [*sorted((_PACKAGE / "config").glob("*.py")), *(_PACKAGE / name for name in _LOADER)]
    # The key is the description itself (a few kB), not a digest: no hashing library to import.
    text = repr((__version__, sys.version, str(root), entries, code_state(loader)))
    return text, max(max(e[2], e[3]) for e in entries)


def code_state(paths: Iterable[Path]) -> list[tuple[str, int, int]]:
    """Name, size and modification time of each module in ``paths`` (a missing one is left out)."""
    state = []
    for path in paths:
        try:
            st = path.stat()
        except OSError:
            continue
        state.append((str(path.relative_to(_PACKAGE)), st.st_size, st.st_mtime_ns))
    return state


def package_state() -> list[tuple[str, int, int]]:
    """``code_state`` of every module of oncall: for an answer any part of the code may shape."""
    return code_state(sorted(_PACKAGE.rglob("*.py")))


def zone_state(keys: Iterable[str]) -> str:
    """Where ``zoneinfo`` reads the rules of each zone in ``keys``, and that file's state.

    ``zoneinfo`` looks in each folder of ``zoneinfo.TZPATH`` in turn, then in the ``tzdata``
    package; a zone found in neither is described as missing.
    """
    described: list[tuple[str, str | None, int, int, int, int]] = []
    tzdata: Path | None = None
    for key in sorted(set(keys)):
        path = next((p for p in (os.path.join(folder, key) for folder in zoneinfo.TZPATH) if os.path.isfile(p)),
                    None)
        if path is None:
            if tzdata is None:
                spec = find_spec("tzdata")
                tzdata = Path(spec.origin).parent / "zoneinfo" if spec and spec.origin else Path("/nonexistent")
            candidate = tzdata / key
            path = str(candidate) if candidate.is_file() else None
        if path is None:
            described.append((key, None, -1, -1, -1, -1))
            continue
        st = os.stat(path)
        described.append((key, path, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
    return repr(described)


def org_zones(org: Org) -> set[str]:
    """The zones ``org`` names (its people's, schedules' and layers'): those its instants and
    shifts are read in."""
    zones = {person.timezone for person in org.people.values()}
    for schedule in org.schedules.values():
        zones.add(schedule.timezone)
        zones.update(layer.timezone for layer in schedule.layers if layer.timezone)
    return zones


def holidays_state() -> str:
    """The files of the holiday dates cache (``oncall.holidays``: name, size, modification time,
    inode) and the file of the ``holidays`` package, for an answer that may read public holidays."""
    from oncall.xdg import cache_dir

    files: list[tuple[str, int, int, int]] = []
    try:
        with os.scandir(cache_dir() / "holidays") as listing:
            for entry in listing:
                st = entry.stat()
                files.append((entry.name, st.st_size, st.st_mtime_ns, st.st_ino))
    except OSError:
        pass
    spec = find_spec("holidays")
    package: tuple[str, int, int, int] | None = None
    if spec is not None and spec.origin:
        try:
            st = os.stat(spec.origin)
            package = (spec.origin, st.st_size, st.st_mtime_ns, st.st_ino)
        except OSError:
            pass
    return repr((sorted(files), package))
