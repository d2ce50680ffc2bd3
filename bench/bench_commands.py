"""Whole-command figures: each command as a user runs it, a fresh ``python -m oncall`` process,
timed from start to exit. docs/performance.md states what this prints.

    python3 bench/bench_commands.py            # writes bench/out/org300 first if it is missing
    python3 bench/bench_commands.py --quick    # fewer repetitions

Figures are medians of repeated runs, made in rounds (every command once per round, after one
warm-up round), of two measures: wall time, and the CPU time (user + system) the process used,
which a busy machine disturbs far less. Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.run import ONE_YEAR_FROM, ONE_YEAR_TO, peak_rss_mb, settle  # noqa: E402

EXPAND_RRULES = (
    "import sys, datetime as dt, icalendar, recurring_ical_events\n"
    "cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())\n"
    "start, end = (dt.datetime.fromisoformat(a.replace('Z', '+00:00')) for a in sys.argv[2:4])\n"
    "print(len(recurring_ical_events.of(cal).between(start, end)))\n"
)


def timed(cases: list[tuple[str, list[str], dict[str, str]]], repeats: int) -> dict[str, tuple[float, float]]:
    """Median (wall seconds, CPU seconds) of each command, run in rounds after a warm-up round."""
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name, _, _ in cases}
    for round_ in range(repeats + 1):
        for name, argv, env in cases:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=env, cwd=REPO)
            wall = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            if round_:
                samples[name].append((wall, cpu))
    return {name: (statistics.median(w for w, _ in values), statistics.median(c for _, c in values))
            for name, values in samples.items()}


def _seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def _count(argv: list[str], env: dict[str, str]) -> str:
    out = subprocess.run(argv, capture_output=True, check=True, env=env, cwd=REPO).stdout
    return out.decode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description="Time whole oncall commands.")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--org", type=Path, default=REPO / "bench" / "out" / "org300")
    args = parser.parse_args()
    repeats = 3 if args.quick else 7
    py = sys.executable
    if not (args.org / "schedules").is_dir():
        from bench.make_org import make

        make(args.org)
    env = dict(os.environ, XDG_CACHE_HOME=str(REPO / "bench" / "out" / "cache"),
               XDG_STATE_HOME=str(REPO / "bench" / "out" / "state"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([py, "-m", "compileall", "-q", str(REPO / "oncall")], check=True, env=env)
    settle(args.org)

    def oncall(root: Path, *words: str) -> list[str]:
        return [py, "-m", "oncall", "--root", str(root), *words]

    year = ["--from", ONE_YEAR_FROM, "--to", ONE_YEAR_TO]
    rrule_file = REPO / "bench" / "out" / "org300-rrules.ics"
    if not rrule_file.exists():
        from bench.rrule_org import build_calendar
        from oncall.config import load_org

        rrule_file.write_bytes(build_calendar(load_org(args.org)).to_ical())

    cases: list[tuple[str, list[str], dict[str, str]]] = [
        ("`python -c pass` (the interpreter alone, for scale)", [py, "-c", "pass"], env),
        ("`oncall whois now`, example org", oncall(REPO, "whois", "now"), env),
        ("`oncall whois now --format json`, 300 schedules", oncall(args.org, "whois", "now", "--format", "json"), env),
        ("the same, `ONCALL_NO_CACHE=1` (parses every file)",
         oncall(args.org, "whois", "now", "--format", "json"), dict(env, ONCALL_NO_CACHE="1")),
        ("`oncall schedule validate`, 300 schedules", oncall(args.org, "schedule", "validate"), env),
        ("`oncall schedule generate --format json`, one year, 300 schedules",
         oncall(args.org, "schedule", "generate", *year, "--format", "json"), env),
        ("`oncall schedule generate --format ics`, one year, 300 schedules",
         oncall(args.org, "schedule", "generate", *year, "--format", "ics"), env),
        ("`oncall report hours`, twelve weeks, 300 schedules", oncall(args.org, "report", "hours"), env),
        ("a program expanding the same rotations as RRULE events (recurring-ical-events), one year",
         [py, "-c", EXPAND_RRULES, str(rrule_file), ONE_YEAR_FROM, ONE_YEAR_TO], env),
    ]
    times = timed(cases, repeats)

    shifts = len(json.loads(_count(cases[5][1], env))["shifts"])
    events = _count(cases[6][1], env).count("BEGIN:VEVENT")
    occurrences = int(_count(cases[8][1], env))
    notes = {
        cases[5][0]: f"{shifts:,} shifts",
        cases[6][0]: f"{events:,} events",
        cases[8][0]: f"{occurrences:,} occurrences",
    }
    rss = peak_rss_mb(["--root", str(args.org), "schedule", "generate", *year, "--format", "json"], env)

    print(f"median of {repeats} runs of each whole command (a fresh process each run)\n")
    print("| command | wall time | CPU time | |")
    print("|---|---:|---:|---|")
    for name, _, _ in cases:
        wall, cpu = times[name]
        print(f"| {name} | {_seconds(wall)} | {_seconds(cpu)} | {notes.get(name, '')} |")
    print(f"\npeak RSS of `oncall schedule generate --format json`, one year, 300 schedules: {rss:.0f} MB")


if __name__ == "__main__":
    main()
