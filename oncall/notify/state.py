"""What ``oncall notify run`` has sent, kept under the state directory.

One JSON file per config root: the end of the last completed window (``last_run``) and the
idempotency key of every message sent, each written atomically right after the message went out.
A run that crashes keeps every key it recorded and does not move ``last_run``, so the next run
looks at the same window again, skips what went out and sends what did not.

A lock file stops two runs (an overlapping cron) from sending the same message twice.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from oncall.errors import EXIT_NO, OncallError
from oncall.fsutil import write_atomic
from oncall.xdg import state_dir

VERSION = 1
FORGET_AFTER = 7 * 86400  # keep keys this long past their shift, well beyond any catch-up window


class StateError(OncallError):
    """The state file cannot be used (damaged, locked by another run)."""

    exit_code = EXIT_NO


def default_state_dir() -> Path:
    """``$XDG_STATE_HOME/oncall/notify``, else ``~/.local/state/oncall/notify``."""
    return state_dir() / "notify"


def state_file(state_dir: Path, root: Path) -> Path:
    """The file for one config root: its folder name plus a short hash of its full path."""
    resolved = str(root.resolve())
    digest = hashlib.sha256(resolved.encode()).hexdigest()[:10]
    name = "".join(c if c.isalnum() or c in "._-" else "_" for c in root.resolve().name) or "root"
    return state_dir / f"{name}-{digest}.json"


@dataclass
class SentLog:
    path: Path
    last_run: int | None = None
    sent: dict[str, dict[str, int]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> SentLog:
        """Read the log; a missing file is an empty log (a first run)."""
        try:
            raw = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls(path)
        except OSError as exc:
            raise StateError(f"cannot read the notify state {path}: {exc.strerror}") from None
        try:
            data = json.loads(raw)
            last_run = data["last_run"]
            sent = {str(k): {"at": int(v["at"]), "keep_until": int(v["keep_until"])} for k, v in data["sent"].items()}
            if last_run is not None:
                last_run = int(last_run)
        except (ValueError, KeyError, TypeError, AttributeError):
            raise StateError(
                f"the notify state {path} is damaged; move it away to start afresh "
                "(a fresh start looks back only `notify.lookback`)"
            ) from None
        return cls(path, last_run, sent)

    def was_sent(self, key: str) -> bool:
        return key in self.sent

    def mark_sent(self, key: str, at: int, keep_until: int) -> None:
        """Record one message as sent, on disk before returning."""
        self.sent[key] = {"at": at, "keep_until": keep_until}
        self.save()

    def finish(self, last_run: int, now: int) -> None:
        """Close the window at ``last_run`` and forget keys no window can reach again."""
        self.last_run = last_run if self.last_run is None else max(self.last_run, last_run)
        self.sent = {k: v for k, v in self.sent.items() if v["keep_until"] + FORGET_AFTER >= now}
        self.save()

    def save(self) -> None:
        data: dict[str, Any] = {"version": VERSION, "last_run": self.last_run, "sent": dict(sorted(self.sent.items()))}
        write_atomic(self.path, json.dumps(data, indent=1) + "\n", mode=0o600)


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock beside ``path`` for one run; fail at once if another run holds it."""
    import fcntl

    path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = path.with_suffix(".lock")
    with open(lock_path, "a+") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StateError(f"another `oncall notify run` is running (lock {lock_path}); try again later") from None
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
