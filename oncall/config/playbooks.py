"""Playbook references: a ``playbooks/<name>.md`` file under the config root, or a URL.

One rule for every place that names a playbook (a schedule's ``playbook:``, an item's, a
notification route's): a name must be a file that exists; a URL is taken as written.
"""

from __future__ import annotations

import re
from pathlib import Path

FOLDER = "playbooks"
_URL = re.compile(r"^https?://\S+$")
_STEM = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def is_url(name: str) -> bool:
    return bool(_URL.match(name))


def stem(name: str) -> str | None:
    """The file stem a playbook name means (``paging``, ``paging.md`` and ``playbooks/paging``
    all mean ``paging``); None when it cannot be a file name."""
    text = name.strip().removeprefix(f"{FOLDER}/")
    text = text[:-3] if text.endswith(".md") else text
    return text if _STEM.match(text) else None


def playbook_path(root: Path, name: str) -> Path | None:
    """The file of playbook ``name`` under ``root``, or None when there is none."""
    s = stem(name)
    if s is None:
        return None
    path = root / FOLDER / f"{s}.md"
    return path if path.is_file() else None


def known(root: Path) -> list[str]:
    """The stems of every playbook under ``root``, sorted."""
    folder = root / FOLDER
    return sorted(p.stem for p in folder.glob("*.md")) if folder.is_dir() else []


def problem(root: Path, name: str) -> str | None:
    """What is wrong with the playbook reference ``name`` (None when it is a URL or a file)."""
    if is_url(name) or playbook_path(root, name) is not None:
        return None
    s = stem(name)
    if s is None:
        return (f"{name!r} is neither a playbook name nor a URL; write the stem of a file in {FOLDER}/ "
                "(e.g. incident-response) or an https:// link")
    names = known(root)
    listed = ", ".join(names) if names else f"none yet: {FOLDER}/ is empty or missing"
    return f"no playbook {FOLDER}/{s}.md; write it, link a URL instead, or name one of: {listed}"
