"""Time the .ics export of one year of an org: events per second, and where the time goes.

    python3 bench/make_org.py bench/out/org300          # the synthetic 300-schedule org
    python3 bench/bench_ics.py --root bench/out/org300 [--quick] [--profile 15]

The export is what ``oncall schedule generate --format ics`` runs after the engine: building the
events from the shifts (which come from the engine complete: whole bounds, neighbours, reasons)
and writing the bytes, one schedule at a time (the first row; ``--profile`` profiles it). The
calendar built whole (``export_calendar``, what ``calendar publish`` writes each feed with,
events sorted and compared with a previous file) is timed beside it. Generating the year itself is the engine's work and is not part of the
figures; the last row times the whole command, engine and start-up included.

Each row is the median of repeated runs. ``--profile N`` prints the N functions with the most
self time in one more run of the whole-org export under cProfile (approximate: the profiler
slows Python code more than C code). The export imports nothing from icalendar: it escapes and
folds lines itself, as icalendar does (tests/calendar/test_ics_fold.py).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from oncall.calendar.ics import export_calendar, stream_calendar  # noqa: E402
from oncall.config import load_org  # noqa: E402
from oncall.engine import generate  # noqa: E402
from oncall.model import Shift  # noqa: E402

YEAR_START = int(datetime(2026, 1, 1, tzinfo=UTC).timestamp())
YEAR_END = int(datetime(2027, 1, 1, tzinfo=UTC).timestamp())
NOW = int(datetime(2026, 1, 1, 12, tzinfo=UTC).timestamp())


def profiled(run: Callable[[], object]) -> pstats.Stats:
    """``run`` once under cProfile."""
    profile = cProfile.Profile()
    profile.enable()
    run()
    profile.disable()
    return pstats.Stats(profile)


def whole_command(root: Path, repeats: int) -> float:
    """Median wall time of the whole command in a fresh process (org cache warm, output discarded)."""
    repo = Path(__file__).resolve().parents[1]
    env = dict(os.environ, XDG_CACHE_HOME=str(repo / "bench" / "out" / "cache"), PYTHONPATH=str(repo))
    argv = [sys.executable, "-m", "oncall", "--root", str(root), "schedule", "generate", "--format", "ics",
            "--from", "2026-01-01T00:00:00Z", "--to", "2027-01-01T00:00:00Z"]
    times = []
    for round_ in range(repeats + 1):  # the first run warms the org cache
        start = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, check=True, env=env, cwd=repo)
        if round_:
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, required=True, help="config root (e.g. bench/out/org300)")
    parser.add_argument("--quick", action="store_true", help="3 timed runs per row instead of 7")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="also print the N top entries (self time) of the profiled whole-org run")
    args = parser.parse_args()
    repeats = 3 if args.quick else 7

    org = load_org(args.root)
    timeline = generate(org, YEAR_START, YEAR_END)
    busiest = Counter(s.person for s in timeline.shifts).most_common(1)[0][0]
    mine = generate(org, YEAR_START, YEAR_END, person=busiest)
    by_schedule: dict[str, list[Shift]] = {}
    for shift in timeline.shifts:
        by_schedule.setdefault(shift.schedule, []).append(shift)
    cases: list[tuple[str, int, Callable[[], bytes]]] = [
        (f"one year, {len(org.schedules)} schedules, streamed one schedule at a time (as `generate` writes it)",
         len(timeline.shifts), lambda: b"".join(stream_calendar(org, by_schedule.values(), name="bench", now=NOW))),
        (f"one year, {len(org.schedules)} schedules, whole (`export_calendar`, as `calendar publish` writes a feed)",
         len(timeline.shifts), lambda: export_calendar(org, timeline.shifts, name="bench", now=NOW)),
        (f"one year of one person (`--person {busiest}`)", len(mine.shifts),
         lambda: export_calendar(org, mine.shifts, name="bench", now=NOW)),
    ]

    print(f"org: {len(org.schedules)} schedules, {len(org.people)} people; median of {repeats} runs")
    print()
    print("| export | events | seconds (median) | events/s |")
    print("|---|---:|---:|---:|")
    for label, events, run in cases:
        size = len(run())  # warm-up, and the size of the file
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            run()
            times.append(time.perf_counter() - start)
        seconds = statistics.median(times)
        print(f"| {label} ({size / 1e6:.1f} MB) | {events:,} | {seconds:.3f} | {events / seconds:,.0f} |")
        sys.stdout.flush()
    seconds = whole_command(args.root, repeats)
    print(f"| whole command: `oncall schedule generate --format ics`, one year, {len(org.schedules)} schedules "
          f"| {len(timeline.shifts):,} | {seconds:.3f} | {len(timeline.shifts) / seconds:,.0f} |")
    if args.profile:
        print()
        profiled(cases[0][2]).sort_stats("tottime").print_stats(args.profile)


if __name__ == "__main__":
    main()
