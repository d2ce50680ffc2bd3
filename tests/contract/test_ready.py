"""Checklists and ``oncall ready``: every check kind against real parts (a local HTTP server, a
listening socket, a file keyring), {person.*} fields, confirmations with their time, timeouts,
the three formats and exit codes 0/1/2, and a secret's value in no output or file."""

from __future__ import annotations

import json
import socket
import sys
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.contract.conftest import Oncall, Result, assert_one_error_line, write_root

TOKEN = "tok-CONTRACT-5e1f-never-shown"

PEOPLE = """\
people:
  alice:
    name: Alice Park
    email: alice@example.com
    timezone: UTC
    team: payments
    github: alice-p
  bob: {name: Bob, email: bob@example.com}
"""
# alice is on call all the time from 2020; bob never
SCHEDULE = """\
timezone: UTC
checklist: c
layers:
  - people: [alice]
    start: 2020-01-06T09:00
    every: 1w
"""


class Http:
    """A real HTTP server that wants ``Authorization: Bearer TOKEN`` (or ``X-Api-Key: TOKEN``) on
    /me, and echoes whatever credential it was sent on /echo."""

    def __init__(self) -> None:
        self.headers: list[dict[str, str]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                outer.headers.append({k.lower(): v for k, v in self.headers.items()})
                auth = self.headers.get("Authorization", "") or self.headers.get("X-Api-Key", "")
                if self.path.startswith("/echo"):
                    self.reply(500, f"you sent {auth}")
                elif self.path.startswith("/me") and auth in (f"Bearer {TOKEN}", TOKEN):
                    self.reply(200, '{"email": "alice@example.com"}')
                elif self.path.startswith("/open"):
                    self.reply(204, "")
                else:
                    self.reply(401, "who are you")

            def reply(self, status: int, body: str) -> None:
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()


@pytest.fixture
def http() -> Iterator[Http]:
    server = Http()
    try:
        yield server
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()


@pytest.fixture
def listening() -> Iterator[int]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    try:
        yield sock.getsockname()[1]
    finally:
        sock.close()


def closed_port() -> int:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port: int = sock.getsockname()[1]
    sock.close()
    return port


def checklist(items: str) -> str:
    return f"name: Contract\nowner: alice\nreviewed: 2026-11-01\nreview_every: 365d\nitems:\n{items}"


def org(tmp_path: Path, items: str) -> Path:
    return write_root(tmp_path / "root", {"schedules/people.yaml": PEOPLE, "schedules/s.yaml": SCHEDULE,
                                          "checklists/c.yaml": checklist(items)})


def ready(oncall: Oncall, root: Path, *args: str, stdin: str = "") -> Result:
    return oncall.subprocess("--root", str(root), "ready", *args, env={"ONCALL_PERSON": "alice"}, stdin=stdin)


def statuses(result: Result) -> dict[str, str]:
    data = json.loads(result.out)
    return {r["item"]: r["status"] for r in data["results"]}


def store_secret(oncall: Oncall, root: Path, name: str = "pd", value: str = TOKEN) -> None:
    done = oncall.subprocess("--root", str(root), "secret", "set", name, stdin=value + "\n")
    assert done.code == 0, done.err


def test_every_check_kind_passes_and_fails_for_real(oncall: Oncall, tmp_path: Path, http: Http,
                                                    listening: int) -> None:
    (tmp_path / "alice.txt").write_text("x")
    items = f"""\
  - id: cmd-ok
    check: {{command: ["{sys.executable}", "-c", "print('yes')"], expect_output: "yes"}}
  - id: cmd-exit
    check: {{command: ["{sys.executable}", "-c", "raise SystemExit(3)"]}}
  - id: tcp-ok
    check: {{tcp: "127.0.0.1:{listening}"}}
  - id: tcp-closed
    check: {{tcp: "127.0.0.1:{closed_port()}", timeout: 2s}}
  - id: http-ok
    check: {{http: "{http.url}/open", expect_status: 204}}
  - id: http-token
    check: {{http: "{http.url}/me", secret: pd, expect_status: 200, expect_body: "{{person.email}}"}}
  - id: http-header
    check: {{http: "{http.url}/me", secret: pd, header: X-Api-Key, scheme: "", expect_status: 200}}
  - id: http-body-miss
    check: {{http: "{http.url}/me", secret: pd, expect_body: "bob@example.com"}}
  - id: http-status-miss
    check: {{http: "{http.url}/nowhere", expect_status: 200}}
  - id: dns-ok
    check: {{dns: localhost}}
  - id: dns-miss
    check: {{dns: no-such-host.invalid, timeout: 5s}}
  - id: file-ok
    check: {{file: "{tmp_path}/{{person.id}}.txt"}}
  - id: file-miss
    check: {{file: "{tmp_path}/nothing-{{person.id}}.txt"}}
  - id: env-ok
    check: {{env: CONTRACT_SET}}
  - id: env-miss
    check: {{env: CONTRACT_UNSET_VARIABLE}}
  - id: secret-ok
    check: {{secret: pd}}
  - id: secret-miss
    check: {{secret: not-stored}}
  - id: playbook
    confirm: I have read the incident playbook
"""
    root = org(tmp_path, items)
    store_secret(oncall, root)
    result = oncall.subprocess("--root", str(root), "ready", "--check-access", "--format", "json",
                               env={"ONCALL_PERSON": "alice", "CONTRACT_SET": "1"})
    assert result.code == 1, result.err  # failures: not ready
    got = statuses(result)
    assert got == {
        "cmd-ok": "pass", "cmd-exit": "fail", "tcp-ok": "pass", "tcp-closed": "fail", "http-ok": "pass",
        "http-token": "pass", "http-header": "pass", "http-body-miss": "fail", "http-status-miss": "fail",
        "dns-ok": "pass", "dns-miss": "fail", "file-ok": "pass", "file-miss": "fail", "env-ok": "pass",
        "env-miss": "fail", "secret-ok": "pass", "secret-miss": "fail", "playbook": "fail",
    }
    assert f"Bearer {TOKEN}" in [h.get("authorization") for h in http.headers]
    assert TOKEN in [h.get("x-api-key") for h in http.headers]
    assert TOKEN not in result.text


def test_all_passing_is_exit_0_in_every_format(oncall: Oncall, tmp_path: Path, http: Http) -> None:
    root = org(tmp_path, f"""\
  - id: token
    check: {{http: "{http.url}/me", secret: pd}}
  - id: read
    confirm: I have read the playbook
""")
    store_secret(oncall, root)
    assert ready(oncall, root, "--check-access").code == 1  # not confirmed yet
    confirmed = ready(oncall, root, "--confirm", "read")
    assert confirmed.code == 0, confirmed.err
    table = ready(oncall, root, "--check-access")
    assert table.code == 0, table.out + table.err
    as_json = ready(oncall, root, "--check-access", "--format", "json")
    assert as_json.code == 0 and json.loads(as_json.out)["ready"] is True
    junit = ready(oncall, root, "--check-access", "--format", "junit")
    assert junit.code == 0
    suites = ET.fromstring(junit.out)
    cases = suites.findall(".//testcase")
    assert len(cases) == 2 and not suites.findall(".//failure")
    static = ready(oncall, root, "--format", "json")
    assert static.code == 0, static.out


def test_not_ready_is_exit_1_and_junit_marks_the_failure(oncall: Oncall, tmp_path: Path) -> None:
    root = org(tmp_path, "  - id: env\n    title: A variable is set\n    check: {env: CONTRACT_UNSET_VARIABLE}\n"
                         "    fix: export CONTRACT_UNSET_VARIABLE=1\n")
    junit = ready(oncall, root, "--check-access", "--format", "junit")
    assert junit.code == 1
    failures = ET.fromstring(junit.out).findall(".//failure")
    assert len(failures) == 1
    table = ready(oncall, root, "--check-access")
    assert table.code == 1 and "export CONTRACT_UNSET_VARIABLE=1" in table.out


def test_the_confirmation_is_recorded_with_its_time(oncall: Oncall, tmp_path: Path) -> None:
    root = org(tmp_path, "  - id: read\n    confirm: I have read the playbook\n")
    before = int(time.time())
    done = ready(oncall, root, "--confirm", "read")
    after = int(time.time())
    assert done.code == 0, done.err
    records = [json.loads(p.read_text()) for p in (oncall.home / "state").rglob("*.json")]
    found = [r for r in records if "I have read the playbook" in json.dumps(r)]
    assert found, records
    # the statement is stored with the instant it was confirmed (epoch seconds)
    text = json.dumps(found[0])
    assert any(str(t) in text for t in range(before, after + 1))
    data = json.loads(ready(oncall, root, "--format", "json").out)
    assert [r["status"] for r in data["results"]] == ["pass"]


def test_person_fields_reach_commands_as_arguments_never_through_a_shell(oncall: Oncall, tmp_path: Path) -> None:
    root = org(tmp_path, f"""\
  - id: argv
    check:
      command: ["{sys.executable}", "-c", "import sys; print(sys.argv[1:])", "{{person.id}}", "{{person.email}}",
                "{{person.team}}", "{{person.github}}", "$HOME; echo pwned", "`id`"]
      expect_output: "['alice', 'alice@example.com', 'payments', 'alice-p', '$HOME; echo pwned', '`id`']"
""")
    result = ready(oncall, root, "--check-access", "--format", "json")
    assert statuses(result) == {"argv": "pass"}, result.out


def test_every_check_has_a_timeout(oncall: Oncall, tmp_path: Path) -> None:
    root = org(tmp_path, f"""\
  - id: slow
    timeout: 1s
    check: {{command: ["{sys.executable}", "-c", "import time; time.sleep(30)"]}}
""")
    result = ready(oncall, root, "--check-access", "--format", "json")
    assert result.code == 1
    (row,) = json.loads(result.out)["results"]
    assert row["status"] in ("fail", "error") and "1s" in row["message"]


def test_a_secret_echoed_back_is_masked_everywhere(oncall: Oncall, tmp_path: Path, http: Http) -> None:
    root = org(tmp_path, f"""\
  - id: echo
    check: {{http: "{http.url}/echo", secret: pd}}
  - id: shown
    check:
      command: ["{sys.executable}", "-c", "import os; print(os.environ['LEAKED'])"]
      env: LEAKED
      expect_output: "nope"
""")
    store_secret(oncall, root)
    leaky = {"ONCALL_PERSON": "alice", "LEAKED": TOKEN}  # a program that prints the token it was given
    outputs = [oncall.subprocess("--root", str(root), "ready", "--check-access", "--format", f, env=leaky)
               for f in ("table", "json", "junit")]
    outputs += [ready(oncall, root, "--format", f) for f in ("table", "json", "junit")]
    outputs.append(oncall.subprocess("--root", str(root), "secret", "list", "--format", "json"))
    assert any("output does not match" in r.out for r in outputs)  # the program's output was read
    for result in outputs:
        assert TOKEN not in result.text
    files = [p for p in oncall.home.rglob("*") if p.is_file() and "keyring" not in p.name]
    assert files
    for path in files:
        assert TOKEN not in path.read_text(errors="replace"), path


@pytest.mark.parametrize(("args", "fragment"), [
    (("--person", "nobody"), "nobody"),
    (("--format", "xml"), "xml"),
    (("--workers", "0"), "--workers"),
    (("--bogus",), "--bogus"),
    (("--checklist", "nope"), "nope"),
    (("--confirm", "nope"), "nope"),
])
def test_usage_errors_exit_2(oncall: Oncall, tmp_path: Path, args: tuple[str, ...], fragment: str) -> None:
    root = org(tmp_path, "  - id: read\n    confirm: I have read the playbook\n")
    assert_one_error_line(ready(oncall, root, *args), fragment)


@pytest.mark.parametrize(("items", "line"), [
    ("  - id: x\n    check: {command: echo hi}\n", 7),
    ("  - id: x\n    check: {command: []}\n", 7),
    ("  - id: x\n    check: {tcp: no-port}\n", 7),
    ("  - id: x\n    check: {tcp: \"vpn.example.com:99999\"}\n", 7),
    ("  - id: x\n    check: {frobnicate: 1}\n", 7),
    ("  - id: x\n    check: {env: HOME, timeout: forever}\n", 7),
    ("  - id: x\n    check: {env: HOME}\n  - id: x\n    check: {env: HOME}\n", 8),
    ("  - check: {env: HOME}\n", 6),
])
def test_bad_checklists_exit_2_at_their_line(oncall: Oncall, tmp_path: Path, items: str, line: int) -> None:
    root = org(tmp_path, items)
    assert_one_error_line(ready(oncall, root), f"checklists/c.yaml:{line}")
    assert_one_error_line(oncall("--root", str(root), "schedule", "validate"), f"checklists/c.yaml:{line}")


def test_a_secret_fetched_after_a_check_finished_is_masked_in_that_checks_message(
        oncall: Oncall, tmp_path: Path, http: Http) -> None:
    # One check at a time, in file order: the program prints the token before any check has
    # fetched it from the keyring; the http check fetches it afterwards.
    root = org(tmp_path, f"""\
  - id: shown
    check:
      command: ["{sys.executable}", "-c", "import os; print(os.environ['LEAKED'])"]
      env: LEAKED
      expect_output: "nope"
  - id: token
    check: {{http: "{http.url}/me", secret: pd}}
""")
    store_secret(oncall, root)
    result = oncall.subprocess("--root", str(root), "ready", "--check-access", "--workers", "1", "--format", "json",
                               env={"ONCALL_PERSON": "alice", "LEAKED": TOKEN})
    assert statuses(result) == {"shown": "fail", "token": "pass"}, result.out
    assert "output does not match" in result.out
    assert TOKEN not in result.text
    for path in (oncall.home / "state").rglob("*"):
        if path.is_file():
            assert TOKEN not in path.read_text(errors="replace"), path


def test_a_field_the_person_does_not_have_is_an_error_of_that_item(oncall: Oncall, tmp_path: Path) -> None:
    # bob has no github; alice has one: the checklist is valid, the item cannot run for bob
    root = org(tmp_path, "  - id: gh\n    check: {env: HOME}\n  - id: who\n    check: {file: \"/tmp/{person.github}\"}\n")
    assert oncall("--root", str(root), "schedule", "validate").code == 0
    result = oncall.subprocess("--root", str(root), "ready", "--person", "bob", "--checklist", "c",
                               "--check-access", "--format", "json")
    assert result.code == 1, result.err
    assert statuses(result) == {"gh": "pass", "who": "error"}
    (row,) = [r for r in json.loads(result.out)["results"] if r["item"] == "who"]
    assert "{person.github}" in row["message"] and "bob" in row["message"]
