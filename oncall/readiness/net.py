"""The network seam: name lookups, TCP connections and HTTP requests, each within a deadline.

Every budget here is a wall-clock deadline for the whole operation, not a timeout per socket call:
a server that trickles one byte at a time cannot stretch a 3 s check (``oncall.deadline`` shuts
the sockets down when the time is up). ``socket.create_connection(timeout=)`` does not bound the
DNS lookup, so every lookup runs in a worker thread that is abandoned when the budget is spent (a
dead VPN's resolver must not hang a check). HTTP uses ``http.client`` directly: TLS is verified
with the system's CA store, and redirects are followed only when asked, never carrying credentials
to another origin. Error messages quote what a peer said only through ``oncall.redact.peer_text``.
"""

from __future__ import annotations

import http.client
import ipaddress
import re
import socket
import ssl
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from oncall.deadline import Deadline, Guard, guard
from oncall.redact import peer_text

MAX_BODY = 1024 * 1024
REDIRECTS = (301, 302, 303, 307, 308)
MAX_REDIRECTS = 5
_LABEL = re.compile(r"^(?!-)[A-Za-z0-9_-]{1,63}(?<!-)$")


class NetTimeout(Exception):
    """The time budget ran out."""


class NetError(Exception):
    """A lookup, connection or request failed; the message is safe to show (no header values)."""


class BadUrl(NetError):
    """A URL that cannot be sent at all (nothing went out)."""


def check_host(host: str) -> str:
    """``host`` if it can be looked up; else ``NetError`` saying what is wrong with it."""
    if _ip_literal(host) is not None or "%" in host:
        return host
    shown = peer_text(host, limit=80)
    name = host[:-1] if host.endswith(".") else host
    if not name:
        raise NetError("the host name is empty")
    total = 0
    for label in name.split("."):
        try:
            ascii_label = label if label.isascii() else label.encode("idna").decode("ascii")
        except UnicodeError:
            raise NetError(f"{shown} is not a valid host name: {peer_text(label, limit=80)!r} is not a valid "
                           "international label") from None
        total += len(ascii_label) + 1
        if len(ascii_label) > 63:
            raise NetError(f"{shown} is not a valid host name: the label {peer_text(label, limit=80)!r} has "
                           f"{len(ascii_label)} characters, at most 63 are allowed")
        if not _LABEL.match(ascii_label):
            raise NetError(f"{shown} is not a valid host name: the label {peer_text(label, limit=80)!r} may hold "
                           "only letters, digits, '-' and '_', and not '-' at either end")
    if total - 1 > 253:
        raise NetError(f"{shown} is not a valid host name: it has more than 253 characters")
    return host


def resolve(host: str, port: int | None, timeout: float) -> list[str]:
    """The addresses ``host`` resolves to, within ``timeout`` seconds."""
    literal = _ip_literal(host)
    if literal is not None:
        return [literal]  # nothing to look up, so no thread to start: a burst of checks starts sooner
    check_host(host)
    box: dict[str, object] = {}

    def lookup() -> None:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            box["addrs"] = list(dict.fromkeys(str(info[4][0]) for info in infos))
        except Exception as exc:  # handed to the caller: a worker thread must never print a traceback
            box["error"] = exc

    worker = threading.Thread(target=lookup, name=f"dns {host}", daemon=True)
    worker.start()
    worker.join(max(timeout, 0.0))
    if worker.is_alive():
        raise NetTimeout(f"looking up {host} took longer than {timeout:g}s")
    error = box.get("error")
    if isinstance(error, socket.gaierror):
        raise NetError(f"{host} does not resolve ({error.strerror})")
    if isinstance(error, UnicodeError):
        raise NetError(f"{peer_text(host, limit=80)} is not a valid host name ({peer_text(error, limit=80)})")
    if isinstance(error, BaseException):
        raise NetError(f"looking up {host} failed ({peer_text(error, limit=120)})")
    addrs = box.get("addrs")
    return addrs if isinstance(addrs, list) else []


def _ip_literal(host: str) -> str | None:
    """``host`` as an address when it is an IPv4 or IPv6 literal (as getaddrinfo would return it).

    Scoped IPv6 (``fe80::1%eth0``) and the legacy forms getaddrinfo accepts (``127.1``) take the lookup path.
    """
    if "%" in host:
        return None
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return None


def _connect(host: str, addrs: Sequence[str], port: int, deadline: Deadline) -> socket.socket:
    """A TCP connection to the first of ``addrs`` that answers before ``deadline``."""
    last: Exception | None = None
    for addr in addrs:
        remaining = deadline.remaining()
        if remaining <= 0:
            break
        try:
            return socket.create_connection((addr, port), timeout=remaining)
        except TimeoutError:
            last = NetTimeout(f"{host}:{port} did not answer within {deadline.seconds:g}s")
        except OSError as exc:
            last = NetError(f"{host}:{port} refused or unreachable ({exc.strerror or exc})")
    if last is None:
        raise NetTimeout(f"{host}:{port} did not answer within {deadline.seconds:g}s")
    raise last


def tcp_connect(host: str, port: int, timeout: float) -> str:
    """Open (and close) a TCP connection to ``host:port``; returns the address that answered."""
    deadline = Deadline(timeout)
    addrs = resolve(host, port, timeout)
    with _connect(host, addrs, port, deadline) as sock:
        return str(sock.getpeername()[0])


@dataclass(frozen=True)
class HttpResponse:
    status: int
    url: str  # the URL that gave this response
    headers: Mapping[str, str]
    body: str
    redirects: tuple[str, ...] = field(default=())  # URLs followed on the way


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    default = 443 if parts.scheme == "https" else 80
    return parts.scheme, (parts.hostname or "").lower(), parts.port or default


