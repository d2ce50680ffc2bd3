"""The subprocess seam: run an argv (never a shell) with stdin closed and a wall-clock deadline,
and leave nothing it started running.

Everything a program starts is found and stopped when it ends (or its deadline passes):

* it starts in its own session, hence its own process group: what stays in them is found;
* on Linux, oncall makes itself a *child subreaper* (``prctl(PR_SET_CHILD_SUBREAPER)``): a process
  that leaves the session (``setsid``, a daemon's double fork) and whose parent exits is
  re-parented to oncall instead of to init, so it stays within reach;
* each run puts a random marker in the environment it passes down (``ONCALL_CHECK_RUN``), which is
  how such a re-parented process (and what it started) is told apart from another check's.

Each of them gets SIGKILL, and is then checked to be gone: the result names what was stopped and,
honestly, anything that could not be (a process of another user, one that left the session *and*
cleared its environment, or any escapee on a system without ``/proc``).
"""

from __future__ import annotations

import os
import secrets
import selectors
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

MAX_OUTPUT = 64 * 1024  # bytes of stdout/stderr kept each; a check needs the gist, not a log
MARKER = "ONCALL_CHECK_RUN"
HOLD_GRACE = 0.2  # seconds to wait for the output pipes to close once the program has exited
KILL_ROUNDS = 5
PR_SET_CHILD_SUBREAPER = 36

_subreaper: bool | None = None
_subreaper_lock = threading.Lock()


@dataclass(frozen=True)
class ProcResult:
    returncode: int | None  # None when killed at the deadline
    stdout: str
    stderr: str
    timed_out: bool
    stopped: tuple[str, ...] = ()  # processes it left running that were stopped, "sleep (pid 12)"
    survivors: tuple[str, ...] = ()  # processes it started that could not be stopped
    tracked: bool = True  # False where escaped processes cannot be found (no /proc)


def run(argv: Sequence[str], timeout: float, env: Mapping[str, str] | None = None) -> ProcResult:
    """Run ``argv`` with stdin closed, at most ``timeout`` seconds, then stop all it left running.

    ``env`` is the whole environment of the program (default: this process's).
    Raises ``FileNotFoundError``/``PermissionError`` when the program cannot be started.
    """
    deadline = time.monotonic() + timeout
    tracked = _become_subreaper()
    marker = secrets.token_hex(8)
    child_env = dict(os.environ if env is None else env)
    child_env[MARKER] = marker
    proc = subprocess.Popen(
        list(argv),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        env=child_env,
    )
    try:
        out, err, timed_out = _collect(proc, deadline)
    finally:
        stopped, survivors = _stop_all(proc, marker)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
    return ProcResult(
        returncode=None if timed_out else proc.returncode,
        stdout=out.decode("utf-8", "replace"),
        stderr=err.decode("utf-8", "replace"),
        timed_out=timed_out,
        stopped=stopped,
        survivors=survivors,
        tracked=tracked,
    )


def _become_subreaper() -> bool:
    """Make this process the subreaper of what it starts (Linux); True when escapees can be found."""
    global _subreaper
    with _subreaper_lock:
        if _subreaper is None:
            _subreaper = False
            if sys.platform.startswith("linux") and os.path.isdir("/proc/self"):
                try:
                    import ctypes

                    libc = ctypes.CDLL(None, use_errno=True)
                    _subreaper = libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
                except (OSError, AttributeError):
                    _subreaper = False
        return _subreaper


