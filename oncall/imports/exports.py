"""Reading a service's JSON export: the file (or stdin), and typed fields named by their JSON path.

Bad input raises ``ConfigError`` naming the file, the line where the JSON parser knows it, and the
path of the field (``schedule_layers[1].start``), with what to write instead.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from oncall.errors import ConfigError, Location, UsageError
from oncall.times import TimeValueError, zone


def read_json(path: str) -> Node:
    """The JSON document in ``path`` (``-`` is stdin) as a ``Node``."""
    if path == "-":
        text, name = sys.stdin.read(), "<stdin>"
    else:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise UsageError(f"{path}: no such file; pass the JSON file the service's API returned") from None
        except IsADirectoryError:
            raise UsageError(f"{path} is a folder; pass the JSON file the service's API returned") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"{path}: cannot read it ({getattr(exc, 'strerror', None) or exc})") from None
        name = path
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"not JSON ({exc.msg}); pass the body of the API's response as it came",
                          Location(name, exc.lineno)) from None
    return Node(data, name, "")


@dataclass(frozen=True)
class Node:
    """A value in a JSON document, with the file and the path that lead to it."""

    value: Any
    file: str
    path: str

    def fail(self, message: str) -> ConfigError:
        where = f"{self.path}: " if self.path else ""
        return ConfigError(where + message, Location(self.file))

    def child(self, key: str | int) -> Node:
        value = self.value[key]
        path = f"{self.path}[{key}]" if isinstance(key, int) else (f"{self.path}.{key}" if self.path else key)
        return Node(value, self.file, path)

    def has(self, key: str) -> bool:
        return isinstance(self.value, dict) and self.value.get(key) is not None

    def get(self, key: str) -> Node | None:
        """The field ``key`` when present and not null."""
        if not isinstance(self.value, dict):
            raise self.fail(f"expected an object, found {_describe(self.value)}")
        return self.child(key) if self.value.get(key) is not None else None

    def req(self, key: str, hint: str = "") -> Node:
        """The field ``key``; missing or null is an error."""
        found = self.get(key)
        if found is None:
            where = f"{self.path}: " if self.path else ""
            raise ConfigError(f"{where}missing `{key}`{'; ' + hint if hint else ''}", Location(self.file))
        return found

    def items(self) -> Iterator[Node]:
        """The entries of a list."""
        if not isinstance(self.value, list):
            raise self.fail(f"expected a list, found {_describe(self.value)}")
        return (self.child(i) for i in range(len(self.value)))

    def text(self) -> str:
        if isinstance(self.value, str):
            return self.value
        if isinstance(self.value, int) and not isinstance(self.value, bool):
            return str(self.value)
        raise self.fail(f"expected text, found {_describe(self.value)}")

    def integer(self) -> int:
        if isinstance(self.value, int) and not isinstance(self.value, bool):
            return self.value
        if isinstance(self.value, str) and self.value.strip().lstrip("-").isdigit():
            return int(self.value)
        raise self.fail(f"expected a whole number, found {_describe(self.value)}")

    def instant(self) -> int:
        """An ISO 8601 datetime with its UTC offset (``Z`` or ``-05:00``), as epoch seconds."""
        moment = self.datetime()
        if moment.tzinfo is None:
            raise self.fail(f"{self.value!r} has no UTC offset; expected e.g. 2026-01-05T09:00:00-05:00")
        return int(moment.timestamp())

    def optional_instant(self, key: str) -> int | None:
        """The instant in field ``key``, or None when it is missing or null."""
        found = self.get(key)
        return found.instant() if found is not None else None

    def zone(self, hint: str = "write one like Europe/London") -> str:
        """An IANA time zone name."""
        name = self.text()
        try:
            zone(name)
        except TimeValueError:
            raise self.fail(f"{name!r} is not an IANA time zone; {hint}") from None
        return name

    def datetime(self) -> datetime:
        """An ISO 8601 datetime, with or without an offset, as written."""
        text = self.text().strip()
        try:
            return datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text)
        except ValueError:
            raise self.fail(f"{text!r} is not an ISO 8601 datetime; expected e.g. 2026-01-05T09:00:00Z") from None


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean)"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return repr(value)
