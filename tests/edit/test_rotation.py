"""rotation add/remove in the core: who is due at T, the layer that continues from T, the file
text it writes, and the refusals."""

from __future__ import annotations

import difflib
import os
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from oncall.config import load_org
from oncall.edit.rotation import change_rotation, plan_add, plan_remove, rotation_text
from oncall.engine import generate
from oncall.errors import ConfigError, NotFound, OncallError, UsageError
from oncall.times import parse_time

from .conftest import make_root

NY = ZoneInfo("America/New_York")
GOLDEN = Path(__file__).parent / "golden"

PEOPLE = """\
timezone: America/New_York
people:
  alice: {name: Alice}
  bob: {name: Bob}
  carol: {name: Carol}
  dave: {name: Dave}
  erin: {name: Erin}
  zoe: {name: Zoe}
"""

WEEKLY = """\
# Weekly, Monday 09:00.
name: Primary
timezone: America/New_York
layers:
  - name: weekly          # the pager
    people: [alice, bob, carol, dave]   # in this order
    start: 2026-01-05T09:00
    every: 1w             # weekly
overrides: []
"""


def _root(tmp_path: Path, schedule: str = WEEKLY, people: str = PEOPLE, **more: str) -> Path:
    return make_root(tmp_path / "root", {"primary": schedule, **more}, people=people)


def _at(text: str, tz: ZoneInfo = NY) -> int:
    return parse_time(text).instant(tz)


def _owners(root: Path, start: str, count: int, step_days: int = 7, schedule: str = "primary") -> list[str]:
    """Who is on call an hour into each of ``count`` turns from ``start``."""
    org = load_org(root)
    out = []
    for n in range(count):
        t = _at(start) + n * step_days * 86400 + 3600
        shifts = generate(org, t, t + 1, schedules=[schedule]).shifts
        out.append(shifts[0].person if shifts else "-")
    return out


NOW = _at("2026-03-04T12:00")  # a Wednesday: the next handoff is Monday 2026-03-09 09:00


def test_add_at_the_end_continues_with_whoever_was_due(tmp_path: Path) -> None:
    root = _root(tmp_path)
    # Turns from 2026-01-05: alice, bob, carol, dave, alice, bob, carol, dave, alice (2026-03-02), bob (03-09)...
    assert _owners(root, "2026-03-02T09:00", 5) == ["alice", "bob", "carol", "dave", "alice"]
    change = plan_add(load_org(root), "primary", "zoe", now=NOW)
    assert change.at == _at("2026-03-09T09:00") and change.at_text == "2026-03-09T09:00"
    assert change.due == "bob" and change.after == ("alice", "bob", "carol", "dave", "zoe")
    assert change.offset == 1 and change.continued_as == "weekly-from-2026-03-09"
    change_rotation(load_org(root), change)
    assert _owners(root, "2026-03-02T09:00", 7) == ["alice", "bob", "carol", "dave", "zoe", "alice", "bob"]


def test_add_after_someone(tmp_path: Path) -> None:
    root = _root(tmp_path)
    change = plan_add(load_org(root), "primary", "zoe", after="bob", now=NOW)
    assert change.after == ("alice", "bob", "zoe", "carol", "dave") and change.due == "bob"
    change_rotation(load_org(root), change)
    assert _owners(root, "2026-03-02T09:00", 7) == ["alice", "bob", "zoe", "carol", "dave", "alice", "bob"]


def test_add_right_after_the_person_due_comes_next(tmp_path: Path) -> None:
    root = _root(tmp_path)
    change_rotation(load_org(root), plan_add(load_org(root), "primary", "zoe", after="alice", now=NOW))
    # bob is due on 03-09; zoe follows alice, so she comes round after the next alice.
    assert _owners(root, "2026-03-02T09:00", 7) == ["alice", "bob", "carol", "dave", "alice", "zoe", "bob"]


def test_remove_someone_not_due(tmp_path: Path) -> None:
    root = _root(tmp_path)
    change = plan_remove(load_org(root), "primary", "carol", now=NOW)
    assert change.due == "bob" and change.after == ("alice", "bob", "dave") and change.offset == 1
    change_rotation(load_org(root), change)
    assert _owners(root, "2026-03-02T09:00", 6) == ["alice", "bob", "dave", "alice", "bob", "dave"]


