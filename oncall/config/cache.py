"""A cache of the loaded org, so repeated commands skip parsing YAML.

Parsing a large config root (300 schedules, 2,000 people) costs far more than answering
``oncall whois now`` from it. The loaded ``Org`` is kept in ``$XDG_CACHE_HOME/oncall/``,
keyed by the exact state of every input file (path, size, modification and change times in
nanoseconds, inode — the change time moves on any write, even one that restores the old
modification time), of the code that builds the org (the loader and the model), and the
versions of oncall and Python: change, add or remove any of them and the next command parses
afresh. Only a config that loaded without errors is cached, and
only once its newest file is a few seconds old: a file rewritten within the same tick of a
coarse filesystem clock could otherwise keep its size and time (git's "racily clean" case).
``ONCALL_NO_CACHE=1`` turns the cache off.

The cache file holds a pickle; it is created 0600 in the user's own cache folder and read
only when its key line matches, so a stale or foreign file is never unpickled.
"""

from __future__ import annotations

import os
import pickle
import sys
import time
import zlib
from pathlib import Path

from oncall import __version__
from oncall.model import Org
from oncall.xdg import cache_dir

_FOLDERS = ("schedules", "checklists", "playbooks")
_FILES = ("oncall.yaml",)
_SETTLED_NS = 3_000_000_000  # how old the newest input must be before it is cached


def _code_state() -> list[tuple[str, int, int]]:
    """Size and mtime of the modules whose code decides what a loaded org looks like."""
    package = Path(__file__).resolve().parents[1]
    paths = [*sorted((package / "config").glob("*.py")), package / "model.py", package / "times.py",
             package / "errors.py"]
    state = []
    for path in paths:
        try:
            st = path.stat()
        except OSError:
            continue
        state.append((path.name, st.st_size, st.st_mtime_ns))
    return state


def _fingerprint(root: Path) -> tuple[str, int]:
    """A description of everything the loader reads under ``root``, and when the most recently
    changed of those files changed (ns)."""
    entries: list[tuple[str, int, int, int, int]] = []
    for name in _FOLDERS:
        try:
            with os.scandir(root / name) as listing:
                for entry in listing:
                    st = entry.stat()
                    entries.append((f"{name}/{entry.name}", st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
        except OSError:
            entries.append((name, -1, -1, -1, -1))
    for name in _FILES:
        try:
            st = (root / name).stat()
            entries.append((name, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
        except OSError:
            entries.append((name, -1, -1, -1, -1))
    entries.sort()
    # The key is the description itself (a few kB), not a digest: no hashing library to import.
    text = repr((__version__, sys.version, str(root), entries, _code_state()))
    return text, max(max(e[2], e[3]) for e in entries)


def load_org_cached(root: Path) -> Org:
    """``load_org(root)``, from the cache when no input file has changed since it was written."""
    if os.environ.get("ONCALL_NO_CACHE"):
        return _parse(root)
    root = Path(root).resolve()
    description, newest = _fingerprint(root)
    key = description.encode("utf-8", "backslashreplace")
    path = cache_dir() / f"org-{zlib.crc32(str(root).encode('utf-8')):08x}.pickle"
    try:
        with open(path, "rb") as handle:
            if handle.readline().rstrip(b"\n") == key:
                org = pickle.load(handle)
                if isinstance(org, Org):
                    return org
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
        pass  # no cache yet, or one from another version: parse afresh
    org = _parse(root)
    if time.time_ns() - newest < _SETTLED_NS:
        return org
    try:
        from oncall.fsutil import write_atomic

        write_atomic(path, key + b"\n" + pickle.dumps(org, protocol=pickle.HIGHEST_PROTOCOL), mode=0o600)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        pass  # an unwritable cache only costs speed
    return org


def _parse(root: Path) -> Org:
    # Imported here: a cache hit never loads the YAML parser or the loader.
    from oncall.config.loader import load_org

    return load_org(root)
