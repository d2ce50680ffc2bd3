"""YAML files → model objects, exactly as oncall/model.py defines them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest

from oncall.config import load, load_org
from oncall.errors import ConfigErrors
from oncall.model import EmailChannel
from oncall.times import Duration, wall_to_epoch, zone

MakeRoot = Callable[..., Path]
REPO = Path(__file__).resolve().parents[2]

SCHEDULE = """\
name: Payments
timezone: America/New_York
checklist: primary
team: payments
layers:
  - people: [alice, bob]
    start: 2026-01-05T09:00
    every: 1w
    end: 2027-01-04
  - name: day
    people: [carol, 7]
    start: 2026-01-05T14:00Z
    every: 12h
    skip_holidays: us
    only:
      - days: [mon, tue]
        from: 9:00
        to: 24:00
      - days: weekend
        from: 22:00
        to: 06:00
overrides:
  - person: bob
    from: 2026-12-24T09:00
    to: 2026-12-26T09:00
    replaces: alice
    reason: swap
  - {person: carol, from: 2026-12-31, to: 2026-12-31}
"""

CHECKLIST = """\
name: Primary
owner: alice
reviewed: 2026-10-01
review_every: 90d
items:
  - id: vpn
    title: VPN
    check: {tcp: "vpn.example.com:443", timeout: 3s}
    fix: Connect
  - id: token
    check:
      http: https://example.com/me
      secret: pagerduty
      expect_status: 200
    timeout: 20s
    retries: 2
    needs: [vpn]
    when: {os: linux}
    playbook: paging
  - id: read
    title: Read it
    confirm: I have read it
    valid_for: 30d
  - id: key
    check: {secret: pagerduty}
"""


def test_the_example_organisation_loads_cleanly() -> None:
    result = load(REPO)
    assert [str(p) for p in result.problems] == []
    org = result.org
    assert org is not None
    assert len(org.people) >= 10
    assert len({p.timezone for p in org.people.values()}) >= 3
    assert {"payments", "platform"} <= set(org.schedules)
    assert org.schedules["payments"].checklist == "primary"
    assert org.schedules["platform"].checklist == "platform"


def test_people_time_off_and_extras(make_root: MakeRoot) -> None:
    people = """\
timezone: Europe/Berlin
people:
  alice:
    name: Alice
    timezone: America/New_York
    slack: U1
    phone: "0049 30 1234"
    time_off:
      - {from: 2026-05-04T12:00, to: 2026-05-04T18:00}
      - {from: 2026-12-21, to: 2027-01-01}
  bob: {name: Bob}
  carol:
