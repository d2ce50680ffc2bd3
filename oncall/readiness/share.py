"""Readiness results the whole team can see: through git refs, or through a shared folder.

``oncall.yaml``::

    readiness:
      share: git            # or {dir: /mnt/team/oncall-readiness}
      remote: origin        # git only; the default

**Through git.** Each person's results live on their own ref, ``refs/oncall/readiness/<person>``.
A commit's tree holds one file per checklist, ``<checklist>.json``: the latest result of that
checklist (checklists not run this time keep their previous file). The parent is the previous
commit, so history is kept. The commit is made with plumbing (``hash-object``, ``mktree``,
``commit-tree``, ``update-ref``), so no branch, index or working tree is touched, then pushed to
the remote. Each person writes only their own ref, so two people never conflict. A push that
fails leaves the commit on the local ref and is retried by the next share. Other people's results
are fetched to ``refs/oncall/remotes/<remote>/readiness/<person>``; the board reads both.

**Through a folder.** ``<dir>/<person>/<checklist>.json``, written atomically; no history.

A shared result never holds a secret's value: it is built from check results, whose messages the
checks have already masked.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from oncall.deadline import Deadline
from oncall.gitrepo import GIT_TIMEOUT, GitError, git
from oncall.model import Checklist, Person, ReadinessSettings
from oncall.readiness.results import NOT_READY, Attestation, SavedRun, item_key

FORMAT_VERSION = 1
REF_PREFIX = "refs/oncall/readiness/"

Pair = tuple[str, str]  # (person id, checklist id)


# -- the shared result ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SharedItem:
    """One item of a shared result."""

    id: str
    title: str
    status: str
    duration: float  # seconds
    message: str


@dataclass(frozen=True)
class Confirmation:
    """A confirm item the person attested, and when."""

    item: str
    statement: str
    at: int  # epoch seconds


@dataclass(frozen=True)
class SharedResult:
    """One person's latest result for one checklist, as the team sees it."""

    person: str
    checked_at: int  # epoch seconds, when the checks finished
    checklist: str
    checklist_blob: str | None  # git blob id of the checklist file the checks ran against
    items: tuple[SharedItem, ...]
    confirmations: tuple[Confirmation, ...] = ()
    tool_version: str = ""
    host: str = ""

    @property
    def failing(self) -> tuple[str, ...]:
        """Ids of the items that make the person not ready."""
        return tuple(i.id for i in self.items if i.status in NOT_READY)

    def to_json(self) -> bytes:
        data = {
            "version": FORMAT_VERSION,
            "person": self.person,
            "checked_at": _iso(self.checked_at),
            "checklist": self.checklist,
            "checklist_blob": self.checklist_blob,
            "ready": not self.failing,
            "items": [{"id": i.id, "title": i.title, "status": i.status, "duration": round(i.duration, 3),
                       "message": i.message} for i in self.items],
            "confirmations": [{"item": c.item, "statement": c.statement, "at": _iso(c.at)}
                              for c in self.confirmations],
            "tool_version": self.tool_version,
            "host": self.host,
        }
        return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")

    @classmethod
    def from_json(cls, raw: bytes) -> SharedResult:
        """Read a shared result; raises ``ValueError`` when it is not one."""
        try:
            data = json.loads(raw)
            return cls(
                person=str(data["person"]),
                checked_at=_epoch(data["checked_at"]),
                checklist=str(data["checklist"]),
                checklist_blob=str(data["checklist_blob"]) if data.get("checklist_blob") else None,
                items=tuple(SharedItem(str(i["id"]), str(i.get("title") or i["id"]), str(i["status"]),
                                       float(i.get("duration") or 0.0), str(i.get("message") or ""))
                            for i in data.get("items") or ()),
                confirmations=tuple(Confirmation(str(c["item"]), str(c.get("statement") or ""), _epoch(c["at"]))
                                    for c in data.get("confirmations") or ()),
                tool_version=str(data.get("tool_version") or ""),
                host=str(data.get("host") or ""),
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"not a shared readiness result ({exc})") from None


def _iso(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="seconds")


def _epoch(value: object) -> int:
    return int(datetime.fromisoformat(str(value)).timestamp())


