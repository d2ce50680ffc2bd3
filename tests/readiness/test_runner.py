"""The runner: many checks at once, needs, when, retries, severity; the other kinds."""

from __future__ import annotations

import asyncio
import os
import resource
import socket
import sys
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

import pytest

from oncall.readiness.checks import Context, run_check
from oncall.readiness.results import Attestation
from oncall.readiness.runner import MAX_WORKERS, plan, pool_size, review_findings, run
from oncall.times import Duration
from tests.readiness.conftest import ALICE, Server, checklist, item

NOW = 1_800_000_000


def test_hundred_slow_checks_all_come_back_right(server: Server) -> None:
    items = [item(f"c{i}", "http", http=f"{server.url}/delay/0.5?n={i}", expect_body="/delay/0.5")
             for i in range(100)]
    results = run(plan([checklist(*items)]), Context(person=ALICE, now=NOW), workers=32)
    assert [r.item for r in results] == [f"c{i}" for i in range(100)]
    assert all(r.status == "pass" for r in results), [r.message for r in results if r.status != "pass"]
    assert len(server.seen) == 100


def test_needs_skips_with_the_reason_and_runs_after_a_pass() -> None:
    failing = item("vpn", "command", command=[sys.executable, "-c", "raise SystemExit(3)"])
    dependent = item("grafana", "env", env="HOME", needs=["vpn"])
    ok = item("home", "env", env="HOME")
    after_ok = item("after", "env", env="HOME", needs=["home"])
    # Listed before its prerequisite on purpose: the plan reorders.
    results = {r.item: r for r in run(plan([checklist(dependent, failing, after_ok, ok)]),
                                      Context(person=ALICE, now=NOW), workers=1)}
    assert results["grafana"].status == "skip" and "vpn" in results["grafana"].message
    assert results["after"].status == "pass"


def test_needs_cycle_is_an_error_not_a_hang() -> None:
    a = item("a", "env", env="HOME", needs=["b"])
    b = item("b", "env", env="HOME", needs=["a"])
    statuses = {r.item: r.status for r in run(plan([checklist(a, b)]), Context(person=ALICE, now=NOW), workers=2)}
    assert "error" in statuses.values()


def test_when_os_skips_with_reason() -> None:
    mac = item("mac", "env", env="HOME", when={"os": "darwin" if sys.platform != "darwin" else "linux"})
    [result] = run(plan([checklist(mac)]), Context(person=ALICE, now=NOW))
    assert result.status == "skip" and result.message.startswith("only on")
    here = item("here", "env", env="HOME", when={"os": ["linux", "darwin", "windows"]})
    assert run(plan([checklist(here)]), Context(person=ALICE, now=NOW))[0].status == "pass"


def test_retries_run_again_until_a_pass(tmp_path: Path) -> None:
    marker = tmp_path / "tries"
    script = (f"import pathlib; p = pathlib.Path({str(marker)!r}); n = int(p.read_text() or 0) if p.exists() else 0;"
              "p.write_text(str(n + 1)); raise SystemExit(0 if n >= 1 else 1)")
    flaky = item("flaky", "command", command=[sys.executable, "-c", script], retries=2)
    [result] = run(plan([checklist(flaky)]), Context(person=ALICE, now=NOW))
    assert result.status == "pass" and result.attempts == 2


def test_severity_warn_turns_a_failure_into_a_warning() -> None:
    soft = item("soft", "env", env="ONCALL_SURELY_UNSET_VAR", severity="warn", fix="export it")
    [result] = run(plan([checklist(soft)]), Context(person=ALICE, now=NOW))
    assert result.status == "warn" and result.fix == "export it"


def test_tcp_dns_file_env() -> None:
    ctx = Context(person=ALICE, now=NOW)
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        assert run_check(item("t", "tcp", tcp=f"localhost:{port}"), ctx).status == "pass"
    closed = run_check(item("t", "tcp", tcp=f"127.0.0.1:{port}"), ctx)
    assert closed.status == "fail"
    assert run_check(item("t", "tcp", tcp="nonsense"), ctx).status == "error"
    assert run_check(item("t", "tcp", timeout=2, tcp="no-such-host.invalid:443"), ctx).status == "fail"
    assert run_check(item("d", "dns", dns="localhost"), ctx).status == "pass"
    assert run_check(item("d", "dns", timeout=2, dns="no-such-host.invalid"), ctx).status == "fail"
    assert run_check(item("e", "env", env=["HOME", "PATH"]), ctx).status == "pass"
    os.environ["ONCALL_TEST_TOKEN"] = "very-secret-env"
    try:
        outcome = run_check(item("e", "env", env="ONCALL_TEST_TOKEN", expect="/^nope/"), ctx)
        assert outcome.status == "fail" and "very-secret-env" not in outcome.message
    finally:
        del os.environ["ONCALL_TEST_TOKEN"]


