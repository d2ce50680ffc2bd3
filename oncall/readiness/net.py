"""The network seam: name lookups, TCP connections and HTTP requests, each within a time budget.

``socket.create_connection(timeout=)`` does not bound the DNS lookup, so every lookup here runs in
a worker thread that is abandoned when the budget is spent (a dead VPN's resolver must not hang a
check). HTTP uses ``http.client`` directly: TLS is verified with the system's CA store, and
redirects are followed only when asked, never carrying credentials to another origin.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

MAX_BODY = 1024 * 1024
REDIRECTS = (301, 302, 303, 307, 308)
MAX_REDIRECTS = 5


class NetTimeout(Exception):
    """The time budget ran out."""


class NetError(Exception):
    """A lookup, connection or request failed; the message is safe to show (no header values)."""


def resolve(host: str, port: int | None, timeout: float) -> list[str]:
    """The addresses ``host`` resolves to, within ``timeout`` seconds."""
    literal = _ip_literal(host)
    if literal is not None:
        return [literal]  # nothing to look up, so no thread to start: a burst of checks starts sooner
    box: dict[str, object] = {}

    def lookup() -> None:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            box["addrs"] = list(dict.fromkeys(str(info[4][0]) for info in infos))
        except OSError as exc:
            box["error"] = exc

    worker = threading.Thread(target=lookup, name=f"dns {host}", daemon=True)
    worker.start()
    worker.join(max(timeout, 0.0))
    if worker.is_alive():
        raise NetTimeout(f"looking up {host} took longer than {timeout:g}s")
    error = box.get("error")
    if isinstance(error, socket.gaierror):
        raise NetError(f"{host} does not resolve ({error.strerror})")
    if isinstance(error, OSError):
        raise NetError(f"looking up {host} failed ({error})")
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


def tcp_connect(host: str, port: int, timeout: float) -> str:
    """Open (and close) a TCP connection to ``host:port``; returns the address that answered."""
    deadline = time.monotonic() + timeout
    addrs = resolve(host, port, timeout)
    last: Exception | None = None
    for addr in addrs:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        try:
            with socket.create_connection((addr, port), timeout=remaining):
                return addr
        except TimeoutError:
            last = NetTimeout(f"{host}:{port} did not answer within {timeout:g}s")
        except OSError as exc:
            last = NetError(f"{host}:{port} refused or unreachable ({exc.strerror or exc})")
    if last is None:
        raise NetTimeout(f"{host}:{port} did not answer within {timeout:g}s")
    raise last


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
    body: str | None = None,
) -> HttpResponse:
    """Send one request (following redirects only when asked) within ``timeout`` seconds overall.

    Headers named in ``sensitive`` are sent only to the origin of ``url``: a redirect to another
    scheme, host or port drops them.
    """
    deadline = time.monotonic() + timeout
    first_origin = _origin(url)
    followed: list[str] = []
    current = url
    while True:
        send = {k: v for k, v in headers.items()
                if _origin(current) == first_origin or k.lower() not in sensitive}
        response = _once(method, current, send, deadline, timeout, verify, body)
        location = response.headers.get("location")
        if not (follow_redirects and response.status in REDIRECTS and location):
            return HttpResponse(response.status, current, response.headers, response.body, tuple(followed))
        if len(followed) >= MAX_REDIRECTS:
            raise NetError(f"more than {MAX_REDIRECTS} redirects from {url}")
        followed.append(current)
        current = urljoin(current, location)
        if response.status == 303:
            method, body = "GET", None


def _once(method: str, url: str, headers: Mapping[str, str], deadline: float, timeout: float,
          verify: bool, body: str | None) -> HttpResponse:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise NetError(f"{url!r} is not an http or https URL")
    host = parts.hostname
    port = parts.port or (443 if parts.scheme == "https" else 80)

    def remaining() -> float:
        left = deadline - time.monotonic()
        if left <= 0:
            raise NetTimeout(f"{url} did not answer within {timeout:g}s")
        return left

    resolve(host, port, remaining())  # bounds the lookup; the connection below then hits the cache
    conn: http.client.HTTPConnection
    if parts.scheme == "https":
        context = ssl.create_default_context()
        if not verify:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        conn = http.client.HTTPSConnection(host, port, timeout=remaining(), context=context)
    else:
        conn = http.client.HTTPConnection(host, port, timeout=remaining())
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    try:
        conn.request(method, path, body=body.encode() if body is not None else None, headers=dict(headers))
        if conn.sock is not None:
            conn.sock.settimeout(remaining())
        resp = conn.getresponse()
        data = resp.read(MAX_BODY)
        charset = resp.headers.get_content_charset() or "utf-8"
        return HttpResponse(
            status=resp.status,
            url=url,
            headers={k.lower(): v for k, v in resp.getheaders()},
            body=data.decode(charset, errors="replace"),
        )
    except TimeoutError:
        raise NetTimeout(f"{url} did not answer within {timeout:g}s") from None
    except ssl.SSLCertVerificationError as exc:
        raise NetError(f"TLS certificate of {host} is not trusted ({exc.verify_message})") from None
    except ssl.SSLError as exc:
        raise NetError(f"TLS with {host} failed ({exc.reason})") from None
    except (OSError, http.client.HTTPException) as exc:
        raise NetError(f"{url} failed ({type(exc).__name__}: {exc})") from None
    except ValueError:
        # http.client quotes a bad header value in its message: that value may be a token.
        raise NetError(f"a header for {url} is not valid (a line break in a secret or header?)") from None
    finally:
        conn.close()
