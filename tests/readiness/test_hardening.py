"""Readiness checks against hostile peers and programs: deadlines, masking, leftover processes,
shell code in person fields, the environment a program sees, and state that cannot be written."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from oncall.errors import StateError
from oncall.model import Person
from oncall.readiness.checks import Context, code_arguments, run_check
from oncall.readiness.results import SavedRun, load_results, save_results
from oncall.readiness.runner import plan, run
from tests import peers
from tests.disks import tmpfs
from tests.readiness.conftest import ALICE, checklist, item

REPO = Path(__file__).resolve().parents[2]
NOW = 1_800_000_000
SLASHY_TOKEN = "tok/3f9a+1c77=planted"  # a base64-ish token: URL-encoding changes it


def ctx(token: str | None = None, person: Person = ALICE) -> Context:
    return Context(person=person, now=NOW, get_secret=lambda name: token)


# --- deadlines ---------------------------------------------------------------------------------


def test_a_trickling_server_cannot_stretch_the_timeout() -> None:
    # 60 bytes at one byte every 0.1 s: the whole answer would take 6 s; the check has 1 s.
    response = peers.http_response(200, b"ok" * 5)
    with peers.serving(peers.trickle(response, every=0.1)) as peer:
        outcome = run_check(item("slow", "http", timeout=1.0, http=f"{peer.url}/me"), ctx())
    assert outcome.status == "fail"
    assert outcome.message == f"timed out: {peer.url}/me did not answer within 1s"


def test_a_silent_tcp_peer_and_a_silent_http_peer_time_out() -> None:
    with peers.serving(peers.silent) as peer:
        outcome = run_check(item("quiet", "http", timeout=0.5, http=f"{peer.url}/"), ctx())
    assert outcome.status == "fail" and "did not answer within 0.5s" in outcome.message


def test_a_catastrophic_pattern_is_stopped_not_waited_for() -> None:
    # In a child process: with Python's own re these never end, and hold the interpreter meanwhile.
    script = (
        "import sys\n"
        "from oncall.readiness.checks import Context, run_check\n"
        "from tests.readiness.conftest import ALICE, item\n"
        "for pattern, text in (('/^(a+)+$/', 'a' * 40 + '!'), ('/^(a|aa)+$/', 'a' * 60 + '!')):\n"
        "    program = [sys.executable, '-c', f'print({text!r})']\n"
        "    check = item('re', 'command', timeout=1.0, command=program, expect_output=pattern)\n"
        "    outcome = run_check(check, Context(person=ALICE, now=0))\n"
        "    print(outcome.status, outcome.message)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, cwd=REPO,
                          env=dict(os.environ, PYTHONPATH=str(REPO)))
    assert done.returncode == 0, done.stderr
    first, second = done.stdout.splitlines()
    assert first == "fail output does not match '/^(a+)+$/': " + "a" * 40 + "!"
    assert second.startswith("error '/^(a|aa)+$/' took longer than")
    assert "backtracks" in second


# --- masking -----------------------------------------------------------------------------------


def _redirect_with_the_token(conn, peer) -> None:  # type: ignore[no-untyped-def]
    request = peers.read_request(conn, peer).decode("latin-1")
    auth = next(line.split(":", 1)[1].strip() for line in request.split("\r\n") if line.lower().startswith("authorization"))
    location = f"https://idp.example.com/continue/{quote(auth, safe='')}/x?token={quote(auth, safe='')}"
    conn.sendall(peers.http_response(302, b"", {"Location": location}))


def test_a_url_encoded_token_in_a_redirect_is_not_saved(state_home: Path) -> None:
    with peers.serving(_redirect_with_the_token) as peer:
        check = item("api", "http", http=f"{peer.url}/me", secret="pd")
        [result] = run(plan([checklist(check)]), ctx(SLASHY_TOKEN))
    assert result.status == "fail" and "redirected to a login page (https://idp.example.com/continue/" in result.message
    saved = save_results(SavedRun("alice", NOW, NOW, (result,), ("t",)))
    text = json.dumps(saved.to_dict())
    for form in (SLASHY_TOKEN, quote(SLASHY_TOKEN, safe=""), quote(f"Bearer {SLASHY_TOKEN}", safe=""), "3f9a"):
        assert form not in result.message and form not in text
    stored = (state_home / "state" / "oncall" / "results" / "alice.json").read_text()
    assert "3f9a" not in stored


def test_an_echoing_server_leaks_no_form_of_the_token() -> None:
    with peers.serving(peers.echo(302)) as peer:
        check = item("api", "http", http=f"{peer.url}/me/{quote(SLASHY_TOKEN, safe='')}", secret="pd")
        [result] = run(plan([checklist(check)]), ctx(SLASHY_TOKEN))
    assert result.status == "fail" and "redirected to a login page (/login)" in result.message
    assert "3f9a" not in result.message


# --- names that are not host names ----------------------------------------------------------------


@pytest.mark.filterwarnings("error::pytest.PytestUnhandledThreadExceptionWarning")
def test_a_64_character_label_is_a_clear_error() -> None:
    name = "a" * 64 + ".example.com"
    outcome = run_check(item("dns", "dns", dns=name), ctx())
    assert outcome.status == "fail"
    assert outcome.message == f"{name} is not a valid host name: the label '{'a' * 64}' has 64 characters, at most 63 are allowed"
    http = run_check(item("h", "http", http=f"https://{name}/"), ctx())
    assert http.status == "fail" and "at most 63" in http.message


# --- processes ---------------------------------------------------------------------------------


def _running(marker: str) -> list[int]:
    """Live processes whose command line holds ``marker``."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as fh:
                cmdline = fh.read().replace(b"\0", b" ").decode()
            with open(f"/proc/{entry}/stat") as fh:
                state = fh.read().rpartition(") ")[2][0]
        except OSError:
            continue
        if marker in cmdline and state != "Z":
            found.append(int(entry))
    return found


