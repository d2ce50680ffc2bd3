"""Hostile peers on 127.0.0.1: raw TCP servers that trickle, echo what they were sent, speak
garbage, or never answer. Each connection is handed to a function that talks to the raw socket,
so a test can misbehave in exactly the way it needs; the server stops with the fixture."""

from __future__ import annotations

import base64
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

Handler = Callable[[socket.socket, "Peer"], None]


@dataclass
class Peer:
    port: int
    received: list[bytes] = field(default_factory=list)  # everything clients sent, one entry per connection
    stop: threading.Event = field(default_factory=threading.Event)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def pause(self, seconds: float) -> bool:
        """Sleep, unless the server is stopping; False once it is."""
        return not self.stop.wait(seconds)


@contextmanager
def serving(handler: Handler) -> Iterator[Peer]:
    """A threaded raw TCP server that runs ``handler(conn, peer)`` for each connection."""
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    listener.settimeout(0.1)
    peer = Peer(listener.getsockname()[1])

    def one(conn: socket.socket) -> None:
        with conn:
            conn.settimeout(10)
            try:
                handler(conn, peer)
            except OSError:
                pass  # the client hung up: that is what it should do with a hostile peer

    def accept() -> None:
        while not peer.stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=one, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield peer
    finally:
        peer.stop.set()
        thread.join(5)
        listener.close()


def read_request(conn: socket.socket, peer: Peer) -> bytes:
    """Read one HTTP request (headers and a Content-Length body) and record it."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip() or 0)
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    peer.received.append(head + b"\r\n\r\n" + body)
    return head + b"\r\n\r\n" + body


def request_target(request: bytes) -> str:
    return request.split(b"\r\n", 1)[0].split(b" ")[1].decode("latin-1")


def http_response(status: int, body: bytes, headers: dict[str, str] | None = None) -> bytes:
    lines = [f"HTTP/1.1 {status} Whatever", f"Content-Length: {len(body)}", "Connection: close"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


# --- HTTP behaviours ---------------------------------------------------------------------------


def trickle(response: bytes, every: float = 0.5) -> Handler:
    """Answer with ``response``, one byte every ``every`` seconds."""

    def handler(conn: socket.socket, peer: Peer) -> None:
        read_request(conn, peer)
        for byte in response:
            conn.sendall(bytes([byte]))
            if not peer.pause(every):
                return

    return handler


def echo(status: int = 404, template: str = "no webhook at {target}") -> Handler:
    """Answer ``status`` with a body that echoes the request target and every header, plainly,
    URL-encoded and in base64: the careless server that leaks what it was given."""

    def handler(conn: socket.socket, peer: Peer) -> None:
        request = read_request(conn, peer)
        target = request_target(request)
        from urllib.parse import quote

        head = request.split(b"\r\n\r\n", 1)[0].decode("latin-1")
        body = "\n".join([
            template.format(target=target),
            f"encoded: {quote(target, safe='')}",
            f"base64: {base64.b64encode(target.encode()).decode()}",
            f"headers: {head}",
        ])
        conn.sendall(http_response(status, body.encode(), {"Location": f"/login?next={quote(target, safe='')}"}))

    return handler


def garbage(data: bytes, then_hang: bool = False) -> Handler:
    """Read the request, answer ``data`` (not HTTP at all), then hang up or hang."""

    def handler(conn: socket.socket, peer: Peer) -> None:
        read_request(conn, peer)
        conn.sendall(data)
        if then_hang:
            peer.pause(30)

    return handler


def silent(conn: socket.socket, peer: Peer) -> None:
    """Accept and never say anything."""
    peer.pause(30)


# --- SMTP behaviours ---------------------------------------------------------------------------


def smtp_trickle(every: float = 0.5) -> Handler:
    """An SMTP greeting sent one byte at a time, forever."""

    def handler(conn: socket.socket, peer: Peer) -> None:
        greeting = b"220 slow.example.com ESMTP " + b"." * 10000 + b"\r\n"
        for byte in greeting:
            conn.sendall(bytes([byte]))
            if not peer.pause(every):
                return

    return handler


def smtp_echo_auth(conn: socket.socket, peer: Peer) -> None:
    """A plain SMTP server that takes any AUTH PLAIN login, then refuses the sender with an error
    that echoes the credentials (the base64 as sent, and decoded)."""
    reader = conn.makefile("rb")

    def say(line: str) -> None:
        conn.sendall(line.encode() + b"\r\n")

    say("220 echo.example.com ESMTP")
    credentials = ""
    while True:
        line = reader.readline()
        if not line:
            break
        peer.received.append(line)
        verb = line.split(b" ", 1)[0].strip().upper()
        if verb == b"EHLO":
            say("250-echo.example.com")
            say("250 AUTH PLAIN LOGIN")
        elif verb == b"AUTH":
            sent = line.strip().split(b" ")[-1].decode()
            decoded = base64.b64decode(sent).replace(b"\0", b"|").decode("utf-8", "replace")
            credentials = f"{sent} ({decoded})"
            say("235 2.7.0 ok")
        elif verb == b"MAIL":
            say(f"554 5.7.1 session {credentials} may not send")
        elif verb == b"QUIT":
            say("221 bye")
            break
        else:
            say("502 5.5.2 what?")
