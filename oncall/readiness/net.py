"""The network seam: name lookups, TCP connections and HTTP requests, each within a deadline.

Every budget here is a wall-clock deadline for the whole operation, not a timeout per socket call:
a server that trickles one byte at a time cannot stretch a 3 s check. The work is done on an
asyncio event loop (``*_async``), so thousands of checks can wait at once on one thread; the plain
functions (``resolve``, ``http_request``) run the same on a loop of their own. That loop is
uvloop's where it is installed (Linux and macOS), else asyncio's own.
``socket.create_connection(timeout=)`` does not bound the DNS lookup, and neither would asyncio's
own lookup (its threads are waited for at the end), so every lookup runs in a thread of its own
that is abandoned when the budget is spent (a dead VPN's resolver must not hang a check). HTTP/1.1
is spoken with h11 over asyncio's streams: TLS is verified with the system's CA store, and
redirects are followed only when asked, never carrying credentials to another origin. Error
messages quote what a peer said only through ``oncall.redact.peer_text``.
"""

from __future__ import annotations

import asyncio
import codecs
import functools
import ipaddress
import os
import re
import socket
import ssl
import threading
from collections.abc import Callable, Coroutine, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, ParamSpec, TypeVar
from urllib.parse import SplitResult, urljoin, urlsplit

import h11

from oncall.deadline import Deadline
from oncall.redact import peer_text

MAX_BODY = 1024 * 1024
REDIRECTS = (301, 302, 303, 307, 308)
MAX_REDIRECTS = 5
_LABEL = re.compile(r"^(?!-)[A-Za-z0-9_-]{1,63}(?<!-)$")
_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f]")

P = ParamSpec("P")
T = TypeVar("T")


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


async def resolve_async(host: str, port: int | None, timeout: float) -> list[str]:
    """The addresses ``host`` resolves to, within ``timeout`` seconds."""
    literal = _ip_literal(host)
    if literal is not None:
        return [literal]  # nothing to look up, so no thread to start
    check_host(host)
    loop = asyncio.get_running_loop()
    answer: asyncio.Future[list[str]] = loop.create_future()

    def settle(addrs: list[str], error: BaseException | None) -> None:
        if answer.done():
            return  # the check gave up waiting
        if error is not None:
            answer.set_exception(error)
        else:
            answer.set_result(addrs)

    def lookup() -> None:
        addrs: list[str] = []
        error: BaseException | None = None
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            addrs = list(dict.fromkeys(str(info[4][0]) for info in infos))
        except Exception as exc:  # handed to the check: a worker thread must never print a traceback
            error = exc
        try:
            loop.call_soon_threadsafe(settle, addrs, error)
        except RuntimeError:
            pass  # the loop has ended: nobody waits for this answer any more

    threading.Thread(target=lookup, name=f"dns {host}", daemon=True).start()
    try:
        return await asyncio.wait_for(answer, max(timeout, 0.0))
    except TimeoutError:
        raise NetTimeout(f"looking up {host} took longer than {timeout:g}s") from None
    except socket.gaierror as error:
        raise NetError(f"{host} does not resolve ({error.strerror})") from None
    except UnicodeError as error:
        raise NetError(f"{peer_text(host, limit=80)} is not a valid host name ({peer_text(error, limit=80)})") from None
    except Exception as error:
        raise NetError(f"looking up {host} failed ({peer_text(error, limit=120)})") from None


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


async def _connect(host: str, addrs: Sequence[str], port: int,
                   deadline: Deadline) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """A TCP connection to the first of ``addrs`` that answers before ``deadline``."""
    last: Exception | None = None
    for addr in addrs:
        remaining = deadline.remaining()
        if remaining <= 0:
            break
        try:
            async with asyncio.timeout(remaining):
                return await asyncio.open_connection(addr, port)
        except TimeoutError:
            last = NetTimeout(f"{host}:{port} did not answer within {deadline.seconds:g}s")
        except OSError as exc:  # asyncio words it "Connect call failed (address)": the system's words say why
            last = NetError(f"{host}:{port} refused or unreachable ({os.strerror(exc.errno) if exc.errno else exc})")
    if last is None:
        raise NetTimeout(f"{host}:{port} did not answer within {deadline.seconds:g}s")
    raise last