def test_remove_the_person_due_hands_the_turn_to_the_next_who_stays(tmp_path: Path) -> None:
    root = _root(tmp_path)
    change = plan_remove(load_org(root), "primary", "bob", now=NOW)
    assert change.due == "carol" and change.after == ("alice", "carol", "dave") and change.offset == 1
    change_rotation(load_org(root), change)
    assert _owners(root, "2026-03-02T09:00", 5) == ["alice", "carol", "dave", "alice", "carol"]


def test_remove_every_entry_of_someone_listed_twice(tmp_path: Path) -> None:
    root = _root(tmp_path, WEEKLY.replace("[alice, bob, carol, dave]", "[alice, bob, alice, carol]"))
    # 2026-03-09 is turn 9: people[1] = bob; 03-16 alice, 03-23 carol.
    change = plan_remove(load_org(root), "primary", "alice", now=NOW)
    assert change.after == ("bob", "carol") and change.due == "bob" and change.offset == 0
    change_rotation(load_org(root), change)
    assert _owners(root, "2026-03-09T09:00", 4) == ["bob", "carol", "bob", "carol"]


def test_the_continuing_layer_keeps_everything_but_the_people(tmp_path: Path) -> None:
    root = _root(tmp_path)
    path = root / "schedules" / "primary.yaml"
    change_rotation(load_org(root), plan_add(load_org(root), "primary", "zoe", after="carol", now=NOW))
    assert path.read_text() == WEEKLY.replace(
        "    every: 1w             # weekly\n",
        "    every: 1w             # weekly\n"
        "    end: 2026-03-09T09:00\n"
        "  - name: weekly-from-2026-03-09\n"
        "    people: [alice, bob, carol, zoe, dave]\n"
        "    offset: 1\n"
        "    start: 2026-03-09T09:00\n"
        "    every: 1w\n")


def test_a_second_change_continues_the_continuing_layer(tmp_path: Path) -> None:
    root = _root(tmp_path)
    change_rotation(load_org(root), plan_add(load_org(root), "primary", "zoe", now=NOW))
    later = _at("2026-03-18T12:00")
    change = plan_remove(load_org(root), "primary", "alice", now=later)  # --layer not needed: one runs on
    assert change.layer == "weekly-from-2026-03-09" and change.continued_as == "weekly-from-2026-03-23"
    change_rotation(load_org(root), change)
    # 03-09 bob, 03-16 carol, 03-23 dave, then zoe, (alice removed) bob, carol...
    assert _owners(root, "2026-03-09T09:00", 7) == ["bob", "carol", "dave", "zoe", "bob", "carol", "dave"]
    names = [layer["name"] for layer in yaml.safe_load((root / "schedules" / "primary.yaml").read_text())["layers"]]
    assert names == ["weekly", "weekly-from-2026-03-09", "weekly-from-2026-03-23"]


def test_without_layer_the_layer_with_a_handoff_at_t_is_changed(tmp_path: Path) -> None:
    root = _root(tmp_path)
    change_rotation(load_org(root), plan_add(load_org(root), "primary", "zoe", now=NOW))  # from 03-09
    change_rotation(load_org(root), plan_remove(load_org(root), "primary", "carol", at=parse_time("2026-03-23"),
                                                now=NOW))
    # Now two layers have handoffs after now (03-09 and 03-16; 03-23 on): --layer is needed...
    with pytest.raises(UsageError, match="has 3 layers; say which with --layer: weekly, weekly-from-2026-03-09, "
                                         "weekly-from-2026-03-23"):
        plan_add(load_org(root), "primary", "erin", now=NOW)
    # ...unless --at names a handoff only one of them has.
    assert plan_add(load_org(root), "primary", "erin", at=parse_time("2026-03-16"), now=NOW).layer == \
        "weekly-from-2026-03-09"
    assert plan_add(load_org(root), "primary", "erin", at=parse_time("2026-04-06"), now=NOW).layer == \
        "weekly-from-2026-03-23"


def test_two_changes_on_one_day_get_names_of_their_own(tmp_path: Path) -> None:
    root = _root(tmp_path, WEEKLY.replace("every: 1w ", "every: 8h "))
    # Eight elapsed hours from 09:00 EST: after the spring-forward change, handoffs are at 02:00, 10:00, 18:00.
    first = plan_add(load_org(root), "primary", "zoe", at=parse_time("2026-03-09T10:00"), now=NOW)
    change_rotation(load_org(root), first)
    second = plan_remove(load_org(root), "primary", "bob", at=parse_time("2026-03-09T18:00"), now=NOW)
    assert (first.continued_as, second.continued_as) == ("weekly-from-2026-03-09", "weekly-from-2026-03-09-1800")


