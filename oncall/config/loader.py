"""YAML files under a config root → the model in ``oncall.model``, with every problem collected.

Nothing here raises on bad input: each mistake becomes a ``Problem`` with the file (relative to
the config root), the line and what to write instead, and loading goes on so one run reports
them all. ``load_org`` raises ``ConfigErrors`` at the end when any of them is an error.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

from oncall.config import format as fmt
from oncall.config.marked import MarkedMap, MarkedSeq, line_of, read_yaml
from oncall.errors import ConfigErrors, Location, Problem
from oncall.model import (
    Checklist,
    ChecklistItem,
    Interval,
    Layer,
    Org,
    Override,
    Person,
    Schedule,
    Window,
)
from oncall.times import (
    Duration,
    ParsedTime,
    TimeValueError,
    parse_duration,
    parse_time,
    parse_time_of_day,
    zone,
)

_ID = re.compile(fmt.ID_PATTERN)
_COUNTRY = re.compile(r"^[A-Za-z]{2,3}(?:[-_/][A-Za-z0-9]{1,5})?$")
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
PEOPLE_FILE = "people.yaml"


@dataclass
class LoadResult:
    """The org (None when any error was found) and every problem, errors and warnings."""

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

    ``org`` is None when any problem is an error; warnings (unknown keys) leave it usable.
    """
    return _OrgLoader(root).run()


def load_org(root: Path) -> Org:
    """Load the org under ``root``; raises ``ConfigErrors`` listing every error (warnings are not
    raised — use ``load`` to see them)."""
    result = load(root)
    if result.org is None:
        raise ConfigErrors(result.errors or [Problem("the configuration could not be loaded", Location(str(root)))])
    return result.org


class _File:
    """Problem reporting and typed reads for one file."""

    def __init__(self, problems: list[Problem], name: str) -> None:
        self.problems = problems
        self.name = name

    def loc(self, container: object, key: object = None) -> Location:
        return Location(self.name, line_of(container, key))

    def error(self, container: object, key: object, message: str) -> None:
        self.problems.append(Problem(message, self.loc(container, key)))

    def warn(self, container: object, key: object, message: str) -> None:
        self.problems.append(Problem(message, self.loc(container, key), "warning"))

    def mapping(self, value: Any, container: object, key: object, what: str) -> MarkedMap | None:
        if isinstance(value, MarkedMap):
            return value
        self.error(container, key, f"{what} must be a mapping of `key: value` lines, not {_describe(value)}")
        return None

    def sequence(self, value: Any, container: object, key: object, what: str) -> MarkedSeq | None:
        if isinstance(value, MarkedSeq):
            return value
        self.error(container, key, f"{what} must be a list (lines starting with `- `), not {_describe(value)}")
        return None

    def keys(self, m: MarkedMap, spec: dict[str, fmt.Key], what: str, *, extra_allowed: bool = False) -> bool:
        """Warn about unknown keys and report missing required ones; False if any is missing."""
        ok = True
        if not extra_allowed:
            for key in m:
                if key not in spec:
                    self.warn(m, key, f"unknown key {key!r} in {what}{_suggest(key, spec)}")
        for key, desc in spec.items():
            if desc.required and m.get(key) is None:
                hint = f" ({desc.help[0].lower()}{desc.help[1:].rstrip('.')})"
                self.error(m, key if key in m else None, f"{what} needs `{key}:`{hint}")
                ok = False
        return ok

    def text(self, m: MarkedMap, key: str, what: str) -> str | None:
        value = m.get(key)
        if value is None:
            return None
        if isinstance(value, str):
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        self.error(m, key, f"{key}: in {what} must be text, not {_describe(value)}; write it in quotes")
        return None

    def ref(self, value: Any, container: object, key: object, what: str) -> str | None:
        """An id as written: text, or a whole number (``123`` means the id "123")."""
        if isinstance(value, str) and value:
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        self.error(container, key, f"{what} must be an id (text like alice), not {_describe(value)}")
        return None

    def timezone(self, m: MarkedMap, key: str) -> str | None:
        value = m.get(key)
        if value is None:
            return None
        try:
            zone(value)
        except TimeValueError as exc:
            self.error(m, key, f"{key}: {exc}")
            return None
        return str(value)

    def duration(self, m: MarkedMap, key: str, units: str = "smhdw") -> Duration | None:
        value = m.get(key)
        if value is None:
            return None
        try:
            return parse_duration(value, units)
        except TimeValueError as exc:
            self.error(m, key, f"{key}: {exc}")
            return None

    def time(self, m: MarkedMap, key: str) -> ParsedTime | None:
        value = m.get(key)
        if value is None:
            return None
        try:
            return parse_time(value)
        except TimeValueError as exc:
            self.error(m, key, f"{key}: {exc}")
            return None

    def range(self, m: MarkedMap, tz: tzinfo | None, what: str) -> Interval | None:
        """``from``/``to`` as instants in ``tz``; a date ``to`` includes that whole day."""
        start, end = self.time(m, "from"), self.time(m, "to")
        if start is None or end is None or tz is None:
            return None
        first, last = start.instant(tz), end.end_instant(tz)
        if last <= first:
            self.error(
                m, "to",
                f"`to` ({m['to']}) is not after `from` ({m['from']}) in {what}; "
                "write an end later than the start",
            )
            return None
        return Interval(first, last, self.loc(m))


