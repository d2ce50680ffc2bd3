"""Where oncall keeps files that are not configuration (the XDG base directories).

A relative ``XDG_*`` value is ignored, as the XDG spec asks. ``state_dir``/``cache_dir`` only name
folders; ``private_state_dir`` creates one for writing (0700, as is every folder on the way from
``$XDG_STATE_HOME/oncall``), and ``state_error`` turns a failure to use state into one clear error.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from oncall.errors import StateError


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


def private_state_dir(folder: Path) -> Path:
    """Create ``folder`` for writing state, readable only by its owner (0700).

    When ``folder`` is under ``state_dir()``, every folder from there down is made 0700 too (state
    holds who attested what and which messages went out). Raises ``OSError``.
    """
    from oncall.fsutil import private_dir

    root = state_dir()
    try:
        steps = folder.relative_to(root).parts
    except ValueError:
        return private_dir(folder)
    current = private_dir(root)
    for part in steps:
        current = private_dir(current / part)
    return current


_WRITABLE = "make the folder writable, or set XDG_STATE_HOME to a writable folder"
_HINTS = {
    errno.ENOSPC: "free some space on that disk",
    errno.EDQUOT: "free some space within your disk quota",
    errno.EROFS: _WRITABLE,
    errno.EACCES: _WRITABLE,
    errno.EPERM: _WRITABLE,
    errno.ENOTDIR: "a part of that path is not a folder; set XDG_STATE_HOME to a folder",
    errno.ELOOP: "a link in that path points to itself; set XDG_STATE_HOME to a folder",
    errno.ENOENT: "a link in that path leads nowhere; set XDG_STATE_HOME to a folder",
}


def state_error(action: str, path: Path, exc: OSError) -> StateError:
    """One clear error for a failure to ``action`` (read, write...) oncall's state at ``path``."""
    reason = exc.strerror or type(exc).__name__
    hint = _HINTS.get(exc.errno or 0)
    return StateError(f"cannot {action} {path} ({reason})" + (f"; {hint}" if hint else ""))
