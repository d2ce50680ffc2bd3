"""Checks before each shift without remembering: the before-shift decision and the timer snippets.

``oncall ready --before-shift`` is meant to run every hour from a timer. It does nothing unless
the person's next shift on a schedule with a checklist starts within ``ready_before``; then it runs
the checks, records and shares the result. The timer is one of three, whichever fits the machine:

* a cron line (any Unix), installed into the user's crontab;
* a systemd user timer (Linux with systemd): ``oncall-ready.service`` and ``oncall-ready.timer``;
* a launchd agent (macOS): ``oncall.ready-before-shift.plist``.

Each runs at one minute past the hour that depends on the person, so a team's machines do not all
push at the same second.
"""

from __future__ import annotations

import hashlib
import plistlib
import shlex
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from oncall.errors import UsageError
from oncall.model import Shift

KINDS = ("cron", "systemd", "launchd")
UNIT = "oncall-ready"
LABEL = "oncall.ready-before-shift"
MARKER = "# oncall ready --before-shift (written by `oncall ready install-timer`)"


def next_shift(shifts: Sequence[Shift], now: int) -> Shift | None:
    """The first of ``shifts`` that starts after ``now``."""
    upcoming = [s for s in shifts if s.start > now]
    return min(upcoming, key=lambda s: (s.start, s.schedule)) if upcoming else None


def due_before_shift(shifts: Sequence[Shift], now: int, ready_before: int) -> Shift | None:
    """The next shift when it starts within ``ready_before`` of ``now``; else None (nothing to do)."""
    shift = next_shift(shifts, now)
    return shift if shift is not None and shift.start - now <= ready_before else None


# -- the timers ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimerFile:
    path: Path
    text: str


@dataclass(frozen=True)
class Timer:
    """A timer that runs ``oncall ready --before-shift`` hourly: the files to write (or, for cron,
    the crontab line) and the command that turns it on, if one is needed."""

    kind: str
    files: tuple[TimerFile, ...] = ()
    cron_line: str = ""
    enable: str = ""


def minute_for(person: str) -> int:
    """The minute past the hour at which ``person``'s timer runs (spread over the hour)."""
    return int(hashlib.sha1(person.encode(), usedforsecurity=False).hexdigest()[:8], 16) % 60


def before_shift_argv(program: Sequence[str], root: Path) -> list[str]:
    """The command a timer runs."""
    return [*program, "--root", str(root), "ready", "--before-shift"]


def cron(argv: Sequence[str], env: Mapping[str, str], minute: int) -> Timer:
    # cron runs the command field with /bin/sh, where % means a newline unless escaped.
    words = [f"{k}={shlex.quote(v)}" for k, v in env.items()] + [shlex.quote(a) for a in argv]
    line = f"{minute} * * * * " + " ".join(words).replace("%", "\\%")
    return Timer("cron", cron_line=line)


def systemd(argv: Sequence[str], env: Mapping[str, str], minute: int, folder: Path) -> Timer:
    environment = "".join(f'Environment="{k}={_systemd_escape(v)}"\n' for k, v in env.items())
    service = (
        "[Unit]\n"
        "Description=oncall: readiness checks before your next shift\n\n"
        "[Service]\n"
        "Type=oneshot\n"
        f"{environment}"
        f"ExecStart={' '.join(_systemd_word(a) for a in argv)}\n"
    )
    timer = (
        "[Unit]\n"
        "Description=oncall: readiness checks before your next shift, hourly\n\n"
        "[Timer]\n"
        f"OnCalendar=*-*-* *:{minute:02d}:00\n"
        "Persistent=true\n\n"
        "[Install]\n"
        "WantedBy=timers.target\n"
    )
    return Timer("systemd", (TimerFile(folder / f"{UNIT}.service", service), TimerFile(folder / f"{UNIT}.timer", timer)),
                 enable=f"systemctl --user daemon-reload && systemctl --user enable --now {UNIT}.timer")


def launchd(argv: Sequence[str], env: Mapping[str, str], minute: int, home: Path) -> Timer:
    path = home / "Library" / "LaunchAgents" / f"{LABEL}.plist"
    log = home / "Library" / "Logs" / "oncall-ready.log"
    agent: dict[str, object] = {
        "Label": LABEL,
        "ProgramArguments": list(argv),
        "StartCalendarInterval": {"Minute": minute},
        "StandardOutPath": str(log),
        "StandardErrorPath": str(log),
    }
    if env:
        agent["EnvironmentVariables"] = dict(env)
    text = plistlib.dumps(agent, sort_keys=True).decode()
    return Timer("launchd", (TimerFile(path, text),), enable=f"launchctl load -w {shlex.quote(str(path))}")


def _systemd_word(word: str) -> str:
    if word and all(c.isalnum() or c in "/._-=:+," for c in word):
        return word
    return f'"{_systemd_escape(word)}"'


def _systemd_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%").replace("$", "$$")


# -- installing ----------------------------------------------------------------------------------


def write_files(timer: Timer) -> list[Path]:
    """Write the timer's files (atomically); returns their paths."""
    from oncall.fsutil import write_atomic

    for f in timer.files:
        f.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(f.path, f.text, mode=0o644)
    return [f.path for f in timer.files]


def install_cron(line: str) -> str:
    """Put ``line`` into the user's crontab, replacing the line an earlier install wrote; returns
    the new crontab. Runs the ``crontab`` program."""
    current = _crontab(["-l"], None, allow_empty=True)
    kept: list[str] = []
    skip_next = False
    for existing in current.splitlines():
        if existing == MARKER:
            skip_next = True
            continue
        if skip_next or existing.rstrip().endswith(" ready --before-shift"):
            skip_next = False
            continue
        kept.append(existing)
    text = "\n".join([*kept, MARKER, line]) + "\n"
    _crontab(["-"], text, allow_empty=False)
    return text


def _crontab(args: list[str], stdin: str | None, *, allow_empty: bool) -> str:
    try:
        done = subprocess.run(["crontab", *args], input=stdin, capture_output=True, text=True, timeout=30,
                              stdin=None if stdin is not None else subprocess.DEVNULL)
    except FileNotFoundError:
        raise UsageError("crontab is not installed; install cron, or use --kind systemd|launchd, "
                         "or --print and add the line to your scheduler yourself") from None
    except subprocess.TimeoutExpired:
        raise UsageError("crontab did not answer within 30s") from None
    if done.returncode != 0:
        if allow_empty and "no crontab" in done.stderr.lower():
            return ""
        reason = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        raise UsageError(f"crontab {' '.join(args)}: {reason}")
    return done.stdout