def test_a_handoff_that_is_the_layers_start_changes_the_layer_in_place(tmp_path: Path) -> None:
    root = _root(tmp_path, WEEKLY.replace("2026-01-05T09:00", "2026-06-01T09:00"))
    path = root / "schedules" / "primary.yaml"
    before = path.read_text()
    change = plan_remove(load_org(root), "primary", "alice", now=NOW)  # first handoff after now: the start
    assert change.at == _at("2026-06-01T09:00") and change.continued_as is None
    assert change.due == "bob" and change.offset == 0
    change_rotation(load_org(root), change)
    assert path.read_text() == before.replace("[alice, bob, carol, dave]", "[bob, carol, dave]")
    change_rotation(load_org(root), plan_add(load_org(root), "primary", "alice", after="dave",
                                             at=parse_time("2026-06-08T09:00"), now=NOW))
    assert _owners(root, "2026-06-01T09:00", 5) == ["bob", "carol", "dave", "alice", "bob"]


def test_in_place_change_sets_the_offset_that_keeps_the_due_person(tmp_path: Path) -> None:
    schedule = WEEKLY.replace("2026-01-05T09:00", "2026-06-01T09:00").replace(
        "    every: 1w             # weekly\n", "    every: 1w             # weekly\n    offset: 2\n")
    root = _root(tmp_path, schedule)
    path = root / "schedules" / "primary.yaml"
    change = plan_add(load_org(root), "primary", "zoe", after="alice", now=NOW)
    assert change.due == "carol" and change.offset == 3
    change_rotation(load_org(root), change)
    assert path.read_text() == schedule.replace("[alice, bob, carol, dave]", "[alice, zoe, bob, carol, dave]") \
        .replace("offset: 2", "offset: 3")
    assert _owners(root, "2026-06-01T09:00", 5) == ["carol", "dave", "alice", "zoe", "bob"]


def test_block_lists_keep_each_persons_comment(tmp_path: Path) -> None:
    schedule = WEEKLY.replace("    people: [alice, bob, carol, dave]   # in this order\n",
                              "    people:\n      - alice   # lead\n      - bob\n      - carol   # part time\n"
                              "      - dave\n")
    root = _root(tmp_path, schedule)
    path = root / "schedules" / "primary.yaml"
    change_rotation(load_org(root), plan_remove(load_org(root), "primary", "bob", now=NOW))
    assert path.read_text() == schedule.replace("    every: 1w             # weekly\n", (
        "    every: 1w             # weekly\n"
        "    end: 2026-03-09T09:00\n"
        "  - name: weekly-from-2026-03-09\n"
        "    people:\n      - alice   # lead\n      - carol   # part time\n      - dave\n"
        "    offset: 1\n"
        "    start: 2026-03-09T09:00\n"
        "    every: 1w\n"))


COMPACT = """\
name: Compact
timezone: UTC
layers: [{people: [alice, bob], start: 2026-01-05T09:00, every: 1d}, {people: [carol], start: 2026-01-05T09:00, every: 1d, only: [{from: "12:00", to: "13:00"}]}]
overrides: []  # none yet
"""


def test_flow_style_layers_and_unnamed_layers_keep_their_names(tmp_path: Path) -> None:
    root = _root(tmp_path, COMPACT)
    path = root / "schedules" / "primary.yaml"
    now = _at("2026-03-04T12:00")
    change = plan_add(load_org(root), "primary", "zoe", layer="layer-1", now=now)
    assert change.at_text == "2026-03-05T09:00"
    change_rotation(load_org(root), change)
    assert path.read_text() == COMPACT.replace(
        "layers: [{people: [alice, bob], start: 2026-01-05T09:00, every: 1d}, {people: [carol],",
        "layers: [{people: [alice, bob], start: 2026-01-05T09:00, every: 1d, end: 2026-03-05T09:00}, "
        "{name: layer-1-from-2026-03-05, people: [alice, bob, zoe], offset: 1, start: 2026-03-05T09:00, every: 1d}, "
        "{name: layer-2, people: [carol],")
    reasons = {s.reasons[0].layer for s in generate(load_org(root), now, now + 3 * 86400).shifts}
    assert reasons == {"layer-1", "layer-1-from-2026-03-05", "layer-2"}


