"""The rotation options, person holidays, avoid and playbooks: read into the model, or located errors."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from oncall.config import load, load_org
from oncall.times import Duration

MakeRoot = Callable[..., Path]

PEOPLE = """\
people:
  tom: {name: Tom Hale, email: tom@example.com, timezone: Europe/London, country: GB, subdivision: SCT}
  una: {name: Una Berg, timezone: Europe/Berlin, country: de, subdivision: by}
  vik: {name: Vik Rao, timezone: Asia/Kolkata, slack: U0VIK, phone: "+91 1234"}
"""

EMEA = """\
name: EMEA
timezone: America/New_York
avoid: [payments]
playbook: incident-response
layers:
  - name: emea
    timezone: Europe/London
    people: [tom, una, vik]
    start: 2026-01-05T09:00Z
    every: 1d
    offset: 1
    advance: covered
    skip_holidays: people
    only:
      - {days: [mon, tue, wed, thu, fri], from: "09:00", to: "17:00"}
  - name: backup
    people: [vik]
    start: 2026-01-05
    every: 1w
    skip_holidays: us
"""

PAYMENTS = "timezone: UTC\nplaybook: https://wiki.example.com/payments\nlayers:\n  - {people: [tom], start: 2026-01-05, every: 1w}\n"


def test_every_option_is_read_into_the_model(make_root: MakeRoot) -> None:
    root = make_root({"schedules/emea.yaml": EMEA, "schedules/payments.yaml": PAYMENTS,
                      "playbooks/incident-response.md": "# Incident response\n"}, people=PEOPLE)
    result = load(root)
    assert [str(p) for p in result.problems] == []
    org = result.org
    assert org is not None
    tom, una, vik = org.people["tom"], org.people["una"], org.people["vik"]
    assert (tom.country, tom.subdivision) == ("GB", "SCT")
    assert (una.country, una.subdivision) == ("DE", "BY")  # codes are upper-cased
    assert (vik.slack, dict(vik.extra)) == ("U0VIK", {"phone": "+91 1234"})
    assert vik.fields()["slack"] == "U0VIK" and vik.fields()["phone"] == "+91 1234"
    emea = org.schedules["emea"]
    assert (emea.avoid, emea.playbook) == (("payments",), "incident-response")
    assert org.schedules["payments"].playbook == "https://wiki.example.com/payments"
    layer, backup = emea.layers
    assert (layer.timezone, layer.offset, layer.advance, layer.skip_holidays) == ("Europe/London", 1, "covered", "people")
    # An explicit offset is read into the layer's own zone (London is on GMT in January).
    assert layer.start == datetime(2026, 1, 5, 9, 0) and layer.every == Duration(1, "d")
    assert (backup.timezone, backup.offset, backup.advance, backup.skip_holidays) == (None, 0, "always", "US")


def test_layer_times_are_read_in_the_layer_zone(make_root: MakeRoot) -> None:
    text = ("timezone: America/New_York\nlayers:\n  - timezone: Asia/Tokyo\n    people: [tom]\n"
            "    start: 2026-07-01T00:00Z\n    end: 2026-07-02\n    every: 1d\n")
    layer = load_org(make_root({"schedules/s.yaml": text}, people=PEOPLE)).schedules["s"].layers[0]
    assert layer.start == datetime(2026, 7, 1, 9, 0)  # 00:00 UTC is 09:00 in Tokyo
    assert layer.end == datetime(2026, 7, 3, 0, 0)  # a date end includes that day


def test_each_wrong_option_is_one_located_error(make_root: MakeRoot) -> None:
    text = """\
timezone: UTC
avoid: [nope]
playbook: runbook.md
layers:
  - people: [vik, Una Berg, tom@example.com]
    start: 2026-01-05
    every: 1d
    offset: 1.5
    advance: sometimes
    skip_holidays: Atlantis
    timezone: europe/london
