"""``schedules/<id>.yaml`` → ``Schedule`` objects: layers, windows, overrides, rotation options."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

from oncall.config import codes, playbooks
from oncall.config import format as fmt
from oncall.config.marked import MarkedMap, MarkedSeq, line_of
from oncall.config.people import People
from oncall.config.reader import ID, FileReader, describe, listing, read_file, suggest
from oncall.errors import Location, Problem
from oncall.ids import slug
from oncall.model import Layer, Override, Schedule, Window
from oncall.times import ParsedTime, TimeValueError, parse_time_of_day, zone

_DAY_ALIASES = {
    "weekdays": (0, 1, 2, 3, 4),
    "weekday": (0, 1, 2, 3, 4),
    "weekend": (5, 6),
    "weekends": (5, 6),
    "all": (0, 1, 2, 3, 4, 5, 6),
    "daily": (0, 1, 2, 3, 4, 5, 6),
}
_DAY_NUMBERS = {name: i for i, name in enumerate(fmt.DAY_NAMES)}
_DAY_NUMBERS.update(
    {full: i for i, full in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))}
)


@dataclass
class Loaded:
    """A schedule as read (None when it has errors) and its ``avoid:`` references with their
    lines, which can only be checked once every schedule is known."""

    schedule: Schedule | None
    avoid: list[tuple[str, Location]] = field(default_factory=list)


def load_schedule(path: Path, name: str, problems: list[Problem], people: People, checklists: Collection[str],
                  root: Path) -> Loaded:
    """Read one schedule file; its id is the file stem."""
    sid = path.stem
    f, data = read_file(path, name, problems, "a schedule needs `timezone:` and `layers:` (see `oncall init`)")
    if data is None:
        return Loaded(None)
    if not ID.match(sid):
        f.warn(None, None, f"schedule id {sid!r} (the file name) is awkward on the command line; "
                           f"rename the file to {slug(sid)}{path.suffix}")
    what = f"schedule {sid!r}"
    f.keys(data, "schedule", what)
    tz_name = f.timezone(data, "timezone")
    tz = zone(tz_name) if tz_name else None
    display = f.text(data, "name", what) or ""
    checklist = None
    if data.get("checklist") is not None:
        checklist = f.ref(data["checklist"], data, "checklist", "checklist:")
        if checklist is not None and checklist not in checklists:
            known = ", ".join(sorted(checklists)) or "none yet"
            f.error(data, "checklist",
                    f"unknown checklist {checklist!r}; create checklists/{checklist}.yaml or write one of: {known}",
                    codes.UNKNOWN_REFERENCE)
    playbook = read_playbook(f, data, "playbook", what, root)
    avoid = [(ref, f.at(where, key)) for ref, where, key in f.refs(data, "avoid", what)]
    layers: list[Layer] = []
    raw_layers = data.get("layers")
    if raw_layers is not None:
        seq = f.sequence(raw_layers, data, "layers", "layers:")
        if seq is not None and not seq:
            f.error(data, "layers", "layers: is empty; add at least one layer with people, start and every")
        names: dict[str, int] = {}
        for i, item in enumerate(seq or ()):
            layer = _layer(f, seq, i, item, tz, people)  # type: ignore[arg-type]
            if layer is None:
                continue
            if layer.name in names:
                f.error(seq, i, f"duplicate layer name {layer.name!r} (first on line {names[layer.name]}); "
                                "give each layer its own name", codes.DUPLICATE)
            names.setdefault(layer.name, line_of(seq, i))
            layers.append(layer)
    overrides: list[Override] = []
    raw_overrides = data.get("overrides")
    if raw_overrides is not None:
        seq = f.sequence(raw_overrides, data, "overrides", "overrides:")
        for i, item in enumerate(seq or ()):
            override = _override(f, seq, i, item, tz, people)  # type: ignore[arg-type]
            if override is not None:
                overrides.append(override)
    if tz_name is None or raw_layers is None:
        return Loaded(None, avoid)
    extra = {k: v for k, v in data.items() if k not in fmt.SCHEDULE}
    lines = {**data.key_lines, **{f"avoid.{ref}": where.line for ref, where in reversed(avoid)}}
    schedule = Schedule(
        id=sid, timezone=tz_name, layers=tuple(layers), name=display, checklist=checklist,
        overrides=tuple(overrides), playbook=playbook, avoid=tuple(dict.fromkeys(ref for ref, _ in avoid)),
        extra=extra, path=path, lines=lines,
    )
    return Loaded(schedule, avoid)


def read_playbook(f: FileReader, m: MarkedMap, key: str, what: str, root: Path) -> str | None:
    """A playbook reference: a URL, or the name of a file under playbooks/ that exists."""
    value = f.text(m, key, what)
    if value is None:
        return None
    wrong = playbooks.problem(root, value)
    if wrong is not None:
        f.error(m, key, f"{key}: {wrong}", codes.UNKNOWN_REFERENCE)
        return None
    return value.strip()


def check_avoid(loaded: Mapping[str, Loaded]) -> list[Problem]:
    """Problems of every schedule's ``avoid:``: unknown schedule ids, and cycles (each reported
    once, at the first schedule of the cycle in id order, e.g. "a -> b -> a")."""
    out: list[Problem] = []
    graph: dict[str, list[str]] = {}
    for sid, entry in sorted(loaded.items()):
        for ref, where in entry.avoid:
            if ref not in loaded:
                close = suggest(ref, loaded)
                hint = f"did you mean {close!r}?" if close else f"write one of: {listing(loaded)}"
                out.append(Problem(f"avoid: unknown schedule {ref!r}; {hint}", where, code=codes.UNKNOWN_REFERENCE))
            elif ref not in graph.setdefault(sid, []):
                graph[sid].append(ref)
    reported: set[frozenset[str]] = set()
    for start in sorted(graph):
        cycle = _cycle_from(start, graph)
        if cycle is None or frozenset(cycle) in reported or min(cycle) != start:
            continue
        reported.add(frozenset(cycle))
        where = next(w for ref, w in loaded[start].avoid if ref == cycle[1 % len(cycle)])
        shown = " -> ".join([*cycle, start])
        out.append(Problem(f"avoid forms a cycle: {shown}; remove one of these avoid: entries", where,
                           code=codes.CYCLE))
    return out


def _cycle_from(start: str, graph: Mapping[str, list[str]]) -> list[str] | None:
    """The shortest path of avoid references from ``start`` back to itself, as the list of
    schedules visited (``start`` first), or None."""
    paths: list[list[str]] = [[start]]
    seen = {start}
    while paths:
        next_paths = []
        for path in paths:
            for ref in graph.get(path[-1], ()):
                if ref == start:
                    return path
                if ref not in seen:
                    seen.add(ref)
                    next_paths.append([*path, ref])
        paths = next_paths
    return None


def _people_refs(f: FileReader, m: MarkedMap, key: str, people: People, what: str) -> tuple[str, ...]:
    seq = f.sequence(m[key], m, key, f"{key}: in {what}")
    if seq is None:
        return ()
    out = []
    for i, raw in enumerate(seq):
        pid = f.ref(raw, seq, i, f"each entry of {key}:")
        if pid is not None and people.known(f, seq, i, pid):
            out.append(pid)
    return tuple(out)


def _layer(f: FileReader, seq: MarkedSeq, i: int, item: Any, schedule_tz: tzinfo | None,
           people: People) -> Layer | None:
    m = f.mapping(item, seq, i, f"layer {i + 1}")
    if m is None:
        return None
    name = f.text(m, "name", f"layer {i + 1}") or f"layer-{i + 1}"
    what = f"layer {name!r}"
    complete = f.keys(m, "layer", what)
    members: tuple[str, ...] = ()
    if m.get("people") is not None:
        members = _people_refs(f, m, "people", people, what)
        if isinstance(m["people"], MarkedSeq) and not m["people"]:
            f.error(m, "people", f"people: in {what} is empty; list who takes turns, e.g. [alice, bob]")
            complete = False
    own_tz = f.timezone(m, "timezone")
    if m.get("timezone") is not None and own_tz is None:
        complete = False
    tz = zone(own_tz) if own_tz else schedule_tz
    start, end = f.time(m, "start"), f.time(m, "end")
    every = f.duration(m, "every", units="hdw")
    windows = _windows(f, m, what) if m.get("only") is not None else ()
    offset = f.integer(m, "offset", what, example=1)
    advance = f.choice(m, "advance", what, fmt.ADVANCE)
    skip = None
    if m.get("skip_holidays") is not None:
        value = m["skip_holidays"]
        if isinstance(value, str) and value.strip().lower() == fmt.HOLIDAYS_OF_PEOPLE:
            skip = fmt.HOLIDAYS_OF_PEOPLE
        else:
            skip = f.country(m, "skip_holidays", what)
            if skip is None:
                complete = False
    if not complete or start is None or every is None or tz is None or not members:
        return None
    start_wall = start.wall_in(tz)
    end_wall = None
    if end is not None:
        end_wall = _end_wall(end, tz)
        if end_wall <= start_wall:
            f.error(m, "end", f"end ({m['end']}) is not after start ({m['start']}) in {what}; "
                              "write a later end or remove it")
            return None
    return Layer(name=name, people=members, start=start_wall, every=every, end=end_wall, only=windows,
                 skip_holidays=skip, timezone=own_tz, offset=offset or 0, advance=advance or "always",
                 location=f.at(seq, i), lines=dict(m.key_lines))


def _end_wall(end: ParsedTime, tz: tzinfo) -> datetime:
    """A layer's end as a wall-clock reading; a date means the end of that day."""
    if end.is_date:
        return end.wall + timedelta(days=1)
    return end.wall_in(tz)


