"""Time the .ics export of one year of an org: events per second and the share inside icalendar.

    python3 bench/make_org.py bench/out/org300          # the synthetic 300-schedule org
    python3 bench/bench_ics.py --root bench/out/org300

The export is what ``oncall schedule generate --format ics`` runs after the engine: placing the
shifts in context (real bounds and neighbours, with a few engine calls at the edges), building the
events and writing the bytes. Engine time for the year itself is measured and reported apart.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from oncall.calendar.ics import export_calendar  # noqa: E402
from oncall.config import load_org  # noqa: E402
from oncall.engine import generate  # noqa: E402

YEAR_START = int(datetime(2026, 1, 1, tzinfo=UTC).timestamp())
YEAR_END = int(datetime(2027, 1, 1, tzinfo=UTC).timestamp())
NOW = int(datetime(2026, 1, 1, 12, tzinfo=UTC).timestamp())


def _icalendar_share(stats: pstats.Stats, total: float) -> float:
    """Time spent in icalendar's own functions (self time, so nothing is counted twice)."""
    inside = 0.0
    for (filename, _line, _name), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        if "/icalendar/" in filename.replace("\\", "/"):
            inside += tottime
    return inside / total if total else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, required=True, help="config root (e.g. bench/out/org300)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs; the best is reported")
    args = parser.parse_args()

    org = load_org(args.root)
    t0 = time.perf_counter()
    shifts = generate(org, YEAR_START, YEAR_END).shifts
    engine = time.perf_counter() - t0

    best = float("inf")
    size = 0
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        data = export_calendar(org, shifts, name="bench", now=NOW)
        best = min(best, time.perf_counter() - t0)
        size = len(data)

    profile = cProfile.Profile()
    profile.enable()
    t0 = time.perf_counter()
    export_calendar(org, shifts, name="bench", now=NOW + 60)  # a new "now": no warm caches for stamps
    profiled = time.perf_counter() - t0
    profile.disable()
    stats = pstats.Stats(profile)
    share = _icalendar_share(stats, stats.total_tt)  # type: ignore[attr-defined]

    events = len(shifts)
    print(f"org: {len(org.schedules)} schedules, {len(org.people)} people; one year: {events} shifts")
    print(f"engine generate (not part of the export): {engine:.2f} s")
    print(f"export: {best:.2f} s best of {args.repeat}, {events / best:,.0f} events/s, {size / 1e6:.1f} MB")
    print(f"inside icalendar (cProfile self time, profiled run {profiled:.2f} s): {share:.0%}")
    stats.sort_stats("tottime").print_stats(8)


if __name__ == "__main__":
    main()
