"""Every speed target of oncall beside its figure, at the benchmark org's scale 1 and scale 10.

    python3 bench/targets.py                      # both scales (scale 10 takes a long while)
    python3 bench/targets.py --scale 1 --quick    # scale 1 only, fewer rounds
    python3 bench/targets.py --only publish       # the rows whose key contains "publish"

Scale 1 is the org ``bench/make_org.py`` writes by default (300 schedules, 2,000 people, 500
overrides, 40 checklists); scale 10 is ``--scale 10`` (3,000 schedules, 20,000 people, 5,000
overrides, 400 checklists). Both are written under bench/out/ when missing.

Every figure is a whole command, a fresh process timed from start to exit, run in rounds that
alternate the commands a figure compares, so a busy machine slows both sides alike. Each figure
gives CPU time (user + system of the process and its children) beside wall time: on a shared
machine the wall time is mostly waiting for a CPU. A target is judged on the CPU figures unless
it says otherwise; the last column compares the command's CPU time at scale 10 with scale 1 (10x
is linear). ``ready --check-access`` and ``ready status`` are measured by bench/bench_ready.py
and bench/bench_board.py, run here as they are and printed after the table. Nothing here asserts
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
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.bench_commands import EXPAND_RRULES  # noqa: E402
from bench.run import ONE_YEAR_FROM, ONE_YEAR_TO, peak_rss_mb, settle  # noqa: E402

PY = sys.executable
FLOOR = "import typer, yaml, rich.console, rich.table"
FIVE_YEARS_TO = "2032-01-01T00:00:00Z"
NOTIFY_SETTINGS = """\
notify:
  remind_before: [24h, 1h]
  digest: {day: mon, at: "09:00"}
"""


# -- running whole commands -----------------------------------------------------------------------


@dataclass
class Case:
    """One whole command: its argv, its environment, what to do (untimed) before each run, and
    how many times it runs in a round (its figure for the round is their mean)."""

    argv: list[str]
    env: dict[str, str]
    before: Callable[[], None] | None = None
    runs: int = 1


@dataclass
class Samples:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    @property
    def w(self) -> float:
        return statistics.median(self.wall)

    @property
    def c(self) -> float:
        return statistics.median(self.cpu)


def rounds(cases: dict[str, Case], count: int, warm_up: bool = True) -> dict[str, Samples]:
    """Run every case ``case.runs`` times per round, in turns, ``count`` rounds (after one
    untimed round); a case's figure for a round is the mean of its runs in it."""
    out = {name: Samples() for name in cases}
    for round_ in range(count + (1 if warm_up else 0)):
        timed: dict[str, list[tuple[float, float]]] = {name: [] for name in cases}
        for turn in range(max(case.runs for case in cases.values())):
            for name, case in cases.items():
                if turn < case.runs:
                    timed[name].append(_run(case))
        if round_ or not warm_up:
            for name, runs in timed.items():
                out[name].wall.append(statistics.fmean(wall for wall, _ in runs))
                out[name].cpu.append(statistics.fmean(cpu for _, cpu in runs))
    return out


def _run(case: Case) -> tuple[float, float]:
    """One run of ``case``: its wall time and its CPU time (user + system, children included)."""
    if case.before is not None:
        case.before()
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(case.argv, env=case.env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(case.argv)} failed:\n{done.stderr.decode()[-2000:]}")
    return wall, (after.ru_utime - used.ru_utime) + (after.ru_stime - used.ru_stime)


def paired_ratio(a: Samples, b: Samples, cpu: bool = False) -> float:
    """The median over rounds of a / b (wall time, or CPU time)."""
    xs, ys = (a.cpu, b.cpu) if cpu else (a.wall, b.wall)
    return statistics.median(x / y for x, y in zip(xs, ys, strict=True))


def secs(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.1f} s"


def both(s: Samples) -> str:
    return f"{secs(s.w)} wall, {secs(s.c)} CPU"


# -- the organisations ----------------------------------------------------------------------------