"""
    result = load(make_root({"schedules/s.yaml": text, "playbooks/incident.md": "# I\n"}, people=PEOPLE))
    found = {(p.location.line if p.location else 0, p.code): p.message for p in result.errors}
    assert found[(2, "unknown-reference")].startswith("avoid: unknown schedule 'nope'; write one of: s")
    assert found[(3, "unknown-reference")] == (
        "playbook: no playbook playbooks/runbook.md; write it, link a URL instead, or name one of: incident")
    assert found[(5, "unknown-reference")] in (
        "unknown person 'Una Berg'; did you mean 'una'? (people are named by their id)",
        "unknown person 'tom@example.com'; did you mean 'tom'? (people are named by their id)")
    assert found[(8, "bad-value")].startswith("offset: 1.5 in layer 'layer-1' is not a whole number 0 or more")
    assert found[(9, "bad-value")].startswith("advance: 'sometimes' in layer 'layer-1' is not one of always, covered")
    assert found[(10, "bad-value")].startswith("skip_holidays: 'Atlantis' is not a country with known public holidays")
    assert found[(11, "bad-value")].endswith("(did you mean 'Europe/London'?)")
    assert len([p for p in result.errors if p.location and p.location.line == 5]) == 2


def test_avoid_cycles_are_named_once(make_root: MakeRoot) -> None:
    layer = "layers:\n  - {people: [tom], start: 2026-01-05, every: 1w}\n"
    files = {"schedules/a.yaml": f"timezone: UTC\navoid: [b]\n{layer}",
             "schedules/b.yaml": f"timezone: UTC\navoid: [c]\n{layer}",
             "schedules/c.yaml": f"timezone: UTC\navoid: [a, d]\n{layer}",
             "schedules/d.yaml": f"timezone: UTC\navoid: [d]\n{layer}",
             "schedules/e.yaml": f"timezone: UTC\navoid: [a, b]\n{layer}"}  # avoiding a cycle is fine
    result = load(make_root(files, people=PEOPLE))
    cycles = [(str(p.location), p.message) for p in result.errors if p.code == "cycle"]
    assert cycles == [
        ("schedules/a.yaml:2", "avoid forms a cycle: a -> b -> c -> a; remove one of these avoid: entries"),
        ("schedules/d.yaml:2", "avoid forms a cycle: d -> d; remove one of these avoid: entries"),
    ]
    assert len(result.errors) == 2


def test_a_subdivision_needs_its_country(make_root: MakeRoot) -> None:
    people = "people:\n  tom: {subdivision: SCT}\n"
    result = load(make_root(people=people))
    assert [(str(p.location), p.code) for p in result.errors] == [("schedules/people.yaml:2", "missing-key")]
    assert "needs `country:` too" in result.errors[0].message


def test_item_playbooks_follow_the_same_rule(make_root: MakeRoot) -> None:
    checklist = ("items:\n  - {id: a, confirm: Read it, playbook: paging}\n"
                 "  - {id: b, confirm: Read it, playbook: 'https://wiki.example.com/b'}\n")
    result = load(make_root({"checklists/c.yaml": checklist}, people=PEOPLE))
    assert [(str(p.location), p.message) for p in result.errors] == [
        ("checklists/c.yaml:2", "playbook: no playbook playbooks/paging.md; write it, link a URL instead, "
                                "or name one of: none yet: playbooks/ is empty or missing")]


def test_item_severity_is_a_model_field(make_root: MakeRoot) -> None:
    checklist = ("items:\n  - {id: a, check: {env: HOME}, severity: warn}\n"
                 "  - {id: b, check: {env: HOME, severity: warning}}\n  - {id: c, check: {env: HOME}}\n")
    items = load_org(make_root({"checklists/c.yaml": checklist}, people=PEOPLE)).checklists["c"].items
    assert [(i.severity, dict(i.check)) for i in items] == [
        ("warn", {"env": "HOME"}), ("warn", {"env": "HOME"}), ("block", {"env": "HOME"})]


def test_unknown_check_parameters_warn(make_root: MakeRoot) -> None:
    checklist = "items:\n  - id: a\n    check:\n      http: https://example.com\n      expect_stauts: 200\n"
    result = load(make_root({"checklists/c.yaml": checklist}, people=PEOPLE))
    assert [(str(p.location), p.code, p.message) for p in result.warnings] == [
        ("checklists/c.yaml:5", "unknown-key", "unknown key 'expect_stauts' in check: in item 'a' "
                                               "(did you mean 'expect_status'?)")]
