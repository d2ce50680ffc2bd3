"""Real parts for readiness tests: a local HTTP server that demands a token, an isolated state dir
and a file keyring in a temp folder."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from oncall.model import Checklist, ChecklistItem, Person

TOKEN = "tok-3f9a1c77-planted-value"


@dataclass
class Server:
    url: str
    seen: list[dict[str, str]] = field(default_factory=list)  # headers of every request, in order
    redirect_to: str = ""


def _handler(server: Server) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # keep test output clean
            pass

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            server.seen.append({k.lower(): v for k, v in self.headers.items()} | {"path": self.path})
            auth = self.headers.get("Authorization", "")
            path = self.path.split("?")[0]
            if path == "/slow":
                time.sleep(3)
                return self._send(200, "late")
            if path.startswith("/delay/"):
                time.sleep(float(path.rsplit("/", 1)[1]))
                return self._send(200, f"ok {path}")
            if path == "/redirect":
                self.send_response(302)
                self.send_header("Location", server.redirect_to)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            if path == "/login-redirect":
                self.send_response(302)
                self.send_header("Location", "https://sso.example.com/login?state=abc")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            if path.startswith("/charset/"):  # a body in UTF-8 whatever charset the header names
                data = "héllo".encode()
                self.send_response(200)
                self.send_header("Content-Type", f"text/plain; charset={path.rsplit('/', 1)[1]}")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                return None
            if path == "/forbidden":
                return self._send(403, "no scope")
            if path == "/open":
                return self._send(200, "hello alice@example.com")
            if path == "/echo":  # a careless server that echoes the credential back
                return self._send(500, f"bad request with {auth}")
            if auth in (f"Bearer {TOKEN}", f"Token token={TOKEN}") or self.headers.get("X-Api-Key") == TOKEN:
                return self._send(200, '{"user": {"email": "alice@example.com"}}')
            return self._send(401, "who are you")

        def _send(self, status: int, body: str) -> None:
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


class _Httpd(ThreadingHTTPServer):
    # The listen backlog is read in __init__ (server_activate), so it must be a class attribute:
    # http.server's default of 5 makes a burst of 200 connections wait for SYN retries (1 s and more),
    # which would measure the server's queue, not the checks.
    request_queue_size = 1024
    daemon_threads = True


def start_server() -> tuple[ThreadingHTTPServer, Server]:
    """A threaded HTTP server on 127.0.0.1 (any free port) with a backlog large enough for a burst."""
    holder = Server(url="")
    httpd = _Httpd(("127.0.0.1", 0), _handler(holder))
    holder.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return httpd, holder


def serving() -> Iterator[Server]:
    """A running server for the length of a fixture (``yield from serving()``)."""
    httpd, holder = start_server()
    try:
        yield holder
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def server() -> Iterator[Server]:
    yield from serving()


@pytest.fixture
def other_server() -> Iterator[Server]:
    yield from serving()


@pytest.fixture
def state_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty XDG state folder, and a plain-file keyring in the temp folder."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
    import keyring
    from keyrings.alt.file import PlaintextKeyring

    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "data" / "keyring_pass.cfg")
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    yield tmp_path
    keyring.set_keyring(previous)


ALICE = Person(id="alice", name="Alice Park", email="alice@example.com", slack="U024BE7LH")


def item(iid: str, kind: str, timeout: float = 5.0, **check: object) -> ChecklistItem:
    """A checklist item built directly (no YAML)."""
    params = {k: v for k, v in check.items() if k not in ("needs", "when", "retries", "fix", "severity")}
    return ChecklistItem(
        id=iid, title=f"{iid} title", kind=kind, check=params, timeout=timeout,
        needs=tuple(check.get("needs", ())),  # type: ignore[arg-type]
        when=check.get("when", {}),  # type: ignore[arg-type]
        retries=int(check.get("retries", 0)),  # type: ignore[call-overload]
        fix=str(check["fix"]) if "fix" in check else None,
        severity=str(check.get("severity", "block")),
    )


def checklist(*items: ChecklistItem, cid: str = "t") -> Checklist:
    return Checklist(id=cid, name=f"{cid} checklist", items=tuple(items))
