"""From an export to files: ids, layers, the YAML text, a load with the real config loader, and
(``check=True``) the comparison with what the service rendered. Nothing is written here;
``write_plan`` writes a plan that was made.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from oncall.engine import schedule_timeline
from oncall.engine.timeline import layer_pieces
from oncall.errors import ConfigErrors, Location, Problem, UsageError
from oncall.ids import slug, unique
from oncall.imports.check import CheckResult, compare
from oncall.imports.layers import LayerSpec, rotation_layers
from oncall.imports.model import Export, Inexact, Origin, SourcePerson, SourceSchedule
from oncall.imports.writer import OverrideSpec, PersonEntry, add_people, new_people_file, schedule_text
from oncall.model import Org
from oncall.times import iso, zone

PEOPLE = Path("schedules") / "people.yaml"
# How far past the last coverage start overlapping rotations are looked for: a year and a bit
# shows every weekly pattern and every DST change.
_OVERLAP_REACH = 400 * 86400


@dataclass(frozen=True)
class PlannedFile:
    path: Path  # absolute
    display: str  # relative to the config root
    text: str
    old: str | None  # the current content when the file exists


@dataclass
class ImportPlan:
    root: Path
    service: str
    files: list[PlannedFile]
    notes: list[str] = field(default_factory=list)
    inexact: list[Inexact] = field(default_factory=list)
    checks: list[CheckResult] = field(default_factory=list)
    unchecked: list[str] = field(default_factory=list)  # schedules with nothing rendered to compare


@dataclass
class _Written:
    """One schedule as it will be written."""

    id: str
    source: SourceSchedule
    layers: list[LayerSpec]


def plan_import(export: Export, root: Path, *, force: bool = False, check: bool = False) -> ImportPlan:
    """Everything an import would write under ``root`` and everything it could not say exactly.

    Raises ``UsageError`` when a schedule file exists and ``force`` is not set, ``ConfigErrors``
    when the result (with the files already under ``root``) does not load.
    """
    plan = ImportPlan(root=root, service=export.service, files=[], notes=list(export.notes),
                      inexact=list(export.inexact))
    written = _schedules(export, plan)
    if not written:
        raise UsageError(f"nothing to import: the {export.service} export holds no schedule that can be written")
    used = _used_people(written)
    people_path = root / PEOPLE
    old_people = people_path.read_text(encoding="utf-8") if people_path.is_file() else None
    ids, entries = _person_ids(export, used, old_people, plan)
    taken: set[str] = set()
    conflicts = []
    for item in written:
        item.id = unique(item.id, taken)
        taken.add(item.id)
        path = root / "schedules" / f"{item.id}.yaml"
        existing = [p for p in (path, path.with_suffix(".yml")) if p.exists()]
        if existing and not force:
            conflicts.append(existing[0].relative_to(root).as_posix())
        text = schedule_text(
            header=_header(export.command, item.source),
            name=item.source.name, timezone=item.source.timezone, layers=item.layers, ids=ids,
            overrides=[OverrideSpec(ids[o.person], o.start, o.end, str(o.origin)) for o in item.source.overrides],
        )
        plan.files.append(PlannedFile(path, path.relative_to(root).as_posix(), text,
                                      existing[0].read_text(encoding="utf-8") if existing else None))
    if conflicts:
        raise UsageError(f"{', '.join(conflicts)} already exist{'s' if len(conflicts) == 1 else ''}; "
                         "pass --force to overwrite, or --into another folder")
    if entries:
        header = [f"People imported from {export.service} by `oncall import`."]
        text = new_people_file(entries, header) if old_people is None else add_people(old_people, entries,
                                                                                      PEOPLE.as_posix())
        plan.files.append(PlannedFile(people_path, PEOPLE.as_posix(), text, old_people))
    org = _load(root, plan)
    for item in written:
        _overlaps(item, org, plan)
    if check:
        _check(written, org, ids, export.people, plan)
    return plan


def write_plan(plan: ImportPlan) -> None:
    """Write every file of ``plan``, each atomically."""
    from oncall.fsutil import write_atomic

    for planned in plan.files:
        write_atomic(planned.path, planned.text)


# -- schedules and layers ------------------------------------------------------------------------

def _schedules(export: Export, plan: ImportPlan) -> list[_Written]:
    out = []
    for source in export.schedules:
        layers: list[LayerSpec] = []
        names: set[str] = set()
        for index, rotation in enumerate(source.rotations):
            if not rotation.members:
                continue
            name = unique(slug(rotation.name, "layer"), names | {n + "-first-turn" for n in names})
            specs, inexact = rotation_layers(rotation, index, source.timezone, name)
            for spec in specs:
                spec.name = unique(spec.name, names)
                names.add(spec.name)
            layers.extend(specs)
            plan.inexact.extend(inexact)
        if not layers:
            plan.inexact.append(Inexact(source.origin, "no rotation could be written", "no schedule file"))
            continue
        out.append(_Written(slug(source.name, slug(source.origin.id or "schedule")), source, layers))
    return out


def _header(command: str, source: SourceSchedule) -> list[str]:
    lines = [f"Imported from {source.origin} by `oncall import {command}`."]
    lines += source.notes
    if sum(1 for r in source.rotations if r.members) > 1:
        lines.append("Layers are in precedence order: where they overlap, the later one wins.")
    return lines


def _used_people(written: Iterable[_Written]) -> list[str]:
    """Person keys in the order the service lists them: rotation members, then overrides."""
    seen: dict[str, None] = {}
    for item in written:
        for rotation in item.source.rotations:
            seen.update(dict.fromkeys(rotation.members))
        seen.update(dict.fromkeys(o.person for o in item.source.overrides))
    return list(seen)


# -- people --------------------------------------------------------------------------------------

def _person_ids(export: Export, used: list[str], old_text: str | None,
                plan: ImportPlan) -> tuple[dict[str, str], list[PersonEntry]]:
    """An id for every person key, reusing people already in people.yaml (same email, or same
    name where either has no email), and the entries to add for the others."""
    existing = _existing_people(old_text)
    by_email = {str(p.get("email")).lower(): pid for pid, p in existing.items() if p.get("email")}
    ids: dict[str, str] = {}
    entries: list[PersonEntry] = []
    taken = set(existing)
    for key in used:
        person = export.people.get(key) or SourcePerson(key, key, Origin(export.service, "user", key))
        if person.email and person.email.lower() in by_email:
            ids[key] = by_email[person.email.lower()]
            plan.notes.append(f"{person.origin} is {ids[key]} in people.yaml (same email)")
            continue
        named = [pid for pid, entry in existing.items() if not person.placeholder and _same_name(entry, person)]
        if len(named) == 1:
            ids[key] = named[0]
            plan.notes.append(f"{person.origin} is {named[0]} in people.yaml (same name)")
            continue
        base = slug(person.name, slug(person.email.split("@")[0] if person.email else key, "person"))
        pid = unique(base, taken)
        if pid != base:
            plan.notes.append(f"{person.origin} would be {base}, which is taken; written as {pid}")
        taken.add(pid)
        ids[key] = pid
        comment = str(person.origin) + (f" (placeholder: {person.placeholder})" if person.placeholder else "")
        entries.append(PersonEntry(pid, person.name, comment, person.email, person.timezone))
    return ids, entries


def _existing_people(text: str | None) -> dict[str, dict[str, Any]]:
    import yaml

    if not text:
        return {}
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return {}  # the loader reports it when the result is loaded
    people = data.get("people") if isinstance(data, dict) else None
    if not isinstance(people, dict):
        return {}
    return {str(pid): (entry if isinstance(entry, dict) else {}) for pid, entry in people.items()}


def _same_name(entry: dict[str, Any], person: SourcePerson) -> bool:
    if entry.get("email") and person.email:
        return False  # both have emails and they differ
    return str(entry.get("name", "")).strip().lower() == person.name.strip().lower()


# -- loading the result --------------------------------------------------------------------------

def _load(root: Path, plan: ImportPlan) -> Org:
    """Load the config root as it would be with the planned files; errors raise, warnings about
    the written schedule files are inexact items (the file says something the loader ignores)."""
    from oncall.config import load
    from oncall.edit.files import copy_config

    ours = {f.display for f in plan.files if f.display != PEOPLE.as_posix()}
    with tempfile.TemporaryDirectory(prefix="oncall-import-") as tmp:
        copy = Path(tmp) / "root"
        copy.mkdir()
        copy_config(root, copy)
        for planned in plan.files:
            target = copy / planned.display
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(planned.text, encoding="utf-8")
        result = load(copy)
    if result.errors or result.org is None:
        raise ConfigErrors(result.errors or [Problem("the imported configuration could not be loaded",
                                                     Location(str(root)))])
    for problem in result.warnings:
        if problem.location is not None and problem.location.file in ours:
            plan.inexact.append(Inexact(Origin(plan.service, "import"), f"{problem.location}: {problem.message}",
                                        "the file as shown; the loader ignores what it warns about"))
    return result.org


def _overlaps(item: _Written, org: Org, plan: ImportPlan) -> None:
    """Rotations the service puts on call together (Opsgenie's, or Grafana's of one level) are
    layers here, where the later one wins: report the first instant each pair overlaps."""
    source = item.source
    schedule = org.schedules[item.id]
    rotations = source.rotations
    if len(rotations) < 2:
        return
    start = min(r.begin for r in rotations if r.members)
    end = max(r.begin for r in rotations if r.members) + _OVERLAP_REACH
    covered: dict[int, list[tuple[int, int]]] = {}
    for spec, layer in zip(item.layers, schedule.layers, strict=True):
        pieces = layer_pieces(org, schedule, layer, start, end, with_time_off=False)
        covered.setdefault(spec.rotation, []).extend((s, e) for s, e, _, _ in pieces)
    tz = zone(source.timezone)
    indexes = sorted(covered)
    for i, low in enumerate(indexes):
        for high in indexes[i + 1:]:
            if source.together == "precedence" or (
                    source.together == "level" and rotations[low].level != rotations[high].level):
                continue
            first = _first_overlap(sorted(covered[low]), sorted(covered[high]))
            if first is None:
                continue
            why = "puts both on call" + (" (same level)" if source.together == "level" else "")
            plan.inexact.append(Inexact(
                rotations[high].origin,
                f"overlaps {rotations[low].origin} from {iso(first[0], tz)} to {iso(first[1], tz)} (the first "
                f"overlap found); {plan.service} {why}",
                f"{slug(rotations[high].name, 'layer')} wins where they overlap (the later layer)"))


def _first_overlap(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> tuple[int, int] | None:
    i = j = 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if lo < hi:
            return lo, hi
        if a[i][1] <= b[j][1]:
            i += 1
        else:
            j += 1
    return None


# -- --check -------------------------------------------------------------------------------------

def _check(written: list[_Written], org: Org, ids: dict[str, str], people: dict[str, SourcePerson],
           plan: ImportPlan) -> None:
    for item in written:
        rendered = item.source.rendered
        if not rendered:
            plan.unchecked.append(item.id)
            continue
        start = min(e.start for e in rendered)
        end = max(e.end for e in rendered)

        def label(key: str) -> str:
            if key in ids:
                return ids[key]
            person = people.get(key)
            return f"{plan.service} user {key}" + (f" ({person.name})" if person and person.name != key else "")

        theirs = [(e.start, e.end, label(e.person)) for e in rendered]
        timeline = schedule_timeline(org, org.schedules[item.id], start, end)
        ours = [(s.start, s.end, s.person) for s in timeline.shifts]
        plan.checks.append(CheckResult(item.id, plan.service, item.source.timezone, start, end, len(rendered),
                                       compare(theirs, ours, start, end)))
    if not plan.checks:
        raise UsageError(f"--check needs what {plan.service} rendered; the export holds none "
                         "(see docs/guides/import.md for the export that includes it)")
