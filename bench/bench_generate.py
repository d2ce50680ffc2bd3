"""One year of `generate` on the benchmark org, engine only or as a whole command, optionally
against another checkout.

    python3 bench/make_org.py bench/out/org300                 # the synthetic 300-schedule org
    python3 bench/bench_generate.py                            # 8 rounds of 7 runs
    python3 bench/bench_generate.py --compare /path/to/another/checkout
    python3 bench/bench_generate.py --whole json --compare /path/to/another/checkout
    python3 bench/bench_generate.py --whole csv --org bench/out/org3000 --rounds 5

Engine only: each round runs one process per checkout, in turns, so a busy machine slows both
alike; each process loads the org once and times ``generate`` for 2027 seven times (CPU time,
which a loaded machine disturbs less than wall time). Figures are the medians of the
per-process medians, and the smallest per-process median.

``--whole FORMAT``: each round runs ``oncall schedule generate --format FORMAT`` for 2027 once
per checkout, in turns (after one untimed round that also fills the org cache), output to
/dev/null. Figures are the medians of the CPU time (user + system) and wall time of the whole
process, and the median of the per-round CPU ratios. Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

PROBE = """
import json, statistics, sys, time
from datetime import UTC, datetime
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from oncall.config import load_org
from oncall.engine import generate
org = load_org(Path(sys.argv[2]))
start = int(datetime(2027, 1, 1, tzinfo=UTC).timestamp())
end = int(datetime(2028, 1, 1, tzinfo=UTC).timestamp())
times = []
for _ in range(int(sys.argv[3])):
    began = time.process_time()
    shifts = len(generate(org, start, end).shifts)
    times.append(time.process_time() - began)
print(json.dumps({"median": statistics.median(times), "shifts": shifts}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--org", type=Path, default=REPO / "bench" / "out" / "org300")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--runs", type=int, default=7, help="timed generate calls per process")
    parser.add_argument("--compare", type=Path, help="another checkout of oncall to time the same way")
    parser.add_argument("--whole", choices=["json", "csv", "ics"],
                        help="time the whole command with this --format instead of the engine alone")
    args = parser.parse_args()
    if not (args.org / "schedules").is_dir():
        from bench.make_org import make

        make(args.org)
    checkouts = {"this checkout": REPO} | ({"compare": args.compare.resolve()} if args.compare else {})
    if args.whole:
        whole(args.whole, args.org.resolve(), checkouts, args.rounds)
        return
    medians: dict[str, list[float]] = {name: [] for name in checkouts}
    shifts = 0
    for _ in range(args.rounds):
        for name, checkout in checkouts.items():
            done = subprocess.run([sys.executable, "-c", PROBE, str(checkout), str(args.org), str(args.runs)],
                                  capture_output=True, text=True, check=True)
            result = json.loads(done.stdout)
            medians[name].append(result["median"])
            shifts = result["shifts"]
    print(f"`generate`, 2027, {args.org.name} ({shifts:,} shifts): CPU seconds, {args.rounds} rounds "
          f"of {args.runs} runs")
    print()
    print("| checkout | median | smallest median |")
    print("|---|---:|---:|")
    for name, values in medians.items():
        print(f"| {name} | {statistics.median(values):.3f} s | {min(values):.3f} s |")


def whole(fmt: str, org: Path, checkouts: dict[str, Path], count: int) -> None:
    sys.path.insert(0, str(REPO))
    from bench.run import ONE_YEAR_FROM, ONE_YEAR_TO, settle
    from bench.targets import Case, paired_ratio, rounds

    settle(org)
    # -P: run the checkout on PYTHONPATH, not the one in the current folder
    argv = [sys.executable, "-P", "-m", "oncall", "--root", str(org), "schedule", "generate", "--format", fmt,
            "--from", ONE_YEAR_FROM, "--to", ONE_YEAR_TO]
    # Each checkout has its own org cache: the cache is keyed by the loader's code, so checkouts
    # sharing one would each find the other's entry and parse the YAML on every run.
    caches = Path(tempfile.mkdtemp(prefix="bench-generate-"))
    env = {name: dict(os.environ, PYTHONPATH=str(checkout), NO_COLOR="1", TZ="UTC",
                      XDG_CACHE_HOME=str(caches / str(index)))
           for index, (name, checkout) in enumerate(checkouts.items())}
    samples = rounds({name: Case(argv, env[name]) for name in checkouts}, count)
    print(f"`schedule generate --format {fmt}`, 2027, {org.name}, whole process: seconds, medians of "
          f"{count} rounds")
    print()
    print("| checkout | CPU | wall | CPU / this checkout's |")
    print("|---|---:|---:|---:|")
    first = samples["this checkout"]
    for name, got in samples.items():
        print(f"| {name} | {got.c:.2f} s | {got.w:.2f} s | {paired_ratio(got, first, cpu=True):.2f} |")


if __name__ == "__main__":
    main()
