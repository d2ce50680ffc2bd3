"""``oncall notify run`` as cron runs it, on the synthetic org of 300 schedules and 2,000 people: a
fresh ``python -m oncall`` process, timed from start to exit. Nothing is sent (no channel reaches
anyone), so the figure is the work of a run: generating everyone's shifts around now, planning the
messages, comparing everyone's next 14 days with the previous run, and writing the state.

    python3 bench/bench_notify.py                  # the code of this checkout
    python3 bench/bench_notify.py --code DIR       # another checkout's code, on the same org

Figures are medians of repeated runs (after one warm-up). Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.make_org import make  # noqa: E402
from bench.run import settle, timed_commands  # noqa: E402

SETTINGS = """\
notify:
  remind_before: [24h, 1h]
  digest: {day: mon, at: "09:00"}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--code", type=Path, default=REPO, help="the checkout whose code runs (default: this one)")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    root = REPO / "bench" / "out" / "org300-notify"
    if not (root / "oncall.yaml").exists():
        make(root)
        (root / "oncall.yaml").write_text(SETTINGS)
    settle(root)
    with tempfile.TemporaryDirectory() as state:
        env = {**os.environ, "PYTHONPATH": str(args.code.resolve()), "ONCALL_ROOT": str(root),
               "XDG_STATE_HOME": state, "TZ": "UTC"}
        # -P: run the checkout on PYTHONPATH, not the oncall of the current folder
        base = [sys.executable, "-P", "-m", "oncall", "notify", "run", "--state-dir", state]
        figures = timed_commands({"notify run --dry-run (first run)": [*base, "--dry-run"],
                                  "notify run (with the previous run's state)": base}, args.repeats, env)
    print(f"code: {args.code.resolve()}")
    for name, seconds in figures.items():
        print(f"{name:46} {seconds:6.2f} s")


if __name__ == "__main__":
    main()