async def tcp_connect_async(host: str, port: int, timeout: float) -> str:
    """Open (and close) a TCP connection to ``host:port``; returns the address that answered."""
    deadline = Deadline(timeout)
    addrs = await resolve_async(host, port, timeout)
    _reader, writer = await _connect(host, addrs, port, deadline)
    try:
        return str(writer.get_extra_info("peername")[0])
    finally:
        writer.close()


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


async def http_request_async(
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
        same_origin = _origin(current) == first_origin
        send = {k: v for k, v in headers.items() if same_origin or k.lower() not in sensitive}
        response = await _once(method, current, send, deadline, verify, body, what, secrets, cafile)
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


def run_to_end(work: Coroutine[Any, Any, T]) -> T:
    """Run ``work`` to its end on an event loop of its own, for a caller that has none running.

    A caller that already runs a loop on this thread (a notebook, a browser driven through its
    synchronous API) cannot start another there, so then ``work`` runs on a thread of its own.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return _run(work)
    with ThreadPoolExecutor(1, thread_name_prefix="event loop") as thread:
        return thread.submit(_run, work).result()


def _run(work: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run(work)`` on uvloop's event loop where it is installed (Linux and macOS): the same
    loop written in C, which costs about half the CPU per connection of asyncio's own."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(work)
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(work)


def _blocking(work: Callable[P, Coroutine[Any, Any, T]]) -> Callable[P, T]:
    """``work`` for a caller without an event loop (``run_to_end``)."""

    @functools.wraps(work)
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        return run_to_end(work(*args, **kwargs))

    return run


resolve = _blocking(resolve_async)
http_request = _blocking(http_request_async)


def check_url(url: str, what: str, secrets: Sequence[str] = ()) -> str:
    """``url`` if it can be sent; else ``BadUrl`` that names ``what`` (never the URL's secret)."""

    def bad(reason: str) -> BadUrl:
        return BadUrl(f"{peer_text(what, secrets, limit=120)} {reason}")

    if _SPACE_OR_CONTROL.search(url):
        raise bad("is not a valid URL: it contains a space or a control character")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        reason = "an unclosed [ in the host" if "IPv6" in str(exc) else "a port that is not a number from 1 to 65535"
        raise bad(f"is not a valid URL ({reason})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise bad("is not an http or https URL")
    if port == 0:
        raise bad("is not a valid URL (port 0)")
    try:
        check_host(parts.hostname)
    except NetError as exc:
        raise BadUrl(str(exc)) from None
    return url


async def _once(method: str, url: str, headers: Mapping[str, str], deadline: Deadline, verify: bool,
                body: str | bytes | None, what: str, secrets: Sequence[str], cafile: str | None) -> HttpResponse:
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    timed_out = NetTimeout(f"{what} did not answer within {deadline.seconds:g}s")
    if deadline.expired:
        raise timed_out
    addrs = await resolve_async(host, port, deadline.remaining())
    payload = body.encode() if isinstance(body, str) else body
    reader, writer = await _connect(host, addrs, port, deadline)
    try:
        async with asyncio.timeout(deadline.remaining()):
            if parts.scheme == "https":
                context = _tls_context(cafile, verify, os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))
                await writer.start_tls(context, server_hostname=host)
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            status, received, data = await _exchange(reader, writer, method, path, _host_header(parts), headers,
                                                     payload)
    except TimeoutError:
        raise timed_out from None
    except Exception as exc:
        raise _failure(exc, host, what, secrets) from None
    finally:
        writer.close()
    return HttpResponse(status=status, url=url, headers=received, body=data.decode(_charset(received), "replace"))


async def _exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, method: str, path: str, host: str,
                    headers: Mapping[str, str], payload: bytes | None) -> tuple[int, dict[str, str], bytes]:
    """Send one request and read its response: status, headers (names in lower case) and at most
    ``MAX_BODY`` bytes of body."""
    given = {k.lower() for k in headers}
    fields = [("Host", host)] if "host" not in given else []
    fields += [("Accept-Encoding", "identity")] if "accept-encoding" not in given else []
    fields += list(headers.items())
    if "content-length" not in given and (payload is not None or method in ("POST", "PUT", "PATCH")):
        fields.append(("Content-Length", str(len(payload or b""))))
    conn = h11.Connection(h11.CLIENT)
    writer.write(conn.send(h11.Request(method=method, target=path, headers=fields)) or b"")
    if payload:
        writer.write(conn.send(h11.Data(data=payload)) or b"")
    writer.write(conn.send(h11.EndOfMessage()) or b"")
    await writer.drain()
    status, received, body = 0, {}, bytearray()
    while len(body) < MAX_BODY:
        event = conn.next_event()
        if event is h11.NEED_DATA:
            conn.receive_data(await reader.read(64 * 1024))
        elif isinstance(event, h11.Response):
            status = event.status_code
            received = {k.decode("latin-1"): v.decode("latin-1") for k, v in event.headers}
        elif isinstance(event, h11.Data):
            body += event.data
        elif isinstance(event, h11.EndOfMessage | h11.ConnectionClosed):
            break
    return status, received, bytes(body[:MAX_BODY])


@functools.lru_cache(maxsize=8)
def _tls_context(cafile: str | None, verify: bool, cert_file: str | None, cert_dir: str | None) -> ssl.SSLContext:
    """The TLS settings of a request, made once for each way of trusting servers: making them reads
    the whole CA store (tens of milliseconds), and one context serves any number of connections.
    ``cert_file`` and ``cert_dir`` are ``$SSL_CERT_FILE`` and ``$SSL_CERT_DIR``, where OpenSSL finds
    the CA store: a context made before either changed would not trust what they name."""
    context = ssl.create_default_context(cafile=cafile)
    if not verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def _host_header(parts: SplitResult) -> str:
    """The ``Host`` header for a URL: its host (IPv6 in brackets), and its port unless the default."""
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    elif not host.isascii():
        host = host.encode("idna").decode("ascii")
    default = 443 if parts.scheme == "https" else 80
    return host if parts.port in (None, default) else f"{host}:{parts.port}"


def _charset(headers: Mapping[str, str]) -> str:
    """The charset a ``Content-Type`` names (``utf-8`` when none, or one that is not a text
    encoding Python knows: ``base64`` and ``zlib`` are codecs, not charsets)."""
    for param in headers.get("content-type", "").split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            name = value.strip().strip('"')
            try:
                b"?".decode(name, "replace")  # LookupError for an unknown name and for a codec that is not text
                return codecs.lookup(name).name
            except LookupError:
                break
    return "utf-8"


def _failure(exc: Exception, host: str, what: str, secrets: Sequence[str]) -> NetError:
    """What went wrong with a request, in words fit to show."""
    shown = peer_text(what, secrets, limit=120)
    if isinstance(exc, ssl.SSLCertVerificationError):
        return NetError(f"TLS certificate of {host} is not trusted ({peer_text(exc.verify_message, secrets)})")
    if isinstance(exc, ssl.SSLError):
        return NetError(f"TLS with {host} failed ({peer_text(exc.reason, secrets)})")
    if isinstance(exc, h11.RemoteProtocolError):
        # h11 quotes the bytes it could not read, escaped in ways no masking knows: say only what was wrong.
        return NetError(f"{shown} failed (the answer is not HTTP: {peer_text(str(exc).split(':', 1)[0], secrets, limit=80)})")
    if isinstance(exc, OSError):
        return NetError(f"{shown} failed ({type(exc).__name__}: {peer_text(exc, secrets, limit=120)})")
    if isinstance(exc, ValueError | h11.LocalProtocolError):
        # A bad header value is quoted in the library's message: that value may be a token.
        return NetError(f"a header for {shown} is not valid (a line break in a secret or header?)")
    return NetError(f"{shown} failed ({type(exc).__name__})")
