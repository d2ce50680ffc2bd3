"""Where readiness keeps its state: ``$XDG_STATE_HOME/oncall`` (default ``~/.local/state/oncall``).

Files are JSON, written atomically (``oncall.fsutil.write_atomic``) so a reader never sees half
a file and an interrupted run never leaves a broken one.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from oncall.fsutil import write_atomic
from oncall.xdg import state_dir

__all__ = ["read_json", "state_dir", "write_json"]




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
    # One dumps: json.dump() writes each token separately, which is slower for the same bytes.
    write_atomic(path, json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n", mode=0o600)
