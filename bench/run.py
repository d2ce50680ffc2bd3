"""Run every benchmark and print one table of figures, all measured in this run.

    python3 bench/run.py            # writes bench/out/org300 first if it is missing
    python3 bench/run.py --quick    # fewer repetitions

Figures are medians of repeated runs; ratios compare runs made side by side (alternating), so
a noisy machine moves both sides alike. Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

ONE_YEAR_FROM = "2027-01-01T00:00:00Z"
ONE_YEAR_TO = "2028-01-01T00:00:00Z"


def timed_commands(commands: dict[str, list[str]], repeats: int, env: dict[str, str] | None = None) -> dict[str, float]:
    """Median wall time of each command, run alternately ``repeats`` times (after one warm-up)."""
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for round_ in range(repeats + 1):
        for name, argv in commands.items():
            start = time.perf_counter()
            subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=env, cwd=REPO)
            if round_:
                samples[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in samples.items()}


def timed_calls(fn, repeats: int) -> tuple[float, object]:
    values, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        values.append(time.perf_counter() - start)
    return statistics.median(values), result


def settle(root: Path) -> None:
    """Wait until the org's files are old enough to be cached (the cache ignores files changed
    in the last 3 s)."""
    newest = max(max(p.stat().st_mtime, p.stat().st_ctime) for p in root.rglob("*.yaml"))
    time.sleep(max(0.0, newest + 3.2 - time.time()))


def peak_rss_mb(argv: list[str], env: dict[str, str]) -> float:
    """Peak RSS of ``python -m oncall ARGV``: VmHWM of its own address space, read at exit.

    (``ru_maxrss`` would not do: on Linux it carries the parent's peak across fork and exec,
    and this benchmark holds a large RRULE calendar in memory by then.)
    """
    probe = ("import runpy, sys\n"
             "sys.argv = ['oncall'] + sys.argv[1:]\n"
             "try:\n    runpy.run_module('oncall', run_name='__main__')\n"
             "finally:\n"
             "    hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM:')][0].split()[1]\n"
             "    sys.stderr.write('maxrss=%s\\n' % hwm)\n")
    proc = subprocess.run([sys.executable, "-c", probe, *argv], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True, cwd=REPO, env=env)
    line = [x for x in proc.stderr.splitlines() if x.startswith("maxrss=")][-1]
    return int(line.split("=")[1]) / 1024  # kB


def main() -> None:
    parser = argparse.ArgumentParser(description="Run every oncall benchmark.")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--org", type=Path, default=REPO / "bench" / "out" / "org300")
    args = parser.parse_args()
    repeats = 5 if args.quick else 15
    py = sys.executable
    if not (args.org / "schedules").is_dir():
        from bench.make_org import make

        make(args.org)
    env = dict(os.environ, XDG_CACHE_HOME=str(REPO / "bench" / "out" / "cache"))
    # The libraries in the floor were byte-compiled when pip installed them; give oncall's own
    # modules the same (an editable install otherwise compiles them on every run wherever
    # PYTHONDONTWRITEBYTECODE is set).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([py, "-m", "compileall", "-q", str(REPO / "oncall")], check=True, env=env)
    rows: list[tuple[str, str, str]] = []

    # 1. Cold start of `oncall whois now` on the example org vs the libraries it cannot avoid.
    floor = [py, "-c", "import typer, yaml, rich.console, rich.table"]
    whois = [py, "-m", "oncall", "--root", str(REPO), "whois", "now"]
    t = timed_commands({"floor": floor, "whois": whois}, repeats, env)
    rows.append(("`oncall whois now`, example org, cold process",
                 f"{t['whois'] * 1000:.0f} ms vs floor {t['floor'] * 1000:.0f} ms",
                 f"{t['whois'] / t['floor']:.2f}x floor (target <= 1.25x)"))

    # 2. whois --format json on the 300-schedule org vs loading its YAML and nothing else.
    yaml_only = [py, "-c", (
        "import sys, yaml, pathlib\n"
        "L = getattr(yaml, 'CSafeLoader', yaml.SafeLoader)\n"
        "root = pathlib.Path(sys.argv[1])\n"
        "for p in sorted(root.glob('schedules/*.yaml')) + sorted(root.glob('checklists/*.yaml')):\n"
        "    yaml.load(p.read_bytes(), Loader=L)\n"), str(args.org)]
    whois300 = [py, "-m", "oncall", "--root", str(args.org), "whois", "now", "--format", "json"]
    settle(args.org)
    t = timed_commands({"yaml": yaml_only, "whois": whois300}, repeats, env)
    rows.append(("`oncall whois now --format json`, 300 schedules (org cache warm)",
                 f"{t['whois'] * 1000:.0f} ms vs YAML load {t['yaml'] * 1000:.0f} ms",
                 f"{t['whois'] / t['yaml']:.2f}x YAML load (target <= 2x)"))
    t = timed_commands({"yaml": yaml_only, "whois": whois300}, repeats, dict(env, ONCALL_NO_CACHE="1"))
    rows.append(("`oncall whois now --format json`, 300 schedules, no cache (parses every file)",
                 f"{t['whois'] * 1000:.0f} ms vs YAML load {t['yaml'] * 1000:.0f} ms",
                 f"{t['whois'] / t['yaml']:.2f}x YAML load"))

    # 3. One year of generate, engine only, vs RRULE expansion of the same rotations.
    from bench.rrule_org import build_calendar, expand
    from oncall.config import load_org
    from oncall.engine import generate
    from oncall.times import parse_time, zone

    utc = zone("UTC")
    start, end = parse_time(ONE_YEAR_FROM).instant(utc), parse_time(ONE_YEAR_TO).instant(utc)
    load_time, org = timed_calls(lambda: load_org(args.org), 3)
    gen_repeats = 3 if args.quick else 5
    gen_time, timeline = timed_calls(lambda: generate(org, start, end), gen_repeats)
    shifts = len(timeline.shifts)
    cal = build_calendar(org)
    rrule_time, occurrences = timed_calls(lambda: expand(cal, start, end), 1 if args.quick else 3)
    rows.append(("load 300 schedules + 2,000 people (in process)", f"{load_time * 1000:.0f} ms", ""))
    rows.append(("`generate`, one year, 300 schedules (engine)",
                 f"{gen_time:.2f} s, {shifts:,} shifts", f"{shifts / gen_time:,.0f} shifts/s"))
    rows.append(("RRULE expansion of the same rotations (recurring-ical-events)",
                 f"{rrule_time:.2f} s, {occurrences:,} occurrences",
                 f"oncall {rrule_time / gen_time:.1f}x faster (target >= 10x)"))

    example = load_org(REPO)
    ex_time, ex_tl = timed_calls(lambda: generate(example, start, end), gen_repeats)
    rows.append(("`generate`, one year, example org (engine)", f"{ex_time * 1000:.0f} ms, {len(ex_tl.shifts):,} shifts",
                 f"{len(ex_tl.shifts) / ex_time:,.0f} shifts/s"))

    # 4. Peak memory of the whole one-year generate command.
    rss = peak_rss_mb(["--root", str(args.org), "schedule", "generate", "--from", ONE_YEAR_FROM,
                       "--to", ONE_YEAR_TO, "--format", "json"], env)
    rows.append(("peak RSS, `schedule generate --format json`, one year, 300 schedules", f"{rss:.0f} MB", ""))

    print("| what | measured | figure |")
    print("|---|---|---|")
    for row in rows:
        print(f"| {row[0]} | {row[1]} | {row[2]} |")
    sys.stdout.flush()

    # 5. The calendar and readiness benchmarks print their own tables.
    for script, extra in (("bench_ics.py", ["--root", str(args.org)]), ("bench_ready.py", [])):
        path = REPO / "bench" / script
        if path.exists():
            print(f"\n## {script}")
            sys.stdout.flush()
            subprocess.run([py, str(path), *extra, *(["--quick"] if args.quick else [])], check=False, cwd=REPO)


if __name__ == "__main__":
    main()
