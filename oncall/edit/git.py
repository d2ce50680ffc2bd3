"""Reading the config as it was at a git revision, through the one git seam (``oncall.gitrepo``):
a git that fails or is missing is a ``GitError``, reported with exit status 2."""

from __future__ import annotations

import tempfile
from pathlib import Path

from oncall.edit.files import CONFIG_PARTS, load_checked
from oncall.errors import UsageError
from oncall.gitrepo import git
from oncall.model import Org


def resolve(root: Path, rev: str) -> str:
    """The commit id ``rev`` names in the repository holding ``root``."""
    if not rev or rev.startswith("-"):
        raise UsageError(f"{rev!r} is not a git revision; write a commit, branch or tag such as HEAD or main")
    found = git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], root, check=False)
    if found.code != 0:
        git(["rev-parse", "--show-toplevel"], root)  # says "not a git repository" when it is not
        raise UsageError(f"unknown git revision {rev!r}; write a commit, branch or tag such as HEAD")
    return found.text


def export_config(root: Path, rev: str, target: Path) -> None:
    """Write the config files under ``root`` as they were at ``rev`` into the folder ``target``."""
    commit = resolve(root, rev)
    listing = git(["ls-tree", "-r", "-z", commit, "--", *CONFIG_PARTS], root).out
    blobs: list[tuple[str, str]] = []
    for entry in listing.decode("utf-8", errors="surrogateescape").split("\0"):
        if not entry:
            continue
        meta, path = entry.split("\t", 1)
        _mode, kind, sha = meta.split()
        if kind == "blob":
            blobs.append((sha, path))
    if not blobs:
        return
    data = git(["cat-file", "--batch"], root, stdin="".join(f"{sha}\n" for sha, _ in blobs).encode()).out
    at = 0
    for _sha, path in blobs:
        header_end = data.index(b"\n", at)
        size = int(data[at:header_end].split()[2])
        content = data[header_end + 1 : header_end + 1 + size]
        at = header_end + 1 + size + 1  # the content is followed by a newline
        destination = target / path
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(content)


def org_at(root: Path, rev: str) -> Org:
    """The org under ``root`` as committed at ``rev``; config errors name ``REV:path``."""
    with tempfile.TemporaryDirectory(prefix="oncall-rev-") as tmp:
        export_config(root, rev, Path(tmp))
        if not (Path(tmp) / "schedules").is_dir():
            raise UsageError(f"{rev} has no schedules/ folder under {root}")
        return load_checked(Path(tmp), label=f"{rev}:")
