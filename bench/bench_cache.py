"""Start-up of `oncall whois now` with a warm org cache, on the example org and a 300-schedule org.

    python3 bench/bench_cache.py                     # writes bench/out/org300 first if it is missing
    python3 bench/bench_cache.py --quick             # fewer repetitions
    python3 bench/bench_cache.py --against ../other  # the same commands run by another checkout

Figures are medians of runs made alternately (this checkout, the other one, the interpreter's
floor), so a noisy machine moves every side alike: wall time, and the CPU time (user + system)
of the process, which a busy machine disturbs far less. Each checkout keeps its own cache folder.
Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.run import settle  # noqa: E402


def environment(checkout: Path) -> dict[str, str]:
    env = dict(os.environ, XDG_CACHE_HOME=tempfile.mkdtemp(prefix="oncall-bench-cache-"), PYTHONPATH=str(checkout))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("ONCALL_NO_CACHE", None)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(checkout / "oncall")], check=True, env=env)
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description="Warm-cache start-up of `oncall whois now`.")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--org", type=Path, default=REPO / "bench" / "out" / "org300")
    parser.add_argument("--against", type=Path, help="another checkout of oncall to compare with")
    args = parser.parse_args()
    repeats = 7 if args.quick else 21
    py = sys.executable
    if not (args.org / "schedules").is_dir():
        from bench.make_org import make

        make(args.org)
    settle(args.org)
    checkouts = {"this": REPO, **({"other": args.against.resolve()} if args.against else {})}
    runs: dict[str, tuple[list[str], dict[str, str]]] = {
        "floor": ([py, "-c", "import typer, yaml, rich.console, rich.table"], dict(os.environ)),
    }
    for label, checkout in checkouts.items():
        env = environment(checkout)
        # -P: run the checkout on PYTHONPATH, not the oncall of the current folder
        runs[f"example/{label}"] = ([py, "-P", "-m", "oncall", "--root", str(REPO), "whois", "now"], env)
        runs[f"org300/{label}"] = ([py, "-P", "-m", "oncall", "--root", str(args.org), "whois", "now", "--format", "json"],
                                   env)
    wall: dict[str, list[float]] = {name: [] for name in runs}
    cpu: dict[str, list[float]] = {name: [] for name in runs}
    for round_ in range(repeats + 1):  # the first round fills the caches
        for name, (argv, env) in runs.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=env)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if round_:
                wall[name].append(time.perf_counter() - start)
                cpu[name].append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)

    def shown(name: str) -> str:
        return f"{statistics.median(wall[name]) * 1000:.0f} ms (CPU {statistics.median(cpu[name]) * 1000:.0f} ms)"

    print("| what | this checkout | " + ("other checkout |" if args.against else ""))
    print("|---|---|" + ("---|" if args.against else ""))
    print(f"| floor: `import typer, yaml, rich.console, rich.table` | {shown('floor')} |" + (" |" if args.against else ""))
    for org, what in (("example", "`oncall whois now`, example org"),
                      ("org300", "`oncall whois now --format json`, 300 schedules")):
        row = f"| {what}, warm cache | {shown(f'{org}/this')} |"
        if args.against:
            row += f" {shown(f'{org}/other')} |"
        print(row)


if __name__ == "__main__":
    main()
