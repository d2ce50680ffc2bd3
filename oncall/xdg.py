"""Where oncall keeps files that are not configuration (the XDG base directories).

A relative ``XDG_*`` value is ignored, as the XDG spec asks. Nothing here creates a folder.
"""

from __future__ import annotations

import os
from pathlib import Path


def _base(variable: str, default: str) -> Path:
    value = os.environ.get(variable, "").strip()
    return Path(value) if value and os.path.isabs(value) else Path.home() / default


def config_dir() -> Path:
    """``$XDG_CONFIG_HOME/oncall`` (default ``~/.config/oncall``): the user's own settings (``me:``)."""
    return _base("XDG_CONFIG_HOME", ".config") / "oncall"


def state_dir() -> Path:
    """``$XDG_STATE_HOME/oncall`` (default ``~/.local/state/oncall``): saved results, sent messages."""
    return _base("XDG_STATE_HOME", ".local/state") / "oncall"


def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/oncall`` (default ``~/.cache/oncall``): the org cache, holiday dates."""
    return _base("XDG_CACHE_HOME", ".cache") / "oncall"