@dataclass
class Scale:
    factor: int
    org: Path
    env: dict[str, str]
    rounds: int
    tmp: Path
    memo: dict[str, dict[str, Samples]] = field(default_factory=dict)

    def oncall(self, *words: str, root: Path | None = None) -> list[str]:
        return [PY, "-m", "oncall", "--root", str(root or self.org), *words]


def prepare(factor: int, rounds_: int, tmp: Path) -> Scale:
    org = REPO / "bench" / "out" / f"org{300 * factor}"
    if not (org / "schedules").is_dir():
        from bench.make_org import make_scaled

        print(f"writing {org} (scale {factor}) ...", file=sys.stderr)
        make_scaled(org, factor)
    if not (org / "oncall.yaml").exists():  # notify run needs its settings; nothing else reads them
        (org / "oncall.yaml").write_text(NOTIFY_SETTINGS)
    env = dict(os.environ, PYTHONPATH=str(REPO), XDG_CACHE_HOME=str(REPO / "bench" / "out" / "cache"),
               XDG_STATE_HOME=str(tmp / f"state{factor}"), NO_COLOR="1", TZ="UTC")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("ONCALL_NO_CACHE", None)
    env.pop("ONCALL_ROOT", None)
    settle(org)
    subprocess.run([PY, "-m", "oncall", "--root", str(org), "whois", "now"], env=env, stdout=subprocess.DEVNULL,
                   check=True)  # the org cache, warm
    return Scale(factor, org, env, rounds_, tmp)


def rrule_file(scale: Scale) -> Path:
    path = REPO / "bench" / "out" / f"{scale.org.name}-rrules.ics"
    if not path.exists():
        from bench.rrule_org import build_calendar
        from oncall.config import load_org

        print(f"writing {path} ...", file=sys.stderr)
        path.write_bytes(build_calendar(load_org(scale.org)).to_ical())
    return path


# -- the targets ----------------------------------------------------------------------------------


@dataclass
class Figure:
    text: str
    met: bool | None  # None: a figure stated, no target to meet
    cpu: float | None = None  # the command's own CPU seconds, compared across scales


@dataclass
class Target:
    key: str
    what: str
    target: str
    measure: Callable[[Scale], Figure] | None  # None: measured once, not per scale
    scales: tuple[int, ...] = (1, 10)


def generate_rounds(scale: Scale) -> dict[str, Samples]:
    """One year of ``generate --format json`` and ``--format ics``, and the RRULE program, in
    turns (once per scale: both generate rows read it).

    The RRULE program takes ten times as long as ``generate``, and a shared machine's speed moves
    within seconds: one ``generate`` beside it samples a moment where the RRULE program averages
    over its whole run. So ``generate`` runs as many times per round as it takes to fill about
    the RRULE program's time (5 at scale 1, where it takes about a second; once at scale 10), and
    its figure for the round is their mean."""
    if "generate" not in scale.memo:
        year = ["--from", ONE_YEAR_FROM, "--to", ONE_YEAR_TO]
        runs = 5 if scale.factor == 1 else 1
        scale.memo["generate"] = rounds({
            "json": Case(scale.oncall("schedule", "generate", *year, "--format", "json"), scale.env, runs=runs),
            "ics": Case(scale.oncall("schedule", "generate", *year, "--format", "ics"), scale.env, runs=runs),
            "rrule": Case([PY, "-c", EXPAND_RRULES, str(rrule_file(scale)), ONE_YEAR_FROM, ONE_YEAR_TO], scale.env),
        }, scale.rounds, warm_up=scale.factor == 1)
    return scale.memo["generate"]


def generate_vs_rrule(fmt: str) -> Callable[[Scale], Figure]:
    def measure(scale: Scale) -> Figure:
        t = generate_rounds(scale)
        cpu, wall = paired_ratio(t["rrule"], t[fmt], cpu=True), paired_ratio(t["rrule"], t[fmt])
        return Figure(f"{cpu:.1f}x CPU, {wall:.1f}x wall (oncall {both(t[fmt])}; "
                      f"recurring-ical-events {both(t['rrule'])})", cpu >= 10, t[fmt].c)
    return measure