def test_file_exists_mode_age(tmp_path: Path) -> None:
    ctx = Context(person=ALICE, now=NOW)
    key = tmp_path / "id_ed25519"
    key.write_text("k")
    key.chmod(0o600)
    os.utime(key, (NOW - 3 * 86400, NOW - 3 * 86400))
    assert run_check(item("f", "file", file=str(key), mode="0600", max_age="7d"), ctx).status == "pass"
    old = run_check(item("f", "file", file=str(key), max_age="1d"), ctx)
    assert old.status == "fail" and "3 days" in old.message
    assert run_check(item("f", "file", file=str(key), mode="0644"), ctx).status == "fail"
    assert run_check(item("f", "file", file=str(key), mode=600), ctx).status == "error"
    assert run_check(item("f", "file", file=str(tmp_path / "nope")), ctx).status == "fail"
    assert run_check(item("f", "file", file=str(tmp_path / "nope"), exists=False), ctx).status == "pass"
    assert run_check(item("f", "file", file=str(tmp_path), type="dir"), ctx).status == "pass"


def test_confirm_is_missing_valid_then_expired() -> None:
    confirm = item("read", "confirm", confirm="I read it")
    confirm = confirm.__class__(**{**confirm.__dict__, "valid_for": Duration(90, "d")})
    ctx = Context(person=ALICE, now=NOW, checklist="t")
    assert run_check(confirm, ctx).status == "fail"
    fresh = {"t/read": Attestation("t", "read", "I read it", NOW - 86400)}
    ctx = Context(person=ALICE, now=NOW, checklist="t", attestations=fresh)
    assert run_check(confirm, ctx).status == "pass"
    stale = {"t/read": Attestation("t", "read", "I read it", NOW - 91 * 86400)}
    outcome = run_check(confirm, Context(person=ALICE, now=NOW, checklist="t", attestations=stale))
    assert outcome.status == "fail" and "expired" in outcome.message


def test_stale_checklist_is_a_warning() -> None:
    from datetime import date

    cl = checklist(item("h", "env", env="HOME"))
    cl = cl.__class__(**{**cl.__dict__, "reviewed": date(2020, 1, 1), "review_every": Duration(90, "d"),
                         "owner": "alice"})
    [finding] = review_findings([cl], date(2026, 11, 26), NOW)
    assert finding.status == "warn" and "stale" in finding.message and "alice" in finding.message


def test_checks_run_for_a_caller_that_runs_an_event_loop_itself(server: Server) -> None:
    # As a notebook or a browser driven through its synchronous API does: no loop can start there.
    async def caller() -> list[str]:
        checks = [item("a", "http", http=f"{server.url}/open"), item("b", "tcp", tcp=server.url.split("//")[1])]
        one = run_check(item("c", "http", http=f"{server.url}/open"), Context(person=ALICE, now=NOW))
        return [r.status for r in run(plan([checklist(*checks)]), Context(person=ALICE, now=NOW))] + [one.status]

    assert asyncio.run(caller()) == ["pass", "pass", "pass"]


