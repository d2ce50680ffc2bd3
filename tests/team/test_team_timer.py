"""The before-shift decision and the timers that run it: files parsed back by their own readers."""

from __future__ import annotations

import configparser
import plistlib
import shlex
from pathlib import Path

from oncall.model import Shift
from oncall.readiness.timer import (
    before_shift_argv,
    cron,
    due_before_shift,
    launchd,
    minute_for,
    next_shift,
    systemd,
)

HOUR = 3600


def test_due_only_when_the_next_shift_starts_within_ready_before() -> None:
    now = 1_000_000
    shifts = [Shift("a", "alice", now - HOUR, now + HOUR), Shift("b", "alice", now + 30 * HOUR, now + 40 * HOUR),
              Shift("c", "alice", now + 20 * HOUR, now + 21 * HOUR)]
    assert next_shift(shifts, now) == shifts[2]  # the one under way is not "next"
    assert due_before_shift(shifts, now, 24 * HOUR) == shifts[2]
    assert due_before_shift(shifts, now, 20 * HOUR) == shifts[2]  # exactly ready_before away
    assert due_before_shift(shifts, now, 19 * HOUR) is None
    assert due_before_shift([], now, 24 * HOUR) is None


def test_minute_is_spread_and_stable() -> None:
    minutes = {minute_for(f"p{i}") for i in range(200)}
    assert len(minutes) > 40 and all(0 <= m < 60 for m in minutes)
    assert minute_for("alice") == minute_for("alice")


ARGV = before_shift_argv(["/opt/oncall env/bin/oncall"], Path("/srv/on call"))
ENV = {"PATH": "/usr/bin:/bin", "ONCALL_PERSON": "alice"}


def test_cron_line_runs_the_command_hourly() -> None:
    line = cron(ARGV, ENV, 17).cron_line
    fields = line.split(" ", 5)
    assert fields[:5] == ["17", "*", "*", "*", "*"]
    assert shlex.split(fields[5]) == ["PATH=/usr/bin:/bin", "ONCALL_PERSON=alice", *ARGV]
    assert ARGV[-2:] == ["ready", "--before-shift"] and ARGV[1:3] == ["--root", "/srv/on call"]
    assert "\\%" in cron(["/x%y"], {}, 0).cron_line  # % would be a newline to cron


def test_systemd_units_parse(tmp_path: Path) -> None:
    timer = systemd(ARGV, ENV, 5, tmp_path)
    service, unit = (configparser.ConfigParser(interpolation=None, strict=False) for _ in range(2))
    service.read_string(timer.files[0].text)
    unit.read_string(timer.files[1].text)
    assert service["Service"]["Type"] == "oneshot"
    assert shlex.split(service["Service"]["ExecStart"]) == ARGV
    assert unit["Timer"]["OnCalendar"] == "*-*-* *:05:00" and unit["Timer"]["Persistent"] == "true"
    assert [f.path.name for f in timer.files] == ["oncall-ready.service", "oncall-ready.timer"]
    assert "systemctl --user enable --now oncall-ready.timer" in timer.enable


def test_launchd_agent_parses(tmp_path: Path) -> None:
    timer = launchd(ARGV, ENV, 42, tmp_path)
    agent = plistlib.loads(timer.files[0].text.encode())
    assert agent["ProgramArguments"] == ARGV and agent["StartCalendarInterval"] == {"Minute": 42}
    assert agent["EnvironmentVariables"] == ENV
    assert timer.files[0].path == tmp_path / "Library/LaunchAgents/oncall.ready-before-shift.plist"
    assert timer.enable.startswith("launchctl load -w ")
