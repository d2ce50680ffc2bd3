"""What every command needs: this run's session (config root, loaded org), "now", the current person."""

from __future__ import annotations

import gc
import os
import time
from datetime import tzinfo
from pathlib import Path
from typing import NamedTuple

import click

from oncall import collector
from oncall.config.cache import load_org_cached
from oncall.config.root import find_root
from oncall.errors import NotFound, UsageError
from oncall.identity import ENV_VAR, Identity, known, matches, whoami
from oncall.model import Org, Person
from oncall.times import machine_zone


class Session:
    """One run of ``oncall``: its global options and what was loaded from them.

    It lives in the click context of that run (``ctx.obj``), so every run starts clean.
    """

    def __init__(self, root_option: Path | None = None) -> None:
        self.root_option = root_option
        self.command: click.Command | None = None  # the command being run, once it asked for its session
        self._org: Org | None = None
        self._frozen = False

    def root(self) -> Path:
        return find_root(self.root_option, os.environ.get("ONCALL_ROOT"), Path.cwd())

    def org(self) -> Org:
        """The org under the config root, loaded once per run; config errors exit 2."""
        if self._org is None:
            # A large org is hundreds of thousands of objects that live until the command ends:
            # the garbage collector would walk them all in each of its full passes, while they
            # are built and after. It is paused while they are built, then told to leave them be
            # (gc.freeze) until the run ends: a quarter of a year's `generate` at 3,000
            # schedules, a sixth of `whois now` (docs/performance.md).
            with collector.paused():
                self._org = load_org_cached(self.root())
            gc.freeze()
            self._frozen = True
            # Given back when the run's click context closes, however the run was started
            # (``app.run`` closes the session too; a second close does nothing).
            ctx = click.get_current_context(silent=True)
            if ctx is not None:
                ctx.find_root().call_on_close(self.close)
        return self._org

    def close(self) -> None:
        """The end of the run: what the org's loading kept from the garbage collector is its
        again (a process that runs ``oncall`` more than once, as the tests do, frees it)."""
        if self._frozen:
            gc.unfreeze()
            self._frozen = False

    def option_for(self, argument: str) -> str | None:
        """How the running command spells the input a core error names (``schedule`` is
        ``--schedule``, a positional argument its metavar), or None when it has no such input."""
        for param in self.command.params if self.command else ():
            if param.name == argument:
                if isinstance(param, click.Option):
                    return max(param.opts, key=len)
                return param.human_readable_name
        return None


def session() -> Session:
    """The session of the run in progress (called from inside a command)."""
    ctx = click.get_current_context()
    current = ctx.ensure_object(Session)
    current.command = ctx.command
    return current


def now() -> int:
    """The current instant in epoch seconds: the only place the CLI reads the clock."""
    return int(time.time())


def local_zone() -> tzinfo:
    """The viewer's timezone, used to read times given without an offset."""
    return machine_zone()


class CurrentPerson(NamedTuple):
    person: Person
    how: str  # which source identified them, e.g. "ONCALL_PERSON", "git user.email"


def current_person(org: Org, explicit: str | None = None) -> CurrentPerson:
    """Resolve who "me" is: ``--person``, else who this machine acts as (``oncall.identity``:
    ``ONCALL_PERSON``, else ``me:`` in the user's settings, else git ``user.email``)."""
    if explicit:
        return CurrentPerson(_person(org, explicit, "--person"), "--person")
    found = identity(org)
    return CurrentPerson(found.person, found.source)


def identity(org: Org) -> Identity:
    """Who this machine acts as; an unknown or ambiguous identity is a usage error saying how to set it."""
    return whoami(org.people, org.root, os.environ.get(ENV_VAR))


def _person(org: Org, key: str, source: str) -> Person:
    found = matches(org.people, key)
    if len(found) == 1:
        return found[0]
    if found:
        raise UsageError(f"{source}: {key!r} is the email of several people ({', '.join(p.id for p in found)}); "
                         "give a person id")
    raise NotFound(f"{source}: no person {key!r} in people.yaml; known: {known(org.people)}")
