"""Hostile inputs, fuzzed: peers that speak garbage or echo secrets in any encoding, state folders
that are not folders, and edits that race. Whatever happens, the answer is a clean outcome or one
clear error, and no form of a secret comes out."""

from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oncall.errors import OncallError, StateError
from oncall.notify.deliver import ChannelSender, DeliveryFailed
from oncall.notify.settings import EmailChannel, SlackChannel
from oncall.readiness.checks import Context
from oncall.readiness.runner import plan, run
from tests import peers
from tests.notify.test_delivery import message
from tests.readiness.conftest import ALICE, checklist, item, state_home

__all__ = ["state_home"]  # the fixture: a temporary state folder and a plaintext keyring in it

REPO = Path(__file__).resolve().parents[1]
TOKEN = "q7Rk/9vZ+w2Lp=XmT4"  # a token with characters that every encoding changes
WEBHOOK_TOKEN = "Zx81Qw0pLmN3vB7t"
PASSWORD = "h0stile-Pa55/w+rd"
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def forms(secret: str) -> list[str]:
    """How a careless peer may echo ``secret``."""
    raw = secret.encode()
    out = [secret, quote(secret, safe=""), quote_plus(secret), json.dumps(secret)[1:-1].replace("/", "\\/")]
    for pad in range(3):
        encoded = base64.b64encode(b"\0" * pad + raw + b"\0\0").decode()
        out.append(encoded)
        out.append(base64.urlsafe_b64encode(b"\0" * pad + raw).decode())
    return out


def leaks(text: str, secret: str) -> list[str]:
    """Pieces of ``secret`` in ``text``, in any of its forms (the middle of each base64 form)."""
    found = [secret[i:i + 8] for i in range(len(secret) - 7) if secret[i:i + 8] in text]
    found += [quote(secret, safe="")[i:i + 10] for i in range(len(quote(secret, safe="")) - 9)
              if quote(secret, safe="")[i:i + 10] in text]
    for pad in range(3):
        core = base64.b64encode(b"\0" * pad + secret.encode() + b"\0\0").decode()[4:-8]
        if core and core in text:
            found.append(core)
    return found


def clean(text: str) -> bool:
    return not any(ord(c) < 0x20 and c not in "\t" or 0x7F <= ord(c) < 0xA0 for c in text)


JUNK = st.sampled_from([
    b"HTTP/1.1 200 OK\r\n", b"HTTP/1.1 302 Found\r\n", b"HTTP/1.1 500 Oops\r\n", b"HTTP/1.0 404 \r\n",
    b"HTTP/9.9 abc\r\n", b"Content-Length: 5\r\n", b"Content-Length: -1\r\n", b"Content-Length: 99999999\r\n",
    b"Transfer-Encoding: chunked\r\n", b"Location: ", b"Content-Type: text/plain; charset=klingon\r\n",
    b"\r\n", b"\r\n\r\n", b"0\r\n\r\n", b"zz\r\n", b"\x1b[2J", b"\x07", b"\x1b]0;title\x07", b"\xff\xfe",
    b"\x00", b"\xc2\x9b31m", b"\xe2\x80\xae", b"ok", b" " * 70000,
])


def echoes(secret: str) -> st.SearchStrategy[bytes]:
    return st.sampled_from(forms(secret)).map(str.encode)


def script(secret: str) -> st.SearchStrategy[bytes]:
    return st.lists(JUNK | echoes(secret), max_size=12).map(b"".join)


class Scripted:
    """One raw TCP server whose next answer the test sets: each connection reads the request and
    gets ``answer`` (all at once, or trickled a few bytes at a time), then the server hangs up
    (or, with ``hang``, keeps the line open)."""

    def __init__(self) -> None:
        self.answer = b""
        self.hang = False
        self.trickle = False

    def __call__(self, conn: socket.socket, peer: peers.Peer) -> None:
        conn.settimeout(5)
        try:
            conn.recv(65536)
        except OSError:
            return
        if self.trickle:
            for i in range(0, len(self.answer), 4):
                conn.sendall(self.answer[i:i + 4])
                if not peer.pause(0.02):
                    return
        else:
            conn.sendall(self.answer)
        if self.hang:
            peer.pause(5)


# --- garbage-speaking and echoing peers --------------------------------------------------------


