"""The thread pool: every task runs once, at most ``size`` at once, first in first out, and it really
grows to ``size`` (tasks that need each other to be running at the same time all finish)."""

from __future__ import annotations

import threading

import pytest

from oncall.readiness.pool import Slot, run_all


def test_every_task_runs_once_in_order_on_one_thread() -> None:
    seen: list[int] = []
    run_all([lambda i=i: seen.append(i) for i in range(50)], size=1)  # type: ignore[misc]
    assert seen == list(range(50))


def test_no_tasks_is_fine() -> None:
    run_all([], size=8)


def test_grows_to_size_and_never_beyond() -> None:
    size = 40
    barrier = threading.Barrier(size, timeout=30)  # breaks (and fails the test) if fewer run at once
    lock = threading.Lock()
    running = [0]
    most = [0]
    broken: list[BaseException] = []

    def task() -> None:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        try:
            barrier.wait()
        except threading.BrokenBarrierError as exc:
            broken.append(exc)
        with lock:
            running[0] -= 1

    run_all([task] * (size * 3), size=size)
    assert not broken
    assert most[0] == size


def test_a_pool_larger_than_the_work_starts_one_thread_per_task() -> None:
    names: set[str] = set()
    barrier = threading.Barrier(5, timeout=30)

    def task() -> None:
        names.add(threading.current_thread().name)
        barrier.wait()

    run_all([task] * 5, size=256, name="check")
    assert len(names) == 5 and all(n.startswith("check-") for n in names)
    assert not [t for t in threading.enumerate() if t.name.startswith("check-")]  # all joined


def test_slot_hands_over_a_value_or_the_error() -> None:
    ok: Slot[int] = Slot()
    bad: Slot[int] = Slot()
    run_all([lambda: ok.set(7), lambda: bad.fail(ValueError("boom"))], size=2)
    assert ok.get() == 7
    with pytest.raises(ValueError, match="boom"):
        bad.get()
