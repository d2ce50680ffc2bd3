"""Finding the config root (docs/formats.md): ``--root``, else ``ONCALL_ROOT``, else the current folder or
the nearest parent that has a ``schedules/`` folder, as git finds ``.git``."""

from __future__ import annotations

from pathlib import Path

from oncall.errors import RootNotFound

_HINT = "pass --root DIR, set ONCALL_ROOT, or run `oncall init DIR` to create one"


def find_root(option: Path | None, env: str | None, cwd: Path) -> Path:
    """The config root: ``option`` (``--root``), else ``env`` (``ONCALL_ROOT``), else ``cwd`` or
    its nearest parent holding ``schedules/``. Raises ``RootNotFound`` naming where it looked."""
    if option is not None:
        return _given(Path(option), "--root", cwd)
    if env:
        return _given(Path(env), "ONCALL_ROOT", cwd)
    start = cwd.resolve()
    looked = []
    for folder in (start, *start.parents):
        looked.append(str(folder))
        if (folder / "schedules").is_dir():
            return folder
    shown = ", ".join(looked[:4]) + (f" and {len(looked) - 4} more parents" if len(looked) > 4 else "")
    raise RootNotFound(f"no config root: no schedules/ folder in {shown}; {_HINT}")


def _given(path: Path, source: str, cwd: Path) -> Path:
    folder = path if path.is_absolute() else cwd / path
    if not folder.is_dir():
        what = "is a file, not a folder" if folder.exists() else "does not exist"
        raise RootNotFound(f"{source} {path} {what}; {_HINT}")
    if not (folder / "schedules").is_dir():
        raise RootNotFound(f"{source} {path} has no schedules/ folder; {_HINT}")
    return folder.resolve()