def ics_memory(scale: Scale) -> Figure:
    base = ["--root", str(scale.org), "schedule", "generate", "--format", "ics", "--from", ONE_YEAR_FROM]
    one = peak_rss_mb([*base, "--to", ONE_YEAR_TO], scale.env)
    five = peak_rss_mb([*base, "--to", FIVE_YEARS_TO], scale.env)
    return Figure(f"peak RSS 1 year {one:.0f} MB, 5 years {five:.0f} MB ({five / one:.2f}x for 5x the window)",
                  five < 1.5 * one)


def whois_example(scale: Scale) -> Figure:
    """Warm: the caches hold the config. Cold: the config changed since the last command (every
    cache entry keyed on the config root — the org, whois answers — is gone; the rest of the
    cache folder, such as holiday calendars, is there). Fresh: an empty cache folder, as on a new
    machine (stated, no target)."""
    env = dict(os.environ, PYTHONPATH=str(REPO), NO_COLOR="1")
    for name in ("PYTHONDONTWRITEBYTECODE", "ONCALL_NO_CACHE", "ONCALL_ROOT"):
        env.pop(name, None)
    warm, cold, fresh = (Path(tempfile.mkdtemp(prefix=f"{n}-", dir=scale.tmp)) for n in ("warm", "cold", "fresh"))

    def forget_org() -> None:
        for path in (cold / "oncall").glob("*-*.json"):  # oncall.config.cache.cache_file names them
            path.unlink()

    subprocess.run([PY, "-m", "compileall", "-q", str(REPO / "oncall")], check=True, env=env)
    argv = [PY, "-m", "oncall", "--root", str(REPO), "whois", "now"]
    t = rounds({
        "floor": Case([PY, "-c", FLOOR], env),
        "warm": Case(argv, dict(env, XDG_CACHE_HOME=str(warm))),
        "cold": Case(argv, dict(env, XDG_CACHE_HOME=str(cold)), forget_org),
        "fresh": Case(argv, dict(env, XDG_CACHE_HOME=str(fresh)), lambda: shutil.rmtree(fresh, ignore_errors=True)),
    }, max(15, SETTINGS.whois_rounds))
    w, c, f = (paired_ratio(t[name], t["floor"]) for name in ("warm", "cold", "fresh"))
    wc, cc = paired_ratio(t["warm"], t["floor"], cpu=True), paired_ratio(t["cold"], t["floor"], cpu=True)
    n = len(t["floor"].wall)
    return Figure(f"warm {w:.2f}x, cold {c:.2f}x the floor, wall ({wc:.2f}x / {cc:.2f}x CPU); an empty cache "
                  f"folder {f:.2f}x; floor {both(t['floor'])}; median of {n} paired rounds", w <= 1.25 and c <= 1.5)


def whois_scaled(scale: Scale) -> Figure:
    t = rounds({
        "floor": Case([PY, "-c", FLOOR], scale.env),
        "table": Case(scale.oncall("whois", "now"), scale.env),
        "json": Case(scale.oncall("whois", "now", "--format", "json"), scale.env),
    }, max(15, SETTINGS.whois_rounds))
    table, js = paired_ratio(t["table"], t["floor"]), paired_ratio(t["json"], t["floor"])
    tc, jc = paired_ratio(t["table"], t["floor"], cpu=True), paired_ratio(t["json"], t["floor"], cpu=True)
    return Figure(f"table {table:.2f}x, json {js:.2f}x the floor, wall ({tc:.2f}x / {jc:.2f}x CPU); "
                  f"table {both(t['table'])}", table <= 1.5 and js <= 1.5, t["table"].c)


def _stat_all(folder: Path) -> dict[str, tuple[int, int, int]]:
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns, p.stat().st_size) for p in folder.iterdir()}