def test_daily_handoffs_in_a_spring_forward_gap_stay_on_the_wall_clock(tmp_path: Path) -> None:
    # 02:30 does not exist in New York on 2026-03-08: that turn starts at 03:30 EDT, the others at 02:30.
    schedule = WEEKLY.replace("2026-01-05T09:00", "2026-03-01T02:30").replace("every: 1w ", "every: 1d ")
    root = _root(tmp_path, schedule)
    change = plan_add(load_org(root), "primary", "zoe", at=parse_time("2026-03-08"), now=NOW)
    assert change.at_text == "2026-03-08T02:30" and change.at == _at("2026-03-08T03:30")
    change_rotation(load_org(root), change)
    org = load_org(root)
    starts = [s.start for s in generate(org, _at("2026-03-07T12:00"), _at("2026-03-11T12:00")).shifts]
    assert starts[1:] == [_at("2026-03-08T03:30"), _at("2026-03-09T02:30"), _at("2026-03-10T02:30"),
                          _at("2026-03-11T02:30")]


def test_hourly_handoff_in_the_second_pass_of_a_repeated_hour_is_refused(tmp_path: Path) -> None:
    schedule = WEEKLY.replace("2026-01-05T09:00", "2026-10-31T00:30").replace("every: 1w ", "every: 1h ")
    root = _root(tmp_path, schedule)
    second = parse_time("2026-11-01T01:30-05:00")  # 01:30 EST, after 01:30 EDT
    with pytest.raises(UsageError, match="second pass through a repeated hour"):
        plan_add(load_org(root), "primary", "zoe", at=second, now=NOW)
    first = plan_add(load_org(root), "primary", "zoe", at=parse_time("2026-11-01T01:30-04:00"), now=NOW)
    assert first.at_text == "2026-11-01T01:30"


def test_layer_timezone_reads_t_and_writes_the_start_in_that_zone(tmp_path: Path) -> None:
    schedule = WEEKLY.replace("    every: 1w             # weekly\n",
                              "    every: 1w             # weekly\n    timezone: Europe/London\n")
    root = _root(tmp_path, schedule)
    change = plan_add(load_org(root), "primary", "zoe", at=parse_time("2026-03-09T09:00"), now=NOW)
    assert change.at == _at("2026-03-09T09:00", ZoneInfo("Europe/London"))
    change_rotation(load_org(root), change)
    layers = load_org(root).schedules["primary"].layers
    assert layers[1].timezone == "Europe/London" and layers[1].start.isoformat() == "2026-03-09T09:00:00"


def test_t_must_be_a_handoff(tmp_path: Path) -> None:
    root = _root(tmp_path)
    with pytest.raises(UsageError) as caught:
        plan_add(load_org(root), "primary", "zoe", at=parse_time("2026-03-10T09:00"), now=NOW)
    assert "2026-03-10T09:00 is not a handoff of layer 'weekly'" in str(caught.value)
    assert "the nearest: 2026-03-09T09:00 and 2026-03-16T09:00" in str(caught.value)
    with pytest.raises(UsageError, match="2026-03-10 has no handoff of layer 'weekly'"):
        plan_add(load_org(root), "primary", "zoe", at=parse_time("2026-03-10"), now=NOW)
    assert plan_add(load_org(root), "primary", "zoe", at=parse_time("2026-03-16"), now=NOW).at_text == \
        "2026-03-16T09:00"
    with pytest.raises(UsageError, match="is not a handoff"):
        plan_add(load_org(root), "primary", "zoe", at=parse_time("2025-12-29T09:00"), now=NOW)


def test_an_ended_layer_has_no_handoff_to_change_from(tmp_path: Path) -> None:
    root = _root(tmp_path, WEEKLY.replace("    every: 1w             # weekly\n",
                                          "    every: 1w             # weekly\n    end: 2026-02-02T09:00\n"))
    with pytest.raises(UsageError, match="ends at 2026-02-02T09:00 with no handoff after now"):
        plan_add(load_org(root), "primary", "zoe", now=NOW)
    with pytest.raises(UsageError, match="ends at 2026-02-02T09:00; give an --at before it"):
        plan_add(load_org(root), "primary", "zoe", at=parse_time("2026-02-09T09:00"), now=NOW)


