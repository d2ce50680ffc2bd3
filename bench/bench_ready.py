"""How much the concurrent runner saves: N http checks against a local server that answers each
after a fixed delay. Prints wall time, the serial estimate (N x delay) and their ratio.

    python3 bench/bench_ready.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from oncall.readiness.checks import Context  # noqa: E402
from oncall.readiness.runner import DEFAULT_WORKERS, plan, run  # noqa: E402
from tests.readiness.conftest import ALICE, checklist, item, start_server  # noqa: E402


def bench(count: int, delay: float, workers: int) -> None:
    httpd, server = start_server()
    try:
        items = [item(f"c{i}", "http", timeout=30, http=f"{server.url}/delay/{delay}?n={i}") for i in range(count)]
        t0 = time.perf_counter()
        results = run(plan([checklist(*items)]), Context(person=ALICE, now=0), workers=workers)
        wall = time.perf_counter() - t0
    finally:
        httpd.shutdown()
        httpd.server_close()
    passed = sum(r.status == "pass" for r in results)
    serial = count * delay
    print(f"{count} checks x {delay:g}s, {workers} workers: wall {wall:.2f}s, serial estimate {serial:.0f}s, "
          f"{serial / wall:.1f}x faster ({passed}/{count} passed)")


if __name__ == "__main__":
    bench(100, 0.5, DEFAULT_WORKERS)
    bench(200, 0.2, DEFAULT_WORKERS)
    bench(100, 0.5, 64)
