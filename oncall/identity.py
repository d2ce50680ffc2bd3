"""Who this machine acts as: the person whose readiness results it records, shares and confirms.

Found in this order, each matched against people.yaml (a person id, or an email):

1. ``ONCALL_PERSON`` in the environment;
2. ``me:`` in the user's own settings, ``$XDG_CONFIG_HOME/oncall/config.yaml``
   (``oncall config set me ID`` writes it);
3. ``git config user.email``, read in the config root (so a repository's own setting wins).

A source that is set but names nobody is an error rather than a reason to try the next one:
acting as the wrong person is worse than stopping. So is an email several people share.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from oncall.errors import Location, UsageError
from oncall.model import Person
from oncall.xdg import config_dir

ENV_VAR = "ONCALL_PERSON"
USER_KEYS = {"me": "your person id in people.yaml: who this machine records and shares readiness for"}
HOW_TO_SET = f"run `oncall config set me ID` (or set {ENV_VAR}=ID)"


class IdentityError(UsageError):
    """Nobody, or more than one person, matches who this machine says it is."""


@dataclass(frozen=True)
class Identity:
    """The person this machine acts as, and the source that said so."""

    person: Person
    source: str  # "ONCALL_PERSON", "me: in PATH" or "git user.email ADDRESS"


def user_config_path() -> Path:
    """The user's own settings file: ``$XDG_CONFIG_HOME/oncall/config.yaml``."""
    return config_dir() / "config.yaml"


def matches(people: Mapping[str, Person], key: str) -> list[Person]:
    """The people ``key`` names: the person with that id, else everyone with that email."""
    key = key.strip()
    if key in people:
        return [people[key]]
    lowered = key.lower()
    return [p for p in people.values() if p.email and p.email.lower() == lowered]


def identify(people: Mapping[str, Person], *, env: str | None, me: str | None,
             me_location: Location | None, git_email: Callable[[], str | None]) -> Identity:
    """Resolve the identity from the three sources (see the module docstring); pure apart from
    calling ``git_email`` when the first two are unset."""
    if env and env.strip():
        return Identity(_one(people, env, f"{ENV_VAR}={env.strip()}", f"set {ENV_VAR} to your person id "
                             f"or unset it", None), ENV_VAR)
    if me is not None and me.strip():
        where = me_location.file if me_location else str(user_config_path())
        return Identity(_one(people, me, f"me: {me.strip()}", "run `oncall config set me ID` with your id",
                             me_location), f"me: in {where}")
    email = git_email()
    if email:
        found = matches(people, email)
        if len(found) == 1:
            return Identity(found[0], f"git user.email {email}")
        if found:
            raise IdentityError(f"git user.email {email} belongs to several people in people.yaml "
                                f"({', '.join(p.id for p in found)}); {HOW_TO_SET} to say which")
        raise IdentityError(f"cannot tell who you are: {ENV_VAR} is not set, there is no me: in "
                            f"{user_config_path()}, and git user.email {email} matches nobody in people.yaml; "
                            f"{HOW_TO_SET}")
    raise IdentityError(f"cannot tell who you are: {ENV_VAR} is not set, there is no me: in {user_config_path()}, "
                        f"and git has no user.email; {HOW_TO_SET}")


def _one(people: Mapping[str, Person], key: str, said: str, fix: str, location: Location | None) -> Person:
    found = matches(people, key)
    if len(found) == 1:
        return found[0]
    if found:
        raise IdentityError(f"{said} matches several people in people.yaml ({', '.join(p.id for p in found)}); "
                            f"{fix}", location)
    raise IdentityError(f"{said} names nobody in people.yaml; {fix} (known: {known(people)})", location)


def known(people: Mapping[str, Person], limit: int = 10) -> str:
    """Some person ids, for a message: all of them when there are few."""
    ids = sorted(people)
    shown = ", ".join(ids[:limit])
    return shown + (f", ... ({len(ids)} people)" if len(ids) > limit else "") if ids else "nobody yet"


# -- the user's settings file --------------------------------------------------------------------


def read_user_config(path: Path | None = None) -> tuple[dict[str, Any], Callable[[str], Location]]:
    """The user's settings (an empty mapping when the file does not exist) and a function giving
    the location of a key. A malformed file raises ``ConfigErrors`` naming its line."""
    from oncall.config.marked import read_marked
    from oncall.errors import ConfigError

    path = path or user_config_path()
    if not path.exists():
        return {}, lambda key: Location(str(path))
    data, lines = read_marked(path, str(path))
    if data is None:
        return {}, lambda key: Location(str(path))
    if not isinstance(data, dict):
        raise ConfigError("must be a mapping of settings, e.g. `me: alice`", lines.at(data))
    return dict(data), lambda key: lines.at(data, key)


def user_value(key: str, path: Path | None = None) -> tuple[str | None, Location | None]:
    """One setting from the user's settings file, as text, with where it was written."""
    data, where = read_user_config(path)
    value = data.get(key)
    if value is None or isinstance(value, (dict, list, bool)):
        return None, where(key) if key in data else None
    return str(value), where(key)


_PLAIN = re.compile(r"^[a-z][a-z0-9._-]*$")


def set_user_value(key: str, value: str, path: Path | None = None) -> Path:
    """Write ``key: value`` into the user's settings file, keeping its other lines and comments."""
    from oncall.fsutil import write_atomic

    path = path or user_config_path()
    read_user_config(path)  # refuse to rewrite a file that does not parse
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    plain = _PLAIN.match(value) and value not in ("true", "false", "null")
    line = f"{key}: {value if plain else json.dumps(value)}"
    pattern = re.compile(rf"^{re.escape(key)}\s*:.*$", re.MULTILINE)
    if pattern.search(text):
        text = pattern.sub(lambda _: line, text, count=1)
    else:
        text = text + ("" if not text or text.endswith("\n") else "\n") + line + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text)
    return path


def whoami(people: Mapping[str, Person], root: Path, env: str | None) -> Identity:
    """The identity of this machine for the org under ``root``: reads the user's settings file
    and, only when needed, git's ``user.email`` in ``root``."""
    from oncall.gitrepo import config_value

    me, location = (None, None) if env and env.strip() else user_value("me")
    return identify(people, env=env, me=me, me_location=location,
                    git_email=lambda: config_value(root, "user.email"))
