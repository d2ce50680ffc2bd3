"""The subprocess seam: run an argv (never a shell) with stdin closed and a hard timeout.

The child starts in its own session, hence its own process group, and on timeout the whole
group is killed: ``subprocess.run(timeout=)`` alone returns on time but leaves grandchildren
running (and holding the output pipes open).
"""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

MAX_OUTPUT = 64 * 1024  # characters of stdout/stderr kept; a check needs the gist, not a log


@dataclass(frozen=True)
class ProcResult:
    returncode: int | None  # None when killed at the timeout
    stdout: str
    stderr: str
    timed_out: bool


def run(argv: Sequence[str], timeout: float, env: Mapping[str, str] | None = None) -> ProcResult:
    """Run ``argv`` with stdin closed; kill its process group when ``timeout`` seconds pass.

    Raises ``FileNotFoundError``/``PermissionError`` when the program cannot be started.
    """
    proc = subprocess.Popen(
        list(argv),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        env=dict(env) if env is not None else None,
        text=True,
        errors="replace",
    )
    try:
        out, err = proc.communicate(timeout=timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        try:
            out, err = proc.communicate(timeout=2)
        except subprocess.TimeoutExpired:  # a process escaped the group and holds the pipes
            out, err = "", ""
            for stream in (proc.stdout, proc.stderr):
                if stream is not None:
                    stream.close()
            proc.wait()
        timed_out = True
    return ProcResult(
        returncode=None if timed_out else proc.returncode,
        stdout=(out or "")[:MAX_OUTPUT],
        stderr=(err or "")[:MAX_OUTPUT],
        timed_out=timed_out,
    )


def _kill_group(proc: subprocess.Popen[str]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(timeout=2)
    except subprocess.TimeoutExpired:
        pass