def http_request(
    method: str,
    url: str,
    headers: Mapping[str, str],
    timeout: float,
    *,
    sensitive: tuple[str, ...] = ("authorization",),
    follow_redirects: bool = False,
    verify: bool = True,
    body: str | bytes | None = None,
    name: str | None = None,
    secrets: Sequence[str] = (),
    cafile: str | None = None,
) -> HttpResponse:
    """Send one request (following redirects only when asked), all of it within ``timeout`` seconds.

    Headers named in ``sensitive`` are sent only to the origin of ``url``: a redirect to another
    scheme, host or port drops them. Messages name the request ``name`` when given (for a URL that
    is itself a secret), else the URL; ``secrets`` are masked in anything quoted from the peer.
    """
    deadline = Deadline(timeout)
    what = name or url
    first = check_url(url, what, secrets)
    first_origin = _origin(first)
    followed: list[str] = []
    current = first
    while True:
        send = {k: v for k, v in headers.items()
                if _origin(current) == first_origin or k.lower() not in sensitive}
        response = _once(method, current, send, deadline, verify, body, what, secrets, cafile)
        location = response.headers.get("location")
        if not (follow_redirects and response.status in REDIRECTS and location):
            return HttpResponse(response.status, current, response.headers, response.body, tuple(followed))
        if len(followed) >= MAX_REDIRECTS:
            raise NetError(f"more than {MAX_REDIRECTS} redirects from {what}")
        followed.append(current)
        current = check_url(urljoin(current, location), f"the redirect from {what}", secrets)
        what = name or current
        if response.status == 303:
            method, body = "GET", None


def check_url(url: str, what: str, secrets: Sequence[str] = ()) -> str:
    """``url`` if it can be sent; else ``BadUrl`` that names ``what`` (never the URL's secret)."""
    shown = peer_text(what, secrets, limit=120)
    if any(c.isspace() or ord(c) < 0x20 or ord(c) == 0x7F for c in url):
        raise BadUrl(f"{shown} is not a valid URL: it contains a space or a control character")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        reason = "an unclosed [ in the host" if "IPv6" in str(exc) else "a port that is not a number from 1 to 65535"
        raise BadUrl(f"{shown} is not a valid URL ({reason})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadUrl(f"{shown} is not an http or https URL")
    if port == 0:
        raise BadUrl(f"{shown} is not a valid URL (port 0)")
    try:
        check_host(parts.hostname)
    except NetError as exc:
        raise BadUrl(str(exc)) from None
    return url


class _Connection(http.client.HTTPConnection):
    """An HTTP(S) connection whose sockets (and TLS handshake) are watched by a deadline guard."""

    def __init__(self, host: str, port: int, addrs: Sequence[str], g: Guard,
                 context: ssl.SSLContext | None) -> None:
        super().__init__(host, port, timeout=max(g.deadline.remaining(), 0.001))
        self._addrs = addrs
        self._guard = g
        self._context = context

    def connect(self) -> None:
        sock = self._guard.watch(_connect(self.host, self._addrs, self.port or 80, self._guard.deadline))
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self._context is not None:
            sock = self._context.wrap_socket(sock, server_hostname=self.host)
        self.sock = sock


def _once(method: str, url: str, headers: Mapping[str, str], deadline: Deadline, verify: bool,
          body: str | bytes | None, what: str, secrets: Sequence[str], cafile: str | None) -> HttpResponse:
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    timed_out = NetTimeout(f"{what} did not answer within {deadline.seconds:g}s")
    if deadline.expired:
        raise timed_out
    addrs = resolve(host, port, deadline.remaining())
    payload = body.encode() if isinstance(body, str) else body
    with guard(deadline) as g:
        context = None
        if parts.scheme == "https":
            context = ssl.create_default_context(cafile=cafile)
            if not verify:
                context.check_hostname = False
                context.verify_mode = ssl.CERT_NONE
            context = g.tls_context(context)
        conn = _Connection(host, port, addrs, g, context)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            conn.request(method, path, body=payload, headers=dict(headers))
            resp = conn.getresponse()
            data = resp.read(MAX_BODY)
            if g.fired:  # a shut-down socket can look like a short, complete body
                raise timed_out
            charset = resp.headers.get_content_charset() or "utf-8"
            try:
                text = data.decode(charset, errors="replace")
            except LookupError:  # a charset Python does not know
                text = data.decode("utf-8", errors="replace")
            return HttpResponse(
                status=resp.status,
                url=url,
                headers={k.lower(): v for k, v in resp.getheaders()},
                body=text,
            )
        except NetTimeout:
            raise
        except NetError:
            raise
        except Exception as exc:
            if g.fired or isinstance(exc, TimeoutError):
                raise timed_out from None
            raise _failure(exc, host, what, secrets) from None
        finally:
            conn.close()


def _failure(exc: Exception, host: str, what: str, secrets: Sequence[str]) -> NetError:
    shown = peer_text(what, secrets, limit=120)
    if isinstance(exc, ssl.SSLCertVerificationError):
        return NetError(f"TLS certificate of {host} is not trusted ({peer_text(exc.verify_message, secrets)})")
    if isinstance(exc, ssl.SSLError):
        return NetError(f"TLS with {host} failed ({peer_text(exc.reason, secrets)})")
    if isinstance(exc, OSError | http.client.HTTPException):
        return NetError(f"{shown} failed ({type(exc).__name__}: {peer_text(exc, secrets, limit=120)})")
    if isinstance(exc, ValueError):
        # http.client quotes a bad header value in its message: that value may be a token.
        return NetError(f"a header for {shown} is not valid (a line break in a secret or header?)")
    return NetError(f"{shown} failed ({type(exc).__name__})")
