"""``oncall schedule validate``: every kind of bad input exits 2 with one clear file:line message.

Each case in tests/data/bad/<case>/ holds the broken file(s), laid over the valid root in
tests/data/base/, and expected.txt: the location on line 1 and part of the message on line 2.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from oncall.errors import EXIT_NO, EXIT_OK, EXIT_USAGE
from tests.cli.cli_runner import run_oncall

DATA = Path(__file__).resolve().parents[1] / "data"
REPO = DATA.parents[1]
CASES = sorted(p.name for p in (DATA / "bad").iterdir() if p.is_dir())


def build_root(tmp_path: Path, case: str | None = None) -> Path:
    root = tmp_path / "root"
    shutil.copytree(DATA / "base", root)
    if case:
        shutil.copytree(DATA / "bad" / case, root, symlinks=True, dirs_exist_ok=True, ignore=shutil.ignore_patterns("expected.txt"))
    return root


def test_the_example_organisation_is_valid(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_oncall(["schedule", "validate", "--strict"], capsys, cwd=REPO)
    assert (result.code, result.err) == (EXIT_OK, "")
    assert result.out.startswith("ok: 3 schedules, 12 people, 2 checklists")


def test_the_base_fixture_is_valid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run_oncall(["--root", str(build_root(tmp_path)), "schedule", "validate", "--strict"], capsys)
    assert (result.code, result.err) == (EXIT_OK, "")


@pytest.mark.parametrize("case", CASES)
def test_bad_input_exits_2_with_one_located_message(case: str, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    where, fragment = (DATA / "bad" / case / "expected.txt").read_text(encoding="utf-8").splitlines()[:2]
    result = run_oncall(["--root", str(build_root(tmp_path, case)), "schedule", "validate"], capsys)
    assert result.code == EXIT_USAGE, result.err
    errors = [line for line in result.err.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, result.err
    assert errors[0].startswith(f"error: {where}: "), errors[0]
    assert fragment in errors[0]
    assert "Traceback" not in result.err and result.out == ""


def test_unreadable_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads files whatever their mode")
    root = build_root(tmp_path)
    (root / "schedules" / "primary.yaml").chmod(0)
    result = run_oncall(["--root", str(root), "schedule", "validate"], capsys)
    assert result.code == EXIT_USAGE
    assert "error: schedules/primary.yaml: cannot be read (permission denied)" in result.err


def test_every_problem_in_one_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = build_root(tmp_path)
    for case in ("unknown_person", "bad_timezone_person", "duplicate_item_id"):
        shutil.copytree(DATA / "bad" / case, root, dirs_exist_ok=True, ignore=shutil.ignore_patterns("expected.txt"))
    result = run_oncall(["--root", str(root), "schedule", "validate"], capsys)
    assert result.code == EXIT_USAGE
    located = [line.split(": ", 2)[1] for line in result.err.splitlines() if line.startswith("error: ")]
    assert located == ["schedules/people.yaml:2", "checklists/primary.yaml:4", "schedules/primary.yaml:6"]


def test_unknown_key_warns_and_strict_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = build_root(tmp_path)
    path = root / "schedules" / "primary.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("    every: 1w", "    every: 1w\n    evrey: 2w"),
                    encoding="utf-8")
    result = run_oncall(["--root", str(root), "schedule", "validate"], capsys)
    assert result.code == EXIT_OK
    assert "warning: schedules/primary.yaml:10: unknown key 'evrey' in layer 'weekly' (did you mean 'every'?)" in result.err
    assert result.out.startswith("ok: ")
    strict = run_oncall(["--root", str(root), "schedule", "validate", "--strict"], capsys)
    assert strict.code == EXIT_NO


def test_stale_checklist_warns(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = build_root(tmp_path)
    path = root / "checklists" / "primary.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("3650d", "30d"), encoding="utf-8")
    from freezegun import freeze_time

    with freeze_time("2026-11-26 12:00:00"):
        result = run_oncall(["--root", str(root), "schedule", "validate", "--strict"], capsys)
    assert result.code == EXIT_NO
    assert ("warning: checklists/primary.yaml:3: checklist 'primary' was due for review on 2026-10-31 "
            "(reviewed 2026-10-01, review_every 30d)") in result.err


def test_coverage_gap_warns(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = build_root(tmp_path)
    path = root / "schedules" / "primary.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  - name: weekly\n    people: [alice, bob, carol]\n    start: 2026-01-05T09:00\n"
                                 "    every: 1w\n", ""), encoding="utf-8")
    from freezegun import freeze_time

    with freeze_time("2026-11-26 12:00:00"):
        result = run_oncall(["--root", str(root), "schedule", "validate"], capsys)
    assert result.code == EXIT_OK
    assert "warning: schedules/primary.yaml" in result.err and "gap" in result.err


def test_json_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = build_root(tmp_path, "unknown_person")
    result = run_oncall(["--root", str(root), "schedule", "validate", "--format", "json"], capsys)
    assert result.code == EXIT_USAGE
    report = json.loads(result.out)
    assert report["valid"] is False
    assert report["errors"] == [{
        "severity": "error", "file": "schedules/primary.yaml", "line": 6,
        "message": report["errors"][0]["message"], "code": "unknown-reference",
    }]
    assert report["errors"][0]["message"].startswith("unknown person 'zed'")
    clean = json.loads(run_oncall(["--root", str(build_root(tmp_path / "ok")), "schedule", "validate", "-f", "json"],
                                  capsys).out)
    assert (clean["valid"], clean["errors"], clean["people"], clean["schedules"]) == (True, [], 3, ["primary"])


def test_no_root_found(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run_oncall(["schedule", "validate"], capsys, cwd=tmp_path)
    assert result.code == EXIT_USAGE
    assert result.err.startswith("error: no config root: no schedules/ folder in ")


def test_oncall_root_environment(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    root = build_root(tmp_path)
    result = run_oncall(["schedule", "validate"], capsys, cwd=root / "schedules")
    assert result.code == EXIT_OK and str(root) in result.out


def test_notify_settings_in_oncall_yaml_are_validated_too(tmp_path):
    import subprocess
    import sys

    repo = Path(__file__).resolve().parents[2]
    root = tmp_path / "org"
    shutil.copytree(repo / "schedules", root / "schedules")
    shutil.copytree(repo / "checklists", root / "checklists")
    (root / "oncall.yaml").write_text("notify:\n  remind_before: [24x]\n")
    proc = subprocess.run([sys.executable, "-m", "oncall", "--root", str(root), "schedule", "validate"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "oncall.yaml:2:" in proc.stderr and "'24x' is not a duration" in proc.stderr
    assert "ok:" not in proc.stdout