def test_an_ended_layer_keeps_its_end_on_the_continuing_layer(tmp_path: Path) -> None:
    root = _root(tmp_path, WEEKLY.replace("    every: 1w             # weekly\n",
                                          "    every: 1w             # weekly\n    end: 2026-06-01  # last day\n"))
    change_rotation(load_org(root), plan_add(load_org(root), "primary", "zoe", now=NOW))
    layers = yaml.safe_load((root / "schedules" / "primary.yaml").read_text())["layers"]
    assert [layer.get("end") for layer in layers] == ["2026-03-09T09:00", date(2026, 6, 1)]


TWO_LAYERS = WEEKLY.replace("overrides: []\n", """\
  - name: days
    people: [erin, dave]
    start: 2026-01-05T09:00
    every: 1d
    only: [{days: weekdays, from: "09:00", to: "17:00"}]
overrides: []
""")


def test_several_layers_need_layer(tmp_path: Path) -> None:
    root = _root(tmp_path, TWO_LAYERS)
    with pytest.raises(UsageError, match="schedule 'primary' has 2 layers; say which with --layer: weekly, days"):
        plan_add(load_org(root), "primary", "zoe", now=NOW)
    with pytest.raises(NotFound, match="schedule 'primary' has no layer 'nights'; its layers: weekly, days"):
        plan_add(load_org(root), "primary", "zoe", layer="nights", now=NOW)
    change = plan_add(load_org(root), "primary", "zoe", layer="days", now=NOW)
    assert change.at_text == "2026-03-05T09:00"


def test_validate_finds_nothing_new_after_changes(tmp_path: Path) -> None:
    from oncall.engine.lint import lint_org

    root = _root(tmp_path, TWO_LAYERS)
    found = {(p.code, p.message) for p in lint_org(load_org(root), NOW)}
    change_rotation(load_org(root), plan_remove(load_org(root), "primary", "dave", layer="days", now=NOW))
    change_rotation(load_org(root), plan_add(load_org(root), "primary", "zoe", layer="weekly", now=NOW))
    change_rotation(load_org(root), plan_add(load_org(root), "primary", "erin", layer="weekly-from-2026-03-09",
                                             at=parse_time("2026-03-23"), now=NOW))
    # The layers ended at the handoffs (and the one that lives two weeks) are not judged on what is left.
    assert {(p.code, p.message) for p in lint_org(load_org(root), NOW)} == found


@pytest.mark.parametrize(("kind", "person", "options", "error", "message"), [
    ("add", "nobody", {}, NotFound, "no person 'nobody' in people.yaml; add them there first"),
    ("add", "bob", {}, UsageError, "bob is already in layer 'weekly' (alice, bob, carol, dave); to move them"),
    ("add", "zoe", {"after": "erin"}, UsageError, "erin is not in layer 'weekly'"),
    ("remove", "erin", {}, UsageError, "erin is not in layer 'weekly' (alice, bob, carol, dave)"),
    ("remove", "nobody", {}, NotFound, "no person 'nobody'"),
])
def test_refusals_say_what_to_do(tmp_path: Path, kind: str, person: str, options: dict[str, str],
                                 error: type[Exception], message: str) -> None:
    root = _root(tmp_path)
    plan = plan_add if kind == "add" else plan_remove
    with pytest.raises(error) as caught:
        plan(load_org(root), "primary", person, now=NOW, **options)  # type: ignore[operator]
    assert message in str(caught.value)


def test_unknown_schedule(tmp_path: Path) -> None:
    root = _root(tmp_path)
    with pytest.raises(NotFound, match="no schedule 'nope'; known schedules: primary"):
        plan_add(load_org(root), "nope", "zoe", now=NOW)


def test_removing_the_last_person_is_refused(tmp_path: Path) -> None:
    root = _root(tmp_path, WEEKLY.replace("[alice, bob, carol, dave]", "[alice, alice]"))
    with pytest.raises(UsageError, match="alice is the only person in layer 'weekly'.*add who takes over first"):
        plan_remove(load_org(root), "primary", "alice", now=NOW)


