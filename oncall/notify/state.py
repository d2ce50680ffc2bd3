"""What ``oncall notify run`` has sent, kept under the state directory.

One JSON file per config root: the end of the last completed window (``last_run``), the
idempotency key of every message sent, and what each Slack user group and topic was last set to
(``slack``). Beside it, ``<name>.watched.json`` keeps each person's upcoming shifts as the last run
saw them (for change notices), written once at the end of a run. During a run, each message is
recorded in a journal (below), so recording one costs the same however large the log is.

Recording a message (or a setting) is split around its send, in an append-only journal beside
the state file (``<name>.journal``, one line per record): before sending, the record is appended
as *pending* (``- {json}``) and fsync'd (``prepare``); once the channel accepted it, the line's
first byte is overwritten with ``+`` and fsync'd (``commit``), which needs no free space. So a full
or read-only disk stops the run before a send, never after one, and no message goes out twice
because its record could not be written. Each record costs one short append, whatever the size of
the log; the end of the run folds the journal into the state file (an atomic replace) and removes
it. Reading the log replays the committed lines of a journal over the state file: pending lines
(a send that failed or was cut short) and a torn last line (a kill during the append) count for
nothing. A run that is killed keeps every key it committed and moves neither ``last_run`` nor
``watched``, so the next run looks at the same window and the same changes again, skips what went
out and sends what did not; a kill *during* a send (the whole request, until the server answers)
can repeat that one message.

A lock file stops two runs (an overlapping cron) from sending the same message twice. It holds
the pid of the run and the latest moment that run can end (every run has a deadline), so a later
run can say whom it waits for.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from oncall.errors import StateError
from oncall.fsutil import sync_folder, write_atomic
from oncall.notify.changes import Watched
from oncall.xdg import private_state_dir, state_dir, state_error

VERSION = 1
FORGET_AFTER = 7 * 86400  # keep keys this long past their shift, well beyond any catch-up window

__all__ = ["FORGET_AFTER", "SentLog", "StateError", "default_state_dir", "locked", "state_file"]


def default_state_dir() -> Path:
    """``$XDG_STATE_HOME/oncall/notify``, else ``~/.local/state/oncall/notify``."""
    return state_dir() / "notify"


def state_file(state_dir: Path, root: Path) -> Path:
    """The file for one config root: its folder name plus a short hash of its full path."""
    resolved = str(root.resolve())
    digest = hashlib.sha256(resolved.encode()).hexdigest()[:10]
    name = "".join(c if c.isalnum() or c in "._-" else "_" for c in root.resolve().name) or "root"
    return state_dir / f"{name}-{digest}.json"


PENDING, DONE = b"-", b"+"  # the first byte of a journal line


@dataclass
class PendingRecord:
    """A message's key (or a setting), on disk in the journal but pending: ``commit`` once the
    message went out."""

    log: SentLog
    offset: int  # of its line in the journal
    apply: Callable[[], None]  # the same change to the log in memory

    def commit(self) -> None:
        """Mark the line done: one byte overwritten in place (no free space needed) and fsync'd."""
        try:
            fd = self.log.journal_fd()
            os.pwrite(fd, DONE, self.offset)
            os.fsync(fd)
        except OSError as exc:
            raise state_error("record a sent message in", journal_file(self.log.path), exc) from None
        self.apply()

    def discard(self) -> None:
        """Leave the line pending: reading the journal skips it."""


