"""`oncall import ...` as a user types it: files written, exit codes, stdin, --dry-run, --force."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from oncall.config import load
from tests.cli.cli_runner import Run, run_oncall

from .conftest import FIXTURES

PD = str(FIXTURES / "pagerduty" / "weekly_and_weeknights.json")
GRAFANA = FIXTURES / "grafana"


def _run(capsys: pytest.CaptureFixture[str], *args: str, cwd: Path | None = None) -> Run:
    return run_oncall(["import", *args], capsys, cwd=cwd)


def test_pagerduty_import_writes_loadable_files_and_checks_them(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    into = tmp_path / "new-root"
    result = _run(capsys, "pagerduty", PD, "--into", str(into), "--check")
    assert result.code == 0, result.err
    assert result.out == ("check payments-primary: no difference\n"
                          "  25 PagerDuty entries, Mon 2026-03-02 00:00 EST to Mon 2026-03-16 00:00 EDT\n")
    assert result.err == "wrote schedules/payments-primary.yaml\nwrote schedules/people.yaml\n"
    loaded = load(into)
    assert loaded.org is not None and not loaded.problems
    assert run_oncall(["--root", str(into), "schedule", "validate"], capsys).code == 0


def test_existing_files_need_force_and_people_are_not_added_twice(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(capsys, "pagerduty", PD, "--into", str(tmp_path)).code == 0
    people = (tmp_path / "schedules" / "people.yaml").read_text()
    again = _run(capsys, "pagerduty", PD, "--into", str(tmp_path))
    assert again.code == 2
    assert again.err == ("error: schedules/payments-primary.yaml already exists; pass --force to overwrite, "
                         "or --into another folder\n")
    forced = _run(capsys, "pagerduty", PD, "--into", str(tmp_path), "--force")
    assert forced.code == 0, forced.err
    assert "wrote schedules/people.yaml" not in forced.err
    assert 'note: PagerDuty user PALICE1 "Alice Park" is alice-park in people.yaml (same name)' in forced.err
    assert (tmp_path / "schedules" / "people.yaml").read_text() == people


def test_dry_run_prints_the_files_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "schedules").mkdir()
    (tmp_path / "schedules" / "people.yaml").write_text("people:\n  zoe:\n    name: Zoe\n")
    result = _run(capsys, "pagerduty", PD, "--into", str(tmp_path), "--dry-run")
    assert result.code == 0, result.err
    assert result.out.startswith("# schedules/payments-primary.yaml (new)\n# Imported from PagerDuty schedule")
    assert "--- a/schedules/people.yaml\n+++ b/schedules/people.yaml\n" in result.out
    assert "+  alice-park:\n+    name: Alice Park\n" in result.out
    assert "would write schedules/payments-primary.yaml\n" in result.err
    assert sorted(p.name for p in (tmp_path / "schedules").iterdir()) == ["people.yaml"]


def test_stdin_and_what_could_not_be_written_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO((FIXTURES / "opsgenie" / "support.json").read_text()))
    result = _run(capsys, "opsgenie", "-", "--into", str(tmp_path))
    assert result.code == 1
    assert "could not be written exactly (5):\n- Opsgenie rotation" in result.err
    assert "  written instead: a placeholder person for those turns (Nobody)\n" in result.err
    assert (tmp_path / "schedules" / "support.yaml").is_file()


def test_grafana_with_final_shifts_per_schedule(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = _run(capsys, "grafana", str(GRAFANA / "platform_schedules.json"),
                  "--shifts", str(GRAFANA / "platform_shifts.json"), "--users", str(GRAFANA / "users.json"),
                  "--final-shifts", f"S3Z477AHDXTMF={GRAFANA / 'platform_final_shifts.json'}", "--check",
                  "--into", str(tmp_path))
    assert result.code == 0, result.err
    assert result.out.startswith("check platform: no difference\n  16 Grafana OnCall entries, Mon 2026-03-16 01:00 CET")
    missing = _run(capsys, "grafana", str(GRAFANA / "platform_schedules.json"), "--into", str(tmp_path))
    assert missing.code == 2 and "pass --shifts SHIFTS.json" in missing.err


def test_a_check_difference_exits_1_and_prints_both_sides(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(Path(PD).read_text())
    entries = data["schedule"]["final_schedule"]["rendered_schedule_entries"]
    entries[2]["user"] = entries[4]["user"]  # PagerDuty says erin on Monday night March 2, not dave
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(data))
    result = _run(capsys, "pagerduty", str(edited), "--check", "--dry-run", "--into", str(tmp_path / "root"))
    assert result.code == 1
    assert result.out.startswith("# schedules/payments-primary.yaml (new)\n")
    assert result.out.endswith(
        "check payments-primary: 1 difference\n"
        "  25 PagerDuty entries, Mon 2026-03-02 00:00 EST to Mon 2026-03-16 00:00 EDT\n"
        "  Mon 2026-03-02 18:00 EST to Tue 2026-03-03 08:00 EST\n"
        "    PagerDuty: erin-walsh\n"
        "    written:   dave-rossi\n")
    assert not (tmp_path / "root").exists()


def test_bad_input_is_one_line_with_the_file_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"schedule": {\n  "name": "x",\n}\n')
    result = _run(capsys, "pagerduty", str(broken), "--into", str(tmp_path))
    assert result.code == 2
    assert result.err.startswith(f"error: {broken}:3: not JSON (")
    assert _run(capsys, "pagerduty", str(tmp_path / "nope.json"), "--into", str(tmp_path)).code == 2
    assert "Traceback" not in result.err


def test_without_a_config_root_into_is_needed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = _run(capsys, "pagerduty", PD, cwd=tmp_path)
    assert result.code == 2
    assert "pass --into DIR to import into a new config root" in result.err
    (tmp_path / "file").write_text("")
    assert "is a file" in _run(capsys, "pagerduty", PD, "--into", str(tmp_path / "file")).err
