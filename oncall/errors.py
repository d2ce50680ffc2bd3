"""One exception hierarchy for the whole package.

Every error a user can cause is an ``OncallError``: it carries a message, an optional
location (file and line), optionally which input of the call was wrong (``argument``, in the
core's own words: ``schedule``, ``person``...) and the process exit code. The CLI translates them
in one place, naming the option that carried a wrong ``argument``.
"""

from __future__ import annotations

from dataclasses import dataclass

EXIT_OK = 0
EXIT_NO = 1  # the answer is "no": not ready, strict validation found problems
EXIT_USAGE = 2  # bad input or usage


@dataclass(frozen=True)
class Location:
    """Where a value came from: a file and a 1-based line (0 when unknown)."""

    file: str
    line: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


class OncallError(Exception):
    """Base of every error the CLI reports without a traceback."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str, location: Location | None = None, *, argument: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location
        self.argument = argument

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class ConfigError(OncallError):
    """One problem in a config file (YAML syntax, a bad value, a dangling reference)."""


@dataclass(frozen=True)
class Problem:
    """A located problem found while loading or validating; ``severity`` is error or warning."""

    message: str
    location: Location | None = None
    severity: str = "error"
    code: str | None = None  # a stable name for the kind of finding (``gap``, ``unknown-key``...)

    def __str__(self) -> str:
        prefix = f"{self.location}: " if self.location else ""
        return f"{prefix}{self.message}"


class ConfigErrors(OncallError):
    """Every error found in one run, reported together."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class RootNotFound(OncallError):
    """No config root could be found."""


class UsageError(OncallError):
    """A bad command-line value (a malformed --from, an unknown --schedule)."""


class NotFound(OncallError):
    """A named thing (schedule, person, checklist) does not exist."""


class SecretError(OncallError):
    """The keyring cannot be used. Messages never contain a secret's value."""


class StateError(OncallError):
    """oncall's own state (saved results, sent messages, locks) cannot be read or written."""

    exit_code = EXIT_NO