@pytest.fixture
def no_leftovers() -> Iterator[list[str]]:
    """Markers of processes a test starts; whatever still runs afterwards is killed (and fails it)."""
    markers: list[str] = []
    yield markers
    for marker in markers:
        for pid in _running(marker):
            os.kill(pid, 9)


# The sleeps' arguments mark the processes a test starts; this run's process id makes them unique,
# so two runs of the suite at once never stop (or count) each other's.
BACKGROUND, SETSID, FORKED, TREE = (f"{n}.{os.getpid()}" for n in (1003, 1004, 1006, 1005))

needs_proc = pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs /proc to look for leftovers")


@needs_proc
def test_a_background_process_is_stopped_when_the_check_ends(no_leftovers: list[str]) -> None:
    no_leftovers.append(BACKGROUND)
    outcome = run_check(item("bg", "command", command=["sh", "-c", f"sleep {BACKGROUND} >/dev/null 2>&1 &"]), ctx())
    assert outcome.status == "pass"
    assert "stopped 1 process it left running (sleep (pid" in outcome.message
    assert _running(BACKGROUND) == []


@needs_proc
def test_a_process_that_leaves_the_session_is_found_and_stopped(no_leftovers: list[str]) -> None:
    no_leftovers.append(SETSID)
    outcome = run_check(item("setsid", "command", timeout=5.0, command=["setsid", "sleep", SETSID]), ctx())
    assert outcome.status == "pass", outcome.message
    assert "stopped 1 process it left running (sleep (pid" in outcome.message
    assert _running(SETSID) == []


@needs_proc
def test_escapees_are_found_from_the_runner_s_worker_threads_too(no_leftovers: list[str]) -> None:
    no_leftovers.append(FORKED)
    checks = [item(f"s{i}", "command", timeout=5.0, command=["sh", "-c", f"setsid -f sleep {FORKED}; exit 0"])
              for i in range(3)]
    results = run(plan([checklist(*checks)]), ctx())
    assert [r.status for r in results] == ["pass"] * 3
    assert all("stopped 1 process it left running (sleep (pid" in r.message for r in results)
    assert _running(FORKED) == []


