"""Where readiness keeps its state: ``$XDG_STATE_HOME/oncall`` (default ``~/.local/state/oncall``).

Files are JSON, written atomically (a temp file in the same folder, fsync, ``os.replace``) so a
reader never sees half a file and an interrupted run never leaves a broken one.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any


def state_dir() -> Path:
    """The oncall state folder (not created here)."""
    base = os.environ.get("XDG_STATE_HOME", "").strip()
    root = Path(base) if base and os.path.isabs(base) else Path.home() / ".local" / "state"
    return root / "oncall"


def read_json(path: Path) -> Any:
    """The JSON in ``path``, or None when it is missing or unreadable (state is a cache, not config)."""
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError):
        return None


def write_json(path: Path, data: Any) -> None:
    """Write ``data`` as JSON to ``path`` atomically, readable only by the user."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            # One write: json.dump() writes each token separately, which is slower for the same bytes.
            fh.write(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