def _collect(proc: subprocess.Popen[bytes], deadline: float) -> tuple[bytes, bytes, bool]:
    """Read both pipes until they close, the program has exited and something it left holds them,
    or the deadline passes (then True)."""
    assert proc.stdout is not None and proc.stderr is not None
    buffers = {proc.stdout.fileno(): bytearray(), proc.stderr.fileno(): bytearray()}
    selector = selectors.DefaultSelector()
    for fd in buffers:
        selector.register(fd, selectors.EVENT_READ)
    exit_fd = _pidfd(proc.pid)
    if exit_fd is not None:
        selector.register(exit_fd, selectors.EVENT_READ)
    exited_at: float | None = None
    try:
        while any(fd in selector.get_map() for fd in buffers):
            now = time.monotonic()
            if now >= deadline:
                return bytes(buffers[proc.stdout.fileno()]), bytes(buffers[proc.stderr.fileno()]), True
            if exited_at is None and proc.poll() is not None:
                exited_at = now
            if exited_at is not None and now - exited_at >= HOLD_GRACE:
                break  # the pipes are held by something it started and left: stopped below
            wait = deadline - now
            if exited_at is not None:
                wait = min(wait, HOLD_GRACE - (now - exited_at))
            elif exit_fd is None:
                wait = min(wait, 0.05)  # no pidfd: look for the exit now and then
            for key, _ in selector.select(wait):
                fd = int(key.fd)
                if fd == exit_fd:
                    selector.unregister(fd)
                    continue
                chunk = os.read(fd, 65536)
                if not chunk:
                    selector.unregister(fd)
                    continue
                buffer = buffers[fd]
                if len(buffer) < MAX_OUTPUT:
                    buffer += chunk[: MAX_OUTPUT - len(buffer)]
        try:
            proc.wait(max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:  # it closed its output and went on running
            return bytes(buffers[proc.stdout.fileno()]), bytes(buffers[proc.stderr.fileno()]), True
        return bytes(buffers[proc.stdout.fileno()]), bytes(buffers[proc.stderr.fileno()]), False
    finally:
        selector.close()
        if exit_fd is not None:
            os.close(exit_fd)


def _pidfd(pid: int) -> int | None:
    """A descriptor that becomes readable when ``pid`` exits (Linux 5.3+), else None."""
    opener = getattr(os, "pidfd_open", None)
    if opener is None:
        return None
    try:
        return int(opener(pid))
    except OSError:
        return None


@dataclass(frozen=True)
class _Proc:
    pid: int
    ppid: int
    pgrp: int
    session: int
    state: str
    name: str

    def label(self) -> str:
        return f"{self.name} (pid {self.pid})"


def _scan() -> dict[int, _Proc] | None:
    """Every process, from ``/proc``; None where there is no ``/proc``."""
    try:
        entries = os.listdir("/proc")
    except OSError:
        return None
    out: dict[int, _Proc] = {}
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                raw = fh.read().decode("utf-8", "replace")
        except OSError:
            continue
        name, _, rest = raw.partition(" (")[2].rpartition(") ")
        fields = rest.split()
        if len(fields) < 4:
            continue
        out[int(entry)] = _Proc(int(entry), int(fields[1]), int(fields[2]), int(fields[3]), fields[0], name)
    return out


def _has_marker(pid: int, marker: str) -> bool:
    try:
        with open(f"/proc/{pid}/environ", "rb") as fh:
            return f"{MARKER}={marker}".encode() in fh.read().split(b"\0")
    except OSError:
        return False


def _stop_all(proc: subprocess.Popen[bytes], marker: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Kill the program and everything it started; return (stopped, could not stop)."""
    me, group = os.getpid(), proc.pid
    if proc.poll() is not None and not _maybe_left(group, me):
        return (), ()
    seen: dict[int, _Proc] = {}
    refused: set[int] = set()
    for _ in range(KILL_ROUNDS):
        table = _scan()  # before any kill: what is killed is seen (and counted) first
        if table is None:  # nowhere to look: the group is all we can reach
            _signal_group(group)
            break
        _signal_group(group)
        targets = _belonging(table, me, group, marker)
        _reap(table, me, {pid for pid in targets if table[pid].state == "Z"} - {proc.pid})
        live = {pid for pid in targets if table[pid].state != "Z" and pid not in refused}
        if not live:
            break
        for pid in live:
            seen.setdefault(pid, table[pid])
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            except PermissionError:
                refused.add(pid)
        time.sleep(0.01)
    if proc.poll() is None:
        proc.kill()
    proc.wait()
    others = {pid: p for pid, p in seen.items() if pid != proc.pid}
    if not others:
        return (), ()
    _reap(_scan() or {}, me, set(others))
    final = _scan() or {}
    gone = [p.label() for pid, p in others.items() if pid not in final or final[pid].state == "Z"]
    left = [p.label() for pid, p in others.items() if pid in final and final[pid].state != "Z"]
    return tuple(sorted(gone)), tuple(sorted(left))


def _maybe_left(group: int, me: int) -> bool:
    """Whether anything of a finished program may still run, without reading all of /proc: a
    process still in its group, or a process re-parented to us (listed among the children of our
    main thread, which starts no checks of its own in the runner). Unsure means yes."""
    try:
        os.killpg(group, 0)
        return True
    except ProcessLookupError:
        pass
    except PermissionError:
        return True
    try:
        with open(f"/proc/{me}/task/{me}/children") as fh:
            return bool(fh.read().split())
    except OSError:
        return True


def _belonging(table: dict[int, _Proc], me: int, group: int, marker: str) -> set[int]:
    """Processes of this run: in its session or group, re-parented to us with its marker, and
    every descendant of those."""
    found = {pid for pid, p in table.items() if pid != me and (p.pgrp == group or p.session == group)}
    found |= {pid for pid, p in table.items()
              if p.ppid == me and pid not in found and p.state != "Z" and _has_marker(pid, marker)}
    children: dict[int, list[int]] = {}
    for pid, p in table.items():
        children.setdefault(p.ppid, []).append(pid)
    stack = list(found)
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found and child != me:
                found.add(child)
                stack.append(child)
    return found


def _reap(table: dict[int, _Proc], me: int, pids: set[int]) -> None:
    """Collect the exit status of those of ``pids`` that were re-parented to us and have died (a
    subreaper must, or they stay zombies). Never the program itself: Popen waits for it."""
    for pid in pids:
        p = table.get(pid)
        if p is not None and p.ppid == me and p.state == "Z":
            try:
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                pass


def _signal_group(group: int) -> None:
    try:
        os.killpg(group, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
