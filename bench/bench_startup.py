"""Start-up of `oncall whois now` against the floor: the libraries every command imports.

    python3 bench/bench_startup.py                    # 21 paired rounds
    python3 bench/bench_startup.py --rounds 41
    python3 bench/bench_startup.py --compare /path/to/another/checkout

Whole processes, run in turns (floor, whois, then the other checkout's whois if given) so a busy
machine slows every command of a round alike; figures are medians, ratios are medians of the
per-round ratios. The org cache is warmed first and both checkouts are byte-compiled, like the
floor's libraries. Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FLOOR = "import typer, yaml, rich.console, rich.table"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--compare", type=Path, help="another checkout of oncall to time the same way")
    args = parser.parse_args()
    py = sys.executable
    cache = tempfile.mkdtemp(prefix="oncall-bench-cache-")
    base = dict(os.environ, XDG_CACHE_HOME=cache)
    base.pop("PYTHONDONTWRITEBYTECODE", None)
    base.pop("ONCALL_ROOT", None)
    checkouts = {"whois": REPO} | ({"compare": args.compare.resolve()} if args.compare else {})
    commands: dict[str, tuple[list[str], dict[str, str]]] = {"floor": ([py, "-c", FLOOR], base)}
    for name, checkout in checkouts.items():
        env = dict(base, PYTHONPATH=str(checkout))
        subprocess.run([py, "-m", "compileall", "-q", str(checkout / "oncall")], check=True, env=env)
        # -P: run the checkout on PYTHONPATH, not the oncall of the current folder
        commands[name] = ([py, "-P", "-m", "oncall", "--root", str(checkout), "whois", "now"], env)  # its own example org
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for round_ in range(args.rounds + 1):  # round 0 warms the org cache and the file system
        for name, (argv, env) in commands.items():
            start = time.perf_counter()
            subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=env, cwd=REPO)
            if round_:
                samples[name].append(time.perf_counter() - start)
    floor = samples["floor"]
    print(f"{args.rounds} paired rounds, medians:")
    print(f"  floor ({FLOOR}): {statistics.median(floor) * 1000:.0f} ms")
    for name, checkout in checkouts.items():
        ratio = statistics.median(t / f for t, f in zip(samples[name], floor, strict=True))
        print(f"  oncall whois now ({checkout}): {statistics.median(samples[name]) * 1000:.0f} ms, "
              f"{ratio:.2f}x floor")


if __name__ == "__main__":
    main()
