"""Checking edited config files with the real loader, then writing them atomically."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from oncall.errors import ConfigErrors, Location, Problem
from oncall.model import Org

# What the loader reads under a config root (docs/formats.md, "The config root"); nothing else is copied to check an edit.
CONFIG_PARTS = ("schedules", "checklists", "playbooks", "oncall.yaml")


def copy_config(root: Path, target: Path) -> None:
    """Copy the config parts of ``root`` into the folder ``target``."""
    for part in CONFIG_PARTS:
        source = root / part
        if source.is_dir():
            shutil.copytree(source, target / part)
        elif source.is_file():
            shutil.copy2(source, target / part)


def load_checked(root: Path, *, label: str | None = None) -> Org:
    """Load the org under ``root`` with the config loader; any error raises ``ConfigErrors``.

    Problem locations under ``root`` are shown relative to it, prefixed by ``label`` when given
    (a git revision, say) so messages never name a temporary folder.
    """
    from oncall.config import load

    result = load(root)
    errors = [p for p in result.problems if p.severity == "error"]
    if errors or result.org is None:
        raise ConfigErrors([_relocate(p, root, label) for p in errors] or
                           [Problem("the config could not be loaded", Location(label or str(root)))])
    return result.org


def check_edit(root: Path, edits: Mapping[Path, str]) -> Org:
    """Load the org as it would be with ``edits`` (absolute path -> new text) applied, without
    touching ``root``. Raises ``ConfigErrors`` naming the real files when the result is invalid."""
    with tempfile.TemporaryDirectory(prefix="oncall-edit-") as tmp:
        copy = Path(tmp) / "root"
        copy.mkdir()
        copy_config(root, copy)
        for path, text in edits.items():
            target = copy / path.resolve().relative_to(root.resolve())
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        try:
            return load_checked(copy, label=str(root))
        except ConfigErrors as exc:
            raise ConfigErrors([_relocate(p, copy, str(root)) for p in exc.problems]) from None


def _relocate(problem: Problem, folder: Path, label: str | None) -> Problem:
    """``problem`` with a location inside ``folder`` shown under ``label`` instead. The loader
    names files relative to the root; a label ending in ``:`` (a git revision) prefixes those too."""
    location = problem.location
    if location is None:
        return problem
    file = location.file
    for base in {str(folder), str(folder.resolve())}:
        if file == base or file.startswith(base + os.sep):
            rest = file[len(base):].lstrip(os.sep)
            file = os.path.join(label, rest) if label and not label.endswith(":") else rest
            break
    if label and label.endswith(":") and not os.path.isabs(file):
        file = label + file
    return Problem(problem.message, Location(file, location.line), problem.severity, problem.code)