@dataclass
class SentLog:
    path: Path
    last_run: int | None = None
    sent: dict[str, dict[str, int]] = field(default_factory=dict)
    slack: dict[str, str] = field(default_factory=dict)  # "usergroup:S0…" / "topic:C0…" -> what was set
    watched: Watched | None = None
    _journal: int | None = field(default=None, repr=False)  # its fd, open for appending, once used

    @classmethod
    def load(cls, path: Path) -> SentLog:
        """Read the log; a missing file is an empty log (a first run)."""
        try:
            raw = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            log = cls(path)
            log._replay()  # a first run that was killed
            return log
        except OSError as exc:
            raise state_error("read the notify state", path, exc) from None
        try:
            data = json.loads(raw)
            last_run = data["last_run"]
            sent = {str(k): {"at": int(v["at"]), "keep_until": int(v["keep_until"])} for k, v in data["sent"].items()}
            if last_run is not None:
                last_run = int(last_run)
            slack = {str(k): str(v) for k, v in data.get("slack", {}).items()}
        except (ValueError, KeyError, TypeError, AttributeError):
            raise StateError(
                f"the notify state {path} is damaged; move it away to start afresh "
                "(a fresh start looks back only `notify.lookback`)"
            ) from None
        log = cls(path, last_run, sent, slack, _load_watched(watched_file(path)))
        log._replay()
        return log

    def _replay(self) -> None:
        """Apply the journal's committed records, in order (a missing journal: none)."""
        path = journal_file(self.path)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return
        except OSError as exc:
            raise state_error("read the notify state", path, exc) from None
        for line in raw.split(b"\n")[:-1]:  # the part after the last newline is a torn append
            if not line.startswith(DONE + b" "):
                continue
            try:
                record = json.loads(line[2:])
                if "sent" in record:
                    self.sent[str(record["sent"])] = {"at": int(record["at"]), "keep_until": int(record["keep_until"])}
                else:
                    self.slack[str(record["slack"])] = str(record["value"])
            except (ValueError, KeyError, TypeError, AttributeError):
                raise StateError(f"the notify state {path} is damaged; move it away (messages it records as "
                                 "sent since the last complete run may then be sent again)") from None

    def was_sent(self, key: str) -> bool:
        return key in self.sent

    def prepare(self, key: str, at: int, keep_until: int) -> PendingRecord:
        """Append ``key`` to the journal, pending until ``commit``; ``StateError`` if it cannot be."""
        entry = {"at": at, "keep_until": keep_until}
        return self._prepare({"sent": key, **entry}, lambda: self.sent.__setitem__(key, entry))

    def prepare_setting(self, name: str, value: str) -> PendingRecord:
        """Append Slack setting ``name`` = ``value`` to the journal, pending until ``commit``."""
        return self._prepare({"slack": name, "value": value}, lambda: self.slack.__setitem__(name, value))

    def _prepare(self, record: dict[str, Any], apply: Callable[[], None]) -> PendingRecord:
        line = PENDING + b" " + json.dumps(record, sort_keys=True).encode() + b"\n"
        path = journal_file(self.path)
        try:
            fd = self.journal_fd()
            offset = os.lseek(fd, 0, os.SEEK_END)
            try:
                written = os.write(fd, line)
                if written != len(line):
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                os.fsync(fd)
            except OSError:
                with contextlib.suppress(OSError):
                    os.ftruncate(fd, offset)  # no torn line for the next record to follow
                raise
        except OSError as exc:
            raise state_error("write the notify state", path, exc) from None
        return PendingRecord(self, offset, apply)

    def journal_fd(self) -> int:
        """The journal, open for appending (created private; a torn last line cut off first)."""
        if self._journal is None:
            private_state_dir(self.path.parent)
            path = journal_file(self.path)
            existed = path.exists()
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                size = os.fstat(fd).st_size
                if size:
                    tail = os.pread(fd, min(size, 65536), max(0, size - 65536))
                    if not tail.endswith(b"\n"):
                        os.ftruncate(fd, size - len(tail) + tail.rfind(b"\n") + 1)
            except OSError:
                os.close(fd)
                raise
            if not existed:
                sync_folder(path.parent)  # the journal itself survives a crash, not only its lines
            self._journal = fd
        return self._journal

    def close(self) -> None:
        """Close the journal (if this run used it)."""
        if self._journal is not None:
            fd, self._journal = self._journal, None
            with contextlib.suppress(OSError):
                os.close(fd)

    def finish(self, last_run: int, now: int, watched: Watched | None = None) -> None:
        """Keep ``watched`` as what this run saw, close the window at ``last_run``, and forget keys
        no window can reach again. (Killed between the two writes, the next run compares with
        what this one saw, and finds in the log every notice this one sent.)"""
        if watched is not None:
            path = watched_file(self.path)
            try:
                write_atomic(path, json.dumps(watched.to_json(), indent=1) + "\n", mode=0o600)
            except OSError as exc:
                raise state_error("write the notify state", path, exc) from None
            self.watched = watched
        self.last_run = last_run if self.last_run is None else max(self.last_run, last_run)
        self.sent = {k: v for k, v in self.sent.items() if v["keep_until"] + FORGET_AFTER >= now}
        self.save()

    def save(self) -> None:
        """Write the whole log to the state file, then remove the journal it now holds."""
        try:
            private_state_dir(self.path.parent)
            write_atomic(self.path, self._text(self.sent, self.slack), mode=0o600)
        except OSError as exc:
            raise state_error("write the notify state", self.path, exc) from None
        self.close()
        path = journal_file(self.path)
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            raise state_error("write the notify state", path, exc) from None

    def _text(self, sent: dict[str, dict[str, int]], slack: dict[str, str]) -> str:
        data: dict[str, Any] = {"version": VERSION, "last_run": self.last_run, "sent": dict(sorted(sent.items())),
                                "slack": dict(sorted(slack.items()))}
        return json.dumps(data, indent=1) + "\n"


