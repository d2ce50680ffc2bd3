"""The one seam through which oncall runs git: identity, shared readiness results, the config at a revision.

Every call runs ``git`` with no terminal prompt (a timer or CI must never hang on a password),
an English locale (so messages can be read back) and a time limit. Nothing here touches a
branch, the index or the working tree: callers use plumbing (``hash-object``, ``mktree``,
``commit-tree``, ``update-ref``) and their own ref namespace.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from oncall.errors import OncallError

GIT_TIMEOUT = 60.0  # seconds; a local repository answers in milliseconds, a remote in a few seconds


class GitError(OncallError):
    """git could not run, or answered with an error (the message is git's own last line)."""


@dataclass(frozen=True)
class Done:
    """What one git command returned."""

    code: int
    out: bytes
    err: str

    @property
    def text(self) -> str:
        return self.out.decode("utf-8", errors="replace").strip()

    @property
    def reason(self) -> str:
        """git's last line of stderr, the one that says what went wrong."""
        lines = [line.strip() for line in self.err.splitlines() if line.strip()]
        for line in reversed(lines):
            if line.startswith(("fatal:", "error:", "!")):
                return line.removeprefix("fatal: ").removeprefix("error: ")
        return lines[-1] if lines else f"exit status {self.code}"


def git(args: Sequence[str], cwd: Path, *, stdin: bytes | None = None, env: Mapping[str, str] | None = None,
        check: bool = True, timeout: float = GIT_TIMEOUT) -> Done:
    """Run ``git ARGS`` in ``cwd``. With ``check``, a non-zero exit raises ``GitError``."""
    full_env = dict(os.environ, GIT_TERMINAL_PROMPT="0", LC_ALL="C", LANGUAGE="C")
    full_env.update(env or {})
    try:
        result = subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True, timeout=timeout,
                                env=full_env, stdin=None if stdin is not None else subprocess.DEVNULL)
    except FileNotFoundError:
        raise GitError("git is not installed (not found on PATH); install git") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} did not answer within {timeout:.0f}s") from None
    except OSError as exc:
        raise GitError(f"cannot run git in {cwd} ({exc.strerror or exc})") from None
    done = Done(result.returncode, result.stdout, result.stderr.decode("utf-8", errors="replace"))
    if check and done.code != 0:
        raise GitError(f"git {args[0]}: {done.reason}")
    return done


def config_value(cwd: Path, key: str) -> str | None:
    """``git config KEY`` as seen from ``cwd`` (repository, then global settings); None when unset."""
    try:
        done = git(["config", "--get", key], cwd, check=False, timeout=10)
    except GitError:
        return None
    value = done.text
    return value if done.code == 0 and value else None
