"""``oncall notify run`` sending many messages, as cron runs it: the synthetic org of 300 schedules
and 2,000 people, every message by email to a local SMTP server (aiosmtpd, in this process), a
fresh ``python -m oncall`` process each time, timed from start to exit, with a fresh state folder
(so every repeat sends the same messages). The first run looks back ``notify.lookback`` (set
wide here), so it sends a few thousand reminders and handoffs. The state holds ``--history`` keys
of messages sent earlier (a week of a cron run on this org holds about 15,000), as a state file
does in steady use: each message recorded must not cost more as the state grows.

    python3 bench/bench_notify_send.py                  # the code of this checkout
    python3 bench/bench_notify_send.py --code DIR       # another checkout's code, on the same org

Figures are medians of repeated runs. Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.make_org import make  # noqa: E402
from bench.run import settle  # noqa: E402

SETTINGS = """\
notify:
  remind_before: [24h, 1h]
  lookback: {lookback}
  team: [mail]
  direct: [mail]
  channels:
    mail:
      type: email
      host: 127.0.0.1
      port: {port}
      security: none
      sender: oncall@example.com
      to: [team@example.com]
      timeout: 10s
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--code", type=Path, default=REPO, help="the checkout whose code runs (default: this one)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--lookback", default="24h", help="how far the first run looks back (more: more messages)")
    parser.add_argument("--history", type=int, default=15000, help="keys of earlier messages in the state")
    args = parser.parse_args()
    from aiosmtpd.controller import Controller

    received: list[int] = [0]

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
            received[0] += 1
            return "250 OK"

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        root = REPO / "bench" / "out" / "org300-send"
        if not (root / "schedules").exists():
            make(root)
        (root / "oncall.yaml").write_text(SETTINGS.format(lookback=args.lookback, port=port))
        settle(root)
        samples, counts = [], []
        for _ in range(args.repeats):
            with tempfile.TemporaryDirectory() as state:
                _history(Path(state), root, args.history, args.code)
                env = {**os.environ, "PYTHONPATH": str(args.code.resolve()), "ONCALL_ROOT": str(root),
                       "XDG_STATE_HOME": state, "TZ": "UTC"}
                before = received[0]
                start = time.perf_counter()
                # In the code's folder: ``-m`` imports from the working folder before PYTHONPATH.
                done = subprocess.run([sys.executable, "-m", "oncall", "notify", "run", "--state-dir", state],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env,
                                      cwd=args.code.resolve())
                samples.append(time.perf_counter() - start)
                counts.append(received[0] - before)
                print(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}")
    finally:
        controller.stop()
    print(f"code: {args.code.resolve()}")
    print(f"notify run looking back {args.lookback}, {args.history} keys in the state: "
          f"{statistics.median(counts):.0f} emails sent, {statistics.median(samples):6.2f} s (median of {args.repeats})")


def _history(state: Path, root: Path, keys: int, code: Path) -> None:
    """A state file for ``root`` holding ``keys`` earlier messages' keys (kept long past now)."""
    found = subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path; "
                            "from oncall.notify.state import state_file; "
                            "print(state_file(Path(sys.argv[1]), Path(sys.argv[2])))", str(state), str(root)],
                           env={**os.environ, "PYTHONPATH": str(code.resolve())}, capture_output=True, text=True,
                           check=True)
    later = int(time.time()) + 30 * 86400
    sent = {f"reminder|s{i % 300:03d}|{later - i * 60}|p{i % 2000:04d}|mail:p{i % 2000:04d}@example.com":
            {"at": later - 40 * 86400, "keep_until": later} for i in range(keys)}
    Path(found.stdout.strip()).write_text(json.dumps({"version": 1, "last_run": None, "sent": sent, "slack": {}},
                                                     indent=1) + "\n")


if __name__ == "__main__":
    main()
