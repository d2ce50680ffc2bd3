"""`oncall ready`, `oncall secret` and `oncall playbook` as a user runs them (a subprocess each),
against a temp config root, a real local HTTP server and a file keyring in a temp folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.readiness.conftest import TOKEN, Server, serving

REPO = Path(__file__).resolve().parents[2]

PEOPLE = """\
people:
  alice:
    name: Alice Park
    email: alice@example.com
    timezone: UTC
"""

SCHEDULE = """\
timezone: UTC
checklist: t
layers:
  - people: [alice]
    start: 2020-01-06T09:00
    every: 1w
"""

CHECKLIST = """\
name: Test readiness
owner: alice
reviewed: 2020-01-01
review_every: 3650d
items:
  - id: token
    title: Token is stored
    check: {{secret: pd}}
    fix: oncall secret set pd
  - id: api
    title: API accepts the token
    needs: [token]
    check: {{http: "{url}/me", secret: pd, expect_body: "{{person.email}}"}}
    fix: Get a new token
  - id: echo
    title: A server that echoes credentials back
    needs: [token]
    check: {{http: "{url}/echo", secret: pd, severity: warn}}
  - id: python
    title: Python runs
    check: {{command: ["{python}", "--version"], expect_output: "Python"}}
  - id: read
    title: Read the playbook
    confirm: I read the playbook
    valid_for: 90d
    playbook: guide
