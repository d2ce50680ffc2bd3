"""Write a synthetic organisation (seeded, so every run writes the same files).

Scale 1 (the default): 300 schedules, 2,000 people in 12 timezones, weekly / daily / 12-hour
layers, restriction windows, 5% of people with time off, 500 overrides, 40 checklists.
``--scale 10``: 3,000 schedules, 20,000 people, 5,000 overrides, 400 checklists (a company-wide
config root). Ids are zero-padded to the width the largest needs, so they sort as numbers.

    python3 bench/make_org.py bench/out/org300
    python3 bench/make_org.py --scale 10 bench/out/org3000
"""

from __future__ import annotations

import argparse
import random
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path

ZONES = [
    "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "America/Sao_Paulo",
    "Europe/London", "Europe/Berlin", "Asia/Kolkata", "Asia/Singapore", "Asia/Tokyo", "Australia/Sydney",
    "Pacific/Auckland",
]
FIRST = ["Ana", "Ben", "Chen", "Dara", "Eli", "Fatima", "Goran", "Hana", "Ivan", "Jo", "Kofi", "Lena", "Mateo",
         "Nia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tariq", "Uma", "Viktor", "Wen", "Yusuf", "Zoe"]
LAST = ["Park", "Okafor", "Diaz", "Rossi", "Walsh", "Osei", "Novak", "Rao", "Sato", "Lindqvist", "Mensah", "Kim"]


SCALE_1 = {"schedules": 300, "people": 2000, "overrides": 500, "checklists": 40}


def sizes(scale: int) -> dict[str, int]:
    """The counts of an org ``scale`` times the default one."""
    return {what: count * scale for what, count in SCALE_1.items()}


def make_scaled(root: Path, scale: int = 1, seed: int = 7) -> Path:
    """``make`` with every count ``scale`` times the default."""
    return make(root, **sizes(scale), seed=seed)


def _width(count: int, least: int) -> int:
    return max(least, len(str(count - 1)))


def make(root: Path, schedules: int = 300, people: int = 2000, overrides: int = 500, checklists: int = 40,
         seed: int = 7) -> Path:
    rng = random.Random(seed)
    if root.exists():
        shutil.rmtree(root)
    (root / "schedules").mkdir(parents=True)
    (root / "checklists").mkdir()
    pw, sw, cw = _width(people, 4), _width(schedules, 3), _width(checklists, 2)
    ids = [f"p{i:0{pw}d}" for i in range(people)]
    zones = {pid: ZONES[i % len(ZONES)] for i, pid in enumerate(ids)}
    lines = ["# synthetic organisation for benchmarks", "timezone: UTC", "people:"]
    for pid in ids:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        lines += [f"  {pid}:", f"    name: {name}", f"    email: {pid}@example.com", f"    timezone: {zones[pid]}"]
        if rng.random() < 0.05:
            start = date(2027, 1, 1) + timedelta(days=rng.randrange(330))
            lines += ["    time_off:", f"      - from: {start.isoformat()}",
                      f"        to: {(start + timedelta(days=rng.randrange(1, 14))).isoformat()}"]
    (root / "schedules" / "people.yaml").write_text("\n".join(lines) + "\n")

    for c in range(checklists):
        (root / "checklists" / f"check{c:0{cw}d}.yaml").write_text(
            f"name: Checklist {c}\nowner: {ids[c]}\nreviewed: 2026-10-01\nreview_every: 180d\nitems:\n"
            "  - id: python\n    title: Python runs\n    check: {command: [python3, --version], timeout: 5s}\n"
            "  - id: home\n    title: HOME is set\n    check: {env: HOME}\n"
            "  - id: playbook\n    title: Read the playbook\n    confirm: I have read the playbook\n"
        )

    per_schedule = [0] * schedules
    for _ in range(overrides):
        per_schedule[rng.randrange(schedules)] += 1
    for s in range(schedules):
        tz = ZONES[s % len(ZONES)]
        team = rng.sample(ids, rng.randint(5, 9))
        monday = datetime(2026, 1, 5) + timedelta(weeks=rng.randrange(20))
        lines = [f"name: Service {s}", f"timezone: {tz}", f"checklist: check{s % checklists:0{cw}d}", "layers:"]
        lines += ["  - name: weekly", f"    people: [{', '.join(team[:rng.randint(3, 6)])}]",
                  f"    start: {monday:%Y-%m-%dT09:00}", "    every: 1w"]
        kind = s % 3
        if kind == 0:
            lines += ["  - name: business-hours", f"    people: [{', '.join(team[-2:])}]",
                      f"    start: {monday:%Y-%m-%dT00:00}", "    every: 1d", "    only:",
                      "      - days: [mon, tue, wed, thu, fri]", '        from: "09:00"', '        to: "17:00"']
        elif kind == 1:
            lines += ["  - name: twelve-hour", f"    people: [{', '.join(team[-3:])}]",
                      f"    start: {monday:%Y-%m-%dT08:00}", "    every: 12h"]
        else:
            lines += ["  - name: nights", f"    people: [{', '.join(team[-2:])}]",
                      f"    start: {monday:%Y-%m-%dT00:00}", "    every: 1d", "    only:",
                      '      - from: "22:00"', '        to: "06:00"']
        if per_schedule[s]:
            lines.append("overrides:")
            for _ in range(per_schedule[s]):
                start = datetime(2027, 1, 1, 9) + timedelta(hours=rng.randrange(24 * 340))
                lines += [f"  - person: {rng.choice(team)}", f"    from: {start:%Y-%m-%dT%H:%M}",
                          f"    to: {start + timedelta(hours=rng.choice([4, 12, 24, 48])):%Y-%m-%dT%H:%M}"]
        (root / "schedules" / f"service-{s:0{sw}d}.yaml").write_text("\n".join(lines) + "\n")
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, nargs="?", help="default: bench/out/org300 (org3000 with --scale 10)")
    parser.add_argument("--scale", type=int, default=1, help="every count this many times the default (1)")
    parser.add_argument("--schedules", type=int)
    parser.add_argument("--people", type=int)
    parser.add_argument("--overrides", type=int)
    parser.add_argument("--checklists", type=int)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    counts = sizes(args.scale)
    for what in counts:
        if getattr(args, what) is not None:
            counts[what] = getattr(args, what)
    root = make(args.root or Path(f"bench/out/org{counts['schedules']}"), **counts, seed=args.seed)
    print(f"wrote {root}")


if __name__ == "__main__":
    main()