class _OrgLoader:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []
        # People whose entry was already reported as broken (None: the whole file), so references
        # to them do not repeat the same mistake as "unknown person" elsewhere.
        self.broken_people: set[str] | None = set()

    def missing_person(self, f: _File, container: object, key: object, pid: str,
                       people: dict[str, Person]) -> bool:
        """True when ``pid`` is not a loaded person; reports it unless already reported."""
        if pid in people:
            return False
        if self.broken_people is not None and pid not in self.broken_people:
            f.error(container, key, _unknown_person(pid, people))
        return True

    def display(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def run(self) -> LoadResult:
        schedules_dir = self.root / "schedules"
        if not schedules_dir.is_dir():
            self.problems.append(
                Problem(f"no schedules/ folder in {self.root}; create it (oncall init does) or pass --root",
                        Location("schedules/"))
            )
            return LoadResult(None, self.problems)
        people = self.load_people(schedules_dir / PEOPLE_FILE)
        checklists = self.load_checklists(self.root / "checklists", people)
        schedules: dict[str, Schedule] = {}
        for path in self.yaml_files(schedules_dir, skip={PEOPLE_FILE, "people.yml"}):
            schedule = self.load_schedule(path, people, checklists)
            if schedule is not None:
                schedules[schedule.id] = schedule
        settings = self.load_settings()
        if any(p.severity == "error" for p in self.problems):
            return LoadResult(None, self.problems)
        org = Org(
            root=self.root,
            people=people,
            schedules=dict(sorted(schedules.items())),
            checklists=dict(sorted(checklists.items())),
            settings=settings,
        )
        return LoadResult(org, self.problems)

    def yaml_files(self, folder: Path, skip: Iterable[str] = ()) -> list[Path]:
        """``*.yaml``/``*.yml`` in ``folder``, sorted; two files with one stem is a duplicate id."""
        skipped = set(skip)
        try:
            paths = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.name not in skipped)
        except OSError as exc:
            self.problems.append(Problem(f"cannot list the folder ({exc.strerror}); check its permissions",
                                         Location(self.display(folder) + "/")))
            return []
        seen: dict[str, Path] = {}
        out = []
        for path in paths:
            if path.stem in seen:
                self.problems.append(Problem(
                    f"duplicate id {path.stem!r}: {self.display(seen[path.stem])} has the same name; "
                    "rename or remove one", Location(self.display(path))))
                continue
            seen[path.stem] = path
            out.append(path)
        return out

    def read(self, path: Path, what: str) -> tuple[_File, MarkedMap | None]:
        f = _File(self.problems, self.display(path))
        before = len(self.problems)
        data = read_yaml(path, f.name, self.problems)
        if data is None:
            if len(self.problems) == before:
                f.error(None, None, f"is empty; {what}")
            return f, None
        before = len(self.problems)
        mapping = f.mapping(data, data, None, "the file")
        return f, mapping if len(self.problems) == before else None

    # -- people.yaml ---------------------------------------------------------------------------

    def load_people(self, path: Path) -> dict[str, Person]:
        if not path.exists() and not path.is_symlink():
            self.broken_people = None
            self.problems.append(Problem("missing; create it with a `people:` mapping (see `oncall init`)",
                                         Location(self.display(path))))
            return {}
        f, data = self.read(path, "write a `people:` mapping of person ids to names, emails and timezones")
        self.broken_people = None  # until the people mapping is read
        if data is None:
            return {}
        f.keys(data, fmt.PEOPLE_FILE, "people.yaml")
        default_tz = f.timezone(data, "timezone") or "UTC"
        entries = data.get("people")
        if entries is None:
            return {}
        entries = f.mapping(entries, data, "people", "people:")
        if entries is None:
            return {}
        self.broken_people = set()
        people: dict[str, Person] = {}
        for pid, entry in entries.items():
            if not _ID.match(pid):
                self.broken_people.add(pid)
                f.error(entries, pid,
                        f"person id {pid!r} may use only a-z, 0-9, '.', '_' and '-'; write e.g. "
                        f"{_slug(pid)!r}")
                continue
            person = self.person(f, pid, entry, entries, default_tz)
            if person is not None:
                people[pid] = person
            else:
                self.broken_people.add(pid)
        return people

    def person(self, f: _File, pid: str, entry: Any, entries: MarkedMap, default_tz: str) -> Person | None:
        if entry is None:
            return Person(id=pid, name=pid, timezone=default_tz, location=f.loc(entries, pid))
        m = f.mapping(entry, entries, pid, f"person {pid!r}")
        if m is None:
            return None
        what = f"person {pid!r}"
        f.keys(m, fmt.PERSON, what, extra_allowed=True)
        tz_name = f.timezone(m, "timezone") if "timezone" in m else default_tz
        name = f.text(m, "name", what) or pid
        email = f.text(m, "email", what)
        time_off: list[Interval] = []
        raw = m.get("time_off")
        if raw is not None:
            seq = f.sequence(raw, m, "time_off", f"time_off of {pid!r}")
            tz = zone(tz_name) if tz_name else None
            for i, item in enumerate(seq or ()):
                block = f.mapping(item, seq, i, f"a time_off entry of {pid!r}")
                if block is None or not f.keys(block, fmt.TIME_OFF, f"a time_off entry of {pid!r}"):
                    continue
                interval = f.range(block, tz, f"time_off of {pid!r}")
                if interval is not None:
                    time_off.append(interval)
        extra = {k: v for k, v in m.items() if k not in fmt.PERSON}
        return Person(
            id=pid,
            name=name,
            email=email,
            timezone=tz_name or default_tz,
            time_off=tuple(sorted(time_off, key=lambda iv: (iv.start, iv.end))),
            extra=extra,
            location=f.loc(entries, pid),
        )

    # -- schedules/<id>.yaml -------------------------------------------------------------------

    def load_schedule(self, path: Path, people: dict[str, Person], checklists: dict[str, Checklist]) -> Schedule | None:
        sid = path.stem
        f, data = self.read(path, "a schedule needs `timezone:` and `layers:` (see `oncall init`)")
        if data is None:
            return None
        if not _ID.match(sid):
            f.warn(None, None, f"schedule id {sid!r} (the file name) is awkward on the command line; "
                               f"rename the file to {_slug(sid)}{path.suffix}")
        what = f"schedule {sid!r}"
        f.keys(data, fmt.SCHEDULE, what)
        tz_name = f.timezone(data, "timezone")
        tz = zone(tz_name) if tz_name else None
        name = f.text(data, "name", what) or ""
        checklist = None
        if data.get("checklist") is not None:
            checklist = f.ref(data["checklist"], data, "checklist", "checklist:")
            if checklist is not None and checklist not in checklists:
                known = ", ".join(sorted(checklists)) or "none yet"
                f.error(data, "checklist",
                        f"unknown checklist {checklist!r}; create checklists/{checklist}.yaml or write one of: {known}")
        layers: list[Layer] = []
        raw_layers = data.get("layers")
        if raw_layers is not None:
            seq = f.sequence(raw_layers, data, "layers", "layers:")
            if seq is not None and not seq:
                f.error(data, "layers", "layers: is empty; add at least one layer with people, start and every")
            names: dict[str, int] = {}
            for i, item in enumerate(seq or ()):
                layer = self.layer(f, seq, i, item, tz, people)  # type: ignore[arg-type]
                if layer is None:
                    continue
                if layer.name in names:
                    f.error(seq, i, f"duplicate layer name {layer.name!r} (first on line {names[layer.name]}); "
                                    "give each layer its own name")
                names.setdefault(layer.name, line_of(seq, i))
                layers.append(layer)
        overrides: list[Override] = []
        raw_overrides = data.get("overrides")
        if raw_overrides is not None:
            seq = f.sequence(raw_overrides, data, "overrides", "overrides:")
            for i, item in enumerate(seq or ()):
                override = self.override(f, seq, i, item, tz, people)  # type: ignore[arg-type]
                if override is not None:
                    overrides.append(override)
        if tz_name is None or raw_layers is None:
            return None
        extra = {k: v for k, v in data.items() if k not in ("name", "timezone", "checklist", "layers", "overrides")}
        return Schedule(
            id=sid, timezone=tz_name, layers=tuple(layers), name=name, checklist=checklist,
            overrides=tuple(overrides), extra=extra, path=path,
        )

    def people_refs(self, f: _File, value: Any, container: MarkedMap, key: str, people: dict[str, Person],
                    what: str) -> tuple[str, ...]:
        seq = f.sequence(value, container, key, f"{key}: in {what}")
        if seq is None:
            return ()
        out = []
        for i, raw in enumerate(seq):
            pid = f.ref(raw, seq, i, f"each entry of {key}:")
            if pid is not None and not self.missing_person(f, seq, i, pid, people):
                out.append(pid)
        return tuple(out)

    def layer(self, f: _File, seq: MarkedSeq, i: int, item: Any, tz: tzinfo | None,
              people: dict[str, Person]) -> Layer | None:
        m = f.mapping(item, seq, i, f"layer {i + 1}")
        if m is None:
            return None
        name = f.text(m, "name", f"layer {i + 1}") or f"layer-{i + 1}"
        what = f"layer {name!r}"
        complete = f.keys(m, fmt.LAYER, what)
        members: tuple[str, ...] = ()
        if m.get("people") is not None:
            members = self.people_refs(f, m["people"], m, "people", people, what)
            if isinstance(m["people"], MarkedSeq) and not m["people"]:
                f.error(m, "people", f"people: in {what} is empty; list who takes turns, e.g. [alice, bob]")
                complete = False
        start, end = f.time(m, "start"), f.time(m, "end")
        every = f.duration(m, "every", units="hdw")
        windows = self.windows(f, m, what) if m.get("only") is not None else ()
        skip = None
        if m.get("skip_holidays") is not None:
            skip = f.text(m, "skip_holidays", what)
            if skip is not None and not _COUNTRY.match(skip):
                f.error(m, "skip_holidays",
                        f"skip_holidays: {skip!r} is not a country code; write an ISO code like US, GB or DE")
                skip = None
            elif skip is not None:
                skip = skip.upper()
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
                     skip_holidays=skip, location=f.loc(seq, i))

    def windows(self, f: _File, layer: MarkedMap, what: str) -> tuple[Window, ...]:
        seq = f.sequence(layer["only"], layer, "only", f"only: in {what}")
        if seq is None:
            return ()
        if not seq:
            f.error(layer, "only", f"only: in {what} is empty; list windows like "
                                   '{days: [mon, tue, wed, thu, fri], from: "09:00", to: "17:00"} or remove it')
        out = []
        for i, item in enumerate(seq):
            m = f.mapping(item, seq, i, f"a window in {what}")
            if m is None or not f.keys(m, fmt.WINDOW, f"a window in {what}"):
                continue
            days = self.days(f, m) if "days" in m else frozenset(range(7))
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
            out.append(Window(days=days, start=start, end=end, location=f.loc(seq, i)))
        return tuple(out)

    def days(self, f: _File, m: MarkedMap) -> frozenset[int] | None:
        raw = m["days"]
        hint = "write days like [mon, tue, wed, thu, fri], or weekdays / weekend"
        if isinstance(raw, str):
            names: list[Any] = [raw]
        elif isinstance(raw, MarkedSeq):
            names = list(raw)
        else:
            f.error(m, "days", f"days: must be a list of day names, not {_describe(raw)}; {hint}")
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

    def override(self, f: _File, seq: MarkedSeq, i: int, item: Any, tz: tzinfo | None,
                 people: dict[str, Person]) -> Override | None:
        what = f"override {i + 1}"
        m = f.mapping(item, seq, i, what)
        if m is None or not f.keys(m, fmt.OVERRIDE, what):
            return None
        pid = f.ref(m["person"], m, "person", "person:")
        if pid is not None and self.missing_person(f, m, "person", pid, people):
            pid = None
        replaces = None
        if m.get("replaces") is not None:
            replaces = f.ref(m["replaces"], m, "replaces", "replaces:")
            if replaces is not None and self.missing_person(f, m, "replaces", replaces, people):
                replaces = None
        reason = f.text(m, "reason", what)
        interval = f.range(m, tz, what)
        if pid is None or interval is None:
            return None
        return Override(person=pid, start=interval.start, end=interval.end, replaces=replaces, reason=reason,
                        location=f.loc(seq, i))

    # -- checklists/<id>.yaml ------------------------------------------------------------------

    def load_checklists(self, folder: Path, people: dict[str, Person]) -> dict[str, Checklist]:
        if not folder.exists():
            return {}
        if not folder.is_dir():
            self.problems.append(Problem("is a file; checklists/ must be a folder of <id>.yaml files",
                                         Location("checklists")))
            return {}
        out = {}
        for path in self.yaml_files(folder):
            checklist = self.load_checklist(path, people)
            if checklist is not None:
                out[checklist.id] = checklist
        return out

    def load_checklist(self, path: Path, people: dict[str, Person]) -> Checklist | None:
        cid = path.stem
        f, data = self.read(path, "a checklist needs `items:` (see `oncall init`)")
        if data is None:
            return None
        what = f"checklist {cid!r}"
        f.keys(data, fmt.CHECKLIST, what)
        name = f.text(data, "name", what) or cid
        owner = None
        if data.get("owner") is not None:
            owner = f.ref(data["owner"], data, "owner", "owner:")
            if owner is not None:
                self.missing_person(f, data, "owner", owner, people)
        reviewed = None
        if data.get("reviewed") is not None:
            parsed = f.time(data, "reviewed")
            if parsed is not None and not parsed.is_date:
                f.error(data, "reviewed", f"reviewed: {data['reviewed']!r} is not a date; write YYYY-MM-DD")
            elif parsed is not None:
                reviewed = parsed.wall.date()
        review_every = f.duration(data, "review_every")
        items: list[ChecklistItem] = []
        raw = data.get("items")
        seq = f.sequence(raw, data, "items", "items:") if raw is not None else None
        if seq is not None:
            if not seq:
                f.error(data, "items", "items: is empty; add at least one item with an id and a check")
            ids: dict[str, int] = {}
            for i, entry in enumerate(seq):
                item = self.item(f, seq, i, entry)
                if item is None:
                    continue
                if item.id in ids:
                    f.error(seq, i, f"duplicate item id {item.id!r} (first on line {ids[item.id]}); "
                                    "give each item its own id")
                    continue
                ids[item.id] = line_of(seq, i)
                items.append(item)
            for item in items:
                for need in item.needs:
                    if need == item.id:
                        message = f"item {item.id!r} needs itself; remove it from needs:"
                    elif need not in ids:
                        message = f"item {item.id!r} needs unknown item {need!r}; write one of: {', '.join(ids)}"
                    else:
                        continue
                    self.problems.append(Problem(message, item.location))
        if seq is None or raw is None:
            return None
        return Checklist(id=cid, name=name, items=tuple(items), owner=owner, reviewed=reviewed,
                         review_every=review_every, path=path)

    def item(self, f: _File, seq: MarkedSeq, i: int, entry: Any) -> ChecklistItem | None:
        m = f.mapping(entry, seq, i, f"item {i + 1}")
        if m is None:
            return None
        iid = f.ref(m["id"], m, "id", "id:") if m.get("id") is not None else None
        what = f"item {iid or i + 1!r}"
        if not f.keys(m, fmt.ITEM, what) or iid is None:
            return None
        title = f.text(m, "title", what) or iid
        kind, check = self.check(f, m, what)
        # The timeout may sit inside check: (next to what it limits) or on the item.
        raw_check = m.get("check")
        timeout_at = raw_check if isinstance(raw_check, MarkedMap) and "timeout" in raw_check else m
        timeout = f.duration(timeout_at, "timeout")
        retries = 0
        if m.get("retries") is not None:
            raw = m["retries"]
            if isinstance(raw, int) and not isinstance(raw, bool) and raw >= 0:
                retries = raw
            else:
                f.error(m, "retries", f"retries: {raw!r} is not a whole number; write 0, 1, 2 ...")
        needs: tuple[str, ...] = ()
        if m.get("needs") is not None:
            raw_needs = m["needs"]
            if isinstance(raw_needs, str):
                raw_needs = [raw_needs]
            if isinstance(raw_needs, list):
                needs = tuple(n for n in (f.ref(v, m, "needs", "each entry of needs:") for v in raw_needs) if n)
            else:
                f.error(m, "needs", f"needs: must be a list of item ids, not {_describe(raw_needs)}")
        when: dict[str, Any] = {}
        if m.get("when") is not None:
            when_map = f.mapping(m["when"], m, "when", "when:")
            when = dict(when_map) if when_map is not None else {}
        valid_for = f.duration(m, "valid_for")
        if kind is None:
            return None
        if m.get("severity") is not None:
            # The model has no severity field; the readiness runner reads it from the check.
            severity = f.text(m, "severity", what)
            if severity not in ("block", "warn", "warning"):
                f.error(m, "severity", f"severity: {m['severity']!r} is not block or warn; write one of them")
            else:
                check = {**check, "severity": severity}
        return ChecklistItem(
            id=iid, title=title, kind=kind, check=check,
            fix=f.text(m, "fix", what), timeout=float(timeout.seconds) if timeout else 10.0,
            retries=retries, needs=needs, when=when, playbook=f.text(m, "playbook", what),
            valid_for=valid_for, location=f.loc(seq, i),
        )

    def check(self, f: _File, m: MarkedMap, what: str) -> tuple[str | None, dict[str, Any]]:
        kinds = ", ".join(f"{k}:" for k in fmt.CHECK_KINDS)
        has_check, has_confirm = m.get("check") is not None, m.get("confirm") is not None
        if has_check and has_confirm:
            f.error(m, "confirm", f"{what} has both check: and confirm:; keep one (split it into two items)")
            return None, {}
        if has_confirm:
            text = f.text(m, "confirm", what)
            return ("confirm", {"confirm": text}) if text else (None, {})
        if not has_check:
            f.error(m, None, f"{what} needs `check:` (with one of {kinds}) or `confirm: <statement>`")
            return None, {}
        check = f.mapping(m["check"], m, "check", f"check: in {what}")
        if check is None:
            return None, {}
        if "confirm" in check:
            return "confirm", dict(check)
        for kind in fmt.CHECK_KINDS:
            if kind in check:
                if check[kind] is None:
                    f.error(check, kind, f"{kind}: in {what} has no value; write what to check")
                    return None, {}
                return kind, dict(check)
        f.error(m, "check", f"check: in {what} names no check kind; write one of {kinds}")
        return None, {}

    # -- oncall.yaml ---------------------------------------------------------------------------

    def load_settings(self) -> dict[str, Any]:
        path = self.root / "oncall.yaml"
        if not path.exists() and not path.is_dir():
            return {}
        f = _File(self.problems, "oncall.yaml")
        data = read_yaml(path, f.name, self.problems)
        if data is None:
            return {}
        settings = f.mapping(data, data, None, "oncall.yaml")
        return settings if settings is not None else {}


def _end_wall(end: ParsedTime, tz: tzinfo) -> datetime:
    """A layer's end as a wall-clock reading; a date means the end of that day."""
    if end.is_date:
        return end.wall + timedelta(days=1)
    return end.wall_in(tz)


def _unknown_person(pid: str, people: dict[str, Person]) -> str:
    return f"unknown person {pid!r}; add them to schedules/people.yaml or write one of: " + _known(pid, people)


def _known(key: str, names: Iterable[str]) -> str:
    listed = sorted(names)
    if not listed:
        return "(nobody yet)"
    suggestion = _suggest(key, listed)
    shown = ", ".join(listed[:12]) + (", ..." if len(listed) > 12 else "")
    return shown + suggestion


def _suggest(key: str, known: Iterable[str]) -> str:
    import difflib  # only when a message needs it

    close = difflib.get_close_matches(key, list(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9._-]+", "-", text.lower()).strip("-") or "id"


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, date):
        return f"the date {value}"
    return repr(value)