"""
    org = load_org(make_root(people=people))
    alice, bob, carol = org.people["alice"], org.people["bob"], org.people["carol"]
    ny = zone("America/New_York")
    assert [(i.start, i.end) for i in alice.time_off] == [
        (wall_to_epoch(datetime(2026, 5, 4, 12), ny), wall_to_epoch(datetime(2026, 5, 4, 18), ny)),
        # dates include the last day
        (wall_to_epoch(datetime(2026, 12, 21), ny), wall_to_epoch(datetime(2027, 1, 2), ny)),
    ]
    assert alice.slack == "U1" and alice.extra == {"phone": "0049 30 1234"}
    assert alice.time_off[0].location is not None and alice.time_off[0].location.file == "schedules/people.yaml"
    assert bob.timezone == "Europe/Berlin"  # the file's default
    assert carol.name == "carol" and carol.timezone == "Europe/Berlin"


def test_people_default_timezone_is_utc(make_root: MakeRoot) -> None:
    org = load_org(make_root(people="people:\n  alice: {name: Alice}\n"))
    assert org.people["alice"].timezone == "UTC"


def test_schedule_layers_windows_overrides(make_root: MakeRoot) -> None:
    root = make_root({"schedules/payments.yaml": SCHEDULE, "checklists/primary.yaml": CHECKLIST,
                      "playbooks/paging.md": "# Paging\n"},
                     people="people:\n  alice: {}\n  bob: {}\n  carol: {}\n  '7': {}\n")
    result = load(root)
    assert [p for p in result.problems if p.severity == "error"] == []
    assert [str(p) for p in result.warnings] == [
        "schedules/payments.yaml:4: unknown key 'team' in schedule 'payments'; known keys: name, description, "
        "timezone, checklist, playbook, avoid, layers, overrides"]
    org = result.org
    assert org is not None
    s = org.schedules["payments"]
    assert (s.id, s.name, s.timezone, s.checklist) == ("payments", "Payments", "America/New_York", "primary")
    assert s.extra == {"team": "payments"}
    weekly, day = s.layers
    assert weekly.name == "layer-1" and weekly.people == ("alice", "bob")
    assert weekly.start == datetime(2026, 1, 5, 9, 0) and weekly.every == Duration(1, "w")
    assert weekly.end == datetime(2027, 1, 5, 0, 0)  # a date end includes that day
    assert weekly.location is not None and weekly.location.line == 6
    # An explicit offset is converted to the schedule's wall clock.
    assert day.start == datetime(2026, 1, 5, 9, 0) and day.every == Duration(12, "h")
    assert day.people == ("carol", "7")
    assert day.skip_holidays == "US"
    assert [(sorted(w.days), w.start, w.end) for w in day.only] == [([0, 1], 540, 1440), ([5, 6], 1320, 360)]
    ny = zone("America/New_York")
    first, second = s.overrides
    assert (first.person, first.replaces, first.reason) == ("bob", "alice", "swap")
    assert first.start == wall_to_epoch(datetime(2026, 12, 24, 9), ny)
    assert first.end == wall_to_epoch(datetime(2026, 12, 26, 9), ny)
    assert second.end - second.start == 86400


def test_checklist_items(make_root: MakeRoot) -> None:
    org = load_org(make_root({"checklists/primary.yaml": CHECKLIST, "playbooks/paging.md": "# Paging\n"}))
    c = org.checklists["primary"]
    assert (c.id, c.name, c.owner, c.reviewed, c.review_every) == (
        "primary", "Primary", "alice", date(2026, 10, 1), Duration(90, "d"))
    vpn, token, read, key = c.items
    assert (vpn.kind, vpn.timeout, dict(vpn.check)) == ("tcp", 3.0, {"tcp": "vpn.example.com:443", "timeout": "3s"})
    assert (token.kind, token.timeout, token.retries, token.needs) == ("http", 20.0, 2, ("vpn",))
    assert token.check["secret"] == "pagerduty" and token.title == "token"
    assert dict(token.when) == {"os": "linux"} and token.playbook == "paging"
    assert (read.kind, dict(read.check), read.valid_for) == ("confirm", {"confirm": "I have read it"}, Duration(30, "d"))
    assert (key.kind, key.timeout) == ("secret", 10.0)


def test_settings_from_oncall_yaml(make_root: MakeRoot) -> None:
    text = "notify:\n  channels:\n    mail: {type: email, host: smtp.example.com, sender: oncall@example.com}\n"
    org = load_org(make_root({"oncall.yaml": text}))
    mail = org.settings.notify.channels["mail"]
    assert isinstance(mail, EmailChannel) and (mail.host, mail.port) == ("smtp.example.com", 587)
    assert org.settings.problems == ()


def test_schedules_are_sorted_by_id(make_root: MakeRoot) -> None:
    layer = "timezone: UTC\nlayers:\n  - {people: [bob], start: 2026-01-05, every: 1d}\n"
    org = load_org(make_root({"schedules/zeta.yaml": layer, "schedules/alpha.yml": layer}))
    assert list(org.schedules) == ["alpha", "zeta"]


def test_load_org_raises_every_error_but_not_warnings(make_root: MakeRoot) -> None:
    root = make_root({
        "schedules/a.yaml": "timezone: Mars/Base\nlayers:\n  - {people: [zed], start: 2026-01-05, every: 0d}\n",
        "schedules/b.yaml": "timezone: UTC\ncolour: blue\nlayers: []\n",
    })
    with pytest.raises(ConfigErrors) as caught:
        load_org(root)
    shown = [str(p) for p in caught.value.problems]
    assert [s.split(": ", 1)[0] for s in shown] == [
        "schedules/a.yaml:1", "schedules/a.yaml:3", "schedules/a.yaml:3", "schedules/b.yaml:3"]
    assert all(p.severity == "error" for p in caught.value.problems)


def test_every_problem_of_every_bad_case_has_a_stable_code(tmp_path: Path) -> None:
    import shutil

    from oncall.config import codes

    data = REPO / "tests" / "data"
    for case in sorted(p for p in (data / "bad").iterdir() if p.is_dir()):
        root = tmp_path / case.name
        shutil.copytree(data / "base", root)
        shutil.copytree(case, root, symlinks=True, dirs_exist_ok=True, ignore=shutil.ignore_patterns("expected.txt"))
        problems = load(root).problems
        assert problems, case.name
        assert all(p.code in codes.ALL for p in problems), (case.name, [(p.code, str(p)) for p in problems])
