"""A bounded pool of threads that start one another, for many checks that each mostly wait.

``Thread.start()`` returns only once the new thread is running. On a busy machine that handshake
takes about a millisecond, so a pool that starts 200 threads one by one from the calling thread
(as ``ThreadPoolExecutor.submit`` does) needs about 0.2 s before the last check even begins: as
long as 200 checks of 200 ms each take when they run at once. Here each new thread first starts
up to ``FAN_OUT`` more, so the pool grows as a tree and is complete after a few handshakes.

Work is taken first in, first out, and a task once taken runs to its end on its thread.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

FAN_OUT = 2  # threads each new thread starts before taking work

T = TypeVar("T")


class Slot(Generic[T]):
    """A result that one thread sets once and other threads wait for."""

    def __init__(self) -> None:
        self._done = threading.Event()
        self._value: T | None = None
        self._error: BaseException | None = None

    def set(self, value: T) -> None:
        self._value = value
        self._done.set()

    def fail(self, error: BaseException) -> None:
        self._error = error
        self._done.set()

    def get(self) -> T:
        """The value, once set (waiting for it); re-raises what the task raised."""
        self._done.wait()
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]  # set() ran: it is a T


def run_all(tasks: Sequence[Callable[[], None]], size: int, name: str = "worker") -> None:
    """Run ``tasks`` first in, first out on at most ``size`` threads; return when all have run.

    Tasks must not raise (put errors in a ``Slot``). When the caller is interrupted (Ctrl-C), tasks
    not yet taken are dropped and the running ones finish. If the system refuses more threads, the
    pool stays at the size it reached (at least one thread, or the caller's own).
    """
    pending = deque(tasks)  # popleft is atomic: no lock needed to take work
    limit = max(1, min(size, len(tasks)))
    lock = threading.Lock()
    threads: list[threading.Thread] = []
    reserved = [0]

    def grow() -> None:
        for _ in range(FAN_OUT):
            with lock:
                if reserved[0] >= limit or not pending:
                    return
                reserved[0] += 1
                number = reserved[0]
            thread = threading.Thread(target=work, name=f"{name}-{number}")
            try:
                thread.start()  # outside the lock, so threads start threads in parallel
            except RuntimeError:  # "can't start new thread": work on with the threads there are
                with lock:
                    reserved[0] = limit
                return
            with lock:
                threads.append(thread)  # before this thread can exit, so joining finds every thread

    def work() -> None:
        grow()
        while True:
            try:
                task = pending.popleft()
            except IndexError:
                return
            task()

    if not tasks:
        return
    try:
        grow()
        if not threads:
            work()
        joined = 0
        while True:
            with lock:
                if joined == len(threads):
                    break  # every thread joined so far has exited, after appending the ones it started
                thread = threads[joined]
            thread.join()
            joined += 1
    except BaseException:
        pending.clear()
        raise
