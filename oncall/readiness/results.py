"""Check results, and the ones saved per person so ``oncall ready`` can say "last verified 3 days ago".

Saved state lives under the state folder (see ``oncall.readiness.state``)::

    results/<person>.json        the last ``oncall ready --check-access`` run, and when each
                                 item last passed (kept across runs)
    attestations/<person>.json   confirm items: what the person attested and when

Public API (also read by notifications)::

    load_results(person_id) -> SavedRun | None
    save_results(run) -> SavedRun          # merges "last passed" times with the previous run
    load_attestations(person_id) -> dict[str, Attestation]   # keyed "checklist/item"
    record_attestation(person_id, checklist, item, statement, at) -> Attestation

Nothing here ever holds a secret's value: results carry the messages the checks wrote, and
checks never put a value in a message.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from oncall.readiness.state import read_json, state_dir, write_json

PASS = "pass"
FAIL = "fail"
WARN = "warn"
SKIP = "skip"
ERROR = "error"
STATUSES = (PASS, FAIL, WARN, SKIP, ERROR)
NOT_READY = (FAIL, ERROR)  # statuses that make a person not ready

_SAFE = re.compile(r"[^A-Za-z0-9._@-]")


def item_key(checklist: str, item: str) -> str:
    """The key of an item across checklists: ``checklist/item``."""
    return f"{checklist}/{item}"


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one checklist item for one person."""

    checklist: str
    item: str
    title: str
    kind: str
    status: str  # one of STATUSES
    message: str  # what was found; for skip, the reason
    fix: str | None = None
    playbook: str | None = None
    at: int = 0  # epoch seconds when the check ran
    duration: float = 0.0  # seconds
    attempts: int = 1
    last_passed: int | None = None  # epoch seconds of the last pass, from saved runs

    @property
    def key(self) -> str:
        return item_key(self.checklist, self.item)

    def to_dict(self) -> dict[str, Any]:
        # Every field is a plain value: no need for asdict's deep copy (a tenth of the save for 200 results).
        data = {name: getattr(self, name) for name in self.__dataclass_fields__}
        data["duration"] = round(self.duration, 3)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CheckResult:
        names = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in names})


@dataclass(frozen=True)
class SavedRun:
    """One person's last checked run."""

    person: str
    started: int  # epoch seconds
    finished: int
    results: tuple[CheckResult, ...] = ()
    checklists: tuple[str, ...] = ()
    last_passed: dict[str, int] = field(default_factory=dict)  # item key -> epoch seconds

    @property
    def ready(self) -> bool:
        """True when no result is a failure or an error."""
        return not any(r.status in NOT_READY for r in self.results)

    def counts(self) -> dict[str, int]:
        return {s: sum(1 for r in self.results if r.status == s) for s in STATUSES}

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": 1,
            "person": self.person,
            "started": self.started,
            "finished": self.finished,
            "ready": self.ready,
            "checklists": list(self.checklists),
            "results": [r.to_dict() for r in self.results],
            "last_passed": dict(sorted(self.last_passed.items())),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SavedRun:
        return cls(
            person=str(data["person"]),
            started=int(data["started"]),
            finished=int(data["finished"]),
            results=tuple(CheckResult.from_dict(r) for r in data.get("results", [])),
            checklists=tuple(data.get("checklists", [])),
            last_passed={str(k): int(v) for k, v in (data.get("last_passed") or {}).items()},
        )


@dataclass(frozen=True)
class Attestation:
    """A confirm item a person attested: the statement as it read, and when."""

    checklist: str
    item: str
    statement: str
    at: int  # epoch seconds


def _file(kind: str, person_id: str) -> Path:
    return state_dir() / kind / _file_name(person_id)


def _file_name(person_id: str) -> str:
    return f"{_SAFE.sub('_', person_id)}.json"


def with_results(person_ids: Iterable[str]) -> set[str]:
    """Those of ``person_ids`` with a saved ``--check-access`` run on this machine: one listing of
    the folder instead of a file opened per person (a team of thousands asks for every member)."""
    try:
        names = set(os.listdir(state_dir() / "results"))
    except OSError:
        return set()
    return {pid for pid in person_ids if _file_name(pid) in names}


def load_results(person_id: str) -> SavedRun | None:
    """The last saved ``--check-access`` run of ``person_id``, or None if there is none."""
    data = read_json(_file("results", person_id))
    if not isinstance(data, dict):
        return None
    try:
        return SavedRun.from_dict(data)
    except (KeyError, TypeError, ValueError):
        return None  # an unreadable state file is treated as no history, not an error


def save_results(run: SavedRun) -> SavedRun:
    """Save ``run`` for its person, carrying over when each item last passed; returns what was saved."""
    previous = load_results(run.person)
    last_passed = dict(previous.last_passed) if previous else {}
    last_passed.update(run.last_passed)
    for result in run.results:
        if result.status == PASS:
            last_passed[result.key] = max(result.at, last_passed.get(result.key, 0))
    saved = replace(
        run,
        last_passed=last_passed,
        results=tuple(replace(r, last_passed=last_passed.get(r.key)) for r in run.results),
    )
    write_json(_file("results", run.person), saved.to_dict())
    return saved


def load_attestations(person_id: str) -> dict[str, Attestation]:
    """Every attestation ``person_id`` recorded, keyed ``checklist/item``."""
    data = read_json(_file("attestations", person_id))
    out: dict[str, Attestation] = {}
    if not isinstance(data, dict):
        return out
    for key, entry in (data.get("attestations") or {}).items():
        try:
            out[key] = Attestation(str(entry["checklist"]), str(entry["item"]), str(entry["statement"]),
                                   int(entry["at"]))
        except (KeyError, TypeError, ValueError):
            continue
    return out


def record_attestation(person_id: str, checklist: str, item: str, statement: str, at: int) -> Attestation:
    """Record that ``person_id`` attested ``statement`` (a confirm item) at ``at``."""
    attestations = load_attestations(person_id)
    attestation = Attestation(checklist, item, statement, at)
    attestations[item_key(checklist, item)] = attestation
    write_json(
        _file("attestations", person_id),
        {"version": 1, "person": person_id,
         "attestations": {k: asdict(v) for k, v in sorted(attestations.items())}},
    )
    return attestation