def test_after_someone_listed_twice_is_ambiguous(tmp_path: Path) -> None:
    root = _root(tmp_path, WEEKLY.replace("[alice, bob, carol, dave]", "[alice, bob, alice, carol]"))
    with pytest.raises(UsageError, match="alice is in layer 'weekly' 2 times"):
        plan_add(load_org(root), "primary", "zoe", after="alice", now=NOW)


def test_anchors_and_aliases_are_refused_rather_than_copied(tmp_path: Path) -> None:
    schedule = WEEKLY.replace("[alice, bob, carol, dave]   # in this order", "&team [alice, bob, carol, dave]")
    root = _root(tmp_path, schedule)
    change = plan_add(load_org(root), "primary", "zoe", now=NOW)
    with pytest.raises(ConfigError, match="YAML anchor or alias"):
        rotation_text(schedule, change, "primary.yaml")


def test_a_file_changed_since_the_plan_is_refused(tmp_path: Path) -> None:
    root = _root(tmp_path)
    change = plan_add(load_org(root), "primary", "zoe", now=NOW)
    with pytest.raises(ConfigError, match="changed in the file meanwhile"):
        rotation_text(WEEKLY.replace("alice, bob", "bob, alice"), change, "primary.yaml")


def test_an_edit_that_would_move_a_shift_before_t_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    import oncall.edit.rotation as rotation

    root = _root(tmp_path)
    path = root / "schedules" / "primary.yaml"
    change = plan_add(load_org(root), "primary", "zoe", now=NOW)
    real = rotation.rotation_text
    # A wrong edit (the layer ending a week early) must be caught before the file is touched.
    monkeypatch.setattr(rotation, "rotation_text", lambda text, c, file="": real(text, c, file).replace(
        "end: 2026-03-09T09:00", "end: 2026-03-02T09:00"))
    before = path.read_text()
    with pytest.raises(OncallError, match="would change who is on call before 2026-03-09T09:00"):
        change_rotation(load_org(root), change)
    assert path.read_text() == before


def test_schedules_avoiding_this_one_change_too_and_are_shown(tmp_path: Path) -> None:
    secondary = WEEKLY.replace("name: Primary", "name: Secondary\navoid: [primary]").replace(
        "[alice, bob, carol, dave]", "[zoe, erin]")
    root = _root(tmp_path, secondary=secondary)
    change = plan_add(load_org(root), "primary", "zoe", now=NOW)
    assert change.schedules == ("primary", "secondary")
    changes = change_rotation(load_org(root), change).changes().changes
    # From 03-30 zoe is primary (turn 12); the secondary's turn 12 was hers: erin covers it.
    assert [(c.schedule, c.start, c.before, c.after) for c in changes if c.schedule == "secondary"] == [
        ("secondary", _at("2026-03-30T09:00"), "zoe", "erin")]
    assert _owners(root, "2026-03-16T09:00", 4, schedule="secondary") == ["zoe", "erin", "erin", "erin"]


@pytest.mark.parametrize(("layer", "after", "expected"), [
    ("follow-the-week", "bob", "payments.rotation.yaml"),
    ("business-hours", "dave", "payments.rotation-block.yaml"),
])
def test_golden_file_keeps_every_comment(tmp_path: Path, layer: str, after: str, expected: str) -> None:
    source = (GOLDEN / "payments.yaml").read_text()
    root = make_root(tmp_path / "root", {"payments": source}, people=_GOLDEN_PEOPLE)
    (root / "checklists" / "primary.yaml").write_text(
        "name: Primary\nitems:\n  - {id: playbook, title: Playbook, confirm: I have read it}\n")
    change = plan_add(load_org(root), "payments", "zoe", layer=layer, after=after,
                      at=parse_time("2026-03-09T09:00"), now=NOW)
    result = rotation_text(source, change, "payments.yaml")
    if os.environ.get("ONCALL_UPDATE_GOLDEN"):
        (GOLDEN / expected).write_text(result)
    assert result == (GOLDEN / expected).read_text()
    old_lines, new_lines = source.splitlines(keepends=True), result.splitlines(keepends=True)
    changed = [op for op in difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False).get_opcodes()
               if op[0] != "equal"]
    assert changed and all(op[0] == "insert" for op in changed)  # every old line is kept, byte for byte


_GOLDEN_PEOPLE = """\
people:
  alice: {}
  bob: {}
  carol: {}
  dave: {}
  erin: {}
  frank: {}
  zoe: {}
"""