def blob_id(data: bytes) -> str:
    """The git blob id of ``data``: what ``git hash-object`` prints for a file holding it."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def checklist_blob(checklist: Checklist) -> str | None:
    """The git blob id of the checklist's file as it is now; None when it cannot be read."""
    if checklist.path is None:
        return None
    try:
        return blob_id(checklist.path.read_bytes())
    except OSError:
        return None


def build(run: SavedRun, checklists: Sequence[Checklist], attestations: Mapping[str, Attestation], *,
          blobs: Mapping[str, str | None], tool_version: str, host: str) -> list[SharedResult]:
    """The shared results of ``run``: one per checklist it ran."""
    out = []
    for checklist in checklists:
        results = [r for r in run.results if r.checklist == checklist.id]
        if not results:
            continue
        confirm_items = [i.id for i in checklist.items if i.kind == "confirm"]
        confirmations = tuple(
            Confirmation(iid, a.statement, a.at) for iid in confirm_items
            if (a := attestations.get(item_key(checklist.id, iid))) is not None
        )
        out.append(SharedResult(
            person=run.person, checked_at=run.finished, checklist=checklist.id,
            checklist_blob=blobs.get(checklist.id), tool_version=tool_version, host=host,
            items=tuple(SharedItem(r.item, r.title, r.status, r.duration, r.message) for r in results),
            confirmations=confirmations,
        ))
    return out


# -- where results go ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Published:
    """The outcome of sharing: ``shared`` is False when the results stayed on this machine."""

    shared: bool
    message: str


class Store(Protocol):
    """Where shared results are written and read."""

    def fetch(self, people: Collection[str] | None = None) -> str | None:
        """Bring other people's latest results here (of ``people`` only, when given); a warning
        when that failed."""

    def publish(self, person: Person, results: Sequence[SharedResult]) -> Published:
        """Share ``person``'s results."""

    def read(self, wanted: Iterable[Pair]) -> dict[Pair, SharedResult]:
        """The latest result of each (person, checklist) in ``wanted`` that has one."""


def store_for(settings: ReadinessSettings, root: Path) -> Store | None:
    """The store ``settings`` name (``readiness:`` in oncall.yaml), or None when results are not shared."""
    if settings.share == "git":
        return GitStore(root, settings.remote)
    if settings.share == "dir" and settings.folder is not None:
        return DirStore(settings.folder)
    return None


