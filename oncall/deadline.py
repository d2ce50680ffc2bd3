"""Wall-clock deadlines for blocking network I/O.

A socket timeout bounds one operation, not a conversation: a server that sends one byte every
half second keeps a "3 s" request alive for minutes. Here a request runs inside ``guard(deadline)``;
every socket it opens is registered with the guard (``watch``), and when the deadline passes a
single watchdog thread shuts those sockets down, so whatever call is blocked on them returns at
once. The caller then sees ``guard.fired`` and reports a timeout, whatever the library made of
the closed socket (an EOF, a reset, a short read).

Only time *spans* are measured here (``time.monotonic``); the time of day is never read.
"""

from __future__ import annotations

import heapq
import itertools
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

POLL = 0.05  # seconds between shut-down rounds once a guard has fired (for sockets opened late)


class Deadline:
    """A moment, ``seconds`` from when it is made, by which something must be done."""

    def __init__(self, seconds: float) -> None:
        self.seconds = max(0.0, float(seconds))
        self.at = time.monotonic() + self.seconds

    def remaining(self) -> float:
        """Seconds left (0 once passed)."""
        return max(0.0, self.at - time.monotonic())

    @property
    def expired(self) -> bool:
        return time.monotonic() >= self.at


class Guard:
    """The sockets of one operation, shut down together when its deadline passes."""

    def __init__(self, deadline: Deadline) -> None:
        self.deadline = deadline
        self.fired = False
        self._sockets: list[socket.socket] = []
        self._late: list[Callable[[], socket.socket | None]] = []
        self._lock = threading.Lock()

    def watch(self, sock: socket.socket) -> socket.socket:
        """Shut ``sock`` down at the deadline (at once if it has passed); returns ``sock``."""
        with self._lock:
            self._sockets.append(sock)
            fired = self.fired
        if fired:
            _shut(sock)
        return sock

    def watch_attribute(self, get: Callable[[], socket.socket | None]) -> None:
        """Once fired, shut down whatever socket ``get()`` returns, until the guard ends.

        For a library that keeps its socket in an attribute it sets while connecting.
        """
        with self._lock:
            self._late.append(get)

    def tls_context(self, context: ssl.SSLContext) -> ssl.SSLContext:
        """``context``, made to watch each TLS socket before its handshake starts."""
        guard = self

        class WatchedSSLSocket(ssl.SSLSocket):
            def do_handshake(self, block: bool = False) -> None:
                guard.watch(self)
                super().do_handshake(block)

        context.sslsocket_class = WatchedSSLSocket
        return context

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            sockets = list(self._sockets)
            late = list(self._late)
        for sock in sockets:
            _shut(sock)
        for get in late:
            try:
                found = get()
            except Exception:  # an attribute read on a half-built client
                found = None
            if found is not None:
                _shut(found)


def _shut(sock: socket.socket) -> None:
    # The plain socket's shutdown, also for a TLS socket: it acts on the file descriptor, so a
    # read blocked in another thread returns; TLS's own shutdown would talk to the peer.
    try:
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except (OSError, ValueError):
        pass


@contextmanager
def guard(deadline: Deadline) -> Iterator[Guard]:
    """Watch the sockets of the block; shut them down if it is still running at ``deadline``."""
    g = Guard(deadline)
    ticket = _WATCHDOG.add(g)
    try:
        yield g
    finally:
        _WATCHDOG.remove(ticket)


class _Watchdog:
    """One daemon thread for every guard: a heap of deadlines, fired in order."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._heap: list[tuple[float, int]] = []
        self._active: dict[int, Guard] = {}
        self._fired: dict[int, Guard] = {}  # polled until removed, for sockets opened late
        self._ids = itertools.count()
        self._thread: threading.Thread | None = None

    def add(self, g: Guard) -> int:
        with self._cond:
            ticket = next(self._ids)
            self._active[ticket] = g
            heapq.heappush(self._heap, (g.deadline.at, ticket))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, name="deadline watchdog", daemon=True)
                self._thread.start()
            self._cond.notify()
            return ticket

    def remove(self, ticket: int) -> None:
        with self._cond:
            self._active.pop(ticket, None)
            self._fired.pop(ticket, None)

    def _loop(self) -> None:
        while True:
            due: list[Guard] = []
            with self._cond:
                now = time.monotonic()
                while self._heap and self._heap[0][0] <= now:
                    _, ticket = heapq.heappop(self._heap)
                    g = self._active.pop(ticket, None)
                    if g is not None:
                        self._fired[ticket] = g
                due = list(self._fired.values())
                if not due:
                    wait = self._heap[0][0] - now if self._heap else None
                    self._cond.wait(wait)
                    continue
            for g in due:
                g._fire()
            time.sleep(POLL)


_WATCHDOG = _Watchdog()