def publish_unchanged(scale: Scale) -> Figure:
    fresh_dir, same_dir = scale.tmp / f"feeds-fresh{scale.factor}", scale.tmp / f"feeds-same{scale.factor}"
    argv = scale.oncall("calendar", "publish", "--from", "2027-01-01", "--to", "2027-07-01")
    subprocess.run([*argv, str(same_dir)], env=scale.env, cwd=REPO, stdout=subprocess.DEVNULL, check=True)
    before = _stat_all(same_dir)
    t = rounds({
        "fresh": Case([*argv, str(fresh_dir)], scale.env, lambda: shutil.rmtree(fresh_dir, ignore_errors=True)),
        "same": Case([*argv, str(same_dir)], scale.env),
    }, min(scale.rounds, 3), warm_up=False)
    untouched = _stat_all(same_dir) == before
    share = paired_ratio(t["same"], t["fresh"], cpu=True)
    feeds = len(before) - 1
    shutil.rmtree(fresh_dir, ignore_errors=True)
    shutil.rmtree(same_dir, ignore_errors=True)
    return Figure(f"{share:.0%} CPU, {paired_ratio(t['same'], t['fresh']):.0%} wall; "
                  f"{'no file written' if untouched else 'FILES WRITTEN'} (unchanged {both(t['same'])}; "
                  f"fresh {both(t['fresh'])}; {feeds:,} feeds)", share <= 0.2 and untouched, t["same"].c)


def hours_vs_generate(scale: Scale) -> Figure:
    year = ["--from", ONE_YEAR_FROM, "--to", ONE_YEAR_TO]
    t = rounds({
        "generate": Case(scale.oncall("schedule", "generate", *year, "--format", "json"), scale.env),
        "hours": Case(scale.oncall("report", "hours", *year, "--format", "json"), scale.env),
    }, scale.rounds, warm_up=scale.factor == 1)
    ratio = paired_ratio(t["hours"], t["generate"], cpu=True)
    return Figure(f"{ratio:.2f}x CPU, {paired_ratio(t['hours'], t['generate']):.2f}x wall (report hours "
                  f"{both(t['hours'])}; generate {both(t['generate'])})", ratio <= 1.5, t["hours"].c)


def notify_vs_generate(scale: Scale) -> Figure:
    start = datetime.now(UTC).replace(microsecond=0)
    day = ["--from", start.isoformat(), "--to", (start + timedelta(hours=24)).isoformat()]
    state = scale.tmp / f"notify{scale.factor}"
    t = rounds({
        "generate": Case(scale.oncall("schedule", "generate", *day, "--format", "json"), scale.env),
        "notify": Case(scale.oncall("notify", "run", "--dry-run", "--format", "json", "--state-dir", str(state)),
                       scale.env),
    }, max(scale.rounds, 5))  # two short commands: five rounds cost little even at scale 10
    ratio = paired_ratio(t["notify"], t["generate"], cpu=True)
    return Figure(f"{ratio:.2f}x CPU, {paired_ratio(t['notify'], t['generate']):.2f}x wall (notify "
                  f"{both(t['notify'])}; generate 24 h {both(t['generate'])})", ratio <= 2, t["notify"].c)


def site_build(scale: Scale) -> Figure:
    out = scale.tmp / f"site{scale.factor}"
    t = rounds({"site": Case(scale.oncall("site", "build", str(out)), scale.env,
                             lambda: shutil.rmtree(out, ignore_errors=True))}, 1, warm_up=False)
    files = [p for p in out.rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files)
    shutil.rmtree(out, ignore_errors=True)
    return Figure(f"{both(t['site'])}; {len(files):,} files, {size / 1e6:.0f} MB", None, t["site"].c)