@pytest.mark.parametrize("uvloop_installed", [True, False])
def test_checks_run_on_uvloop_where_it_is_installed_else_on_asyncio_loop(
        server: Server, uvloop_installed: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if uvloop_installed:
        pytest.importorskip("uvloop")
    else:
        monkeypatch.setitem(sys.modules, "uvloop", None)  # as on Windows: importing it fails
    loops: list[str] = []

    def started(p: object) -> None:
        loops.append(type(asyncio.get_running_loop()).__module__)

    checks = [item("a", "http", http=f"{server.url}/open"), item("b", "tcp", tcp=server.url.split("//")[1]),
              item("c", "http", http=f"{server.url}/me")]
    results = run(plan([checklist(*checks)]), Context(person=ALICE, now=NOW), on_start=started)
    assert [r.status for r in results] == ["pass", "pass", "fail"]
    assert "401" in results[2].message
    assert len(loops) == 3
    assert all(m == "uvloop" if uvloop_installed else m.startswith("asyncio.") for m in loops), loops


def test_two_hundred_checks_on_the_default_pool_send_secrets_only_where_asked(server: Server) -> None:
    from tests.readiness.conftest import TOKEN

    items = [item(f"c{i}", "http", http=f"{server.url}/delay/0.2?n={i}") for i in range(190)]
    items += [item(f"s{i}", "http", http=f"{server.url}/me?n={i}", secret="pd") for i in range(10)]
    ctx = Context(person=ALICE, now=NOW, get_secret=lambda name: TOKEN)
    results = run(plan([checklist(*items)]), ctx)
    assert [r.item for r in results] == [i.id for i in items]
    assert all(r.status == "pass" for r in results), [r.message for r in results if r.status != "pass"]
    assert all(TOKEN not in r.message for r in results)
    assert len(server.seen) == 200
    sent = {s["path"]: s.get("authorization") for s in server.seen}
    assert all(sent[f"/me?n={i}"] == f"Bearer {TOKEN}" for i in range(10))
    assert all(sent[f"/delay/0.2?n={i}"] is None for i in range(190))


@pytest.fixture
def open_files() -> Iterator[Callable[[int], None]]:
    """Sets this process's limit of open files (``ulimit -n``) for the test."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)

    def limit(n: int) -> None:
        if hard != resource.RLIM_INFINITY and n > hard:
            pytest.skip(f"the hard limit of open files here is {hard}, below {n}")
        resource.setrlimit(resource.RLIMIT_NOFILE, (n, hard))

    yield limit
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_every_check_runs_at_once_within_bounds(open_files: Callable[[int], None]) -> None:
    open_files(2 * MAX_WORKERS + 100)
    assert pool_size(2000) == 2000
    assert pool_size(MAX_WORKERS + 1000) == MAX_WORKERS
    assert pool_size(200, workers=8) == 8
    assert pool_size(3, workers=8) == 3
    assert pool_size(0) == 1
    assert pool_size(MAX_WORKERS + 1000, workers=10 * MAX_WORKERS) == MAX_WORKERS


def test_checks_at_once_keep_half_the_open_file_limit_free(open_files: Callable[[int], None]) -> None:
    open_files(256)
    assert pool_size(2000) == 128
    assert pool_size(100) == 100
    # More checks than the limit has room for all pass: the kernel completes each connection on
    # the listening socket's backlog, so the peer holds no file of this process.
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1024)
        port = listener.getsockname()[1]
        items = [item(f"c{i}", "tcp", tcp=f"127.0.0.1:{port}") for i in range(600)]
        results = run(plan([checklist(*items)]), Context(person=ALICE, now=NOW))
    assert all(r.status == "pass" for r in results), {r.message for r in results if r.status != "pass"}


def test_at_most_process_slots_programs_run_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from oncall.readiness import proc, runner

    monkeypatch.setattr(runner, "PROCESS_SLOTS", 2)
    real = proc.run
    lock = threading.Lock()
    running = [0]
    most = [0]

    def counting(argv: Sequence[str], timeout: float, env: Mapping[str, str] | None = None) -> proc.ProcResult:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        try:
            return real(argv, timeout, env)
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(proc, "run", counting)
    programs = [item(f"p{i}", "command", command=[sys.executable, "-c", "print('hi')"]) for i in range(6)]
    others = [item(f"e{i}", "env", env="HOME") for i in range(6)]
    results = run(plan([checklist(*programs, *others)]), Context(person=ALICE, now=NOW))
    assert all(r.status == "pass" for r in results), [r.message for r in results]
    assert 1 <= most[0] <= 2


def test_progress_callbacks_are_called_one_at_a_time() -> None:
    busy = threading.Lock()
    overlaps: list[str] = []
    started: list[str] = []
    finished: list[str] = []

    def exclusive(record: list[str], name: str) -> None:
        if not busy.acquire(blocking=False):
            overlaps.append(name)
            return
        try:
            record.append(name)
            threading.Event().wait(0.001)  # widen the window in which another call could overlap
        finally:
            busy.release()

    items = [item(f"e{i}", "env", env="HOME") for i in range(60)]
    run(plan([checklist(*items)]), Context(person=ALICE, now=NOW),
        on_start=lambda p: exclusive(started, p.item.id), on_result=lambda r: exclusive(finished, r.item))
    assert not overlaps
    assert sorted(started) == sorted(finished) == sorted(f"e{i}" for i in range(60))


def test_needs_chains_hold_on_a_large_pool() -> None:
    chain = [item("c0", "command", command=[sys.executable, "-c", "raise SystemExit(1)"])]
    chain += [item(f"c{i}", "env", env="HOME", needs=[f"c{i - 1}"]) for i in range(1, 30)]
    fine = [item("f0", "env", env="HOME")] + [item(f"f{i}", "env", env="HOME", needs=[f"f{i - 1}"]) for i in range(1, 30)]
    # Dependents first in the file: the plan puts prerequisites first.
    results = {r.item: r for r in run(plan([checklist(*reversed(chain), *reversed(fine))]),
                                      Context(person=ALICE, now=NOW))}
    assert results["c0"].status == "fail"
    assert all(results[f"c{i}"].status == "skip" for i in range(1, 30))
    assert all(results[f"f{i}"].status == "pass" for i in range(30))


def test_an_ip_address_needs_no_lookup() -> None:
    from oncall.readiness import net

    assert net.resolve("127.0.0.1", 80, 1) == ["127.0.0.1"]
    assert net.resolve("::1", 80, 1) == ["::1"]
    assert net.resolve("2001:DB8::1", 80, 1) == ["2001:db8::1"]  # as getaddrinfo writes it
    assert net.resolve("127.1", 80, 1) == ["127.0.0.1"]  # a legacy form: looked up as before
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        outcome = run_check(item("t", "tcp", tcp=f"127.0.0.1:{port}"), Context(person=ALICE, now=NOW))
    assert outcome.status == "pass" and outcome.message == f"connected to 127.0.0.1:{port}"


def test_a_run_pauses_the_cycle_collector_and_leaves_it_as_it_found_it(server: Server) -> None:
    import gc

    seen: list[bool] = []
    checks = plan([checklist(item("a", "http", http=f"{server.url}/open"))])
    assert gc.isenabled()
    run(checks, Context(person=ALICE, now=NOW), on_start=lambda p: seen.append(gc.isenabled()))
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        run(checks, Context(person=ALICE, now=NOW))
        assert not gc.isenabled()  # off before: stays off
    finally:
        gc.enable()
