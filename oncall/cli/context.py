"""What every command needs: the config root, the loaded org, "now", the current person."""

from __future__ import annotations

import os
import time
from datetime import tzinfo
from pathlib import Path
from typing import NamedTuple

from oncall.errors import NotFound, UsageError
from oncall.model import Org, Person
from oncall.times import TimeValueError, machine_zone, parse_time


class State:
    """The global options of this invocation and what was loaded from them."""

    def __init__(self) -> None:
        self.root_option: Path | None = None
        self._org: Org | None = None

    def reset(self) -> None:
        """Forget the loaded org (each command invocation loads it afresh)."""
        self._org = None

    def root(self) -> Path:
        from oncall.config.root import find_root

        return find_root(self.root_option, os.environ.get("ONCALL_ROOT"), Path.cwd())

    def org(self) -> Org:
        """The org under the config root, loaded once per process; config errors exit 2."""
        if self._org is None:
            from oncall.config.cache import load_org_cached

            self._org = load_org_cached(self.root())
        return self._org


state = State()


def now() -> int:
    """The current instant in epoch seconds: the only place the CLI reads the clock."""
    return int(time.time())


def local_zone() -> tzinfo:
    """The viewer's timezone, used to read times given without an offset."""
    return machine_zone()


def parse_instant(value: str, option: str, *, as_end: bool = False) -> int:
    """Read a command-line time ``T``: an offset datetime, or a local datetime/date in the machine's
    zone. With ``as_end``, a date means the end of that whole day (SPEC §6)."""
    if value.strip().lower() == "now":
        return now()
    try:
        parsed = parse_time(value)
    except TimeValueError as exc:
        raise UsageError(f"{option}: {exc}") from None
    tz = local_zone()
    return parsed.end_instant(tz) if as_end else parsed.instant(tz)


class CurrentPerson(NamedTuple):
    person: Person
    how: str  # which source identified them, e.g. "ONCALL_PERSON", "git user.email"


def current_person(org: Org, explicit: str | None = None) -> CurrentPerson:
    """Resolve who "me" is: ``--person``, else ``ONCALL_PERSON``, else git ``user.email``, else
    the login name, each matched against people.yaml (id or email)."""
    if explicit:
        return CurrentPerson(_person(org, explicit, "--person"), "--person")
    env = os.environ.get("ONCALL_PERSON")
    if env:
        return CurrentPerson(_person(org, env, "ONCALL_PERSON"), "ONCALL_PERSON")
    email = _git_email()
    if email:
        for person in org.people.values():
            if person.email and person.email.lower() == email.lower():
                return CurrentPerson(person, f"git user.email {email}")
    import getpass

    try:
        login = getpass.getuser()
    except (OSError, KeyError):
        login = ""
    if login in org.people:
        return CurrentPerson(org.people[login], f"login name {login}")
    tried = ", ".join(filter(None, [f"git user.email {email!r}" if email else "", f"login name {login!r}"]))
    raise UsageError(
        f"cannot tell who you are ({tried} match nobody in people.yaml); "
        "pass --person ID or set ONCALL_PERSON"
    )


def _person(org: Org, key: str, source: str) -> Person:
    if key in org.people:
        return org.people[key]
    for person in org.people.values():
        if person.email and person.email.lower() == key.lower():
            return person
    raise NotFound(f"{source}: no person {key!r} in people.yaml; known: {', '.join(sorted(org.people))}")


def _git_email() -> str:
    import subprocess

    try:
        result = subprocess.run(
            ["git", "config", "user.email"], capture_output=True, text=True, timeout=2, stdin=subprocess.DEVNULL
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""