@needs_proc
def test_at_the_timeout_every_process_it_started_is_stopped_and_counted(no_leftovers: list[str]) -> None:
    no_leftovers.append(TREE)
    script = f"setsid sleep {TREE} & sleep {TREE} & sleep {TREE}"
    outcome = run_check(item("slow", "command", timeout=3.0, command=["sh", "-c", script]), ctx())
    assert outcome.status == "fail"
    assert outcome.message.startswith("did not finish within 3s; stopped it and 3 processes it started")
    assert "could not stop" not in outcome.message
    assert _running(TREE) == []


# --- person fields in code, the environment, output --------------------------------------------


MALLORY = Person(id="mallory", name="Mallory", email="m@example.com", slack="U1; touch PWNED #")


def test_a_person_field_inside_a_shell_script_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    outcome = run_check(item("sh", "command", command=["sh", "-c", "echo {person.slack}"]), ctx(person=MALLORY))
    assert outcome.status == "error"
    assert "{person.slack} is inside code that sh runs" in outcome.message
    assert "[sh, -c, 'echo \"$1\"', sh, \"{person.slack}\"]" in outcome.message
    assert not (tmp_path / "PWNED").exists()
    as_argument = item("arg", "command", command=["sh", "-c", 'echo "$1"', "sh", "{person.slack}"],
                       expect_output="U1; touch PWNED #")
    assert run_check(as_argument, ctx(person=MALLORY)).status == "pass"
    assert not (tmp_path / "PWNED").exists()


@pytest.mark.parametrize(("argv", "code"), [
    (["sh", "-c", "x"], {2}),
    (["bash", "--norc", "-lc", "x", "arg"], {3}),
    (["/bin/bash", "-o", "pipefail", "-ec", "x"], {4}),
    (["sudo", "-u", "ops", "zsh", "-c", "x"], {5}),
    (["kubectl", "exec", "pod", "--", "sh", "-c", "x"], {6}),
    (["ssh", "-o", "BatchMode=yes", "-p", "22", "host", "uptime", "x"], {6, 7}),
    (["python3.12", "-c", "x"], {2}),
    (["node", "--eval", "x"], {2}),
    (["sh", "script.sh", "x"], set()),
    (["echo", "-c", "x"], set()),
    (["kubectl", "auth", "can-i", "get", "pods"], set()),
])
def test_code_arguments(argv: list[str], code: set[int]) -> None:
    assert code_arguments(argv) == code


def test_programs_get_a_minimal_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ONCALL_TEST_PLANTED", "planted-credential-value")
    probe = [sys.executable, "-c", "import os, sys; sys.exit(1 if 'ONCALL_TEST_PLANTED' in os.environ else 0)"]
    assert run_check(item("env", "command", command=probe), ctx()).status == "pass"
    passed_on = item("env", "command", command=probe, env=["ONCALL_TEST_PLANTED"])
    assert run_check(passed_on, ctx()).status == "fail"
    given = ["env", "REGION={person.id}-eu", sys.executable, "-c", "import os; print(os.environ['REGION'])"]
    outcome = run_check(item("set", "command", command=given, expect_output="alice-eu"), ctx())
    assert outcome.status == "pass", outcome.message
    bad = run_check(item("bad", "command", command=probe, env=["NOT VALID"]), ctx())
    assert bad.status == "error" and "not a variable name" in bad.message


def test_a_passing_command_keeps_none_of_its_output() -> None:
    loud = [sys.executable, "-c", "print('aws account 123456789012 arn:aws:iam::123456789012:user/alice')"]
    outcome = run_check(item("who", "command", command=loud, expect_output="/arn:aws/"), ctx())
    assert outcome.status == "pass"
    assert outcome.message == "exited 0; output matches '/arn:aws/'"