def test_http_checks_against_garbage_and_echoes() -> None:
    behaviour = Scripted()
    with peers.serving(behaviour) as peer:

        @FUZZ
        @given(script(TOKEN), st.booleans(), st.booleans())
        def one(answer: bytes, hang: bool, trickle: bool) -> None:
            behaviour.answer, behaviour.hang, behaviour.trickle = answer, hang, trickle
            check = item("api", "http", timeout=0.5, http=f"{peer.url}/me", secret="api", expect_body="/o+k/")
            ctx = Context(person=ALICE, now=0, get_secret=lambda name: TOKEN)
            [result] = run(plan([checklist(check)]), ctx)
            assert result.status in ("pass", "fail", "error")
            assert leaks(result.message, TOKEN) == [], result.message
            assert clean(result.message), result.message

        one()


def test_webhook_sends_against_garbage_and_echoes() -> None:
    behaviour = Scripted()
    with peers.serving(behaviour) as peer:
        url = f"{peer.url}/services/T0AB12CD/B0EF34GH/{WEBHOOK_TOKEN}"

        @FUZZ
        @given(script(url) | script(WEBHOOK_TOKEN), st.booleans())
        def one(answer: bytes, hang: bool) -> None:
            behaviour.answer, behaviour.hang = answer, hang
            sender = ChannelSender({"ops": SlackChannel("ops", "hook", timeout=0.5)}, secret={"hook": url}.get,
                                   sleep=lambda s: None, attempts=1)
            try:
                sender.send(message("ops"))
            except DeliveryFailed as exc:
                reason = str(exc)
                assert leaks(reason, WEBHOOK_TOKEN) == [] and leaks(reason, url) == [], reason
                assert clean(reason), reason

        one()


def smtp_script(secret: str) -> st.SearchStrategy[list[str]]:
    line = st.sampled_from(["220 hi", "250 ok", "250-x", "354 go", "421 busy", "535 no", "554 no", "999 ?",
                            "garbage", "", "\x1b[2J", "250 AUTH PLAIN"]) | st.sampled_from(forms(secret)).map(
        lambda f: f"535 5.7.8 {f} refused")
    return st.lists(line, min_size=1, max_size=8)


def test_smtp_sends_against_garbage_and_echoes() -> None:
    replies: list[str] = []

    def handler(conn: socket.socket, peer: peers.Peer) -> None:
        reader = conn.makefile("rb")
        for reply in list(replies):
            conn.sendall(reply.encode() + b"\r\n")
            if not reader.readline():
                return
        peer.pause(0.5)

    with peers.serving(handler) as peer:

        @FUZZ
        @given(smtp_script(PASSWORD))
        def one(script_lines: list[str]) -> None:
            replies[:] = ["220 hi", "250 AUTH PLAIN", *script_lines]
            channel = EmailChannel("mail", "127.0.0.1", "oncall@example.com", peer.port, "none",
                                   username="me@example.com", password_secret="p", timeout=0.5)
            sender = ChannelSender({"mail": channel}, secret={"p": PASSWORD}.get, sleep=lambda s: None, attempts=1)
            try:
                sender.send(message("mail", ("bob@example.com",)))
            except DeliveryFailed as exc:
                reason = str(exc)
                assert leaks(reason, PASSWORD) == [], reason
                assert clean(reason), reason

        one()


# --- state folders that are not what they seem -------------------------------------------------


ODD_FILES = ["file", "dev-null", "fifo", "missing-deep", "dangling-link", "loop-link", "unreadable"]


def make_special(base: Path, kind: str) -> Path:
    """An XDG_STATE_HOME that is a file, a device, a FIFO, a link to nowhere or a loop..."""
    target = base / "xdg"
    if kind == "file":
        target.write_text("not a folder")
    elif kind == "dev-null":
        target.symlink_to("/dev/null")
    elif kind == "fifo":
        os.mkfifo(target)
    elif kind == "missing-deep":
        target = base / "a" / "b" / "c" / "xdg"
    elif kind == "dangling-link":
        target.symlink_to(base / "nowhere" / "at-all")
    elif kind == "loop-link":
        target.symlink_to(target)
    elif kind == "unreadable":
        target.mkdir()
        (target / "oncall").write_bytes(b"\x00\xff not a folder either")
    return target


