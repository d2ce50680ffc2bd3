"""The shared options as a user meets them: relative times, the one window rule, limits on what a
table shows, shell completion of ids, CSV with names, and the playbook listings."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from freezegun import freeze_time

from tests.cli.cli_runner import run_oncall

REPO = Path(__file__).resolve().parents[2]
NOW = "2026-12-01T15:00:00Z"  # Tue 10:00 in New York


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name, value in (("TZ", "America/New_York"), ("NO_COLOR", "1"), ("COLUMNS", "120"),
                        ("XDG_CACHE_HOME", str(tmp_path / "cache")), ("XDG_STATE_HOME", str(tmp_path / "state"))):
        monkeypatch.setenv(name, value)


def oncall(capsys: pytest.CaptureFixture[str], *args: str):
    return run_oncall(["--root", str(REPO), *args], capsys)


@freeze_time(NOW)
@pytest.mark.parametrize(("text", "expected"), [
    ("now", "2026-12-01T10:00:00-05:00"),
    ("+2h", "2026-12-01T12:00:00-05:00"),
    ("in 3 days", "2026-12-04T10:00:00-05:00"),
    ("tomorrow 09:00", "2026-12-02T09:00:00-05:00"),
    ("next monday", "2026-12-07T00:00:00-05:00"),
])
def test_whois_takes_relative_times(capsys: pytest.CaptureFixture[str], text: str, expected: str) -> None:
    result = oncall(capsys, "whois", text, "--schedule", "payments", "--format", "json")
    assert result.code == 0, result.err
    assert json.loads(result.out)[0]["at"] == expected


@freeze_time(NOW)
def test_generate_window_from_relative_words(capsys: pytest.CaptureFixture[str]) -> None:
    result = oncall(capsys, "schedule", "generate", "-s", "payments", "--from", "tomorrow", "--to", "tomorrow",
                    "--format", "json")
    shifts = json.loads(result.out)["shifts"]
    assert shifts[0]["start"] == "2026-12-02T00:00:00-05:00" and shifts[-1]["end"] == "2026-12-03T00:00:00-05:00"


@freeze_time(NOW)
def test_diff_with_only_to_starts_now(capsys: pytest.CaptureFixture[str]) -> None:
    result = oncall(capsys, "schedule", "diff", "--to", "2027-06-30", "--format", "json")
    assert result.code == 0, result.err
    window = json.loads(result.out)
    assert (window["from"], window["to"]) == ("2026-12-01T15:00:00+00:00", "2027-07-01T04:00:00+00:00")


@freeze_time(NOW)
def test_report_looks_back_and_mirrors_the_rule(capsys: pytest.CaptureFixture[str]) -> None:
    default = json.loads(oncall(capsys, "report", "hours", "--format", "json").out)
    assert (default["from"], default["to"]) == ("2026-09-08T15:00:00+00:00", "2026-12-01T15:00:00+00:00")
    since = json.loads(oncall(capsys, "report", "hours", "--from", "2026-11-01", "--format", "json").out)
    assert (since["from"], since["to"]) == ("2026-11-01T04:00:00+00:00", "2026-12-01T15:00:00+00:00")


@freeze_time(NOW)
@pytest.mark.parametrize(("args", "message"), [
    (["schedule", "generate", "--from", "2026-01-01", "--to", "2036-01-01"], "--to: a table shows at most three years"),
    (["report", "hours", "--from", "1990-01-01"], "--from: a table shows at most three years"),
    (["next", "--person", "alice", "--within", "300w"], "--within: 300w is further ahead than oncall looks"),
    (["ready", "--person", "alice", "--within", "300w"], "--within: 300w is further ahead than oncall looks"),
    (["schedule", "diff", "--to", "2026-11-01"], "--to must be after --from"),
])
def test_limits_are_one_line_naming_the_option(capsys: pytest.CaptureFixture[str], args: list[str],
                                               message: str) -> None:
    result = oncall(capsys, *args)
    assert result.code == 2
    assert result.err.startswith(f"error: {message}") and result.err.count("\n") == 1


@freeze_time(NOW)
def test_long_windows_are_fine_as_data(capsys: pytest.CaptureFixture[str]) -> None:
    result = oncall(capsys, "schedule", "generate", "-s", "payments-secondary", "--from", "2026-01-01",
                    "--to", "2031-01-01", "--format", "csv")
    assert result.code == 0 and len(result.out.splitlines()) > 200


def test_csv_names_beside_ids(capsys: pytest.CaptureFixture[str]) -> None:
    result = oncall(capsys, "schedule", "generate", "--from", "2026-12-24T00:00Z", "--to", "2026-12-26T00:00Z",
                    "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert list(rows[0]) == ["schedule", "person", "start", "end", "reason", "schedule_name", "person_name"]
    frank = next(r for r in rows if r["person"] == "frank")
    assert (frank["schedule_name"], frank["person_name"]) == ("Payments primary", "Frank Osei")


def _complete(words: str, root: Path = REPO) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "_ONCALL_COMPLETE": "complete_bash", "COMP_WORDS": words,
           "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1))}
    env.pop("ONCALL_ROOT", None)
    proc = subprocess.run([sys.executable, "-m", "oncall"], capture_output=True, text=True, env=env, cwd=root,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.split()


def test_shell_completion_of_ids(tmp_path: Path) -> None:
    assert _complete("oncall whois --schedule pay") == ["payments", "payments-secondary"]
    assert _complete("oncall next --person a") == ["alice"]
    assert _complete("oncall ready --checklist ") == ["platform", "primary"]
    assert _complete("oncall swap da") == ["dave"]
    assert _complete("oncall sch") == ["schedule", "schema"]
    other = tmp_path / "other"
    (other / "schedules").mkdir(parents=True)
    (other / "schedules" / "people.yaml").write_text("people:\n  zoe: {name: Zoe}\n")
    (other / "schedules" / "ops.yaml").write_text("timezone: UTC\nlayers:\n  - {people: [zoe], start: 2026-01-01, "
                                                   "every: 1w}\n")
    (other / "oncall.yaml").write_text("notify:\n  channels:\n    team-mail: {type: email, host: localhost, "
                                       "sender: oncall@example.com, to: ops@example.com}\n")
    assert _complete(f"oncall --root {other} whois --schedule ") == ["ops"]
    assert _complete("oncall notify test --channel t", root=other) == ["team-mail"]
    assert _complete("oncall whois --schedule ", root=tmp_path) == []  # no config root: nothing, no error


def test_playbook_list_and_show_say_what_exists(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "root"
    assert run_oncall(["init", str(root)], capsys).code == 0
    empty = run_oncall(["--root", str(root), "playbook", "list"], capsys)
    assert empty.code == 0 and empty.out == ""
    assert "no playbooks yet" in empty.err and "playbooks/NAME.md" in empty.err
    missing = run_oncall(["--root", str(root), "playbook", "show", "sre-incident"], capsys)
    assert missing.code == 2
    assert "holds no playbooks yet; write one as playbooks/sre-incident.md" in missing.err
    assert "none yet" not in missing.err
    other = oncall(capsys, "playbook", "show", "sre-incident")
    assert other.err.strip() == ("error: no playbook playbooks/sre-incident.md; the playbooks are: incident-response, "
                                 "kubernetes-access, paging")


def test_json_is_written_as_made_and_reads_as_one_document() -> None:
    import json as std

    from oncall.cli.output import _json_pieces

    rows = [{"a": 1, "b": [1, {"c": "é"}]}, {}, {"d": None}]
    doc = {"shifts": iter(rows), "gaps": iter([]), "n": 3, "empty": {}, "list": [[], [1]]}
    text = "".join(_json_pieces(doc, "\n"))
    assert std.loads(text) == {**doc, "shifts": rows, "gaps": []}
    # An iterator is streamed one item per line; everything else is laid out as indent=2 does.
    streamed = "[\n    " + ",\n    ".join(std.dumps(row, ensure_ascii=False) for row in rows) + "\n  ]"
    assert text == std.dumps({**doc, "shifts": "S", "gaps": []}, indent=2, ensure_ascii=False).replace('"S"', streamed)
