"""Every file under a config root → the model in ``oncall.model``, with every problem collected.

This module only orchestrates: each kind of file has its own module (``people``, ``schedules``,
``checklists``, ``settings``), all reading through ``oncall.config.reader``. Nothing raises on
bad input: each mistake becomes a ``Problem`` with the file (relative to the config root), the
line, what to write instead and a stable code, and loading goes on so one run reports them all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from oncall.config import codes
from oncall.config.checklists import load_checklist
from oncall.config.people import FILE_NAME as PEOPLE_FILE
from oncall.config.people import load_people
from oncall.config.schedules import Loaded, check_avoid, load_schedule
from oncall.config.settings import load_settings
from oncall.errors import ConfigErrors, Location, Problem
from oncall.model import Checklist, Org

YAML_SUFFIXES = (".yaml", ".yml")


@dataclass
class LoadResult:
    """The org (None when any file but oncall.yaml has an error) and every problem, errors and
    warnings, of every file. Problems of oncall.yaml are also kept on ``org.settings``."""

    org: Org | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


def load(root: Path) -> LoadResult:
    """Load every file under the config root ``root``, collecting every problem.

    ``org`` is None when a schedule, people or checklist file has an error; warnings (unknown
    keys) leave it usable, and so do the problems of oncall.yaml, which only the commands that
    use those settings refuse.
    """
    problems: list[Problem] = []
    schedules_dir = root / "schedules"
    if not schedules_dir.is_dir():
        problems.append(Problem(f"no schedules/ folder in {root}; create it (oncall init does) or pass --root",
                                Location("schedules/"), code=codes.FILE))
        return LoadResult(None, problems)
    people = load_people(schedules_dir / PEOPLE_FILE, _shown(root, schedules_dir / PEOPLE_FILE), problems)
    checklists: dict[str, Checklist] = {}
    checklist_files: list[str] = []  # every checklist id, read or broken: a broken one is no unknown one
    checklists_dir = root / "checklists"
    if checklists_dir.exists() and not checklists_dir.is_dir():
        problems.append(Problem("is a file; checklists/ must be a folder of <id>.yaml files",
                                Location("checklists"), code=codes.FILE))
    elif checklists_dir.is_dir():
        for path in _yaml_files(root, checklists_dir, problems):
            checklist_files.append(path.stem)
            checklist = load_checklist(path, _shown(root, path), problems, people, root)
            if checklist is not None:
                checklists[checklist.id] = checklist
    loaded: dict[str, Loaded] = {}
    for path in _yaml_files(root, schedules_dir, problems, skip={PEOPLE_FILE, "people.yml"}):
        loaded[path.stem] = load_schedule(path, _shown(root, path), problems, people, checklist_files, root)
    problems += check_avoid(loaded)
    broken = any(p.severity == "error" for p in problems)
    settings = load_settings(root, loaded)
    problems += settings.problems
    if broken:
        return LoadResult(None, problems)
    schedules = {sid: entry.schedule for sid, entry in sorted(loaded.items()) if entry.schedule is not None}
    org = Org(root=root, people=people.by_id, schedules=schedules, checklists=dict(sorted(checklists.items())),
              settings=settings)
    return LoadResult(org, problems)


def load_org(root: Path) -> Org:
    """Load the org under ``root``; raises ``ConfigErrors`` listing every error (warnings are not
    raised — use ``load`` to see them — and neither are oncall.yaml's: see ``org.settings``)."""
    result = load(root)
    if result.org is None:
        raise ConfigErrors(result.errors or [Problem("the configuration could not be loaded", Location(str(root)))])
    return result.org


def _shown(root: Path, path: Path) -> str:
    """How ``path`` is named in messages: relative to the config root."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _yaml_files(root: Path, folder: Path, problems: list[Problem], skip: Iterable[str] = ()) -> list[Path]:
    """``*.yaml``/``*.yml`` in ``folder``, sorted; two files with one stem is a duplicate id."""
    skipped = set(skip)
    try:
        paths = sorted(p for p in folder.iterdir() if p.suffix in YAML_SUFFIXES and p.name not in skipped)
    except OSError as exc:
        problems.append(Problem(f"cannot list the folder ({exc.strerror}); check its permissions",
                                Location(_shown(root, folder) + "/"), code=codes.FILE))
        return []
    seen: dict[str, Path] = {}
    out = []
    for path in paths:
        if path.stem in seen:
            problems.append(Problem(
                f"duplicate id {path.stem!r}: {_shown(root, seen[path.stem])} has the same name; "
                "rename or remove one", Location(_shown(root, path)), code=codes.DUPLICATE))
            continue
        seen[path.stem] = path
        out.append(path)
    return out