@pytest.mark.parametrize("kind", ODD_FILES)
def test_special_state_folders_give_one_clear_error_or_work(
    state_home: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    import keyring

    from oncall.notify.state import SentLog, locked, state_file
    from oncall.readiness.results import SavedRun, record_attestation, save_results
    from oncall.readiness.secrets import list_secrets, set_secret

    home = make_special(state_home, kind)
    monkeypatch.setenv("XDG_STATE_HOME", str(home))
    notify_state = home / "oncall" / "notify"
    actions = [
        lambda: save_results(SavedRun("alice", 0, 0)),
        lambda: record_attestation("alice", "c", "i", "I did", 0),
        lambda: set_secret("pd", "value", at=0),
        lambda: SentLog.load(state_file(notify_state, state_home)).prepare("k", 0, 0).commit(),
        lambda: locked(state_file(notify_state, state_home)).__enter__(),
    ]
    for action in actions:
        try:
            action()
        except StateError as exc:
            assert str(exc).startswith(("cannot ", "the notify state")), str(exc)
            assert "\n" not in str(exc)
    names = [s.name for s in list_secrets()]
    stored = keyring.get_keyring().get_password("oncall", "pd")
    assert (names == ["pd"]) == (stored == "value"), (names, stored)  # index and keyring agree


# --- edits that race ---------------------------------------------------------------------------


def _oncall(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "oncall", *args], env=env, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO)


def _all_at_once(commands: list[tuple[list[str], str]], env: dict[str, str]) -> list[tuple[int, str]]:
    start = threading.Barrier(len(commands))
    results: list[tuple[int, str]] = [(0, "")] * len(commands)

    def one(i: int, args: list[str], stdin: str) -> None:
        start.wait()
        process = _oncall(env, *args)
        _, err = process.communicate(stdin, timeout=120)
        results[i] = (process.returncode, err)

    threads = [threading.Thread(target=one, args=(i, a, s)) for i, (a, s) in enumerate(commands)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_concurrent_overrides_all_land_or_say_so(tmp_path: Path) -> None:
    root = tmp_path / "org"
    for folder in ("schedules", "checklists", "playbooks"):  # the example organisation
        shutil.copytree(REPO / folder, root / folder)
    env = dict(os.environ, ONCALL_ROOT=str(root), XDG_CACHE_HOME=str(tmp_path / "cache"), NO_COLOR="1")
    days = range(1, 7)
    results = _all_at_once([(["override", "add", "-s", "payments", "-p", "bob", "--from", f"2027-03-0{d}T09:00",
                              "--to", f"2027-03-0{d}T17:00"], "") for d in days], env)
    text = (root / "schedules" / "payments.yaml").read_text()
    for d, (code, err) in zip(days, results, strict=True):
        landed = f"2027-03-0{d}T09:00" in text
        assert code in (0, 1) and "Traceback" not in err, err
        assert landed == (code == 0), (d, code, err)  # success means it is in the file, and only then
    assert sum(code == 0 for code, _ in results) >= 1


def test_concurrent_secret_sets_all_land(tmp_path: Path) -> None:
    env = dict(os.environ, XDG_STATE_HOME=str(tmp_path / "state"), XDG_DATA_HOME=str(tmp_path / "data"),
               PYTHON_KEYRING_BACKEND="keyrings.alt.file.PlaintextKeyring", ONCALL_ROOT=str(REPO))
    names = [f"token-{i}" for i in range(10)]
    results = _all_at_once([(["secret", "set", name], f"value-of-{name}\n") for name in names], env)
    assert all(code == 0 for code, _ in results), results
    listed = subprocess.run([sys.executable, "-m", "oncall", "secret", "list", "--format", "json"], env=env,
                            capture_output=True, text=True, cwd=REPO, timeout=60)
    assert sorted(s["name"] for s in json.loads(listed.stdout)) == names
    from keyrings.alt.file import PlaintextKeyring

    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "data" / "python_keyring" / "keyring_pass.cfg")
    assert [backend.get_password("oncall", name) for name in names] == [f"value-of-{n}" for n in names]


def test_every_clean_error_is_an_oncall_error() -> None:
    assert issubclass(StateError, OncallError) and StateError.exit_code == 1
