"""Every table and text of every command fits 60, 80 and 120 columns: no line is wider than the
terminal, no cell is cut short with an ellipsis, the people on call are readable in full, no line
ends in spaces, and terminal control sequences in names are shown, never obeyed."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from textwrap import dedent

import pytest
from freezegun import freeze_time
from rich.cells import cell_len

from oncall.cli.render import safe
from tests.cli.cli_runner import run_oncall

NOW = "2026-03-11T23:30:00Z"
WIDTHS = (60, 80, 120)
EVIL = "Eve \x1b]0;owned\x07\x1b[31mRed"
PEOPLE = r"""
timezone: Australia/Sydney
people:
  ana: {name: Aleksandra Kowalska-Wiśniewska, email: ana@example.com, timezone: Australia/Sydney}
  ursula: {name: Úrsula Zapata-Domínguez, timezone: Australia/Sydney}
  eve: {name: "Eve \e]0;owned\a\e[31mRed", timezone: Europe/London}
  bo: {name: Bo, timezone: America/New_York}
"""
SCHEDULES = {
    "follow-the-sun": """
        name: Platform follow-the-sun with a rather long display name
        timezone: UTC
        checklist: primary
        layers:
          - name: apac
            people: [ana, ursula]
            start: 2026-03-01T22:00
            every: 1w
            only: [{days: [sun, mon, tue, wed, thu], from: "22:00", to: "06:00"}]
          - name: emea
            people: [eve, bo]
            start: 2026-03-02T06:00
            every: 1w
            only: [{days: [mon, tue, wed, thu, fri], from: "06:00", to: "14:00"}]
    """,
    "payments": """
        name: Payments primary
        timezone: America/New_York
        layers:
          - name: weekly
            people: [ursula, ana, eve, bo]
            start: 2026-03-02T09:00
            every: 1w
        overrides:
          - {person: eve, from: 2026-03-12T09:00, to: 2026-03-13T09:00}
    """,
}
CHECKLIST = """
    name: Primary readiness
    items:
      - id: playbook
        title: Read the incident playbook before the shift, all of it, twice
        confirm: I have read the incident playbook and know where it lives