"""


@pytest.fixture
def server() -> Iterator[Server]:
    yield from serving()


@pytest.fixture
def root(tmp_path: Path, server: Server) -> Path:
    root = tmp_path / "org"
    (root / "schedules").mkdir(parents=True)
    (root / "checklists").mkdir()
    (root / "playbooks").mkdir()
    (root / "schedules" / "people.yaml").write_text(PEOPLE)
    (root / "schedules" / "s.yaml").write_text(SCHEDULE)
    (root / "checklists" / "t.yaml").write_text(CHECKLIST.format(url=server.url, python=sys.executable))
    (root / "playbooks" / "guide.md").write_text("# Guide\n\nRead **this**.\n")
    return root


@pytest.fixture
def env(tmp_path: Path, root: Path) -> dict[str, str]:
    return dict(
        os.environ, ONCALL_ROOT=str(root), ONCALL_PERSON="alice", NO_COLOR="1",
        XDG_STATE_HOME=str(tmp_path / "state"), XDG_DATA_HOME=str(tmp_path / "data"),
        PYTHON_KEYRING_BACKEND="keyrings.alt.file.PlaintextKeyring",
    )


def oncall(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "oncall", *args], env=env, input=stdin, capture_output=True,
                          text=True, timeout=120, cwd=REPO)


def test_not_ready_until_secret_and_confirmation(env: dict[str, str], server: Server) -> None:
    first = oncall(env, "ready", "--check-access")
    assert first.returncode == 1, first.stderr
    assert "[✗] Token is stored" in first.stdout and "fix: oncall secret set pd" in first.stdout
    assert "identified by ONCALL_PERSON" in first.stderr and "on call for" in first.stderr

    stored = oncall(env, "secret", "set", "pd", stdin=TOKEN + "\n")
    assert stored.returncode == 0, stored.stderr
    assert "unencrypted" in stored.stderr  # PlaintextKeyring is called out
    confirmed = oncall(env, "ready", "--confirm", "read")
    assert "recorded" in confirmed.stderr

    ready = oncall(env, "ready", "--check-access", "--format", "json")
    assert ready.returncode == 0, ready.stdout + ready.stderr
    data = json.loads(ready.stdout)
    statuses = {r["item"]: r["status"] for r in data["results"]}
    assert statuses == {"token": "pass", "api": "pass", "echo": "warn", "python": "pass", "read": "pass"}
    assert data["ready"] is True and data["shifts"][0]["schedule"] == "s"

    static = oncall(env, "ready")
    assert static.returncode == 0 and "Last verified" in static.stdout


def test_planted_secret_appears_nowhere(env: dict[str, str], tmp_path: Path, server: Server) -> None:
    assert oncall(env, "secret", "set", "pd", stdin=TOKEN).returncode == 0
    seen = []
    for args in (["ready", "--check-access"], ["ready", "--check-access", "--format", "json"],
                 ["ready", "--check-access", "--format", "junit"], ["ready"], ["ready", "--format", "json"],
                 ["secret", "list"], ["secret", "list", "--format", "json"]):
        result = oncall(env, *args)
        seen.append(result.stdout + result.stderr)
    assert any("echoes" in text for text in seen)  # the runs happened
    assert server.seen and any(TOKEN in h.get("authorization", "") for h in server.seen)
    for text in seen:
        assert TOKEN not in text
    state = tmp_path / "state"
    files = [p for p in state.rglob("*") if p.is_file()]
    assert files
    for path in files:
        assert TOKEN not in path.read_text()


def test_junit_is_valid_xml(env: dict[str, str]) -> None:
    result = oncall(env, "ready", "--check-access", "--format", "junit")
    suites = ET.fromstring(result.stdout)
    assert suites.get("tests") == "5"
    assert suites.find(".//failure") is not None and suites.find(".//skipped") is not None


def test_secret_list_delete(env: dict[str, str]) -> None:
    oncall(env, "secret", "set", "pd", stdin="abc")
    listed = json.loads(oncall(env, "secret", "list", "--format", "json").stdout)
    assert [s["name"] for s in listed] == ["pd"] and "PlaintextKeyring" in listed[0]["where"]
    assert oncall(env, "secret", "delete", "pd").returncode == 0
    assert oncall(env, "secret", "delete", "pd").returncode == 2


def test_no_keyring_is_one_clear_line(env: dict[str, str]) -> None:
    result = oncall(dict(env, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring"), "secret", "set", "pd",
                    stdin="abc")
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr
    assert "PYTHON_KEYRING_BACKEND" in result.stderr


def test_checklist_option_and_unknown_ones(env: dict[str, str]) -> None:
    result = oncall(env, "ready", "--checklist", "t", "--format", "json")
    assert json.loads(result.stdout)["checklists"] == ["t"]
    bad = oncall(env, "ready", "--checklist", "nope")
    assert bad.returncode == 2 and "write one of: t" in bad.stderr
    assert oncall(env, "ready", "--confirm", "nope").returncode == 2
    assert oncall(env, "ready", "--within", "soon").returncode == 2


def test_playbook_show(env: dict[str, str]) -> None:
    shown = oncall(env, "playbook", "show", "guide")
    assert shown.returncode == 0 and "Read **this**." in shown.stdout
    missing = oncall(env, "playbook", "show", "../etc/passwd")
    assert missing.returncode == 2


def test_example_org_is_ready_on_a_fresh_machine(tmp_path: Path) -> None:
    env = dict(os.environ, ONCALL_ROOT=str(REPO), XDG_STATE_HOME=str(tmp_path / "state"),
               XDG_DATA_HOME=str(tmp_path / "data"), PYTHON_KEYRING_BACKEND="keyrings.alt.file.PlaintextKeyring",
               NO_COLOR="1")
    for cid in ("primary", "platform"):
        result = oncall(env, "ready", "--person", "alice", "--checklist", cid, "--check-access", "--format", "json")
        data = json.loads(result.stdout)
        bad = [r for r in data["results"] if r["status"] in ("fail", "error")]
        assert result.returncode == 0 and not bad, bad


def test_workers_is_bounded(env: dict[str, str]) -> None:
    for bad in ("0", "4097"):
        refused = oncall(env, "ready", "--check-access", "--workers", bad)
        assert refused.returncode == 2 and "--workers" in refused.stderr, refused.stderr
        assert "Traceback" not in refused.stderr
    one = oncall(env, "ready", "--check-access", "--workers", "1", "--format", "json")
    assert one.returncode == 1, one.stderr  # not ready: the secret is not stored yet
    assert {r["item"] for r in json.loads(one.stdout)["results"]} >= {"token", "api", "python", "read"}
