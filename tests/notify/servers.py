"""Real parts for the notify tests: a config root on disk, a local HTTP server standing in for the
Slack webhook, and an aiosmtpd SMTP server (plain, or STARTTLS with a self-signed certificate)."""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import socket
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

PEOPLE = """\
timezone: America/New_York
people:
  alice:
    name: Alice Park
    email: alice@example.com
    timezone: America/New_York
    slack: U0ALICE
  bob:
    name: Bob Okafor
    email: bob@example.com
    timezone: Europe/Berlin
  carol:
    name: Carol Diaz
    timezone: Asia/Kolkata
"""

# Weekly handoffs on Monday 09:00 New York: alice from 2 Mar 2026, bob from 9 Mar (the day after
# the US switch to summer time), alice again from 16 Mar.
PAYMENTS = """\
name: Payments primary
timezone: America/New_York
checklist: primary
layers:
  - name: weekly
    people: [alice, bob]
    start: 2026-03-02T09:00
    every: 1w
"""

CHECKLIST = """\
name: Primary readiness
items:
  - id: vpn
    title: VPN reaches the internal network
    check: {env: HOME}
"""


def write_root(root: Path, oncall_yaml: str, *, schedule: str = PAYMENTS) -> Path:
    """A config root with two people, the payments schedule and ``oncall.yaml``."""
    (root / "schedules").mkdir(parents=True, exist_ok=True)
    (root / "checklists").mkdir(exist_ok=True)
    (root / "schedules" / "people.yaml").write_text(PEOPLE)
    (root / "schedules" / "payments.yaml").write_text(schedule)
    (root / "checklists" / "primary.yaml").write_text(CHECKLIST)
    (root / "oncall.yaml").write_text(oncall_yaml)
    return root


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- the Slack stand-in ------------------------------------------------------------------------


@dataclass
class WebhookServer:
    """Answers POSTs from a script of (status, headers) replies, then 200 "ok"; records bodies."""

    port: int
    script: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    received: list[dict[str, Any]] = field(default_factory=list)  # every request
    delivered: list[dict[str, Any]] = field(default_factory=list)  # those answered 200
    paths: list[str] = field(default_factory=list)
    hold_after: int | None = None  # delivered count after which requests block until released
    holding: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/services/T000/B000/SECRETxWEBHOOKxTOKEN"

    def texts(self) -> list[str]:
        return [str(body["text"]) for body in self.delivered]


@pytest.fixture
def webhook() -> Iterator[WebhookServer]:
    state = WebhookServer(port=0)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length) or b"{}")
            with state.lock:
                state.received.append(body)
                state.paths.append(self.path)
                reply = state.script.pop(0) if state.script else (200, {})
                hold = state.hold_after is not None and len(state.delivered) >= state.hold_after
            if hold:
                # Stands for a request still in flight when the sender dies: never acknowledged.
                state.holding.set()
                state.release.wait(30)
                return
            status, headers = reply
            if status == 200:  # recorded before answering, so the client never sees "ok" first
                with state.lock:
                    state.delivered.append(body)
            payload = b"ok" if status == 200 else b"server_error" if status >= 500 else b"rate_limited"
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    with serving(Handler) as port:
        state.port = port
        try:
            yield state
        finally:
            state.release.set()


@contextmanager
def serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[int]:
    """A threaded HTTP server on 127.0.0.1 with ``handler``, for the block; yields its port."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


# --- the SMTP server ---------------------------------------------------------------------------


@dataclass
class Mailbox:
    port: int
    ca_file: Path | None = None
    mails: list[dict[str, Any]] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)

    def messages(self) -> list[Any]:
        from email import message_from_bytes, policy

        return [message_from_bytes(m["data"], policy=policy.default) for m in self.mails]


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and localhost, and its key, made with ``cryptography``."""
    crypto = pytest.importorskip("cryptography")
    del crypto
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "oncall test SMTP")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName([
            x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
        ]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def _start_smtp(box: Mailbox, **kwargs: Any) -> Any:
    from aiosmtpd.controller import Controller

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
            box.mails.append({"from": envelope.mail_from, "to": list(envelope.rcpt_tos), "data": envelope.content})
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=box.port, **kwargs)
    controller.start()
    return controller


@pytest.fixture
def smtp_plain() -> Iterator[Mailbox]:
    box = Mailbox(port=free_port())
    controller = _start_smtp(box)
    try:
        yield box
    finally:
        controller.stop()


SMTP_USER = "oncall@example.com"
SMTP_PASSWORD = "s3cret-SMTP-pa55word"


@pytest.fixture
def smtp_starttls(tmp_path: Path) -> Iterator[Mailbox]:
    """STARTTLS required before AUTH; the login must be SMTP_USER / SMTP_PASSWORD."""
    from aiosmtpd.smtp import AuthResult, LoginPassword

    cert, key = self_signed(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    box = Mailbox(port=free_port(), ca_file=cert)

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        if isinstance(auth_data, LoginPassword):
            login, password = auth_data.login.decode(), auth_data.password.decode()
            box.logins.append((login, password))
            ok = login == SMTP_USER and password == SMTP_PASSWORD
            return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535
        return AuthResult(success=False, handled=False)

    controller = _start_smtp(box, tls_context=context, require_starttls=True, authenticator=authenticator,
                             auth_require_tls=True)
    try:
        yield box
    finally:
        controller.stop()
