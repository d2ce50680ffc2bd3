"""Size and build time of `oncall site build` on the benchmark organisation.

    python3 bench/bench_site.py                  # writes bench/out/org300 first if it is missing
    python3 bench/bench_site.py --org PATH --now 2026-12-08T09:00:00Z

Builds the site three times as whole commands, into an empty folder, again with nothing changed,
and an hour later (every page names its build time), then prints the bytes of each part as
written and gzipped (what a static host that compresses sends). Nothing here asserts a figure.
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def build(org: Path, out: Path, at: datetime) -> float:
    """Wall time of ``oncall site build OUT`` at the frozen instant ``at``."""
    probe = ("import sys\nfrom freezegun import freeze_time\nfrom oncall.cli.app import run\n"
             "with freeze_time(sys.argv[1]):\n    sys.exit(run(sys.argv[2:]))\n")
    argv = [sys.executable, "-c", probe, at.isoformat(), "--root", str(org), "site", "build", str(out)]
    env = dict(os.environ, PYTHONPATH=str(REPO))
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env, cwd=REPO)
    return time.perf_counter() - start


def sizes(out: Path) -> dict[str, tuple[int, int, int]]:
    """Per part of the site: (files, bytes, gzipped bytes)."""
    parts: dict[str, tuple[int, int, int]] = {}
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        rel = path.relative_to(out)
        part = rel.parts[0] if len(rel.parts) > 1 else rel.name
        data = path.read_bytes()
        files, raw, packed = parts.get(part, (0, 0, 0))
        parts[part] = (files + 1, raw + len(data), packed + len(gzip.compress(data, 6)))
    return parts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--org", type=Path, default=REPO / "bench" / "out" / "org300")
    parser.add_argument("--now", default="2026-12-08T09:00:00+00:00", help="the build time (frozen)")
    args = parser.parse_args()
    if not (args.org / "schedules").is_dir():
        from bench.make_org import make

        make(args.org)
    at = datetime.fromisoformat(args.now)
    out = Path(tempfile.mkdtemp(prefix="oncall-site-"))
    try:
        cold = build(args.org, out, at)
        same = build(args.org, out, at)
        later = build(args.org, out, at + timedelta(hours=1))
        parts = sizes(out)
    finally:
        shutil.rmtree(out, ignore_errors=True)
    print(f"oncall site build, {args.org.name}, built at {at.isoformat()} (default window)")
    print(f"  into an empty folder {cold:6.1f} s | nothing changed {same:6.1f} s | an hour later {later:6.1f} s")
    print(f"  {'part':<14} {'files':>6} {'MB':>8} {'MB gzipped':>11}")
    total = [0, 0, 0]
    for part, (files, raw, packed) in parts.items():
        print(f"  {part:<14} {files:>6} {raw / 1e6:>8.2f} {packed / 1e6:>11.2f}")
        total = [total[0] + files, total[1] + raw, total[2] + packed]
    print(f"  {'total':<14} {total[0]:>6} {total[1] / 1e6:>8.2f} {total[2] / 1e6:>11.2f}")


if __name__ == "__main__":
    main()
