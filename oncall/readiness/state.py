"""Where readiness keeps its state: ``$XDG_STATE_HOME/oncall`` (default ``~/.local/state/oncall``).

Files are JSON, written atomically (``oncall.fsutil.write_atomic``) so a reader never sees half
a file and an interrupted run never leaves a broken one; folders are 0700 and files 0600. A file
that cannot be written is one ``StateError`` saying why and what to do.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from oncall.errors import StateError
from oncall.fsutil import LockTimeout, exclusive, write_atomic
from oncall.xdg import private_state_dir, state_dir, state_error

__all__ = ["locked", "read_json", "state_dir", "write_json"]


def read_json(path: Path) -> Any:
    """The JSON in ``path``, or None when it is missing or unreadable (state is a cache, not config)."""
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError):
        return None


def write_json(path: Path, data: Any) -> None:
    """Write ``data`` as JSON to ``path`` atomically, readable only by the user."""
    # One dumps: json.dump() writes each token separately, which is slower for the same bytes.
    text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    try:
        private_state_dir(path.parent)
        write_atomic(path, text, mode=0o600)
    except OSError as exc:
        raise state_error("save", path, exc) from None


@contextmanager
def locked(path: Path, what: str, wait: float = 10.0) -> Iterator[None]:
    """Hold the lock file ``path`` (0600) for a read-modify-write of state by ``what``."""
    with ExitStack() as stack:
        try:
            private_state_dir(path.parent)
            stack.enter_context(exclusive(path, wait=wait, create=True))
        except LockTimeout:
            raise StateError(f"another oncall command held {path} for {wait:g}s while {what}; try again") from None
        except OSError as exc:
            raise state_error("lock", path, exc) from None
        yield