"""


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    base = tmp_path / "org"
    (base / "schedules").mkdir(parents=True)
    (base / "checklists").mkdir()
    (base / "schedules" / "people.yaml").write_text(PEOPLE, encoding="utf-8")
    for sid, text in SCHEDULES.items():
        (base / "schedules" / f"{sid}.yaml").write_text(dedent(text), encoding="utf-8")
    (base / "checklists" / "primary.yaml").write_text(dedent(CHECKLIST), encoding="utf-8")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run(["git", "init", "-q", str(base)], check=True)
    subprocess.run([*git, "-C", str(base), "add", "."], check=True)
    subprocess.run([*git, "-C", str(base), "commit", "-qm", "org"], check=True)
    with (base / "schedules" / "payments.yaml").open("a", encoding="utf-8") as handle:
        handle.write("  - {person: bo, from: 2026-03-20T09:00, to: 2026-03-22T09:00}\n")
    for name, value in (("TZ", "Australia/Sydney"), ("NO_COLOR", "1"), ("ONCALL_PERSON", "ana"),
                        ("XDG_CACHE_HOME", str(tmp_path / "cache")), ("XDG_STATE_HOME", str(tmp_path / "state")),
                        ("XDG_CONFIG_HOME", str(tmp_path / "config"))):
        monkeypatch.setenv(name, value)
    return base


COMMANDS = [
    ["whois"],
    ["whois", "2026-03-12T16:00:00Z"],
    ["next"],
    ["next", "--detail"],
    ["schedule", "generate", "--from", "2026-03-11", "--to", "2026-03-14"],
    ["schedule", "diff"],
    ["schedule", "validate"],
    ["report", "hours", "--from", "2026-03-01", "--to", "2026-03-11"],
    ["override", "add", "-s", "payments", "-p", "bo", "--from", "2026-03-13T09:00", "--to", "2026-03-14T09:00",
     "--dry-run"],
    ["swap", "ana", "eve", "-s", "payments", "--from", "2026-03-02", "--to", "2026-03-30", "--dry-run"],
    ["timeoff", "add", "-p", "ana", "--from", "2026-03-12", "--to", "2026-03-13", "--dry-run"],
    ["ready", "--checklist", "primary"],
    ["calendar", "publish", "{site}"],
]


def _names(root: Path, capsys: pytest.CaptureFixture[str]) -> set[str]:
    """The display names of everyone on call at the frozen time and in the generated window."""
    rows = json.loads(run_oncall(["--root", str(root), "whois", "--format", "json"], capsys).out)
    shifts = json.loads(run_oncall(["--root", str(root), "schedule", "generate", "--from", "2026-03-11",
                                    "--to", "2026-03-14", "--format", "json"], capsys).out)["shifts"]
    return {r["person_name"] for r in rows if r["person_name"]} | {s["person_name"] for s in shifts}


@freeze_time(NOW)
@pytest.mark.parametrize("width", WIDTHS)
def test_every_command_fits(root: Path, width: int, capsys: pytest.CaptureFixture[str],
                            monkeypatch: pytest.MonkeyPatch) -> None:
    names = _names(root, capsys)
    assert {"Aleksandra Kowalska-Wiśniewska", "Úrsula Zapata-Domínguez", EVIL} <= names
    monkeypatch.setenv("COLUMNS", str(width))
    seen = ""
    for args in COMMANDS:
        args = [a.replace("{site}", str(root.parent / "site")) for a in args]
        result = run_oncall(["--root", str(root), *args], capsys)
        where = f"oncall {' '.join(args)} at {width} columns"
        assert result.code in (0, 1), f"{where}: {result.err}"
        assert result.out.strip(), where
        for line in result.out.splitlines():
            assert cell_len(line) <= width or " " not in line.strip(), f"{where}: {line!r}"  # a long path may not fit
            assert line == line.rstrip(), f"{where}: trailing spaces in {line!r}"
        assert "…" not in result.out, f"{where}: a cell was cut short"
        assert "\x1b" not in result.out + result.err and "\x07" not in result.out + result.err, where
        seen += result.out
    for name in names:
        assert safe(name) in seen, f"{name!r} is never shown in full at {width} columns"
    assert safe(EVIL) == "Eve \\x1b]0;owned\\x07\\x1b[31mRed"


@freeze_time(NOW)
def test_whois_keeps_the_person_on_call_in_full_at_every_width(root: Path, capsys: pytest.CaptureFixture[str],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    rows = json.loads(run_oncall(["--root", str(root), "whois", "--format", "json"], capsys).out)
    for width in range(60, 161, 10):
        monkeypatch.setenv("COLUMNS", str(width))
        out = run_oncall(["--root", str(root), "whois"], capsys).out
        for row in rows:
            assert safe(row["person_name"]) in out, (width, row["person_name"])


@freeze_time(NOW)
def test_next_groups_daily_runs_unless_asked_for_detail(root: Path, capsys: pytest.CaptureFixture[str],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    shifts = json.loads(run_oncall(["--root", str(root), "next", "--format", "json"], capsys).out)
    follow = [s for s in shifts if s["schedule"] == "follow-the-sun"]
    assert len(follow) >= 10  # a week of eight-hour shifts on weekday mornings
    grouped = run_oncall(["--root", str(root), "next"], capsys).out
    detail = run_oncall(["--root", str(root), "next", "--detail"], capsys).out
    assert "5 × 8h daily" in grouped  # Monday to Friday mornings in Sydney are one row
    assert grouped.count("Platform follow-the-sun") < len(follow) // 2
    assert detail.count("8h") >= len(follow) - 1
    assert f"{len(shifts)} shifts; shifts repeating daily are one row (--detail lists each)." in grouped