# --- fixes -------------------------------------------------------------------------------------


def test_a_missing_secret_shows_its_own_fix_not_the_items() -> None:
    check = item("grafana", "http", http="http://127.0.0.1:1/", secret="grafana", fix="Re-login to Grafana")
    [result] = run(plan([checklist(check)]), ctx(None))
    assert result.status == "fail"
    assert result.message == "secret 'grafana' is not in the keyring"
    assert result.fix == "oncall secret set grafana"


def test_confirm_messages_carry_the_command_as_their_fix() -> None:
    from oncall.notify.messages import FailingItem, Readiness, failing_lines

    read = item("playbook", "confirm", confirm="I read it")
    [result] = run(plan([checklist(read)]), ctx())
    assert (result.status, result.message, result.fix) == ("fail", "not confirmed yet", "oncall ready --confirm playbook")
    status = Readiness("t", 1, (FailingItem(result.item, result.title, result.message, result.fix, None),), NOW)
    [line] = failing_lines(status)
    assert line == "- playbook: playbook title (not confirmed yet). Fix: oncall ready --confirm playbook"


# --- state that cannot be written ----------------------------------------------------------------


def test_state_folders_are_private(state_home: Path) -> None:
    os.umask(0o022)
    save_results(SavedRun("alice", NOW, NOW))
    state = state_home / "state" / "oncall"
    assert state.stat().st_mode & 0o777 == 0o700
    assert (state / "results").stat().st_mode & 0o777 == 0o700
    assert (state / "results" / "alice.json").stat().st_mode & 0o777 == 0o600


def test_read_only_state_is_one_clear_error(state_home: Path) -> None:
    with tmpfs(state_home / "state", readonly=True):
        with pytest.raises(StateError) as caught:
            save_results(SavedRun("alice", NOW, NOW))
    assert str(caught.value).startswith(f"cannot save {state_home / 'state' / 'oncall' / 'results' / 'alice.json'} "
                                        "(Read-only file system)")
    assert load_results("alice") is None


def test_read_only_state_on_the_command_line(tmp_path: Path) -> None:
    from tests.cli.test_ready import CHECKLIST, PEOPLE, SCHEDULE

    root = tmp_path / "org"
    (root / "schedules").mkdir(parents=True)
    (root / "checklists").mkdir()
    (root / "playbooks").mkdir()
    (root / "playbooks" / "guide.md").write_text("# Guide\n")
    (root / "schedules" / "people.yaml").write_text(PEOPLE)
    (root / "schedules" / "s.yaml").write_text(SCHEDULE)
    (root / "checklists" / "t.yaml").write_text(CHECKLIST.format(url="http://127.0.0.1:1", python=sys.executable))
    env = dict(os.environ, ONCALL_ROOT=str(root), ONCALL_PERSON="alice", NO_COLOR="1",
               XDG_STATE_HOME=str(tmp_path / "state"), XDG_DATA_HOME=str(tmp_path / "data"),
               PYTHON_KEYRING_BACKEND="keyrings.alt.file.PlaintextKeyring")

    def oncall(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "oncall", *args], env=env, input=stdin, capture_output=True,
                              text=True, timeout=120, cwd=REPO)

    with tmpfs(tmp_path / "state", readonly=True):
        for args in (["ready", "--check-access"], ["ready", "--confirm", "read"], ["secret", "set", "pd"]):
            result = oncall(*args, stdin="the-value\n")
            assert result.returncode == 1, (args, result.stderr)
            assert "Traceback" not in result.stderr
            [error] = [line for line in result.stderr.splitlines() if line.startswith("error:")]
            assert "(Read-only file system); make the folder writable" in error
        listed = oncall("secret", "list", "--format", "json")
        assert json.loads(listed.stdout) == []
    # The keyring was not touched either: nothing is stored under the name.
    keyring_file = tmp_path / "data" / "python_keyring" / "keyring_pass.cfg"
    assert not keyring_file.exists() or "pd" not in keyring_file.read_text()
