"""How long `oncall ready --check-access` takes for 2,000 slow checks, against one such check.

    python3 bench/bench_ready.py            # 9 rounds
    python3 bench/bench_ready.py --quick    # 3 rounds
    python3 bench/bench_ready.py --against /path/to/other/checkout   # the same commands there too
    python3 bench/bench_ready.py --tls      # https checks, the server's certificate trusted

N http checks (default 2,000) go to a local server that answers each request after a fixed delay
(default 200 ms). Target: the whole command, a fresh process from start to exit, running the N
checks takes at most 3 times as long as the same command running one check; one after another
they would take N x the latency.

Each round runs, in turns: the command with one check, the command with the N checks, and the
command without ``--check-access`` on the N-item checklist (start-up, loading and the report, no
check run). The table gives the median wall time and the median CPU time (user + system) of each,
and the ratio to one check; on a shared machine the wall time is mostly waiting for a CPU.
``--against DIR`` adds the same rows for the oncall in another checkout (say, the previous
version), run in the same rounds, so the two are compared on the same load.

The server runs in a child process on asyncio, with a listen backlog of 4,096: a server with a
thread per request (http.server) starts those threads one at a time, and a short backlog makes a
burst of connections wait for SYN retries (1 s each), so either would measure the server, not
oncall. With ``--tls`` the server speaks HTTPS with a certificate made for the run by openssl,
which the command trusts through ``$SSL_CERT_FILE`` (as a company CA is set up). Nothing here
asserts a time.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGET = 3.0  # the N checks take at most this many times as long as one


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


async def _serve(cert: str | None) -> None:
    tls = None
    if cert:
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(cert, str(Path(cert).with_suffix(".key")))
    server = await asyncio.start_server(_answer, "127.0.0.1", 0, backlog=4096, ssl=tls)
    print(f"{'https' if tls else 'http'}://127.0.0.1:{server.sockets[0].getsockname()[1]}", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)  # until the parent closes stdin


class DelayServer:
    """The server above in a child process (so its work does not share this process's CPU time);
    over TLS with the certificate ``cert`` (its key beside it, ``.key``) when given."""

    def __init__(self, cert: Path | None = None) -> None:
        self.cert = cert

    def __enter__(self) -> str:
        tls = ["--cert", str(self.cert)] if self.cert else []
        self.proc = subprocess.Popen([sys.executable, __file__, "--serve", *tls], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        return self.proc.stdout.readline().strip()

    def __exit__(self, *exc: object) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=10)


# -- measuring ----------------------------------------------------------------------------------


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


def certificate(folder: Path) -> Path:
    """A self-signed certificate for 127.0.0.1 (``cert.pem``, its key ``cert.key``), made by openssl."""
    cert = folder / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(cert.with_suffix(".key")),
                    "-out", str(cert)], check=True, capture_output=True)
    return cert


def command(checkout: Path, root: Path, state: Path, *extra: str,
            trust: Path | None = None) -> Callable[[], tuple[float, float]]:
    """A run of ``oncall ready`` from ``checkout`` in a fresh process: (wall, CPU) seconds; ``trust``
    is a CA file for ``$SSL_CERT_FILE``."""
    argv = [sys.executable, "-m", "oncall", "--root", str(root), "ready", "--person", "alice",
            "--checklist", "bench", "--format", "json", *extra]
    env = dict(os.environ, XDG_STATE_HOME=str(state), XDG_CACHE_HOME=str(state / "cache"),
               ONCALL_PLAIN_PROGRESS="1", PYTHONPATH=str(checkout))
    if trust is not None:
        env["SSL_CERT_FILE"] = str(trust)

    def once() -> tuple[float, float]:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(argv, env=env, cwd=checkout, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              text=True)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode != 0:  # every check passes (the run without --check-access reads the saved one)
            raise SystemExit(f"{' '.join(argv)} failed: {done.stderr.strip()[-300:]}")
        return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)

    return once


def rounds(runs: dict[str, Callable[[], tuple[float, float]]], count: int) -> dict[str, tuple[float, float]]:
    """Median (wall, CPU) of each run, all of them in turns ``count`` times after one untimed round."""
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in runs}
    for round_ in range(count + 1):
        for name, fn in runs.items():
            took = fn()
            if round_:
                samples[name].append(took)
    return {name: (statistics.median(w for w, _ in values), statistics.median(c for _, c in values))
            for name, values in samples.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark `oncall ready --check-access`.")
    parser.add_argument("--quick", action="store_true", help="3 rounds instead of 9")
    parser.add_argument("--checks", type=int, default=2000, help="how many http checks (default 2000)")
    parser.add_argument("--latency", type=float, default=0.2, help="seconds the server waits per request (0.2)")
    parser.add_argument("--against", type=Path, action="append", default=[],
                        help="another checkout of oncall to run in the same rounds (repeatable)")
    parser.add_argument("--tls", action="store_true", help="https checks (a certificate made for the run)")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)  # the child process
    parser.add_argument("--cert", help=argparse.SUPPRESS)  # the child process: serve over TLS
    args = parser.parse_args()
    if args.serve:
        asyncio.run(_serve(args.cert))
        return
    count = 3 if args.quick else 9
    n, delay = args.checks, args.latency
    checkouts = {"": REPO, **{f" ({path})": path.resolve() for path in args.against}}
    runs: dict[str, Callable[[], tuple[float, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp, DelayServer(certificate(Path(tmp)) if args.tls else None) as url:
        cert = Path(tmp) / "cert.pem" if args.tls else None
        one_root = org(Path(tmp) / "one", url, 1, delay)
        all_root = org(Path(tmp) / "all", url, n, delay)
        for i, (label, checkout) in enumerate(checkouts.items()):
            state = Path(tmp) / f"state{i}"
            runs[f"1 check{label}"] = command(checkout, one_root, state / "one", "--check-access", trust=cert)
            runs[f"{n:,} checks{label}"] = command(checkout, all_root, state / "all", "--check-access", trust=cert)
            runs[f"{n:,} checks, no --check-access{label}"] = command(checkout, all_root, state / "all", trust=cert)
        t = rounds(runs, count)
    load = os.getloadavg()[0]
    print(f"`oncall ready --check-access --format json`, whole command, {'https' if args.tls else 'http'} checks against a local server "
          f"answering each in {delay * 1000:.0f} ms; medians of {count} rounds (load average {load:.1f} on "
          f"{os.cpu_count()} CPUs). Target: {n:,} checks <= {TARGET:g}x one check.\n")
    print(f"| command | wall | CPU | wall / one check (target <= {TARGET:g}x) | CPU / one check |")
    print("|---|---:|---:|---:|---:|")
    for name, (wall, cpu) in t.items():
        label = name[name.index(" ("):] if " (" in name else ""
        one_wall, one_cpu = t[f"1 check{label}"]
        print(f"| {name} | {wall:.2f} s | {cpu:.2f} s | {wall / one_wall:.2f}x | {cpu / one_cpu:.2f}x |")


if __name__ == "__main__":
    main()
