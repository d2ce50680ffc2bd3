"""The one reader every config file goes through: line marks, errors and warnings, typed reads.

A ``FileReader`` belongs to one file. Values come from the line-marked YAML of
``oncall.config.marked``; every message is located by a container and a key in it (the key's
line, else the container's) and says what to write instead. Nothing raises: problems are
collected so one run reports them all, each with a stable code (``oncall.config.codes``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, tzinfo
from pathlib import Path
from typing import Any

from oncall.config import codes
from oncall.config import format as fmt
from oncall.config.marked import MarkedMap, MarkedSeq, line_of, read_yaml
from oncall.errors import Location, Problem
from oncall.model import Interval, Person
from oncall.times import Duration, ParsedTime, TimeValueError, parse_duration, parse_time, zone

ID = re.compile(fmt.ID_PATTERN)


class FileReader:
    """Problem reporting and typed reads for one file, shown as ``name`` in messages."""

    def __init__(self, name: str, problems: list[Problem]) -> None:
        self.name = name
        self.problems = problems

    # -- reporting ---------------------------------------------------------------------------

    def at(self, container: object, key: object = None) -> Location:
        """The location of ``key`` in ``container`` (or of the container itself)."""
        return Location(self.name, line_of(container, key))

    def error(self, container: object, key: object, message: str, code: str = codes.BAD_VALUE) -> None:
        self.problems.append(Problem(message, self.at(container, key), "error", code))

    def warn(self, container: object, key: object, message: str, code: str = codes.BAD_VALUE) -> None:
        self.problems.append(Problem(message, self.at(container, key), "warning", code))

    # -- shapes ------------------------------------------------------------------------------

    def mapping(self, value: Any, container: object, key: object, what: str) -> MarkedMap | None:
        if isinstance(value, MarkedMap):
            return value
        self.error(container, key, f"{what} must be a mapping of `key: value` lines, not {describe(value)}")
        return None

    def sequence(self, value: Any, container: object, key: object, what: str) -> MarkedSeq | None:
        if isinstance(value, MarkedSeq):
            return value
        self.error(container, key, f"{what} must be a list (lines starting with `- `), not {describe(value)}")
        return None

    def keys(self, m: MarkedMap, section: str, what: str) -> bool:
        """Warn about keys ``section`` (of ``oncall.config.format``) does not declare, and report
        the required ones that are missing; False when any is missing."""
        spec = fmt.SECTIONS[section]
        if section not in fmt.EXTRAS_ALLOWED:
            for key in m:
                if key not in spec:
                    close = suggest(key, spec)
                    hint = f" (did you mean {close!r}?)" if close else f"; known keys: {', '.join(spec)}"
                    self.warn(m, key, f"unknown key {key!r} in {what}{hint}", codes.UNKNOWN_KEY)
        ok = True
        for key, desc in spec.items():
            if desc.required and m.get(key) is None:
                hint = f" ({desc.help[0].lower()}{desc.help[1:].rstrip('.')})"
                self.error(m, key if key in m else None, f"{what} needs `{key}:`{hint}", codes.MISSING_KEY)
                ok = False
        return ok

    # -- typed reads (None when absent or wrong, with the problem reported) -------------------

    def text(self, m: MarkedMap, key: str, what: str) -> str | None:
        """Text as written; a number is taken as its text (``name: 7``)."""
        value = m.get(key)
        if value is None:
            return None
        if isinstance(value, str):
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        self.error(m, key, f"{key}: in {what} must be text, not {describe(value)}; write it in quotes")
        return None

    def word(self, m: MarkedMap, key: str, what: str, example: str) -> str | None:
        """Text that must not be empty (a host, a keyring entry), stripped."""
        value = self.text(m, key, what)
        if value is not None and not value.strip():
            self.error(m, key, f"{key}: in {what} is empty; write e.g. {example}")
            return None
        return value.strip() if value is not None else None

    def ref(self, value: Any, container: object, key: object, what: str) -> str | None:
        """An id as written: text, or a whole number (``123`` means the id "123")."""
        if isinstance(value, str) and value:
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        self.error(container, key, f"{what} must be an id (text like alice), not {describe(value)}")
        return None

    def refs(self, m: MarkedMap, key: str, what: str) -> list[tuple[str, MarkedSeq | MarkedMap, object]]:
        """A list of ids (one id alone is taken as a list of one), each with where it is written."""
        raw = m.get(key)
        if raw is None:
            return []
        if not isinstance(raw, MarkedSeq):
            one = self.ref(raw, m, key, f"{key}: in {what}")
            return [(one, m, key)] if one is not None else []
        out: list[tuple[str, MarkedSeq | MarkedMap, object]] = []
        for i, item in enumerate(raw):
            value = self.ref(item, raw, i, f"each entry of {key}: in {what}")
            if value is not None:
                out.append((value, raw, i))
        return out

    def names(self, m: MarkedMap, key: str, what: str, example: str) -> tuple[str, ...]:
        """One name or a list of names (channel names, addresses)."""
        raw = m.get(key)
        if raw is None:
            return ()
        items = [raw] if isinstance(raw, str) else raw
        if not isinstance(items, list) or not all(isinstance(i, str) and i.strip() for i in items):
            self.error(m, key, f"{key}: in {what} must be a name or a list of names, e.g. {example}")
            return ()
        return tuple(i.strip() for i in items)

    def timezone(self, m: MarkedMap, key: str) -> str | None:
        """An IANA zone name. A wrong one gets what it probably means as a suggestion (another
        letter case, a Windows name, an abbreviation); a fixed offset or an old alias where a
        place is meant is a ``legacy-zone`` warning (``oncall.config.zones``)."""
        from oncall.config import zones

        value = m.get(key)
        if value is None:
            return None
        try:
            zone(value)
        except TimeValueError as exc:
            hint = zones.unknown_hint(value) if isinstance(value, str) else None
            self.error(m, key, f"{key}: {exc}" + (f" ({hint})" if hint else ""))
            return None
        legacy = zones.legacy_problem(str(value))
        if legacy is not None:
            self.warn(m, key, f"{key}: {legacy}", codes.LEGACY_ZONE)
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

    def durations(self, m: MarkedMap, key: str, units: str = "smhdw") -> tuple[int, ...] | None:
        """One duration or a list, as seconds, largest first and without repeats."""
        raw = m.get(key)
        if raw is None:
            return None
        items, where = (raw, raw) if isinstance(raw, MarkedSeq) else ([raw], None)
        out: set[int] = set()
        for i, item in enumerate(items):
            try:
                out.add(parse_duration(item, units).seconds)
            except TimeValueError as exc:
                self.error(where if where is not None else m, i if where is not None else key, f"{key}: {exc}")
                return None
        return tuple(sorted(out, reverse=True))

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
        return Interval(first, last, self.at(m))

    def integer(self, m: MarkedMap, key: str, what: str, *, minimum: int = 0, maximum: int | None = None,
                example: int = 1) -> int | None:
        value = m.get(key)
        if value is None:
            return None
        top = maximum if maximum is not None else 1_000_000
        if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= top:
            span = f"from {minimum} to {maximum}" if maximum is not None else f"{minimum} or more"
            self.error(m, key, f"{key}: {value!r} in {what} is not a whole number {span}; write e.g. {example}")
            return None
        return value

    def country(self, m: MarkedMap, key: str, what: str, *, of: str | None = None) -> str | None:
        """An ISO 3166 country code with known public holidays (upper case), or with ``of``, a
        subdivision of that country with holidays of its own."""
        value = self.text(m, key, what)
        if value is None:
            return None
        from oncall.holidays import is_known_country, subdivisions  # the holiday seam: only when used

        code = value.strip().upper()
        if of is None and not is_known_country(code):
            self.error(m, key, f"{key}: {value!r} is not a country with known public holidays; write an ISO 3166 "
                               "code such as US, GB or DE")
            return None
        if of is not None and code not in (known := subdivisions(of)):
            close = suggest(code, known)
            hint = f"did you mean {close!r}?" if close else f"write one of: {listing(known, 20)}"
            self.error(m, key, f"{key}: {value!r} is not a subdivision of {of} with its own holidays; {hint}")
            return None
        return code

    def choice(self, m: MarkedMap, key: str, what: str, choices: Iterable[str]) -> str | None:
        value = m.get(key)
        if value is None:
            return None
        options = list(choices)
        if not isinstance(value, str) or value.strip().lower() not in options:
            self.error(m, key, f"{key}: {value!r} in {what} is not one of {', '.join(options)}; write one of them")
            return None
        return value.strip().lower()


def read_file(path: Path, name: str, problems: list[Problem], empty_hint: str) -> tuple[FileReader, MarkedMap | None]:
    """Read one config file whose top is a mapping. Returns its reader and the mapping (None when
    the file is unreadable, empty — reported with ``empty_hint`` — or not a mapping)."""
    f = FileReader(name, problems)
    before = len(problems)
    data = read_yaml(path, name, problems)
    if data is None:
        if len(problems) == before:
            f.error(None, None, f"is empty; {empty_hint}", codes.MISSING_KEY)
        return f, None
    before = len(problems)
    mapping = f.mapping(data, data, None, "the file")
    return f, mapping if len(problems) == before else None


def unknown_person(key: str, people: Mapping[str, Person]) -> str:
    """The message for a person reference that is not a person id. A display name or an email
    of a person is an easy slip: the message names that person's id."""
    folded = key.strip().casefold()
    for person in people.values():
        if folded in (person.name.casefold(), (person.email or "").casefold()):
            return f"unknown person {key!r}; did you mean {person.id!r}? (people are named by their id)"
    close = suggest(key, people)
    if close:
        return f"unknown person {key!r}; did you mean {close!r}?"
    return f"unknown person {key!r}; add them to schedules/people.yaml or write one of: {listing(people)}"


def listing(names: Iterable[str], most: int = 12) -> str:
    """Known names for a message, sorted, at most ``most`` of them."""
    listed = sorted(names)
    if not listed:
        return "(none yet)"
    return ", ".join(listed[:most]) + (", ..." if len(listed) > most else "")


def suggest(key: str, known: Iterable[str]) -> str | None:
    """The known name closest to ``key``, if any is close."""
    import difflib  # only when a message needs it

    close = difflib.get_close_matches(key, list(known), n=1)
    return close[0] if close else None


def describe(value: Any) -> str:
    """A value as a message shows what was written instead of what was expected."""
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
