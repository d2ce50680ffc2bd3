"""How long `oncall ready status` takes with 2,000 people's shared results, fetch included.

    python3 bench/bench_board.py            # 5 runs of each figure
    python3 bench/bench_board.py --quick    # 2 runs

Builds the synthetic organisation of ``bench/make_org.py`` (300 schedules, 2,000 people, 40
checklists) as a git repository, a bare clone of it as the team's remote, and on that remote one
``refs/oncall/readiness/<person>`` per person holding a result for each checklist they are on
(written with ``git fast-import``, as if 2,000 people had run ``oncall ready --check-access``).
Then it times the whole command in a fresh process, ``oncall ready status --within 7d --format
json``, in three situations:

* ``first``: a clone that has never fetched results: all 2,000 refs and their objects arrive;
* ``daily``: 200 people (10%) pushed a new result since the last fetch;
* ``unchanged``: nothing new on the remote (the fetch only compares refs).

Target: at most 2 s in each situation, the fetch included. The ``first`` fetch creates 2,000
refs (one small file each) and, in a clone the command has never read, parses the config files
once for the org cache. Each figure is the median wall time and the CPU time of the command and
its git processes (on a busy machine the wall time is mostly waiting for a CPU); the load average
is printed with them. ``--against DIR`` runs the oncall of another checkout in the same rounds
(on the same remote, each in a clone of its own, taking turns to go first). Nothing here asserts
a time.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.make_org import make  # noqa: E402

NOW = int(time.time())  # the command reads the clock; results are made a day before it
TARGET = 2.0
CHANGED = 200


def git(cwd: Path, *args: str, stdin: bytes | None = None) -> bytes:
    env = dict(os.environ, GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="bench@example.com",
               GIT_COMMITTER_NAME="bench", GIT_COMMITTER_EMAIL="bench@example.com")
    return subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True, check=True, env=env).stdout


def results_stream(root: Path, at: int, people: list[str] | None = None, *, parent: bool = False) -> bytes:
    """A ``git fast-import`` stream: one commit per person on their results ref."""
    from oncall.config.loader import load_org
    from oncall.readiness.share import REF_PREFIX, Confirmation, SharedItem, SharedResult, checklist_blob

    org = load_org(root)
    on: dict[str, set[str]] = {}
    for schedule in org.schedules.values():
        for layer in schedule.layers:
            for pid in layer.people:
                if schedule.checklist:
                    on.setdefault(pid, set()).add(schedule.checklist)
    blobs = {cid: checklist_blob(c) for cid, c in org.checklists.items()}
    ids = sorted(org.checklists)
    for n, pid in enumerate(sorted(org.people)):  # people on no schedule checked some checklist anyway
        on.setdefault(pid, {ids[n % len(ids)]})
    chunks: list[bytes] = []
    mark = 0
    for pid in people if people is not None else sorted(org.people):
        files = []
        for cid in sorted(on.get(pid, ())):
            result = SharedResult(
                person=pid, checked_at=at, checklist=cid, checklist_blob=blobs[cid], tool_version="bench",
                host="bench", items=(SharedItem("python", "Python runs", "pass", 0.05, "Python 3.11"),
                                     SharedItem("home", "HOME is set", "pass", 0.0, "$HOME set"),
                                     SharedItem("playbook", "Read the playbook", "pass", 0.0, "confirmed")),
                confirmations=(Confirmation("playbook", "I have read the playbook", at),))
            data = result.to_json()
            mark += 1
            chunks.append(b"blob\nmark :%d\ndata %d\n%s\n" % (mark, len(data), data))
            files.append((mark, cid))
        if not files:
            continue
        message = f"readiness of {pid}".encode()
        head = f"commit {REF_PREFIX}{pid}\ncommitter bench <bench@example.com> {at} +0000\n"
        chunks.append(head.encode() + b"data %d\n%s\n" % (len(message), message))
        if parent:
            chunks.append(f"from {REF_PREFIX}{pid}^0\n".encode())
        chunks.extend(b"M 100644 :%d %s.json\n" % (m, cid.encode()) for m, cid in files)
        chunks.append(b"\n")
    return b"".join(chunks)


def setup(base: Path) -> tuple[Path, Path]:
    if base.exists():
        shutil.rmtree(base)
    base.mkdir(parents=True)
    seed = make(base / "seed")
    (seed / "oncall.yaml").write_text("readiness:\n  share: git\n")
    git(seed, "init", "--quiet", "--initial-branch=main")
    git(seed, "add", ".")
    git(seed, "commit", "--quiet", "-m", "org")
    remote = base / "remote.git"
    git(base, "clone", "--quiet", "--bare", str(seed), str(remote))
    git(remote, "fast-import", "--quiet", stdin=results_stream(seed, NOW - 86400))
    return seed, remote


def timed(argv: list[str], env: dict[str, str], before: object = None, cwd: Path = REPO) -> tuple[float, float]:
    """Wall seconds, and CPU seconds of the command and the git processes it ran."""
    if callable(before):
        before()
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, cwd=cwd)  # ``-m`` imports oncall from here
    took = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed:\n{done.stderr.decode()}")
    return took, (after.ru_utime - used.ru_utime) + (after.ru_stime - used.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 runs instead of 5")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out" / "board")
    parser.add_argument("--against", type=Path, action="append", default=[],
                        help="another checkout of oncall to run in the same rounds, on the same remote (repeatable)")
    args = parser.parse_args()
    repeats = 2 if args.quick else 5
    seed, remote = setup(args.out)
    checkouts = {"": REPO, **{f" ({path})": path.resolve() for path in args.against}}
    people = sorted(line.split("/")[-1] for line in git(remote, "for-each-ref", "--format=%(refname)",
                                                             "refs/oncall/readiness").decode().split())
    runs = []
    for i, (label, checkout) in enumerate(checkouts.items()):
        clone = args.out / f"clone{i}"
        env = dict(os.environ, NO_COLOR="1", XDG_CACHE_HOME=str(args.out / f"cache{i}"),
                   XDG_STATE_HOME=str(args.out / f"state{i}"), XDG_CONFIG_HOME=str(args.out / "config"),
                   PYTHONPATH=str(checkout))
        env.pop("ONCALL_ROOT", None)
        argv = [sys.executable, "-m", "oncall", "--root", str(clone), "ready", "status", "--within", "7d",
                "--format", "json"]
        runs.append((label, checkout, clone, argv, env))
    figures: dict[str, list[tuple[float, float]]] = {
        f"{kind}{label}": [] for kind in ("first", "daily", "unchanged") for label in checkouts}
    for round_ in range(repeats):
        order = runs if round_ % 2 == 0 else runs[::-1]  # each checkout goes first in turn
        for label, checkout, clone, argv, env in order:
            if clone.exists():
                shutil.rmtree(clone)
            git(args.out, "clone", "--quiet", "--no-local", str(remote), str(clone))
            figures[f"first{label}"].append(timed(argv, env, cwd=checkout))
        changed = people[round_ * CHANGED % len(people):][:CHANGED]
        git(remote, "fast-import", "--quiet", stdin=results_stream(seed, NOW - 3600 + round_, changed, parent=True))
        for kind in ("daily", "unchanged"):
            for label, checkout, _clone, argv, env in order:
                figures[f"{kind}{label}"].append(timed(argv, env, cwd=checkout))
    load = os.getloadavg()[0]
    print(f"`oncall ready status --within 7d --format json`, {len(people)} people's results on a local remote "
          f"(medians of {repeats}; load average {load:.1f} on {os.cpu_count()} CPUs):\n")
    print("| fetch | wall s | CPU s | target (wall) | met |")
    print("|---|---:|---:|---:|---|")
    for name, values in figures.items():
        target = f"<= {TARGET:.1f}"
        wall = statistics.median(v[0] for v in values)
        cpu = statistics.median(v[1] for v in values)
        print(f"| {name} | {wall:.2f} | {cpu:.2f} | {target} | {'yes' if wall <= TARGET else 'no'} |")

if __name__ == "__main__":
    main()