def _windows(f: FileReader, layer: MarkedMap, what: str) -> tuple[Window, ...]:
    seq = f.sequence(layer["only"], layer, "only", f"only: in {what}")
    if seq is None:
        return ()
    if not seq:
        f.error(layer, "only", f"only: in {what} is empty; list windows like "
                               '{days: [mon, tue, wed, thu, fri], from: "09:00", to: "17:00"} or remove it')
    out = []
    for i, item in enumerate(seq):
        m = f.mapping(item, seq, i, f"a window in {what}")
        if m is None or not f.keys(m, "window", f"a window in {what}"):
            continue
        days = _days(f, m) if "days" in m else frozenset(range(7))
        try:
            start = parse_time_of_day(m["from"])
        except TimeValueError as exc:
            f.error(m, "from", f"from: {exc}")
            start = None
        try:
            end = parse_time_of_day(m["to"], allow_24=True)
        except TimeValueError as exc:
            f.error(m, "to", f"to: {exc}")
            end = None
        if days is None or start is None or end is None:
            continue
        out.append(Window(days=days, start=start, end=end, location=f.at(seq, i), lines=dict(m.key_lines)))
    return tuple(out)


def _days(f: FileReader, m: MarkedMap) -> frozenset[int] | None:
    raw = m["days"]
    hint = "write days like [mon, tue, wed, thu, fri], or weekdays / weekend"
    if isinstance(raw, str):
        names: list[Any] = [raw]
    elif isinstance(raw, MarkedSeq):
        names = list(raw)
    else:
        f.error(m, "days", f"days: must be a list of day names, not {describe(raw)}; {hint}")
        return None
    out: set[int] = set()
    for name in names:
        key = name.strip().lower() if isinstance(name, str) else None
        if key in _DAY_ALIASES:
            out.update(_DAY_ALIASES[key])
        elif key in _DAY_NUMBERS:
            out.add(_DAY_NUMBERS[key])
        elif key and "-" in key and all(part in _DAY_NUMBERS for part in key.split("-", 1)):
            first, last = (_DAY_NUMBERS[part] for part in key.split("-", 1))
            out.update((first + k) % 7 for k in range((last - first) % 7 + 1))
        else:
            f.error(m, "days", f"days: {name!r} is not a day; {hint}")
            return None
    if not out:
        f.error(m, "days", f"days: is empty; {hint}, or remove it for every day")
        return None
    return frozenset(out)


def _override(f: FileReader, seq: MarkedSeq, i: int, item: Any, tz: tzinfo | None,
              people: People) -> Override | None:
    what = f"override {i + 1}"
    m = f.mapping(item, seq, i, what)
    if m is None or not f.keys(m, "override", what):
        return None
    pid = f.ref(m["person"], m, "person", "person:")
    if pid is not None and not people.known(f, m, "person", pid):
        pid = None
    replaces = None
    if m.get("replaces") is not None:
        replaces = f.ref(m["replaces"], m, "replaces", "replaces:")
        if replaces is not None and not people.known(f, m, "replaces", replaces):
            replaces = None
    reason = f.text(m, "reason", what)
    interval = f.range(m, tz, what)
    if pid is None or interval is None:
        return None
    return Override(person=pid, start=interval.start, end=interval.end, replaces=replaces, reason=reason,
                    location=f.at(seq, i), lines=dict(m.key_lines))