TARGETS = [
    Target("generate-json", "`schedule generate --format json`, 1 year",
           ">= 10x recurring-ical-events on the same rotations", generate_vs_rrule("json")),
    Target("generate-ics", "`schedule generate --format ics`, 1 year",
           ">= 10x recurring-ical-events on the same rotations", generate_vs_rrule("ics")),
    Target("ics-memory", "`schedule generate --format ics`, peak memory", "flat in the window's length",
           ics_memory),
    Target("whois-example", "`whois now`, example org, org cache warm / cold",
           "<= 1.25x / <= 1.5x the floor (wall)", whois_example, (1,)),
    Target("whois-scaled", "`whois now`, table and json, cache warm", "<= 1.5x the floor (wall)", whois_scaled),
    Target("publish", "`calendar publish`, nothing changed (6 months)",
           "<= 20% of a fresh publish, no file written", publish_unchanged),
    Target("hours", "`report hours`, 1 year", "<= 1.5x `generate --format json` of the same window",
           hours_vs_generate),
    Target("notify", "`notify run --dry-run`, 24 h", "<= 2x `generate` of the same window", notify_vs_generate),
    Target("site", "`site build`, 4 weeks", "stated, with the site's size", site_build),
    Target("ready-status", "`ready status`, 2,000 people's shared results",
           "<= 2 s including the fetch (wall)", None),
    Target("ready-check", "`ready --check-access`, 2,000 checks at 200 ms", "<= 3x one check (wall)", None),
]
OTHERS = {  # measured by their own benchmarks, run as whole processes
    "ready-status": ["bench/bench_board.py"],
    "ready-check": ["bench/bench_ready.py", "--checks", "2000", "--latency", "0.2"],
}


@dataclass
class Settings:
    whois_rounds: int = 15


SETTINGS = Settings()


def cell(figure: Figure | None) -> str:
    if figure is None:
        return "—"
    verdict = "" if figure.met is None else (" **met**" if figure.met else " **not met**")
    return figure.text + verdict


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["1", "10", "both"], default="both")
    parser.add_argument("--quick", action="store_true", help="fewer rounds: 3 at scale 1 and 1 at scale 10 (whois 15) instead of 5 and 2 (whois 21)")
    parser.add_argument("--only", action="append", default=[], help="rows whose key contains this; repeatable "
                        "(keys: " + ", ".join(t.key for t in TARGETS) + ")")
    args = parser.parse_args()
    factors = [1, 10] if args.scale == "both" else [int(args.scale)]
    chosen = [t for t in TARGETS if not args.only or any(word in t.key for word in args.only)]
    SETTINGS.whois_rounds = 15 if args.quick else 21
    repeats = 3 if args.quick else 5
    results: dict[tuple[str, int], Figure] = {}
    others: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="oncall-targets-") as tmp:
        for factor in factors:
            scale = prepare(factor, repeats if factor == 1 else max(1, repeats - 3), Path(tmp))
            for target in chosen:
                if target.measure is None or factor not in target.scales:
                    continue
                print(f"scale {factor}: {target.key} ...", file=sys.stderr, flush=True)
                results[target.key, factor] = target.measure(scale)
                print(f"  {cell(results[target.key, factor])}", file=sys.stderr, flush=True)
        for target in chosen:
            if target.key in OTHERS:
                print(f"{target.key}: {' '.join(OTHERS[target.key])} ...", file=sys.stderr, flush=True)
                done = subprocess.run([PY, *OTHERS[target.key], *(["--quick"] if args.quick else [])], cwd=REPO,
                                      capture_output=True, text=True)
                others[target.key] = done.stdout + (f"\n(exit {done.returncode}) {done.stderr[-1000:]}"
                                                     if done.returncode else "")

    load = os.getloadavg()
    print(f"oncall speed targets, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, Python {sys.version.split()[0]}, "
          f"{os.cpu_count()} CPUs, load average {load[0]:.1f} at the end; medians of whole commands\n")
    print("| what | target | scale 1 | scale 10 | CPU, scale 10 / scale 1 |")
    print("|---|---|---|---|---:|")
    for target in chosen:
        if target.key in others:
            print(f"| {target.what} | {target.target} | below, from {' '.join(OTHERS[target.key])} | | |")
            continue
        one, ten = results.get((target.key, 1)), results.get((target.key, 10))
        growth = f"{ten.cpu / one.cpu:.1f}x" if one and ten and one.cpu and ten.cpu else ""
        print(f"| {target.what} | {target.target} | {cell(one)} | {cell(ten)} | {growth} |")
    for key, text in others.items():
        print(f"\n### {key}: {' '.join(OTHERS[key])}\n")
        print(text.rstrip())


if __name__ == "__main__":
    main()