def journal_file(path: Path) -> Path:
    """The records of the current (or a killed) run, beside the state file ``path``."""
    return path.with_name(f"{path.stem}.journal")


def watched_file(path: Path) -> Path:
    """Where the upcoming shifts the last run saw are kept, beside the state file ``path``."""
    return path.with_name(f"{path.stem}.watched.json")


def _load_watched(path: Path) -> Watched | None:
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None  # a first run, or a state from before change notices: this run records
    except OSError as exc:
        raise state_error("read the notify state", path, exc) from None
    try:
        return Watched.from_json(json.loads(raw))
    except (ValueError, KeyError, TypeError, AttributeError):
        raise StateError(f"the notify state {path} is damaged; move it away (the next run then records each "
                         "person's shifts afresh, without change notices)") from None


@contextlib.contextmanager
def locked(path: Path, until: float | None = None) -> Iterator[None]:
    """Hold an exclusive lock beside ``path`` for one run; fail at once if another run holds it.

    ``until`` (epoch seconds, for the message of a run that finds the lock taken) is the latest
    moment this run can end. The lock is the kernel's (flock): it goes when the process does.
    """
    import fcntl

    lock_path = path.with_suffix(".lock")
    with contextlib.ExitStack() as stack:
        try:
            private_state_dir(path.parent)
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
            stack.callback(os.close, fd)
            if os.fstat(fd).st_mode & 0o077:
                os.fchmod(fd, 0o600)  # a lock file from an older version
        except OSError as exc:
            raise state_error("lock the notify state", lock_path, exc) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            raise StateError(f"another `oncall notify run` is running{holder} (lock {lock_path}); try again later") from None
        stack.callback(fcntl.flock, fd, fcntl.LOCK_UN)
        _write_holder(fd, until)
        _drop_unsent_records(path)
        yield


def _drop_unsent_records(path: Path) -> None:
    """Remove the temporary files of a state or watched-shifts write a killed run left unfinished
    at its end (what it sent is in the journal, which the next run reads)."""
    leftovers = [*path.parent.glob(f".{path.name}.*.tmp"), *path.parent.glob(f".{watched_file(path).name}.*.tmp")]
    for leftover in leftovers:
        try:
            leftover.unlink()
        except OSError:
            pass


def _holder(fd: int) -> str:
    try:
        data = json.loads(os.pread(fd, 200, 0) or b"{}")
        pid, until = int(data["pid"]), data.get("until")
    except (OSError, ValueError, KeyError, TypeError):
        return ""
    if until is None:
        return f" (pid {pid})"
    import datetime as dt

    end = dt.datetime.fromtimestamp(float(until)).astimezone()
    return f" (pid {pid}; it stops by {end:%H:%M:%S %Z} at the latest)"


def _write_holder(fd: int, until: float | None) -> None:
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps({"pid": os.getpid(), "until": until}).encode(), 0)
    except OSError:
        pass  # only informative; a full disk must not stop a run here
