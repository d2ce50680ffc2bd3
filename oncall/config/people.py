"""``schedules/people.yaml`` → ``Person`` objects, and the one rule for referring to a person."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from oncall.config import codes
from oncall.config import format as fmt
from oncall.config.reader import ID, FileReader, read_file, unknown_person
from oncall.errors import Location, Problem
from oncall.ids import slug
from oncall.model import Interval, Person
from oncall.times import zone

FILE_NAME = "people.yaml"


@dataclass
class People:
    """The people read from people.yaml, and which ids were already reported as broken."""

    by_id: dict[str, Person] = field(default_factory=dict)
    # Ids whose entry was reported as broken (None: the whole file), so references to them do
    # not repeat the same mistake as "unknown person" elsewhere.
    broken: set[str] | None = None

    def known(self, f: FileReader, container: object, key: object, pid: str) -> bool:
        """True when ``pid`` is a person id. Person ids are ids everywhere: a name or an email
        is an error that names the person's id."""
        if pid in self.by_id:
            return True
        if self.broken is not None and pid not in self.broken:
            f.error(container, key, unknown_person(pid, self.by_id), codes.UNKNOWN_REFERENCE)
        return False


def load_people(path: Path, name: str, problems: list[Problem]) -> People:
    """Read people.yaml at ``path`` (shown as ``name``)."""
    if not path.exists() and not path.is_symlink():
        problems.append(Problem("missing; create it with a `people:` mapping (see `oncall init`)",
                                Location(name), code=codes.FILE))
        return People()
    f, data = read_file(path, name, problems,
                        "write a `people:` mapping of person ids to names, emails and timezones")
    if data is None:
        return People()
    f.keys(data, "people_file", "people.yaml")
    default_tz = f.timezone(data, "timezone") or "UTC"
    entries = data.get("people")
    if entries is None:
        return People()
    entries = f.mapping(entries, data, "people", "people:")
    if entries is None:
        return People()
    out = People(broken=set())
    assert out.broken is not None
    for pid, entry in entries.items():
        if not ID.match(pid):
            out.broken.add(pid)
            f.error(entries, pid, f"person id {pid!r} may use only a-z, 0-9, '.', '_' and '-'; write e.g. "
                                  f"{slug(pid)!r}")
            continue
        person = _person(f, pid, entry, entries, default_tz)
        if person is not None:
            out.by_id[pid] = person
        else:
            out.broken.add(pid)
    return out


def _person(f: FileReader, pid: str, entry: Any, entries: Any, default_tz: str) -> Person | None:
    if entry is None:
        return Person(id=pid, name=pid, timezone=default_tz, location=f.at(entries, pid))
    m = f.mapping(entry, entries, pid, f"person {pid!r}")
    if m is None:
        return None
    what = f"person {pid!r}"
    f.keys(m, "person", what)
    tz_name = f.timezone(m, "timezone") if "timezone" in m else default_tz
    name = f.text(m, "name", what) or pid
    email = f.text(m, "email", what)
    slack = f.text(m, "slack", what)
    country = f.country(m, "country", what)
    subdivision = None
    if m.get("subdivision") is not None and m.get("country") is None:
        f.error(m, "subdivision", f"subdivision: in {what} needs `country:` too; write the country code, "
                                  "e.g. country: DE with subdivision: BY", codes.MISSING_KEY)
    elif country is not None:
        subdivision = f.country(m, "subdivision", what, of=country)
    time_off: list[Interval] = []
    raw = m.get("time_off")
    if raw is not None:
        seq = f.sequence(raw, m, "time_off", f"time_off of {pid!r}")
        tz = zone(tz_name) if tz_name else None
        for i, item in enumerate(seq or ()):
            block = f.mapping(item, seq, i, f"a time_off entry of {pid!r}")
            if block is None or not f.keys(block, "time_off", f"a time_off entry of {pid!r}"):
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
        slack=slack,
        country=country,
        subdivision=subdivision,
        extra=extra,
        location=f.at(entries, pid),
    )
