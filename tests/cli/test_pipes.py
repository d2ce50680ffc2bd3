"""A closed stdout (``oncall ... | head -1``) is a normal end: exit 0 and nothing on stderr,
for every command that prints to stdout, in every format."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

COMMANDS = [
    ["--help"],
    ["--version"],
    ["schedule", "--help"],
    ["whois"],
    ["whois", "--format", "json"],
    ["next", "--person", "alice"],
    ["next", "--person", "alice", "--format", "json"],
    ["schedule", "generate", "--from", "2026-01-01", "--to", "2026-12-31"],
    ["schedule", "generate", "--from", "2026-01-01", "--to", "2026-12-31", "--format", "json"],
    ["schedule", "generate", "--from", "2026-01-01", "--to", "2026-12-31", "--format", "csv"],
    ["schedule", "generate", "--from", "2026-01-01", "--to", "2026-03-31", "--format", "ics"],
    ["schedule", "validate"],
    ["schedule", "validate", "--format", "json"],
    ["schedule", "diff", "--to", "2027-06-30"],
    ["report", "hours"],
    ["report", "hours", "--format", "csv"],
    ["report", "hours", "--format", "json"],
    ["ready", "--person", "alice"],
    ["ready", "--person", "alice", "--format", "junit"],
    ["playbook", "list"],
    ["playbook", "show", "incident-response"],
    ["schema", "schedule"],
    ["init", "{tmp}/new-root"],
    ["override", "add", "-s", "payments", "-p", "carol", "--from", "2026-12-10T09:00", "--to", "2026-12-11T09:00",
     "--dry-run"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_closed_pipe_is_a_normal_end(args: list[str], tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO), "ONCALL_ROOT": str(REPO), "XDG_STATE_HOME": str(tmp_path / "s"),
           "XDG_CACHE_HOME": str(tmp_path / "c"), "XDG_CONFIG_HOME": str(tmp_path / "g"), "COLUMNS": "80"}
    argv = [a.replace("{tmp}", str(tmp_path)) for a in args]
    proc = subprocess.Popen([sys.executable, "-m", "oncall", *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=env, cwd=tmp_path)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader goes away before the first line is written
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0, err
    assert "Traceback" not in err and "Broken pipe" not in err and "Exception ignored" not in err
    assert not [line for line in err.splitlines() if line.startswith("error:")], err