class DirStore:
    """``<folder>/<person>/<checklist>.json`` in a folder everyone can write."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def fetch(self, people: Collection[str] | None = None) -> str | None:
        if not self.folder.is_dir():
            return f"the shared readiness folder {self.folder} does not exist (is it mounted?); " \
                   "create it or fix readiness.share.dir in oncall.yaml"
        return None

    def publish(self, person: Person, results: Sequence[SharedResult]) -> Published:
        from oncall.fsutil import write_atomic

        missing = self.fetch()
        if missing:
            return Published(False, missing)
        try:
            for result in results:
                write_atomic(self.folder / person.id / f"{result.checklist}.json", result.to_json(), mode=0o644)
        except OSError as exc:
            return Published(False, f"cannot write to the shared readiness folder {self.folder} "
                                    f"({exc.strerror or exc}); check its permissions")
        return Published(True, f"shared in {self.folder}/{person.id}/")

    def read(self, wanted: Iterable[Pair]) -> dict[Pair, SharedResult]:
        out: dict[Pair, SharedResult] = {}
        for person, checklist in set(wanted):
            try:
                result = SharedResult.from_json((self.folder / person / f"{checklist}.json").read_bytes())
            except (OSError, ValueError):
                continue  # missing or unreadable: that person has no result to show
            if (result.person, result.checklist) == (person, checklist):
                out[(person, checklist)] = result
        return out


class GitStore:
    """Results on ``refs/oncall/readiness/<person>`` in the config root's repository."""

    def __init__(self, root: Path, remote: str) -> None:
        self.root = root
        self.remote = remote
        slug = re.sub(r"[^A-Za-z0-9_-]+", "_", remote).strip("_") or "remote"
        self.tracking = f"refs/oncall/remotes/{slug}/readiness/"

    def fetch(self, people: Collection[str] | None = None) -> str | None:
        """Bring the remote's result refs here (of ``people`` only, when given), in one
        transaction: ``ls-remote`` lists them, a ``fetch`` by object id brings the commits that are
        new, and ``update-ref --stdin`` moves the tracking refs that changed and drops those the
        remote no longer has. Each tracking ref is a file of its own until git packs it, and
        making 2,000 files took this file system seconds, so a command fetches only the people
        it reads (``git fetch`` with a wildcard refspec can only bring them all). The two calls
        that reach the remote share one deadline."""
        deadline = Deadline(GIT_TIMEOUT)
        try:
            listed = git(["ls-remote", "--refs", self.remote, REF_PREFIX + "*"], self.root, check=False,
                         timeout=deadline.remaining())
            if listed.code != 0:
                return self._not_fetched(listed.reason)
            theirs = {name[len(REF_PREFIX):]: oid for oid, _, name in
                      (line.partition("\t") for line in listed.text.splitlines()) if name.startswith(REF_PREFIX)}
            ours = self._refs(self.tracking)
            gone = sorted(set(ours) - set(theirs))
            if people is not None:
                theirs = {person: oid for person, oid in theirs.items() if person in people}
            new = sorted({oid for person, oid in theirs.items() if ours.get(person) != oid})
            if new:
                done = git(["fetch", "--quiet", "--no-tags", "--no-write-fetch-head", "--stdin", self.remote],
                           self.root, stdin="".join(f"{oid}\n" for oid in new).encode(), check=False,
                           timeout=deadline.remaining())
                if done.code != 0:
                    return self._not_fetched(done.reason)
            moves = [f"update {self.tracking}{person} {oid}\n" for person, oid in sorted(theirs.items())
                     if ours.get(person) != oid]
            moves += [f"delete {self.tracking}{person}\n" for person in gone]
            if moves:
                done = git(["update-ref", "--stdin"], self.root, stdin="".join(moves).encode(), check=False)
                if done.code != 0:
                    return self._not_fetched(done.reason)
        except GitError as exc:
            return f"cannot fetch shared readiness results from {self.remote} ({exc.message})"
        return None

    def _not_fetched(self, reason: str) -> str:
        return f"cannot fetch shared readiness results from {self.remote} ({reason}); showing what was fetched before"

    def _refs(self, prefix: str) -> dict[str, str]:
        """The refs under ``prefix`` here, by the rest of their name: their commit ids."""
        listing = git(["for-each-ref", "--format=%(objectname) %(refname)", prefix.rstrip("/")], self.root)
        return {name[len(prefix):]: oid for oid, _, name in (line.partition(" ") for line in listing.text.splitlines())
                if name.startswith(prefix)}

    def publish(self, person: Person, results: Sequence[SharedResult]) -> Published:
        ref = REF_PREFIX + person.id
        try:
            local = self._rev(ref)
            base = local or self._rev(self.tracking + person.id)
            commit = self._commit(base, [base] if base else [], person, results)
            git(["update-ref", "-m", "oncall ready", ref, commit, local or ""], self.root)
        except GitError as exc:
            return Published(False, f"cannot record the result in git ({exc.message}); "
                                    "is the config root a git repository?")
        try:
            failure = self._push(ref, commit)
            if failure and "[rejected]" in failure:
                # Someone (this person on another machine) pushed first: keep both histories.
                git(["fetch", "--quiet", "--no-tags", "--no-write-fetch-head", self.remote,
                     f"+{ref}:{self.tracking}{person.id}"], self.root)
                theirs = self._rev(self.tracking + person.id)
                merged = self._commit(theirs, [p for p in (theirs, commit) if p], person, results)
                git(["update-ref", "-m", "oncall ready", ref, merged, commit], self.root)
                commit = merged
                failure = self._push(ref, commit)
        except GitError as exc:
            failure = exc.message
        if failure:
            return Published(False, f"could not push the result to {self.remote} ({failure}); it is kept on "
                                    f"{ref} and pushed with your next check")
        return Published(True, f"shared on {ref} at {self.remote}")

    def read(self, wanted: Iterable[Pair]) -> dict[Pair, SharedResult]:
        pairs = set(wanted)
        if not pairs:
            return {}
        try:
            listing = git(["for-each-ref", "--format=%(objectname) %(refname)", REF_PREFIX.rstrip("/"),
                           self.tracking.rstrip("/")], self.root)
        except GitError:
            return {}  # not a repository (yet): nothing shared to read
        commits: dict[str, set[str]] = {}  # person -> the commits holding their results
        for line in listing.text.splitlines():
            oid, _, name = line.partition(" ")
            for prefix in (REF_PREFIX, self.tracking):
                if name.startswith(prefix):
                    commits.setdefault(name[len(prefix):], set()).add(oid)
        specs = sorted({(f"{oid}:{checklist}.json", (person, checklist))
                        for person, checklist in pairs for oid in commits.get(person, ())})
        out: dict[Pair, SharedResult] = {}
        for (_spec, key), raw in zip(specs, self._cat([spec for spec, _ in specs]), strict=True):
            if raw is None:
                continue
            try:
                result = SharedResult.from_json(raw)
            except ValueError:
                continue
            if (result.person, result.checklist) == key and (key not in out or out[key].checked_at < result.checked_at):
                out[key] = result
        return out

    # -- plumbing --

    def _rev(self, ref: str) -> str | None:
        done = git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], self.root, check=False)
        return done.text if done.code == 0 and done.text else None

    def _commit(self, base: str | None, parents: Sequence[str], person: Person,
                results: Sequence[SharedResult]) -> str:
        entries: dict[str, str] = {}  # name -> "mode type oid"
        if base:
            for entry in git(["ls-tree", "-z", base], self.root).out.decode().split("\0"):
                if entry:
                    meta, name = entry.split("\t", 1)
                    entries[name] = meta
        for result in results:
            oid = git(["hash-object", "-w", "--stdin"], self.root, stdin=result.to_json()).text
            entries[f"{result.checklist}.json"] = f"100644 blob {oid}"
        tree = git(["mktree", "-z"], self.root,
                   stdin="".join(f"{meta}\t{name}\0" for name, meta in sorted(entries.items())).encode()).text
        when = max(r.checked_at for r in results)
        email = person.email or f"{person.id}@oncall.invalid"
        env = {"GIT_AUTHOR_NAME": person.display, "GIT_AUTHOR_EMAIL": email, "GIT_AUTHOR_DATE": f"@{when} +0000",
               "GIT_COMMITTER_NAME": person.display, "GIT_COMMITTER_EMAIL": email,
               "GIT_COMMITTER_DATE": f"@{when} +0000"}
        args = ["commit-tree", tree, "-m", _subject(person.id, results)]
        for parent in parents:
            args += ["-p", parent]
        return git(args, self.root, env=env).text

    def _cat(self, specs: Sequence[str]) -> list[bytes | None]:
        """The content of each ``commit:path`` in ``specs`` (None where there is no such file), read
        with one ``git cat-file --batch``."""
        if not specs:
            return []
        data = git(["cat-file", "--batch"], self.root, stdin="".join(f"{s}\n" for s in specs).encode()).out
        out: list[bytes | None] = []
        at = 0
        for _ in specs:
            end = data.index(b"\n", at)
            header = data[at:end].split()
            at = end + 1
            if len(header) != 3:  # "<spec> missing"
                out.append(None)
                continue
            size = int(header[2])
            out.append(data[at:at + size] if header[1] == b"blob" else None)
            at += size + 1  # the content is followed by a newline
        return out

    def _push(self, ref: str, commit: str) -> str | None:
        """Push ``ref``; None when it went through, else why not (``[rejected]`` when not a fast-forward)."""
        done = git(["push", "--porcelain", "--no-verify", self.remote, f"{ref}:{ref}"], self.root, check=False)
        if done.code == 0:
            git(["update-ref", self.tracking + ref[len(REF_PREFIX):], commit], self.root)
            return None
        rejected = [line for line in done.text.splitlines() if line.startswith("!")]
        return rejected[0].split("\t")[-1] if rejected else done.reason


def _subject(person: str, results: Sequence[SharedResult]) -> str:
    parts = []
    for r in results:
        failing = r.failing
        parts.append(f"{r.checklist}: not ready ({', '.join(failing)})" if failing else f"{r.checklist}: ready")
    return f"readiness of {person}: " + "; ".join(parts)
