"""``oncall init``: a new config root with a commented people file, schedule and checklist, and\nthe JSON Schemas their first lines point editors at."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from oncall.config.schema import json_schema
from oncall.errors import UsageError
from oncall.fsutil import write_atomic

PEOPLE = """\
# yaml-language-server: $schema=../schema/people.json
# The people who take part in on-call. Schedules and checklists refer to them by id.
# Person ids use a-z, 0-9, '.', '_' and '-'. Run `oncall schedule validate` after each edit.

timezone: America/New_York        # default for people without their own (else UTC)

people:
  alice:
    name: Alice Park
    email: alice@example.com      # how oncall recognises you from `git config user.email`
    timezone: America/New_York    # IANA name; time_off is read in it
    slack: U024BE7LH              # Slack member id; any other field is kept, usable as {{person.phone}}
    time_off:
      - from: {off_from}          # a date: the whole day; both ends inclusive
        to: {off_to}
  bob:
    name: Bob Okafor
    email: bob@example.com
    timezone: Europe/London
  carol:
    name: Carol Nguyen
    email: carol@example.com      # no timezone: the default above
"""

SCHEDULE = """\
# yaml-language-server: $schema=../schema/schedule.json
# One schedule per file; its id is the file name (primary). Try: oncall whois now
name: Primary on-call
timezone: America/New_York        # required; every local time below is read in it
checklist: primary                # checklists/primary.yaml must pass before a shift

layers:                           # where layers overlap, the later one wins
  - name: weekly
    people: [alice, bob, carol]   # rotation order; alice has the first turn
    start: {start}T09:00     # first handoff, local wall clock (09:00 stays 09:00 across DST)
    every: 1w                     # turn length: <N>h, <N>d or <N>w

  - name: business-hours
    people: [carol, alice]
    start: {start}T09:00
    every: 1d
    only:                         # this layer covers only these windows
      - days: [mon, tue, wed, thu, fri]
        from: "09:00"             # HH:MM; quoting is optional but never hurts
        to: "17:00"               # a `to` not after `from` runs past midnight; "24:00" allowed

overrides:                        # one-off changes; they win over every layer
  - person: bob
    from: {override}T09:00
    to: {override_end}T09:00      # half-open: bob hands back at 09:00
    reason: Swap with alice
"""

CHECKLIST = """\
# yaml-language-server: $schema=../schema/checklist.json
# Readiness before a shift. Try: oncall ready --person alice
name: Primary on-call readiness
owner: alice                      # who keeps it current
reviewed: {today}              # `oncall schedule validate` warns once review_every has passed
review_every: 90d

items:
  - id: python
    title: Python 3 runs
    check:
      command: [python3, --version]   # an argv list, never a shell
      timeout: 5s
    fix: Install Python 3

  - id: home
    title: HOME is set
    check: {{env: HOME}}

  - id: playbook
    title: Read the incident playbook
    confirm: I have read the incident playbook and know where it lives
    valid_for: 90d
"""


def scaffold(directory: Path, today: date) -> list[Path]:
    """Write the example files and schemas under ``directory``; never overwrite. Returns the paths."""
    monday = today - timedelta(days=today.weekday())
    files = {
        directory / "schedules" / "people.yaml": PEOPLE.format(
            off_from=(monday + timedelta(days=28)).isoformat(), off_to=(monday + timedelta(days=32)).isoformat()),
        directory / "schedules" / "primary.yaml": SCHEDULE.format(
            start=monday.isoformat(), override=(monday + timedelta(days=14)).isoformat(),
            override_end=(monday + timedelta(days=15)).isoformat()),
        directory / "checklists" / "primary.yaml": CHECKLIST.format(today=today.isoformat()),
    }
    # The schemas the files' first lines point editors at (autocompletion, flagged mistakes).
    for kind in ("people", "schedule", "checklist"):
        files[directory / "schema" / f"{kind}.json"] = json.dumps(json_schema(kind), indent=2) + "\n"
    existing = [path for path in files if path.exists() or path.is_symlink()]
    if existing:
        raise UsageError(
            f"{', '.join(str(p) for p in existing)} already exist{'s' if len(existing) == 1 else ''}; "
            "oncall init never overwrites files: choose an empty folder or move them away"
        )
    for path, text in files.items():
        try:
            write_atomic(path, text)
        except OSError as exc:
            raise UsageError(f"{path}: cannot write ({exc.strerror or exc})") from None
    return list(files)
