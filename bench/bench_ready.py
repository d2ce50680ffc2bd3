"""How long `oncall ready --check-access` takes for many slow checks, against the serial sum.

    python3 bench/bench_ready.py            # 9 runs of each figure
    python3 bench/bench_ready.py --quick    # 3 runs

N http checks (default 200) go to a local server that answers each request after a fixed delay
(default 200 ms). Target: the whole batch within 3x one check's latency, where one after another
would take N x the latency. Printed as a Markdown table of medians:

* the runner in this process, one thread per check (the default), and with ``--workers 32``
  (the pool size before it grew with the number of checks), run alternately;
* the whole command in a fresh process (start-up, loading, checks, saving the run), and the same
  command without ``--check-access`` (everything but the checks), run alternately.

The server runs in a child process on asyncio, with a listen backlog of 1024: a server with a
thread per request (http.server) starts those threads one at a time, and a backlog of 5 makes a
burst of connections wait for SYN retries (1 s each), so either would measure the server, not
oncall. Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from oncall.readiness.checks import Context  # noqa: E402
from oncall.readiness.runner import plan, run  # noqa: E402
from tests.readiness.conftest import ALICE, checklist, item  # noqa: E402

OLD_POOL = 32  # the fixed pool `ready --check-access` used before it was sized to the checks
TARGET = 3.0  # at most this many times one check's latency


# -- the server ---------------------------------------------------------------------------------


async def _answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """``GET /delay/<seconds>``: wait that long, then 200 with a short body."""
    try:
        request = await reader.readline()
        while (await reader.readline()) not in (b"\r\n", b"\n", b""):
            pass  # headers: not needed
        path = request.split()[1].decode().split("?", 1)[0]
        await asyncio.sleep(float(path.rsplit("/", 1)[1]))
        body = f"ok {path}".encode()
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n"
                     b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        await writer.drain()
    except (IndexError, ValueError, ConnectionError):
        pass
    finally:
        writer.close()


async def _serve() -> None:
    server = await asyncio.start_server(_answer, "127.0.0.1", 0, backlog=4096)
    print(f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)  # until the parent closes stdin


class DelayServer:
    """The server above in a child process (so its work does not share this process's CPU time)."""

    def __enter__(self) -> str:
        self.proc = subprocess.Popen([sys.executable, __file__, "--serve"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        return self.proc.stdout.readline().strip()

    def __exit__(self, *exc: object) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=10)


# -- measuring ----------------------------------------------------------------------------------


def medians(runs: dict[str, Callable[[], None]], repeats: int) -> dict[str, float]:
    """Median wall time of each callable, called alternately ``repeats`` times after one warm-up."""
    samples: dict[str, list[float]] = {name: [] for name in runs}
    for round_ in range(repeats + 1):
        for name, fn in runs.items():
            start = time.perf_counter()
            fn()
            if round_:
                samples[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in samples.items()}


def in_process(url: str, count: int, delay: float, workers: int | None) -> Callable[[], None]:
    items = [item(f"c{i}", "http", timeout=30, http=f"{url}/delay/{delay:g}?n={i}") for i in range(count)]
    planned = plan([checklist(*items)])

    def once() -> None:
        results = run(planned, Context(person=ALICE, now=0), workers=workers)
        failed = [r for r in results if r.status != "pass"]
        if failed:
            raise SystemExit(f"{len(failed)} checks did not pass, e.g. {failed[0].message}")

    return once


def org(folder: Path, url: str, count: int, delay: float) -> Path:
    """A config root with one person and one checklist of ``count`` http checks."""
    (folder / "schedules").mkdir(parents=True)
    (folder / "checklists").mkdir()
    (folder / "schedules" / "people.yaml").write_text(
        "people:\n  alice:\n    name: Alice Park\n    email: alice@example.com\n    timezone: UTC\n")
    (folder / "schedules" / "bench.yaml").write_text(
        "timezone: UTC\nchecklist: bench\nlayers:\n  - people: [alice]\n    start: 2020-01-06T09:00\n    every: 1w\n")
    lines = ["name: Bench readiness", "items:"]
    for i in range(count):
        lines.append(f"  - {{id: c{i}, title: check {i}, check: {{http: \"{url}/delay/{delay:g}?n={i}\", "
                     "timeout: 30s}}")
    (folder / "checklists" / "bench.yaml").write_text("\n".join(lines) + "\n")
    return folder


def command(root: Path, state: Path, *extra: str) -> Callable[[], None]:
    argv = [sys.executable, "-m", "oncall", "--root", str(root), "ready", "--person", "alice",
            "--checklist", "bench", "--format", "json", *extra]
    env = dict(os.environ, XDG_STATE_HOME=str(state), ONCALL_PLAIN_PROGRESS="1")

    def once() -> None:
        done = subprocess.run(argv, env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if done.returncode != 0:  # every check passes (the run without --check-access reads the saved one)
            raise SystemExit(f"{' '.join(argv)} failed: {done.stderr.strip()[-300:]}")

    return once


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark `oncall ready --check-access`.")
    parser.add_argument("--quick", action="store_true", help="3 runs of each figure instead of 9")
    parser.add_argument("--checks", type=int, default=200, help="how many http checks (default 200)")
    parser.add_argument("--latency", type=float, default=0.2, help="seconds the server waits per request (0.2)")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    if args.serve:
        asyncio.run(_serve())
        return
    repeats = 3 if args.quick else 9
    n, delay = args.checks, args.latency
    rows: list[tuple[str, int, float]] = []  # what, checks run, median wall time
    with DelayServer() as url, tempfile.TemporaryDirectory() as tmp:
        t = medians({"auto": in_process(url, n, delay, None), "old": in_process(url, n, delay, OLD_POOL)}, repeats)
        rows += [("runner, one thread per check (the default)", n, t["auto"]),
                 (f"runner, `--workers {OLD_POOL}` (the old fixed pool)", n, t["old"])]
        root = org(Path(tmp) / "org", url, n, delay)
        state = Path(tmp) / "state"
        t = medians({"live": command(root, state, "--check-access"), "static": command(root, state)}, repeats)
        rows += [("`oncall ready --check-access`, fresh process", n, t["live"]),
                 ("`oncall ready`, fresh process (start-up and loading, no checks run)", 0, t["static"])]

    print(f"{n} http checks against a local server answering each in {delay * 1000:.0f} ms; "
          f"median of {repeats} runs; target: wall <= {TARGET:g}x one latency.\n")
    print(f"| what | checks | latency | wall (median) | serial | wall / latency (target <= {TARGET:g}x) | speed-up |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for what, checks, wall in rows:
        ratio = f"{wall / delay:.1f}x"
        speedup = f"{checks * delay / wall:.0f}x" if checks else ""
        print(f"| {what} | {checks} | {delay * 1000:.0f} ms | {wall:.2f} s | {checks * delay:.0f} s | {ratio} | "
              f"{speedup} |")

if __name__ == "__main__":
    main()
